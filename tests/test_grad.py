"""Gradients of conv2d and pooling: checked against definitions, not against themselves.

* finite differences (float64; the layer is linear in x, in w and in b, so a central
  difference is the derivative up to rounding) on random shapes, strides, paddings,
  dilations and groups;
* the adjoint identities <conv2d(x, w), g> = <x, dL/dx> = <w, dL/dw>, exactly for integers;
* brute-force loops over every output and tap (the element formula, read backwards), in
  exact Python integers, for every dtype and rank conv2d accepts;
* the input gradient is conv_transpose2d with grad_output_padding, and a "full"
  convolution with the flipped kernel at stride 1;
* stride skipping pixels: exactly the pixels coverage() reports get no gradient and do not
  reach the weight gradient;
* max pooling's gradient goes to the first maximum of each window (ties included), average
  pooling's to every cell of the window, divided as in the forward pass;
* bad input: each message names the parameter and the rule.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convdoc import (
    ConvGrad, explain_grad, avg_pool2d, avg_pool2d_grad, conv2d, conv2d_grad, conv_transpose2d, coverage, grad_output_padding,
    max_pool2d, max_pool2d_grad, output_size,
)
from convdoc.examples import DEMO_B, DEMO_W, DEMO_X, FILTER, IMAGE
from counting import counted
from test_properties import as4, conv_cases, spatial


def loss(case, x=None, w=None, b=None, g=None):
    """L = sum(conv2d(x, w, b) * g): its gradient with respect to the output is g."""
    out = conv2d(case.x if x is None else x, case.w if w is None else w, case.b if b is None else b, **case.kw)
    return float(np.sum(out * g))


def reference_grad(x4, w4, g4, stride, padding, dilation, groups):
    """dL/dx, dL/dw, dL/db by the element formula, one product at a time, in Python integers/floats."""
    (n, c, h, wd), (k, cg, fh, fw) = x4.shape, w4.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    kg = k // groups
    gx = np.zeros(x4.shape, dtype=object)
    gw = np.zeros(w4.shape, dtype=object)
    gb = np.zeros(k, dtype=object)
    for img, f, i, j in np.ndindex(g4.shape):
        go = g4[img, f, i, j].item()
        gb[f] += go
        for d, m, q in np.ndindex(cg, fh, fw):
            r, col = i * sh + m * dh - ph, j * sw + q * dw - pw
            if 0 <= r < h and 0 <= col < wd:
                ch = f // kg * cg + d
                gw[f, d, m, q] += go * x4[img, ch, r, col].item()
                gx[img, ch, r, col] += go * w4[f, d, m, q].item()
    return gx, gw, gb


def pairs(case):
    return [v if isinstance(v, tuple) else (v, v) for v in (case.stride, case.padding, case.dilation)]


# --- conv2d_grad ------------------------------------------------------------------------------


@given(conv_cases(dtypes=["float64"]), st.integers(0, 2**32 - 1))
@counted
def test_finite_differences_agree_with_the_gradients(case, seed):
    rng = np.random.default_rng(seed)
    g = rng.standard_normal(case.shape)
    grad = conv2d_grad(case.x, case.w, g, **case.kw)
    assert isinstance(grad, ConvGrad)
    assert grad.x.shape == case.x.shape and grad.weight.shape == case.w.shape
    h = 0.5  # L is linear in each argument: any step gives the derivative, up to rounding
    for name, arr, got in (("x", case.x, grad.x), ("w", case.w, grad.weight)):
        for flat in rng.choice(arr.size, size=min(arr.size, 6), replace=False):
            e = np.zeros(arr.size)
            e[flat] = h
            e = e.reshape(arr.shape)
            numeric = (loss(case, g=g, **{name: arr + e}) - loss(case, g=g, **{name: arr - e})) / (2 * h)
            assert abs(numeric - got.reshape(-1)[flat]) <= 1e-9 * (1 + abs(numeric)), (name, flat)
    k = case.w.shape[0] if case.w.ndim == 4 else 1
    b0 = np.zeros(k)
    for f in range(k):
        e = np.zeros(k)
        e[f] = h
        numeric = (loss(case, b=b0 + e, g=g) - loss(case, b=b0 - e, g=g)) / (2 * h)
        assert abs(numeric - np.atleast_1d(grad.bias)[f]) <= 1e-9 * (1 + abs(numeric))


@given(conv_cases(bias=False), st.integers(0, 2**32 - 1))
@counted
def test_adjoint_identities(case, seed):
    """<conv2d(x, w), g> = <x, dL/dx> = <w, dL/dw>: exact for integers, to rounding for floats."""
    rng = np.random.default_rng(seed)
    ints = case.x.dtype.kind in "biu" and case.w.dtype.kind in "biu"
    g = rng.integers(-3, 4, case.shape) if ints else rng.standard_normal(case.shape)
    out = conv2d(case.x, case.w, **case.kw)
    grad = conv2d_grad(case.x, case.w, g, **case.kw)
    x64, w64 = as4(case)
    lhs = (out.astype(object) * g).sum() if ints else float(np.sum(out.astype(np.float64) * g))
    via_x = (x64.reshape(case.x.shape).astype(object) * grad.x).sum() if ints else float(np.sum(x64.reshape(case.x.shape) * grad.x))
    via_w = (w64.reshape(case.w.shape).astype(object) * grad.weight).sum() if ints else float(np.sum(w64.reshape(case.w.shape) * grad.weight))
    if ints:
        assert lhs == via_x == via_w
        assert grad.x.dtype == grad.weight.dtype == np.int64
    else:
        scale = 1 + float(np.sum(np.abs(out) * np.abs(g)))
        tol = 1e-4 if np.float32 in (case.x.dtype, case.w.dtype) else 1e-10
        assert abs(lhs - via_x) <= tol * scale and abs(lhs - via_w) <= tol * scale


@given(conv_cases(bias=False), st.integers(0, 2**32 - 1))
@counted
def test_the_gradients_are_the_element_formula_read_backwards(case, seed):
    rng = np.random.default_rng(seed)
    g = rng.integers(-3, 4, case.shape)
    grad = conv2d_grad(case.x, case.w, g, **case.kw)
    x4, w4 = as4(case)
    gx, gw, gb = reference_grad(x4, w4, g.reshape(x4.shape[0], w4.shape[0], *case.shape[-2:]), *pairs(case), case.groups)
    ints = case.x.dtype.kind in "biu" and case.w.dtype.kind in "biu"
    for got, want in ((grad.x, gx.reshape(case.x.shape)), (grad.weight, gw.reshape(case.w.shape))):
        if ints:
            assert got.dtype == np.int64
            np.testing.assert_array_equal(got, want.astype(np.int64))
        else:
            tol = 1e-4 if np.float32 in (case.x.dtype, case.w.dtype) else 1e-10
            np.testing.assert_allclose(got, want.astype(np.float64), rtol=tol, atol=tol)
    if case.w.ndim == 4:
        np.testing.assert_array_equal(grad.bias, gb.astype(np.int64))
    else:
        assert grad.bias == gb[0] and type(grad.bias) is (int if ints else float)


@given(conv_cases(bias=False, dtypes=["float64"]), st.integers(0, 2**32 - 1))
@counted
def test_the_input_gradient_is_the_transposed_convolution(case, seed):
    g = np.random.default_rng(seed).standard_normal(case.shape)
    x4, w4 = as4(case)
    s, p, d = pairs(case)
    extra = grad_output_padding(x4.shape[2:], w4.shape[2:], s, p, d)
    g4 = g.reshape(x4.shape[0], w4.shape[0], *case.shape[-2:])
    want = conv_transpose2d(g4, w4, stride=s, padding=p, output_padding=extra, dilation=d, groups=case.groups)
    np.testing.assert_allclose(conv2d_grad(case.x, case.w, g, **case.kw).x, want.reshape(case.x.shape), atol=1e-12)
    if s == (1, 1) and all(dd * (f - 1) >= pp for dd, f, pp in zip(d, w4.shape[2:], p)) and case.groups == 1:
        # stride 1: a "full" convolution of g with the flipped kernel, filters and channels swapped
        full = conv2d(g4, w4[:, :, ::-1, ::-1].transpose(1, 0, 2, 3),
                      padding=tuple(dd * (f - 1) - pp for dd, f, pp in zip(d, w4.shape[2:], p)), dilation=d)
        np.testing.assert_allclose(full[..., : x4.shape[2], : x4.shape[3]], want, atol=1e-12)


def test_output_padding_gives_back_the_rows_the_forward_pass_left_unread():
    # 6 rows, 3x3, stride 2, padding 1: 3 outputs, (6 + 2 - 3) mod 2 = 1 row short without it
    assert output_size(6, 3, 2, 1) == 3 and grad_output_padding(6, 3, 2, 1) == 1
    assert grad_output_padding((6, 7), 3, 2, 1) == (1, 0)
    grad = conv2d_grad(np.ones((6, 7)), np.ones((3, 3)), np.ones((3, 4)), stride=2, padding=1)
    assert grad.x.shape == (6, 7)
    assert grad_output_padding(10, 3, stride=2) == 1 and coverage(10, 3, stride=2).uncovered == (9,)


@given(st.data())
@counted
def test_pixels_no_window_reads_get_no_gradient_and_do_not_reach_the_weights(data):
    f, s, p, d = (data.draw(st.integers(lo, hi)) for lo, hi in ((1, 4), (2, 3), (0, 2), (1, 2)))
    h = data.draw(st.integers(max(1, d * (f - 1) + 1 - 2 * p), 11))
    w = data.draw(st.integers(max(1, d * (f - 1) + 1 - 2 * p), 11))
    rows, cols = coverage(h, f, s, p, d), coverage(w, f, s, p, d)
    unread = np.zeros((h, w), bool)
    unread[list(rows.uncovered), :] = True
    unread[:, list(cols.uncovered)] = True
    g = np.ones((rows.output, cols.output), dtype=int)
    kernel = np.ones((f, f), dtype=int)
    # the input gradient is 0 exactly where no window reads (all-ones weights and g: a count of windows)
    gx = conv2d_grad(np.zeros((h, w), dtype=int), kernel, g, stride=s, padding=p, dilation=d).x
    np.testing.assert_array_equal(gx == 0, unread)
    # a change of x reaches the weight gradient exactly where some window reads it
    for r, c in itertools.product(range(h), range(w)):
        one = np.zeros((h, w), dtype=int)
        one[r, c] = 1
        gw = conv2d_grad(one, kernel, g, stride=s, padding=p, dilation=d).weight
        assert (not gw.any()) == unread[r, c], (r, c)


def test_the_article_examples():
    g = conv2d_grad(IMAGE, FILTER, np.ones((3, 3), dtype=int))
    assert g.bias == 9 and g.weight[0, 0] == IMAGE[:3, :3].sum()
    demo = conv2d_grad(DEMO_X, DEMO_W, np.ones((2, 3, 3), dtype=int), stride=2, padding=1)
    assert demo.weight.shape == DEMO_W.shape and demo.bias.tolist() == [9, 9]
    assert demo.weight.size + DEMO_B.size == 56


def test_dtypes():
    x32, w32 = np.ones((1, 2, 5, 5), np.float32), np.ones((3, 2, 3, 3), np.float32)
    g = conv2d_grad(x32, w32, np.ones((1, 3, 3, 3), np.float32))
    assert g.x.dtype == g.weight.dtype == g.bias.dtype == np.float32
    g = conv2d_grad(x32, w32, np.ones((1, 3, 3, 3)))  # float64 gradient: promoted together
    assert g.x.dtype == g.weight.dtype == np.float64
    g = conv2d_grad(IMAGE.astype(np.uint8), FILTER.astype(bool), np.ones((3, 3), np.int16))
    assert g.x.dtype == g.weight.dtype == np.int64


def test_integers_are_exact_or_refused():
    # partial sums beyond 2**53 (no float64 shortcut) but within int64: exact
    g = conv2d_grad(np.full((3, 3), 2**31 + 1), np.ones((2, 2), dtype=int), np.full((2, 2), 2**29 + 1))
    assert int(g.weight[0, 0]) == 4 * (2**31 + 1) * (2**29 + 1)
    assert int(g.x[1, 1]) == 4 * (2**29 + 1) and g.bias == 4 * (2**29 + 1)
    # terms beyond int64 whose sums cancel: exact in Python integers
    x = np.array([[2**62, -(2**62)], [2**62, -(2**62)]])
    g = conv2d_grad(x, np.ones((1, 1), dtype=int), np.array([[2, 2], [2, 2]]))
    assert g.weight.tolist() == [[0]]
    # a result int64 cannot hold raises, naming the element
    with pytest.raises(ValueError, match=r"weight gradient element \(0, 0, 0, 0\) \(filter, channel, row, column\)"):
        conv2d_grad(np.full((2, 2), 2**62), np.ones((1, 1), dtype=int), np.full((2, 2), 2))
    with pytest.raises(ValueError, match="bias gradient element"):
        conv2d_grad(np.zeros((2, 2), dtype=int), np.ones((1, 1), dtype=int), np.full((2, 2), 2**62))


@given(conv_cases(single=True, bias=False), st.integers(0, 2**32 - 1), st.data())
@counted
def test_explain_grad_adds_up_to_the_weight_gradient(case, seed, data):
    g = np.random.default_rng(seed).integers(-3, 4, case.shape)
    want = conv2d_grad(case.x, case.w, g, **case.kw).weight
    dims = ((case.x.shape[0],) if case.x.ndim == 3 else ()) + case.w.shape[-2:]
    at = tuple(data.draw(st.integers(0, n - 1)) for n in dims)
    kw = {key: v for key, v in case.kw.items() if key != "groups"}
    e = explain_grad(case.x, g, at=at, kernel_size=case.w.shape[-2:], **kw)
    assert len(e.terms) == g.size  # one product per output position: weight sharing
    w3 = want.reshape((-1,) + case.w.shape[-2:])
    expected = w3[(at[0] if len(at) == 3 else 0,) + at[-2:]]
    assert float(e.value) == pytest.approx(float(expected), rel=1e-5, abs=1e-5)
    assert str(e).endswith(f"= {e.expansion().rsplit('= ', 1)[1]}")
    for lang in ("zh", "en"):
        assert e.to_markdown(lang).count("\n|") == g.size + 2  # header, rule, one row per position


def test_explain_grad_of_the_demo_names_filter_and_channel():
    g = np.arange(18).reshape(2, 3, 3) - 5
    e = explain_grad(DEMO_X, g, at=(1, 2, 0, 0), kernel_size=3, stride=2, padding=1)
    assert e.value == conv2d_grad(DEMO_X, DEMO_W, g, stride=2, padding=1).weight[1, 2, 0, 0]
    assert "g_{1,i,j}\\,x_{2,\\,2i-1,\\,2j-1}" in e.to_latex()
    assert sum(t.padded for t in e.terms) == 5  # tap (0, 0) reads the padding in row -1 and column -1


# --- pooling ----------------------------------------------------------------------------------


@st.composite
def pool_cases(draw, *, dilation=True):
    k, kk = spatial(draw, 1, 3)
    s, ss = spatial(draw, 1, 3) if draw(st.booleans()) else (None, kk)
    p, pp = spatial(draw, 0, 1)
    pp = tuple(min(a, b // 2) for a, b in zip(pp, kk))
    d, dd = spatial(draw, 1, 2) if dilation else (1, (1, 1))
    ceil = draw(st.booleans())
    h = draw(st.integers(max(1, dd[0] * (kk[0] - 1) + 1 - 2 * pp[0]), 8))
    w = draw(st.integers(max(1, dd[1] * (kk[1] - 1) + 1 - 2 * pp[1]), 8))
    lead = draw(st.sampled_from([(), (2,), (2, 3)]))
    seed = draw(st.integers(0, 2**32 - 1))
    return lead + (h, w), kk, ss, pp, dd, ceil, seed


def brute_max_grad(x, g, k, s, p, d, ceil):
    """Every window by hand: its first maximum in row-major order takes the window's gradient."""
    out = x.shape[:-2] + tuple(output_size(x.shape[-2:], k, s, p, d, ceil_mode=True if ceil else False))
    gx = np.zeros(x.shape, dtype=object)
    for idx in np.ndindex(out):
        *lead, i, j = idx
        best = None
        for m, n in itertools.product(range(k[0]), range(k[1])):
            r, c = i * s[0] + m * d[0] - p[0], j * s[1] + n * d[1] - p[1]
            if 0 <= r < x.shape[-2] and 0 <= c < x.shape[-1] and (best is None or x[(*lead, r, c)] > best[0]):
                best = (x[(*lead, r, c)], r, c)
        gx[(*lead, best[1], best[2])] += g[idx].item()
    return gx


@given(pool_cases())
@counted
def test_max_pool_grad_goes_to_the_first_maximum_of_each_window(case):
    shape, k, s, p, d, ceil, seed = case
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 3, shape)  # few values: many ties
    try:
        out = max_pool2d(x, k, s, p, d, ceil)
    except ValueError as exc:  # a window of padding only: both refuse alike
        with pytest.raises(ValueError, match="reads only padding"):
            max_pool2d_grad(x, np.zeros(1), k, s, p, d, ceil)
        assert "reads only padding" in str(exc)
        return
    g = rng.integers(-5, 6, out.shape)
    got = max_pool2d_grad(x, g, k, s, p, d, ceil)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, brute_max_grad(x, g, k, s, p, d, ceil).astype(np.int64))
    gf = max_pool2d_grad(x.astype(np.float32), g.astype(np.float32), k, s, p, d, ceil)
    assert gf.dtype == np.float32
    np.testing.assert_array_equal(gf, got)


@given(pool_cases(dilation=False))
@counted
def test_avg_pool_grad_agrees_with_finite_differences(case):
    shape, k, s, p, _, ceil, seed = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    out = avg_pool2d(x, k, s, p, ceil)
    g = rng.standard_normal(out.shape)
    got = avg_pool2d_grad(x, g, k, s, p, ceil)
    h = 0.5  # linear: any step is exact up to rounding
    for flat in rng.choice(x.size, size=min(x.size, 8), replace=False):
        e = np.zeros(x.size)
        e[flat] = h
        e = e.reshape(x.shape)
        numeric = (np.sum(avg_pool2d(x + e, k, s, p, ceil) * g) - np.sum(avg_pool2d(x - e, k, s, p, ceil) * g)) / (2 * h)
        assert abs(numeric - got.reshape(-1)[flat]) <= 1e-9 * (1 + abs(numeric))
    assert abs(np.sum(out * g) - np.sum(x * got)) <= 1e-9 * (1 + np.sum(np.abs(out * g)))  # the adjoint
    assert avg_pool2d_grad(x.astype(int), g.round().astype(int), k, s, p, ceil).dtype == np.float64


def test_pool_grads_by_hand():
    x = np.array([[1, 5, 2, 2], [3, 0, 2, 1], [7, 7, 4, 1], [7, 0, 0, 3]])
    # the 2 and 2 of the top-right window tie: the first, in row-major order, takes the gradient
    assert max_pool2d_grad(x, [[10, 20], [30, 40]], 2).tolist() == [
        [0, 10, 20, 0], [0, 0, 0, 0], [30, 0, 40, 0], [0, 0, 0, 0]]
    # overlapping windows (stride 1): the 7, 7 and 4 of row 2 each win two windows and get both
    # gradients; in the window [[7, 7], [7, 0]] the first 7 wins
    assert max_pool2d_grad(x, np.ones((3, 3), dtype=int), 2, stride=1)[2].tolist() == [2, 2, 2, 0]
    # average: padding takes its share (count_include_pad): the corner window divides by 4, holds 1 pixel
    assert avg_pool2d_grad(np.zeros((2, 2)), np.full((2, 2), 4.0), 2, stride=2, padding=1).tolist() == [[1, 1], [1, 1]]


# --- bad input --------------------------------------------------------------------------------

BAD = [
    (lambda: conv2d_grad(IMAGE, FILTER, np.ones((2, 2))), ValueError,
     ["grad_output must have the shape of the layer's output, (3, 3)", "got grad_output of shape (2, 2)"]),
    (lambda: conv2d_grad(IMAGE, FILTER, np.ones((2, 2)), stride=2), ValueError, []),  # (2, 2) is right here
    (lambda: conv2d_grad(DEMO_X, DEMO_W, np.ones((3, 3, 2)), stride=2, padding=1), ValueError,
     ["(2, 3, 3)", "stride=2, padding=1", "got grad_output of shape (3, 3, 2)"]),
    (lambda: conv2d_grad(IMAGE, FILTER, "gradient"), TypeError, ["grad_output must hold real numbers"]),
    (lambda: conv2d_grad(IMAGE, FILTER, None), TypeError, ["grad_output must be an array"]),
    (lambda: conv2d_grad(IMAGE, FILTER, np.full((3, 3), np.nan)), ValueError, ["grad_output contains NaN"]),
    (lambda: conv2d_grad(IMAGE, np.ones((3, 3, 3)), np.ones((3, 3))), ValueError, ["channel mismatch"]),
    (lambda: conv2d_grad(IMAGE, FILTER, np.ones((3, 3)), stride=0), ValueError, ["stride must be a positive integer"]),
    (lambda: conv2d_grad(IMAGE, FILTER, np.ones((3, 3)), groups=2), ValueError, ["groups must divide"]),
    (lambda: max_pool2d_grad(IMAGE, np.ones((3, 3)), 2), ValueError,
     ["grad_output must have the shape of the pooling's output, (2, 2)", "got grad_output of shape (3, 3)"]),
    (lambda: avg_pool2d_grad(IMAGE, np.ones((3, 3)), 2, stride=1), ValueError,
     ["grad_output must have the shape of the pooling's output, (4, 4)"]),
    (lambda: avg_pool2d_grad(IMAGE, [[1, np.inf], [1, 1]], 2), ValueError, ["grad_output contains NaN or infinity"]),
    (lambda: max_pool2d_grad(IMAGE, np.ones((2, 2)), 2, padding=2), ValueError, ["padding must be at most half"]),
    (lambda: grad_output_padding(2, 3), ValueError, ["kernel_size is larger than the padded input"]),
    (lambda: explain_grad(IMAGE, np.ones((2, 2)), at=(0, 0), kernel_size=3), ValueError,
     ["grad_output must have the shape of the layer's output, (3, 3)"]),
    (lambda: explain_grad(IMAGE, np.ones((3, 3)), at=(0, 3), kernel_size=3), ValueError, ["at=(0, 3) is outside the weight"]),
    (lambda: explain_grad(IMAGE, np.ones((3, 3)), at=(0, 0, 0), kernel_size=3), TypeError, ["at must be (m, n)"]),
    (lambda: explain_grad(IMAGE, np.ones((2, 3, 3)), at=(0, 0, 0), kernel_size=3), ValueError, ["x must then be (C, H, W)"]),
    (lambda: explain_grad(IMAGE, np.ones((3, 3)), at=(0, 0), kernel_size=0), ValueError, ["kernel_size must be a positive integer"]),
    (lambda: explain_grad(np.broadcast_to(0.0, (2000, 2000)), np.broadcast_to(0.0, (2000, 2000)), at=(0, 0), kernel_size=1),
     ValueError, ["listing one product per output position would take 4,000,000 steps"]),
    (lambda: conv_transpose2d(np.ones((3, 4, 4)), np.ones((3, 3, 3)), groups=3), ValueError,
     ["groups=3 needs a 4-D weight"]),
    (lambda: conv_transpose2d(np.ones((3, 4, 4)), np.ones((3, 1, 3, 3)), groups=2), ValueError,
     ["groups must divide the input channels"]),
]


@pytest.mark.parametrize("call, exc, fragments", BAD)
def test_bad_input_names_the_parameter_and_the_rule(call, exc, fragments):
    if not fragments:  # a control: the same call with the right arguments works
        call()
        return
    with pytest.raises(exc) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))
