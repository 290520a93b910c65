"""One image and one filter: the overview, the whole feature map, and every step of the window."""

from __future__ import annotations

from .._checks import pair_text
from ._parts import MAX_FRAMES, _grid, _header, _legend, _pad3, _single_filter
from ._svg import SVG, _Canvas
from ._text import _a, _lang, _rows, _v

__all__ = ["overview", "feature_map", "steps"]


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
        sub += t["comma"] + t["padded"].format(p=pair_text(p), h=xp.shape[0], w=xp.shape[1])
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
    _header(cv, mx + w2 * cell / 2, 14, t["map"], f"{h2}×{w2}" + t["comma"] + t["stride"].format(s=pair_text(s)))
    _grid(cv, mx, gy, [[_a(i, j) for j in range(w2)] for i in range(h2)], cell, grid="a", font=12, soft=True)
    bottom = gy + max(xp.shape[0] * cell, f_h + 26, h2 * cell) + 14
    if any(p):
        _legend(cv, 0, bottom, [("pad", t["leg_pad"])], mx + w2 * cell)
    padtxt = t["pad_desc"].format(p=pair_text(p), hp=xp.shape[0], wp=xp.shape[1]) if any(p) else ""
    title = t["t_overview"].format(h=xa.shape[0], w=xa.shape[1], f1=wa.shape[0], f2=wa.shape[1], h2=h2, w2=w2)
    desc = t["d_overview"].format(
        h=xa.shape[0], w=xa.shape[1], x=_rows(xa, t), f1=wa.shape[0], f2=wa.shape[1], wt=_rows(wa, t),
        b=_v(b), padtxt=padtxt, h2=h2, w2=w2, s=pair_text(s), last=_a(h2 - 1, w2 - 1),
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
    sub = t["stride_pad"].format(s=pair_text(s), p=pair_text(p)) if any(p) else f"{xa.shape[0]}×{xa.shape[1]}"
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
    padtxt = t["pad_desc"].format(p=pair_text(p), hp=xp.shape[0], wp=xp.shape[1]) if any(p) else ""
    title = t["t_map"].format(s=pair_text(s), h2=h2, w2=w2)
    desc = t["d_map"].format(
        shape=f"{xa.shape[0]}×{xa.shape[1]}", w=_rows(wa, t), b=_v(b), padtxt=padtxt, s=pair_text(s),
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
    padtxt = t["comma"] + t["pad_only"].format(p=pair_text(p)) if any(p) else ""
    title = t["t_steps"].format(s=pair_text(s), n=h2 * w2)
    desc = t["d_steps"].format(
        shape=f"{xa.shape[0]}×{xa.shape[1]}", f1=fh, f2=fw, s=pair_text(s), padtxt=padtxt,
        frames=t["sep"].join(frames),
    )
    return cv.render(title, desc, lang)
