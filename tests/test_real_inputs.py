"""Ordinary inputs that used to break convdoc (issue "Real inputs never break it").

Each test is a class of inputs, not one example: integer images on every strategy,
ceil_mode windows past the input, memory that only grows with what is read, small
answers that cost little, dtypes that follow the inputs. The refusals themselves
(with their messages) are in the bad-input catalogue, ``tests/test_bad_input.py``;
the properties over random inputs in ``tests/test_properties.py``.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from convdoc import (
    AvgPool2d,
    MaxPool2d,
    avg_pool2d,
    conv2d,
    conv2d_reference,
    conv_transpose2d,
    explain,
    max_pool2d,
    output_size,
    relu,
    summary,
)
from convdoc.examples import FILTER, IMAGE
from convdoc.fast import STRATEGIES, use_strategy
from convdoc.figures import window
from limits import peak_below, time_limit  # time_limit: the old code took 8-23 s for these

MiB = 2**20


# --- 1. integer images: exact int64 on every strategy --------------------------------------------

INT_CASES = {  # x shape, weight shape, arguments: the shapes that failed (45x45, 1x1, depthwise) and more
    "45x45 image": ((45, 45), (3, 3), {}),
    "1x1 layer": ((1, 8, 20, 20), (4, 8, 1, 1), {}),
    "depthwise": ((1, 6, 20, 20), (6, 1, 3, 3), {"groups": 6, "padding": 1}),
    "strided with padding": ((2, 3, 33, 31), (4, 3, 3, 3), {"stride": 2, "padding": 1}),
}


@pytest.mark.parametrize("dtype", ["uint8", "int8", "uint16", "int32", "int64", "uint64", "bool"])
@pytest.mark.parametrize("case", sorted(INT_CASES))
def test_integer_images_give_exact_int64_on_every_strategy(case, dtype):
    xs, ws, kw = INT_CASES[case]
    rng = np.random.default_rng(7)
    hi = 2 if dtype == "bool" else min(256, np.iinfo(dtype).max)
    x = rng.integers(0, hi, xs).astype(dtype)  # a photo's values
    w = rng.integers(-3, 4, ws)
    want = conv2d_reference(x, w, **kw)  # Python-int sums: exact by construction
    assert want.dtype == np.int64
    for strategy in ("auto",) + STRATEGIES:
        if strategy == "pointwise" and ws[-2:] != (1, 1):
            continue
        with use_strategy(strategy) if strategy != "auto" else contextlib.nullcontext():
            got = conv2d(x, w, **kw)
        assert got.dtype == np.int64, strategy
        np.testing.assert_array_equal(got, want, err_msg=strategy)


def test_integer_results_near_the_int64_limit_are_exact_even_when_partial_sums_overflow():
    # 2**62 + 2**62 - 2**62 + 7: the partial sum 2**63 is beyond int64's reach, the result is not
    x = np.array([[2**62, 2**62], [2**62, 7]], dtype=np.int64)
    w = np.array([[1, 1], [-1, 1]])
    for fn in (conv2d, conv2d_reference):
        assert fn(x, w).tolist() == [[2**62 + 7]]


def test_transposed_stamps_that_meet_through_dilation_are_counted():
    # stride 2, dilation 2: tap 1 of pixel j lands where tap 0 of pixel j+1 does, so two products meet
    x = np.full((1, 2), 2**62, np.int64)
    with pytest.raises(ValueError, match="integer overflow"):
        conv_transpose2d(x, np.array([[2, 2]], np.uint8), stride=2, dilation=2)
    # outputs 0, 2, 2, 4 receive the stamps: the two at 2 cancel
    assert conv_transpose2d(x, np.array([[1, -1]]), stride=2, dilation=2).tolist() == [[2**62, 0, 0, 0, -(2**62)]]


def test_uint64_beyond_int64_is_read_exactly():
    x = np.array([[2**64 - 1, 2**63]], dtype=np.uint64)
    assert conv2d(x, np.array([[1, -1]])).tolist() == [[2**63 - 1]]  # 18446744073709551615 - 9223372036854775808
    assert conv2d_reference(x, np.array([[1, -1]])).tolist() == [[2**63 - 1]]
    with pytest.raises(ValueError, match="integer overflow"):
        conv2d(x, np.array([[1, 0]]))


# --- 2, 3. ceil_mode windows past the input, one padding rule -------------------------------------

def test_ceil_mode_window_hanging_past_the_input_as_pytorch():
    # PyTorch: F.max_pool2d(torch.tensor([[[3., 7.]]]), 2, 2, ceil_mode=True) -> [[[7.]]], avg -> [[[5.]]]
    x = np.array([[3.0, 7.0]])
    assert max_pool2d(x, 2, 2, ceil_mode=True).tolist() == [[7.0]]
    assert avg_pool2d(x, 2, 2, ceil_mode=True).tolist() == [[5.0]]  # 10 / the 2 cells inside
    assert output_size((1, 2), 2, 2, ceil_mode=True) == (1, 1)
    assert summary([MaxPool2d(2, 2, ceil_mode=True)], (3, 1, 2)).output_shape == (3, 1, 1)
    assert summary([AvgPool2d(2, ceil_mode=True)], (3, 1, 2)).output_shape == (3, 1, 1)


def test_the_pooling_padding_rule_is_the_same_for_functions_and_layer_specs():
    # PyTorch refuses MaxPool2d(3, stride=1, padding=2, dilation=2): padding <= kernel_size // 2
    for build in (
        lambda: MaxPool2d(3, stride=1, padding=2, dilation=2),
        lambda: max_pool2d(np.ones((9, 9)), 3, stride=1, padding=2, dilation=2),
    ):
        with pytest.raises(ValueError, match=r"kernel_size=3 allows at most 3//2 = 1"):
            build()
    assert max_pool2d(np.ones((9, 9)), 3, stride=1, padding=1, dilation=2).shape == (7, 7)
    assert summary([MaxPool2d(3, stride=1, padding=1, dilation=2)], (1, 9, 9)).output_shape == (1, 7, 7)


# --- 4. memory: check first, then convert only what is read ----------------------------------------

def test_a_binary_image_with_few_outputs_is_not_converted_whole():
    x = np.zeros((1, 1, 12_000, 12_000), dtype=bool)  # 137 MiB as bool, 1.1 GiB as int64
    x[0, 0, ::3000, ::3000] = True
    with peak_below(8 * MiB):
        out = conv2d(x, np.ones((1, 1, 3, 3), np.int64), stride=3000)
    assert out.shape == (1, 1, 4, 4) and out.dtype == np.int64 and (out == 1).all()


UINT8 = np.broadcast_to(np.uint8(3), (1, 1, 6_000, 6_000))  # 34 MiB as uint8, 275 MiB as float64


def test_average_pooling_converts_what_it_reads():
    with peak_below(100 * MiB):  # the output (17 MiB) and one axis pooled (69 MiB), never x as floats
        out = avg_pool2d(UINT8, 4)
    assert out.shape == (1, 1, 1500, 1500) and out.dtype == np.float64 and (out == 3.0).all()


def test_transposed_convolution_reads_only_what_lands_in_the_output():
    with peak_below(8 * MiB):  # padding crops all but a 20x20 corner of a 6000x6000 output
        out = conv_transpose2d(UINT8, np.ones((1, 1, 1, 1), np.uint8), padding=2990)
    assert out.shape == (1, 1, 20, 20) and out.dtype == np.int64 and (out == 3).all()


def test_the_reference_reads_pixels_one_by_one_without_copying_x():
    with peak_below(8 * MiB):
        out = conv2d_reference(UINT8, np.ones((1, 1, 3, 3), np.int64), stride=3000)
    assert out.tolist() == [[[[27, 27], [27, 27]]]]


def test_a_broadcast_view_is_checked_for_nan_in_blocks():
    view = np.broadcast_to(np.float64(1.0), (1, 1, 20_000, 20_000))  # 3 GiB of float64 if copied
    with peak_below(16 * MiB):
        out = conv2d(view, np.ones((1, 1, 1, 1)), stride=10_000)
    assert out.tolist() == [[[[1.0, 1.0], [1.0, 1.0]]]]
    bad = np.broadcast_to(np.float64(np.nan), (1, 1, 20_000, 20_000))
    with peak_below(16 * MiB), pytest.raises(ValueError, match="x contains NaN"):
        conv2d(bad, np.ones((1, 1, 1, 1)), stride=10_000)


def test_relu_checks_its_result_size_first():
    view = np.broadcast_to(np.float64(-1.0), (1, 1, 40_000, 40_000))
    with peak_below(MiB), pytest.raises(ValueError, match="the result would be 1x1x40000x40000"):
        relu(view)


# --- 5. small answers, small costs ------------------------------------------------------------------

def test_explain_reads_one_window_of_a_large_input():
    x = np.ones((3, 1000, 1000))
    with time_limit(5):
        e = explain(x, np.ones((3, 3, 3)), at=(500, 500))
    assert len(e.terms) == 27 and e.value == 27.0
    with time_limit(5):  # its output would be 2,000,003 x 2,000,003: never built
        e = explain(IMAGE, FILTER, at=(0, 0), padding=10**6)
    assert e.value == 0 and all(t.padded for t in e.terms)


def test_a_figure_too_large_to_draw_is_refused_before_any_work():
    with time_limit(5), pytest.raises(ValueError, match="too large to draw"):
        window(np.ones((2000, 2000)), np.ones((3, 3)), at=(0, 0))


def test_the_reference_refuses_before_looping_for_seconds():
    with time_limit(5), pytest.raises(ValueError, match="8,856,576 steps"):
        conv2d_reference(np.ones((1, 16, 64, 64)), np.ones((16, 16, 3, 3)))


# --- 8, 9. dtypes follow the inputs; nonsense is refused ------------------------------------------------

@pytest.mark.parametrize("fn", [conv2d, conv2d_reference, conv_transpose2d])
def test_float32_stays_float32_with_a_python_bias(fn):
    x, w = np.ones((1, 4, 4), np.float32), np.ones((1, 1, 3, 3), np.float32)
    for bias in (None, 0.5, 1, [0.5], np.float32(0.5), np.array([1], np.float32)):
        assert fn(x, w, bias).dtype == np.float32, bias
    assert fn(x, w, np.float64(0.5)).dtype == np.float64  # a numpy float64 is not weak (NEP 50)
    assert fn(x.astype(np.uint64), w.astype(np.int64)).dtype == np.int64
    assert fn(x.astype(np.int64), w.astype(np.int64), 0.5).dtype == np.float64


@pytest.mark.parametrize("fn", [conv2d, conv2d_reference, conv_transpose2d])
def test_bias_true_is_refused_not_added(fn):
    with pytest.raises(TypeError, match="True/False is not a bias"):
        fn(IMAGE, FILTER, True)


@pytest.mark.parametrize("call", [
    lambda m: conv2d(m, FILTER), lambda m: conv2d_reference(m, FILTER), lambda m: conv_transpose2d(m, FILTER),
    lambda m: max_pool2d(m, 2), lambda m: avg_pool2d(m, 2), lambda m: relu(m), lambda m: explain(m, FILTER, at=(0, 0)),
])
def test_masked_arrays_are_refused_with_how_to_fill_them(call):
    masked = np.ma.masked_array(IMAGE, IMAGE == 0)
    with pytest.raises(TypeError, match=r"masked array.*x\.filled\(0\)"):
        call(masked)
    call(masked.filled(0))  # the fix the message gives works
