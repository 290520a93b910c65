"""Transposed convolution: Dumoulin & Visin's relationships, the adjoint of conv2d, their
zero-insertion construction, and hand-derived stamps."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convdoc import conv2d, conv_transpose2d, output_size, transposed_output_size


# (i, k, s, p) of the direct convolution and the relationship of "A guide to convolution
# arithmetic for deep learning" (Dumoulin & Visin) that gives its transpose
GUIDE = [
    ((4, 3, 1, 0), 2, 4),  # relationship 8: o' = i' + (k - 1)
    ((5, 4, 1, 2), 6, 5),  # relationship 9: o' = i' + (k - 1) - 2p
    ((5, 3, 1, 1), 5, 5),  # relationship 10: half padding, o' = i'
    ((5, 3, 1, 2), 7, 5),  # relationship 11: full padding, o' = i' - (k - 1)
    ((5, 3, 2, 0), 2, 5),  # relationship 12: o' = s(i' - 1) + k
    ((5, 3, 2, 1), 3, 5),  # relationship 13: o' = s(i' - 1) + k - 2p
    ((6, 3, 2, 1), 3, 6),  # relationship 14 with a = 1: o' = s(i' - 1) + a + k - 2p
]


@pytest.mark.parametrize("direct, o, back", GUIDE)
def test_guide_relationships(direct, o, back):
    i, k, s, p = direct
    assert output_size(i, k, s, p) == o
    a = (i + 2 * p - k) % s
    assert transposed_output_size(o, k, s, p, output_padding=a) == back == i
    assert s * (o - 1) + a + k - 2 * p == back  # the guide's formula, by hand
    assert conv_transpose2d(np.ones((o, o)), np.ones((k, k)), stride=s, padding=p, output_padding=a).shape == (i, i)


def test_stamps_by_hand():
    x = [[1, 2], [3, 4]]
    # stride 2 with a 2x2 filter: the stamps do not overlap, each is x[i, j] * w
    assert conv_transpose2d(x, [[1, 2], [3, 4]], stride=2).tolist() == [
        [1, 2, 2, 4], [3, 4, 6, 8], [3, 6, 4, 8], [9, 12, 12, 16]]
    # stride 1 with ones: each output adds the inputs whose stamps cover it
    assert conv_transpose2d(x, np.ones((2, 2), dtype=int)).tolist() == [[1, 3, 2], [4, 10, 6], [3, 7, 4]]
    # padding crops one row/column from each side of that 3x3
    assert conv_transpose2d(x, np.ones((2, 2), dtype=int), padding=1).tolist() == [[10]]


def test_channels_bias_and_shapes():
    x = np.arange(2 * 3 * 2 * 2).reshape(2, 3, 2, 2)
    w = np.ones((3, 4, 3, 3), dtype=int)  # 3 input channels -> 4 output channels
    out = conv_transpose2d(x, w, bias=[0, 1, 2, 3], stride=2)
    assert out.shape == (2, 4, 5, 5)
    assert np.array_equal(out[:, 1] - out[:, 0], np.ones((2, 5, 5), dtype=int))
    assert conv_transpose2d(x[0], w).shape == (4, 4, 4)
    assert conv_transpose2d(x[0], np.ones((3, 3, 3))).shape == (4, 4)  # one output channel
    # the sum over input channels: 3 channels of ones == 3 * one channel
    assert np.array_equal(conv_transpose2d(np.ones((3, 2, 2)), np.ones((3, 2, 2))),
                          3 * conv_transpose2d(np.ones((2, 2)), np.ones((2, 2))))
    assert conv_transpose2d(np.ones((2, 2), dtype=np.float32), np.ones((2, 2), dtype=np.float32)).dtype == np.float32


def test_output_padding_larger_than_padding_gives_bias_only_rows():
    out = conv_transpose2d(np.ones((1, 1)), np.ones((1, 1)), bias=5.0, stride=3, padding=1, output_padding=2)
    # full size 1, cropped by 1 on each side, then 2 rows added: only the bias remains
    assert out.shape == (1, 1) and out.tolist() == [[5.0]]


args = st.tuples(
    st.integers(1, 7), st.integers(1, 7),  # input height, width of the direct convolution
    st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),  # kh, kw, stride
    st.integers(0, 2), st.integers(1, 2),  # padding, dilation
    st.integers(1, 3), st.integers(1, 3), st.integers(0, 2**31 - 1),  # C, K, seed
)


@given(args)
def test_transpose_is_the_adjoint_of_the_direct_convolution(a):
    h, w, kh, kw, s, p, d, c, k, seed = a
    if d * (kh - 1) + 1 > h + 2 * p or d * (kw - 1) + 1 > w + 2 * p:
        return
    rng = np.random.default_rng(seed)
    ho, wo = output_size((h, w), (kh, kw), s, p, d)
    op = ((h + 2 * p - d * (kh - 1) - 1) % s, (w + 2 * p - d * (kw - 1) - 1) % s)
    x = rng.integers(-3, 4, (2, c, h, w))
    weight = rng.integers(-3, 4, (k, c, kh, kw))  # conv2d: (K, C, kh, kw); its transpose reads it as (in=K, out=C)
    y = rng.integers(-3, 4, (2, k, ho, wo))
    back = conv_transpose2d(y, weight, stride=s, padding=p, output_padding=op, dilation=d)
    assert back.shape == x.shape  # maps o' back to i'
    assert (conv2d(x, weight, stride=s, padding=p, dilation=d) * y).sum() == (x * back).sum()


@given(args)
def test_equals_the_guides_direct_convolution_on_a_stretched_input(a):
    # insert s - 1 zeros between input units, pad with d(k - 1) - p (plus a at the end),
    # and convolve with the flipped filter at unit stride
    h, w, kh, kw, s, p, d, _, _, seed = a
    if p > d * (kh - 1) or p > d * (kw - 1):
        return
    rng = np.random.default_rng(seed)
    y = rng.integers(-3, 4, (h, w))
    f = rng.integers(-3, 4, (kh, kw))
    a_h, a_w = rng.integers(0, max(s, d)), rng.integers(0, max(s, d))
    if (h - 1) * s - 2 * p + d * (kh - 1) + a_h + 1 < 1 or (w - 1) * s - 2 * p + d * (kw - 1) + a_w + 1 < 1:
        with pytest.raises(ValueError, match="output would be empty"):
            conv_transpose2d(y, f, stride=s, padding=p, output_padding=(int(a_h), int(a_w)), dilation=d)
        return
    stretched = np.zeros(((h - 1) * s + 1, (w - 1) * s + 1), dtype=int)
    stretched[::s, ::s] = y
    eh, ew = d * (kh - 1) - p, d * (kw - 1) - p
    padded = np.pad(stretched, ((eh, eh + a_h), (ew, ew + a_w)))
    direct = conv2d(padded, f[::-1, ::-1], dilation=d)
    got = conv_transpose2d(y, f, stride=s, padding=p, output_padding=(int(a_h), int(a_w)), dilation=d)
    assert got.shape == direct.shape
    assert np.array_equal(got, direct)
