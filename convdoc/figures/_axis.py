"""One axis: which input cells each window reads, drawn from :func:`convdoc.coverage`."""

from __future__ import annotations

from .. import _sliding
from .._checks import check_one_axis
from ..sizes import coverage, output_size
from ._parts import _legend, _lines, _pad_swatch, _padding
from ._svg import SVG, _Canvas, _n
from ._text import _AXIS_TEXT, _lang

__all__ = ["windows", "MAX_AXIS"]

#: Most cells :func:`windows` draws along its axis: padding and cells past the padded input included.
MAX_AXIS = 20


def _past_cell(cv: _Canvas, x: float, y: float, size: float) -> None:
    """A cell past the padded input: a dashed outline, inside the cell's edges."""
    cv.parts.append(
        f'<rect class="cdf-grid" x="{_n(x + 1)}" y="{_n(y + 1)}" width="{_n(size - 2)}" height="{_n(size - 2)}" '
        'stroke-dasharray="3 3"/>'
    )


def _swatch(cv: _Canvas, kind: str, x: float, y: float, size: float) -> None:
    """This figure's legend swatches: padding here is not zeros (marked p), and a window is a bar."""
    if kind == "win":
        cv.rect(x, y + 3, size, 10, "cdf-win-bg")
        cv.rect(x, y + 3, size, 10, "cdf-win")
    elif kind == "gap":
        cv.parts.append(f'<path class="cdf-line" d="M{_n(x)} {_n(y + 8)}h{_n(size)}"/>')
    elif kind == "pad":
        _pad_swatch(cv, x, y, size, "p")
    elif kind == "past":
        _past_cell(cv, x, y, size)
        cv.text(x + size / 2, y + size / 2 + 4, "–", size=11, cls="cdf-soft")
    else:  # drop
        cv.rect(x, y + 3, size, 10, "cdf-pad")
        cv.parts.append(f'<rect class="cdf-line" x="{_n(x)}" y="{_n(y + 3)}" width="{_n(size)}" height="10" '
                        'stroke-dasharray="4 3"/>')
        cv.parts.append(f'<path class="cdf-line" d="M{_n(x - 2)} {_n(y + 8)}h{_n(size + 4)}"/>')
    cv._grow(x, y, x + size, y + size)


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
    check_one_axis((("size", size), ("kernel_size", kernel_size), ("stride", stride), ("padding", padding),
                    ("dilation", dilation)), who="windows draws one axis",
                   instead="draw the rows and the columns with one call each")
    out = output_size(size, kernel_size, stride, padding, dilation, ceil_mode=ceil_mode)  # O(1), checks all
    n, k, s, p, d = (int(v) for v in (size, kernel_size, stride, padding, dilation))
    eff = _sliding.effective(k, d)
    drawn = _sliding.count(n, k, s, p, d, ceil_mode=True) if ceil_mode else out  # windows with the dropped one, if any
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
        _padding(cv, [(cx(i), gy) for i in pads], cell)
    width = (n + 2 * p) * cell
    _lines(cv, 0, gy, 1, n + 2 * p, cell)
    for i in range(n + p, end):
        _past_cell(cv, cx(i), gy, cell)
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
    _legend(cv, 0, y, [(kind, t["leg_" + kind]) for kind in items], max(cv.box[2], 300), _swatch)

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
