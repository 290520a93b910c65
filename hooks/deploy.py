"""MkDocs hooks for publishing under ``site_url`` (GitHub Pages: ``https://owner.github.io/convdoc/``).

1. Relative language links. The language switcher of the two home pages links
   to the other home page with a relative URL, as on every other page.
   mkdocs-static-i18n leaves the home pages' links absolute (``/convdoc/en/``),
   which works only where the site is served at ``site_url``'s path, not from a
   copy of ``site/`` or the tests' local server.

2. A "page not found" page in each language. mkdocs-static-i18n builds the
   site once per language into the same ``site_dir``; every build renders the
   theme's ``404.html`` to the root, so the last language built would win, with
   the language switcher of whatever page was rendered last (mkdocs-static-i18n
   issues 284 and 326). This hook

   * keeps the default language's (中文) page at ``/404.html``, the file GitHub
     Pages serves for every missing path, and writes each other language's page
     to ``/<lang>/404.html`` (served by hosts that look for a 404 page per folder);
   * replaces Material's bare "404 - Not found" with a title and a short message
     in the page's language, followed by one line in the other language (the
     root page is also what a reader of ``/en/…`` sees on GitHub Pages), and
     links to both home pages;
   * resets the language switcher to the two home pages.

   Links on the 404 pages are absolute paths below ``site_url`` (MkDocs renders
   error pages that way because they are served at any depth), so ``site_url``
   must be right when deploying: see README, "Deploy".

3. No request for a sitemap that does not exist. Material's "stay on page"
   language switch (``setupAlternate`` in its bundle) takes every
   ``<link rel="alternate">`` in the page for the home page of a language (what
   ``extra.alternate`` holds without mkdocs-static-i18n): when the page is ready
   it fetches ``sitemap.xml`` beside each one, and when that fails it sends a
   click on the language switch to the link minus its trailing slash.
   mkdocs-static-i18n makes those links this page and its twin (on
   ``calculator/``: ``./`` and ``../en/calculator/``), as search engines want
   them, so every page requested ``calculator/sitemap.xml`` and
   ``en/calculator/sitemap.xml`` (two 404s) and the switch went through a
   redirect (``en/calculator`` -> ``en/calculator/``). A short script right
   after Material's bundle renames those links' ``rel`` until Material has read
   the page (its DOMContentLoaded listener runs first) and then puts it back:
   the HTML and the final page keep the links, nothing is fetched, and the
   language switch goes straight to the twin. Checked in the browser by
   ``tests/test_browser.py::test_calculator_page_requests_nothing_that_fails``.
"""

from __future__ import annotations

import re
from copy import deepcopy
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

MATERIAL_HEADING = "<h1>404 - Not found</h1>"

TEXT = {
    "zh": {
        "title": "页面不存在",
        "body": "你要找的页面不在这里：链接可能已经过期，或者地址里有拼写错误。",
        "home": "回到首页",
    },
    "en": {
        "title": "Page not found",
        "body": "The page you are looking for is not here: the link may be out of date, or the address mistyped.",
        "home": "Back to the home page",
    },
}


def _languages(config) -> tuple[str, list[str]]:
    """The default language and every language built, from mkdocs-static-i18n's configuration."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        lang = config.theme["language"]
        return lang, [lang]
    default = i18n.default_language
    return default, [default] + [lang for lang in i18n.build_languages if lang != default]


def _base(config) -> str:
    """``site_url``'s path, ``/convdoc/`` for ``https://owner.github.io/convdoc/``."""
    base = urlsplit(config.site_url or "/").path
    return base if base.endswith("/") else base + "/"


def _home(config, lang: str, default: str) -> str:
    return _base(config) if lang == default else f"{_base(config)}{lang}/"


def on_page_context(context, page, config, nav, **kwargs):
    # mkdocs-static-i18n sets the switcher as an attribute, which Jinja reads before the key
    alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
    base = _base(config)
    for alt in alternates:
        link = alt.get("link", "")
        if link.startswith(base):  # /convdoc/en/ -> en/, which MkDocs makes relative to the page
            alt["link"] = link[len(base) :] or "./"
    return context


def on_template_context(context, template_name, config, **kwargs):
    if template_name == "404.html":
        i18n = config.plugins.get("i18n")
        if i18n is not None and getattr(i18n, "extra_alternate", None):
            # the switcher would otherwise point at the twin of the last page built; the
            # plugin sets it as an attribute, which Jinja reads before the mapping key
            config.extra["alternate"] = deepcopy(i18n.extra_alternate)
            config.extra.alternate = config.extra["alternate"]
    return context


# Material's bundle, then the script of point 3 of the module docstring
BUNDLE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')
KEEP_ALTERNATES_FROM_MATERIAL = (
    "<script>/* hooks/deploy.py: the hreflang links name this page's twin, not a language's home page:"
    " hidden from Material's setupAlternate, which would fetch sitemap.xml beside them */"
    "(()=>{const links=document.querySelectorAll('link[rel=\"alternate\"][hreflang]');"
    "links.forEach(l=>l.setAttribute(\"rel\",\"x-alternate\"));"
    "document.addEventListener(\"DOMContentLoaded\",()=>links.forEach(l=>l.setAttribute(\"rel\",\"alternate\")),{once:true})})()"
    "</script>"
)


def _keep_alternates_from_material(html: str, where: str) -> str:
    if 'rel="alternate"' not in html:
        return html
    found = BUNDLE.search(html)
    if found is None:
        raise PluginError(f"hooks/deploy.py: Material's bundle.*.min.js script not found in {where}")
    return html[: found.end()] + KEEP_ALTERNATES_FROM_MATERIAL + html[found.end() :]


def on_post_page(output, page, config, **kwargs):
    return _keep_alternates_from_material(output, page.file.src_uri)


def on_post_template(output, template_name, config, **kwargs):
    if template_name != "404.html":
        return output
    output = _keep_alternates_from_material(output, template_name)
    default, languages = _languages(config)
    lang = config.theme["language"]
    if lang not in TEXT:
        raise PluginError(f"hooks/deploy.py has no 404 text for language {lang!r}")
    if MATERIAL_HEADING not in output:
        raise PluginError(f"hooks/deploy.py: {MATERIAL_HEADING!r} not found in the theme's 404.html")
    order = [lang] + [other for other in languages if other != lang and other in TEXT]
    parts = []
    for i, code in enumerate(order):
        t = TEXT[code]
        link = f'<a href="{_home(config, code, default)}" hreflang="{code}">{t["home"]}</a>'
        if i == 0:
            parts.append(f"<h1>{t['title']}</h1>\n<p>{t['body']}</p>\n<p>{link}</p>")
        else:
            stop = "。" if code == "zh" else ". "
            parts.append(f'<p lang="{code}">{t["title"]}{stop}{t["body"]} {link}</p>')
    html = output.replace(MATERIAL_HEADING, "\n".join(parts), 1)
    html = re.sub(r"<title>(.*?)</title>", lambda m: f"<title>{TEXT[lang]['title']} · {m.group(1)}</title>", html, count=1)
    if lang == default:
        return html  # written to the root 404.html
    target = Path(config.site_dir) / lang / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return ""  # an empty result leaves the root 404.html (the default language's) alone
