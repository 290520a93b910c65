"""max_pool2d / avg_pool2d against hand-derived cases, a published run, and a loop reference
written from PyTorch's C++ kernels (aten/src/ATen/native/Pool.h, cpu/AvgPoolKernel.cpp)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convdoc import avg_pool2d, coverage, max_pool2d, output_size

X44 = np.arange(16).reshape(4, 4)


# --- hand-derived ---------------------------------------------------------------------------

def test_non_overlapping_2x2():
    # windows {0,1,4,5}, {2,3,6,7}, {8,9,12,13}, {10,11,14,15}
    assert max_pool2d(X44, 2).tolist() == [[5, 7], [13, 15]]
    assert avg_pool2d(X44, 2).tolist() == [[2.5, 4.5], [10.5, 12.5]]


def test_stride_defaults_to_kernel_size():
    assert np.array_equal(max_pool2d(X44, 2), max_pool2d(X44, 2, stride=2))
    assert max_pool2d(X44, 2, stride=1).tolist() == [[5, 6, 7], [9, 10, 11], [13, 14, 15]]


def test_max_pool_padding_never_wins():
    # all values negative: zero padding would win, minus-infinity padding does not
    x = -1 - np.arange(9).reshape(3, 3)  # -1 .. -9
    out = max_pool2d(x, 2, stride=2, padding=1)
    # windows over the padded 5x5: rows {p,0},{1,2}; columns {p,0},{1,2}
    assert out.tolist() == [[-1, -2], [-4, -5]]


def test_avg_pool_counts_padding_in_divisor():
    x = np.ones((2, 2))
    # kernel 2, stride 2, padding 1: each window has one input cell and three padding cells
    assert avg_pool2d(x, 2, padding=1).tolist() == [[0.25, 0.25], [0.25, 0.25]]


def test_ceil_mode_window_past_the_input_divides_by_the_cells_inside():
    # row [1..6], kernel (1, 3), stride (1, 2), padding (0, 1), ceil_mode:
    # windows [p,1,2] -> 3/3, [2,3,4] -> 9/3, [4,5,6] -> 15/3, [6,p,-] -> 6/2
    x = [[1, 2, 3, 4, 5, 6]]
    assert avg_pool2d(x, (1, 3), stride=(1, 2), padding=(0, 1), ceil_mode=True).tolist() == [[1.0, 3.0, 5.0, 3.0]]
    assert avg_pool2d(x, (1, 3), stride=(1, 2), padding=(0, 1)).tolist() == [[1.0, 3.0, 5.0]]
    assert max_pool2d(x, (1, 3), stride=(1, 2), padding=(0, 1), ceil_mode=True).tolist() == [[2, 4, 6, 6]]


def test_ceil_mode_drops_window_starting_in_right_padding():
    # 5 wide, kernel 2, stride 2, padding 1: ceil((5+2-2)/2)+1 = 4, but window 4 would start
    # at padded index 6 = size + padding, in the right padding: PyTorch drops it
    x = np.array([[1, 2, 3, 4, 5]])
    out = max_pool2d(x, (1, 2), stride=(1, 2), padding=(0, 1), ceil_mode=True)
    assert out.tolist() == [[1, 3, 5]]  # windows [p,1], [2,3], [4,5]
    assert coverage(5, 2, 2, 1, ceil_mode=True).dropped
    assert math.ceil((5 + 2 - 2) / 2) + 1 == 4


def test_published_ceil_mode_run():
    # nn.MaxPool2d(kernel_size=3, ceil_mode=True) on this 5x5 tensor prints [[2., 3.], [5., 1.]];
    # with ceil_mode=False, [[2.]] (blog.csdn.net/weixin_43871577/article/details/124591058)
    x = np.array([[1, 2, 0, 3, 1], [0, 1, 2, 3, 1], [1, 2, 1, 0, 0], [5, 2, 3, 1, 1], [2, 1, 0, 1, 1]])
    assert max_pool2d(x, 3, ceil_mode=True).tolist() == [[2, 3], [5, 1]]
    assert max_pool2d(x, 3).tolist() == [[2]]


def test_dilated_max_pool():
    # kernel 2, dilation 2, stride 1 on 4x4: taps {i, i+2} x {j, j+2}; max at (i+2, j+2)
    assert max_pool2d(X44, 2, stride=1, dilation=2).tolist() == [[10, 11], [14, 15]]


# --- rank, dtype ----------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [max_pool2d, avg_pool2d])
def test_rank_is_kept_and_channels_pool_separately(fn):
    x4 = np.arange(2 * 3 * 6 * 6, dtype=float).reshape(2, 3, 6, 6)
    out4 = fn(x4, 2)
    assert out4.shape == (2, 3, 3, 3)
    assert fn(x4[0], 2).shape == (3, 3, 3)
    assert fn(x4[0, 0], 2).shape == (3, 3)
    for n in range(2):
        for c in range(3):
            assert np.array_equal(out4[n, c], fn(x4[n, c], 2))


def test_dtypes():
    assert max_pool2d(X44, 2).dtype == X44.dtype
    assert avg_pool2d(X44, 2).dtype == np.float64
    assert max_pool2d(X44.astype(np.float32), 2).dtype == np.float32
    assert avg_pool2d(X44.astype(np.float32), 2).dtype == np.float32
    assert avg_pool2d(X44.astype(np.float16), 2).dtype == np.float32
    assert max_pool2d(X44 > 7, 2).tolist() == [[0, 0], [1, 1]]


# --- loop reference from PyTorch's kernels -------------------------------------------------

def torch_output_size(n, k, s, p, d, ceil_mode):
    """pooling_output_shape_pad_lr from ATen/native/Pool.h."""
    num = n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)
    out = num // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def max_pool_loops(x, k, s, p, d, ceil_mode):
    h, w = x.shape
    ho, wo = torch_output_size(h, k, s, p, d, ceil_mode), torch_output_size(w, k, s, p, d, ceil_mode)
    out = np.empty((ho, wo), dtype=x.dtype)
    for i in range(ho):
        for j in range(wo):
            best = None
            for m in range(k):
                for n in range(k):
                    r, c = i * s - p + m * d, j * s - p + n * d
                    if 0 <= r < h and 0 <= c < w and (best is None or x[r, c] > best):
                        best = x[r, c]
            out[i, j] = best
    return out


def avg_pool_loops(x, k, s, p, ceil_mode):
    h, w = x.shape
    ho, wo = torch_output_size(h, k, s, p, 1, ceil_mode), torch_output_size(w, k, s, p, 1, ceil_mode)
    out = np.empty((ho, wo))
    for i in range(ho):
        for j in range(wo):
            h0, w0 = i * s - p, j * s - p
            h1, w1 = min(h0 + k, h + p), min(w0 + k, w + p)
            pool_size = (h1 - h0) * (w1 - w0)
            h0, w0, h1, w1 = max(h0, 0), max(w0, 0), min(h1, h), min(w1, w)
            out[i, j] = x[h0:h1, w0:w1].sum() / pool_size
    return out


def refused_by_pytorch(h, w, k, s, p, d, ceil_mode):
    """pool2d_shape_check: padding at most half the kernel, and a non-empty output."""
    return p > k // 2 or min(torch_output_size(n, k, s, p, d, ceil_mode) for n in (h, w)) < 1


pool_args = st.tuples(
    st.integers(1, 9), st.integers(1, 9),  # h, w
    st.integers(1, 6), st.integers(1, 4),  # kernel (larger than small inputs too), stride
    st.integers(0, 2), st.integers(1, 3),  # padding, dilation
    st.booleans(), st.integers(0, 2**31 - 1),
)


@given(pool_args)
def test_max_pool_matches_loop_reference(args):
    h, w, k, s, p, d, ceil_mode, seed = args
    x = np.random.default_rng(seed).integers(-50, 50, (h, w))
    if refused_by_pytorch(h, w, k, s, p, d, ceil_mode):  # and by convdoc, with the rule in the message
        with pytest.raises(ValueError, match="at most half of kernel_size|larger than the padded input"):
            max_pool2d(x, k, s, p, d, ceil_mode)
        return
    try:
        got = max_pool2d(x, k, s, p, d, ceil_mode)
    except ValueError as exc:  # only for windows of nothing but padding (dilation)
        assert "reads only padding" in str(exc)
        return
    want = max_pool_loops(x, k, s, p, d, ceil_mode)
    assert got.shape == want.shape
    assert got.shape == (output_size(h, k, s, p, d, ceil_mode=ceil_mode), output_size(w, k, s, p, d, ceil_mode=ceil_mode))
    assert np.array_equal(got, want)


@given(pool_args)
def test_avg_pool_matches_loop_reference(args):
    h, w, k, s, p, _, ceil_mode, seed = args
    x = np.random.default_rng(seed).normal(size=(h, w))
    if refused_by_pytorch(h, w, k, s, p, 1, ceil_mode):
        with pytest.raises(ValueError, match="at most half of kernel_size|larger than the padded input"):
            avg_pool2d(x, k, s, p, ceil_mode)
        return
    got = avg_pool2d(x, k, s, p, ceil_mode)
    want = avg_pool_loops(x, k, s, p, ceil_mode)
    assert got.shape == want.shape
    assert np.allclose(got, want, rtol=1e-12, atol=1e-12)


def test_all_padding_window_is_refused():
    # kernel 2, dilation 2, padding 1 on a 1x1 input: the only window reads padded cells 0 and 2
    with pytest.raises(ValueError, match="reads only padding"):
        max_pool2d(np.ones((1, 1)), 2, padding=1, dilation=2)
