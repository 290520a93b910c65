"""The notebooks (docs/notebooks/*.py, jupytext percent format) as a test suite.

* One source per notebook holds both languages (hooks/notebooks.py): the code is
  written once, in shared cells; ``lang="zh"`` / ``lang="en"`` cells come in runs
  that hold each language's version of the same cells, with the same headings and
  formulas, and the plot-title cells define the same names, keys and ``{}``
  placeholders.
* The notebooks checked here are the ones the site build executed and rendered
  (``hooks.notebooks.built_notebook``): executed once per test run, by the build,
  or taken by it from the cache. Every cell ran, the numbers the prose quotes are
  printed, the plots are drawn, the Chinese titles find a font. Broken copies
  prove that a wrong number fails under nbclient and a failing cell fails
  ``mkdocs build``.
* The cache: a second build reads it, a changed source or convdoc is executed
  again, CI and ``CONVDOC_EXECUTE_NOTEBOOKS=1`` never read it, a failing notebook
  and a damaged entry are never used.
* The rendered pages carry their plots as files, typesettable math and working
  TOC links, without JupyterLab's stylesheet; no page of the site weighs more
  than 400 KB of HTML.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from string import Formatter

import jupytext
import matplotlib.font_manager
import nbclient
import nbformat
import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from hooks import notebooks

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTEBOOKS = DOCS / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("*.py"))
LANGS = ["zh", "en"]  # mkdocs.yml's languages, the default first
COLLECTED = time.time()  # before this session's site build
PAGE_LIMIT = 400_000  # bytes of HTML per page


def nb_id(path: Path) -> str:
    return path.name


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def structure(value):
    """What must agree between the two languages' texts: keys, lengths, placeholders."""
    if isinstance(value, dict):
        return {key: structure(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [structure(v) for v in value]
    if isinstance(value, str):
        return ("str", [field for _, field, _, _ in Formatter().parse(value) if field is not None])
    return type(value).__name__


def text_cell_structure(cell) -> dict:
    result = {}
    for stmt in ast.parse(cell.source).body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, (
            f"a language's code cell may only assign literals to names, found: {ast.unparse(stmt)}"
        )
        result[ast.unparse(stmt.targets[0])] = structure(ast.literal_eval(stmt.value))
    return result


def markdown_outline(cell) -> tuple:
    """Heading levels and display-math blocks of a Markdown cell."""
    return [len(m.group(1)) for m in re.finditer(r"^(#{1,6}) ", cell.source, re.M)], cell.source.count("$$")


# --- the sources: one per notebook, both languages in it --------------------------------------


def test_there_are_notebooks_each_written_once():
    assert NOTEBOOKS / "feature-maps.py" in SOURCES
    assert not list(DOCS.rglob("*.ipynb")), "commit jupytext .py sources, not .ipynb files with outputs"
    suffixed = [p.name for p in SOURCES if len(p.suffixes) > 1]
    assert not suffixed, f"write both languages in one source ({suffixed}): lang=\"en\" cells beside lang=\"zh\" ones"


def test_site_languages():
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    langs = sorted(i18n["languages"], key=lambda lang: not lang.get("default"))
    assert [lang["locale"] for lang in langs] == LANGS


@pytest.mark.parametrize("source", SOURCES, ids=nb_id)
def test_each_language_has_its_version_of_the_same_cells(source):
    nb = jupytext.read(source)
    assert notebooks.source_languages(nb) == LANGS
    assert notebooks.check_source(nb, source.name) == []
    text_cells = {lang: [] for lang in LANGS}
    for run in notebooks.language_runs(nb):
        versions = {lang: [nb.cells[i] for i in run if nb.cells[i].metadata["lang"] == lang] for lang in LANGS}
        for cells in zip(*versions.values()):
            first = cells[0]
            for other in cells[1:]:
                if first.cell_type == "markdown":
                    assert markdown_outline(first) == markdown_outline(other), (
                        f"{source.name}: {first.source[:40]!r} and {other.source[:40]!r} differ in headings or formulas"
                    )
                else:
                    assert text_cell_structure(first) == text_cell_structure(other), (
                        f"{source.name}: the languages' code cells must define the same names, keys and placeholders"
                    )
        for lang in LANGS:
            text_cells[lang] += [c for c in versions[lang] if c.cell_type == "code"]
    assert [len(cells) for cells in text_cells.values()] == [1, 1], (
        "one code cell per language holds the plot titles; every other code cell is shared"
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("source", SOURCES, ids=nb_id)
def test_code_calls_convdoc_and_page_has_title_and_description(source, lang):
    nb = notebooks.generate(source, lang)
    code = code_cells(nb)
    assert "from convdoc import" in code[0].source, f"{source.name}: the first code cell must import from convdoc"
    assert re.search(r"\bconv2d\(", "\n".join(c.source for c in code))
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), "an H1 title first"
    assert len(nb.metadata.get("description", "")) >= 20, f"{source.name}: no {lang} description in the jupytext header"
    assert all("lang" not in cell.metadata for cell in nb.cells)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                assert not (line.startswith("#") and "$" in line), f"{source.name}: math in heading {line!r}"


BILINGUAL = '''# ---
# jupyter:
#   description:
#     zh: 中文说明
#     en: English description
#   kernelspec: {display_name: Python 3, language: python, name: python3}
# ---

# %% [markdown] lang="zh"
# # 标题

# %% [markdown] lang="en"
# # Title

# %%
x = 1

# %% lang="zh"
T = {"t": "中文 {}"}

# %% lang="en"
T = {"t": "English {}"}

# %%
print(T["t"].format(x))
'''


def test_each_language_gets_the_shared_cells_and_its_own(tmp_path):
    source = tmp_path / "demo.py"
    source.write_text(BILINGUAL, encoding="utf-8")
    zh, en = notebooks.generate(source, "zh"), notebooks.generate(source, "en")
    assert [c.source for c in zh.cells] == ["# 标题", "x = 1", 'T = {"t": "中文 {}"}', 'print(T["t"].format(x))']
    assert [c.source for c in en.cells] == ["# Title", "x = 1", 'T = {"t": "English {}"}', 'print(T["t"].format(x))']
    assert (zh.metadata["description"], en.metadata["description"]) == ("中文说明", "English description")
    assert [c.id for c in en.cells] == ["cell-1", "cell-2", "cell-3", "cell-4"]  # the same every time
    assert nbformat.writes(notebooks.generate(source, "en")) == nbformat.writes(en)


def test_a_missing_translation_is_refused(tmp_path):
    source = tmp_path / "demo.py"
    source.write_text(BILINGUAL.replace('# %% [markdown] lang="en"\n# # Title\n\n', ""), encoding="utf-8")
    with pytest.raises(ValueError, match=r"cell 1: each language needs the same cells here \(zh: \['markdown'\], en: none\)"):
        notebooks.generate(source, "zh")


# --- the executed notebooks: the build's --------------------------------------------------------


@pytest.fixture(scope="session")
def built(site):
    """The executed notebook the site build rendered, for a source and a language."""

    def get(source: Path, lang: str):
        if os.environ.get("CI"):  # CI never reads the cache: this session's build executed it
            entry = notebooks.job(source, lang).path
            assert entry.stat().st_mtime >= COLLECTED - 1, f"{entry} was not written by this session's build"
        return notebooks.built_notebook(source, lang)

    return get


def outputs(nb, kind: str) -> list:
    return [out for cell in code_cells(nb) for out in cell.get("outputs", []) if out.output_type == kind]


def stdout(nb) -> str:
    return "".join(out.text for out in outputs(nb, "stream") if out.name == "stdout")


# What the prose of feature-maps says, computed by hand from the 600×512 photo halved to 300×256:
# floor((300 - 3)/2) + 1 = 149, floor((256 - 3)/2) + 1 = 127; padding 1 with a 3×3 filter keeps
# 300×256; stride 2 and padding 1 give 150×128; two 3×3×3 filters with biases have 56 parameters.
FEATURE_MAPS_NUMBERS = [
    "(600, 512, 3) uint8 -> (3, 300, 256) float64",
    "edge     (3, 298, 254)  output_size -> (298, 254)",
    "blur     (3, 296, 252)  output_size -> (296, 252)",
    "S=2 P=0: conv2d (149, 127), output_size (149, 127)",
    "S=1 P=1: conv2d (300, 256), output_size (300, 256)",
    "x (3, 300, 256) * weight (2, 3, 3, 3) -> (2, 150, 128)",
    "param_count(3, 2, 3) = 56 = 54 + 2",
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("source", SOURCES, ids=nb_id)
def test_every_cell_runs_and_the_plots_are_drawn(built, source, lang):
    nb = built(source, lang)
    assert all(cell.outputs is not None for cell in code_cells(nb))
    assert not outputs(nb, "error")
    images = [out for out in outputs(nb, "display_data") if any(k.startswith("image/") for k in out.data)]
    assert len(images) >= 4, f"{source.name} ({lang}): {len(images)} plots"
    printed = stdout(nb)
    assert "False" not in printed, f"{source.name} ({lang}): a check printed False:\n{printed}"
    if source.name == "feature-maps.py":
        for line in FEATURE_MAPS_NUMBERS:
            assert line in printed, f"{source.name} ({lang}) no longer prints {line!r}:\n{printed}"


def cjk_font_installed() -> bool:
    return any("CJK" in font.name for font in matplotlib.font_manager.fontManager.ttflist)


@pytest.mark.parametrize("source", SOURCES, ids=nb_id)
def test_chinese_titles_find_a_font(built, source):
    if not cjk_font_installed():
        message = (
            "no CJK font for matplotlib: apt-get install -y fonts-noto-cjk, then delete ~/.cache/matplotlib "
            "(CI installs it and requires this test)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    warnings = "".join(out.text for out in outputs(built(source, "zh"), "stream") if out.name == "stderr")
    assert "missing from font" not in warnings, warnings


# --- a broken notebook fails: under nbclient, and in mkdocs build ------------------------------


def test_a_wrong_number_in_a_notebook_fails(tmp_path):
    nb = notebooks.generate(NOTEBOOKS / "feature-maps.py", "zh")
    original = "expected = output_size(red.shape, 3, stride=S, padding=P)"
    cells = [cell for cell in code_cells(nb) if original in cell.source]
    assert len(cells) == 1
    cells[0].source = cells[0].source.replace(original, original.replace(", 3,", ", 5,"))
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="AssertionError"):
        notebooks.execute(nb, tmp_path)


def jupyter_plugin_config() -> dict:
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "mkdocs-jupyter" in plugin:
            return plugin["mkdocs-jupyter"]
    raise AssertionError("mkdocs-jupyter is not configured in mkdocs.yml")


def test_the_hook_executes_and_mkdocs_jupyter_renders():
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks/notebooks.py" in config["hooks"]
    plugin = jupyter_plugin_config()
    assert plugin["execute"] is False, "the hook executes the notebooks: mkdocs-jupyter would run them again"
    assert plugin["allow_errors"] is False, "allow_errors defaults to true: a failing cell would build green"
    assert plugin["include"] == ["*.ipynb"], "a notebook page's source is its executed .ipynb"


def tiny_site(tmp_path: Path, cell: str) -> subprocess.CompletedProcess:
    """A one-notebook site with the jupyter plugin and the hook configured exactly as in mkdocs.yml."""
    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    (docs / "index.md").write_text("# Index\n", encoding="utf-8")
    (docs / "notebooks" / "check.py").write_text(
        "# %% [markdown]\n# # Check\n\n# %%\nfrom convdoc import output_size\n\n# %%\n" + cell + "\n",
        encoding="utf-8",
    )
    config = {
        "site_name": "notebook check",
        "docs_dir": str(docs),
        "site_dir": str(tmp_path / "site"),
        "theme": {"name": "mkdocs"},
        "plugins": [{"mkdocs-jupyter": jupyter_plugin_config()}],
        "hooks": [str(ROOT / "hooks" / "notebooks.py")],
        "nav": [{"Index": "index.md"}, {"Check": "notebooks/check.py"}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "CONVDOC_NOTEBOOK_CACHE": str(tmp_path / "cache")},
    )


def test_a_failing_cell_fails_the_site_build_and_is_not_cached(tmp_path):
    # (the real build, with its executed notebooks, is the passing counterpart: see above)
    broken = tiny_site(tmp_path, "print(output_size(2, 5))")
    assert broken.returncode != 0, "a cell raising ValueError built green"
    assert "kernel_size is larger than the padded input" in broken.stderr, broken.stderr[-3000:]
    assert "check.py" in broken.stderr, "the message names the notebook"
    assert not list((tmp_path / "cache").glob("*.ipynb")), "a notebook with a failing cell was cached"


# --- the cache (a stand-in kernel: these tests are about when a notebook runs) -----------------


@pytest.fixture
def kernel(monkeypatch, tmp_path):
    """Counts executions; a cell holding ``raise`` fails. A fresh cache, no CI, no force switch."""
    runs = []

    async def fake(nb, cwd):
        runs.append(nb)
        if any("raise" in cell.source for cell in code_cells(nb)):
            raise nbclient.exceptions.CellExecutionError("traceback", "ValueError", "boom")
        code_cells(nb)[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"run {len(runs)}\n")]

    monkeypatch.setattr(notebooks, "execute_async", fake)
    monkeypatch.setattr(notebooks, "_EXECUTED", set())
    monkeypatch.setenv("CONVDOC_NOTEBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CONVDOC_EXECUTE_NOTEBOOKS", raising=False)
    source = tmp_path / "demo.py"
    source.write_text(BILINGUAL, encoding="utf-8")
    return runs, source


def new_process():
    notebooks._EXECUTED.clear()  # what this process executed itself is reused; another process starts empty


def printed(path: Path) -> str:
    return stdout(nbformat.read(path, as_version=4))


def test_the_cache_is_read_and_changes_are_executed_again(kernel, monkeypatch, tmp_path):
    runs, source = kernel
    first = notebooks.executed([(source, "zh"), (source, "en")])
    assert len(runs) == 2 and all(p.parent == tmp_path / "cache" for p in first)
    new_process()
    assert notebooks.executed([(source, "zh"), (source, "en")]) == first and len(runs) == 2, "not read from the cache"
    # a changed source: only the language whose notebook changed runs again
    source.write_text(BILINGUAL.replace("English {}", "English: {}"), encoding="utf-8")
    zh, en = notebooks.executed([(source, "zh"), (source, "en")])
    assert len(runs) == 3 and zh == first[0] and en != first[1] and printed(en) == "run 3\n"
    # a change to convdoc's source runs both again
    monkeypatch.setattr(notebooks, "convdoc_fingerprint", lambda: "convdoc, edited")
    assert set(notebooks.executed([(source, "zh"), (source, "en")])).isdisjoint({zh, en}) and len(runs) == 5


@pytest.mark.parametrize("switch", [("CI", "true"), ("CONVDOC_EXECUTE_NOTEBOOKS", "1")])
def test_ci_and_the_force_switch_never_read_the_cache(kernel, monkeypatch, switch):
    runs, source = kernel
    (entry,) = notebooks.executed([(source, "en")])
    new_process()
    monkeypatch.setenv(*switch)
    assert notebooks.executed([(source, "en")]) == [entry] and len(runs) == 2
    assert printed(entry) == "run 2\n", "the entry holds this process's execution"
    # once per process: the English build that follows the Chinese one reuses it
    assert notebooks.executed([(source, "en")]) == [entry] and len(runs) == 2


def test_a_failing_notebook_is_never_cached(kernel, tmp_path):
    runs, source = kernel
    source.write_text(BILINGUAL.replace("x = 1", "raise ValueError('boom')"), encoding="utf-8")
    for attempt in (1, 2):
        with pytest.raises(notebooks.NotebookFailed, match=r"demo.py \(en\): a cell failed"):
            notebooks.executed([(source, "en")])
        assert len(runs) == attempt
    assert not list((tmp_path / "cache").glob("*.ipynb"))


def test_a_damaged_or_foreign_entry_is_not_used(kernel):
    runs, source = kernel
    (entry,) = notebooks.executed([(source, "en")])
    for damage in ("{not json", entry.read_text(encoding="utf-8").replace('"cache_key": "', '"cache_key": "x')):
        new_process()
        entry.write_text(damage, encoding="utf-8")
        assert notebooks.executed([(source, "en")]) == [entry]
        assert printed(entry) == f"run {len(runs)}\n"
    assert len(runs) == 3


def test_the_cache_lives_outside_the_working_tree(monkeypatch):
    monkeypatch.delenv("CONVDOC_NOTEBOOK_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/someone")
    assert notebooks.cache_dir() == Path("/var/cache/someone/convdoc/notebooks")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert notebooks.cache_dir() == Path.home() / ".cache" / "convdoc" / "notebooks"


# --- the rendered pages -------------------------------------------------------------------------


def page_url(source: Path, lang: str) -> str:
    return ("en/" if lang == "en" else "") + f"notebooks/{source.stem}/"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("source", SOURCES, ids=nb_id)
def test_notebook_pages_render_with_their_plots(site, source, lang):
    url = page_url(source, lang)
    html = (site / url / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html
    # the plots: image files beside the page, named by their content, with their size
    images = re.findall(r"<img [^>]*>", html)
    plots = [tag for tag in images if re.search(r'src="[0-9a-f]{16}\.(?:jpg|png)"', tag)]
    assert len(plots) >= 4 and "data:image" not in html
    for tag in plots:
        name = re.search(r'src="([^"]+)"', tag).group(1)
        assert (site / url / name).stat().st_size > 10_000, name
        assert re.search(r'width="\d+" height="\d+"', tag) and 'loading="lazy"' in tag
    # each plot described in the page's language; no random cell ids (two builds give the same page)
    assert "No description has been provided" not in html
    assert all(len(alt) > 20 for alt in re.findall(r'<img [^>]*alt="([^"]*)"', "".join(plots)))
    assert "cell-id=" not in html
    assert "jp-OutputArea-error" not in html and "Traceback" not in html
    description = notebooks.generate(source, lang).metadata["description"]
    assert '<meta name="description" content="' + description in html
    # the code as Material code blocks, the site's small stylesheet instead of JupyterLab's
    assert html.count('<div class="language-python highlight"><pre><code>') >= 10
    assert "highlight-ipynb" not in html and "clipboard-copy" not in html and "--jp-" not in html
    assert re.search(r'<link rel="stylesheet" href="(?:\.\./)+stylesheets/notebook\.css">', html)
    # math from the site, no CDN: nbconvert's MathJax 2 script and mermaid loader are gone
    assert "cdnjs" not in html and "mermaid.esm" not in html
    assert 'class="arithmatex"' in html
    prose = "".join(m.group(2) for m in notebooks.MARKDOWN_CELL.finditer(html))
    assert "$" not in prose, f"{url}: TeX left outside the site's math markup"
    # every link of the table of contents has its heading (Chinese headings included)
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', html)
    assert toc
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert set(toc) <= ids, f"{url}: TOC links without a target: {sorted(set(toc) - ids)}"


def test_every_page_is_at_most_400_kb_of_html(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 30
    heavy = {p.relative_to(site).as_posix(): p.stat().st_size for p in pages if p.stat().st_size > PAGE_LIMIT}
    assert not heavy, f"pages over {PAGE_LIMIT:,} bytes of HTML: {heavy}"


def test_printed_text_is_one_output_however_the_kernel_sent_it():
    """Two builds gave different pages when the kernel flushed a cell's print in two messages."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1); print(2)")])
    stream = lambda name, text: nbformat.v4.new_output("stream", name=name, text=text)  # noqa: E731
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    nb.cells[0].outputs = [stream("stdout", "1\n"), stream("stdout", "2\n"), figure, stream("stdout", "3\n"),
                           stream("stderr", "warning\n"), stream("stderr", "again\n")]
    notebooks.merge_streams(nb)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in nb.cells[0].outputs] == [
        ("stream", "stdout", "1\n2\n"), ("display_data", None, None), ("stream", "stdout", "3\n"),
        ("stream", "stderr", "warning\nagain\n"),
    ]
