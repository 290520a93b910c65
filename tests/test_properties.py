"""Property-based tests (hypothesis) across convdoc's public API.

Every property is a fact from the article or from PyTorch's definitions that
must hold for *all* valid inputs, not only the published ones:

* ``conv2d`` equals the loops of ``conv2d_reference`` (values, shape, dtype),
  and the shape is ``output_size`` of each spatial axis;
* convolution is linear in the input and in the weights; the bias adds one
  number per filter;
* ``groups=1`` is the sum of one-channel convolutions; ``groups=g`` is ``g``
  separate convolutions side by side; a 1×1 convolution is a matrix product;
* padding P is convolving the explicitly zero-padded input, stride S is the
  stride-1 output subsampled, dilation D is a kernel with D-1 zeros between taps;
* the size arithmetic counts window positions; the transposed size undoes the
  direct one; SAME padding keeps ceil(size/stride) outputs; the receptive field
  is the input span that reaches one output;
* ``explain`` adds up to the element ``conv2d_reference`` computes;
* every strategy of the fast path computes the same result; the im2col matrix times the
  flattened filters (one product per group) plus the bias is conv2d;
* pooling: max of a constant is the constant, max is the largest value of each
  window, average pooling without padding is a convolution with a uniform
  kernel, shapes are ``output_size``;
* the transposed convolution is the adjoint of the convolution;
* ``summary`` totals are the sums of ``param_count`` (and friends), and its
  shapes are the shapes conv2d and the pooling functions really return;
* the padding, stride and receptive-field helpers agree with ``output_size``,
  and every glossary term is found by ``lookup_term``;
* 1-D and 3-D: ``conv1d`` and ``conv3d`` equal plain loops over the formula (exact
  for integers), the sizes of a tuple of axes are the sizes of each axis, and the
  1-D and 3-D layer specs give the shapes and counts those arrays have.

The number of examples comes from the hypothesis profile (``tests/conftest.py``:
``dev`` locally, ``ci`` under CI); the total is printed at the end of the run.
Values are drawn from a seeded numpy generator so arrays are dense and varied;
hypothesis chooses (and shrinks) the shapes, the arguments and the seed.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convdoc
from convdoc import (
    GLOSSARY,
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveAvgPool3d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    Conv1d,
    Concat,
    Conv2d,
    ConvTranspose2d,
    Conv3d,
    Dropout,
    Flatten,
    Linear,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    ReLU,
    ReLU6,
    Residual,
    Sequential,
    Upsample,
    avg_pool2d,
    conv1d,
    conv2d,
    conv3d,
    conv2d_reference,
    conv2d_strategy,
    conv_transpose2d,
    coverage,
    depthwise_separable_param_count,
    effective_kernel_size,
    explain,
    glossary_table,
    im2col,
    linear_param_count,
    locally_connected_param_count,
    lookup_term,
    max_pool2d,
    output_size,
    padding_for,
    param_count,
    receptive_field,
    receptive_fields,
    relu,
    same_padding,
    stride_padding_for,
    summary,
    transposed_output_size,
)
from convdoc.fast import STRATEGIES, use_strategy
from counting import counted


def more(factor: int) -> settings:
    """``factor`` times the profile's examples, for properties that cost microseconds."""
    return settings(max_examples=settings.default.max_examples * factor)


# --- strategies ----------------------------------------------------------------------------

DTYPES = ["int64", "float64", "float32", "int8", "bool"]


def fill(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith("int"):
        return rng.integers(-4, 5, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def spatial(draw, lo: int, hi: int) -> tuple[Any, tuple[int, int]]:
    """An int or an (h, w) pair, as every spatial argument accepts: (as passed, as a pair)."""
    if draw(st.booleans()):
        v = draw(st.integers(lo, hi))
        return v, (v, v)
    pair = (draw(st.integers(lo, hi)), draw(st.integers(lo, hi)))
    return pair, pair


@dataclass
class Case:
    """One valid call ``conv2d(x, w, b, stride, padding, dilation, groups)`` and its expected shape."""

    x: np.ndarray
    w: np.ndarray
    b: Any
    stride: Any
    padding: Any
    dilation: Any
    groups: int
    shape: tuple[int, ...]  # the result's shape, from output_size and the rank rules

    @property
    def kw(self) -> dict:
        return dict(stride=self.stride, padding=self.padding, dilation=self.dilation, groups=self.groups)


@st.composite
def conv_cases(draw, *, groups=None, kernel=None, padding=None, single=False, bias=True, dtypes=DTYPES):
    """Valid conv2d arguments in every rank combination of the rank table (conv.py).

    ``single``: one image and one filter with x (H, W) or (C, H, W), as ``explain`` takes.
    """
    g = 1 if single else (draw(st.integers(1, 3)) if groups is None else groups)
    cg, kg = draw(st.integers(1, 2)), 1 if single else draw(st.integers(1, 2))
    n = 1 if single else draw(st.integers(1, 2))
    c, k = cg * g, kg * g
    fh, fw = kernel if kernel is not None else (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride, s = spatial(draw, 1, 3)
    pad, p = spatial(draw, 0, 2) if padding is None else (padding, (padding, padding))
    dilation, d = spatial(draw, 1, 2)
    h = draw(st.integers(max(1, d[0] * (fh - 1) + 1 - 2 * p[0]), 9))
    w = draw(st.integers(max(1, d[1] * (fw - 1) + 1 - 2 * p[1]), 9))
    # the ranks the rank table allows for these sizes
    x_ranks = [r for r in (2, 3, 4) if r == 4 or (n == 1 and (r == 3 or c == 1))]
    w_ranks = [r for r in (2, 3, 4) if r == 4 or (k == 1 and (r == 3 or cg == 1))]
    if single:
        x_ranks, w_ranks = [r for r in x_ranks if r < 4], [r for r in w_ranks if r < 4]
    x_rank, w_rank = draw(st.sampled_from(x_ranks)), draw(st.sampled_from(w_ranks))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x_dtype, w_dtype = draw(st.sampled_from(dtypes)), draw(st.sampled_from(dtypes))
    x4 = fill(rng, (n, c, h, w), x_dtype)
    w4 = fill(rng, (k, cg, fh, fw), w_dtype)
    b = None
    if bias:
        kind = draw(st.sampled_from(["none", "scalar", "vector"]))
        if kind == "scalar":
            b = draw(st.integers(-3, 3)) if draw(st.booleans()) else float(rng.standard_normal())
        elif kind == "vector":
            b = fill(rng, (k,), draw(st.sampled_from([t for t in dtypes if t != "bool"])))  # bool: TypeError
    out = (n, k, *output_size((h, w), (fh, fw), s, p, d))
    shape = out[(0 if x_rank == 4 else 1) :]
    if w_rank < 4:
        shape = shape[:-3] + shape[-2:]
    x_arr = x4.reshape(x4.shape[4 - x_rank :])
    w_arr = w4.reshape(w4.shape[4 - w_rank :])
    return Case(x_arr, w_arr, b, stride, pad, dilation, g, shape)


def as4(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """x as (N, C, H, W) and w as (K, C/groups, F, F), bool read as 0/1 integers."""
    x, w = case.x, case.w
    x = x.astype(np.int64) if x.dtype == bool else x
    w = w.astype(np.int64) if w.dtype == bool else w
    return x.reshape((1,) * (4 - x.ndim) + x.shape), w.reshape((1,) * (4 - w.ndim) + w.shape)


def assert_same(actual: np.ndarray, expected: np.ndarray, case: Case | None = None) -> None:
    """Equal shape; exactly equal for integers, to rounding error for floats.

    The tolerance is float32's when the result or any input of ``case`` is float32
    (float32 data in a float64 result has float32's rounding error already).
    """
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    if actual.dtype.kind in "iu" and expected.dtype.kind in "iu":
        np.testing.assert_array_equal(actual, expected)
        return
    dtypes = {actual.dtype, expected.dtype}
    if case is not None:
        dtypes |= {np.asarray(a).dtype for a in (case.x, case.w, case.b) if a is not None}
    tol = 1e-4 if np.dtype(np.float32) in dtypes else 1e-9
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol)


# --- conv2d: the fast path is the formula ---------------------------------------------------


@given(conv_cases())
@counted
def test_fast_equals_reference(case):
    fast = conv2d(case.x, case.w, case.b, **case.kw)
    ref = conv2d_reference(case.x, case.w, case.b, **case.kw)
    assert fast.shape == ref.shape == case.shape
    assert fast.dtype == ref.dtype
    assert_same(fast, ref, case)


@given(conv_cases())
@counted
def test_output_shape_is_output_size(case):
    out = conv2d(case.x, case.w, case.b, **case.kw)
    assert out.shape == case.shape
    x4, w4 = as4(case)
    assert out.shape[-2:] == output_size(x4.shape[2:], w4.shape[2:], case.stride, case.padding, case.dilation)
    # integer (and bool) inputs give int64, so nothing wraps around; floats keep at least float32
    inputs = [case.x, case.w] + ([] if case.b is None else [case.b])
    if all(np.asarray(a).dtype.kind in "iub" for a in inputs):
        assert out.dtype == np.int64
    else:
        assert out.dtype.kind == "f" and out.dtype.itemsize >= 4


@given(conv_cases(bias=False), st.integers(-3, 3), st.integers(-3, 3), st.integers(0, 2**32 - 1))
@counted
def test_linear_in_x(case, a, c, seed):
    x, _ = as4(case)
    x2 = fill(np.random.default_rng(seed), x.shape, x.dtype.name)

    def f(x_):
        return conv2d(x_, case.w, **case.kw)

    assert_same(f(a * x + c * x2), a * f(x) + c * f(x2), case)
    assert_same(f(2 * x + x), 3 * f(x), case)


@given(conv_cases(bias=False), st.integers(-3, 3), st.integers(-3, 3), st.integers(0, 2**32 - 1))
@counted
def test_linear_in_weight(case, a, c, seed):
    _, w = as4(case)
    w = w.reshape(np.shape(case.w))
    w2 = fill(np.random.default_rng(seed), w.shape, w.dtype.name)

    def f(w_):
        return conv2d(case.x, w_, **case.kw)

    assert_same(f(a * w + c * w2), a * f(w) + c * f(w2), case)
    assert_same(f(w + w), 2 * f(w), case)


@given(conv_cases(bias=False), st.integers(0, 2**32 - 1))
@counted
def test_bias_adds_one_number_per_filter(case, seed):
    x4, w4 = as4(case)
    k = w4.shape[0]
    b = np.random.default_rng(seed).standard_normal(k)
    with_bias = conv2d(x4, w4, b, **case.kw)
    assert_same(with_bias, conv2d(x4, w4, **case.kw) + b[None, :, None, None], case)


# --- channels and groups ---------------------------------------------------------------------


@given(conv_cases(groups=1))
@counted
def test_groups_1_is_the_sum_over_input_channels(case):
    x, w = as4(case)
    c = x.shape[1]
    whole = conv2d(x, w, **case.kw)
    per_channel = sum(conv2d(x[:, d : d + 1], w[:, d : d + 1], **case.kw) for d in range(c))
    assert_same(whole, per_channel, case)
    # the article's form: a C-channel filter on a (C, H, W) input is the sum of C 2-D convolutions
    kw = dict(case.kw, groups=1)
    single = sum(conv2d(x[0, d], w[0, d], **kw) for d in range(c))
    assert_same(conv2d(x[0], w[0], **kw), single, case)


@given(conv_cases())
@counted
def test_groups_are_separate_convolutions(case):
    x, w = as4(case)
    g = case.groups
    c_g, k_g = x.shape[1] // g, w.shape[0] // g
    out = conv2d(x, w, **case.kw)
    kw = dict(case.kw, groups=1)
    for i in range(g):
        part = conv2d(x[:, i * c_g : (i + 1) * c_g], w[i * k_g : (i + 1) * k_g], **kw)
        assert_same(out[:, i * k_g : (i + 1) * k_g], part, case)


@given(conv_cases(groups=1, kernel=(1, 1), padding=0))
@counted
def test_one_by_one_is_a_matrix_product(case):
    x, w = as4(case)
    s_h, s_w = case.stride if isinstance(case.stride, tuple) else (case.stride,) * 2
    out = conv2d(x, w, **case.kw)
    expected = np.einsum("kc,nchw->nkhw", w[:, :, 0, 0], x[:, :, ::s_h, ::s_w])
    assert_same(out, expected, case)
    # dilation has nothing to space out in a 1x1 kernel
    assert_same(conv2d(x, w, stride=case.stride), out, case)


# --- padding, stride and dilation are what the article says they are ---------------------------


@given(conv_cases())
@counted
def test_padding_equals_explicit_zero_padding(case):
    x, w = as4(case)
    p_h, p_w = case.padding if isinstance(case.padding, tuple) else (case.padding,) * 2
    xp = np.pad(x, ((0, 0), (0, 0), (p_h, p_h), (p_w, p_w)))
    assert_same(
        conv2d(x, w, case.b, **case.kw),
        conv2d(xp, w, case.b, **dict(case.kw, padding=0)),
        case,
    )


@given(conv_cases())
@counted
def test_stride_subsamples_the_stride_1_output(case):
    x, w = as4(case)
    s_h, s_w = case.stride if isinstance(case.stride, tuple) else (case.stride,) * 2
    dense = conv2d(x, w, case.b, **dict(case.kw, stride=1))
    assert_same(conv2d(x, w, case.b, **case.kw), dense[:, :, ::s_h, ::s_w], case)


@given(conv_cases())
@counted
def test_dilation_equals_a_kernel_with_zeros_between_taps(case):
    x, w = as4(case)
    d_h, d_w = case.dilation if isinstance(case.dilation, tuple) else (case.dilation,) * 2
    k, cg, fh, fw = w.shape
    spread = np.zeros((k, cg, d_h * (fh - 1) + 1, d_w * (fw - 1) + 1), dtype=w.dtype)
    spread[:, :, ::d_h, ::d_w] = w
    assert_same(
        conv2d(x, w, case.b, **case.kw),
        conv2d(x, spread, case.b, **dict(case.kw, dilation=1)),
        case,
    )


# --- relu and explain ----------------------------------------------------------------------------


@more(4)
@given(st.integers(0, 4).flatmap(lambda r: st.tuples(*[st.integers(1, 4)] * r)), st.sampled_from(DTYPES), st.integers(0, 2**32 - 1))
@counted
def test_relu_is_max_with_zero(shape, dtype, seed):
    x = fill(np.random.default_rng(seed), shape, dtype)
    y = relu(x)
    assert y.shape == x.shape
    np.testing.assert_array_equal(y, np.maximum(x, 0))
    np.testing.assert_array_equal(relu(y), y)  # idempotent
    assert (y >= 0).all()
    if dtype != "bool":
        assert y.dtype == x.dtype


@given(conv_cases(single=True), st.sampled_from([None, "relu"]), st.data())
@counted
def test_explain_adds_up_to_the_reference_element(case, activation, data):
    bias = 0 if case.b is None or np.ndim(case.b) else case.b
    out = conv2d_reference(case.x, case.w, bias, **case.kw)
    i = data.draw(st.integers(0, out.shape[-2] - 1), label="i")
    j = data.draw(st.integers(0, out.shape[-1] - 1), label="j")
    kw = dict(case.kw)
    del kw["groups"]
    e = explain(case.x, case.w, bias, at=(i, j), activation=activation, **kw)
    expected = out[i, j] if activation is None else max(out[i, j], 0)
    assert math.isclose(e.value, expected, rel_tol=1e-4, abs_tol=1e-4)
    assert len(e.terms) == np.size(case.w)
    assert math.isclose(e.total, sum(t.product for t in e.terms) + e.bias, rel_tol=1e-9, abs_tol=1e-9)
    # a term is zero padding exactly when its pixel lies outside the input
    h, w = np.shape(case.x)[-2:]
    for t in e.terms:
        assert t.padded == (not (0 <= t.row < h and 0 <= t.col < w))
        if t.padded:
            assert t.input == 0


# --- size arithmetic -------------------------------------------------------------------------------

sizes = dict(size=st.integers(1, 60), k=st.integers(1, 9), s=st.integers(1, 5), p=st.integers(0, 4), d=st.integers(1, 3))


@more(4)
@given(**sizes)
@counted
def test_output_size_is_number_of_window_positions(size, k, s, p, d):
    eff = d * (k - 1) + 1
    if eff > size + 2 * p:
        with pytest.raises(ValueError, match="larger than the padded input"):
            output_size(size, k, s, p, d)
        return
    starts = [i for i in range(0, size + 2 * p) if i + eff <= size + 2 * p and i % s == 0]
    assert output_size(size, k, s, p, d) == len(starts)
    assert output_size(size, k, s, p, d) == math.floor((size + 2 * p - eff) / s) + 1
    assert type(output_size(size, k, s, p, d)) is int


@more(4)
@given(**sizes)
@counted
def test_ceil_mode_adds_at_most_the_window_that_starts_inside(size, k, s, p, d):
    eff = d * (k - 1) + 1
    if eff > size + 2 * p or p > eff // 2:  # PyTorch pooling allows padding <= half the kernel
        return
    floor_, ceil_ = output_size(size, k, s, p, d), output_size(size, k, s, p, d, ceil_mode=True)
    assert ceil_ - floor_ in (0, 1)
    # PyTorch: every window starts inside the input or the left padding
    assert (ceil_ - 1) * s < size + p
    if ceil_ == floor_ + 1:
        assert (size + 2 * p - eff) % s != 0  # only when the windows don't fit exactly


@more(4)
@given(h=st.integers(1, 30), w=st.integers(1, 30), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 2))
@counted
def test_output_size_of_a_pair_is_per_axis(h, w, k, s, p):
    if k > min(h, w) + 2 * p:
        return
    assert output_size((h, w), k, s, p) == (output_size(h, k, s, p), output_size(w, k, s, p))
    assert output_size((h, w), (k, k), (s, s), (p, p)) == output_size((h, w), k, s, p)


@more(4)
@given(**sizes)
@counted
def test_transposed_size_undoes_the_direct_size(size, k, s, p, d):
    if d * (k - 1) + 1 > size + 2 * p:
        return
    o = output_size(size, k, s, p, d)
    # the pixels the direct convolution dropped come back as output_padding (PyTorch's rule)
    extra = (size + 2 * p - d * (k - 1) - 1) % s
    assert transposed_output_size(o, k, s, p, extra, d) == size


@more(4)
@given(size=st.integers(1, 80), k=st.integers(1, 9), s=st.integers(1, 5), d=st.integers(1, 3))
@counted
def test_same_padding_keeps_ceil_size_over_stride(size, k, s, d):
    before, after = same_padding(size, k, s, d)
    assert after - before in (0, 1)
    assert before >= 0
    eff = d * (k - 1) + 1
    assert (size + before + after - eff) // s + 1 == math.ceil(size / s)
    if before == after:  # symmetric: output_size agrees
        assert output_size(size, k, s, before, d) == math.ceil(size / s)


LAYER = st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 2))


@more(2)
@given(st.lists(LAYER, max_size=4))
@counted
def test_receptive_field_is_the_input_span_of_one_output(layers):
    r = receptive_field(layers)
    assert r == receptive_field([(k, s, d) for k, s, d in layers])
    assert receptive_field([(k, s) for k, s, d in layers if d == 1]) <= r

    def stack(x):
        for k, s, d in layers:
            x = conv2d(x, np.ones((1, k), dtype=np.int64), stride=(1, s), dilation=(1, d))
        return x

    # an input of width r gives at least one output; its first element sees pixel 0 and pixel r-1
    for pixel in (0, r - 1):
        impulse = np.zeros((1, r), dtype=np.int64)
        impulse[0, pixel] = 1
        assert stack(impulse)[0, 0] > 0
    if r > 1:  # one pixel narrower and the stack has no output at all
        with pytest.raises(ValueError, match="larger than the padded input"):
            stack(np.ones((1, r - 1), dtype=np.int64))


@given(
    cin=st.integers(1, 6), cout=st.integers(1, 6), g=st.integers(1, 3),
    kh=st.integers(1, 5), kw=st.integers(1, 5), bias=st.booleans(),
)
@counted
@more(4)
def test_param_count_is_the_number_of_weights_conv2d_takes(cin, cout, g, kh, kw, bias):
    cin, cout = cin * g, cout * g
    weight = np.zeros((cout, cin // g, kh, kw))
    b = np.zeros(cout) if bias else None
    assert param_count(cin, cout, (kh, kw), bias=bias, groups=g) == weight.size + (b.size if bias else 0)
    # and conv2d accepts exactly those arrays for a (cin, H, W) input
    assert conv2d(np.ones((cin, kh, kw)), weight, b, groups=g).shape == (cout, 1, 1)
    if kh == kw:
        assert param_count(cin, cout, kh, bias=bias, groups=g) == param_count(cin, cout, (kh, kh), bias=bias, groups=g)


@given(conv_cases())
@counted
def test_im2col_times_the_flattened_filters_is_conv2d(case):
    x4, w4 = as4(case)
    n, (k, cg, fh, fw), g = x4.shape[0], w4.shape, case.groups
    cols = im2col(case.x, (fh, fw), case.stride, case.padding, case.dilation)
    cols = cols.reshape(n, g, cg * fh * fw, -1).astype(np.result_type(cols, w4))
    out = np.matmul(w4.reshape(g, k // g, cg * fh * fw), cols).reshape(n, k, -1)  # (N, K, H2*W2)
    if case.b is not None:
        out = out + np.reshape(case.b, (-1, 1))
    expected = conv2d(case.x, case.w, case.b, **case.kw)
    assert_same(out.reshape(case.shape).astype(expected.dtype), expected, case)


@given(conv_cases(), st.sampled_from(STRATEGIES))
@counted
def test_every_strategy_computes_the_same_result(case, strategy):
    ref = conv2d_reference(case.x, case.w, case.b, **case.kw)
    assert conv2d_strategy(case.x, case.w, case.b, **case.kw) in STRATEGIES
    with use_strategy(strategy):
        try:
            out = conv2d(case.x, case.w, case.b, **case.kw)
        except ValueError as exc:  # pointwise needs 1x1 filters and no padding, as documented
            assert strategy == "pointwise" and "pointwise" in str(exc)
            return
    assert out.dtype == ref.dtype
    assert_same(out, ref, case)


# --- pooling -----------------------------------------------------------------------------------


@st.composite
def pool_cases(draw, *, padding=True, dilation=True):
    """x of rank 2, 3 or 4 and valid pooling arguments (padding at most half the kernel, as PyTorch)."""
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = draw(st.one_of(st.none(), st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    pad = (draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2))) if padding else (0, 0)
    dil = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if dilation else (1, 1)
    ceil_mode = draw(st.booleans())
    h = draw(st.integers(max(1, dil[0] * (kh - 1) + 1 - 2 * pad[0]), 9))
    w = draw(st.integers(max(1, dil[1] * (kw - 1) + 1 - 2 * pad[1]), 9))
    lead = draw(st.sampled_from([(), (2,), (2, 3)]))
    x = fill(np.random.default_rng(draw(st.integers(0, 2**32 - 1))), (*lead, h, w), draw(st.sampled_from(["int64", "float64", "float32"])))
    return x, (kh, kw), stride, pad, dil, ceil_mode


def windows(x, kernel, stride, pad, dil, ceil_mode):
    """Every pooling window as a list of the values inside the input (padding left out), by loops."""
    s = kernel if stride is None else (stride, stride) if isinstance(stride, int) else stride
    h, w = x.shape[-2:]
    ho, wo = output_size((h, w), kernel, s, pad, dil, ceil_mode=ceil_mode)
    out = {}
    for i in range(ho):
        for j in range(wo):
            rows = [i * s[0] - pad[0] + m * dil[0] for m in range(kernel[0])]
            cols = [j * s[1] - pad[1] + n * dil[1] for n in range(kernel[1])]
            out[i, j] = [(r, c) for r in rows for c in cols if 0 <= r < h and 0 <= c < w]
    return (ho, wo), out


@given(pool_cases())
@counted
def test_max_pool_is_the_largest_value_of_each_window(case):
    x, kernel, stride, pad, dil, ceil_mode = case
    (ho, wo), cells = windows(x, kernel, stride, pad, dil, ceil_mode)
    if any(not c for c in cells.values()):  # a window of padding only: refused, as documented
        with pytest.raises(ValueError, match="reads only padding"):
            max_pool2d(x, kernel, stride, pad, dil, ceil_mode)
        return
    out = max_pool2d(x, kernel, stride, pad, dil, ceil_mode)
    assert out.shape == (*x.shape[:-2], ho, wo)
    assert out.dtype == x.dtype
    for (i, j), c in cells.items():
        rows, cols = zip(*c)
        np.testing.assert_array_equal(out[..., i, j], x[..., list(rows), list(cols)].max(axis=-1))
    # the max of a constant is that constant
    const = np.full_like(x, 7)
    np.testing.assert_array_equal(max_pool2d(const, kernel, stride, pad, dil, ceil_mode), np.full(out.shape, 7))


@given(pool_cases(padding=False, dilation=False))
@counted
def test_avg_pool_without_padding_is_a_uniform_convolution(case):
    x, kernel, stride, _, _, _ = case
    s = kernel if stride is None else stride
    avg = avg_pool2d(x, kernel, stride)
    assert avg.shape[-2:] == output_size(x.shape[-2:], kernel, s)
    uniform = np.full(kernel, 1 / (kernel[0] * kernel[1]))
    flat = x.reshape(-1, *x.shape[-2:]).astype(np.float64)
    expected = np.stack([conv2d(img, uniform, stride=s) for img in flat]).reshape(avg.shape)
    np.testing.assert_allclose(avg, expected, rtol=1e-5, atol=1e-5)
    # no average exceeds the window's maximum
    assert (avg <= max_pool2d(x, kernel, stride) + 1e-5).all()
    np.testing.assert_allclose(avg_pool2d(np.full_like(x, 3), kernel, stride), 3)


@given(pool_cases(dilation=False))
@counted
def test_pooling_shapes_are_output_size(case):
    x, kernel, stride, pad, _, ceil_mode = case
    s = kernel if stride is None else stride
    expected = (*x.shape[:-2], *output_size(x.shape[-2:], kernel, s, pad, ceil_mode=ceil_mode))
    assert avg_pool2d(x, kernel, stride, pad, ceil_mode).shape == expected


# --- the transposed convolution -------------------------------------------------------------------


@given(conv_cases(groups=1, bias=False, dtypes=["int64"]), st.integers(0, 2**32 - 1))
@counted
def test_transposed_convolution_is_the_adjoint_of_convolution(case, seed):
    """<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>: the transposed convolution is the gradient."""
    x, w = as4(case)
    x, w = x[0], w  # (C, H, W) and (K, C, F, F)
    pair = lambda v: v if isinstance(v, tuple) else (v, v)  # noqa: E731
    s, p, d = pair(case.stride), pair(case.padding), pair(case.dilation)
    y_shape = conv2d(x, w, stride=s, padding=p, dilation=d).shape
    y = fill(np.random.default_rng(seed), y_shape, "int64")
    # the rows and columns the strided convolution never reached come back as output_padding
    extra = tuple((x.shape[1 + i] + 2 * p[i] - d[i] * (w.shape[2 + i] - 1) - 1) % s[i] for i in range(2))
    back = conv_transpose2d(y, w, stride=s, padding=p, output_padding=extra, dilation=d)
    assert back.shape == x.shape
    assert back.shape[1:] == transposed_output_size(y_shape[1:], w.shape[2:], s, p, extra, d)
    assert int((conv2d(x, w, stride=s, padding=p, dilation=d) * y).sum()) == int((x * back).sum())


# --- networks -------------------------------------------------------------------------------------


# the layer specs of one, two and three spatial axes: convolution, max and average pooling, batch norm, adaptive pooling
SPECS = {
    1: (Conv1d, MaxPool1d, AvgPool1d, BatchNorm1d, AdaptiveAvgPool1d),
    2: (Conv2d, MaxPool2d, AvgPool2d, BatchNorm2d, AdaptiveAvgPool2d),
    3: (Conv3d, MaxPool3d, AvgPool3d, BatchNorm3d, AdaptiveAvgPool3d),
}


@st.composite
def networks(draw, dims: int = 2):
    """A stack of layer specs with ``dims`` spatial axes that fits a small input, and the input's shape.

    A layer drawn is kept only if ``summary`` takes it on what arrives. The stack may end in an adaptive
    pooling, then in Flatten and Linear.
    """
    conv, maxpool, avgpool, bn, adaptive = SPECS[dims]
    side = st.integers(4, 12) if dims == 2 else st.integers(3, 7)  # a 12x12x12 volume makes conv3d slow
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 4)), *(draw(side) for _ in range(dims)))
    layers, now = [], shape[1:]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["conv", "max", "avg", "bn", "relu", "relu6", "dropout"]))
        k, s, p = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(0, 1))
        if kind == "conv":
            g = draw(st.sampled_from([g for g in (1, 2) if now[0] % g == 0]))
            layer = conv(g * draw(st.integers(1, 3)), k, stride=s, padding=p, groups=g, bias=draw(st.booleans()))
        elif kind == "max":
            layer = maxpool(k, stride=s, padding=min(p, k // 2), ceil_mode=draw(st.booleans()))
        elif kind == "avg":
            layer = avgpool(k, stride=s, padding=min(p, k // 2))
        elif kind == "dropout":
            layer = Dropout(draw(st.sampled_from([0.0, 0.5, 1.0])))
        else:
            layer = {"bn": bn, "relu": ReLU, "relu6": ReLU6}[kind]()
        try:
            now = summary([layer], now).output_shape
        except ValueError:
            continue  # does not fit what arrives: leave it out
        layers.append(layer)
    # summary reads input_shape by the first layer with spatial axes, and as 2-D when there is none
    if draw(st.booleans()) or (dims != 2 and not any(getattr(layer, "_dims", None) for layer in layers)):
        layers.append(adaptive(draw(st.integers(1, 2))))
    if draw(st.booleans()):
        layers += [Flatten(), Linear(draw(st.integers(1, 5)), bias=draw(st.booleans()))]
    return layers, shape


@given(networks())
@counted
def test_summary_totals_are_sums_of_param_count(net):
    layers, shape = net
    s = summary(layers, shape)
    assert s.total_params == sum(row.params for row in s.rows)
    assert s.output_shape == (s.rows[-1].output_shape if s.rows else shape)
    x = np.ones(shape)
    for row, layer in zip(s.rows, layers, strict=True):
        assert row.input_shape == x.shape
        cin = x.shape[1]
        if isinstance(layer, Conv2d):
            assert row.params == param_count(cin, layer.out_channels, layer.kernel_size, bias=layer.bias, groups=layer.groups)
            w = np.ones((layer.out_channels, cin // layer.groups, layer.kernel_size, layer.kernel_size))
            x = conv2d(x, w, stride=layer.stride, padding=layer.padding, groups=layer.groups)
        elif isinstance(layer, MaxPool2d):
            x = max_pool2d(x, layer.kernel_size, layer.stride, layer.padding, ceil_mode=layer.ceil_mode)
        elif isinstance(layer, AvgPool2d):
            x = avg_pool2d(x, layer.kernel_size, layer.stride, layer.padding)
        elif isinstance(layer, BatchNorm2d):
            assert row.params == 2 * cin  # a scale and a shift per channel
        elif isinstance(layer, ReLU):
            x = relu(x)
        elif isinstance(layer, AdaptiveAvgPool2d):
            x = np.ones((*x.shape[:2], layer.output_size, layer.output_size))
        elif isinstance(layer, Flatten):
            x = x.reshape(x.shape[0], -1)
        elif isinstance(layer, Linear):
            assert row.params == linear_param_count(x.shape[1], layer.out_features, bias=layer.bias)
            assert row.params == param_count(x.shape[1], layer.out_features, 1, bias=layer.bias)
            x = np.ones((x.shape[0], layer.out_features))
        if not isinstance(layer, (Conv2d, BatchNorm2d, Linear)):
            assert row.params == 0
        assert row.output_shape == x.shape, (layer, row)


# --- blocks: what summary says is what a numpy forward pass does -------------------------------------


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


def forward(layer, x):
    """Run a layer spec on an array with convdoc's own functions (numpy does the joining)."""
    if isinstance(layer, Sequential):
        for inner in layer.layers:
            x = forward(inner, x)
        return x
    if isinstance(layer, Residual):
        a, b = x, x
        for inner in layer.body:
            a = forward(inner, a)
        for inner in layer.shortcut:
            b = forward(inner, b)
        if a.shape != b.shape:
            raise ValueError("numpy would broadcast or refuse; a residual block needs equal shapes")
        return a + b if layer.activation is None else forward(layer.activation, a + b)
    if isinstance(layer, Concat):
        outs = []
        for branch in layer.branches:
            y = x
            for inner in branch:
                y = forward(inner, y)
            outs.append(y)
        return np.concatenate(outs, axis=1)  # raises ValueError when the other axes differ
    if isinstance(layer, Conv2d):
        w = np.ones((layer.out_channels, x.shape[1] // layer.groups, *_pair(layer.kernel_size)))
        return conv2d(x, w, stride=layer.stride, padding=layer.padding, groups=layer.groups)
    if isinstance(layer, ConvTranspose2d):
        w = np.ones((x.shape[1], layer.out_channels, *_pair(layer.kernel_size)))
        return conv_transpose2d(x, w, stride=layer.stride, padding=layer.padding, output_padding=layer.output_padding)
    if isinstance(layer, MaxPool2d):
        return max_pool2d(x, layer.kernel_size, layer.stride, layer.padding, ceil_mode=layer.ceil_mode)
    if isinstance(layer, Upsample):
        sh, sw = _pair(layer.scale_factor)
        return x.repeat(sh, axis=2).repeat(sw, axis=3)
    if isinstance(layer, ReLU6):
        return np.clip(x, 0, 6)
    if isinstance(layer, (ReLU, Dropout, BatchNorm2d)):
        return relu(x) if isinstance(layer, ReLU) else x
    raise AssertionError(layer)  # pragma: no cover


@st.composite
def chains(draw, c, depth):
    """A short list of leaves and blocks (blocks nest up to ``depth``), not always one that fits."""
    out = []
    for _ in range(draw(st.integers(0 if depth < 2 else 1, 3))):
        kind = draw(st.sampled_from(["conv", "max", "relu6", "drop", "up", "convT"] + ["seq", "res", "cat"] * (depth > 0)))
        k, s, p = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(0, 1))
        if kind == "conv":
            out.append(Conv2d(draw(st.integers(1, 4)), k, stride=s, padding=p, bias=draw(st.booleans())))
        elif kind == "max":
            out.append(MaxPool2d(k, stride=s, padding=min(p, k // 2)))
        elif kind == "convT":
            out.append(ConvTranspose2d(draw(st.integers(1, 4)), k, stride=s, padding=p, output_padding=draw(st.integers(0, s - 1))))
        elif kind in ("relu6", "drop", "up"):
            out.append({"relu6": ReLU6(), "drop": Dropout(0.1), "up": Upsample(scale_factor=s)}[kind])
        elif kind == "seq":
            out.append(Sequential(*draw(chains(c, depth - 1)), name=draw(st.sampled_from(["", "stage"]))))
        elif kind == "res":
            shortcut = draw(st.sampled_from([None, [Conv2d(draw(st.integers(1, 4)), 1, stride=s)]]))
            out.append(Residual(draw(chains(c, depth - 1)) or [ReLU()], shortcut, activation=draw(st.sampled_from([None, ReLU()]))))
        else:
            out.append(Concat(*[draw(chains(c, depth - 1)) for _ in range(draw(st.integers(1, 3)))]))
    return out


@given(st.integers(1, 3), st.integers(5, 12), st.integers(5, 12), st.data())
@counted
def test_summary_of_blocks_refuses_exactly_what_numpy_cannot_run(c, h, w, data):
    layers = data.draw(chains(c, 2))
    shape = (data.draw(st.integers(1, 2)), c, h, w)
    try:
        y = np.ones(shape)
        for layer in layers:
            y = forward(layer, y)
    except ValueError:
        with pytest.raises(ValueError, match=r"layers\[\d+\]"):
            summary(layers, shape)
        return
    s = summary(layers, shape, depth=2)
    assert s.output_shape == y.shape
    # every row holds what the rows inside it hold; every shape is the one numpy computes
    for path, level, row in s.walk():
        if row.rows:
            assert row.params == sum(r.params for r in row.rows)
            assert row.macs == sum(r.macs for r in row.rows)
        layer = eval(path, {"layers": layers})  # the path reaches the spec in the list
        assert layer is row.layer
        assert forward(layer, np.ones(row.input_shape)).shape == row.output_shape
        if isinstance(layer, ConvTranspose2d):
            weights = row.input_shape[1] * layer.out_channels * layer.kernel_size**2
            assert row.params == weights + layer.out_channels * layer.bias
            assert row.macs == weights * math.prod(row.input_shape[2:]) * shape[0]
    # the text table shows the rows down to the depth asked for, no more
    assert len(str(s).splitlines()) == 5 + sum(1 for _, level, _ in s.walk(2))
    leaves = [r for _, _, r in s.walk() if not r.rows and not isinstance(r.layer, (Sequential, Residual, Concat))]
    t = s.totals
    assert t.params_mb == s.total_params * 4 / 10**6
    assert t.input_mb == math.prod(shape) * 4 / 10**6
    assert t.forward_backward_mb == 2 * 4 * sum(math.prod(r.output_shape) for r in leaves if r.params) / 10**6
    assert t.total_mb == t.input_mb + t.forward_backward_mb + t.params_mb


@given(st.lists(st.tuples(st.sampled_from(["conv", "max", "relu"]), st.integers(1, 5), st.integers(1, 3), st.integers(1, 3)), max_size=6))
@counted
def test_receptive_field_of_layer_specs_is_that_of_their_windows(items):
    specs, windows = [], []
    for kind, k, s, d in items:
        if kind == "conv":
            specs.append(Conv2d(2, k, stride=s, dilation=d))
            windows.append((k, s, d))
        elif kind == "max":
            specs.append(MaxPool2d(k, stride=s, dilation=d))
            windows.append((k, s, d))
        else:
            specs.append(ReLU())
    assert receptive_field(specs) == receptive_field(windows) if specs else True
    # wrapped in blocks, beside an identity path, the field is the same: the widest path counts
    if specs:
        assert receptive_field([Sequential(*specs)]) == receptive_field([Concat([], specs)]) == receptive_field(windows)


# --- more size arithmetic ----------------------------------------------------------------------------


@more(4)
@given(**sizes)
@counted
def test_effective_kernel_and_coverage_agree_with_output_size(size, k, s, p, d):
    eff = effective_kernel_size(k, d)
    assert eff == d * (k - 1) + 1
    if eff > size + 2 * p or p > eff // 2:
        return
    assert output_size(size, eff, s, p) == output_size(size, k, s, p, d)
    c = coverage(size, k, s, p, d)
    assert c.output == len(c.windows) == output_size(size, k, s, p, d)
    assert math.floor(c.exact) == c.output
    read = {i for window in c.windows for i in window}
    assert set(c.uncovered) == set(range(size)) - read
    assert all(len(window) == k for window in c.windows)


@more(4)
@given(size=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 4), d=st.integers(1, 3), target=st.integers(1, 40))
@counted
def test_padding_for_reaches_its_output(size, k, s, d, target):
    eff = d * (k - 1) + 1
    same = padding_for(size, k, s, d, output="same")
    assert same.output == math.ceil(size / s)
    assert (size + same.total - eff) // s + 1 == same.output
    assert same.sides[1] - same.sides[0] in (0, 1)
    try:
        explicit = padding_for(size, k, s, d, output=target)
    except ValueError:  # padding only makes outputs larger: refused when the target is below
        assert eff > size or output_size(size, k, s, 0, d) > target
        return
    assert explicit.output == target
    assert (size + explicit.total - eff) // s + 1 == target
    if explicit.per_side is not None:
        assert output_size(size, k, s, explicit.per_side, d) == target


@more(3)
@given(size=st.integers(1, 40), k=st.integers(1, 5), out=st.integers(1, 12), d=st.integers(1, 2))
@counted
def test_stride_padding_for_lists_settings_that_give_the_output(size, k, out, d):
    eff = d * (k - 1) + 1
    settings_ = stride_padding_for(size, k, out, dilation=d)
    for setting in settings_:
        assert output_size(size, k, setting.stride, setting.padding, d) == out
        assert setting.remainder == (size + 2 * setting.padding - eff) % setting.stride


@more(3)
@given(st.lists(LAYER, max_size=5))
@counted
def test_receptive_fields_grow_to_the_receptive_field(layers):
    rows = receptive_fields(layers)
    assert len(rows) == len(layers)
    assert (rows[-1].size if rows else 1) == receptive_field(layers)
    jump = 1
    for row, (k, s, d) in zip(rows, layers, strict=True):
        jump *= s
        assert row.jump == jump
        assert (row.kernel_size, row.stride, row.dilation) == (k, s, d)
    assert [r.size for r in rows] == sorted(r.size for r in rows)  # never shrinks


@more(4)
@given(cin=st.integers(1, 64), cout=st.integers(1, 64), k=st.integers(1, 7), out=st.integers(1, 30), bias=st.booleans())
@counted
def test_other_parameter_counts_are_built_from_param_count(cin, cout, k, out, bias):
    assert depthwise_separable_param_count(cin, cout, k, bias=bias) == (
        param_count(cin, cin, k, bias=bias, groups=cin) + param_count(cin, cout, 1, bias=bias)
    )
    # no sharing: every output position has its own filters
    assert locally_connected_param_count(cin, cout, k, out, bias=bias) == out * out * param_count(cin, cout, k, bias=bias)
    assert linear_param_count(cin, cout, bias=bias) == param_count(cin, cout, 1, bias=bias)


@given(st.sampled_from(GLOSSARY), st.sampled_from(["zh", "en"]))
@counted
def test_every_glossary_term_is_found_and_listed(entry, lang):
    assert lookup_term(entry.zh) == entry
    assert lookup_term(entry.en) == entry
    assert lookup_term(entry.en.upper()) == entry  # English is case-insensitive
    for other in entry.zh_also + entry.en_also:
        assert lookup_term(other) == entry
    table = glossary_table(lang)
    assert entry.zh in table and entry.en in table


# --- 1-D and 3-D --------------------------------------------------------------------------------


def conv_nd_loops(x, w, b, stride, padding, dilation, groups):
    """The formula with one loop per index, any number of spatial axes: x (N, C, *S), w (K, C/g, *F).

    ``a[n,k,o] = b[k] + sum_c sum_m w[k,c,m] * xp[n, g*C_g + c, o*S + m*D]`` over every output
    position ``o`` and tap ``m`` (tuples, one entry per axis); Python ints for integer arrays.
    """
    dims = x.ndim - 2
    num = int if x.dtype.kind in "biu" and w.dtype.kind in "biu" else float
    (n, c), (k, cg) = x.shape[:2], w.shape[:2]
    outs = tuple((x.shape[2 + a] + 2 * padding[a] - dilation[a] * (w.shape[2 + a] - 1) - 1) // stride[a] + 1 for a in range(dims))
    result = {}
    for img in range(n):
        for f in range(k):
            g = f // (k // groups)
            for o in np.ndindex(*outs):
                total = num(0) if b is None else num(b[f])
                for ch in range(cg):
                    for m in np.ndindex(*w.shape[2:]):
                        at = tuple(o[a] * stride[a] + m[a] * dilation[a] - padding[a] for a in range(dims))
                        if all(0 <= at[a] < x.shape[2 + a] for a in range(dims)):
                            total += num(w[(f, ch, *m)]) * num(x[(img, g * cg + ch, *at)])
                result[(img, f, *o)] = total
    return result, (n, k, *outs)


@st.composite
def nd_cases(draw, dims: int):
    """A valid conv1d (dims=1) or conv3d (dims=3) call: arrays of (N, C, *S), its arguments as passed, and as tuples."""
    groups = draw(st.sampled_from([1, 2]))
    c, k = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    args = {}
    for name, lo, hi in (("stride", 1, 2), ("padding", 0, 2), ("dilation", 1, 2)):
        per_axis = tuple(draw(st.integers(lo, hi)) for _ in range(dims))
        args[name] = (per_axis, per_axis) if draw(st.booleans()) else (per_axis[0], (per_axis[0],) * dims)
    size = tuple(
        draw(st.integers(max(1, args["dilation"][1][a] * (kernel[a] - 1) + 1 - 2 * args["padding"][1][a]), 6))
        for a in range(dims)
    )
    n = draw(st.integers(1, 2))
    dtype = draw(st.sampled_from(DTYPES))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = fill(rng, (n, c, *size), dtype)
    w = fill(rng, (k, c // groups, *kernel), dtype)
    b = draw(st.sampled_from([None, "array", 1]))
    b = fill(rng, (k,), "int64" if dtype in ("int64", "int8", "bool") else dtype) if b == "array" else b
    return x, w, b, args, groups


def check_against_loops(f, case):
    x, w, b, args, groups = case
    out = f(x, w, b, groups=groups, **{name: as_passed for name, (as_passed, _) in args.items()})
    bias = None if b is None else (np.full(w.shape[0], b) if np.ndim(b) == 0 else b)
    expected, shape = conv_nd_loops(x, w, bias, *(args[name][1] for name in ("stride", "padding", "dilation")), groups)
    assert out.shape == shape
    for where, value in expected.items():
        if out.dtype.kind == "i":
            assert int(out[where]) == value, where
        else:
            assert abs(float(out[where]) - value) <= 1e-4 * (1 + abs(value)), where
    return out


@given(nd_cases(1))
@counted
def test_conv1d_is_the_formula_and_conv2d_one_pixel_high(case):
    out = check_against_loops(lambda *a, **k: conv1d(*a, **k), case)
    x, w, b, args, groups = case
    (s,), (p,), (d,) = (args[name][1] for name in ("stride", "padding", "dilation"))
    flat = conv2d(x[:, :, None, :], w[:, :, None, :], b, stride=(1, s), padding=(0, p), dilation=(1, d), groups=groups)
    assert np.array_equal(out, flat[:, :, 0, :])
    assert out.dtype == flat.dtype


@given(nd_cases(3))
@counted
def test_conv3d_is_the_formula(case):
    out = check_against_loops(conv3d, case)
    x, w, b, args, groups = case
    assert out.shape[2:] == output_size(x.shape[2:], w.shape[2:], *(args[name][1] for name in ("stride", "padding", "dilation")))
    assert out.dtype == conv2d(x[:, :, 0], w[:, :, 0], b, groups=groups, padding=2).dtype  # conv2d's dtype rules


@given(nd_cases(3), st.integers(1, 4))
@counted
def test_conv3d_in_chunks_under_a_tiny_workspace_is_the_same(case, kib):
    from convdoc.fast import limited_workspace

    x, w, b, args, groups = case
    kw = {name: as_passed for name, (as_passed, _) in args.items()}
    with limited_workspace(kib * 16):  # a few output slices per conv2d call, or one
        small = conv3d(x, w, b, groups=groups, **kw)
    assert np.array_equal(small, conv3d(x, w, b, groups=groups, **kw))


@more(4)
@given(st.integers(1, 3), st.data())
@counted
def test_sizes_of_several_axes_are_the_sizes_of_each_axis(n, data):
    axis = st.tuples(st.integers(1, 40), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2))
    axes = [data.draw(axis) for _ in range(n)]
    size, k, s, p, d = (tuple(a[i] for a in axes) for i in range(5))
    one = []
    for a in axes:
        try:
            one.append(output_size(*a))
        except ValueError:
            with pytest.raises(ValueError):
                output_size(size, k, s, p, d)
            return
    assert output_size(size, k, s, p, d) == tuple(one)
    assert effective_kernel_size(k, d) == tuple(effective_kernel_size(a[1], a[4]) for a in axes)
    assert param_count(3, 4, k) == 4 * 3 * math.prod(k) + 4
    assert param_count(3, 4, k[0]) == param_count(3, 4, (k[0], k[0]))  # an int: a square 2-D kernel
    same = padding_for(size, k, s, d, output="same")
    assert same.output == tuple(-(-a[0] // a[2]) for a in axes)
    assert len(same.sides) == 2 * n and same.torch_pad[:2] == same.sides[-2:]
    for i, a in enumerate(axes):
        alone = padding_for(a[0], a[1], a[2], a[4], output="same")
        assert (same.output[i], same.total[i]) == (alone.output, alone.total)
    layers = [(a[1], a[2], a[4]) for a in axes]  # one layer per axis drawn, applied to every axis
    stack = [tuple(tuple(layer[j] for layer in layers) for j in range(3))] * 2
    assert receptive_field(stack) == tuple(receptive_field([layer] * 2) for layer in layers)
    assert transposed_output_size(tuple(one), k, s, 0, 0, d) == tuple(transposed_output_size(o, a[1], a[2], 0, 0, a[4]) for o, a in zip(one, axes))


@given(st.sampled_from([1, 3]).flatmap(networks))
@counted
def test_summary_of_1d_and_3d_layers_is_what_the_arrays_give(net):
    layers, shape = net
    s = summary(layers, shape)
    f = conv1d if len(shape) == 3 else conv3d
    x = np.ones(shape)
    for row, layer in zip(s.rows, layers, strict=True):
        assert row.input_shape == x.shape
        cin = x.shape[1]
        if isinstance(layer, (Conv1d, Conv3d)):
            kernel = (layer.kernel_size,) * (len(shape) - 2)
            assert row.params == param_count(cin, layer.out_channels, kernel, bias=layer.bias, groups=layer.groups)
            x = f(x, np.ones((layer.out_channels, cin // layer.groups, *kernel)), stride=layer.stride,
                  padding=layer.padding, groups=layer.groups)
            assert row.macs == x.size * (cin // layer.groups) * math.prod(kernel)
        elif isinstance(layer, (BatchNorm1d, BatchNorm3d)):
            assert row.params == 2 * cin
        elif isinstance(layer, (AdaptiveAvgPool1d, AdaptiveAvgPool3d)):
            x = np.ones(x.shape[:2] + (layer.output_size,) * (len(shape) - 2))
        elif isinstance(layer, Flatten):
            x = x.reshape(x.shape[0], -1)
        elif isinstance(layer, Linear):
            assert row.params == linear_param_count(x.shape[1], layer.out_features, bias=layer.bias)
            x = np.ones((x.shape[0], layer.out_features))
        elif not isinstance(layer, (ReLU, ReLU6, Dropout)):  # pooling: output_size on each axis
            stride = layer.kernel_size if layer.stride is None else layer.stride
            ceil = layer.ceil_mode
            sizes = output_size(x.shape[2:], layer.kernel_size, stride, layer.padding, ceil_mode=ceil)
            x = np.ones(x.shape[:2] + sizes)
        if not isinstance(layer, (Conv1d, Conv3d, BatchNorm1d, BatchNorm3d, Linear)):
            assert row.params == 0 and row.macs == 0
        assert row.output_shape == x.shape, (layer, row)


def test_every_public_callable_is_covered_by_a_property():
    """A new public function needs a property here (or in the list of exempt names, with a reason)."""
    exempt = {
        "Explanation": "returned by explain, tested through it",
        "Term": "returned by explain, tested through it",
        "Summary": "returned by summary, tested through it",
        "Totals": "returned by Summary.totals, tested through it",
        "Coverage": "returned by coverage, tested through it",
        "Padding": "returned by padding_for, tested through it",
        "StridePadding": "returned by stride_padding_for, tested through it",
        "LayerField": "returned by receptive_fields, tested through it",
        "GlossaryEntry": "the items of GLOSSARY, tested through lookup_term",
        "ConvGrad": "returned by conv2d_grad, tested through it",
        **{name: "properties in tests/test_grad.py (finite differences, adjoints, brute-force loops)"
           for name in ("conv2d_grad", "max_pool2d_grad", "avg_pool2d_grad", "grad_output_padding", "explain_grad")},
        "GradExplanation": "returned by explain_grad, tested through it",
        "GradTerm": "returned by explain_grad, tested through it",
    }
    # the names the code above uses (called, or a layer class a strategy draws from), not imports or prose
    code = ast.parse(Path(__file__).read_text(encoding="utf-8").split("def test_every_public")[0])
    used = {node.id for node in ast.walk(code) if isinstance(node, ast.Name)}
    used |= {node.attr for node in ast.walk(code) if isinstance(node, ast.Attribute)}
    missing = [name for name in convdoc.__all__ if callable(getattr(convdoc, name)) and name not in exempt.keys() | used]
    assert not missing, f"public callables with no property test: {missing}"


# --- real inputs: integers of every width, exact or refused; dtypes; ceil_mode edges -----------

INT_DTYPES = ["uint8", "int8", "uint16", "int32", "int64", "uint64", "bool"]


def wide_ints(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, scale: int) -> np.ndarray:
    """Integers of ``dtype``: small ones, or spread over up to ``2**scale`` (capped by the dtype)."""
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dtype)
    lo, hi = max(info.min, -(2**scale)), min(info.max, 2**scale)
    return rng.integers(lo, hi, shape, dtype=dtype, endpoint=True)


SCALE = st.one_of(st.sampled_from([31, 62, 63]), st.integers(0, 63))  # often near int64's limit


def exact_or_overflow(fn):
    """fn()'s result, or the string 'overflow' if it raises convdoc's integer-overflow ValueError."""
    try:
        return fn()
    except ValueError as exc:
        assert "integer overflow" in str(exc) and "int64 cannot hold" in str(exc), str(exc)
        return "overflow"


@given(conv_cases(bias=False, dtypes=["int64"]), st.sampled_from(INT_DTYPES), st.sampled_from(INT_DTYPES),
       SCALE, SCALE, st.sampled_from(("auto",) + STRATEGIES), st.integers(0, 2**32 - 1))
@more(2)
@counted
def test_integer_inputs_are_exact_or_refused_on_every_strategy(case, xdt, wdt, xs, ws, strategy, seed):
    """Integers of any width give the exact int64 result (Python-int sums in conv2d_reference), or,
    when the exact result does not fit in int64, the same overflow error: never a wrapped number."""
    rng = np.random.default_rng(seed)
    x = wide_ints(rng, case.x.shape, xdt, xs)
    w = wide_ints(rng, case.w.shape, wdt, ws)
    want = exact_or_overflow(lambda: conv2d_reference(x, w, **case.kw))
    if strategy == "pointwise" and (np.shape(w)[-2:] != (1, 1) or case.padding not in (0, (0, 0))):
        return
    if strategy == "auto":
        got = exact_or_overflow(lambda: conv2d(x, w, **case.kw))
    else:
        with use_strategy(strategy):
            got = exact_or_overflow(lambda: conv2d(x, w, **case.kw))
    if isinstance(want, str):
        assert got == want
    else:
        assert not isinstance(got, str) and got.dtype == np.int64
        np.testing.assert_array_equal(got, want)


def transposed_in_python_ints(x, w, stride, padding, output_padding, dilation):
    """conv_transpose2d by its definition, stamp by stamp, in exact Python integers (2-D x, 2-D w)."""
    (sh, sw), (ph, pw), (oh, ow), (dh, dw) = (
        (v, v) if isinstance(v, int) else v for v in (stride, padding, output_padding, dilation))
    h, wd = x.shape
    fh, fw = w.shape
    ho = transposed_output_size(h, fh, sh, ph, oh, dh)
    wo = transposed_output_size(wd, fw, sw, pw, ow, dw)
    out = [[0] * wo for _ in range(ho)]
    for i in range(h):
        for j in range(wd):
            for m in range(fh):
                for n in range(fw):
                    r, c = i * sh + m * dh - ph, j * sw + n * dw - pw
                    if 0 <= r < ho and 0 <= c < wo:
                        out[r][c] += int(x[i, j]) * int(w[m, n])
    return out


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),
       st.integers(0, 2), st.integers(1, 2), st.sampled_from(INT_DTYPES), st.sampled_from(INT_DTYPES),
       SCALE, SCALE, st.integers(0, 2**32 - 1))
@more(4)
@counted
def test_transposed_integers_are_exact_or_refused(h, w, fh, fw, s, p, d, xdt, wdt, xs, ws, seed):
    rng = np.random.default_rng(seed)
    x, k = wide_ints(rng, (h, w), xdt, xs), wide_ints(rng, (fh, fw), wdt, ws)
    try:
        transposed_output_size((h, w), (fh, fw), s, p, 0, d)
    except ValueError:
        return
    exact = transposed_in_python_ints(x, k, s, p, 0, d)
    fits = all(-(2**63) <= v < 2**63 for row in exact for v in row)
    got = exact_or_overflow(lambda: conv_transpose2d(x, k, stride=s, padding=p, dilation=d))
    if fits:
        assert not isinstance(got, str) and got.dtype == np.int64 and got.tolist() == exact
    else:
        assert isinstance(got, str) and got == "overflow", got


BIASES = {
    "none": None, "python int": 1, "python float": 0.5, "list of floats": "list",
    "float32 array": np.float32, "float64 array": np.float64, "int64 array": np.int64, "numpy float64": "scalar",
}


@given(st.sampled_from(DTYPES + ["float16", "uint8", "uint64"]), st.sampled_from(DTYPES + ["float16", "uint8", "uint64"]),
       st.sampled_from(sorted(BIASES)), st.sampled_from(["conv2d", "conv2d_reference", "conv_transpose2d"]))
@counted
def test_result_dtype_follows_the_inputs_and_python_numbers_are_weak(xdt, wdt, bias_kind, fn):
    """int64 for integers of any width (bool too); else numpy's float promotion of x, weight and an
    array bias, float16 computed as float32; a bias given as Python numbers never widens a float."""
    x = np.ones((2, 4, 4), xdt)
    w = np.ones((2, 2, 3, 3), wdt)
    b = BIASES[bias_kind]
    if b == "list":
        b = [0.5, 0.25]
    elif b == "scalar":
        b = np.float64(0.5)
    elif isinstance(b, type):
        b = np.ones(2, b)
    got = getattr(convdoc, fn)(x, w, b).dtype
    strong = [np.dtype(xdt), np.dtype(wdt)] + ([np.asarray(b).dtype] if isinstance(b, (np.ndarray, np.generic)) else [])
    if all(t.kind in "biu" for t in strong):
        weak_float = isinstance(b, float) or (isinstance(b, list) and isinstance(b[0], float))
        expected = np.dtype(np.float64) if weak_float else np.dtype(np.int64)
    else:
        expected = np.result_type(*strong)
        expected = np.dtype(np.float32) if expected.itemsize < 4 else expected
    assert got == expected, (xdt, wdt, bias_kind, fn, got)


@given(st.integers(1, 12), st.integers(1, 8), st.integers(1, 4), st.integers(0, 4), st.integers(1, 3), st.booleans())
@counted
def test_output_size_is_pytorchs_pooling_shape(n, k, s, p, d, ceil_mode):
    """aten/src/ATen/native/Pool.h, pooling_output_shape_pad_lr: refused exactly when PyTorch's is < 1."""
    num = n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)
    want = num // s + 1
    if ceil_mode and (want - 1) * s >= n + p:
        want -= 1
    if want < 1:
        with pytest.raises(ValueError, match="larger than the padded input"):
            output_size(n, k, s, p, d, ceil_mode=ceil_mode)
        return
    assert output_size(n, k, s, p, d, ceil_mode=ceil_mode) == want
    assert coverage(n, k, s, p, d, ceil_mode=ceil_mode).output == want
    if p <= k // 2:  # then PyTorch's MaxPool2d takes it too, and so do the layer spec and the function
        assert summary([MaxPool2d(k, s, p, d, ceil_mode)], (1, n, n)).output_shape == (1, want, want)
        try:
            assert max_pool2d(np.ones((n, n)), k, s, p, d, ceil_mode).shape == (want, want)
        except ValueError as exc:  # a dilated window of nothing but padding (PyTorch: -inf)
            assert "reads only padding" in str(exc)
    else:
        for build in (lambda: MaxPool2d(k, s, p, d, ceil_mode), lambda: max_pool2d(np.ones((n, n)), k, s, p, d, ceil_mode)):
            with pytest.raises(ValueError, match="at most half of kernel_size"):
                build()
