"""The build-time parts of search and copy (quick tier; the browser proves them in
tests/test_search.py and tests/test_copy_alone.py): what a block's copy takes from the
page's earlier blocks (hooks/standalone.py), the synonyms written into the search
index (hooks/search_synonyms.py) and the install line (hooks/convdoc_site.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks import search_synonyms, standalone
from hooks.convdoc_site import install_command, mkdocs_repo_url, render_markers

DOCS = Path(__file__).resolve().parents[1] / "docs"

# --- hooks/standalone.py ------------------------------------------------------------------------


def copies(*blocks: str) -> list[str | None]:
    return standalone.standalone(list(blocks))


def test_a_block_takes_the_imports_and_definitions_it_uses_transitively():
    page = (
        ">>> import numpy as np\n>>> from convdoc import conv2d, output_size\n",
        ">>> x = np.ones((1, 5, 5))\n>>> w = np.ones((2, 1, 3, 3))\n>>> unused = 7\n",
        ">>> y = conv2d(x, w)\n>>> y.shape\n(2, 3, 3)\n",
        ">>> y.sum()\n162.0\n",
    )
    assert copies(*page)[3] == (
        "import numpy as np\nfrom convdoc import conv2d, output_size\n"
        "x = np.ones((1, 5, 5))\nw = np.ones((2, 1, 3, 3))\ny = conv2d(x, w)\n\ny.sum()\n"
    )


def test_what_is_shown_or_raises_or_rebound_stays_behind():
    page = (
        ">>> a = [1]\n>>> a\n[1]\n>>> int('x')\nTraceback (most recent call last):\nValueError: no\n",
        ">>> a = [2, 3]\n",
        ">>> len(a)\n2\n",
    )
    assert copies(*page)[2] == "a = [2, 3]\n\nlen(a)\n"


def test_changes_to_a_name_come_along():
    page = (
        ">>> layers = []\n>>> layers.append(1)\n>>> layers[0] = 5\n>>> layers += [6]\n>>> layers\n[5, 6]\n",
        ">>> import numpy as np\n>>> rng = np.random.default_rng(0)\n>>> first = rng.normal()\n",
        ">>> layers, rng.normal()\n",
    )
    copy = copies(*page)[2]
    assert "layers.append(1)\nlayers[0] = 5\nlayers += [6]\n" in copy
    assert "first = rng.normal()\n" in copy  # it moved the generator on


def test_functions_take_their_free_names_and_compound_statements_close():
    page = (
        ">>> scale = 3\n>>> def f(v):\n...     k = v * scale\n...     return k\n>>> k = 99\n",
        ">>> for i in range(2):\n...     print(f(i))\n0\n3\n",
    )
    assert copies(*page)[1] == "scale = 3\ndef f(v):\n    k = v * scale\n    return k\n\nfor i in range(2):\n    print(f(i))\n"


def test_a_loop_reads_its_own_temporaries_not_the_earlier_ones():
    page = (
        ">>> import numpy as np\n>>> w = np.zeros(2)\n>>> for step in range(3):\n...     g = w + 1\n...     print(step)\n...     w -= g\n0\n1\n2\n",
        ">>> w = np.zeros(2)\n>>> for step in range(2):\n...     g = w - 1\n...     w -= g\n>>> w\narray([3., 3.])\n",
        ">>> total = 0\n>>> for v in [1, 2]:\n...     total = total + v\n...     if v:\n...         last = v\n...     else:\n...         print(last)\n",
    )
    copy = copies(*page)
    # the second loop binds step and g before reading them, and w is bound at the top of its block:
    # nothing of the first block's loop (which prints) comes along, only the import
    assert copy[1] == "import numpy as np\n\nw = np.zeros(2)\nfor step in range(2):\n    g = w - 1\n    w -= g\n\nw\n"
    # else does not run after its if: 'last' there is read from before the statement (nothing on this page)
    assert "print(last)" in copy[2] and "total = 0" in copy[2]


def test_plain_python_blocks_and_other_languages():
    assert copies("import math\nr = 2\n", "print(math.pi * r)\n")[1] == "import math\nr = 2\n\nprint(math.pi * r)\n"
    assert copies('pip install "convdoc @ git+https://example.org/x"\n') == [None]


def test_the_page_html_gets_data_copy_on_python_blocks_only():
    html = (
        '<div class="language-python highlight"><pre><span></span><code>&gt;&gt;&gt; a = 1\n</code></pre></div>'
        '<div class="language-python doc-signature highlight"><pre><span></span><code>f(a, b=1)</code></pre></div>'
        '<div class="language-bash highlight"><pre><span></span><code>pip install x</code></pre></div>'
        '<div class="language-python highlight"><pre><span></span><code><span class="gp">&gt;&gt;&gt; </span>a &lt; 2\nTrue\n</code></pre></div>'
    )
    out = standalone.mark_page(html)
    assert out.count("data-copy") == 2
    assert '<pre data-copy="a = 1\n\na &lt; 2\n">' in out


# --- hooks/search_synonyms.py -------------------------------------------------------------------


@pytest.mark.parametrize("text, added, not_added", [
    ("<p>padded to 7×7×3, then 224 × 224</p>", ["7x7x3", "224x224", "224×224"], []),
    ("the 15.47 GFLOPS of its model table", ["MACs", "乘加"], ["GFLOPS"]),
    ("a machine learning model", [], ["MAC", "FLOPs"]),  # MAC in capitals only
    ("扩张\u200b为 2 的卷积", ["atrous", "空洞卷积", "dilated"], ["扩张"]),
    ("TensorFlow's SAME padding", ["same_padding"], []),
    ("the same size", [], ["same_padding"]),
    ("groups=2 splits the channels", ["ResNeXt", "分组卷积"], []),
    ("a transposed convolution", ["deconvolution", "反卷积", "ConvTranspose2d"], []),  # the glossary's avoided words
])
def test_synonyms(text, added, not_added):
    words = search_synonyms.synonyms(text).split()
    for word in added:
        assert word in words, (word, words)
    for word in not_added:
        assert word not in words, (word, words)


def test_the_index_gets_the_synonym_fields_lunr_searches():
    index = {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
             "docs": [{"location": "a/", "title": "Dilation", "text": "<p>stride</p>"}, {"location": "b/", "title": "x", "text": "y"}]}
    out = search_synonyms.expand_index(index)
    assert out["config"]["fields"]["title_synonyms"] == {"boost": 1000.0}
    assert out["config"]["fields"]["synonyms"] == {"boost": 1.0}
    assert "atrous" in out["docs"][0]["title_synonyms"] and "synonyms" not in out["docs"][1]


# --- the install line -----------------------------------------------------------------------------


def test_the_install_lines_come_from_repo_url(monkeypatch):
    assert install_command("pip", "https://github.com/a/convdoc/") == '\n```bash\npip install "convdoc @ git+https://github.com/a/convdoc"\n```\n'
    with pytest.raises(ValueError, match="tool must be one of"):
        install_command("conda", "https://github.com/a/convdoc")
    for page in ("index.md", "index.en.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        out = render_markers(text, "en", page, "https://example.org/me/convdoc")
        assert 'pip install "convdoc @ git+https://example.org/me/convdoc"' in out
        assert 'uv add "convdoc @ git+https://example.org/me/convdoc"' in out
        assert "](https://example.org/me/convdoc)" in out
    monkeypatch.setenv("REPO_URL", "https://example.org/you/convdoc")
    assert mkdocs_repo_url() == "https://example.org/you/convdoc"
