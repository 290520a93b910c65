"""im2col: the matrix of windows, its layout, and the convolution as one matrix product.

* every entry is the pixel its documented row and column name (the layout, checked
  against np.pad and plain index arithmetic, not against convdoc's own code);
* ``weight.reshape(K, -1) @ im2col(x)`` (one product per group) plus the bias is
  ``conv2d``, for random shapes, ranks, dtypes, stride, padding, dilation and groups
  (that property is with the others, in tests/test_properties.py);
* conv2d's "gemm" strategy fills its column buffer with the same code, band by band;
* the article's two examples;
* bad arguments are refused with the same messages as conv2d's (the catalogue of
  messages is in tests/test_bad_input.py, with every other public function's).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convdoc import conv2d, im2col, output_size
from convdoc import fast
from convdoc.examples import DEMO_B, DEMO_PADDING, DEMO_STRIDE, DEMO_W, DEMO_X, FILTER, IMAGE, STRIDE1_MAP
from counting import counted
from test_properties import fill, spatial


@st.composite
def unfold_cases(draw):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    kernel, (fh, fw) = spatial(draw, 1, 4)
    stride, s = spatial(draw, 1, 3)
    padding, p = spatial(draw, 0, 2)
    dilation, d = spatial(draw, 1, 2)
    h = draw(st.integers(max(1, d[0] * (fh - 1) + 1 - 2 * p[0]), 8))
    w = draw(st.integers(max(1, d[1] * (fw - 1) + 1 - 2 * p[1]), 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = fill(rng, (n, c, h, w), draw(st.sampled_from(["int64", "float64", "float32", "uint8", "bool"])))
    return x, (kernel, stride, padding, dilation), ((fh, fw), s, p, d)


@given(unfold_cases())
@counted
def test_every_entry_is_the_pixel_its_row_and_column_name(case):
    x, args, ((fh, fw), (sh, sw), (ph, pw), (dh, dw)) = case
    n, c, h, w = x.shape
    h2, w2 = output_size((h, w), (fh, fw), (sh, sw), (ph, pw), (dh, dw))
    cols = im2col(x, *args)
    assert cols.shape == (n, c * fh * fw, h2 * w2)
    assert cols.dtype == x.dtype
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))  # zeros in the padding
    for ch in range(c):
        for m in range(fh):
            for q in range(fw):
                row = ch * fh * fw + m * fw + q  # the order of weight.reshape(K, -1)
                for i in range(h2):
                    for j in range(w2):
                        col = i * w2 + j  # output positions, row by row
                        np.testing.assert_array_equal(cols[:, row, col], xp[:, ch, i * sh + m * dh, j * sw + q * dw])


@given(unfold_cases())
@counted
def test_the_rank_of_x_sets_the_rank_of_the_matrix(case):
    x, args, _ = case
    batch = im2col(x, *args)
    assert im2col(x[0], *args).shape == batch.shape[1:]
    np.testing.assert_array_equal(im2col(x[0], *args), batch[0])
    one = im2col(x[0, :1], *args)
    np.testing.assert_array_equal(im2col(x[0, 0], *args), one)
    assert im2col(x[0, 0].tolist(), *args).shape == one.shape  # nested lists are arrays too


def test_the_articles_image_unrolls_into_nine_windows_of_nine_pixels():
    cols = im2col(IMAGE, 3)
    assert cols.shape == (9, 9)
    for i in range(3):
        for j in range(3):
            np.testing.assert_array_equal(cols[:, 3 * i + j], IMAGE[i : i + 3, j : j + 3].reshape(-1))
    np.testing.assert_array_equal((FILTER.reshape(-1) @ cols).reshape(3, 3), STRIDE1_MAP)


def test_the_demo_is_a_2x27_by_27x9_product():
    cols = im2col(DEMO_X, 3, stride=DEMO_STRIDE, padding=DEMO_PADDING)
    weights = DEMO_W.reshape(2, -1)
    assert weights.shape == (2, 27) and cols.shape == (27, 9)
    out = (weights @ cols + DEMO_B[:, None]).reshape(2, 3, 3)
    np.testing.assert_array_equal(out, conv2d(DEMO_X, DEMO_W, DEMO_B, stride=DEMO_STRIDE, padding=DEMO_PADDING))
    # column 0 is the top-left window: the padding's zeros in its first row and column
    window = np.pad(DEMO_X, ((0, 0), (1, 1), (1, 1)))[:, :3, :3]
    np.testing.assert_array_equal(cols[:, 0], window.reshape(-1))
    assert window[:, 0].sum() == 0 and window[:, :, 0].sum() == 0


@pytest.mark.parametrize("shape, kernel, kw", [
    ((2, 8, 13, 11), 3, dict(stride=2, padding=1)),  # copies tap by tap
    ((1, 4, 9, 9), (3, 2), dict(padding=(2, 1), dilation=(2, 1), stride=(1, 3))),
    ((1, 64, 128, 128), 3, dict(stride=2, padding=1)),  # several bands of rows
])
def test_conv2d_gemm_fills_its_buffer_with_the_same_columns(monkeypatch, shape, kernel, kw):
    rng = np.random.default_rng(7)
    x = rng.standard_normal(shape)
    fh, fw = (kernel, kernel) if isinstance(kernel, int) else kernel
    weight = rng.standard_normal((5, shape[1], fh, fw))
    full = im2col(x, kernel, **kw)  # before the spy: im2col calls the same function
    filled = []
    original = fast._fill_taps

    def spy(cols, xs, r0, r1, *args):
        original(cols, xs, r0, r1, *args)
        filled.append((r0, r1, cols.copy()))

    monkeypatch.setattr(fast, "_fill_taps", spy)
    with fast.use_strategy("gemm"):
        out = conv2d(x, weight, **kw)
    assert filled, "the gemm strategy did not fill its columns with _fill_taps"
    assert len(filled) > 1 or shape[1] < 64
    full = full.reshape(shape[0], shape[1] * fh * fw, *out.shape[2:])
    rows = sum(r1 - r0 for r0, r1, _ in filled)
    assert rows == out.shape[2] * -(-shape[0] // filled[0][2].shape[0])  # every output row, once per image chunk
    for r0, r1, cols in filled:
        ni = cols.shape[0]
        band = cols.reshape(ni, shape[1] * fh * fw, r1 - r0, out.shape[3])
        assert any(np.array_equal(band, full[n0 : n0 + ni, :, r0:r1]) for n0 in range(0, shape[0], ni))
    np.testing.assert_allclose(out, np.einsum("kr,nrl->nkl", weight.reshape(5, -1), full.reshape(shape[0], -1, out[0, 0].size)).reshape(out.shape), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("kwargs", [
    dict(stride=0), dict(stride=2.5), dict(stride=(1, 2, 3)), dict(padding=-1), dict(padding=(1, 0.5)),
    dict(dilation=0), dict(dilation=3), dict(stride=10**20),
])
def test_bad_arguments_get_conv2d_messages(kwargs):
    """The rules are conv2d's own (convdoc._checks, convdoc.sizes): the same words for the same mistake."""
    with pytest.raises((TypeError, ValueError)) as ours:
        im2col(IMAGE, 3, **kwargs)
    with pytest.raises(type(ours.value)) as theirs:
        conv2d(IMAGE, FILTER, **kwargs)
    assert str(ours.value).split(" (x spatial size")[0] == str(theirs.value).split(" (x spatial size")[0]


@pytest.mark.parametrize("x", [np.ones(5), np.ones((0, 5)), np.array([[1.0, np.nan]]), None, IMAGE + 1j,
                               np.ma.masked_array(IMAGE, IMAGE == 0), [[1, 2], [3]]], ids=repr)
def test_bad_x_gets_conv2d_messages(x):
    with pytest.raises((TypeError, ValueError)) as ours:
        im2col(x, 1)
    with pytest.raises(type(ours.value)) as theirs:
        conv2d(x, np.ones((1, 1)))
    assert str(ours.value) == str(theirs.value)


def test_a_matrix_too_large_is_refused_before_it_is_allocated():
    view = np.broadcast_to(np.float32(1.0), (1, 64, 4096, 4096))  # no memory: one number, seen 2**30 times
    with pytest.raises(ValueError) as info:
        im2col(view, 3, padding=1)
    message = str(info.value)
    assert "the im2col matrix would be 1x576x16777216 float32 values" in message
    assert "kernel_size=(3, 3)" in message and "limit of 1 GiB" in message
