"""The build's cache (hooks/build_cache.py): formulas, the math font and compiled templates between builds.

Like the notebook cache's tests (tests/test_notebooks.py): a second build reads
what the first stored, a changed input is computed again, ``CI`` and
``CONVDOC_REFRESH_BUILD_CACHE=1`` never read it, a damaged entry is not used, and
it lives outside the working tree. Stand-ins count the work (V8, fontTools, Jinja's
compiler), so that each test shows whether the work was done, not how long it took.
The search index's synonym matching skips most of its regexes by a cheap test:
hypothesis checks that it counts what the regexes count.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooks import build_cache, convdoc_site, mathml, notebooks, search_synonyms

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def cache(monkeypatch, tmp_path):
    """A fresh cache directory; no CI, no refresh switch."""
    monkeypatch.setenv("CONVDOC_BUILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CONVDOC_REFRESH_BUILD_CACHE", raising=False)
    return tmp_path / "cache"


# --- the store -------------------------------------------------------------------------------------


def test_an_entry_is_read_back(cache):
    build_cache.Store("kind").put("k1", b"some bytes")
    assert build_cache.Store("kind").get("k1") == b"some bytes"
    assert build_cache.Store("kind").get("k2") is None
    assert build_cache.Store("other").get("k1") is None
    assert [p.name for p in cache.iterdir()] == ["kind-k1"]


@pytest.mark.parametrize("damage", ["truncated", "a byte changed", "another key's entry", "empty"])
def test_a_damaged_entry_is_not_used_and_is_written_again(cache, damage):
    store = build_cache.Store("kind")
    store.put("k1", b"the right bytes")
    store.put("k2", b"other bytes")
    entry = store.path("k1")
    raw = entry.read_bytes()
    entry.write_bytes({
        "truncated": raw[:-1],
        "a byte changed": raw[:3] + bytes([raw[3] ^ 1]) + raw[4:],
        "another key's entry": store.path("k2").read_bytes(),
        "empty": b"",
    }[damage])
    assert store.get("k1") is None
    store.put("k1", b"the right bytes")
    assert store.get("k1") == b"the right bytes"


@pytest.mark.parametrize("switch", [("CI", "true"), ("CONVDOC_REFRESH_BUILD_CACHE", "1")])
def test_ci_and_the_refresh_switch_never_read_the_cache(monkeypatch, switch):
    build_cache.Store("kind").put("k", b"stored")
    monkeypatch.setenv(*switch)
    store = build_cache.Store("kind")
    assert store.get("k") is None and switch[0] in build_cache.bypassed()
    store.put("k", b"refreshed")  # what it computes is written again
    monkeypatch.delenv(switch[0])
    assert build_cache.Store("kind").get("k") == b"refreshed"


def test_the_cache_lives_outside_the_working_tree(monkeypatch):
    monkeypatch.delenv("CONVDOC_BUILD_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/someone")
    assert build_cache.cache_dir() == Path("/var/cache/someone/convdoc/build")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert build_cache.cache_dir() == Path.home() / ".cache" / "convdoc" / "build"
    assert not build_cache.cache_dir().resolve().is_relative_to(ROOT)


def test_only_the_most_recently_used_entries_of_a_kind_are_kept(cache):
    store = build_cache.Store("kind", keep=2)
    for key in ("a", "b", "c"):
        store.put(key, key.encode())
    assert store.get("a") is None and store.get("b") == b"b" and store.get("c") == b"c"
    unlimited = build_cache.Store("many", keep=None)
    for key in ("a", "b", "c"):
        unlimited.put(key, key.encode())
    assert all(unlimited.get(key) for key in "abc")


def test_an_unwritable_cache_is_skipped(monkeypatch, tmp_path):
    (tmp_path / "a file").write_text("not a directory")
    monkeypatch.setenv("CONVDOC_BUILD_CACHE", str(tmp_path / "a file" / "cache"))
    store = build_cache.Store("kind")
    store.put("k", b"bytes")  # a warning, not an error: the build goes on
    assert store.get("k") is None


def test_a_key_covers_the_contents_of_its_files(tmp_path):
    source = tmp_path / "hook.py"
    source.write_text("one")
    first = build_cache.fingerprint(source, "1.0")
    assert build_cache.fingerprint(source, "1.0") == first
    assert build_cache.fingerprint(source, "1.1") != first
    source.write_text("two")
    assert build_cache.fingerprint(source, "1.0") != first
    assert build_cache.fingerprint("ab", "c") != build_cache.fingerprint("a", "bc")


def test_the_typesetting_and_font_keys_cover_the_hook_and_the_versions():
    typesetting, font = mathml.typesetting_inputs(), mathml.font_inputs()
    here = Path(mathml.__file__)
    assert here in typesetting and here in font
    assert mathml.font_source() in font and mathml.mathjax_dir() / "input/tex-full.js" in typesetting
    assert any(isinstance(part, str) and part[0].isdigit() for part in typesetting)  # mini-racer's version
    assert any(isinstance(part, str) and part[0].isdigit() for part in font)  # fontTools'


# --- formulas: TeX to MathML ------------------------------------------------------------------------


class CountingMathJax(mathml.MathJax):
    """Stands in for MathJax in V8: counts starts and formulas."""

    starts = 0
    formulas: list[str] = []

    def __init__(self):
        type(self).starts += 1

    def tex2mml(self, tex, display):
        if tex == r"\bad":
            raise mathml.TeXError("Undefined control sequence \\bad")
        type(self).formulas.append(tex)
        return f'<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>{tex}</mi></math>'

    def close(self):
        pass


@pytest.fixture
def v8(monkeypatch):
    monkeypatch.setattr(CountingMathJax, "starts", 0)
    monkeypatch.setattr(CountingMathJax, "formulas", [])
    monkeypatch.setattr(mathml, "MathJax", CountingMathJax)
    return CountingMathJax


PAGE = '<p><span class="arithmatex">\\(a\\)</span> and <div class="arithmatex">\\[b\\]</div></p>'


def typeset(page: str, key: str = "key") -> str:
    kept = mathml.KeptMathML(build_cache.Store("mathml"), key)
    try:
        return mathml.render_page(page, kept, "page.md")[0]
    finally:
        kept.close()
        kept.save()


def test_formulas_are_typeset_once_and_read_on_the_next_build(v8):
    first = typeset(PAGE)
    assert v8.starts == 1 and v8.formulas == ["a", "b"]
    assert typeset(PAGE) == first
    assert v8.starts == 1, "V8 was started although every formula was kept"
    assert typeset(PAGE.replace("\\(a\\)", "\\(c\\)")).count("<math") == 2
    assert v8.formulas == ["a", "b", "c"], "only the new formula is typeset"


def test_the_kept_mathml_is_what_mathjax_gives(v8):
    direct = mathml.render_page(PAGE, CountingMathJax(), "page.md")[0]
    typeset(PAGE)
    assert typeset(PAGE) == direct


def test_a_changed_hook_or_version_typesets_again(v8):
    typeset(PAGE, key="old")
    typeset(PAGE, key="new")
    assert v8.formulas == ["a", "b", "a", "b"]


def test_ci_typesets_every_formula(v8, monkeypatch):
    typeset(PAGE)
    monkeypatch.setenv("CI", "1")
    typeset(PAGE)
    assert v8.formulas == ["a", "b", "a", "b"]


@pytest.mark.parametrize("damage", [b"{not json", b'["a", "list"]', b'{"inline:a": 1}'])
def test_kept_formulas_that_are_not_ours_are_not_used(v8, damage):
    build_cache.Store("mathml").put("key", damage)  # intact bytes, but not a table of formulas
    typeset(PAGE)
    assert v8.formulas == ["a", "b"]


def test_a_formula_that_does_not_typeset_is_never_kept(v8):
    with pytest.raises(mathml.TeXError, match=r"page.md: the formula '\\\\bad'"):
        typeset(PAGE + '<span class="arithmatex">\\(\\bad\\)</span>')
    kept = json.loads(build_cache.Store("mathml").get("key"))
    assert sorted(kept) == ["display:b", "inline:a"]  # the good ones typeset before it are kept


# --- the math font ----------------------------------------------------------------------------------


def test_the_font_is_cut_once_per_set_of_characters(monkeypatch, tmp_path):
    cuts = []
    monkeypatch.setattr(convdoc_site.mathml, "math_font", lambda chars: cuts.append(chars) or b"woff" + "".join(sorted(chars)).encode())

    def site(formula_text: str) -> Path:
        site_dir = tmp_path / f"site-{len(list(tmp_path.iterdir()))}"
        site_dir.mkdir()
        (site_dir / "index.html").write_text(f"<p><math><mi>x</mi><mo>{formula_text}</mo></math></p>", encoding="utf-8")
        convdoc_site.write_math_assets(site_dir)
        return site_dir / convdoc_site.MATH_DIR / "math.woff"

    first = site("+")
    assert len(cuts) == 1
    assert site("+").read_bytes() == first.read_bytes() and len(cuts) == 1, "not read from the cache"
    assert site("=").read_bytes() != first.read_bytes() and len(cuts) == 2, "other characters, another font"


def test_the_kept_font_is_the_font_fonttools_cuts():
    chars = {"x", "=", "\U0001d465"}
    store = build_cache.Store("font")
    store.put("k", mathml.math_font(chars))
    assert store.get("k") == mathml.math_font(chars)


# --- Jinja's compiled templates ------------------------------------------------------------------


def environment(templates: dict[str, str], compiled: list[str]) -> jinja2.Environment:
    class Counting(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
            compiled.append(name)
            return super().compile(source, name, filename, raw, defer_init)

    return Counting(loader=jinja2.DictLoader(templates), bytecode_cache=build_cache.JinjaBytecode())


def test_templates_are_compiled_once_and_read_on_the_next_build():
    compiled: list[str] = []
    templates = {"page.html": "<h1>{{ title }}</h1>{% include 'footer.html' %}", "footer.html": "<footer>{{ 1 + 1 }}</footer>"}
    first = environment(templates, compiled).get_template("page.html").render(title="T")
    assert first == "<h1>T</h1><footer>2</footer>" and sorted(compiled) == ["footer.html", "page.html"]
    assert environment(templates, compiled).get_template("page.html").render(title="T") == first
    assert len(compiled) == 2, "compiled again although kept"
    templates["footer.html"] = "<footer>{{ 2 + 2 }}</footer>"
    assert environment(templates, compiled).get_template("page.html").render(title="T") == "<h1>T</h1><footer>4</footer>"
    assert compiled[2:] == ["footer.html"], "only the changed template is compiled again"


def test_a_damaged_template_entry_is_compiled_again(cache):
    compiled: list[str] = []
    environment({"t.html": "{{ 6 * 7 }}"}, compiled).get_template("t.html")
    for entry in cache.iterdir():
        entry.write_bytes(entry.read_bytes()[:-5])
    assert environment({"t.html": "{{ 6 * 7 }}"}, compiled).get_template("t.html").render() == "42"
    assert compiled == ["t.html", "t.html"]


def test_the_site_hook_gives_the_theme_and_mkdocstrings_the_template_cache():
    class Handler:
        env = jinja2.Environment()

    class Handlers:
        def get_handler(self, name):
            assert name == "python"
            return Handler

    class Plugins(dict):
        pass

    config = type("Config", (), {"plugins": Plugins(mkdocstrings=type("Plugin", (), {"handlers": Handlers()})())})()
    convdoc_site.on_pre_build(config)  # before the pages are read: the API pages render their directives then
    env = convdoc_site.on_env(jinja2.Environment(), config, files=None)
    for cache in (env.bytecode_cache, Handler.env.bytecode_cache):
        assert isinstance(cache, convdoc_site.build_cache.JinjaBytecode)  # the hook loads its own copy


# --- the search index's synonyms: a cheap test before each regex ------------------------------------

TERMS = sorted({term for group in search_synonyms.groups() for term in group.match + group.add})
TRICKY = "aAsSkK\u017f\u212a\u0130i\u0131\u00df \u200b-=\"_.×x7卷积扩张空洞 \n"


@given(words=st.lists(st.sampled_from(TERMS), max_size=4), noise=st.text(alphabet=TRICKY, max_size=12), data=st.data())
def test_the_synonyms_count_what_the_regexes_count(words, noise, data):
    text = noise.join(data.draw(st.sampled_from([w, w.upper(), w.lower(), w.title()])) for w in words) + noise
    for term in TERMS:
        assert search_synonyms.count(text, term) == len(search_synonyms._regex(term).findall(text)), term


# --- the notebooks' HTML (hooks/notebooks.py): kept beside the executed notebook ------------------


class NotebookPage:
    """Stands in for a notebook page whose render mkdocs-jupyter set: counts conversions."""

    def __init__(self, executed: Path, conversions: list):
        self.file = type("File", (), {"src_uri": "notebooks/feature-maps.py", "abs_src_path": str(executed)})()
        self.title, self.conversions = "Feature maps", conversions

    def render(self, config, files):
        from mkdocs.structure.toc import get_toc

        self.conversions.append(Path(self.file.abs_src_path).read_text())
        self.content = f"<h2 id='a'>A</h2><p>{Path(self.file.abs_src_path).read_text()}</p>"
        self.toc = get_toc([{"name": "A", "id": "a", "level": 2, "children": [{"name": "B", "id": "b", "level": 3, "children": []}]}])
        self.title = "Feature maps (converted)"


def render_notebook(executed: Path, conversions: list) -> NotebookPage:
    config = type("Config", (), {"plugins": {"mkdocs-jupyter": type("Plugin", (), {"config": {"theme": "light"}})()}})()
    page = notebooks.on_pre_page(NotebookPage(executed, conversions), config, files=None)
    page.render(config, None)
    return page


@pytest.fixture
def executed(monkeypatch, tmp_path):
    monkeypatch.delenv("CONVDOC_EXECUTE_NOTEBOOKS", raising=False)
    path = tmp_path / "notebooks" / "feature-maps.zh.0123.ipynb"
    path.parent.mkdir()
    path.write_text('{"cells": "executed"}')
    return path


def test_a_notebook_is_converted_once_and_read_on_the_next_build(executed):
    conversions: list = []
    first = render_notebook(executed, conversions)
    again = render_notebook(executed, conversions)
    assert len(conversions) == 1, "converted again although kept"
    assert (again.content, again.title) == (first.content, "Feature maps (converted)")
    assert [(a.title, a.id, a.level, [c.id for c in a.children]) for a in again.toc] == [("A", "a", 2, ["b"])]
    assert notebooks.rendered_entry(executed).parent == executed.parent  # beside it, in the notebook cache
    executed.write_text('{"cells": "executed again"}')
    assert "executed again" in render_notebook(executed, conversions).content and len(conversions) == 2


@pytest.mark.parametrize("switch", [("CI", "true"), ("CONVDOC_EXECUTE_NOTEBOOKS", "1")])
def test_ci_and_the_force_switch_convert_every_notebook(executed, monkeypatch, switch):
    conversions: list = []
    render_notebook(executed, conversions)
    monkeypatch.setenv(*switch)
    render_notebook(executed, conversions)
    assert len(conversions) == 2


@pytest.mark.parametrize("damage", ["{not json", '{"key": "another", "content": "", "toc": [], "title": null}', '{"key": 1}'])
def test_a_damaged_conversion_is_not_used(executed, damage):
    conversions: list = []
    render_notebook(executed, conversions)
    entry = notebooks.rendered_entry(executed)
    key = json.loads(entry.read_text())["key"]
    entry.write_text(damage.replace('"another"', json.dumps(key + "x")))
    assert render_notebook(executed, conversions).content.startswith("<h2") and len(conversions) == 2


# --- Material's search entries (hooks/convdoc_site.py) ----------------------------------------------


class SearchIndex:
    """Stands in for Material's SearchIndex: counts the pages it reads."""

    def __init__(self, read: list):
        self.entries, self.read = [], read

    def add_entry_from_context(self, page):
        self.read.append(page.url)
        self.entries.append({"location": page.url, "title": page.title, "text": page.content + " 索引"})


class SearchPage:
    def __init__(self, url, content, title="T"):
        self.url, self.content, self.title, self.meta = url, content, title, {"description": "d"}
        self.toc = []


def index_pages(pages, read: list) -> list:
    """One build: the pages indexed through the kept entries, then saved."""
    index = SearchIndex(read)
    convdoc_site.keep_search_entries(index, {"lang": ["en"], "separator": "[\\s]"})
    for page in pages:
        index.add_entry_from_context(page)
    convdoc_site.save_search_entries()
    return index.entries


@pytest.fixture
def kept_search():
    convdoc_site._SEARCH_ENTRIES.clear()
    yield
    convdoc_site._SEARCH_ENTRIES.clear()


def test_search_entries_are_made_once_and_read_on_the_next_build(kept_search):
    read: list = []
    pages = [SearchPage("a/", "<p>one</p>"), SearchPage("b/", "<p>two</p>")]
    first = index_pages(pages, read)
    assert index_pages(pages, read) == first and read == ["a/", "b/"], "read again although kept"
    changed = [pages[0], SearchPage("b/", "<p>two, edited</p>")]
    assert index_pages(changed, read)[1]["text"] == "<p>two, edited</p> 索引" and read[2:] == ["b/"]
    assert index_pages([SearchPage("a/", "<p>one</p>", title="Other")], read) and read[3:] == ["a/"], "the title is in the key"


def test_search_entries_are_never_read_under_ci(kept_search, monkeypatch):
    read: list = []
    index_pages([SearchPage("a/", "x")], read)
    monkeypatch.setenv("CI", "1")
    index_pages([SearchPage("a/", "x")], read)
    assert read == ["a/", "a/"]


def test_damaged_search_entries_are_made_again(kept_search, cache):
    read: list = []
    index_pages([SearchPage("a/", "x")], read)
    (entry,) = cache.glob("search-*")
    key = entry.name.removeprefix("search-")
    page_key = next(iter(json.loads(build_cache.Store("search").get(key))))
    for damage in (b"[1, 2]", json.dumps({page_key: "not a list"}).encode(), json.dumps({page_key: [1]}).encode()):
        build_cache.Store("search").put(key, damage)
        assert index_pages([SearchPage("a/", "x")], read)[0]["text"] == "x 索引"
    assert read == ["a/"] * 4
