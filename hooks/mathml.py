"""Formulas typeset at build time: TeX to MathML, read by the browser itself (issue 17).

The site used to send MathJax to every reader (its combined component is 1.17 MB
before its fonts) to typeset a page's formulas in the browser. Chromium,
Firefox and Safari now lay out MathML Core themselves, so the TeX of each
formula is turned into MathML while the site is built:

* by MathJax's own TeX parser, the same one as before: MathJax 3 from the
  ``django-static-mathjax`` package runs in V8 (the ``mini-racer`` package),
  with all of its TeX packages loaded (``input/tex-full``) but ``noerrors`` and
  ``noundefined``, so an unknown macro or a TeX error fails the build, naming
  the page and the formula;
* then adapted to MathML Core: what MathJax writes in MathML 3 only (table
  alignment and spacing, named spaces, accents known from its operator
  dictionary) becomes what Core browsers read (CSS on the cells, lengths,
  ``accent="true"`` with the spacing forms of ^ and ~), and TeX's spacing
  between atoms (by TeX class: none around ``=`` in a subscript, a thin space
  after a function name...), which MathJax computes for its own output, is
  written out as ``<mspace>``, every ``<mo>`` adding no space of its own;
* with the TeX kept beside it, ``<semantics>…<annotation encoding="application/x-tex">``,
  which browsers do not display.

The math font is STIX Two Math (OFL 1.1, shipped in the ``ziamath`` package),
cut down by fontTools to the characters the site's formulas use and renamed as
the licence asks of a modified font: a math font with an OpenType MATH table is
what MathML needs to stretch brackets and place scripts, and readers' systems do
not all have one. Pages with formulas link ``mathml.css`` and preload the font;
pages without formulas load neither.
"""

from __future__ import annotations

import contextlib
import html
import importlib.metadata
import importlib.util
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSS = HERE / "mathml.css"
FONT_FAMILY = "Convdoc Math"

# <span class="arithmatex">\(...\)</span> and <div class="arithmatex">\[...\]</div>, as written by
# pymdownx.arithmatex (generic mode) and, for the notebooks' Markdown cells, by hooks/notebooks.py
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])\s*</(?P=tag)>',
    re.DOTALL,
)
MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.DOTALL)

TOKENS = {"mi", "mn", "mo", "mtext", "ms", "annotation"}
# MathML 3's named spaces (MathML Core takes lengths only)
NAMED_SPACES = {
    "veryverythinmathspace": "0.0556em", "verythinmathspace": "0.1111em", "thinmathspace": "0.1667em",
    "mediummathspace": "0.2222em", "thickmathspace": "0.2778em", "verythickmathspace": "0.3333em",
    "veryverythickmathspace": "0.3889em",
}
for _name, _value in list(NAMED_SPACES.items()):
    NAMED_SPACES["negative" + _name] = "-" + _value
# what MathJax sets as accents through its operator dictionary (\hat, \bar, \vec, \tilde, \dot...)
SPACING_ACCENTS = {"^": "\u02c6", "~": "\u02dc"}
ACCENTS = set("^~`\u00a8\u00af\u00b4\u02c6\u02c7\u02c9\u02d8\u02d9\u02da\u02dc\u2192\u20d7")


def mathjax_dir() -> Path:
    """MathJax 3's ``es5`` folder, from the django-static-mathjax package."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("MathJax not found: install the docs dependencies (uv sync)")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "es5"


def font_source() -> Path:
    spec = importlib.util.find_spec("ziamath")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("STIX Two Math not found (package ziamath): install the docs dependencies (uv sync)")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / "STIXTwoMath-Regular.ttf"


class TeXError(ValueError):
    pass


class MathJax:
    """MathJax's TeX input in V8: ``tex2mml(tex, display)`` gives MathML (MathML 3, as MathJax writes it).

    Each node carries the space that TeX puts before it in ``data-tex-space`` (:func:`to_core`
    makes it an ``<mspace>``). ``close()`` when done.
    """

    FILES = ("core.js", "adaptors/liteDOM.js", "input/tex-full.js")
    SETUP = r"""
var window = globalThis;
var MathJax = {
  loader: {
    paths: {mathjax: '.'},
    load: ['adaptors/liteDOM', 'input/tex-full'],
    require: function (url) {
      var name = url.replace(/^\.\//, '').replace(/\.js$/, '');
      if (!(name in FILES)) throw new Error('MathJax asks for ' + url + ', not loaded by hooks/mathml.py');
      (0, eval)(FILES[name]);
    },
  },
  tex: {
    packages: {'[-]': ['noerrors', 'noundefined', 'autoload', 'require', 'bussproofs']},  // bussproofs needs an output jax
    formatError: function (jax, error) { throw new Error(error.message); },  // TeX errors fail the build
  },
  startup: {typeset: false},
};
// MathML, with the space TeX puts before each node (its spacing table, by TeX class: none in scripts,
// thin after a function name...) kept as data-tex-space, as MathJax's own output jaxes place it
function convdocMathML(tex, display) {
  var root = MathJax.startup.document.convert(tex, {display: display, end: MathJax._.core.MathItem.STATE.CONVERT});
  root.setTeXclass(null);
  root.walkTree(function (node) {
    var space = node.texSpacing();
    if (space) node.attributes.set('data-tex-space', space);
  });
  return MathJax.startup.toMML(root);
}
"""

    def __init__(self):
        from py_mini_racer import MiniRacer

        es5 = mathjax_dir()
        self.ctx = MiniRacer()
        files = {name.removesuffix(".js"): (es5 / name).read_text(encoding="utf-8") for name in self.FILES}
        self.ctx.eval("var FILES = " + json.dumps(files) + ";" + self.SETUP)
        self.ctx.eval((es5 / "startup.js").read_text(encoding="utf-8"))
        # MathJax starts through a promise. mini-racer refuses to wait for a JS promise where an
        # asyncio loop runs (Playwright's sync API keeps one in the tests' main thread), so the
        # promise writes its outcome to a global, and V8 runs pending promise jobs after each eval.
        self.ctx.eval("globalThis.convdocReady = ''; MathJax.startup.promise.then("
                      "() => { convdocReady = 'ready' }, (e) => { convdocReady = 'failed: ' + e.message })")
        deadline = time.monotonic() + 60
        while not (state := self.ctx.eval("convdocReady")) and time.monotonic() < deadline:
            time.sleep(0.001)
        if state != "ready":
            raise RuntimeError(f"MathJax did not start in mini-racer: {state}")
        self.cache: dict[tuple[str, bool], str] = {}

    def close(self) -> None:
        self.ctx.close()  # a context left open can keep the interpreter from exiting

    def mathml(self, tex: str, display: bool) -> str:
        return mathml(self, tex, display)

    def tex2mml(self, tex: str, display: bool) -> str:
        key = (tex, display)
        if key not in self.cache:
            from py_mini_racer import JSEvalException

            try:
                self.cache[key] = self.ctx.call("convdocMathML", tex, display)
            except JSEvalException as exc:
                first = str(exc).strip().splitlines()[0]  # "undefined:1: Error: <TeX's message>", then the source
                raise TeXError(re.sub(r"^.*?:\d+: (?:\w*Error: )?", "", first)) from None
        return self.cache[key]


def _length(value: str) -> str:
    return NAMED_SPACES.get(value, value)


def _half(value: str) -> str:
    """Half a length: "3pt" -> "1.5pt", "0em" -> "0"."""
    m = re.fullmatch(r"(-?[0-9.]+)([a-z%]*)", _length(value))
    if m is None:
        return f"calc({value} / 2)"
    number = float(m.group(1)) / 2
    return "0" if number == 0 else f"{number:g}{m.group(2)}"


def _table(table: ET.Element) -> None:
    """MathML 3 ``columnalign``/``columnspacing``/``rowspacing`` as CSS on the cells (MathML Core ignores them)."""
    align = table.attrib.pop("columnalign", "center").split()
    spacing = [_half(s) for s in table.attrib.pop("columnspacing", "0.8em").split()]
    rowspacing = [_half(s) for s in table.attrib.pop("rowspacing", "1.0ex").split()]
    rows = [row for row in table if row.tag in ("mtr", "mlabeledtr")]
    for r, row in enumerate(rows):
        cells = [cell for cell in row if cell.tag == "mtd"]
        top = rowspacing[min(r - 1, len(rowspacing) - 1)] if r else "0"
        bottom = rowspacing[min(r, len(rowspacing) - 1)] if r < len(rows) - 1 else "0"
        for c, cell in enumerate(cells):
            left = spacing[min(c - 1, len(spacing) - 1)] if c else "0"
            right = spacing[min(c, len(spacing) - 1)] if c < len(cells) - 1 else "0"
            padding = " ".join([top, right, bottom, left])
            text_align = cell.attrib.pop("columnalign", align[min(c, len(align) - 1)])
            rules = [f"text-align:{text_align}", "padding:0" if set(padding.split()) == {"0"} else f"padding:{padding}"]
            cell.set("style", ";".join(filter(None, [cell.get("style"), *rules])))


ROWS = {"math", "mrow", "mstyle", "mtd", "mpadded", "msqrt", "mphantom", "menclose", "merror"}


def _tex_spacing(root: ET.Element) -> None:
    """TeX's spacing, made explicit: an ``<mo>`` adds no space of its own (MathML Core would add
    its operator dictionary's, in scripts too), each ``data-tex-space`` becomes an ``<mspace>``."""
    for element in root.iter("mo"):
        element.attrib.setdefault("lspace", "0")
        element.attrib.setdefault("rspace", "0")
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            space = child.attrib.pop("data-tex-space", None)
            if space is None or index == 0:
                continue
            if parent.tag in ROWS:
                parent.insert(index, ET.Element("mspace", width=_length(space)))
            elif child.tag == "mo":
                child.set("lspace", _length(space))


def to_core(root: ET.Element) -> None:
    """MathJax's MathML 3 as MathML Core (in place)."""
    _tex_spacing(root)
    for element in root.iter():
        for name in [n for n in element.attrib if n.startswith("data-mjx-")]:
            del element.attrib[name]
        for name in ("lspace", "rspace", "width", "height", "depth", "voffset", "minsize", "maxsize"):
            if name in element.attrib:
                element.set(name, _length(element.get(name)))
        if element.tag in TOKENS:
            element.tail = None if not (element.tail or "").strip() else element.tail
        else:
            if not (element.text or "").strip():
                element.text = None
            if not (element.tail or "").strip():
                element.tail = None
        if element.tag in ("mover", "munderover") and len(element) >= 2:
            over = element[-1]
            if over.tag == "mo" and (over.text or "") in ACCENTS and "accent" not in element.attrib:
                element.set("accent", "true")
                # ASCII ^ and ~ are drawn high and small above a letter: the accents' spacing forms
                over.text = SPACING_ACCENTS.get(over.text, over.text)
        if element.tag in ("munder", "munderover") and len(element) >= 2:
            under = element[1]
            if under.tag == "mo" and (under.text or "") in ACCENTS and "accentunder" not in element.attrib:
                element.set("accentunder", "true")
        if element.tag == "mtable":
            _table(element)


def mathml(mathjax: MathJax, tex: str, display: bool) -> str:
    """The MathML Core of a formula, with its TeX as an annotation."""
    source = mathjax.tex2mml(tex, display)
    root = ET.fromstring(source.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1))
    to_core(root)
    children = list(root)
    for child in children:
        root.remove(child)
    semantics = ET.SubElement(root, "semantics")
    if len(children) == 1:
        semantics.append(children[0])
    else:
        ET.SubElement(semantics, "mrow").extend(children)
    annotation = ET.SubElement(semantics, "annotation", encoding="application/x-tex")
    annotation.text = tex
    return ET.tostring(root, encoding="unicode", short_empty_elements=False)


def typesetting_inputs() -> tuple:
    """What :func:`mathml` depends on besides the formula: this file, MathJax's files, V8's version."""
    es5 = mathjax_dir()
    return (Path(__file__), *(es5 / name for name in (*MathJax.FILES, "startup.js")),
            importlib.metadata.version("mini-racer"))


class KeptMathML:
    """:func:`mathml` with its results kept between builds in ``store`` (hooks/build_cache.py), under a
    key over :func:`typesetting_inputs`: V8 starts only for a formula that was never typeset. ``save()``
    stores the new results, ``close()`` stops V8, if it was started."""

    def __init__(self, store, key: str):
        self.store, self.key = store, key
        self.formulas: dict[str, str] = {}
        with contextlib.suppress(ValueError, TypeError):  # bytes that are not our JSON: a miss
            kept = json.loads(store.get(key) or b"{}")
            if isinstance(kept, dict) and all(isinstance(v, str) for v in kept.values()):
                self.formulas = kept
        self.added = 0
        self._mathjax: MathJax | None = None

    def mathml(self, tex: str, display: bool) -> str:
        name = ("display:" if display else "inline:") + tex
        if name not in self.formulas:
            if self._mathjax is None:
                self._mathjax = MathJax()
            self.formulas[name] = mathml(self._mathjax, tex, display)
            self.added += 1
        return self.formulas[name]

    def save(self) -> None:
        if self.added:
            self.store.put(self.key, json.dumps(self.formulas, ensure_ascii=False, sort_keys=True).encode())
            self.added = 0

    def close(self) -> None:
        if self._mathjax is not None:
            self._mathjax.close()
            self._mathjax = None


def render_page(page_html: str, mathjax: MathJax | KeptMathML, where: str) -> tuple[str, int]:
    """Every arithmatex formula of a page as MathML; the new HTML and the number of formulas."""
    count = 0

    def one(match: re.Match) -> str:
        nonlocal count
        display = match.group("display") is not None
        tex = html.unescape(match.group("display") if display else match.group("inline")).strip()
        try:
            formula = mathjax.mathml(tex, display)
        except TeXError as exc:
            raise TeXError(f"{where}: the formula {tex!r} does not typeset: {exc}") from None
        count += 1
        return f'<{match.group("tag")} class="arithmatex">{formula}</{match.group("tag")}>'

    return ARITHMATEX.sub(one, page_html), count


# --- the font ---------------------------------------------------------------------------------------

MI = re.compile(r"<mi(?P<attrs>[^>]*)>(?P<text>[^<]*)</mi>")
TAG = re.compile(r"<[^>]+>")
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.DOTALL)


def italic(char: str) -> str:
    """The mathematical italic form that MathML Core draws for a letter alone in ``<mi>`` (text-transform: math-auto)."""
    code = ord(char)
    if char == "h":
        return "\u210e"  # Planck constant: the italic h of Unicode
    if "A" <= char <= "Z":
        return chr(0x1D434 + code - ord("A"))
    if "a" <= char <= "z":
        return chr(0x1D44E + code - ord("a"))
    if "\u0391" <= char <= "\u03a9" and char != "\u03a2":
        return chr(0x1D6E2 + code - 0x391)
    if "\u03b1" <= char <= "\u03c9":
        return chr(0x1D6FC + code - 0x3B1)
    return char


def math_characters(site_html: str) -> set[str]:
    """The characters that the ``<math>`` elements of some HTML draw (the TeX annotations left out)."""
    chars: set[str] = set()
    for element in MATH_ELEMENT.findall(site_html):
        element = ANNOTATION.sub("", element)
        for mi in MI.finditer(element):
            text = html.unescape(mi.group("text"))
            if len(text) == 1 and "mathvariant" not in mi.group("attrs"):
                chars.add(italic(text))
        chars.update(html.unescape(TAG.sub("", element)))
    return chars


def font_inputs() -> tuple:
    """What :func:`math_font` depends on besides the characters: this file, STIX Two Math, fontTools' version."""
    return Path(__file__), font_source(), importlib.metadata.version("fonttools")


def math_font(chars: set[str]) -> bytes:
    """STIX Two Math cut down to ``chars`` as WOFF, renamed ``FONT_FAMILY``.

    The MATH table's size variants and parts of the characters are kept, and their script forms
    (``ssty``): the browser asks for them. Characters that are not in the font (Chinese in
    ``\\text``) are drawn in the page's fonts (hooks/mathml.css).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(font_source(), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["ssty", "flac", "dtls", "kern", "mark", "mkmk"]
    options.name_IDs = ["*"]  # the copyright and the licence (IDs 0, 13, 14) go with the font
    options.hinting = False
    options.notdef_outline = True
    options.flavor = "woff"
    subsetter = subset.Subsetter(options)
    unicodes = {ord(c) for c in chars}
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    # OFL 1.1: a modified font does not keep the original's name
    names = {1: FONT_FAMILY, 3: f"{FONT_FAMILY}; a subset made by convdoc (hooks/mathml.py)",
             4: FONT_FAMILY, 6: FONT_FAMILY.replace(" ", "")}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
        elif record.nameID in (16, 17, 21, 22):
            record.string = FONT_FAMILY if record.nameID in (16, 21) else "Regular"
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
