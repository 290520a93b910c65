"""The notebooks (docs/notebooks/*.py, jupytext percent format) as a test suite.

* Both languages hold the same code: every code cell is identical except the one
  tagged ``lang`` (the plot titles), which must define the same names with the
  same structure and the same ``{}`` placeholders.
* Each notebook is executed here with nbclient, as mkdocs-jupyter executes it at
  build time; an error in any cell fails the test (and the build:
  ``allow_errors: false``). Broken copies prove both.
* The rendered pages carry their plots, typesettable math and working TOC links.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path
from string import Formatter

import jupytext
import matplotlib.font_manager
import nbclient
import nbformat
import pytest
import yaml
from mkdocs.utils.yaml import yaml_load
from sitebuild import build_site

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTEBOOKS = DOCS / "notebooks"
ZH_NOTEBOOKS = sorted(p for p in NOTEBOOKS.glob("*.py") if not p.name.endswith(".en.py"))
LANG_TAG = "lang"


def twin(notebook: Path) -> Path:
    return notebook.with_name(notebook.name[: -len(".py")] + ".en.py")


ALL_NOTEBOOKS = ZH_NOTEBOOKS + [twin(p) for p in ZH_NOTEBOOKS]


def nb_id(path: Path) -> str:
    return path.name


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def is_lang_cell(cell) -> bool:
    return LANG_TAG in cell.metadata.get("tags", [])


def structure(value):
    """What must agree between the two languages' texts: keys, lengths, placeholders."""
    if isinstance(value, dict):
        return {key: structure(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [structure(v) for v in value]
    if isinstance(value, str):
        return ("str", [field for _, field, _, _ in Formatter().parse(value) if field is not None])
    return type(value).__name__


def lang_cell_structure(cell) -> dict:
    result = {}
    for stmt in ast.parse(cell.source).body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, (
            f"the {LANG_TAG!r} cell may only assign literals to names, found: {ast.unparse(stmt)}"
        )
        result[ast.unparse(stmt.targets[0])] = structure(ast.literal_eval(stmt.value))
    return result


def markdown_outline(nb) -> list:
    """Heading levels and display-math blocks of each Markdown cell."""
    outline = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6}) ", cell.source, re.M)]
            outline.append((levels, cell.source.count("$$")))
    return outline


# --- sources: parity between languages, nothing executed yet --------------------------------


def test_there_are_notebooks():
    assert NOTEBOOKS / "feature-maps.py" in ZH_NOTEBOOKS
    assert not list(DOCS.rglob("*.ipynb")), "commit jupytext .py sources, not .ipynb files with outputs"


def test_no_orphan_english_notebooks():
    for en in NOTEBOOKS.glob("*.en.py"):
        assert en.with_name(en.name.replace(".en.py", ".py")).exists(), en


@pytest.mark.parametrize("notebook", ZH_NOTEBOOKS, ids=nb_id)
def test_both_languages_have_the_same_code(notebook):
    en = twin(notebook)
    assert en.exists(), f"{notebook.name} has no English twin {en.name}"
    zh_nb, en_nb = jupytext.read(notebook), jupytext.read(en)
    zh_code, en_code = code_cells(zh_nb), code_cells(en_nb)
    assert [is_lang_cell(c) for c in zh_code] == [is_lang_cell(c) for c in en_code]
    assert sum(map(is_lang_cell, zh_code)) == 1, f"exactly one cell tagged {LANG_TAG!r} holds the texts"
    for i, (a, b) in enumerate(zip(zh_code, en_code)):
        if is_lang_cell(a):
            assert lang_cell_structure(a) == lang_cell_structure(b), (
                f"{notebook.name}: the {LANG_TAG!r} cells must define the same names, keys and placeholders"
            )
        else:
            assert a.source == b.source, (
                f"{notebook.name} and {en.name}: code cell {i} differs; translate prose and the "
                f"{LANG_TAG!r} cell only, keep the code identical"
            )
    assert markdown_outline(zh_nb) == markdown_outline(en_nb), (
        f"{notebook.name} and {en.name}: Markdown cells differ in number, headings or formulas"
    )


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=nb_id)
def test_code_calls_convdoc_and_page_has_title_and_description(notebook):
    nb = jupytext.read(notebook)
    code = code_cells(nb)
    assert "from convdoc import" in code[0].source, f"{notebook.name}: the first code cell must import from convdoc"
    assert re.search(r"\bconv2d\(", "\n".join(c.source for c in code))
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), "an H1 title first"
    assert len(nb.metadata.get("description", "")) >= 20, f"{notebook.name}: no description in the jupytext header"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                assert not (line.startswith("#") and "$" in line), f"{notebook.name}: math in heading {line!r}"


def jupyter_plugin_config() -> dict:
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "mkdocs-jupyter" in plugin:
            return plugin["mkdocs-jupyter"]
    raise AssertionError("mkdocs-jupyter is not configured in mkdocs.yml")


def test_the_site_build_executes_notebooks_and_stops_on_errors():
    config = jupyter_plugin_config()
    assert config["execute"] is True
    assert config["allow_errors"] is False, "allow_errors defaults to true: a failing cell would build green"
    assert "notebooks/*.py" in config["include"]


# --- execution: every cell runs, the numbers and the plots are there --------------------------


def execute(path: Path, workdir: Path):
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()  # raises CellExecutionError at the first failing cell
    return nb


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    cache: dict[Path, nbformat.NotebookNode] = {}

    def get(path: Path):
        if path not in cache:
            cache[path] = execute(path, tmp_path_factory.mktemp("nb"))
        return cache[path]

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


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=nb_id)
def test_every_cell_runs_and_the_plots_are_drawn(executed, notebook):
    nb = executed(notebook)
    assert not outputs(nb, "error")
    images = [out for out in outputs(nb, "display_data") if any(k.startswith("image/") for k in out.data)]
    assert len(images) >= 4, f"{notebook.name}: {len(images)} plots"
    printed = stdout(nb)
    assert "False" not in printed, f"{notebook.name}: a check printed False:\n{printed}"
    if notebook.name.startswith("feature-maps"):
        for line in FEATURE_MAPS_NUMBERS:
            assert line in printed, f"{notebook.name} no longer prints {line!r}:\n{printed}"


def cjk_font_installed() -> bool:
    return any("CJK" in font.name for font in matplotlib.font_manager.fontManager.ttflist)


@pytest.mark.parametrize("notebook", ZH_NOTEBOOKS, ids=nb_id)
def test_chinese_titles_find_a_font(executed, notebook):
    if not cjk_font_installed():
        message = (
            "no CJK font for matplotlib: apt-get install -y fonts-noto-cjk, then delete ~/.cache/matplotlib "
            "(CI installs it and requires this test)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    warnings = "".join(out.text for out in outputs(executed(notebook), "stream") if out.name == "stderr")
    assert "missing from font" not in warnings, warnings


# --- a broken notebook fails: under nbclient, and in mkdocs build ------------------------------


def test_a_wrong_number_in_a_notebook_fails(tmp_path):
    source = (NOTEBOOKS / "feature-maps.py").read_text(encoding="utf-8")
    original = "expected = output_size(red.shape, 3, stride=S, padding=P)"
    assert original in source
    broken = tmp_path / "broken.py"
    broken.write_text(source.replace(original, original.replace(", 3,", ", 5,")), encoding="utf-8")
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="AssertionError"):
        execute(broken, tmp_path)


def tiny_site(tmp_path: Path, cell: str) -> subprocess.CompletedProcess:
    """A one-notebook site with the jupyter plugin configured exactly as in mkdocs.yml."""
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
    )


def test_a_failing_cell_fails_the_site_build(tmp_path):
    # (the real build, with its executed notebooks, is the passing counterpart: see below)
    broken = tiny_site(tmp_path, "print(output_size(2, 5))")
    assert broken.returncode != 0, "a cell raising ValueError built green"
    assert "kernel_size is larger than the padded input" in broken.stderr, broken.stderr[-3000:]


# --- the rendered pages -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory)


def page_of(notebook: Path) -> tuple[str, str]:
    lang = "en" if notebook.name.endswith(".en.py") else "zh"
    stem = notebook.name.split(".")[0]
    return lang, ("en/" if lang == "en" else "") + f"notebooks/{stem}/"


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=nb_id)
def test_notebook_pages_render_with_their_plots(site, notebook):
    lang, url = page_of(notebook)
    html = (site / url / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html
    assert len(re.findall(r'<img [^>]*src="data:image/(?:png|jpeg);base64,', html)) >= 4
    # each plot described in the page's language; no random cell ids (two builds give the same page)
    assert "No description has been provided" not in html
    assert all(len(alt) > 20 for alt in re.findall(r'<img [^>]*alt="([^"]*)"', html))
    assert "cell-id=" not in html
    assert "jp-OutputArea-error" not in html and "Traceback" not in html
    assert '<meta name="description" content="' + jupytext.read(notebook).metadata["description"] in html
    # MathJax comes from the site: nbconvert's CDN script and mermaid loader are gone
    assert "cdnjs" not in html and "mermaid.esm" not in html
    assert 'class="arithmatex"' in html
    from hooks.notebooks import MARKDOWN_CELL

    prose = "".join(m.group(2) for m in MARKDOWN_CELL.finditer(html))
    assert "$" not in prose, f"{url}: TeX left outside the site's math markup"
    # every link of the table of contents has its heading (Chinese headings included)
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', html)
    assert toc
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert set(toc) <= ids, f"{url}: TOC links without a target: {sorted(set(toc) - ids)}"
