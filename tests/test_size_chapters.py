"""The "sizes and parameters" chapters' arithmetic: coverage, padding conventions and their
inverse, receptive fields of stacks, and parameter counts -- against hand-derived values,
brute force, and the numbers CS231n, Dumoulin & Visin, MobileNets and d2l publish."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convdoc import (
    conv2d,
    coverage,
    depthwise_separable_param_count,
    effective_kernel_size,
    linear_param_count,
    locally_connected_param_count,
    output_size,
    padding_for,
    param_count,
    receptive_field,
    receptive_fields,
    same_padding,
    stride_padding_for,
)

# --- effective kernel and published output sizes ---------------------------------------------


def test_effective_kernel_size():
    assert effective_kernel_size(3, 2) == 5  # Dumoulin & Visin: k + (k-1)(d-1) = 3 + 2*1
    assert effective_kernel_size(3) == 3
    assert effective_kernel_size(3, 4) == 9
    assert effective_kernel_size((3, 5), (1, 3)) == (3, 13)
    for k in range(1, 8):
        for d in range(1, 5):
            assert effective_kernel_size(k, d) == k + (k - 1) * (d - 1)


@pytest.mark.parametrize(
    "args, kwargs, expected, source",
    [
        ((227, 11), dict(stride=4), 55, "CS231n: AlexNet conv1, (227 - 11)/4 + 1"),
        ((6, 3), dict(stride=2, padding=1), 3, "Dumoulin & Visin: i = 6, k = 3, s = 2, p = 1"),
        ((5, 3), dict(stride=2, padding=1), 3, "Dumoulin & Visin: i = 5, k = 3, s = 2, p = 1"),
        ((7, 3), dict(dilation=2), 3, "Dumoulin & Visin: i = 7, k = 3, d = 2"),
        ((4, 3), {}, 2, "Dumoulin & Visin: i = 4, k = 3"),
        ((5, 4), dict(padding=2), 6, "Dumoulin & Visin: i = 5, k = 4, p = 2"),
        ((5, 3), dict(padding=1), 5, "Dumoulin & Visin: half padding"),
        ((5, 3), dict(padding=2), 7, "Dumoulin & Visin: full padding"),
        ((5, 3), dict(stride=2), 2, "Dumoulin & Visin: i = 5, k = 3, s = 2"),
        ((7, 3), {}, 5, "CS231n: 7x7 input, 3x3 filter, stride 1"),
        ((7, 3), dict(stride=2), 3, "CS231n: stride 2"),
        ((10, 3), dict(stride=2), 4, "CS231n's 'invalid' (10 - 3)/2 + 1 = 4.5, floored"),
        ((224, 11), dict(stride=4), 54, "AlexNet paper's 224: (224 - 11)/4 + 1 = 54.25, floored"),
        ((32, 5), dict(padding=2), 32, "CS231n: 32x32 input, 5x5 filters, pad 2"),
    ],
)
def test_published_output_sizes(args, kwargs, expected, source):
    assert output_size(*args, **kwargs) == expected, source


# --- coverage ---------------------------------------------------------------------------------


def test_coverage_published_cases():
    c = coverage(10, 3, stride=2)  # CS231n's "invalid" setting
    assert (c.output, c.exact, c.uncovered) == (4, Fraction(9, 2), (9,))
    assert c.windows == ((0, 1, 2), (2, 3, 4), (4, 5, 6), (6, 7, 8))
    c = coverage(224, 11, stride=4)  # the AlexNet paper's 224
    assert (c.output, c.exact, c.uncovered) == (54, Fraction(217, 4), (223,))
    c = coverage(227, 11, stride=4)
    assert (c.output, c.exact, c.uncovered, c.unused_padding) == (55, 55, (), 0)
    # Dumoulin & Visin's i = 6, k = 3, s = 2, p = 1: "the bottom row and right column of the zero
    # padded input are not covered" -- a padding row, not an input row
    c = coverage(6, 3, stride=2, padding=1)
    assert (c.output, c.uncovered, c.unused_padding) == (3, (), 1)
    # dilation 2 with stride 2 skips every other pixel
    c = coverage(7, 3, stride=2, dilation=2)
    assert (c.output, c.uncovered) == (2, (1, 3, 5))
    assert coverage(7, 3, dilation=2).uncovered == ()


def test_coverage_ceil_mode():
    c = coverage(5, 3, stride=3, ceil_mode=True)
    assert (c.output, c.uncovered, c.dropped) == (2, (), False)
    assert c.windows[-1] == (3, 4, 5)  # 5 lies past the input
    c = coverage(5, 2, stride=2, padding=1, ceil_mode=True)
    assert (c.output, c.dropped) == (3, True)


def test_coverage_text():
    c = coverage(10, 3, stride=2)
    assert c.to_markdown("en") == (
        "(10 + 2·0 − 3)/2 + 1 = 4.5 is not a whole number, so it is rounded down: 4 windows, reading "
        "columns [0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8]. Column 9 is never covered."
    )
    assert c.to_markdown("zh", axis="row") == (
        "(10 + 2·0 − 3)/2 + 1 = 4.5，不是整数，向下取整：共 4 个窗口，分别读第 [0, 1, 2]、[2, 3, 4]、"
        "[4, 5, 6]、[6, 7, 8] 行。第 9 行没有被任何窗口读到。"
    )
    assert str(c) == c.to_markdown("en")
    text = coverage(5, 2, 2, 1, ceil_mode=True).to_markdown("en")
    assert "window 4 would start in the right padding, so it is dropped" in text
    assert "[p, 0], [1, 2], [3, 4] (p = padding)" in text
    assert "[3, 4, –] (– = past the padded input)" in coverage(5, 3, 3, ceil_mode=True).to_markdown("en")
    assert "Columns 1, 3 and 5 are never covered" in coverage(7, 3, 2, dilation=2).to_markdown("en")
    assert "[0–10], [4–14], [8–18], …, [212–222]. Column 223" in coverage(224, 11, 4).to_markdown("en")
    assert "5/3 ≈ 1.667" in coverage(5, 3, 3).to_markdown("zh")


@given(st.integers(1, 30), st.integers(1, 6), st.integers(1, 4), st.integers(0, 3), st.integers(1, 3), st.booleans())
def test_coverage_brute_force(n, k, s, p, d, ceil_mode):
    eff = d * (k - 1) + 1
    if eff > n + 2 * p:
        return
    c = coverage(n, k, s, p, d, ceil_mode=ceil_mode)
    assert c.output == len(c.windows) == output_size(n, k, s, p, d, ceil_mode=ceil_mode)
    read = set()
    for o in range(c.output):
        start = o * s - p  # input coordinates
        read |= {start + m * d for m in range(k)}
    assert c.uncovered == tuple(i for i in range(n) if i not in read)
    assert c.unused_padding == sum(1 for i in list(range(-p, 0)) + list(range(n, n + p)) if i not in read)
    assert c.exact == Fraction(n + 2 * p - eff, s) + 1
    if not ceil_mode and d == 1 and p == 0 and s <= k:
        # windows that overlap or touch miss exactly the remainder at the end
        assert c.uncovered == tuple(range(n - (n - k) % s, n))
    if s > eff and p == 0:
        # windows farther apart than they are wide skip the pixels in between
        assert len(c.uncovered) >= (c.output - 1) * (s - eff)


# --- padding conventions ----------------------------------------------------------------------


def test_padding_for_conventions():
    p = padding_for(5, 3, output="same")  # half padding: p = floor(k/2)
    assert (p.output, p.per_side, p.total, p.sides, p.torch_pad) == (5, 1, 2, (1, 1, 1, 1), (1, 1, 1, 1))
    p = padding_for(5, 3, output="full")  # Dumoulin & Visin: p = k - 1, o = i + k - 1
    assert (p.output, p.per_side, p.total) == (7, 2, 4)
    p = padding_for(5, 3, output="valid")
    assert (p.output, p.per_side, p.total, p.sides) == (3, 0, 0, (0, 0, 0, 0))
    p = padding_for(4, 2, output="same")  # even kernel: the odd pixel after, no symmetric P
    assert (p.output, p.per_side, p.total, p.sides, p.torch_pad) == (4, None, 1, (0, 1, 0, 1), (0, 1, 0, 1))
    # TensorFlow SAME with stride 2: 224 -> 112, total 1 on the bottom/right; PyTorch's P = 1
    # gives 112 too (one extra row no window reaches), with windows one pixel up/left
    p = padding_for(224, 3, stride=2, output="same")
    assert (p.output, p.per_side, p.total, p.sides) == (112, 1, 1, (0, 1, 0, 1))
    # ResNet's 7x7 stride-2 stem: TensorFlow pads (2, 3), PyTorch padding=3
    p = padding_for(224, 7, stride=2, output="same")
    assert (p.output, p.per_side, p.total, p.sides) == (112, 3, 5, (2, 3, 2, 3))
    assert padding_for(224, 7, stride=2, output=112) == p
    # different rows and columns: TensorFlow order (top, bottom, left, right) vs F.pad's (left, right, top, bottom)
    p = padding_for((6, 5), 3, stride=2, output="SAME")
    assert (p.output, p.total, p.sides, p.torch_pad, p.per_side) == ((3, 3), (1, 2), (0, 1, 1, 1), (1, 1, 0, 1), (1, 1))
    assert padding_for(5, 3, output=(5, 7)).total == (2, 4)
    assert padding_for(7, 3, dilation=2, output="same").per_side == 2  # d(k-1)/2


@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 4), st.integers(1, 3),
       st.sampled_from(["same", "valid", "full", 1, 2, 5, 17, 40]))
def test_padding_for_brute_force(n, k, s, d, target):
    eff = d * (k - 1) + 1
    try:
        p = padding_for(n, k, s, d, output=target)
    except ValueError:
        if target == "valid":
            assert eff > n
        else:
            assert isinstance(target, int) and (n - eff) // s + 1 > target
        return
    before, after = p.sides[0], p.sides[1]
    assert before + after == p.total and after - before in (0, 1)
    assert (n + p.total - eff) // s + 1 == p.output  # the asymmetric padding gives the output
    if p.total > 0 and target != "full":
        assert (n + p.total - 1 - eff) // s + 1 != p.output  # and is the least that does
    if p.per_side is not None:
        assert output_size(n, k, s, p.per_side, d) == p.output
        smaller = p.per_side - 1 if target != "full" else -1  # "full" is k - 1 by definition
        assert smaller < 0 or eff > n + 2 * smaller or output_size(n, k, s, smaller, d) != p.output
    else:  # no symmetric padding gives it
        assert all(output_size(n, k, s, q, d) != p.output for q in range(0, p.total + 2) if eff <= n + 2 * q)
    if target == "same":
        assert p.output == -(-n // s)
        assert (before, after) == same_padding(n, k, s, d)
    elif target == "full":
        assert p.per_side == eff - 1
        if s == 1:
            assert p.output == n + eff - 1
    elif target == "valid":
        assert p.output == output_size(n, k, s, 0, d)
    else:
        assert p.output == target


def test_stride_padding_for():
    assert [(t.stride, t.padding, t.remainder) for t in stride_padding_for(5, 3, 3)] == [(1, 0, 0), (2, 1, 0), (3, 2, 0)]
    # ResNet stem 224 -> 112 with 7x7: stride 2, padding 3, one row no window reaches
    assert [(t.stride, t.padding, t.remainder) for t in stride_padding_for(224, 7, 112)] == [(2, 3, 1)]
    assert [(t.stride, t.padding) for t in stride_padding_for(227, 11, 55)] == [(4, 0)]
    assert stride_padding_for(5, 3, 8) == ()  # more than full padding can give
    assert [(t.stride, t.padding) for t in stride_padding_for(5, 3, 7)] == [(1, 2)]
    assert [(t.stride, t.padding, t.remainder) for t in stride_padding_for(5, 3, 1)] == [(3, 0, 2)]


@given(st.integers(1, 30), st.integers(1, 5), st.integers(1, 12), st.integers(1, 2))
def test_stride_padding_for_brute_force(n, k, m, d):
    eff = d * (k - 1) + 1
    found = {t.stride: t for t in stride_padding_for(n, k, m, dilation=d)}
    for s in range(1, n + 2 * eff + 1):
        works = [p for p in range(eff) if eff <= n + 2 * p and output_size(n, k, s, p, d) == m]
        if m == 1:
            continue
        if works:
            assert s in found and found[s].padding == works[0]
            assert found[s].remainder == (n + 2 * works[0] - eff) % s
        else:
            assert s not in found
    if m == 1 and found:
        (only,) = found.values()
        assert output_size(n, k, only.stride, only.padding, d) == 1


# --- receptive fields -------------------------------------------------------------------------


def test_receptive_fields_published():
    # CS231n: two stacked 3x3 see 5x5, three see 7x7
    assert [f.size for f in receptive_fields([(3, 1)] * 3)] == [3, 5, 7]
    # Yu & Koltun: 3x3 with dilation 1, 2, 4 -> 3x3, 7x7, 15x15
    assert [f.size for f in receptive_fields([(3, 1, 1), (3, 1, 2), (3, 1, 4)])] == [3, 7, 15]
    rows = receptive_fields([(3, 2), (3, 2), (3, 1)])
    assert [(f.jump, f.size) for f in rows] == [(2, 3), (4, 7), (4, 15)]
    assert receptive_fields([]) == ()
    assert receptive_fields([(11, 4)])[0].size == receptive_field([(11, 4)]) == 11


@given(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 2), st.integers(1, 2)), min_size=1, max_size=3))
def test_receptive_field_is_the_span_an_impulse_reaches(layers):
    # push one impulse through a stack of all-ones convolutions: the outputs it reaches are the
    # outputs whose receptive field contains it; one output's field spans r input pixels
    r = receptive_field(layers)
    n = r + 8
    x = np.zeros((n, n), dtype=int)
    x[0, 0] = 1  # the top-left output's receptive field starts at pixel 0
    y = np.zeros((n, n), dtype=int)
    y[r - 1, r - 1] = 1  # the last pixel it includes
    z = np.zeros((n, n), dtype=int)
    z[r, 0] = 1  # one pixel past it
    outs = []
    for img in (x, y, z):
        a = img
        for k, s, d in layers:
            a = conv2d(a, np.ones((k, k), dtype=int), stride=s, dilation=d)
        outs.append(a[0, 0])
    assert outs[0] > 0 and outs[1] > 0 and outs[2] == 0


# --- parameters -------------------------------------------------------------------------------


def test_alexnet_conv1_cs231n():
    assert output_size(227, 11, stride=4) == 55
    assert 55 * 55 * 96 == 290_400 and 11 * 11 * 3 == 363
    assert locally_connected_param_count(3, 96, 11, 55) == 290_400 * 364 == 105_705_600
    assert param_count(3, 96, 11) == 96 * 11 * 11 * 3 + 96 == 34_944
    assert param_count(3, 96, 11, bias=False) == 34_848


def test_mobilenets_table_3():
    # D_K = 3, M = N = 512, D_F = 14: 2.36 million parameters against 0.27 million
    full = param_count(512, 512, 3, bias=False)
    separable = depthwise_separable_param_count(512, 512, 3, bias=False)
    assert (full, separable) == (2_359_296, 266_752)
    assert round(full / 1e6, 2) == 2.36 and round(separable / 1e6, 2) == 0.27
    assert Fraction(separable, full) == Fraction(1, 512) + Fraction(1, 9)
    # the multiply-adds of the table: parameters x 14 x 14 positions
    assert round(full * 14 * 14 / 1e6) == 462 and round(separable * 14 * 14 / 1e6, 1) == 52.3
    assert depthwise_separable_param_count(32, 64, 3) == (32 * 9 + 32) + (32 * 64 + 64)
    assert depthwise_separable_param_count(3, 128, 3) == 542  # 30 + 512


def test_groups_bias_and_the_papers():
    assert param_count(96, 256, 5, groups=2) == 256 * 5 * 5 * 48 + 256 == 307_456  # AlexNet conv2, 5x5x48 kernels
    assert param_count(96, 256, 5) == 614_656
    assert param_count(3, 64, 7, bias=False) == 9_408  # ResNet's stem: no bias before batch norm
    c = 64
    assert 3 * param_count(c, c, 3, bias=False) == 27 * c * c  # CS231n: three 3x3
    assert param_count(c, c, 7, bias=False) == 49 * c * c  # against one 7x7


def test_fully_connected_against_convolution():
    assert linear_param_count(75, 18) == 1368 == param_count(75, 18, 1)
    assert linear_param_count(75, 18, bias=False) == 1350
    assert linear_param_count(227 * 227 * 3, 55 * 55 * 96) == 154_587 * 290_400 + 290_400
    # a locally connected layer whose windows are the whole input is a fully connected layer
    assert locally_connected_param_count(3, 18, 5, 1) == linear_param_count(75, 18)
    assert math.prod((2, 3)) * param_count(4, 5, 3) == locally_connected_param_count(4, 5, 3, (2, 3))
