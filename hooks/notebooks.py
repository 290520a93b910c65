"""MkDocs hook: the notebooks (``docs/notebooks/*.py``), written once, executed once, served light.

**One source for both languages.** ``docs/notebooks/feature-maps.py`` is a single
jupytext (percent format) notebook. A cell with no ``lang`` metadata is shared by
every language; a cell marked ``# %% [markdown] lang="zh"`` (or ``# %% lang="en"``
for code: the plot titles) belongs to that language only. Language cells come in
runs, each holding every language's version of the same cells (same number, same
kinds), so the code is written once and each paragraph sits beside its
translation. The jupytext header's ``description`` maps each language to the
page description. :func:`generate` makes one plain notebook per language; the
pages keep their URLs (``feature-maps.py`` -> /notebooks/feature-maps/, and a
``notebooks/feature-maps.en.py`` page that this hook adds for mkdocs-static-i18n
-> /en/notebooks/feature-maps/).

**Executed once, cached.** :func:`executed` runs the per-language notebooks with
nbclient, several kernels at once, and stores each executed ``.ipynb`` in the
cache (:func:`cache_dir`: ``$CONVDOC_NOTEBOOK_CACHE``, else
``$XDG_CACHE_HOME/convdoc/notebooks``, else ``~/.cache/convdoc/notebooks``),
under a key (:func:`cache_key`) that covers everything the outputs depend on:
the generated notebook, the hash of convdoc's source files, the Python version
and every installed distribution's version, the fonts matplotlib finds and its
matplotlibrc. A cell that fails raises :class:`NotebookFailed` (the build fails,
as ``allow_errors: false`` did) and nothing is stored for that notebook. Under
``CI`` (any value), or with ``CONVDOC_EXECUTE_NOTEBOOKS=1``, the cache is never
read: every notebook is executed (once per process: the English build that
mkdocs-static-i18n runs after the Chinese one reuses this process's fresh
results). The page's source file then *is* the executed notebook, which
mkdocs-jupyter renders with ``execute: false`` (its ``include`` matches
``*.ipynb``). ``tests/test_notebooks.py`` checks the very notebooks the build
rendered, through :func:`built_notebook`. mkdocs-jupyter's HTML of an executed
notebook is kept beside it (:func:`on_pre_page`), under the same rules: a second
build neither executes nor converts it.

**Light pages.** nbconvert's output is rewritten in :func:`notebook_html`:

1. JupyterLab's stylesheet (575 KB per page), the clipboard script and nbconvert's
   MathJax 2 / mermaid loaders from cdnjs.cloudflare.com are removed; the few rules
   the cells need are ``docs/stylesheets/notebook.css``, linked from the notebook
   pages only. Code cells become Material code blocks (``.highlight``), coloured
   and copied like every other code block of the site, in both palettes.
2. Plots become image files beside the page (named by the hash of their bytes,
   the kernel's own JPEG/PNG bytes, unchanged), with their size and
   ``loading="lazy"``; each gets an alt text in the page's language, the last
   paragraph of the Markdown cell before it.
3. ``$...$`` / ``$$...$$`` of the Markdown cells are marked up the way
   pymdownx.arithmatex marks up the Markdown pages, so hooks/mathml.py turns
   them into MathML at build time, as it does the pages' formulas.
4. Headings get the ids of the page's table of contents (nbconvert gives Chinese
   headings ``id=""``), with a Material ``headerlink``; the random cell ids become
   numbers, so two builds give the same HTML.

mkdocs-static-i18n rebuilds every ``File`` of the site after other plugins ran,
so MkDocs must itself count ``.py`` and ``.ipynb`` as documentation pages;
otherwise they are copied as static files, or shown as raw text
(mkdocs-static-i18n issue 198). This module adds them to
``mkdocs.utils.markdown_extensions`` when MkDocs loads it.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import copy
import functools
import hashlib
import html
import importlib.metadata
import importlib.util
import io
import itertools
import json
import logging
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable

import mkdocs.utils
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

try:  # MkDocs loads a hook from its path, with hooks/ on sys.path while it runs
    import build_cache
except ImportError:  # imported as hooks.notebooks (the tests)
    from hooks import build_cache

log = logging.getLogger("mkdocs.hooks.notebooks")

NOTEBOOK_SUFFIXES = (".py", ".ipynb")
mkdocs.utils.markdown_extensions = tuple(
    dict.fromkeys(mkdocs.utils.markdown_extensions + NOTEBOOK_SUFFIXES)
)

SOURCES = "notebooks/*.py"  # below docs/: the jupytext sources
STYLESHEET = "stylesheets/notebook.css"  # below docs/: linked from the notebook pages
LANG = "lang"  # cell metadata: the language a cell belongs to
TIMEOUT = 300  # seconds per cell
CACHE_FORMAT = "2"  # bump when the way notebooks are executed or stored changes
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
KEEP = 4  # cached executions kept per notebook and language (the most recently used)


class NotebookFailed(Exception):
    """A cell raised (the notebook's name, language and nbclient's traceback in the message)."""


# --- one source, a notebook per language ----------------------------------------------------------


def source_languages(nb) -> list[str]:
    """The languages a source has cells or a description for, in order of appearance."""
    langs = [cell.metadata[LANG] for cell in nb.cells if LANG in cell.metadata]
    description = nb.metadata.get("description")
    if isinstance(description, dict):
        langs += list(description)
    return list(dict.fromkeys(langs))


def language_runs(nb) -> list[list[int]]:
    """Indices of the cells of each run of consecutive language cells."""
    runs: list[list[int]] = []
    for i, cell in enumerate(nb.cells):
        if LANG in cell.metadata:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    return runs


def check_source(nb, name: str) -> list[str]:
    """Every run of language cells holds each language's version of the same cells."""
    langs = source_languages(nb)
    problems = []
    description = nb.metadata.get("description")
    if isinstance(description, dict) and sorted(description) != sorted(langs):
        problems.append(f"{name}: the description is in {sorted(description)}, the cells in {sorted(langs)}")
    for run in language_runs(nb):
        kinds = {
            lang: [nb.cells[i].cell_type for i in run if nb.cells[i].metadata[LANG] == lang] for lang in langs
        }
        if len({tuple(k) for k in kinds.values()}) != 1:
            where = f"cells {run[0] + 1}-{run[-1] + 1}" if len(run) > 1 else f"cell {run[0] + 1}"
            found = ", ".join(f"{lang}: {k or 'none'}" for lang, k in kinds.items())
            problems.append(f"{name}, {where}: each language needs the same cells here ({found})")
    return problems


def generate(source: Path, lang: str):
    """The notebook of one language: shared cells and that language's cells, deterministic ids."""
    import jupytext
    import nbformat

    src = jupytext.read(source)
    langs = source_languages(src)
    problems = check_source(src, source.name)
    if langs and lang not in langs:
        problems.append(f"{source.name} has no {lang!r} cells (it has {', '.join(langs)})")
    if problems:
        raise ValueError("; ".join(problems))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = src.metadata.get(
        "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
    )
    description = src.metadata.get("description")
    if isinstance(description, dict):
        description = description[lang]
    if description:
        nb.metadata["description"] = str(description)
    for cell in src.cells:
        if cell.metadata.get(LANG, lang) != lang:
            continue
        cell = copy.deepcopy(cell)
        cell.metadata.pop(LANG, None)
        cell.id = f"cell-{len(nb.cells) + 1}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


# --- the cache -----------------------------------------------------------------------------------


def cache_dir() -> Path:
    return build_cache.cache_dir("notebooks", "CONVDOC_NOTEBOOK_CACHE")


def forced_execution() -> str | None:
    """Why the cache must not be read (None: it may be)."""
    return build_cache.bypassed("CONVDOC_EXECUTE_NOTEBOOKS")


def _hash_tree(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def convdoc_fingerprint() -> str:
    """The hash of convdoc's source files: any change to the package re-executes the notebooks."""
    spec = importlib.util.find_spec("convdoc")
    if spec is None or not spec.submodule_search_locations:
        raise PluginError("convdoc is not importable: run the build with `uv run`")
    return _hash_tree(Path(next(iter(spec.submodule_search_locations))))


@functools.cache
def environment_fingerprint() -> str:
    """Python, every installed distribution's version, matplotlib's fonts and matplotlibrc.

    Computed once per process: restart ``mkdocs serve`` after installing a package or a font.
    """
    import matplotlib
    from matplotlib import font_manager

    dists = sorted({f"{d.name}=={d.version}" for d in importlib.metadata.distributions()})  # .name: no e-mail parsing
    fonts = sorted(f"{f.fname}|{f.name}|{f.style}|{f.weight}" for f in font_manager.fontManager.ttflist)
    rc = Path(matplotlib.matplotlib_fname())
    parts = [sys.version, *dists, *fonts, rc.read_text(encoding="utf-8", errors="replace") if rc.is_file() else ""]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cache_key(nb) -> str:
    import nbformat

    parts = [CACHE_FORMAT, nbformat.writes(nb), convdoc_fingerprint(), environment_fingerprint()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class Job:
    source: Path
    lang: str
    nb: object
    key: str
    path: Path  # the cache entry


_EXECUTED: set[str] = set()  # cache keys this process executed itself


def job(source: Path, lang: str, directory: Path | None = None) -> Job:
    nb = generate(source, lang)
    key = cache_key(nb)
    name = f"{source.name.split('.')[0]}.{lang}.{key[:32]}.ipynb"
    return Job(Path(source), lang, nb, key, (directory or cache_dir()) / name)


def _entry_is_valid(path: Path, key: str) -> bool:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if nb.get("metadata", {}).get("convdoc", {}).get("cache_key") != key:
        return False
    return not any(
        out.get("output_type") == "error" for cell in nb.get("cells", []) for out in cell.get("outputs", [])
    )


def _usable(j: Job, forced: str | None) -> bool:
    if j.key in _EXECUTED:
        return j.path.is_file()
    return forced is None and _entry_is_valid(j.path, j.key)


@contextlib.contextmanager
def _locked(jobs: list[Job]):
    """One build at a time executes a given notebook and language; the others then read its result."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock, at worst two builds execute the same notebook
        yield
        return
    handles = []
    try:
        for lock in sorted({j.path.with_name(j.path.name.rsplit(".", 2)[0] + ".lock") for j in jobs}):
            handle = open(lock, "a")
            handles.append(handle)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        for handle in handles:
            handle.close()


async def execute_async(nb, cwd: Path) -> None:
    """Run every cell of ``nb`` in place; the first failing cell raises CellExecutionError."""
    import nbclient

    client = nbclient.NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        allow_errors=False,
        record_timing=False,  # no timestamps: the same notebook gives the same file
        resources={"metadata": {"path": str(cwd)}},
    )
    await client.async_execute()
    merge_streams(nb)


def merge_streams(nb) -> None:
    """Join each cell's consecutive stdout (or stderr) outputs into one, in place.

    The kernel sends printed text in as many messages as its output buffer was flushed, which
    depends on timing: the same cell could give one output block or two, so that two builds
    differed. Joined, the text is the same every time.
    """
    for cell in nb.cells:
        merged: list = []
        for out in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if out.get("output_type") == "stream" and last is not None and last.get("output_type") == "stream" and last.get("name") == out.get("name"):
                last["text"] = "".join(last["text"]) + "".join(out["text"])
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged


def _run(coroutine):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # called from a running event loop
        return pool.submit(asyncio.run, coroutine).result()


def execute(nb, cwd: Path) -> None:
    _run(execute_async(nb, cwd))


def _store(j: Job) -> None:
    import nbformat

    j.nb.metadata["convdoc"] = {"cache_key": j.key, "source": j.source.name, "lang": j.lang}
    tmp = j.path.with_name(f"{j.path.name}.{os.getpid()}.tmp")
    tmp.write_text(nbformat.writes(j.nb), encoding="utf-8")
    os.replace(tmp, j.path)  # atomic: a reader sees the old entry or the new one, never half of one
    _EXECUTED.add(j.key)
    stem = j.path.name.rsplit(".", 2)[0]  # "feature-maps.zh"
    older = sorted(j.path.parent.glob(f"{stem}.*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in older[KEEP:]:
        for path in (stale, rendered_entry(stale)):
            with contextlib.suppress(OSError):
                path.unlink()


def _execute_all(jobs: list[Job]) -> None:
    async def all_of_them():
        return await asyncio.gather(*(execute_async(j.nb, j.source.parent) for j in jobs), return_exceptions=True)

    for what in jobs:
        log.info(f"Executing {what.source.name} ({what.lang})")
    failures = []
    for j, result in zip(jobs, _run(all_of_them())):
        if isinstance(result, BaseException):
            failures.append((j, result))
        else:
            _store(j)
    if failures:
        j, error = failures[0]
        message = ANSI.sub("", str(error))  # the kernel's traceback, without its colours
        raise NotebookFailed(f"{j.source.name} ({j.lang}): a cell failed\n{message}") from error


def executed(pairs: Iterable[tuple[Path, str]]) -> list[Path]:
    """The executed notebook (a cache entry) of each ``(source, language)``; misses run in parallel."""
    forced = forced_execution()
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning(f"notebook cache {directory} is not writable ({exc}): executing into a temporary directory")
        directory = Path(tempfile.mkdtemp(prefix="convdoc-notebooks-"))
    jobs = [job(Path(source), lang, directory) for source, lang in pairs]
    todo = [j for j in jobs if not _usable(j, forced)]
    if todo:
        with _locked(todo):
            todo = [j for j in todo if not _usable(j, forced)]  # another build may just have run them
            if todo and forced:
                log.info(f"Executing notebooks without reading the cache: {forced}")
            if todo:
                _execute_all(todo)
    ran = {id(j) for j in todo}
    for j in jobs:
        if id(j) not in ran:
            with contextlib.suppress(OSError):
                os.utime(j.path)  # recently used: evicted last
    return [j.path for j in jobs]


def built_notebook(source: Path, lang: str):
    """The executed notebook a build made (or took from the cache) for ``source`` in ``lang``.

    Never executes: for the tests, which check what the site build rendered.
    """
    import nbformat

    j = job(Path(source), lang)
    if not _entry_is_valid(j.path, j.key):
        raise FileNotFoundError(f"no executed notebook for {source.name} ({lang}) at {j.path}: build the site first")
    return nbformat.read(j.path, as_version=4)


# --- the pages ---------------------------------------------------------------------------------


def site_languages(config) -> list[str]:
    """The languages the site builds, the default first."""
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        default = i18n.default_language
        return [default] + [lang for lang in i18n.build_languages if lang != default]
    return [config.theme.get("language") or "en"]


def language_suffix(src_uri: str, langs: list[str]) -> str | None:
    suffixes = PurePosixPath(src_uri).suffixes
    return suffixes[-2][1:] if len(suffixes) >= 2 and suffixes[-2][1:] in langs else None


_PAGES: dict[str, Path] = {}  # page src_uri -> its executed notebook


@event_priority(50)  # before mkdocs-static-i18n (-100) sorts the pages by language
def _add_pages_and_execute(files, config, **kwargs):
    langs = site_languages(config)
    pairs: dict[str, tuple[Path, str]] = {}
    import jupytext

    for file in list(files):
        if not (file.abs_src_path and PurePosixPath(file.src_uri).match(SOURCES)):
            continue
        source = Path(file.abs_src_path)
        page_lang = language_suffix(file.src_uri, langs) or langs[0]
        pairs[file.src_uri] = (source, page_lang)
        if language_suffix(file.src_uri, langs):
            continue  # a one-language source, as docs/page.en.md
        for lang in source_languages(jupytext.read(source)):
            if lang == page_lang or lang not in langs:
                continue
            stem, ext = file.src_uri.rsplit(".", 1)
            uri = f"{stem}.{lang}.{ext}"
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"{uri} exists, and {file.src_uri} has {lang!r} cells: keep one of the two")
            files.append(File(uri, config.docs_dir, config.site_dir, config.use_directory_urls))
            pairs[uri] = (source, lang)
    try:
        paths = executed(pairs.values())
    except (NotebookFailed, ValueError) as exc:
        raise PluginError(str(exc)) from exc
    _PAGES.clear()
    _PAGES.update(zip(pairs, paths))
    return files


@event_priority(-200)  # after mkdocs-static-i18n has rebuilt the files of this language
def _point_pages_at_executed(files, config, **kwargs):
    for file in files:
        if file.src_uri in _PAGES:
            file.abs_src_path = str(_PAGES[file.src_uri])  # what mkdocs reads and mkdocs-jupyter renders
    return files


on_files = CombinedEvent(_add_pages_and_execute, _point_pages_at_executed)


NBCONVERT_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL
)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1>\s*", re.DOTALL)
CLIPBOARD = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>\s*'
    r'|<div class="clipboard-copy-txt"[^>]*>.*?</div>\s*',
    re.DOTALL,
)
CODE = re.compile(r'<div class="highlight-ipynb hl-(?P<lang>[\w+-]+)[^"]*"><pre>(?P<code>.*?)</pre></div>', re.DOTALL)
MARKDOWN_CELL = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput[^"]*"[^>]*>)(.*?)(</div>)',
    re.DOTALL,
)
HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="[^"]*">(?P<title>.*?)<a class="anchor-link" href="#[^"]*">¶</a>', re.DOTALL
)
CELL = re.compile(r'<div class="jp-Cell jp-(?P<kind>MarkdownCell|CodeCell)\b')
CELL_ID = re.compile(r'\bid="cell-id=[^"]*"')
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
NO_ALT = re.compile(r'(<img\b[^>]*?\balt=")No description has been provided for this image(")')
IMAGE = re.compile(r'<img\b(?P<attrs>[^>]*?)\s*/?>', re.DOTALL)
DATA_SRC = re.compile(r'\ssrc="data:image/(?P<type>png|jpeg|gif|svg\+xml);base64,(?P<data>[^"]*)"')
TAG = re.compile(r"<[^>]+>")
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")
EXTENSIONS = {"png": "png", "jpeg": "jpg", "gif": "gif", "svg+xml": "svg"}


def is_notebook(page) -> bool:
    return page.file.src_uri.endswith(NOTEBOOK_SUFFIXES)


# --- mkdocs-jupyter's HTML, kept beside the executed notebook ------------------------------------


def rendered_entry(executed_path: Path) -> Path:
    return executed_path.with_name(executed_path.name + ".html.json")


def _toc_tokens(items) -> list[dict]:
    return [{"name": a.title, "id": a.id, "level": a.level, "children": _toc_tokens(a.children)} for a in items]


def _read_rendered(entry: Path, key: str) -> dict | None:
    try:
        kept = json.loads(entry.read_text(encoding="utf-8"))
        if kept["key"] == key and isinstance(kept["content"], str) and isinstance(kept["toc"], list):
            get_toc(kept["toc"])  # a table of contents mkdocs can read
            return kept
    except (OSError, ValueError, TypeError, KeyError):
        pass
    return None


@event_priority(-50)  # after mkdocs-jupyter's (0), which gives the page its render
def on_pre_page(page, config, files, **kwargs):
    """nbconvert's HTML of an executed notebook is kept beside it (``<entry>.html.json``), under a key
    over the executed notebook (whose own key covers every installed package) and mkdocs-jupyter's
    settings: a second build does not convert it again. Never read where the notebooks' cache is not."""
    if not is_notebook(page) or not Path(page.file.abs_src_path).suffix == ".ipynb":
        return page
    jupyter = config.plugins.get("mkdocs-jupyter")
    settings = json.dumps(sorted((k, repr(v)) for k, v in (jupyter.config.items() if jupyter else [])))
    source = Path(page.file.abs_src_path)
    key = hashlib.sha256(b"\0".join([CACHE_FORMAT.encode(), settings.encode(), source.read_bytes()])).hexdigest()
    entry = rendered_entry(source)
    render = page.render

    def kept_render(self, config, files):
        kept = _read_rendered(entry, key) if forced_execution() is None else None
        if kept is not None:
            self.content, self.toc, self.title = kept["content"], get_toc(kept["toc"]), kept["title"]
            return
        render(config, files)
        data = {"key": key, "content": self.content, "toc": _toc_tokens(self.toc), "title": self.title}
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):  # not kept: converted again next time
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, entry)

    page.render = kept_render.__get__(page, type(page))
    return page


def arithmatex(cell_html: str) -> str:
    """``$$x$$`` and ``$x$`` as pymdownx.arithmatex (generic mode) writes them."""
    cell_html = DISPLAY_MATH.sub(
        lambda m: f'<div class="arithmatex">\\[{m.group(1).strip()}\\]</div>', cell_html
    )
    return INLINE_MATH.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', cell_html)


def toc_ids(toc) -> list[str]:
    ids = []
    for item in toc:
        ids.append(item.id)
        ids.extend(toc_ids(item.children))
    return ids


def heading_ids(content: str, ids: list[str]) -> str:
    if len(HEADING.findall(content)) != len(ids):
        return content  # tests/test_notebooks.py checks that every TOC link has its target
    it = iter(ids)

    def one(m: re.Match) -> str:
        anchor = next(it)
        return (
            f'<h{m.group("level")} id="{anchor}">{m.group("title")}'
            f'<a class="headerlink" href="#{anchor}" title="Permanent link">¶</a>'
        )

    return HEADING.sub(one, content)


def plain(fragment: str) -> str:
    text = html.unescape(TAG.sub("", fragment)).replace("$", "")
    return " ".join(text.split())


def figure_alts(content: str) -> str:
    """Each plot's alt text: the last paragraph of the Markdown cell before it."""
    cells = [(m.start(), m.group("kind")) for m in CELL.finditer(content)]
    if not cells:
        return content
    parts, caption = [content[: cells[0][0]]], ""
    for (start, kind), (end, _) in zip(cells, cells[1:] + [(len(content), "")]):
        segment = content[start:end]
        if kind == "MarkdownCell":
            paragraphs = PARAGRAPH.findall(segment)
            caption = plain(paragraphs[-1]) if paragraphs else caption
        elif caption:
            alt = html.escape(caption, quote=True)
            segment = NO_ALT.sub(lambda m: m.group(1) + alt + m.group(2), segment)
        parts.append(segment)
    return "".join(parts)


def numbered_cell_ids(content: str) -> str:
    counter = itertools.count(1)
    return CELL_ID.sub(lambda m: f'id="nb-cell-{next(counter)}"', content)


def material_code(content: str) -> str:
    """nbconvert's highlighted input as pymdownx.highlight writes it: a Material code block."""
    return CODE.sub(
        lambda m: f'<div class="language-{m.group("lang")} highlight"><pre><code>{m.group("code")}</code></pre></div>',
        content,
    )


def image_files(content: str, write) -> str:
    """Each base64 image as a file named by its hash: ``write(name, data)``; size and lazy loading."""

    def one(m: re.Match) -> str:
        attrs = m.group("attrs")
        src = DATA_SRC.search(attrs)
        if src is None:
            return m.group(0)
        data = base64.b64decode(src.group("data"))
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.{EXTENSIONS[src.group('type')]}"
        write(name, data)
        attrs = (attrs[: src.start()] + attrs[src.end() :]).replace(' class=""', "")
        size = ""
        if src.group("type") != "svg+xml":
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                size = ' width="{}" height="{}"'.format(*image.size)
        return f'<img{attrs} src="{name}"{size} loading="lazy" decoding="async">'

    return IMAGE.sub(one, content)


def notebook_html(content: str, ids: list[str], write=None) -> str:
    content = NBCONVERT_MATHJAX.sub("", content)
    content = SCRIPT_OR_STYLE.sub("", content)
    content = CLIPBOARD.sub("", content)
    content = material_code(content)
    content = heading_ids(content, ids)
    content = numbered_cell_ids(content)
    content = figure_alts(content)
    if write is not None:
        content = image_files(content, write)
    return MARKDOWN_CELL.sub(lambda m: m.group(1) + arithmatex(m.group(2)) + m.group(3), content)


def on_page_markdown(markdown, page, config, files, **kwargs):
    if is_notebook(page):
        meta = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8")).get("metadata", {})
        if meta.get("description"):
            page.meta["description"] = str(meta["description"])
    return markdown


def on_page_content(content, page, config, files, **kwargs):
    if not is_notebook(page):
        return content
    folder = Path(page.file.abs_dest_path).parent

    def write(name: str, data: bytes) -> None:
        target = folder / name
        if not (target.is_file() and target.read_bytes() == data):
            folder.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    return notebook_html(content, toc_ids(page.toc), write)


def on_post_page(output, page, config, **kwargs):
    if is_notebook(page) and Path(config.docs_dir, STYLESHEET).is_file():
        href = mkdocs.utils.get_relative_url(STYLESHEET, page.url)
        output = output.replace("</head>", f'  <link rel="stylesheet" href="{html.escape(href)}">\n  </head>', 1)
    return output
