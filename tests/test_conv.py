"""conv2d against the article's numbers, the loops of conv2d_reference, and shape rules."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convdoc import conv2d, conv2d_reference, output_size, relu
from convdoc.examples import (
    DEMO_B, DEMO_MINUS5_AT, DEMO_PADDING, DEMO_STRIDE, DEMO_W, DEMO_X,
    FILTER, IMAGE, STRIDE1_MAP, STRIDE2_MAP,
)

BOTH = pytest.mark.parametrize("fn", [conv2d, conv2d_reference], ids=["fast", "reference"])


@BOTH
def test_article_feature_maps(fn):
    assert (fn(IMAGE, FILTER) == STRIDE1_MAP).all()
    assert (fn(IMAGE, FILTER, stride=2) == STRIDE2_MAP).all()
    assert fn(IMAGE, FILTER)[0, 0] == 4


def test_hand_derived_a00():
    # a[0,0] by hand: the 3x3 window times the filter, summed
    assert int((IMAGE[:3, :3] * FILTER).sum()) == 4
    assert STRIDE1_MAP.tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]


@BOTH
def test_demo(fn):
    out = fn(DEMO_X, DEMO_W, DEMO_B, stride=DEMO_STRIDE, padding=DEMO_PADDING)
    assert out.shape == (2, 3, 3)
    assert out[DEMO_MINUS5_AT] == -5
    assert (out == -5).sum() == 1
    assert DEMO_X.min() >= 0 and DEMO_X.max() <= 2
    assert DEMO_W.min() >= -1 and DEMO_W.max() <= 1
    assert DEMO_B.tolist() == [1, 0]


def test_demo_padded_input_equivalence():
    x7 = np.pad(DEMO_X, ((0, 0), (1, 1), (1, 1)))
    a = conv2d(x7, DEMO_W, DEMO_B, stride=2)
    b = conv2d(DEMO_X, DEMO_W, DEMO_B, stride=2, padding=1)
    assert (a == b).all()
    assert conv2d(x7, DEMO_W, DEMO_B, stride=2, padding=1).shape == (2, 4, 4)


def test_examples_are_read_only():
    with pytest.raises(ValueError):
        IMAGE[0, 0] = 5


@pytest.mark.parametrize(
    "xs, ws, expected",
    [
        ((5, 5), (3, 3), (3, 3)),
        ((1, 5, 5), (3, 3), (3, 3)),
        ((3, 5, 5), (3, 3, 3), (3, 3)),
        ((3, 5, 5), (4, 3, 3, 3), (4, 3, 3)),
        ((2, 3, 5, 5), (4, 3, 3, 3), (2, 4, 3, 3)),
        ((2, 3, 5, 5), (3, 3, 3), (2, 3, 3)),
        ((5, 5), (4, 1, 3, 3), (4, 3, 3)),
    ],
)
@BOTH
def test_rank_rules(fn, xs, ws, expected):
    assert fn(np.ones(xs), np.ones(ws)).shape == expected


def test_dtypes():
    x32 = np.ones((3, 6, 6), np.float32)
    w32 = np.ones((2, 3, 3, 3), np.float32)
    assert conv2d(x32, w32).dtype == np.float32
    assert conv2d_reference(x32, w32).dtype == np.float32
    assert conv2d(x32.astype(np.float64), w32).dtype == np.float64
    assert conv2d(IMAGE.astype(np.int8), FILTER.astype(np.int8)).dtype == np.int64
    assert conv2d(IMAGE.astype(bool), FILTER).dtype == np.int64
    assert conv2d(x32.astype(np.float16), w32.astype(np.float16)).dtype == np.float32
    # int8 inputs must not wrap around
    big = np.full((3, 3), 127, np.int8)
    assert conv2d(big, big)[0, 0] == 9 * 127 * 127


def test_bias_forms():
    x = np.arange(2 * 5 * 5, dtype=float).reshape(2, 5, 5)
    w = np.ones((3, 2, 3, 3))
    base = conv2d(x, w)
    assert np.array_equal(conv2d(x, w, 2.0), base + 2.0)
    assert np.array_equal(conv2d(x, w, [1.0, 2.0, 3.0]), base + np.array([1.0, 2.0, 3.0])[:, None, None])


def test_relu():
    assert relu([-5, 0, 3]).tolist() == [0, 0, 3]
    assert relu(np.array([-1.5], np.float32)).dtype == np.float32


def test_one_by_one_is_matrix_product():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 5, 4, 6))
    w = rng.standard_normal((3, 5, 1, 1))
    expected = np.einsum("kc,nchw->nkhw", w[:, :, 0, 0], x)
    np.testing.assert_allclose(conv2d(x, w), expected, rtol=1e-12, atol=1e-12)


@st.composite
def conv_case(draw):
    groups = draw(st.integers(1, 3))
    cg = draw(st.integers(1, 2))
    kg = draw(st.integers(1, 2))
    fh, fw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    h = draw(st.integers(max(1, d[0] * (fh - 1) + 1 - 2 * p[0]), 9))
    w = draw(st.integers(max(1, d[1] * (fw - 1) + 1 - 2 * p[1]), 9))
    n = draw(st.integers(1, 2))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, cg * groups, h, w))
    wt = rng.standard_normal((kg * groups, cg, fh, fw))
    b = rng.standard_normal(kg * groups) if draw(st.booleans()) else None
    return x, wt, b, s, p, d, groups


@settings(max_examples=150, deadline=None)
@given(conv_case())
def test_fast_equals_reference(case):
    x, w, b, s, p, d, g = case
    fast = conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=g)
    ref = conv2d_reference(x, w, b, stride=s, padding=p, dilation=d, groups=g)
    assert fast.shape == ref.shape
    assert fast.shape[2:] == output_size(x.shape[2:], w.shape[2:], s, p, d)
    np.testing.assert_allclose(fast, ref, rtol=1e-10, atol=1e-10)


@settings(max_examples=50, deadline=None)
@given(conv_case())
def test_padding_equals_explicit_zero_padding(case):
    x, w, b, s, p, d, g = case
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    np.testing.assert_allclose(
        conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=g),
        conv2d(xp, w, b, stride=s, dilation=d, groups=g),
        rtol=1e-12, atol=1e-12,
    )


@settings(max_examples=50, deadline=None)
@given(conv_case())
def test_linear_in_x_and_weight(case):
    x, w, _, s, p, d, g = case
    f = lambda x_, w_: conv2d(x_, w_, stride=s, padding=p, dilation=d, groups=g)  # noqa: E731
    np.testing.assert_allclose(f(2 * x + x, w), 3 * f(x, w), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(f(x, w + w), 2 * f(x, w), rtol=1e-9, atol=1e-9)


def test_groups_equal_separate_convolutions():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 4, 6, 6))
    w = rng.standard_normal((6, 2, 3, 3))
    out = conv2d(x, w, groups=2)
    np.testing.assert_allclose(out[:, :3], conv2d(x[:, :2], w[:3]), rtol=1e-12)
    np.testing.assert_allclose(out[:, 3:], conv2d(x[:, 2:], w[3:]), rtol=1e-12)


def test_multichannel_is_sum_over_channels():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 6, 6))
    w = rng.standard_normal((3, 3, 3))
    total = sum(conv2d(x[c], w[c]) for c in range(3))
    np.testing.assert_allclose(conv2d(x, w), total, rtol=1e-12)
