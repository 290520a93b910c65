"""conv2d against the article's numbers, the loops of conv2d_reference, and shape rules."""

import numpy as np
import pytest

from convdoc import conv2d, conv2d_reference, relu
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


# Properties over all valid inputs (fast == reference, linearity, padding, groups, 1x1 as a
# matrix product, ...) are in tests/test_properties.py.
