"""Term-by-term derivation of one output element, rendered for the pages.

``explain(x, weight, bias, at=(i, j), ...)`` lists every product
``w[d,m,n] * x[d, i*S + m*D - P, j*S + n*D - P]`` that makes up ``a[i,j]``, so a
page shows "= 1 + 0 + 1 + 0 + 1 + 0 + 0 + 0 + 1 + 0 = 4" computed, not typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import check_array, check_finite, check_int, check_lang, check_listing, check_pair, pair_text
from .conv import _prepare, relu

__all__ = ["explain", "Explanation", "Term", "explain_grad", "GradExplanation", "GradTerm"]

_ACTIVATIONS = {None: None, "relu": relu}


def _check_activation(activation: Any) -> None:
    """The activations convdoc knows, None or "relu": the rule of explain and of the figures."""
    if not (activation is None or isinstance(activation, str)) or activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be None or 'relu', got {activation!r}")


def _activate(a: Any, activation: Any) -> Any:
    """``a`` after a checked activation: itself for None, ``relu(a)`` for "relu"."""
    return a if activation is None else _ACTIVATIONS[activation](a)

_TEXT = {
    "zh": {
        "title": "特征图元素 {a} 的计算（步幅 {s}，填充 {p}{dil}）：",
        "dil": "，扩张率 {d}",
        "head": "| 通道 d | 行 m | 列 n | 权重 w | 输入 x | 乘积 w·x |",
        "padded": "{v}（填充）",
        "bias": "偏置 w_b = {b}",
        "sum": "乘积之和 {s} 加偏置 {b} 得 {t}",
        "act": "，经 ReLU 得 {v}",
        "sep": "；",
        "end": "。",
    },
    "en": {
        "title": "Computing feature-map element {a} (stride {s}, padding {p}{dil}):",
        "dil": ", dilation {d}",
        "head": "| channel d | row m | col n | weight w | input x | product w·x |",
        "padded": "{v} (padding)",
        "bias": "bias w_b = {b}",
        "sum": "the products add up to {s}; with the bias {b} that is {t}",
        "act": "; after ReLU, {v}",
        "sep": "; ",
        "end": ".",
    },
}


def _num(v: Any) -> str:
    """A number as the pages print it: integers without '.0', floats compactly."""
    v = v.item() if isinstance(v, np.generic) else v
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:g}" if isinstance(v, float) else str(v)


def _shown(v: Any) -> str:
    """A number as the Markdown text shows it: with a real minus sign (−6), as the prose and figures do."""
    return _num(v).replace("-", "\u2212")


def _signed(v: Any) -> str:
    s = _num(v)
    return f"({s})" if s.startswith("-") else s


@dataclass(frozen=True)
class Term:
    """One product ``weight * input`` of the sum.

    ``d, m, n`` index the filter (channel, row, column); ``row, col`` index the
    unpadded input and fall outside it when the pixel is zero padding.
    """

    d: int
    m: int
    n: int
    weight: Any
    input: Any
    row: int
    col: int
    padded: bool

    @property
    def product(self) -> Any:
        return self.weight * self.input


@dataclass(frozen=True)
class Explanation:
    """The derivation of ``a[i,j]``: ``terms``, ``bias``, ``total`` and ``value``."""

    at: tuple[int, int]
    terms: tuple[Term, ...]
    bias: Any
    activation: str | None
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    channels: int  # 1 for a 2-D input: the formula then has no d

    @property
    def total(self) -> Any:
        """The sum of the products plus the bias, before the activation."""
        return sum((t.product for t in self.terms), start=0) + self.bias

    @property
    def value(self) -> Any:
        """The output element: ``total`` after the activation (if any)."""
        t = self.total
        if self.activation is None:
            return t
        return _ACTIVATIONS[self.activation](np.asarray(t)).item()

    # -- renderings -----------------------------------------------------
    def _name(self) -> str:
        return f"a_{{{self.at[0]},{self.at[1]}}}"

    def _wrap(self, body: str) -> str:
        return body if self.activation is None else f"\\mathrm{{{self.activation}}}\\left({body}\\right)"

    def _groups(self, fmt) -> list[str]:
        per = len(self.terms) // self.channels
        return [
            " + ".join(fmt(t) for t in self.terms[c * per : (c + 1) * per]) for c in range(self.channels)
        ]

    def to_latex(self) -> str:
        """A ``\\begin{aligned}`` block: the formula, the products, their values, the result."""
        (i, j), (s_h, s_w), (d_h, d_w), (p_h, p_w) = self.at, self.stride, self.dilation, self.padding
        kh = max(t.m for t in self.terms)
        kw = max(t.n for t in self.terms)

        def idx(base: int, step: int, var: str) -> str:
            tap = var if step == 1 else f"{step}{var}"
            return f"{base}+{tap}"

        # unpadded input coordinates: pixels outside the input are the zero padding
        rows = idx(i * s_h - p_h, d_h, "m")
        cols = idx(j * s_w - p_w, d_w, "n")
        if self.channels == 1:
            sums = f"\\sum_{{m=0}}^{{{kh}}}\\sum_{{n=0}}^{{{kw}}}"
            wx = f"w_{{m,n}}\\,x_{{{rows},\\,{cols}}}"
        else:
            sums = f"\\sum_{{d=0}}^{{{self.channels - 1}}}\\sum_{{m=0}}^{{{kh}}}\\sum_{{n=0}}^{{{kw}}}"
            wx = f"w_{{d,m,n}}\\,x_{{d,\\,{rows},\\,{cols}}}"
        lines = [f"{self._name()} &= {self._wrap(f'{sums} {wx} + w_b')}"]
        prods = self._groups(lambda t: f"{_signed(t.weight)}\\cdot {_signed(t.input)}")
        vals = self._groups(lambda t: _signed(t.product))
        for groups in (prods, vals):
            if self.channels == 1:
                body = f"{groups[0]} + {_signed(self.bias)}"
                lines.append(f"&= {self._wrap(body)}")
            else:
                # one line per channel keeps 27 products readable
                open_, close = ("\\mathrm{relu}\\big(", "\\big)") if self.activation else ("", "")
                lines.append(f"&= {open_}[{groups[0]}]")
                for g in groups[1:]:
                    lines.append(f"&\\quad + [{g}]")
                lines.append(f"&\\quad + {_signed(self.bias)}{close}")
        if self.activation is not None:
            lines.append(f"&= \\mathrm{{{self.activation}}}({_num(self.total)})")
        lines.append(f"&= {_num(self.value)}")
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def to_markdown(self, lang: str = "zh") -> str:
        """A Markdown table of every product, then the sum, in ``"zh"`` or ``"en"``.

        Each language is punctuated as it is written (Chinese with ，；。) and negative numbers
        carry a real minus sign (−6), as in the pages' prose; the closing formula is LaTeX.
        """
        t = _TEXT[check_lang(lang)]
        dil = t["dil"].format(d=pair_text(self.dilation)) if self.dilation != (1, 1) else ""
        out = [
            t["title"].format(a=f"$a_{{{self.at[0]},{self.at[1]}}}$", s=pair_text(self.stride), p=pair_text(self.padding), dil=dil),
            "",
            t["head"],
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for term in self.terms:
            x = t["padded"].format(v=_shown(term.input)) if term.padded else _shown(term.input)
            out.append(f"| {term.d} | {term.m} | {term.n} | {_shown(term.weight)} | {x} | {_shown(term.product)} |")
        out.append("")
        products = sum((term.product for term in self.terms), start=0)
        line = t["bias"].format(b=_shown(self.bias)) + t["sep"] + t["sum"].format(
            s=_shown(products), b=_shown(self.bias), t=_shown(self.total)
        )
        if self.activation is not None:
            line += t["act"].format(v=_shown(self.value))
        out.append(line + t["end"])
        out.append("")
        out.append(f"$${self._name()} = {self.expansion()}$$")
        return "\n".join(out)

    def expansion(self) -> str:
        """``"relu(1 + 0 + ... + 0) = 4"``: the products' values and the bias, then the result."""
        body = " + ".join(_signed(t.product) for t in self.terms) + f" + {_signed(self.bias)}"
        if self.activation is not None:
            body = f"{self.activation}({body})"
        return f"{body} = {_num(self.value)}"

    def __str__(self) -> str:
        return f"a[{self.at[0]},{self.at[1]}] = {self.expansion()}"


def explain(x, weight, bias=0, *, at, stride=1, padding=0, dilation=1, activation=None) -> Explanation:
    """Every product that makes up one output element ``a[i, j]``.

    Parameters
    ----------
    x : array_like
        (H, W) or (C, H, W).
    weight : array_like
        One filter: (F_h, F_w) or (C, F_h, F_w).
    bias : scalar
        The filter's bias ``w_b``.
    at : (int, int)
        The output position (i, j), counted from 0.
    stride, padding, dilation : int or (h, w) pair
    activation : None or "relu"

    Returns
    -------
    Explanation
        ``.terms`` (each with ``.weight``, ``.input``, ``.product``), ``.bias``,
        ``.total`` (before the activation), ``.value``, and the renderings
        ``.to_latex()``, ``.to_markdown(lang)``, ``str()``.

    Examples
    --------
    >>> from convdoc import explain
    >>> from convdoc.examples import IMAGE, FILTER
    >>> e = explain(IMAGE, FILTER, at=(0, 0), activation="relu")
    >>> print(e)
    a[0,0] = relu(1 + 0 + 1 + 0 + 1 + 0 + 0 + 0 + 1 + 0) = 4
    >>> len(e.terms), e.value
    (9, 4)
    """
    xa = check_array(x, "x", ranks=(2, 3), finite=False)
    wa = check_array(weight, "weight", ranks=(2, 3), finite=False)
    b = check_array(bias, "bias", ranks=(0,))
    if b.dtype == np.bool_:
        raise TypeError(f"bias must be a number, got {bias!r}: True/False is not a bias; use 0 for no bias")
    b = b.item()
    _check_activation(activation)
    if not isinstance(at, (tuple, list)) or len(at) != 2:
        raise TypeError(f"at must be an (i, j) pair of output indices, got {at!r}")
    i = check_int(at[0], "at[0]", minimum=0)
    j = check_int(at[1], "at[1]", minimum=0)
    # conv2d's checks (shapes, channels, sizes, finite values) without building the output: one element is read
    p, xa, wa, _ = _prepare(xa, wa, None, stride, padding, dilation, 1, memory=False)
    check_finite(xa, "x")
    check_finite(wa, "weight")
    h2, w2 = p.out_hw
    if i >= h2 or j >= w2:
        raise ValueError(f"at={tuple(at)} is outside the output: the feature map is {h2}x{w2}, so i < {h2} and j < {w2}")
    s, pd, dl = p.stride, p.padding, p.dilation
    x3, w3 = xa.reshape(p.x4)[0], wa.reshape(p.w4)[0]
    terms = []
    for d in range(w3.shape[0]):
        for m in range(w3.shape[1]):
            for n in range(w3.shape[2]):
                r, c, xv, padded = _read(x3, d, (i, j), (m, n), s, pd, dl)
                terms.append(Term(d, m, n, _value(w3[d, m, n]), xv, r, c, padded))
    return Explanation((i, j), tuple(terms), b, activation, s, pd, dl, w3.shape[0])


def _value(v: np.generic) -> Any:
    """A Python number (bool read as 0/1), so products and sums are exact Python arithmetic."""
    v = v.item()
    return int(v) if isinstance(v, bool) else v


def _read(x3: np.ndarray, d: int, at: tuple[int, int], tap: tuple[int, int], s, pd, dl) -> tuple[int, int, Any, bool]:
    """The pixel that tap (m, n) of output (i, j) reads in channel d: its row and column in the
    unpadded input, its value (0 in the padding) and whether it is padding."""
    (i, j), (m, n) = at, tap
    r, c = i * s[0] + m * dl[0] - pd[0], j * s[1] + n * dl[1] - pd[1]
    inside = 0 <= r < x3.shape[1] and 0 <= c < x3.shape[2]
    return r, c, (_value(x3[d, r, c]) if inside else 0), not inside


# --- the gradient of one weight ------------------------------------------------------------

_GRAD_TEXT = {
    "zh": {
        "title": "权重梯度 {w} 的计算（步幅 {s}，填充 {p}{dil}）：这个权重在每个输出位置都用过一次，梯度是这些位置的和。",
        "dil": "，扩张 {d}",
        "head": "| 输出 i | 输出 j | 输出梯度 g | 输入行 | 输入列 | 输入 x | 乘积 g·x |",
        "padded": "{v}（填充）",
        "sum": "{n} 个乘积之和：{v}",
    },
    "en": {
        "title": "Computing the weight gradient {w} (stride {s}, padding {p}{dil}): this weight was used once at every output position, and its gradient is the sum over those positions.",
        "dil": ", dilation {d}",
        "head": "| output i | output j | output gradient g | input row | input col | input x | product g·x |",
        "padded": "{v} (padding)",
        "sum": "The {n} products add up to {v}",
    },
}


@dataclass(frozen=True)
class GradTerm:
    """One product ``grad * input`` of a weight's gradient: output position ``(i, j)``, where the
    output gradient is ``grad``, and the input pixel ``(row, col)`` the weight met there (outside
    the input, and 0, when it is padding)."""

    i: int
    j: int
    grad: Any
    input: Any
    row: int
    col: int
    padded: bool

    @property
    def product(self) -> Any:
        return self.grad * self.input


@dataclass(frozen=True)
class GradExplanation:
    """The derivation of one weight's gradient ``dL/dw[at]``: ``terms`` (one per output position) and ``value``."""

    at: tuple[int, ...]
    terms: tuple[GradTerm, ...]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    out_hw: tuple[int, int]
    channels: bool  # x has a channel axis: the formula names x's channel d

    @property
    def value(self) -> Any:
        """The weight's gradient: the sum of the products."""
        return sum((t.product for t in self.terms), start=0)

    def _index(self) -> str:
        return ",".join(str(v) for v in self.at)

    def to_latex(self) -> str:
        """A ``\\begin{aligned}`` block: the formula, the products, their values, the result."""
        (m, n), (s_h, s_w), (d_h, d_w), (p_h, p_w) = self.at[-2:], self.stride, self.dilation, self.padding
        k = f"{self.at[0]}," if len(self.at) == 4 else ""

        def idx(step: int, const: int, var: str) -> str:
            tap = var if step == 1 else f"{step}{var}"
            return tap + (f"+{const}" if const > 0 else f"-{-const}" if const < 0 else "")

        rows, cols = idx(s_h, m * d_h - p_h, "i"), idx(s_w, n * d_w - p_w, "j")
        x = f"x_{{{self.at[-3]},\\,{rows},\\,{cols}}}" if self.channels else f"x_{{{rows},\\,{cols}}}"
        sums = f"\\sum_{{i=0}}^{{{self.out_hw[0] - 1}}}\\sum_{{j=0}}^{{{self.out_hw[1] - 1}}}"
        lines = [
            f"\\frac{{\\partial L}}{{\\partial w_{{{self._index()}}}}} &= {sums} g_{{{k}i,j}}\\,{x}",
            "&= " + " + ".join(f"{_signed(t.grad)}\\cdot {_signed(t.input)}" for t in self.terms),
            "&= " + " + ".join(_signed(t.product) for t in self.terms),
            f"&= {_num(self.value)}",
        ]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def to_markdown(self, lang: str = "zh") -> str:
        """A Markdown table of every product (one per output position), then the sum, in ``"zh"`` or ``"en"``."""
        t = _GRAD_TEXT[check_lang(lang)]
        dil = t["dil"].format(d=pair_text(self.dilation)) if self.dilation != (1, 1) else ""
        w = f"$\\partial L/\\partial w_{{{self._index()}}}$"
        out = [t["title"].format(w=w, s=pair_text(self.stride), p=pair_text(self.padding), dil=dil), "", t["head"],
               "|---:|---:|---:|---:|---:|---:|---:|"]
        for term in self.terms:
            x = t["padded"].format(v=_num(term.input)) if term.padded else _num(term.input)
            out.append(f"| {term.i} | {term.j} | {_num(term.grad)} | {term.row} | {term.col} | {x} | {_num(term.product)} |")
        out += ["", t["sum"].format(n=len(self.terms), v=_num(self.value)) + ("。" if lang == "zh" else "."), "",
                f"$$\\frac{{\\partial L}}{{\\partial w_{{{self._index()}}}}} = "
                + " + ".join(f"{_signed(t.grad)}\\cdot {_signed(t.input)}" for t in self.terms) + f" = {_num(self.value)}$$"]
        return "\n".join(out)

    def expansion(self) -> str:
        """``"1·1 + 1·1 + ... = 6"``: each output gradient times the input it met, then the sum."""
        return " + ".join(f"{_signed(t.grad)}·{_signed(t.input)}" for t in self.terms) + f" = {_num(self.value)}"

    def __str__(self) -> str:
        return f"dL/dw[{self._index()}] = {self.expansion()}"


def explain_grad(x, grad_output, *, at, kernel_size, stride=1, padding=0, dilation=1) -> GradExplanation:
    """One weight's gradient, term by term: the output gradient at every output position times the input pixel the weight met there.

    ``dL/dw[k,d,m,n] = sum_{i,j} g[k,i,j] * x[d, i*S + m*D - P, j*S + n*D - P]`` (zero where
    that pixel is padding). The weights' values do not enter: only the input and the
    output gradient.

    Parameters
    ----------
    x : array_like
        The layer's input, (H, W) or (C, H, W).
    grad_output : array_like
        The loss's gradient with respect to the layer's output: (H2, W2) for one filter,
        or (K, H2, W2) for K filters (then ``x`` has a channel axis).
    at : tuple of int
        The weight: ``(m, n)`` for an (H, W) input, ``(d, m, n)`` for a (C, H, W) input,
        ``(k, d, m, n)`` when grad_output has K filters.
    kernel_size : int or (h, w) pair
        The filter's size (it is not determined by the shapes when the stride is above 1).
    stride, padding, dilation : int or (h, w) pair

    Returns
    -------
    GradExplanation
        ``.terms`` (each with ``.grad``, ``.input``, ``.product``), ``.value``, and the
        renderings ``.to_latex()``, ``.to_markdown(lang)``, ``str()``.

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.conv2d_grad`; ``at`` not a tuple of the right length or outside
        the filter.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc import explain_grad
    >>> from convdoc.examples import IMAGE
    >>> e = explain_grad(IMAGE, np.ones((3, 3), dtype=int), at=(0, 0), kernel_size=3)
    >>> print(e)
    dL/dw[0,0] = 1·1 + 1·1 + 1·1 + 1·0 + 1·1 + 1·1 + 1·0 + 1·0 + 1·1 = 6
    >>> len(e.terms), e.value
    (9, 6)
    """
    xa = check_array(x, "x", ranks=(2, 3), finite=False)
    ga = check_array(grad_output, "grad_output", ranks=(2, 3), finite=False)
    if ga.ndim == 3 and xa.ndim == 2:
        raise ValueError(f"grad_output of shape {ga.shape} has one map per filter: x must then be (C, H, W), got shape {xa.shape}")
    fh, fw = check_pair(kernel_size, "kernel_size", minimum=1)
    c = 1 if xa.ndim == 2 else xa.shape[0]
    shape = ((ga.shape[0],) if ga.ndim == 3 else ()) + ((c,) if xa.ndim == 3 else ()) + (fh, fw)
    if not isinstance(at, (tuple, list)) or len(at) != len(shape):
        names = {2: "(m, n)", 3: "(d, m, n)", 4: "(k, d, m, n)"}[len(shape)]
        raise TypeError(f"at must be {names}, the index of one weight of the {'x'.join(map(str, shape))} filters, got {at!r}")
    at = tuple(check_int(v, f"at[{i}]", minimum=0) for i, v in enumerate(at))
    if any(v >= size for v, size in zip(at, shape)):
        raise ValueError(f"at={at} is outside the weight: its shape is {shape}")
    weight = np.broadcast_to(np.zeros((), np.int8), shape)  # only its shape is read
    # conv2d's checks of x, the filter's shape and the sizes, without building anything
    p, xa, _, _ = _prepare(xa, weight, None, stride, padding, dilation, 1, memory=False)
    if ga.shape != p.shape:
        raise ValueError(
            f"grad_output must have the shape of the layer's output, {p.shape}: x {xa.shape} with a "
            f"{fh}x{fw} kernel, stride={pair_text(p.stride)}, padding={pair_text(p.padding)}, dilation={pair_text(p.dilation)} "
            f"gives {p.shape}; got grad_output of shape {ga.shape}"
        )
    check_listing(p.out_hw[0] * p.out_hw[1], what="one product per output position",
                  because=f"explain_grad of a {p.out_hw[0]}x{p.out_hw[1]} output")
    check_finite(xa, "x")
    check_finite(ga, "grad_output")
    x3 = xa.reshape(p.x4)[0]
    g3 = ga.reshape((-1,) + p.out_hw)
    k = at[0] if ga.ndim == 3 else 0
    d = at[-3] if xa.ndim == 3 else 0
    m, n = at[-2:]
    s, pd, dl = p.stride, p.padding, p.dilation
    terms = []
    for i in range(p.out_hw[0]):
        for j in range(p.out_hw[1]):
            r, col, xv, padded = _read(x3, d, (i, j), (m, n), s, pd, dl)
            terms.append(GradTerm(i, j, _value(g3[k, i, j]), xv, r, col, padded))
    return GradExplanation(at, tuple(terms), s, pd, dl, p.out_hw, xa.ndim == 3)
