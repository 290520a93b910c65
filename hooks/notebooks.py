"""MkDocs hook: jupytext notebooks (``docs/notebooks/*.py``) as bilingual pages.

mkdocs-jupyter renders the notebooks and mkdocs-static-i18n gives each language
its own URL (``feature-maps.py`` -> /notebooks/feature-maps/,
``feature-maps.en.py`` -> /en/notebooks/feature-maps/). Three things are needed
to make the two plugins and the site's offline rules work together:

1. mkdocs-static-i18n rebuilds every ``File`` of the site after mkdocs-jupyter
   has wrapped the notebooks, so MkDocs must itself count ``.py`` and ``.ipynb``
   as documentation pages; otherwise they are copied as static files, or shown
   as raw text (mkdocs-static-i18n issue 198). This module adds them to
   ``mkdocs.utils.markdown_extensions`` when MkDocs loads it.
2. nbconvert's template loads MathJax 2 from cdnjs.cloudflare.com, and carries
   a loader that would import mermaid from there too. The site serves MathJax 3
   itself, so both scripts are removed, and the ``$...$`` / ``$$...$$`` of the
   Markdown cells are marked up the way pymdownx.arithmatex marks up the
   Markdown pages, so the site's MathJax typesets them.
3. nbconvert slugifies headings on its own: Chinese headings get ``id=""``
   while the table of contents links to ``#_2``, ``#_3``... Headings get the ids
   of the page's table of contents instead, with a Material ``headerlink``
   (which the search index leaves out of section titles).
4. A notebook has no front matter: its page description comes from the
   ``description`` key of the notebook's metadata (the jupytext header).
5. Plots get an alt text in the page's language, the last paragraph of the
   Markdown cell before them (nbconvert writes "No description has been
   provided for this image"), and the random cell ids nbformat gives every
   jupytext cell become numbers, so that two builds give the same HTML.
"""

from __future__ import annotations

import html
import itertools
import re

import mkdocs.utils

NOTEBOOK_SUFFIXES = (".py", ".ipynb")
mkdocs.utils.markdown_extensions = tuple(
    dict.fromkeys(mkdocs.utils.markdown_extensions + NOTEBOOK_SUFFIXES)
)

NBCONVERT_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL
)
MARKDOWN_CELL = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput[^"]*"[^>]*>)(.*?)(</div>)',
    re.DOTALL,
)
MERMAID_LOADER = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid.*?</script>', re.DOTALL)
HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="[^"]*">(?P<title>.*?)<a class="anchor-link" href="#[^"]*">¶</a>', re.DOTALL
)
CELL = re.compile(r'<div class="jp-Cell jp-(?P<kind>MarkdownCell|CodeCell)\b')
CELL_ID = re.compile(r'\bid="cell-id=[^"]*"')
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
NO_ALT = re.compile(r'(<img\b[^>]*?\balt=")No description has been provided for this image(")')
TAG = re.compile(r"<[^>]+>")
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")


def is_notebook(page) -> bool:
    return page.file.src_uri.endswith(NOTEBOOK_SUFFIXES)


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


def notebook_html(content: str, ids: list[str]) -> str:
    content = NBCONVERT_MATHJAX.sub("", content)
    content = MERMAID_LOADER.sub("", content)
    content = heading_ids(content, ids)
    content = numbered_cell_ids(content)
    content = figure_alts(content)
    return MARKDOWN_CELL.sub(lambda m: m.group(1) + arithmatex(m.group(2)) + m.group(3), content)


def on_page_markdown(markdown, page, config, files, **kwargs):
    if is_notebook(page):
        import jupytext

        meta = jupytext.read(page.file.abs_src_path).metadata
        if meta.get("description"):
            page.meta["description"] = str(meta["description"])
    return markdown


def on_page_content(content, page, config, files, **kwargs):
    if is_notebook(page):
        return notebook_html(content, toc_ids(page.toc))
    return content
