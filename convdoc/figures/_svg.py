"""The SVG canvas of every figure: its stylesheet, colours, coordinates and the document it writes.

Output is deterministic: the same drawing gives byte-identical SVG (ids are a hash of the
content, coordinates have fixed formatting, nothing random or dated).
"""

from __future__ import annotations

import hashlib
from html import escape

#: Colours per Material scheme ("light" = default, "dark" = slate): outline
#: strokes, translucent tints (r, g, b, alpha) and text opacities. The tests
#: compose them over Material's page colours and check WCAG contrast.
PALETTE = {
    "light": {
        "win": "#b45309", "win-bg": (245, 158, 11, 0.25),
        "out": "#1d4ed8", "out-bg": (37, 99, 235, 0.15),
        "pad-bg": (128, 128, 128, 0.18),
        "pad-text": 0.72, "soft-text": 0.78,
    },
    "dark": {
        "win": "#fbbf24", "win-bg": (251, 191, 36, 0.12),
        "out": "#93c5fd", "out-bg": (96, 165, 250, 0.15),
        "pad-bg": (128, 128, 128, 0.12),
        "pad-text": 0.8, "soft-text": 0.85,
    },
}


def _scheme_vars(p: dict) -> str:
    def rgba(c):
        return f"rgba({c[0]},{c[1]},{c[2]},{c[3]})"

    return (
        f"--cdf-win:{p['win']};--cdf-win-bg:{rgba(p['win-bg'])};"
        f"--cdf-out:{p['out']};--cdf-out-bg:{rgba(p['out-bg'])};"
        f"--cdf-pad-bg:{rgba(p['pad-bg'])};--cdf-pad-t:{p['pad-text']};--cdf-soft-t:{p['soft-text']}"
    )


# One small stylesheet per figure, scoped to .cdf: the figure is self-contained
# (it also looks right saved as a file) and follows Material's scheme switch.
_CSS = (
    ".cdf{" + _scheme_vars(PALETTE["light"]) + ";"
    'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,'
    '"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;'
    "font-variant-numeric:tabular-nums}"
    '[data-md-color-scheme="slate"] .cdf{' + _scheme_vars(PALETTE["dark"]) + "}"
    ".cdf text{fill:currentColor}"
    ".cdf .cdf-grid{fill:none;stroke:currentColor;stroke-opacity:.55;stroke-width:1}"
    ".cdf .cdf-pad{fill:var(--cdf-pad-bg)}"
    ".cdf .cdf-hatch{fill:none;stroke:currentColor;stroke-opacity:.5;stroke-width:1}"
    ".cdf .cdf-pv{fill-opacity:var(--cdf-pad-t)}"
    ".cdf .cdf-soft{fill-opacity:var(--cdf-soft-t)}"
    ".cdf .cdf-win-bg{fill:var(--cdf-win-bg)}"
    ".cdf .cdf-out-bg{fill:var(--cdf-out-bg)}"
    ".cdf .cdf-win{fill:none;stroke:var(--cdf-win);stroke-width:2.5;stroke-dasharray:6 3}"
    ".cdf .cdf-out{fill:none;stroke:var(--cdf-out);stroke-width:3}"
    ".cdf .cdf-line{fill:none;stroke:currentColor;stroke-width:1.5}"
    ".cdf .cdf-dot{fill:currentColor}"
    ".cdf .cdf-b{font-weight:600}"
)


class SVG(str):
    """An SVG document as a ``str``; notebooks display it (``_repr_svg_``)."""

    def _repr_svg_(self) -> str:
        return str(self)


def _n(v: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never '-0'."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _text_width(s: str, size: float) -> float:
    """A generous estimate of the rendered width (CJK full width, the rest about 0.6 em)."""
    return sum(size if ord(ch) >= 0x2E80 else 0.62 * size for ch in s)


class _Canvas:
    """Collects SVG elements and their bounding box; ``render`` writes the document."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.box = [0.0, 0.0, 0.0, 0.0]  # x0, y0, x1, y1

    def _grow(self, x0: float, y0: float, x1: float, y1: float) -> None:
        b = self.box
        b[0], b[1], b[2], b[3] = min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)

    def rect(self, x, y, w, h, cls: str, data: dict | None = None) -> None:
        attrs = "".join(f' data-{k}="{escape(str(v))}"' for k, v in (data or {}).items())
        self.parts.append(f'<rect class="{cls}" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"{attrs}/>')
        self._grow(x, y, x + w, y + h)

    def path(self, d: str, cls: str) -> None:
        self.parts.append(f'<path class="{cls}" d="{d}"/>')

    def circle(self, x, y, r, cls: str) -> None:
        self.parts.append(f'<circle class="{cls}" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"/>')

    def text(self, x, y, s: str, *, size: float = 13, anchor: str = "middle", cls: str = "", data: dict | None = None) -> None:
        attrs = f' class="{cls}"' if cls else ""
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        attrs += f' font-size="{_n(size)}"'
        for k, v in (data or {}).items():
            attrs += f' data-{k}="{escape(str(v))}"'
        self.parts.append(f'<text x="{_n(x)}" y="{_n(y)}"{attrs}>{escape(s)}</text>')
        w = _text_width(s, size)
        x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        self._grow(x0, y - 0.85 * size, x0 + w, y + 0.3 * size)

    def line(self, x, y, parts: list, *, size: float = 13, anchor: str = "start") -> None:
        """One line of text made of ``(string, class, data)`` parts, each part a ``<tspan>``."""
        spans = []
        for s, cls, data in parts:
            attrs = f' class="{cls}"' if cls else ""
            for k, v in (data or {}).items():
                attrs += f' data-{k}="{escape(str(v))}"'
            spans.append(f"<tspan{attrs}>{escape(s)}</tspan>" if attrs else escape(s))
        a = f' text-anchor="{anchor}"' if anchor != "start" else ""
        self.parts.append(f'<text x="{_n(x)}" y="{_n(y)}"{a} font-size="{_n(size)}">{"".join(spans)}</text>')
        w = sum(_text_width(s, size) for s, _, _ in parts)
        x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        self._grow(x0, y - 0.85 * size, x0 + w, y + 0.3 * size)

    def arrow(self, x1, y1, x2, y2) -> None:
        """A straight horizontal or vertical arrow from (x1, y1) to (x2, y2)."""
        if y1 == y2:
            s = 1 if x2 > x1 else -1
            head = f"M{_n(x2 - 7 * s)} {_n(y2 - 4)}L{_n(x2)} {_n(y2)}L{_n(x2 - 7 * s)} {_n(y2 + 4)}"
        else:
            s = 1 if y2 > y1 else -1
            head = f"M{_n(x2 - 4)} {_n(y2 - 7 * s)}L{_n(x2)} {_n(y2)}L{_n(x2 + 4)} {_n(y2 - 7 * s)}"
        self.path(f"M{_n(x1)} {_n(y1)}L{_n(x2)} {_n(y2)}{head}", "cdf-line")
        self._grow(min(x1, x2) - 4, min(y1, y2) - 4, max(x1, x2) + 4, max(y1, y2) + 4)

    def render(self, title: str, desc: str, lang: str, margin: float = 8) -> SVG:
        x0, y0, x1, y1 = self.box
        x0, y0, w, h = x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin
        body = "\n".join(self.parts)
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="cdf" role="img" lang="{lang}" '
            f'viewBox="{_n(x0)} {_n(y0)} {_n(w)} {_n(h)}" width="100%" '
            f'style="max-width:{_n(w / 14)}em;height:auto;display:block;margin:0 auto" '
            'aria-labelledby="@ID@-t" aria-describedby="@ID@-d">\n'
            f'<title id="@ID@-t">{escape(title)}</title>\n'
            f'<desc id="@ID@-d">{escape(desc)}</desc>\n'
            f"<style>{_CSS}</style>\n"
        )
        doc = head + body + "\n</svg>"
        uid = "cdf-" + hashlib.sha256(doc.encode("utf-8")).hexdigest()[:10]
        return SVG(doc.replace("@ID@", uid))
