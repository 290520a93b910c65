"""SVG diagrams of the convolution, drawn from the same arrays that ``conv2d`` and ``explain`` compute.

Every number inside a figure comes from :func:`convdoc.conv2d` (feature maps) or
:func:`convdoc.explain` (windows and products), so a figure cannot disagree with
the page around it. The SVG is plain text written here (no plotting library):

* text stays text (``<text>`` elements: selectable, searchable, translatable);
* output is deterministic: the same arguments give byte-identical SVG (ids are
  a hash of the content, coordinates have fixed formatting, nothing random or dated);
* each figure has ``role="img"``, a ``<title>`` and a ``<desc>`` (alt text, with
  the numbers) in the requested language, ``"zh"`` or ``"en"``;
* colours never carry meaning alone: the window has a dashed outline, the output
  cell being written a thick solid outline, zero padding is hatched and grey with
  its ``0`` written out, and a legend names each of them;
* strokes and text use ``currentColor``; tints are translucent and switch with
  Material's ``slate`` scheme (:data:`PALETTE`, contrast checked by the tests);
* ``width="100%"`` with a ``viewBox`` and a ``max-width`` in ``em`` (one user unit is
  1/14 em): the figure shrinks on a phone and otherwise follows the page's font size.

Figures of the article
----------------------
:func:`overview` the input, the filter and the feature map to be computed;
:func:`window` one output element: the window, the products, their sum;
:func:`feature_map` the whole feature map and how far the window moves (stride);
:func:`steps` every window position, one small frame each;
:func:`volume` a multi-channel input, several filters with biases, the output volume.

Along one axis
--------------
:func:`windows` which cells each window reads (padding, ``ceil_mode``, dilation), from :func:`convdoc.coverage`.
"""

from __future__ import annotations

import hashlib
from html import escape
from typing import Any

import numpy as np

from ._checks import check_array, check_int, check_pair, is_pair
from .conv import conv2d, relu
from .explain import explain
from .sizes import coverage, output_size

__all__ = ["SVG", "PALETTE", "overview", "window", "feature_map", "steps", "volume", "windows"]

#: Largest padded input side, channel count and filter count a figure draws.
MAX_SIDE = 12
MAX_CHANNELS = 4
MAX_FILTERS = 4
MAX_FRAMES = 25

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

_TEXT = {
    "zh": {
        "image": "图像 x", "input": "输入 x", "filter": "卷积核 w", "filter_k": "卷积核 W{k}",
        "map": "特征图 a", "map_k": "特征图 {k}", "window": "窗口中的 x", "products": "乘积 w·x",
        "padded": "填充 {p} 后 {h}×{w}", "bias": "偏置 w_b = {b}", "bias_k": "偏置 {b}",
        "stride": "步幅 {s}", "pad_only": "填充 {p}", "output": "输出 {shape}", "input_shape": "输入 x：{shape}", "stride_pad": "步幅 {s}，填充 {p}", "channel": "通道 d = {d}",
        "channel_short": "d = {d}",
        "leg_win": "窗口", "leg_win0": "窗口（第一个位置）", "leg_winf": "窗口与所用卷积核",
        "leg_out": "正在写入的输出", "leg_out0": "第一个位置写入的输出", "leg_pad": "零填充（补的 0）",
        "leg_dot": "窗口左上角（每个位置）",
        "sum_line": "Σ w·x = {terms} = {s}",
        "sum_ch": "Σ = {s}",
        "where": "窗口：填充后第 {r0}–{r1} 行、第 {c0}–{c1} 列",
        "where_raw": "窗口：第 {r0}–{r1} 行、第 {c0}–{c1} 列",
        "sep": "；", "comma": "，",
        # titles and descriptions (alt text)
        "t_overview": "{h}×{w} 图像与 {f1}×{f2} 卷积核，得到 {h2}×{w2} 特征图",
        "d_overview": (
            "左边是 {h}×{w} 的输入图像 x，逐行为 {x}。中间是 {f1}×{f2} 的卷积核 w，逐行为 {wt}，"
            "偏置 w_b = {b}{padtxt}。右边是 {h2}×{w2} 的特征图 a（步幅 {s}），"
            "格子里写着元素名 a₀,₀ 到 {last}，数值尚待计算。"
        ),
        "pad_desc": "；图像四周补了 {p} 圈 0（灰色斜线格），补后为 {hp}×{wp}",
        "t_window": "计算 {a}：窗口、卷积核与 {n} 个乘积",
        "d_window": (
            "输入 {shape}（{sp}）。计算特征图元素 {a} 时，窗口覆盖{where}。{chan}"
            "{sumtxt}{acttxt}，写入特征图第 {i} 行第 {j} 列。"
        ),
        "d_window_ch": "通道 {d}：窗口中的值为 {x}，与卷积核 {w} 对应相乘，得乘积 {p}，和为 {s}。",
        "d_window_2d": "窗口中的值为 {x}，与卷积核 {w} 对应相乘，得乘积 {p}。",
        "d_sum": "乘积之和为 {s}，加偏置 {b} 得 {t}",
        "d_sum_ch": "各通道之和加偏置 {b}：{expr} = {t}",
        "d_act": "，经 ReLU 得 {a} = {v}",
        "d_noact": "，即 {a} = {v}",
        "d_where": "第 {r0}–{r1} 行、第 {c0}–{c1} 列{pad}",
        "d_where_pad": "（填充后的坐标，其中 {n} 个格子落在补的 0 上）",
        "t_map": "步幅 {s} 的完整特征图（{h2}×{w2}）",
        "d_map": (
            "输入 {shape}，卷积核 {w}，偏置 {b}{padtxt}。窗口从左上角出发，每次移动 {s} 格，"
            "共 {n} 个位置（圆点标出每个位置的左上角，虚线框是第一个位置）。"
            "得到 {h2}×{w2} 的特征图，逐行为 {a}{acttxt}。"
        ),
        "d_relu": "（已经过 ReLU）",
        "t_steps": "步幅 {s} 时窗口的 {n} 个位置",
        "d_steps": "输入 {shape}，卷积核 {f1}×{f2}，步幅 {s}{padtxt}。按行依次：{frames}。",
        "d_frame": "窗口在第 {r0}–{r1} 行、第 {c0}–{c1} 列，{a} = {v}",
        "t_volume": "{c} 通道 {h}×{w} 输入（填充 {p}）、{k} 个 {f1}×{f2}×{c} 卷积核、步幅 {s}，得到 {h2}×{w2}×{k} 输出",
        "d_volume": (
            "输入 x 为 {h}×{w}×{c}，四周补 {p} 圈 0（灰色斜线格）后为 {hp}×{wp}×{c}；{xs}。"
            "{filters}。步幅 {s}，输出为 {h2}×{w2}×{k}：{outs}。{hl}"
        ),
        "d_vol_x": "通道 {d}：{v}",
        "d_vol_w": "卷积核 W{k}（偏置 {b}）：{v}",
        "d_vol_a": "特征图 {k}：{v}",
        "d_vol_hl": "高亮的是特征图 {k} 第 {i} 行第 {j} 列的 {v}：卷积核 W{k} 盖在每个通道填充后第 {r0}–{r1} 行、第 {c0}–{c1} 列的窗口上。",
        "d_no_pad": "",
    },
    "en": {
        "image": "image x", "input": "input x", "filter": "filter w", "filter_k": "filter W{k}",
        "map": "feature map a", "map_k": "feature map {k}", "window": "x in the window", "products": "products w·x",
        "padded": "padded to {h}×{w}", "bias": "bias w_b = {b}", "bias_k": "bias {b}",
        "stride": "stride {s}", "pad_only": "padding {p}", "output": "output {shape}", "input_shape": "input x: {shape}", "stride_pad": "stride {s}, padding {p}", "channel": "channel d = {d}",
        "channel_short": "d = {d}",
        "leg_win": "window", "leg_win0": "window (first position)", "leg_winf": "window and the filter in use",
        "leg_out": "output being written", "leg_out0": "output of the first position", "leg_pad": "zero padding",
        "leg_dot": "top-left corner of each window position",
        "sum_line": "Σ w·x = {terms} = {s}",
        "sum_ch": "Σ = {s}",
        "where": "window: padded rows {r0}–{r1}, columns {c0}–{c1}",
        "where_raw": "window: rows {r0}–{r1}, columns {c0}–{c1}",
        "sep": "; ", "comma": ", ",
        "t_overview": "A {h}×{w} image and a {f1}×{f2} filter give a {h2}×{w2} feature map",
        "d_overview": (
            "Left: the {h}×{w} input image x, row by row {x}. Middle: the {f1}×{f2} filter w, row by row {wt}, "
            "with bias w_b = {b}{padtxt}. Right: the {h2}×{w2} feature map a (stride {s}); its cells are "
            "labelled a₀,₀ to {last} and are still to be computed."
        ),
        "pad_desc": "; the image is surrounded by {p} ring(s) of zeros (grey hatched cells), making it {hp}×{wp}",
        "t_window": "Computing {a}: the window, the filter and the {n} products",
        "d_window": (
            "Input {shape} ({sp}). To compute the feature-map element {a}, the window covers {where}. {chan}"
            "{sumtxt}{acttxt}, written to row {i}, column {j} of the feature map."
        ),
        "d_window_ch": "Channel {d}: the window holds {x}; multiplied entry by entry with the filter {w} this gives the products {p}, which add up to {s}. ",
        "d_window_2d": "The window holds {x}; multiplied entry by entry with the filter {w} this gives the products {p}. ",
        "d_sum": "The products add up to {s}; with the bias {b} that is {t}",
        "d_sum_ch": "The channel sums plus the bias {b}: {expr} = {t}",
        "d_act": "; after ReLU, {a} = {v}",
        "d_noact": ", so {a} = {v}",
        "d_where": "rows {r0}–{r1}, columns {c0}–{c1}{pad}",
        "d_where_pad": " (coordinates after padding; {n} of its cells fall on the added zeros)",
        "t_map": "The complete feature map with stride {s} ({h2}×{w2})",
        "d_map": (
            "Input {shape}, filter {w}, bias {b}{padtxt}. The window starts in the top-left corner and moves "
            "{s} cell(s) at a time, {n} positions in all (dots mark the top-left corner of each position, the "
            "dashed box is the first one). The {h2}×{w2} feature map is, row by row, {a}{acttxt}."
        ),
        "d_relu": " (after ReLU)",
        "t_steps": "The {n} positions of the window with stride {s}",
        "d_steps": "Input {shape}, a {f1}×{f2} filter, stride {s}{padtxt}. Row by row: {frames}.",
        "d_frame": "window on rows {r0}–{r1}, columns {c0}–{c1}, {a} = {v}",
        "t_volume": "A {h}×{w}×{c} input (padding {p}) and {k} filters of {f1}×{f2}×{c}, stride {s}, give a {h2}×{w2}×{k} output",
        "d_volume": (
            "The input x is {h}×{w}×{c}; with {p} ring(s) of zeros around it (grey hatched cells) it is "
            "{hp}×{wp}×{c}. {xs}. {filters}. With stride {s} the output is {h2}×{w2}×{k}: {outs}. {hl}"
        ),
        "d_vol_x": "channel {d}: {v}",
        "d_vol_w": "filter W{k} (bias {b}): {v}",
        "d_vol_a": "feature map {k}: {v}",
        "d_vol_hl": "Highlighted: the {v} in row {i}, column {j} of feature map {k}, computed by filter W{k} over the window on padded rows {r0}–{r1}, columns {c0}–{c1} of every channel.",
        "d_no_pad": "",
    },
}

_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_MINUS = "\u2212"


class SVG(str):
    """An SVG document as a ``str``; notebooks display it (``_repr_svg_``)."""

    def _repr_svg_(self) -> str:
        return str(self)


# -- small helpers ------------------------------------------------------------------------

def _lang(lang: Any) -> dict:
    if not isinstance(lang, str) or lang not in _TEXT:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return _TEXT[lang]


def _v(v: Any) -> str:
    """A value as figures print it: integers exactly, floats to 3 significant digits, a real minus sign."""
    v = v.item() if isinstance(v, np.generic) else v
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = f"{v:.3g}" if isinstance(v, float) else str(int(v))
    return s.replace("-", _MINUS)


def _signed(v: Any) -> str:
    s = _v(v)
    return f"({s})" if s.startswith(_MINUS) else s


def _n(v: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never '-0'."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _a(i: int, j: int) -> str:
    return f"a{str(i).translate(_SUB)},{str(j).translate(_SUB)}"


def _rows(arr: np.ndarray, t: dict) -> str:
    return t["sep"].join(" ".join(_v(v) for v in row) for row in np.asarray(arr))


def _text_width(s: str, size: float) -> float:
    """A generous estimate of the rendered width (CJK full width, the rest about 0.6 em)."""
    return sum(size if ord(ch) >= 0x2E80 else 0.62 * size for ch in s)


def _check_activation(activation: Any) -> None:
    if activation not in (None, "relu"):
        raise ValueError(f"activation must be None or 'relu', got {activation!r}")


def _numbers(a: np.ndarray) -> np.ndarray:
    """A binary (bool) image as the 0/1 integers a figure prints; other arrays as they are."""
    return a.astype(np.int64) if a.dtype == np.bool_ else a


def _check_size(hp: int, wp: int, what: str = "x") -> None:
    if hp > MAX_SIDE or wp > MAX_SIDE:
        raise ValueError(
            f"{what} is too large to draw: with its padding it is {hp}x{wp} cells, and figures draw at most "
            f"{MAX_SIDE}x{MAX_SIDE}; use conv2d or explain for larger inputs"
        )


def _check_at(at: Any, shape: tuple[int, ...], name: str = "at") -> tuple[int, ...]:
    if not isinstance(at, (tuple, list)) or len(at) != len(shape):
        kind = "an (i, j) pair" if len(shape) == 2 else "a (k, i, j) triple"
        raise TypeError(f"{name} must be {kind} of output indices, got {at!r}")
    idx = tuple(check_int(v, f"{name}[{n}]", minimum=0) for n, v in enumerate(at))
    if any(v >= s for v, s in zip(idx, shape)):
        dims = "x".join(str(s) for s in shape)
        raise ValueError(f"{name}={tuple(at)} is outside the output: the output is {dims}")
    return idx


def _pad3(x3: np.ndarray, p: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    padded = np.pad(x3, ((0, 0), (p[0], p[0]), (p[1], p[1])))
    mask = np.ones(padded.shape[1:], dtype=bool)
    mask[p[0] : p[0] + x3.shape[1], p[1] : p[1] + x3.shape[2]] = False
    return padded, mask


# -- the canvas -----------------------------------------------------------------------------

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


def _grid(
    cv: _Canvas,
    x0: float,
    y0: float,
    texts: list[list[str | None]],
    cell: float,
    *,
    grid: str,
    pad: np.ndarray | None = None,
    overlays: tuple = (),
    font: float | None = None,
    soft: bool = False,
    data: dict | None = None,
) -> None:
    """Draw a grid of cells: padding fills and hatching, tints, lines, outlines, then the values.

    ``overlays`` holds ``(row, col, rows, cols, kind)`` with kind ``"win"`` (dashed outline) or
    ``"out"`` (thick solid outline); each cell's ``<text>`` carries ``data-grid`` and ``data-cell``.
    """
    rows, cols = len(texts), len(texts[0])
    width, height = cols * cell, rows * cell
    font = font or round(cell * 0.54)
    if pad is not None and pad.any():
        fill, hatch = [], []
        q = cell / 3
        for r, c in zip(*np.nonzero(pad)):
            x, y = x0 + c * cell, y0 + r * cell
            fill.append(f"M{_n(x)} {_n(y)}h{_n(cell)}v{_n(cell)}h{_n(-cell)}Z")
            # two corner strokes each: the hatching leaves the centre clear for the "0"
            hatch.append(f"M{_n(x)} {_n(y + q)}L{_n(x + q)} {_n(y)}M{_n(x + cell - q)} {_n(y + cell)}L{_n(x + cell)} {_n(y + cell - q)}")
        cv.path("".join(fill), "cdf-pad")
        cv.path("".join(hatch), "cdf-hatch")
    for r, c, h, w, kind in overlays:
        cv.rect(x0 + c * cell, y0 + r * cell, w * cell, h * cell, f"cdf-{kind}-bg")
    lines = f"M{_n(x0)} {_n(y0)}h{_n(width)}v{_n(height)}h{_n(-width)}Z"
    lines += "".join(f"M{_n(x0)} {_n(y0 + r * cell)}h{_n(width)}" for r in range(1, rows))
    lines += "".join(f"M{_n(x0 + c * cell)} {_n(y0)}v{_n(height)}" for c in range(1, cols))
    cv.path(lines, "cdf-grid")
    cv._grow(x0, y0, x0 + width, y0 + height)
    for r, c, h, w, kind in overlays:  # data-box: (row, col, rows, cols) of the outlined cells
        cv.rect(x0 + c * cell, y0 + r * cell, w * cell, h * cell, f"cdf-{kind}",
                {"grid": grid, **(data or {}), "box": f"{r},{c},{h},{w}"})
    for r in range(rows):
        for c in range(cols):
            s = texts[r][c]
            if s is None:
                continue
            cls = "cdf-pv" if pad is not None and pad[r, c] else ("cdf-soft" if soft else "")
            cv.text(
                x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell + 0.36 * font, s,
                size=font, cls=cls, data={"grid": grid, **(data or {}), "cell": f"{r},{c}"},
            )


def _header(cv: _Canvas, cx: float, y: float, name: str, sub: str | None = None) -> None:
    """A grid's name (and a smaller second line) centred above it; ``y`` is the first baseline."""
    cv.text(cx, y, name, size=14, cls="cdf-b")
    if sub:
        cv.text(cx, y + 16, sub, size=12, cls="cdf-soft")


def _legend(cv: _Canvas, x: float, y: float, items: list[tuple[str, str]], width: float) -> float:
    """Swatch + label pairs, wrapped to ``width``; returns the y below the legend."""
    sw, gap, line = 16, 18, 22
    cx = x
    for kind, label in items:
        w = sw + 6 + _text_width(label, 12)
        if cx > x and cx + w > x + width:
            cx, y = x, y + line
        if kind == "pad":
            cv.path(f"M{_n(cx)} {_n(y)}h{sw}v{sw}h{-sw}Z", "cdf-pad")
            q = sw / 3
            cv.path(f"M{_n(cx)} {_n(y + q)}L{_n(cx + q)} {_n(y)}M{_n(cx + sw - q)} {_n(y + sw)}L{_n(cx + sw)} {_n(y + sw - q)}", "cdf-hatch")
            cv.path(f"M{_n(cx)} {_n(y)}h{sw}v{sw}h{-sw}Z", "cdf-grid")
            cv.text(cx + sw / 2, y + sw / 2 + 4, "0", size=11, cls="cdf-pv")
        elif kind == "dot":
            cv.path(f"M{_n(cx)} {_n(y)}h{sw}v{sw}h{-sw}Z", "cdf-grid")
            cv.circle(cx + 5, y + 5, 2.6, "cdf-dot")
        else:
            cv.rect(cx, y, sw, sw, f"cdf-{kind}-bg")
            cv.rect(cx, y, sw, sw, f"cdf-{kind}")
        cv.text(cx + sw + 6, y + sw / 2 + 4.5, label, size=12, anchor="start")
        cx += w + gap
    return y + line


# -- preparing the data ---------------------------------------------------------------------

def _single_filter(x, weight, bias, stride, padding, activation):
    """Validate a 2-D x with one 2-D filter; return arrays, pairs and the feature map."""
    xa = _numbers(check_array(x, "x", ranks=(2,)))
    wa = _numbers(check_array(weight, "weight", ranks=(2,)))
    b = check_array(bias, "bias", ranks=(0,)).item()
    _check_activation(activation)
    s = check_pair(stride, "stride", minimum=1)
    p = check_pair(padding, "padding", minimum=0)
    _check_size(xa.shape[0] + 2 * p[0], xa.shape[1] + 2 * p[1])
    a = conv2d(xa, wa, b, stride=s, padding=p)  # checks that the filter fits
    if activation == "relu":
        a = relu(a)
    return xa, wa, b, s, p, a


def _shape(arr: np.ndarray) -> str:
    return "×".join(str(n) for n in arr.shape[-2:]) + ("×" + str(arr.shape[0]) if arr.ndim == 3 else "")


# -- the figures ------------------------------------------------------------------------------

def overview(x, weight, bias=0, *, stride=1, padding=0, lang="zh") -> SVG:
    """The input image, the filter and the (still empty) feature map, side by side.

    Parameters
    ----------
    x : array_like
        The image, (H, W).
    weight : array_like
        The filter, (F_h, F_w).
    bias : scalar
        The filter's bias ``w_b``, written under the filter.
    stride, padding : int or (h, w) pair
        Give the feature map its shape; padding is drawn as hatched grey zeros.
    lang : {"zh", "en"}
        Language of the labels, the title and the description.

    Returns
    -------
    SVG
        The figure; the feature map's cells are labelled ``a₀,₀`` ... with their names.

    Raises
    ------
    TypeError, ValueError
        Bad arrays, stride or padding (as :func:`convdoc.conv2d`), an unknown ``lang``,
        or an input larger than 12x12 cells with its padding.

    Examples
    --------
    >>> from convdoc.figures import overview
    >>> from convdoc.examples import IMAGE, FILTER
    >>> svg = overview(IMAGE, FILTER, lang="en")
    >>> svg.startswith("<svg") and "<title" in svg and "a₂,₂" in svg
    True
    """
    t = _lang(lang)
    xa, wa, b, s, p, a = _single_filter(x, weight, bias, stride, padding, None)
    x3, pad = _pad3(xa[None], p)
    xp = x3[0]
    cell = 28
    cv = _Canvas()
    gy = 44  # top of the grids
    # input
    in_w = xp.shape[1] * cell
    sub = f"{xa.shape[0]}×{xa.shape[1]}"
    if any(p):
        sub += t["comma"] + t["padded"].format(p=_pp(p), h=xp.shape[0], w=xp.shape[1])
    _header(cv, in_w / 2, 14, t["image"], sub)
    _grid(cv, 0, gy, [[_v(v) for v in row] for row in xp], cell, grid="x", pad=pad)
    # operator, filter
    fx = in_w + 32
    f_w, f_h = wa.shape[1] * cell, wa.shape[0] * cell
    mid = gy + min(xp.shape[0] * cell, f_h) / 2
    cv.text(in_w + 16, mid + 6, "∗", size=20)
    _header(cv, fx + f_w / 2, 14, t["filter"], f"{wa.shape[0]}×{wa.shape[1]}")
    _grid(cv, fx, gy, [[_v(v) for v in row] for row in wa], cell, grid="w")
    cv.text(fx + f_w / 2, gy + f_h + 20, t["bias"].format(b=_v(b)), size=12)
    # feature map with the names of its cells
    mx = fx + f_w + 32
    cv.text(fx + f_w + 16, mid + 6, "=", size=20)
    h2, w2 = a.shape
    _header(cv, mx + w2 * cell / 2, 14, t["map"], f"{h2}×{w2}" + t["comma"] + t["stride"].format(s=_pp(s)))
    _grid(cv, mx, gy, [[_a(i, j) for j in range(w2)] for i in range(h2)], cell, grid="a", font=12, soft=True)
    bottom = gy + max(xp.shape[0] * cell, f_h + 26, h2 * cell) + 14
    if any(p):
        _legend(cv, 0, bottom, [("pad", t["leg_pad"])], mx + w2 * cell)
    padtxt = t["pad_desc"].format(p=_pp(p), hp=xp.shape[0], wp=xp.shape[1]) if any(p) else ""
    title = t["t_overview"].format(h=xa.shape[0], w=xa.shape[1], f1=wa.shape[0], f2=wa.shape[1], h2=h2, w2=w2)
    desc = t["d_overview"].format(
        h=xa.shape[0], w=xa.shape[1], x=_rows(xa, t), f1=wa.shape[0], f2=wa.shape[1], wt=_rows(wa, t),
        b=_v(b), padtxt=padtxt, h2=h2, w2=w2, s=_pp(s), last=_a(h2 - 1, w2 - 1),
    )
    return cv.render(title, desc, lang)


def _pp(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"


def window(x, weight, bias=0, *, at, stride=1, padding=0, activation=None, lang="zh") -> SVG:
    """One output element: the window on the input, the filter, every product and their sum.

    For an (H, W) input the figure shows the input with the window, the feature map with
    the cell being written (the cells before it, in reading order, already filled), then
    window ⊙ filter = products and the sum. For a (C, H, W) input it shows one row of
    window ⊙ filter = products per channel with each channel's sum, then the channel sums
    plus the bias. Every number comes from :func:`convdoc.explain` with the same arguments.

    Parameters
    ----------
    x : array_like
        (H, W) or (C, H, W).
    weight : array_like
        One filter, (F_h, F_w) or (C, F_h, F_w).
    bias : scalar
    at : (int, int)
        The output position (i, j).
    stride, padding : int or (h, w) pair
    activation : None or "relu"
    lang : {"zh", "en"}

    Returns
    -------
    SVG

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.explain`; also an unknown ``lang``, more than 4 channels, or an
        input larger than 12x12 cells with its padding.

    Examples
    --------
    >>> from convdoc.figures import window
    >>> from convdoc.examples import IMAGE, FILTER
    >>> svg = window(IMAGE, FILTER, at=(0, 0), activation="relu", lang="en")
    >>> 'data-grid="value"' in svg and ">4</text>" in svg
    True
    """
    t = _lang(lang)
    xa = _numbers(check_array(x, "x", ranks=(2, 3), finite=False))  # the size first: refuse before working
    x3 = xa.reshape((1,) * (3 - xa.ndim) + xa.shape)
    if x3.shape[0] > MAX_CHANNELS:
        raise ValueError(f"x has {x3.shape[0]} channels; figures draw at most {MAX_CHANNELS}")
    p = check_pair(padding, "padding", minimum=0)
    _check_size(x3.shape[1] + 2 * p[0], x3.shape[2] + 2 * p[1])
    e = explain(xa, weight, bias, at=at, stride=stride, padding=padding, activation=activation)
    s = e.stride
    wa = _numbers(np.asarray(weight))
    fh, fw = wa.shape[-2:]
    i, j = e.at
    full = conv2d(xa, wa, e.bias, stride=s, padding=p)
    if activation == "relu":
        full = relu(full)
    h2, w2 = full.shape
    per = fh * fw
    chans = [e.terms[d * per : (d + 1) * per] for d in range(e.channels)]
    r0, c0 = i * s[0], j * s[1]  # the window's top-left cell in padded coordinates
    cv = _Canvas()
    y = 0.0
    two_d = xa.ndim == 2

    def map_texts():
        return [[_v(full[r, c]) if (r, c) <= (i, j) else None for c in range(w2)] for r in range(h2)]

    if two_d:
        # row A: the input with the window, an arrow, the feature map with the cell being written
        xp3, pad = _pad3(x3, p)
        xp = xp3[0]
        cell = 28
        in_w, in_h = xp.shape[1] * cell, xp.shape[0] * cell
        sub = t["stride_pad"].format(s=_pp(s), p=_pp(p)) if any(p) else t["stride"].format(s=_pp(s))
        _header(cv, in_w / 2, 14, t["input"], sub)
        gy = 44
        _grid(cv, 0, gy, [[_v(v) for v in row] for row in xp], cell, grid="x", pad=pad, overlays=((r0, c0, fh, fw, "win"),))
        mx = in_w + 56
        cv.arrow(in_w + 10, gy + in_h / 2, mx - 10, gy + in_h / 2)
        _header(cv, mx + w2 * cell / 2, 14, t["map"], f"{h2}×{w2}")
        _grid(cv, mx, gy, map_texts(), cell, grid="a", overlays=((i, j, 1, 1, "out"),))
        y = gy + max(in_h, h2 * cell) + 26
    else:
        where = t["where"] if any(p) else t["where_raw"]
        cv.text(0, 14, where.format(r0=r0, r1=r0 + fh - 1, c0=c0, c1=c0 + fw - 1), size=13, anchor="start")
        cv.text(0, 32, t["stride_pad"].format(s=_pp(s), p=_pp(p)), size=13, anchor="start", cls="cdf-soft")
        y = 46.0

    # rows B: window ⊙ filter = products, one row per channel
    cell = 26 if two_d else 24
    gw = fw * cell
    label_w = 0 if two_d else 44
    xs = [label_w, label_w + gw + 30, label_w + 2 * (gw + 30)]
    names = (t["window"], t["filter"], t["products"])
    for k, name in enumerate(names):
        _header(cv, xs[k] + gw / 2, y + 14, name)
    y += 26
    sums = []
    for d, terms in enumerate(chans):
        win = [[None] * fw for _ in range(fh)]
        wts = [[None] * fw for _ in range(fh)]
        prods = [[None] * fw for _ in range(fh)]
        pmask = np.zeros((fh, fw), dtype=bool)
        for term in terms:
            win[term.m][term.n] = _v(term.input)
            wts[term.m][term.n] = _v(term.weight)
            prods[term.m][term.n] = _v(term.product)
            pmask[term.m, term.n] = term.padded
        data = {} if two_d else {"channel": d}
        if not two_d:
            cv.text(0, y + fh * cell / 2 + 5, t["channel_short"].format(d=d), size=13, anchor="start")
        _grid(cv, xs[0], y, win, cell, grid="xw", pad=pmask, overlays=((0, 0, fh, fw, "win"),), data=data)
        cv.text(xs[0] + gw + 15, y + fh * cell / 2 + 6, "⊙", size=18)
        _grid(cv, xs[1], y, wts, cell, grid="w", data=data)
        cv.text(xs[1] + gw + 15, y + fh * cell / 2 + 6, "=", size=18)
        _grid(cv, xs[2], y, prods, cell, grid="p", data=data)
        total = sum((term.product for term in terms), start=0)
        sums.append(total)
        if not two_d:
            cv.line(xs[2] + gw + 10, y + fh * cell / 2 + 5,
                    [("Σ = ", "", None), (_v(total), "cdf-b", {"grid": "sum", "channel": d})])
        y += fh * cell + 12

    # the sum, the bias, the activation
    y += 12
    name = _a(i, j)
    act = (lambda body: f"relu({body})") if activation == "relu" else (lambda body: body)
    if two_d:
        cv.text(0, y, t["sum_line"].format(terms=" + ".join(_signed(term.product) for term in e.terms), s=_v(sums[0])),
                size=13, anchor="start")
        y += 22
        line = f"{name} = {act('Σ + w_b')} = {act(f'{_signed(sums[0])} + {_signed(e.bias)}')} = "
    else:
        symbolic = f"{name} = {act(' + '.join(f'Σ{str(d).translate(_SUB)}' for d in range(e.channels)) + ' + w_b')}"
        numeric = " + ".join(_signed(v) for v in sums) + f" + {_signed(e.bias)}"
        line = f"= {act(numeric)} = "
        # the feature map, with the cell being written, to the right of the sum
        cell = 24
        widest = max(_text_width(symbolic, 13), _text_width(line + _v(e.value), 13))
        mx = max(xs[2], widest + 24)
        _header(cv, mx + w2 * cell / 2, y, t["map"], f"{h2}×{w2}")
        _grid(cv, mx, y + 26, map_texts(), cell, grid="a", overlays=((i, j, 1, 1, "out"),))
        bottom = y + 26 + h2 * cell
        cv.text(0, y, symbolic, size=13, anchor="start")
        y += 22
    cv.line(0, y, [(line, "", None), (_v(e.value), "cdf-b", {"grid": "value"})])
    y += 14
    if not two_d:
        y = max(y, bottom)
    items = [("win", t["leg_win"]), ("out", t["leg_out"])]
    if any(term.padded for term in e.terms) or (two_d and any(p)):
        items.append(("pad", t["leg_pad"]))
    _legend(cv, 0, y + 14, items, max(cv.box[2], 300))

    # title and description
    n = len(e.terms)
    title = t["t_window"].format(a=name, n=n)
    npad = sum(1 for term in e.terms[:per] if term.padded)
    where = t["d_where"].format(
        r0=r0, r1=r0 + fh - 1, c0=c0, c1=c0 + fw - 1,
        pad=t["d_where_pad"].format(n=npad) if any(p) else "",
    )

    def grid_of(vals):
        return t["sep"].join(" ".join(_v(v) for v in vals[r * fw : (r + 1) * fw]) for r in range(fh))

    if two_d:
        chan = t["d_window_2d"].format(
            x=grid_of([tm.input for tm in e.terms]), w=grid_of([tm.weight for tm in e.terms]),
            p=grid_of([tm.product for tm in e.terms]),
        )
        sumtxt = t["d_sum"].format(s=_v(sums[0]), b=_v(e.bias), t=_v(e.total))
    else:
        chan = "".join(
            t["d_window_ch"].format(
                d=d, x=grid_of([tm.input for tm in terms]), w=grid_of([tm.weight for tm in terms]),
                p=grid_of([tm.product for tm in terms]), s=_v(sums[d]),
            )
            for d, terms in enumerate(chans)
        )
        expr = " + ".join(_signed(v) for v in sums) + f" + {_signed(e.bias)}"
        sumtxt = t["d_sum_ch"].format(b=_v(e.bias), expr=expr, t=_v(e.total))
    acttxt = (t["d_act"] if activation == "relu" else t["d_noact"]).format(a=name, v=_v(e.value))
    desc = t["d_window"].format(
        shape=_shape(xa), sp=t["stride_pad"].format(s=_pp(s), p=_pp(p)), a=name, where=where,
        chan=chan, sumtxt=sumtxt, acttxt=acttxt, i=i, j=j,
    )
    return cv.render(title, desc, lang)


def feature_map(x, weight, bias=0, *, stride=1, padding=0, activation=None, lang="zh") -> SVG:
    """The complete feature map, with the window's first position and how far it moves.

    The input shows the window at its first position (dashed outline), a dot in the
    top-left cell of every position the window takes, and an arrow as long as the stride.
    The feature map holds every value, from :func:`convdoc.conv2d`.

    Parameters
    ----------
    x : array_like
        (H, W).
    weight : array_like
        (F_h, F_w).
    bias : scalar
    stride, padding : int or (h, w) pair
    activation : None or "relu"
    lang : {"zh", "en"}

    Returns
    -------
    SVG

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.conv2d`; also an unknown ``lang`` or ``activation``, or an input
        larger than 12x12 cells with its padding.

    Examples
    --------
    >>> from convdoc.figures import feature_map
    >>> from convdoc.examples import IMAGE, FILTER
    >>> svg = feature_map(IMAGE, FILTER, stride=2, lang="zh")
    >>> svg.count('data-grid="a" data-cell=')  # the four values of the 2x2 feature map
    4
    """
    t = _lang(lang)
    xa, wa, b, s, p, a = _single_filter(x, weight, bias, stride, padding, activation)
    x3, pad = _pad3(xa[None], p)
    xp = x3[0]
    fh, fw = wa.shape
    h2, w2 = a.shape
    cell = 28
    cv = _Canvas()
    in_w, in_h = xp.shape[1] * cell, xp.shape[0] * cell
    sub = t["stride_pad"].format(s=_pp(s), p=_pp(p)) if any(p) else f"{xa.shape[0]}×{xa.shape[1]}"
    _header(cv, in_w / 2, 14, t["input"], sub)
    gy = 70
    # the stride: an arrow from the first window's left edge to the second's
    if w2 > 1:
        cv.text(0, 48, t["stride"].format(s=s[1]), size=12, anchor="start")
        cv.arrow(0, 56, s[1] * cell, 56)
    _grid(cv, 0, gy, [[_v(v) for v in row] for row in xp], cell, grid="x", pad=pad, overlays=((0, 0, fh, fw, "win"),))
    for r in range(h2):
        for c in range(w2):
            cv.circle(c * s[1] * cell + 5, gy + r * s[0] * cell + 5, 2.6, "cdf-dot")
    fx = in_w + 32
    mid = gy + min(in_h, fh * cell) / 2
    cv.text(in_w + 16, mid + 6, "∗", size=20)
    _header(cv, fx + fw * cell / 2, 14, t["filter"], f"{fh}×{fw}")
    _grid(cv, fx, gy, [[_v(v) for v in row] for row in wa], cell, grid="w")
    cv.text(fx + fw * cell / 2, gy + fh * cell + 20, t["bias"].format(b=_v(b)), size=12)
    mx = fx + fw * cell + 32
    cv.text(fx + fw * cell + 16, mid + 6, "=", size=20)
    _header(cv, mx + w2 * cell / 2, 14, t["map"], f"{h2}×{w2}" + (" (ReLU)" if activation else ""))
    _grid(cv, mx, gy, [[_v(v) for v in row] for row in a], cell, grid="a", overlays=((0, 0, 1, 1, "out"),))
    y = gy + max(in_h, fh * cell + 26, h2 * cell) + 14
    items = [("win", t["leg_win0"]), ("out", t["leg_out0"]), ("dot", t["leg_dot"])]
    if any(p):
        items.append(("pad", t["leg_pad"]))
    _legend(cv, 0, y, items, max(cv.box[2], 300))
    padtxt = t["pad_desc"].format(p=_pp(p), hp=xp.shape[0], wp=xp.shape[1]) if any(p) else ""
    title = t["t_map"].format(s=_pp(s), h2=h2, w2=w2)
    desc = t["d_map"].format(
        shape=f"{xa.shape[0]}×{xa.shape[1]}", w=_rows(wa, t), b=_v(b), padtxt=padtxt, s=_pp(s),
        n=h2 * w2, h2=h2, w2=w2, a=_rows(a, t), acttxt=t["d_relu"] if activation else "",
    )
    return cv.render(title, desc, lang)


def steps(x, weight, bias=0, *, stride=1, padding=0, activation=None, lang="zh") -> SVG:
    """Every position of the sliding window, one small frame each, laid out like the feature map.

    Frame (i, j) shows the input with the window that computes ``a[i, j]`` and, under
    it, ``a[i, j]`` = its value. With stride 1 the window moves one cell from frame to
    frame; with stride 2, two. Frames are static, so the figure also prints and needs
    no animation.

    Parameters
    ----------
    x : array_like
        (H, W).
    weight : array_like
        (F_h, F_w).
    bias : scalar
    stride, padding : int or (h, w) pair
    activation : None or "relu"
    lang : {"zh", "en"}

    Returns
    -------
    SVG

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.conv2d`; also an unknown ``lang`` or ``activation``, an input
        larger than 12x12 cells with its padding, or more than 25 window positions.

    Examples
    --------
    >>> from convdoc.figures import steps
    >>> from convdoc.examples import IMAGE, FILTER
    >>> steps(IMAGE, FILTER, stride=1).count('data-grid="a"'), steps(IMAGE, FILTER, stride=2).count('data-grid="a"')
    (9, 4)
    """
    t = _lang(lang)
    xa, wa, b, s, p, a = _single_filter(x, weight, bias, stride, padding, activation)
    h2, w2 = a.shape
    if h2 * w2 > MAX_FRAMES:
        raise ValueError(
            f"the window takes {h2 * w2} positions ({h2}x{w2}); steps draws at most {MAX_FRAMES} frames"
        )
    x3, pad = _pad3(xa[None], p)
    xp = x3[0]
    fh, fw = wa.shape
    cell = 18
    fw_px, fh_px = xp.shape[1] * cell, xp.shape[0] * cell
    gap_x, gap_y = 22, 36
    cv = _Canvas()
    texts = [[_v(v) for v in row] for row in xp]
    frames = []
    for i in range(h2):
        for j in range(w2):
            x0, y0 = j * (fw_px + gap_x), i * (fh_px + gap_y)
            r0, c0 = i * s[0], j * s[1]
            _grid(cv, x0, y0, texts, cell, grid="x", pad=pad, overlays=((r0, c0, fh, fw, "win"),), font=11,
                  data={"frame": f"{i},{j}"})
            cv.line(x0 + fw_px / 2, y0 + fh_px + 19,
                    [(f"{_a(i, j)} = ", "", None), (_v(a[i, j]), "cdf-b", {"grid": "a", "cell": f"{i},{j}"})],
                    anchor="middle")
            frames.append(t["d_frame"].format(r0=r0, r1=r0 + fh - 1, c0=c0, c1=c0 + fw - 1, a=_a(i, j), v=_v(a[i, j])))
    items = [("win", t["leg_win"])]
    if any(p):
        items.append(("pad", t["leg_pad"]))
    _legend(cv, 0, h2 * (fh_px + gap_y) - 6, items, max(cv.box[2], 200))
    padtxt = t["comma"] + t["pad_only"].format(p=_pp(p)) if any(p) else ""
    title = t["t_steps"].format(s=_pp(s), n=h2 * w2)
    desc = t["d_steps"].format(
        shape=f"{xa.shape[0]}×{xa.shape[1]}", f1=fh, f2=fw, s=_pp(s), padtxt=padtxt,
        frames=t["sep"].join(frames),
    )
    return cv.render(title, desc, lang)


def volume(x, weight, bias=None, *, stride=1, padding=0, at=None, activation=None, lang="zh") -> SVG:
    """A multi-channel input, several filters with their biases, and the output volume.

    One row per input channel: the padded channel (padding hatched), then that channel's
    slice of every filter. Under each filter: its bias and the feature map it produces.
    With ``at=(k, i, j)`` the window of output ``a[k, i, j]`` is outlined on every channel,
    filter k is outlined, and the output cell is marked.

    Parameters
    ----------
    x : array_like
        (C, H, W), at most 4 channels.
    weight : array_like
        (K, C, F_h, F_w), at most 4 filters.
    bias : array_like, optional
        (K,), one bias per filter.
    stride, padding : int or (h, w) pair
    at : (int, int, int), optional
        (filter, row, column) of the output element to highlight.
    activation : None or "relu"
    lang : {"zh", "en"}

    Returns
    -------
    SVG

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.conv2d`; also an unknown ``lang``, ``activation`` or ``at``,
        more than 4 channels or filters, or an input larger than 12x12 cells with its padding.

    Examples
    --------
    >>> from convdoc.figures import volume
    >>> from convdoc.examples import DEMO_X, DEMO_W, DEMO_B
    >>> svg = volume(DEMO_X, DEMO_W, DEMO_B, stride=2, padding=1, at=(0, 2, 1), lang="en")
    >>> "output 3×3×2" in svg, svg.count('data-box="2,1,1,1"')  # the -5, outlined once
    (True, 1)
    """
    t = _lang(lang)
    xa = _numbers(check_array(x, "x", ranks=(3,)))
    wa = _numbers(check_array(weight, "weight", ranks=(4,)))
    _check_activation(activation)
    s = check_pair(stride, "stride", minimum=1)
    p = check_pair(padding, "padding", minimum=0)
    c_in, k_out = xa.shape[0], wa.shape[0]
    if c_in > MAX_CHANNELS:
        raise ValueError(f"x has {c_in} channels; figures draw at most {MAX_CHANNELS}")
    if k_out > MAX_FILTERS:
        raise ValueError(f"weight has {k_out} filters; figures draw at most {MAX_FILTERS}")
    _check_size(xa.shape[1] + 2 * p[0], xa.shape[2] + 2 * p[1])
    ba = None if bias is None else check_array(bias, "bias", ranks=(1,))
    out = conv2d(xa, wa, ba, stride=s, padding=p)  # checks channels, bias length and sizes
    if activation == "relu":
        out = relu(out)
    bvals = [0] * k_out if ba is None else list(ba)
    hl = None if at is None else _check_at(at, out.shape)
    xp, pad = _pad3(xa, p)
    fh, fw = wa.shape[2:]
    k_, h2, w2 = out.shape
    cell = 24
    in_w, in_h = xp.shape[2] * cell, xp.shape[1] * cell
    gap = 30
    fx = [in_w + gap + k * (fw * cell + gap) for k in range(k_out)]
    cv = _Canvas()
    _header(cv, in_w / 2, 14, t["input_shape"].format(shape=f"{xa.shape[1]}×{xa.shape[2]}×{c_in}"),
            t["padded"].format(p=_pp(p), h=xp.shape[1], w=xp.shape[2]) + f"×{c_in}")
    for k in range(k_out):
        _header(cv, fx[k] + fw * cell / 2, 14, t["filter_k"].format(k=str(k).translate(_SUB)), f"{fh}×{fw}×{c_in}")
    y = 44
    for d in range(c_in):
        cv.text(0, y + 12, t["channel"].format(d=d), size=12, anchor="start", cls="cdf-soft")
        gy = y + 20
        win = () if hl is None else ((hl[1] * s[0], hl[2] * s[1], fh, fw, "win"),)
        _grid(cv, 0, gy, [[_v(v) for v in row] for row in xp[d]], cell, grid="x", pad=pad, overlays=win,
              data={"channel": d})
        for k in range(k_out):
            sel = ((0, 0, fh, fw, "win"),) if hl is not None and hl[0] == k else ()
            _grid(cv, fx[k], gy, [[_v(v) for v in row] for row in wa[k, d]], cell, grid="w", overlays=sel,
                  data={"filter": k, "channel": d})
        y = gy + in_h + 14
    # biases and output maps under their filters
    y += 4
    for k in range(k_out):
        cx = fx[k] + fw * cell / 2
        cv.text(cx, y + 12, t["bias_k"].format(b=_v(bvals[k])), size=13, cls="cdf-b", data={"grid": "b", "filter": k})
        cv.arrow(cx, y + 20, cx, y + 40)
        cv.text(cx, y + 58, t["map_k"].format(k=k), size=12)
        sel = ((hl[1], hl[2], 1, 1, "out"),) if hl is not None and hl[0] == k else ()
        mx = fx[k] + (fw - w2) * cell / 2
        _grid(cv, mx, y + 66, [[_v(v) for v in row] for row in out[k]], cell, grid="a", overlays=sel,
              data={"filter": k})
    # under the input: the stride and the legend
    cv.text(0, y + 12, t["stride_pad"].format(s=_pp(s), p=_pp(p)), size=13, anchor="start", cls="cdf-b")
    cv.text(0, y + 32, t["output"].format(shape=f"{h2}×{w2}×{k_out}") + (" (ReLU)" if activation else ""),
            size=12, anchor="start", cls="cdf-soft")
    items = [("win", t["leg_winf"]), ("out", t["leg_out"]), ("pad", t["leg_pad"])] if hl else [("pad", t["leg_pad"])]
    if not any(p):
        items = [it for it in items if it[0] != "pad"]
    if items:
        _legend(cv, 0, y + 80 + h2 * cell, items, cv.box[2])
    # title and description
    xs = t["sep"].join(t["d_vol_x"].format(d=d, v=_rows(xa[d], t)) for d in range(c_in))
    filters = t["sep"].join(
        t["d_vol_w"].format(k=k, b=_v(bvals[k]), v=" | ".join(_rows(wa[k, d], t) for d in range(c_in)))
        for k in range(k_out)
    )
    outs = t["sep"].join(t["d_vol_a"].format(k=k, v=_rows(out[k], t)) for k in range(k_out))
    hltxt = ""
    if hl is not None:
        r0, c0 = hl[1] * s[0], hl[2] * s[1]
        hltxt = t["d_vol_hl"].format(k=hl[0], i=hl[1], j=hl[2], v=_v(out[hl]), r0=r0, r1=r0 + fh - 1, c0=c0, c1=c0 + fw - 1)
    title = t["t_volume"].format(c=c_in, h=xa.shape[1], w=xa.shape[2], p=_pp(p), k=k_out, f1=fh, f2=fw, s=_pp(s), h2=h2, w2=w2)
    desc = t["d_volume"].format(
        h=xa.shape[1], w=xa.shape[2], c=c_in, p=_pp(p), hp=xp.shape[1], wp=xp.shape[2], xs=xs,
        filters=filters, s=_pp(s), h2=h2, w2=w2, k=k_out, outs=outs, hl=hltxt,
    ).strip()
    return cv.render(title, desc, lang)


# -- one axis: which cells each window reads (convdoc.coverage) ------------------------------

#: Most cells :func:`windows` draws along its axis: padding and cells past the padded input included.
MAX_AXIS = 20

_AXIS_TEXT = {
    "zh": {
        "name": "沿一个轴：输入与窗口",
        "sub_in": "长 {n}", "sub_pad": "填充 {p}", "sub_k": "窗口大小 {k}", "sub_s": "步幅 {s}", "sub_d": "扩张 {d}",
        "comma": "，", "semi": "；",
        "dropped": "被丢弃",
        "leg_win": "窗口读到的格子（条上是窗口编号）", "leg_gap": "扩张时跳过的格子",
        "leg_pad": "填充", "leg_past": "超出填充后的输入",
        "leg_drop": "被丢弃的窗口：起点在输入右边（PyTorch 的规则）",
        "t": "沿一个轴：长 {n} 的输入，{params}，共 {out} 个窗口",
        "t_k": "窗口大小 {k}，步幅 {s}", "t_pad": "，填充 {p}", "t_d": "，扩张 {d}",
        "d_in": "输入沿这个轴有 {n} 格，编号 {range}{pad}。",
        "d_range": "0 到 {last}",
        "d_pad": "，两侧各补 {p} 格填充（斜线格，标 p）",
        "d_win": "窗口大小 {k}，步幅 {s}{d}{ceil}，共 {out} 个窗口：{lists}。",
        "d_dil": "，扩张 {d}（读的格子两两相隔 {d}）",
        "d_ceil": "，ceil_mode 向上取整",
        "d_item": "窗口 {o} 读 [{cells}]", "d_sep": "；",
        "d_legend": ("p 表示填充", "– 表示超出填充后的输入", "，", "。"),
        "d_past": "最后一个窗口伸出填充后的输入 {m} 格（虚线格，标 –）；ceil_mode 下最多可以伸出 步幅 − 1 = {s1} 格。",
        "d_drop": "第 {o} 个窗口的起点是编号 {start} 的位置，已在输入右边，按 PyTorch 的规则被丢弃（图中划掉的那一条，它会读 [{cells}]）。",
        "d_all": "输入的每一格都被读到。",
        "d_none": "编号 {idx} 的格子没有被任何窗口读到。",
        "cells": ("格", "格"),
    },
    "en": {
        "name": "one axis: the input and the windows",
        "sub_in": "size {n}", "sub_pad": "padding {p}", "sub_k": "kernel {k}", "sub_s": "stride {s}", "sub_d": "dilation {d}",
        "comma": ", ", "semi": "; ",
        "dropped": "dropped",
        "leg_win": "cells a window reads (numbered bars)", "leg_gap": "skipped by dilation",
        "leg_pad": "padding", "leg_past": "past the padded input",
        "leg_drop": "dropped window: it would start right of the input (PyTorch's rule)",
        "t": "One axis: an input of size {n}, {params}: {out} {windows}",
        "t_k": "kernel {k}, stride {s}", "t_pad": ", padding {p}", "t_d": ", dilation {d}",
        "d_in": "Along this axis the input has {n} {cell}, numbered {range}{pad}. ",
        "d_range": "0 to {last}",
        "d_pad": ", with {p} {cell} of padding on each side (hatched, marked p)",
        "d_win": "Kernel {k}, stride {s}{d}{ceil}: {out} {windows}, {lists}. ",
        "d_dil": ", dilation {d} (the cells read are {d} apart)",
        "d_ceil": ", ceil_mode rounding up",
        "d_item": "window {o} reads [{cells}]", "d_sep": "; ",
        "d_legend": ("p = padding", "– = past the padded input", ", ", ". "),
        "d_past": ("The last window hangs {m} {cell} past the padded input (dashed, marked –); with "
                   "ceil_mode it may reach at most stride − 1 = {s1} {cell1} past it. "),
        "d_drop": ("Window {o} would start at cell {start}, right of the input, so it is dropped (PyTorch's rule; "
                   "the struck-out bar, which would read [{cells}]). "),
        "d_all": "Every input cell is read.",
        "d_none": "Input {cell} {idx} {verb} never read.",
        "cells": ("cell", "cells"),
    },
}


def _axis_cell(i: int, n: int, p: int) -> str:
    """An input index as the figure labels it: the index, ``p`` for padding, ``–`` past the padded input."""
    if 0 <= i < n:
        return str(i)
    return "p" if -p <= i < n + p else "–"


def windows(size, kernel_size, stride=1, padding=0, dilation=1, *, ceil_mode=False, lang="zh") -> SVG:
    """The windows along one axis: which input cells each one reads, drawn from :func:`convdoc.coverage`.

    A row of cells: the left padding (hatched, marked ``p``), the input cells numbered
    ``0 ... size-1``, the right padding and, only when a window reaches there, the cells
    past the padded input (dashed, marked ``–``). Under the row, one bar per window over
    the cells it reads, numbered from 1 in the order of the output; with dilation only
    the taps are marked, joined by a thin line over the skipped cells. Windows that do
    not overlap share a line. With ``ceil_mode``, when ``coverage(...).dropped`` the
    window PyTorch drops (it would start right of the input) is drawn too, struck out
    and marked "dropped". Every window, tap and flag comes from :func:`convdoc.coverage`
    with the same arguments.

    Parameters
    ----------
    size, kernel_size, stride, dilation : int, each >= 1
    padding : int >= 0
        Per side, as in PyTorch.
    ceil_mode : bool
        Count the windows as PyTorch's pooling layers do with ``ceil_mode=True``.
    lang : {"zh", "en"}

    Returns
    -------
    SVG
        Cells carry ``data-grid="axis"``, ``data-cell`` (the input index, negative in the
        left padding) and ``data-kind`` (``"input"``, ``"pad"`` or ``"past"``); each
        window's marks carry ``data-window`` (its number) and ``data-tap`` (the index read);
        the dropped window's also ``data-dropped="true"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.coverage` (a pair instead of an int, a value below its minimum,
        a kernel that does not fit); also an unknown ``lang``, or more than 20 cells to
        draw (input, padding and cells past it), refused before the windows are listed.

    Examples
    --------
    >>> from convdoc import coverage
    >>> from convdoc.figures import windows
    >>> svg = windows(5, 2, stride=2, padding=1, ceil_mode=True, lang="en")
    >>> coverage(5, 2, stride=2, padding=1, ceil_mode=True).dropped, svg.count('data-dropped="true"') > 0
    (True, True)
    >>> svg.count('data-kind="input"'), svg.count('data-kind="pad"'), svg.count('data-kind="past"')
    (5, 2, 1)
    >>> "dropped" in windows(1, 2, stride=2, ceil_mode=True, lang="en")  # hangs past the input, kept
    False
    """
    _lang(lang)
    t = _AXIS_TEXT[lang]
    # the checks coverage makes, but first the size of the drawing: nothing is listed before it is known
    for name, value in (("size", size), ("kernel_size", kernel_size), ("stride", stride),
                        ("padding", padding), ("dilation", dilation)):
        if is_pair(value):
            raise TypeError(
                f"windows draws one axis: {name} must be an int, got {value!r}; draw the rows and the "
                f"columns with one call each"
            )
    out = output_size(size, kernel_size, stride, padding, dilation, ceil_mode=ceil_mode)  # O(1), checks all
    n, k, s, p, d = (int(v) for v in (size, kernel_size, stride, padding, dilation))
    eff = d * (k - 1) + 1
    drawn = -(-(n + 2 * p - eff) // s) + 1 if ceil_mode else out  # windows with the dropped one, if any
    cells = max(n + 2 * p, (drawn - 1) * s + eff)
    if cells > MAX_AXIS:
        raise ValueError(
            f"too large to draw: size={n} with padding={p} on each side"
            + (f" and windows reaching to cell {(drawn - 1) * s + eff - p - 1}" if cells > n + 2 * p else "")
            + f" is {cells} cells, and windows draws at most {MAX_AXIS}; use coverage for larger axes"
        )
    c = coverage(n, k, s, p, d, ceil_mode=ceil_mode)
    wins = [(o + 1, w, False) for o, w in enumerate(c.windows)]
    if c.dropped:  # the window PyTorch drops: where it would have been
        start = c.output * s - p
        wins.append((c.output + 1, tuple(start + m * d for m in range(k)), True))
    end = max([n + p] + [w[-1] + 1 for _, w, _ in wins])  # one past the last cell drawn (input index)
    past = end - (n + p)

    cell, cv = 28, _Canvas()

    def cx(i: int) -> float:  # left edge of input index i
        return (i + p) * cell

    # header
    sub = [t["sub_in"].format(n=n)] + ([t["sub_pad"].format(p=p)] if p else [])
    sub2 = [t["sub_k"].format(k=k), t["sub_s"].format(s=s)] + ([t["sub_d"].format(d=d)] if d > 1 else [])
    sub2 += ["ceil_mode=True"] if ceil_mode else []
    # left-aligned with the row: a narrow axis (one or two cells) keeps its cells under the text
    cv.text(0, 14, t["name"], size=14, anchor="start", cls="cdf-b")
    cv.text(0, 30, t["comma"].join(sub) + t["semi"] + t["comma"].join(sub2), size=12, anchor="start", cls="cdf-soft")
    gy = 44

    # the row of cells: padding hatched, input numbered, past the padded input dashed
    pads = [i for i in range(-p, n + p) if not 0 <= i < n]
    if pads:
        q = cell / 3
        cv.path("".join(f"M{_n(cx(i))} {_n(gy)}h{cell}v{cell}h{-cell}Z" for i in pads), "cdf-pad")
        cv.path("".join(
            f"M{_n(cx(i))} {_n(gy + q)}L{_n(cx(i) + q)} {_n(gy)}"
            f"M{_n(cx(i) + cell - q)} {_n(gy + cell)}L{_n(cx(i) + cell)} {_n(gy + cell - q)}" for i in pads
        ), "cdf-hatch")
    width = (n + 2 * p) * cell
    lines = f"M0 {_n(gy)}h{_n(width)}v{cell}h{_n(-width)}Z" + "".join(
        f"M{_n(c_ * cell)} {_n(gy)}v{cell}" for c_ in range(1, n + 2 * p))
    cv.path(lines, "cdf-grid")
    cv._grow(0, gy, width, gy + cell)
    for i in range(n + p, end):
        cv.parts.append(
            f'<rect class="cdf-grid" x="{_n(cx(i) + 1)}" y="{_n(gy + 1)}" width="{cell - 2}" height="{cell - 2}" '
            'stroke-dasharray="3 3"/>'
        )
        cv._grow(cx(i), gy, cx(i) + cell, gy + cell)
    if past:  # where the padded input ends
        cv.parts.append(f'<path class="cdf-line" stroke-width="2.5" d="M{_n(width)} {_n(gy - 6)}v{cell + 12}"/>')
    font = 15
    for i in range(-p, end):
        kind = "input" if 0 <= i < n else ("pad" if i < n + p else "past")
        cls = {"input": "", "pad": "cdf-pv", "past": "cdf-soft"}[kind]
        cv.text(cx(i) + cell / 2, gy + cell / 2 + 0.36 * font, _axis_cell(i, n, p), size=font, cls=cls,
                data={"grid": "axis", "cell": i, "kind": kind})

    # the windows: one bar each; windows that cannot overlap share a line
    lanes = min(-(-eff // s), len(wins))
    bar, lane_gap = 18, 10
    ly0 = gy + cell + 14
    label_font = 11
    for o, taps, dropped in wins:
        y = ly0 + ((o - 1) % lanes) * (bar + lane_gap)
        mid = y + bar / 2
        data = {"window": o, **({"dropped": "true"} if dropped else {})}
        runs: list[list[int]] = []
        for i in taps:
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            for i in run:
                x0 = cx(i) + (2 if i == run[0] else 0)
                x1 = cx(i) + cell - (2 if i == run[-1] else 0)
                cv.rect(x0, y, x1 - x0, bar, "cdf-pad" if dropped else "cdf-win-bg", {**data, "tap": i})
        for a, b in zip(runs, runs[1:]):  # dilation: a thin line over the skipped cells
            dash = ' stroke-dasharray="4 3"' if dropped else ""
            cv.parts.append(f'<path class="cdf-line"{dash} d="M{_n(cx(a[-1]) + cell - 2)} {_n(mid)}H{_n(cx(b[0]) + 2)}"/>')
        for run in runs:
            x0, x1 = cx(run[0]) + 2, cx(run[-1]) + cell - 2
            if dropped:
                cv.parts.append(
                    f'<rect class="cdf-line" x="{_n(x0)}" y="{_n(y)}" width="{_n(x1 - x0)}" height="{bar}" '
                    'stroke-dasharray="4 3"/>'
                )
            else:
                cv.rect(x0, y, x1 - x0, bar, "cdf-win")
        first = runs[0]
        cv.text((cx(first[0]) + cx(first[-1]) + cell) / 2, mid + 0.36 * label_font, str(o), size=label_font,
                cls="cdf-b", data={"window-label": o, **({"dropped": "true"} if dropped else {})})
        if dropped:  # struck out, and said so
            x0, x1 = cx(taps[0]), cx(taps[-1]) + cell
            cv.parts.append(f'<path class="cdf-line" data-strike="{o}" d="M{_n(x0 - 3)} {_n(mid)}H{_n(x1 + 3)}"/>')
            cv.text(x1 + 8, mid + 4, t["dropped"], size=12, anchor="start", data={"dropped": "true"})
    y = ly0 + lanes * (bar + lane_gap) + 8

    # the legend (the figure's own swatches: padding here is not zeros, a window is a bar)
    items = ["win"] + (["gap"] if d > 1 and k > 1 else []) + (["pad"] if p else []) + (["past"] if past else [])
    items += ["drop"] if c.dropped else []
    sw, gap_, line_h = 16, 18, 22
    lx, lw = 0.0, max(cv.box[2], 300)
    for kind in items:
        label = t["leg_" + kind]
        w = sw + 6 + _text_width(label, 12)
        if lx > 0 and lx + w > lw:
            lx, y = 0.0, y + line_h
        if kind == "win":
            cv.rect(lx, y + 3, sw, 10, "cdf-win-bg")
            cv.rect(lx, y + 3, sw, 10, "cdf-win")
        elif kind == "gap":
            cv.parts.append(f'<path class="cdf-line" d="M{_n(lx)} {_n(y + 8)}h{sw}"/>')
        elif kind == "pad":
            q = sw / 3
            cv.path(f"M{_n(lx)} {_n(y)}h{sw}v{sw}h{-sw}Z", "cdf-pad")
            cv.path(f"M{_n(lx)} {_n(y + q)}L{_n(lx + q)} {_n(y)}M{_n(lx + sw - q)} {_n(y + sw)}L{_n(lx + sw)} {_n(y + sw - q)}",
                    "cdf-hatch")
            cv.path(f"M{_n(lx)} {_n(y)}h{sw}v{sw}h{-sw}Z", "cdf-grid")
            cv.text(lx + sw / 2, y + sw / 2 + 4, "p", size=11, cls="cdf-pv")
        elif kind == "past":
            cv.parts.append(f'<rect class="cdf-grid" x="{_n(lx + 1)}" y="{_n(y + 1)}" width="{sw - 2}" height="{sw - 2}" '
                            'stroke-dasharray="3 3"/>')
            cv.text(lx + sw / 2, y + sw / 2 + 4, "–", size=11, cls="cdf-soft")
        else:  # drop
            cv.rect(lx, y + 3, sw, 10, "cdf-pad")
            cv.parts.append(f'<rect class="cdf-line" x="{_n(lx)}" y="{_n(y + 3)}" width="{sw}" height="10" '
                            'stroke-dasharray="4 3"/>')
            cv.parts.append(f'<path class="cdf-line" d="M{_n(lx - 2)} {_n(y + 8)}h{sw + 4}"/>')
        cv._grow(lx, y, lx + sw, y + sw)
        cv.text(lx + sw + 6, y + sw / 2 + 4.5, label, size=12, anchor="start")
        lx += w + gap_

    # title and description, from the same coverage record
    en = lang == "en"
    params = t["t_k"].format(k=k, s=s) + (t["t_pad"].format(p=p) if p else "") + (t["t_d"].format(d=d) if d > 1 else "")
    params += ", ceil_mode" if ceil_mode and en else ("，ceil_mode" if ceil_mode else "")
    plural = "window" if c.output == 1 else "windows"
    title = t["t"].format(n=n, params=params, out=c.output, windows=plural)
    lists = t["d_sep"].join(
        t["d_item"].format(o=o, cells=", ".join(_axis_cell(i, n, p) for i in w)) for o, w, dr in wins if not dr
    )
    def word(count: int) -> str:
        return t["cells"][0 if count == 1 else 1]

    desc = t["d_in"].format(n=n, cell=word(n), range=t["d_range"].format(last=n - 1) if n > 1 else "0",
                            pad=t["d_pad"].format(p=p, cell=word(p)) if p else "")
    desc += t["d_win"].format(k=k, s=s, d=t["d_dil"].format(d=d) if d > 1 else "",
                              ceil=t["d_ceil"] if ceil_mode else "", out=c.output, windows=plural, lists=lists)
    marks = {_axis_cell(i, n, p) for _, w, _ in wins for i in w}
    legend = [text for mark, text in zip("p–", t["d_legend"][:2]) if mark in marks]
    if legend:
        desc += t["d_legend"][2].join(legend) + t["d_legend"][3]
    reach = max(c.windows[-1][-1] - (n + p) + 1, 0)
    if reach:
        desc += t["d_past"].format(m=reach, cell=word(reach), s1=s - 1, cell1=word(s - 1))
    if c.dropped:
        o, w, _ = wins[-1]
        desc += t["d_drop"].format(o=o, start=w[0], cells=", ".join(_axis_cell(i, n, p) for i in w))
    if c.uncovered:
        sep = "、" if not en else ", "
        u = len(c.uncovered)
        desc += t["d_none"].format(idx=sep.join(str(i) for i in c.uncovered), cell=word(u), verb="is" if u == 1 else "are")
    else:
        desc += t["d_all"]
    return cv.render(title, desc.strip(), lang)
