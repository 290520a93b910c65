"""A multi-channel input, several filters with their biases, and the output volume."""

from __future__ import annotations

from .._checks import check_array, check_pair, pair_text
from ..conv import conv2d
from ..explain import _activate, _check_activation
from ._parts import MAX_CHANNELS, MAX_FILTERS, _check_at, _check_count, _check_size, _grid, _header, _legend, _numbers, _pad3
from ._svg import SVG, _Canvas
from ._text import _SUB, _lang, _rows, _v

__all__ = ["volume"]


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
    _check_count(c_in, MAX_CHANNELS, "x", "channels")
    _check_count(k_out, MAX_FILTERS, "weight", "filters")
    _check_size(xa, p)
    ba = None if bias is None else check_array(bias, "bias", ranks=(1,))
    out = _activate(conv2d(xa, wa, ba, stride=s, padding=p), activation)  # conv2d checks channels, bias length and sizes
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
            t["padded"].format(p=pair_text(p), h=xp.shape[1], w=xp.shape[2]) + f"×{c_in}")
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
    cv.text(0, y + 12, t["stride_pad"].format(s=pair_text(s), p=pair_text(p)), size=13, anchor="start", cls="cdf-b")
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
    title = t["t_volume"].format(c=c_in, h=xa.shape[1], w=xa.shape[2], p=pair_text(p), k=k_out, f1=fh, f2=fw, s=pair_text(s), h2=h2, w2=w2)
    desc = t["d_volume"].format(
        h=xa.shape[1], w=xa.shape[2], c=c_in, p=pair_text(p), hp=xp.shape[1], wp=xp.shape[2], xs=xs,
        filters=filters, s=pair_text(s), h2=h2, w2=w2, k=k_out, outs=outs, hl=hltxt,
    ).strip()
    return cv.render(title, desc, lang)
