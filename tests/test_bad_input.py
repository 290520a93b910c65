"""The bad-input catalogue: every public function, called wrongly, says what is wrong.

Two parts:

1. ``CATALOGUE``: hand-written cases per public name -- wrong types, ranks and
   shapes; zero, negative, float, bool and None sizes; kernels larger than the
   input; empty arrays; mismatched channels and groups; huge values. Each must
   raise the listed ``TypeError`` or ``ValueError`` with a message containing the
   listed fragments (the parameter's name and the rule).
2. A sweep: every parameter of every public callable, one at a time, gets each
   value of ``JUNK`` while the other arguments stay valid. The call must either
   raise ``TypeError``/``ValueError`` naming that parameter, or -- only for the
   values ``ACCEPTED`` lists, with the reason -- return normally. Nothing else may
   escape (no ``OverflowError``, ``MemoryError``, ``KeyError``...), no call may run
   for seconds, and none may allocate more than a few MiB before refusing.

The limits that huge values run into are in ``convdoc/_checks.py``:
``MAX_SIZE`` (2**31 - 1 for every spatial argument), ``MAX_ARRAY_BYTES``
(1 GiB per array convdoc allocates) and ``MAX_LISTED`` (a million items built one
by one). ``docs/errors.md`` shows the messages to readers.
"""

from __future__ import annotations

import inspect
import tracemalloc
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

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
    conv2d_reference,
    conv3d,
    conv2d_strategy,
    conv2d_grad,
    avg_pool2d_grad,
    conv_transpose2d,
    coverage,
    grad_output_padding,
    max_pool2d_grad,
    depthwise_separable_param_count,
    effective_kernel_size,
    explain,
    explain_grad,
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
from convdoc._checks import MAX_ARRAY_BYTES, MAX_LISTED, MAX_SIZE
from convdoc.examples import FILTER, IMAGE
from limits import TookTooLong, time_limit

X = np.ones((3, 5, 5))
W = np.ones((2, 3, 3, 3))
X1, W1 = np.ones((3, 8)), np.ones((2, 3, 3))  # a 3-channel sequence, two 3-tap filters
X3, W3 = np.ones((2, 4, 4, 4)), np.ones((2, 2, 3, 3, 3))  # a 2-channel volume, two 3x3x3 filters
HUGE = 10**20  # beyond int64
BIG = 10**6  # fits int64, but its arrays would not fit in memory


@dataclass(frozen=True)
class Bad:
    name: str  # the public name under test
    label: str
    call: Callable[[], Any]
    exc: type[Exception]
    fragments: tuple[str, ...]


def bad(name: str, label: str, call: Callable[[], Any], exc: type[Exception], *fragments: str) -> Bad:
    return Bad(name, label, call, exc, fragments)


def conv_cases(name: str, f: Callable) -> list[Bad]:
    """What conv2d, conv2d_reference and conv2d_strategy must all refuse, with the same messages."""
    return [
        bad(name, "kernel larger than the input", lambda: f(IMAGE, np.ones((7, 7))), ValueError, "kernel_size", "larger than the padded input", "5 + 2*0 = 5"),
        bad(name, "kernel larger than the padded input", lambda: f(IMAGE, np.ones((8, 8)), padding=1), ValueError, "larger than the padded input", "5 + 2*1 = 7", "= 8"),
        bad(name, "zero stride", lambda: f(IMAGE, FILTER, stride=0), ValueError, "stride", "positive integer"),
        bad(name, "negative stride", lambda: f(IMAGE, FILTER, stride=-1), ValueError, "stride", ">= 1"),
        bad(name, "negative padding", lambda: f(IMAGE, FILTER, padding=-1), ValueError, "padding", ">= 0"),
        bad(name, "zero dilation", lambda: f(IMAGE, FILTER, dilation=0), ValueError, "dilation", "positive integer"),
        bad(name, "float stride", lambda: f(IMAGE, FILTER, stride=2.5), TypeError, "stride", "integer", "2.5"),
        bad(name, "whole float stride", lambda: f(IMAGE, FILTER, stride=2.0), TypeError, "stride", "integer", "2.0"),
        bad(name, "string stride", lambda: f(IMAGE, FILTER, stride="3"), TypeError, "stride", "integer", "'3'"),
        bad(name, "None stride", lambda: f(IMAGE, FILTER, stride=None), TypeError, "stride", "integer", "None"),
        bad(name, "bool stride", lambda: f(IMAGE, FILTER, stride=True), TypeError, "stride", "integer", "True"),
        bad(name, "three strides", lambda: f(IMAGE, FILTER, stride=(1, 2, 3)), ValueError, "stride", "(h, w) pair"),
        bad(name, "float in a padding pair", lambda: f(IMAGE, FILTER, padding=(1, 0.5)), TypeError, "padding[1]", "integer"),
        bad(name, "channel mismatch", lambda: f(X, np.ones((2, 4, 3, 3))), ValueError, "channel mismatch", "x", "weight", "4", "3"),
        bad(name, "2-D filter on 3 channels", lambda: f(X, np.ones((3, 3))), ValueError, "channel mismatch"),
        bad(name, "groups not dividing the channels", lambda: f(X, np.ones((2, 1, 3, 3)), groups=2), ValueError, "groups", "divide", "3 channels"),
        bad(name, "groups not dividing the filters", lambda: f(np.ones((4, 5, 5)), np.ones((3, 2, 3, 3)), groups=2), ValueError, "groups", "divide", "3 filters"),
        bad(name, "filters with the wrong channels per group", lambda: f(np.ones((4, 5, 5)), np.ones((2, 1, 3, 3)), groups=2), ValueError, "in_channels/groups", "4/2"),
        bad(name, "zero groups", lambda: f(X, W, groups=0), ValueError, "groups", "positive integer"),
        bad(name, "1-D x", lambda: f(np.ones(5), FILTER), ValueError, "x", "2 or 3 or 4 dimensions", "(5,)"),
        bad(name, "5-D x", lambda: f(np.ones((1, 1, 1, 5, 5)), FILTER), ValueError, "x", "dimensions"),
        bad(name, "1-D weight", lambda: f(IMAGE, np.ones(3)), ValueError, "weight", "dimensions"),
        bad(name, "empty x", lambda: f(np.ones((0, 5)), FILTER), ValueError, "x", "empty"),
        bad(name, "empty weight", lambda: f(IMAGE, np.ones((2, 3, 0, 3))), ValueError, "weight", "empty"),
        bad(name, "NaN in x", lambda: f(np.array([[1.0, np.nan], [0, 0]]), np.ones((1, 1))), ValueError, "x", "NaN or infinity"),
        bad(name, "infinity in weight", lambda: f(IMAGE, np.full((3, 3), np.inf)), ValueError, "weight", "NaN or infinity"),
        bad(name, "strings", lambda: f(np.array([["a", "b"]]), np.ones((1, 1))), TypeError, "x", "real numbers", "dtype"),
        bad(name, "complex numbers", lambda: f(IMAGE + 1j, FILTER), TypeError, "x", "real numbers", "complex"),
        bad(name, "None x", lambda: f(None, FILTER), TypeError, "x", "None"),
        bad(name, "ragged rows", lambda: f([[1, 2], [3]], FILTER), ValueError, "x", "rectangular"),
        bad(name, "bias of the wrong length", lambda: f(X, W, bias=[1.0, 2.0, 3.0]), ValueError, "bias", "one value per filter", "2 filters"),
        bad(name, "NaN bias", lambda: f(X, W, bias=[np.nan, 0.0]), ValueError, "bias", "NaN"),
        bad(name, "2-D bias", lambda: f(X, W, bias=np.ones((2, 1))), ValueError, "bias", "dimensions"),
        bad(name, "stride beyond int64", lambda: f(IMAGE, FILTER, stride=HUGE), ValueError, "stride", "at most 2,147,483,647"),
        bad(name, "padding too large for memory", lambda: f(IMAGE, FILTER, padding=BIG), ValueError, "padding=(1000000, 1000000)", "zero-padded input", "limit of 1 GiB"),
        bad(name, "output too large for memory", lambda: f(np.ones((100, 100)), np.ones((200_000, 1, 1, 1))), ValueError, "the output would be 1x200000x100x100", "limit of 1 GiB"),
        bad(name, "output too large for memory, from a broadcast view", lambda: f(VIEW, np.ones((1, 1))), ValueError, "the output would be 1x1x40000x40000", "limit of 1 GiB"),
        bad(name, "bias=True", lambda: f(X, W, True), TypeError, "bias", "True/False is not a bias", "bias=None"),
        bad(name, "a bool bias per filter", lambda: f(X, W, np.array([True, False])), TypeError, "bias", "True/False"),
        bad(name, "masked x", lambda: f(np.ma.masked_array(IMAGE, IMAGE == 0), FILTER), TypeError, "x", "masked array", "x.filled(0)"),
        bad(name, "masked weight", lambda: f(IMAGE, np.ma.masked_array(FILTER)), TypeError, "weight", "masked array"),
    ] + ([] if name == "conv2d_strategy" else [  # it names a strategy, it computes nothing
        bad(name, "an integer result beyond int64", lambda: f(np.full((2, 2), 2**62), np.full((2, 2), 2)), ValueError, "integer overflow", "36,893,488,147,419,103,232", "int64 cannot hold", "float64"),
        bad(name, "a uint64 result beyond int64", lambda: f(np.array([[2**63 + 5]], np.uint64), np.array([[-1]])), ValueError, "integer overflow", "-9,223,372,036,854,775,813"),
    ])


def nd_cases() -> list[Bad]:
    """conv1d and conv3d: conv2d's rules and messages, with one and three spatial axes."""
    nan_slice = np.ones((1, 3, 3, 3))
    nan_slice[0, 1, 0, 0] = np.nan  # a depth slice that stride 2 never reads
    return [
        bad("conv1d", "kernel longer than the sequence", lambda: conv1d(X1, np.ones((2, 3, 9))), ValueError, "kernel_size", "larger than the padded input", "8 + 2*0 = 8", "x spatial size (8,)"),
        bad("conv1d", "zero stride", lambda: conv1d(X1, W1, stride=0), ValueError, "stride", "positive integer"),
        bad("conv1d", "a pair as stride", lambda: conv1d(X1, W1, stride=(1, 2)), ValueError, "stride", "(length,) tuple", "length 2"),
        bad("conv1d", "float padding", lambda: conv1d(X1, W1, padding=0.5), TypeError, "padding", "0.5"),
        bad("conv1d", "channel mismatch", lambda: conv1d(X1, np.ones((2, 4, 3))), ValueError, "channel mismatch", "has 4", "has 3"),
        bad("conv1d", "groups not dividing the channels", lambda: conv1d(X1, np.ones((2, 1, 3)), groups=2), ValueError, "groups", "3 channels"),
        bad("conv1d", "an image", lambda: conv1d(np.ones((1, 3, 8, 8)), W1), ValueError, "x", "1 or 2 or 3 dimensions", "(1, 3, 8, 8)"),
        bad("conv1d", "bias=True", lambda: conv1d(X1, W1, True), TypeError, "bias", "True/False is not a bias"),
        bad("conv1d", "NaN in x", lambda: conv1d([1.0, np.nan, 2.0], [1.0]), ValueError, "x", "NaN or infinity"),
        bad("conv1d", "an integer result beyond int64", lambda: conv1d(np.full(2, 2**62), np.full(2, 2)), ValueError, "integer overflow", "output element (0, 0, 0) (image, filter, position)", "18,446,744,073,709,551,616"),
        bad("conv3d", "kernel deeper than the clip", lambda: conv3d(np.ones((3, 2, 8, 8)), np.ones((4, 3, 3, 3, 3))), ValueError, "kernel_size[0]", "larger than the padded input", "x spatial size (2, 8, 8)"),
        bad("conv3d", "a pair as stride", lambda: conv3d(X3, W3, stride=(1, 2)), ValueError, "stride", "(d, h, w) triple", "length 2"),
        bad("conv3d", "zero in the dilation", lambda: conv3d(X3, W3, dilation=(1, 0, 1)), ValueError, "dilation[1]", "positive integer"),
        bad("conv3d", "channel mismatch", lambda: conv3d(X3, np.ones((2, 3, 3, 3, 3))), ValueError, "channel mismatch", "has 3", "has 2"),
        bad("conv3d", "groups not dividing the filters", lambda: conv3d(X3, np.ones((3, 1, 3, 3, 3)), groups=2), ValueError, "groups", "3 filters"),
        bad("conv3d", "an image", lambda: conv3d(np.ones((8, 8)), np.ones((3, 3, 3))), ValueError, "x", "3 or 4 or 5 dimensions"),
        bad("conv3d", "a 2-D filter", lambda: conv3d(X3, np.ones((3, 3))), ValueError, "weight", "3 or 4 or 5 dimensions"),
        bad("conv3d", "NaN in a slice no output reads", lambda: conv3d(nan_slice, np.ones((1, 1, 1, 1)), stride=2), ValueError, "x", "NaN or infinity"),
        bad("conv3d", "infinity in weight", lambda: conv3d(X3, np.full((2, 2, 3, 3, 3), np.inf)), ValueError, "weight", "NaN or infinity"),
        bad("conv3d", "an integer result beyond int64", lambda: conv3d(np.full((2, 2, 2), 2**62), np.full((2, 2, 2), 2)), ValueError, "integer overflow", "output element (0, 0, 0, 0, 0) (image, filter, depth, row, column)"),
        bad("conv3d", "an overflow in the second output slice", lambda: conv3d(np.array([[[[1]], [[2**62]]]]), np.full((1, 1, 1), 2)), ValueError, "output element (0, 0, 1, 0, 0)"),
        bad("conv3d", "padding larger than memory", lambda: conv3d(X3, W3, padding=1000), ValueError, "padding=(1000, 1000, 1000)", "zero-padded input", "limit of 1 GiB"),
    ]


# a 40000x40000 view of one number: 12 GiB if it were ever copied or converted
VIEW = np.broadcast_to(np.float64(1.0), (1, 1, 40_000, 40_000))
BYTES = np.broadcast_to(np.uint8(1), (1, 1, 12_000, 12_000))  # a 137 MiB uint8 image (a view: no memory)

CATALOGUE: list[Bad] = [
    *conv_cases("conv2d", conv2d),
    *conv_cases("conv2d_reference", conv2d_reference),
    *conv_cases("conv2d_strategy", conv2d_strategy),
    # --- im2col: conv2d's rules for x and the sizes, and a matrix that would not fit -------------
    bad("im2col", "kernel larger than the input", lambda: im2col(IMAGE, 7), ValueError, "kernel_size", "larger than the padded input", "5 + 2*0 = 5", "x spatial size (5, 5)"),
    bad("im2col", "dilated kernel larger than the input", lambda: im2col(IMAGE, 3, dilation=3), ValueError, "dilation*(kernel_size-1)+1 = 3*(3-1)+1 = 7"),
    bad("im2col", "zero kernel", lambda: im2col(IMAGE, 0), ValueError, "kernel_size", "positive integer"),
    bad("im2col", "float kernel", lambda: im2col(IMAGE, 2.5), TypeError, "kernel_size", "integer", "2.5"),
    bad("im2col", "a weight for kernel_size", lambda: im2col(IMAGE, FILTER), TypeError, "kernel_size", "array of shape (3, 3)", "weight.shape[-2:]"),
    bad("im2col", "zero stride", lambda: im2col(IMAGE, 3, stride=0), ValueError, "stride", "positive integer"),
    bad("im2col", "negative padding", lambda: im2col(IMAGE, 3, padding=-1), ValueError, "padding", ">= 0"),
    bad("im2col", "bool dilation", lambda: im2col(IMAGE, 3, dilation=True), TypeError, "dilation", "integer", "True"),
    bad("im2col", "1-D x", lambda: im2col(np.ones(5), 3), ValueError, "x", "2 or 3 or 4 dimensions", "(5,)"),
    bad("im2col", "empty x", lambda: im2col(np.ones((0, 5)), 1), ValueError, "x", "empty"),
    bad("im2col", "NaN in x", lambda: im2col(np.array([[1.0, np.nan]]), 1), ValueError, "x", "NaN or infinity"),
    bad("im2col", "masked x", lambda: im2col(np.ma.masked_array(IMAGE, IMAGE == 0), 3), TypeError, "x", "masked array"),
    bad("im2col", "matrix too large for memory, from a broadcast view", lambda: im2col(VIEW, 2), ValueError, "the im2col matrix would be 1x4x1599920001", "kernel_size=(2, 2)", "limit of 1 GiB"),
    *nd_cases(),
    bad("conv2d_reference", "more multiply-adds than it lists one by one", lambda: conv2d_reference(np.ones((1, 16, 64, 64)), np.ones((16, 16, 3, 3))), ValueError, "8,856,576 steps", f"limit of {MAX_LISTED:,}"),
    # --- sizes -----------------------------------------------------------------------------
    bad("output_size", "kernel larger than the input", lambda: output_size(5, 7), ValueError, "kernel_size", "larger than the padded input"),
    bad("output_size", "dilated kernel larger than the input", lambda: output_size(5, 3, dilation=3), ValueError, "dilation*(kernel_size-1)+1 = 3*(3-1)+1 = 7"),
    bad("output_size", "zero size", lambda: output_size(0, 3), ValueError, "size", "positive integer", "got 0"),
    bad("output_size", "float size", lambda: output_size(2.5, 3), TypeError, "size", "2.5"),
    bad("output_size", "string size", lambda: output_size("5", 3), TypeError, "size", "'5'"),
    bad("output_size", "None size", lambda: output_size(None, 3), TypeError, "size", "None"),
    bad("output_size", "zero stride", lambda: output_size(5, 3, stride=0), ValueError, "stride", "positive integer"),
    bad("output_size", "negative padding", lambda: output_size(5, 3, padding=-1), ValueError, "padding", ">= 0"),
    bad("output_size", "ceil_mode not a bool", lambda: output_size(5, 3, ceil_mode=1), TypeError, "ceil_mode", "True or False"),
    bad("output_size", "four sizes", lambda: output_size((5, 5, 5, 5), 3), ValueError, "size", "tuple of 1, 2 or 3 axes", "length 4"),
    bad("output_size", "an empty tuple", lambda: output_size((), 3), ValueError, "size", "tuple of 1, 2 or 3 axes", "length 0"),
    bad("output_size", "three sizes, two kernel sizes", lambda: output_size((16, 112, 112), (3, 3)), ValueError, "kernel_size has 2 axes ((3, 3)) but size has 3", "same number of axes"),
    bad("output_size", "a kernel too deep for the clip", lambda: output_size((2, 112, 112), 3), ValueError, "kernel_size[0]", "larger than the padded input", "2 + 2*0 = 2"),
    bad("output_size", "a float in a triple", lambda: output_size((16, 112.0, 112), 3), TypeError, "size[1]", "112.0"),
    bad("output_size", "ceil_mode: a kernel past the padded input by more than stride - 1", lambda: output_size(2, 5, stride=2, ceil_mode=True), ValueError, "kernel_size", "by more than stride - 1", "= 5 pixels", "2 + 2*0 = 2", "stride - 1 = 1"),
    bad("output_size", "size beyond int64", lambda: output_size(HUGE, 3), ValueError, "size", "at most 2,147,483,647"),
    bad("param_count", "zero kernel", lambda: param_count(3, 2, 0), ValueError, "kernel_size", "positive integer"),
    bad("param_count", "a zero in a 3-D kernel", lambda: param_count(3, 64, (3, 0, 3)), ValueError, "kernel_size[1]", "positive integer"),
    bad("param_count", "a 4-D kernel", lambda: param_count(3, 64, (3, 3, 3, 3)), ValueError, "kernel_size", "tuple of 1, 2 or 3 axes", "length 4"),
    bad("param_count", "float channels", lambda: param_count(3.0, 2, 3), TypeError, "in_channels", "integer"),
    bad("param_count", "groups not dividing in_channels", lambda: param_count(3, 4, 3, groups=2), ValueError, "groups", "divide", "in_channels=3"),
    bad("param_count", "groups not dividing out_channels", lambda: param_count(4, 3, 3, groups=2), ValueError, "groups", "divide", "out_channels=3"),
    bad("param_count", "bias not a bool", lambda: param_count(3, 2, 3, bias=None), TypeError, "bias", "True or False"),
    bad("transposed_output_size", "output_padding not below stride", lambda: transposed_output_size(2, 3, stride=2, output_padding=2), ValueError, "output_padding", "smaller than stride or dilation"),
    bad("transposed_output_size", "empty output", lambda: transposed_output_size(1, 1, padding=1), ValueError, "output would be empty"),
    bad("transposed_output_size", "bool kernel", lambda: transposed_output_size(2, True), TypeError, "kernel_size", "True"),
    bad("same_padding", "pair size", lambda: same_padding((5, 5), 3), TypeError, "size", "(5, 5)"),
    bad("same_padding", "zero stride", lambda: same_padding(5, 3, stride=0), ValueError, "stride", "positive integer"),
    bad("receptive_field", "not a sequence", lambda: receptive_field(3), TypeError, "layers", "sequence"),
    bad("receptive_field", "a string", lambda: receptive_field("3,1"), TypeError, "layers"),
    bad("receptive_field", "a one-number layer", lambda: receptive_field([(3,)]), TypeError, "layers[0]", "(kernel_size, stride)"),
    bad("receptive_field", "zero stride", lambda: receptive_field([(3, 1), (3, 0)]), ValueError, "layers[1] stride", "positive integer"),
    bad("receptive_field", "layers with 3 and 2 axes", lambda: receptive_field([((3, 3, 3), 1), (3, (2, 2))]), ValueError, "layers[1] stride has 2 axes", "layers[0] kernel_size has 3"),
    bad("effective_kernel_size", "zero kernel", lambda: effective_kernel_size(0), ValueError, "kernel_size", "positive integer", "got 0"),
    bad("effective_kernel_size", "float dilation", lambda: effective_kernel_size(3, 1.5), TypeError, "dilation", "integer", "1.5"),
    bad("coverage", "a pair", lambda: coverage((5, 5), 3), TypeError, "size", "one axis", "(5, 5)", "once for the rows"),
    bad("coverage", "ceil_mode not a bool", lambda: coverage(5, 3, ceil_mode=1), TypeError, "ceil_mode", "True or False"),
    bad("coverage", "kernel larger than the input", lambda: coverage(5, 7), ValueError, "kernel_size", "larger than the padded input", "5 + 2*0 = 5"),
    bad("coverage", "ceil_mode: a kernel past the padded input by more than stride - 1", lambda: coverage(1, 3, stride=2, ceil_mode=True), ValueError, "by more than stride - 1"),
    bad("coverage", "too many windows to list", lambda: coverage(10**8, 3), ValueError, "size=100000000", f"limit of {MAX_LISTED:,}"),
    bad("padding_for", "unknown target", lambda: padding_for(5, 3, output="middle"), ValueError, "output", "'same', 'valid', 'full'"),
    bad("padding_for", "target below the unpadded output", lambda: padding_for(5, 3, output=1), ValueError, "output=1", "cannot be reached by padding"),
    bad("padding_for", "valid with a kernel larger than the input", lambda: padding_for(5, 7, output="valid"), ValueError, "'valid'", "kernel no larger than the input", "7 > size = 5"),
    bad("padding_for", "zero stride", lambda: padding_for(5, 3, 0, output="same"), ValueError, "stride", "positive integer"),
    bad("stride_padding_for", "zero output", lambda: stride_padding_for(5, 3, 0), ValueError, "output", "positive integer"),
    bad("stride_padding_for", "too many candidates to try", lambda: stride_padding_for(10**9, 3, 2), ValueError, "size=1000000000", f"limit of {MAX_LISTED:,}"),
    bad("receptive_fields", "a one-number layer", lambda: receptive_fields([(3,)]), TypeError, "layers[0]", "(kernel_size, stride)"),
    bad("receptive_fields", "zero stride", lambda: receptive_fields([(3, 0)]), ValueError, "layers[0] stride", "positive integer"),
    bad("depthwise_separable_param_count", "bias not a bool", lambda: depthwise_separable_param_count(3, 2, 3, bias="yes"), TypeError, "bias", "True or False"),
    bad("depthwise_separable_param_count", "zero channels", lambda: depthwise_separable_param_count(0, 2, 3), ValueError, "in_channels", "positive integer"),
    bad("locally_connected_param_count", "zero output size", lambda: locally_connected_param_count(3, 2, 3, 0), ValueError, "out_size", "positive integer"),
    bad("locally_connected_param_count", "float kernel", lambda: locally_connected_param_count(3, 2, 3.0, 5), TypeError, "kernel_size", "integer"),
    bad("linear_param_count", "zero in_features", lambda: linear_param_count(0, 2), ValueError, "in_features", "positive integer"),
    bad("linear_param_count", "None out_features", lambda: linear_param_count(3, None), TypeError, "out_features", "None"),
    # --- arrays ----------------------------------------------------------------------------
    bad("relu", "strings", lambda: relu("abc"), TypeError, "x", "real numbers"),
    bad("relu", "infinity", lambda: relu([np.inf]), ValueError, "x", "NaN or infinity"),
    bad("relu", "None", lambda: relu(None), TypeError, "x", "None"),
    bad("relu", "empty", lambda: relu([]), ValueError, "x", "empty"),
    bad("relu", "result too large for memory", lambda: relu(VIEW), ValueError, "the result would be 1x1x40000x40000", "limit of 1 GiB"),
    bad("relu", "masked", lambda: relu(np.ma.masked_array([-1.0, 2.0], [True, False])), TypeError, "x", "masked array"),
    bad("max_pool2d", "padding above half the kernel", lambda: max_pool2d(IMAGE, 2, padding=2), ValueError, "padding", "at most half of kernel_size"),
    bad("max_pool2d", "kernel larger than the input", lambda: max_pool2d(IMAGE, 6), ValueError, "kernel_size", "larger than the padded input"),
    bad("max_pool2d", "empty x", lambda: max_pool2d(np.ones((0, 5)), 2), ValueError, "x", "empty"),
    bad("max_pool2d", "5-D x", lambda: max_pool2d(np.ones((1, 1, 1, 5, 5)), 2), ValueError, "x", "dimensions"),
    bad("max_pool2d", "zero kernel", lambda: max_pool2d(IMAGE, 0), ValueError, "kernel_size", "positive integer"),
    bad("max_pool2d", "float stride", lambda: max_pool2d(IMAGE, 2, stride=1.5), TypeError, "stride", "integer"),
    bad("max_pool2d", "ceil_mode not a bool", lambda: max_pool2d(IMAGE, 2, ceil_mode="yes"), TypeError, "ceil_mode", "True or False"),
    bad("max_pool2d", "padding above half the kernel, dilated", lambda: max_pool2d(IMAGE, 3, stride=1, padding=2, dilation=2), ValueError, "padding=2", "kernel_size=3 allows at most 3//2 = 1", "whatever the dilation"),
    bad("max_pool2d", "ceil_mode: a kernel past the padded input by more than stride - 1", lambda: max_pool2d([[3.0, 7.0]], 3, 2, ceil_mode=True), ValueError, "kernel_size[0]", "by more than stride - 1"),
    bad("max_pool2d", "masked x", lambda: max_pool2d(np.ma.masked_array(IMAGE, IMAGE == 0), 2), TypeError, "x", "masked array"),
    bad("avg_pool2d", "output too large for memory", lambda: avg_pool2d(BYTES, 1), ValueError, "the output would be 1x1x12000x12000 float64", "limit of 1 GiB"),
    bad("avg_pool2d", "masked x", lambda: avg_pool2d(np.ma.masked_array(IMAGE), 2), TypeError, "x", "masked array"),
    bad("avg_pool2d", "zero stride", lambda: avg_pool2d(IMAGE, 2, stride=0), ValueError, "stride", "positive integer"),
    bad("avg_pool2d", "NaN", lambda: avg_pool2d([[np.nan, 1.0]], 1), ValueError, "x", "NaN"),
    bad("avg_pool2d", "kernel larger than the input", lambda: avg_pool2d(IMAGE, (2, 9)), ValueError, "kernel_size[1]", "larger than the padded input"),
    bad("avg_pool2d", "bool kernel", lambda: avg_pool2d(IMAGE, True), TypeError, "kernel_size", "True"),
    bad("conv_transpose2d", "channel mismatch", lambda: conv_transpose2d(np.ones((3, 5, 5)), np.ones((2, 4, 3, 3))), ValueError, "channel mismatch", "2 input channels", "has 3"),
    bad("conv_transpose2d", "output_padding not below stride", lambda: conv_transpose2d(IMAGE, FILTER, stride=2, output_padding=2), ValueError, "output_padding", "smaller than stride"),
    bad("conv_transpose2d", "bias of the wrong length", lambda: conv_transpose2d(IMAGE, FILTER, bias=[1, 2]), ValueError, "bias", "one value per output channel"),
    bad("conv_transpose2d", "1-D weight", lambda: conv_transpose2d(IMAGE, np.ones(3)), ValueError, "weight", "dimensions"),
    bad("conv_transpose2d", "output too large for memory", lambda: conv_transpose2d(IMAGE, FILTER, stride=100_000), ValueError, "stride=(100000, 100000)", "limit of 1 GiB"),
    bad("conv_transpose2d", "output too large for memory, uint8", lambda: conv_transpose2d(BYTES, np.ones((1, 1, 1, 1), np.uint8)), ValueError, "the output would be 1x1x12000x12000 int64", "limit of 1 GiB"),
    bad("conv_transpose2d", "bias=True", lambda: conv_transpose2d(IMAGE, FILTER, True), TypeError, "bias", "True/False is not a bias"),
    bad("conv_transpose2d", "masked x", lambda: conv_transpose2d(np.ma.masked_array(IMAGE), FILTER), TypeError, "x", "masked array"),
    bad("conv_transpose2d", "an integer result beyond int64", lambda: conv_transpose2d(np.full((2, 2), 2**62), np.full((2, 2), 2)), ValueError, "integer overflow", "int64 cannot hold"),
    bad("conv_transpose2d", "groups with a 3-D weight", lambda: conv_transpose2d(np.ones((3, 4, 4)), np.ones((3, 3, 3)), groups=3), ValueError, "groups=3", "4-D weight"),
    bad("conv_transpose2d", "groups not dividing the channels", lambda: conv_transpose2d(np.ones((3, 4, 4)), np.ones((3, 1, 3, 3)), groups=2), ValueError, "groups", "divide", "3 channels"),
    # --- gradients -------------------------------------------------------------------------
    # conv2d's checks of x, weight and the sizes, word for word (the bias and overflow cases are conv2d's own)
    *[case for case in conv_cases("conv2d_grad", lambda x, w, *_, **kw: conv2d_grad(x, w, np.ones(1), **kw))
      if "bias" not in case.label and "int64" not in case.label],
    bad("conv2d_grad", "grad_output of another shape", lambda: conv2d_grad(IMAGE, FILTER, np.ones((2, 2))), ValueError, "grad_output", "shape of the layer's output, (3, 3)", "stride=1, padding=0", "got grad_output of shape (2, 2)"),
    bad("conv2d_grad", "grad_output with the axes swapped", lambda: conv2d_grad(X, W, np.ones((3, 3, 2))), ValueError, "grad_output", "(2, 3, 3)", "(3, 3, 2)"),
    bad("conv2d_grad", "NaN in grad_output", lambda: conv2d_grad(IMAGE, FILTER, np.full((3, 3), np.nan)), ValueError, "grad_output", "NaN or infinity"),
    bad("conv2d_grad", "grad_output of strings", lambda: conv2d_grad(IMAGE, FILTER, np.full((3, 3), "a")), TypeError, "grad_output", "real numbers"),
    bad("conv2d_grad", "masked grad_output", lambda: conv2d_grad(IMAGE, FILTER, np.ma.masked_array(np.ones((3, 3)))), TypeError, "grad_output", "masked array"),
    bad("conv2d_grad", "an integer gradient beyond int64", lambda: conv2d_grad(np.full((2, 2), 2**62), np.ones((1, 1), int), np.full((2, 2), 2)), ValueError, "integer overflow", "weight gradient element", "int64 cannot hold"),
    bad("max_pool2d_grad", "grad_output of another shape", lambda: max_pool2d_grad(IMAGE, np.ones((3, 3)), 2), ValueError, "grad_output", "shape of the pooling's output, (2, 2)", "got grad_output of shape (3, 3)"),
    bad("max_pool2d_grad", "padding above half the kernel", lambda: max_pool2d_grad(IMAGE, np.ones((3, 3)), 2, padding=2), ValueError, "padding", "at most half of kernel_size"),
    bad("max_pool2d_grad", "a window of padding only", lambda: max_pool2d_grad(np.ones((1, 1)), np.ones((1, 1)), 2, padding=1, dilation=2), ValueError, "reads only padding"),
    bad("max_pool2d_grad", "NaN in x", lambda: max_pool2d_grad([[np.nan, 1.0]], [[1.0, 1.0]], 1), ValueError, "x", "NaN"),
    bad("avg_pool2d_grad", "grad_output of another shape", lambda: avg_pool2d_grad(IMAGE, np.ones((2, 2)), 2, stride=1), ValueError, "grad_output", "(4, 4)"),
    bad("avg_pool2d_grad", "infinity in grad_output", lambda: avg_pool2d_grad(IMAGE, [[1, np.inf], [1, 1]], 2), ValueError, "grad_output", "NaN or infinity"),
    bad("avg_pool2d_grad", "zero kernel", lambda: avg_pool2d_grad(IMAGE, np.ones((2, 2)), 0), ValueError, "kernel_size", "positive integer"),
    bad("grad_output_padding", "kernel larger than the input", lambda: grad_output_padding(2, 3), ValueError, "kernel_size", "larger than the padded input"),
    bad("grad_output_padding", "zero stride", lambda: grad_output_padding(5, 3, stride=0), ValueError, "stride", "positive integer"),
    # --- explain ---------------------------------------------------------------------------
    bad("explain", "position outside the output", lambda: explain(IMAGE, FILTER, at=(3, 0)), ValueError, "at=(3, 0)", "outside the output", "3x3"),
    bad("explain", "negative position", lambda: explain(IMAGE, FILTER, at=(-1, 0)), ValueError, "at[0]", ">= 0"),
    bad("explain", "position not a pair", lambda: explain(IMAGE, FILTER, at=0), TypeError, "at", "(i, j) pair"),
    bad("explain", "unknown activation", lambda: explain(IMAGE, FILTER, at=(0, 0), activation="tanh"), ValueError, "activation", "'relu'"),
    bad("explain", "activation of the wrong type", lambda: explain(IMAGE, FILTER, at=(0, 0), activation=["relu"]), ValueError, "activation", "'relu'"),
    bad("explain", "bias per filter", lambda: explain(IMAGE, FILTER, bias=[1, 2], at=(0, 0)), ValueError, "bias", "0 dimensions"),
    bad("explain", "channel mismatch", lambda: explain(np.ones((2, 5, 5)), np.ones((3, 3, 3)), at=(0, 0)), ValueError, "channel mismatch"),
    bad("explain", "4-D x", lambda: explain(np.ones((1, 1, 5, 5)), FILTER, at=(0, 0)), ValueError, "x", "2 or 3 dimensions"),
    bad("explain", "bias=True", lambda: explain(IMAGE, FILTER, True, at=(0, 0)), TypeError, "bias", "True/False is not a bias"),
    bad("explain", "masked x", lambda: explain(np.ma.masked_array(IMAGE), FILTER, at=(0, 0)), TypeError, "x", "masked array"),
    bad("explain", "NaN in x", lambda: explain(np.full((3, 3), np.nan), FILTER, at=(0, 0)), ValueError, "x", "NaN or infinity"),
    bad("explain_grad", "grad_output of another shape", lambda: explain_grad(IMAGE, np.ones((2, 2)), at=(0, 0), kernel_size=3), ValueError, "grad_output", "shape of the layer's output, (3, 3)", "got grad_output of shape (2, 2)"),
    bad("explain_grad", "weight outside the filter", lambda: explain_grad(IMAGE, np.ones((3, 3)), at=(3, 0), kernel_size=3), ValueError, "at=(3, 0)", "outside the weight", "(3, 3)"),
    bad("explain_grad", "at of the wrong length", lambda: explain_grad(np.ones((2, 5, 5)), np.ones((3, 3)), at=(0, 0), kernel_size=3), TypeError, "at", "(d, m, n)"),
    bad("explain_grad", "per-filter gradients with a 2-D x", lambda: explain_grad(IMAGE, np.ones((2, 3, 3)), at=(0, 0, 0), kernel_size=3), ValueError, "grad_output", "(C, H, W)"),
    bad("explain_grad", "kernel larger than the input", lambda: explain_grad(IMAGE, np.ones((1, 1)), at=(0, 0), kernel_size=7), ValueError, "kernel_size", "larger than the padded input"),
    bad("explain_grad", "NaN in grad_output", lambda: explain_grad(IMAGE, np.full((3, 3), np.nan), at=(0, 0), kernel_size=3), ValueError, "grad_output", "NaN"),
    bad("GradExplanation", "unknown language", lambda: explain_grad(IMAGE, np.ones((3, 3)), at=(0, 0), kernel_size=3).to_markdown("fr"), ValueError, "lang", "'zh' or 'en'"),
    bad("Explanation", "unknown language", lambda: explain(IMAGE, FILTER, at=(0, 0)).to_markdown("fr"), ValueError, "lang", "'zh' or 'en'"),
    # --- networks --------------------------------------------------------------------------
    bad("Conv2d", "zero filters", lambda: Conv2d(0, 3), ValueError, "out_channels", "positive integer"),
    bad("Conv2d", "zero kernel", lambda: Conv2d(2, 0), ValueError, "kernel_size", "positive integer"),
    bad("Conv2d", "zero groups", lambda: Conv2d(2, 3, groups=0), ValueError, "groups", "positive integer"),
    bad("Conv2d", "bias not a bool", lambda: Conv2d(2, 3, bias=1), TypeError, "bias", "True or False"),
    bad("MaxPool2d", "zero kernel", lambda: MaxPool2d(0), ValueError, "kernel_size", "positive integer"),
    bad("MaxPool2d", "padding above half the kernel", lambda: MaxPool2d(2, padding=2), ValueError, "padding", "at most half", "padding must be at most half of kernel_size", "padding=2", "kernel_size=2 allows at most 2//2 = 1"),
    bad("MaxPool2d", "padding above half the kernel, dilated", lambda: MaxPool2d(3, stride=1, padding=2, dilation=2), ValueError, "padding=2", "kernel_size=3 allows at most 3//2 = 1"),
    bad("AvgPool2d", "ceil_mode not a bool", lambda: AvgPool2d(2, ceil_mode=1), TypeError, "ceil_mode", "True or False"),
    bad("AvgPool2d", "float kernel", lambda: AvgPool2d(2.5), TypeError, "kernel_size", "2.5"),
    bad("AdaptiveAvgPool2d", "zero output", lambda: AdaptiveAvgPool2d(0), ValueError, "output_size", "positive integer"),
    bad("BatchNorm2d", "zero features", lambda: BatchNorm2d(0), ValueError, "num_features", "positive integer"),
    bad("ReLU", "an argument", lambda: ReLU(1), TypeError, "argument"),
    bad("Flatten", "an argument", lambda: Flatten(1), TypeError, "argument"),
    bad("Linear", "zero features", lambda: Linear(0), ValueError, "out_features", "positive integer"),
    bad("Linear", "float features", lambda: Linear(2.0), TypeError, "out_features", "2.0"),
    bad("Conv1d", "a pair as kernel", lambda: Conv1d(8, (3, 3)), ValueError, "kernel_size", "(length,) tuple", "length 2"),
    bad("Conv1d", "zero stride", lambda: Conv1d(8, 3, stride=0), ValueError, "stride", "positive integer"),
    bad("Conv3d", "a pair as kernel", lambda: Conv3d(8, (3, 3)), ValueError, "kernel_size", "(d, h, w) triple", "length 2"),
    bad("Conv3d", "a float in the stride", lambda: Conv3d(8, 3, stride=(1, 2.0, 2)), TypeError, "stride[1]", "2.0"),
    bad("Conv3d", "groups not dividing out_channels", lambda: Conv3d(6, 3, groups=4), ValueError, "groups", "out_channels=6"),
    bad("MaxPool1d", "padding above half the kernel", lambda: MaxPool1d(3, padding=2), ValueError, "padding", "at most half", "length padding=2"),
    bad("MaxPool3d", "padding above half the kernel on one axis", lambda: MaxPool3d((1, 2, 2), padding=(1, 0, 0)), ValueError, "the depth padding[0]=1", "kernel_size[0]=1"),
    bad("AvgPool1d", "a triple", lambda: AvgPool1d((2, 2, 2)), ValueError, "kernel_size", "(length,) tuple"),
    bad("AvgPool3d", "zero kernel", lambda: AvgPool3d((2, 0, 2)), ValueError, "kernel_size[1]", "positive integer"),
    bad("AdaptiveAvgPool1d", "zero output", lambda: AdaptiveAvgPool1d(0), ValueError, "output_size", "positive integer"),
    bad("AdaptiveAvgPool3d", "a pair", lambda: AdaptiveAvgPool3d((1, 1)), ValueError, "output_size", "(d, h, w) triple"),
    bad("BatchNorm1d", "float features", lambda: BatchNorm1d(64.0), TypeError, "num_features", "64.0"),
    bad("BatchNorm3d", "zero features", lambda: BatchNorm3d(0), ValueError, "num_features", "positive integer"),
    bad("ReLU6", "an argument", lambda: ReLU6(6), TypeError, "argument"),
    bad("Dropout", "p above 1", lambda: Dropout(1.5), ValueError, "p", "probability from 0 to 1", "1.5"),
    bad("Dropout", "p as a string", lambda: Dropout("0.5"), TypeError, "p", "probability", "'0.5'"),
    bad("Dropout", "p=True", lambda: Dropout(True), TypeError, "p", "True"),
    bad("summary", "a Conv3d input without its depth", lambda: summary([Conv3d(8, 3)], (3, 32, 32)), ValueError, "input_shape", "(C, D, H, W) or (N, C, D, H, W)", "layers[0] is Conv3d", "(1, 3, 32, 32)"),
    bad("summary", "a Conv1d input of three values", lambda: summary([Conv1d(8, 3)], (1, 3, 16, 16)), ValueError, "input_shape", "(C, L) or (N, C, L)"),
    bad("summary", "a Conv3d after a Conv2d", lambda: summary([Conv2d(8, 3), Conv3d(8, 3)], (3, 32, 32)), ValueError, "layers[1]", "(C, D, H, W) feature map", "(C, H, W) one, 8x30x30", "Conv2d"),
    bad("summary", "a 3-D kernel deeper than the clip", lambda: summary([Conv3d(8, 3)], (3, 2, 32, 32)), ValueError, "layers[0]", "empty feature map", "depth:", "(2 x 32 x 32)"),
    bad("summary", "a Conv1d that expects other channels", lambda: summary([Conv1d(8, 5, in_channels=4)], (3, 20)), ValueError, "in_channels=4", "weight of size [8, 4, 5]", "input[1, 3, 20]"),
    bad("summary", "channels that do not match", lambda: summary([Conv2d(2, 3, in_channels=4)], (3, 8, 8)), ValueError, "layers[0]", "in_channels=4", "receives 3 channels"),
    bad("summary", "groups that do not divide", lambda: summary([Conv2d(4, 3, groups=2)], (3, 8, 8)), ValueError, "layers[0]", "groups=2", "must divide the 3 incoming channels"),
    bad("summary", "kernel larger than the feature map", lambda: summary([Conv2d(4, 9)], (3, 8, 8)), ValueError, "layers[0]", "empty feature map"),
    bad("summary", "Linear on a feature map", lambda: summary([Linear(4)], (3, 8, 8)), ValueError, "layers[0]", "Linear", "Flatten"),
    bad("summary", "in_features that do not match", lambda: summary([Flatten(), Linear(4, in_features=10)], (3, 8, 8)), ValueError, "layers[1]", "in_features=10", "192"),
    bad("summary", "input of rank 2", lambda: summary([Conv2d(4, 3)], (8, 8)), ValueError, "input_shape", "(C, H, W)"),
    bad("summary", "zero in the input shape", lambda: summary([Conv2d(4, 3)], (3, 0, 8)), ValueError, "input_shape[1]", "positive integer"),
    bad("summary", "input shape beyond the size limit", lambda: summary([Conv2d(6, 5)], (1, 2**31, 28)), ValueError, "input_shape[1]", "at most 2,147,483,647", "got 2147483648"),
    bad("summary", "ceil_mode pooling past the padded input by more than stride - 1", lambda: summary([MaxPool2d(5, stride=2, ceil_mode=True)], (1, 2, 2)), ValueError, "layers[0]", "by more than stride - 1 = 1 pixel"),
    bad("summary", "float in the input shape", lambda: summary([Conv2d(4, 3)], (3, 8.0, 8)), TypeError, "input_shape[1]", "8.0"),
    bad("summary", "one layer, not a list", lambda: summary(Conv2d(4, 3), (3, 8, 8)), TypeError, "layers", "list of layer specs"),
    bad("summary", "a number as a layer", lambda: summary([3], (3, 8, 8)), TypeError, "layers[0]", "layer spec"),
    bad("summary", "depth zero", lambda: summary([Conv2d(4, 3)], (3, 8, 8), depth=0), ValueError, "depth", "positive integer"),
    # --- blocks and the layers of the model zoo -----------------------------------------------
    bad("ReLU6", "an argument", lambda: ReLU6(1), TypeError, "argument"),
    bad("Dropout", "p above 1", lambda: Dropout(1.5), ValueError, "p", "from 0 to 1", "1.5"),
    bad("Dropout", "p as a string", lambda: Dropout("0.5"), TypeError, "p", "number", "'0.5'"),
    bad("Upsample", "neither size nor scale_factor", lambda: Upsample(), ValueError, "size", "scale_factor", "either"),
    bad("Upsample", "both size and scale_factor", lambda: Upsample(4, 2), ValueError, "either size or scale_factor"),
    bad("Upsample", "fractional scale_factor", lambda: Upsample(scale_factor=1.5), TypeError, "scale_factor", "1.5"),
    bad("Upsample", "unknown mode", lambda: Upsample(scale_factor=2, mode="linear"), ValueError, "mode", "'bilinear'", "'linear'"),
    bad("Upsample", "mode not a string", lambda: Upsample(scale_factor=2, mode=2), TypeError, "mode", "string"),
    bad("ConvTranspose2d", "output_padding not below the stride", lambda: ConvTranspose2d(4, 2, stride=2, output_padding=2), ValueError, "output_padding", "smaller than stride"),
    bad("ConvTranspose2d", "groups not dividing out_channels", lambda: ConvTranspose2d(3, 2, groups=2), ValueError, "groups", "out_channels=3"),
    bad("ConvTranspose2d", "channels that do not match", lambda: summary([ConvTranspose2d(4, 2, in_channels=5)], (3, 8, 8)), ValueError, "layers[0]", "in_channels=5", "receives 3 channels"),
    bad("ConvTranspose2d", "padding that empties the output", lambda: summary([ConvTranspose2d(4, 1, padding=1)], (3, 1, 1)), ValueError, "layers[0]", "empty"),
    bad("Sequential", "a list among the layers", lambda: Sequential([Conv2d(2, 3)]), TypeError, "[0]", "layer spec", "Sequential(...)"),
    bad("Sequential", "name not a string", lambda: Sequential(ReLU(), name=1), TypeError, "name", "string"),
    bad("Sequential", "a bad layer deep inside", lambda: summary([Sequential(Conv2d(4, 1), Sequential(Conv2d(4, 9)))], (3, 8, 8)), ValueError, "layers[0][1][0] Conv2d(4, 9)", "empty feature map", "layers[0][0] Conv2d(4, 1)"),
    bad("Residual", "empty body", lambda: Residual([]), ValueError, "body", "at least one layer"),
    bad("Residual", "a number in the body", lambda: Residual([Conv2d(2, 3), 3]), TypeError, "body[1]", "layer spec"),
    bad("Residual", "shortcut not a list", lambda: Residual([ReLU()], "identity"), TypeError, "shortcut", "list of layer specs"),
    bad("Residual", "activation not a layer", lambda: Residual([ReLU()], activation="relu"), TypeError, "activation", "layer spec"),
    bad("Residual", "a body that changes the channels, identity shortcut", lambda: summary([Conv2d(4, 1), Residual([Conv2d(8, 1), BatchNorm2d()])], (3, 8, 8)), ValueError, "layers[1] Residual", "the body gives (8, 8, 8)", "the identity shortcut gives (4, 8, 8)", "layers[1].body[0] Conv2d(8, 1): 4 -> 8 channels", "shortcut=[Conv2d(8, 1, bias=False), BatchNorm2d()]", "non-singleton dimension 1"),
    bad("Residual", "a strided body, identity shortcut", lambda: summary([Residual([Conv2d(3, 3, stride=2, padding=1)])], (3, 8, 8)), ValueError, "the body gives (3, 4, 4)", "floor((8 + 2*1 - 3)/2) + 1 = 4 -> 4x4", "stride=2"),
    bad("Residual", "a projection with the wrong stride", lambda: summary([Residual([Conv2d(6, 3, stride=2, padding=1)], [Conv2d(6, 1)])], (3, 8, 8)), ValueError, "projection shortcut gives (6, 8, 8)", "layers[0].body[0]", "same stride"),
    bad("Residual", "a shape error inside the body", lambda: summary([Sequential(ReLU(), Residual([ReLU(), Linear(3)]))], (3, 8, 8)), ValueError, "layers[0][1].body[1] Linear(3)", "Flatten"),
    bad("receptive_field", "a Linear among layer specs", lambda: receptive_field([Conv2d(4, 3), Flatten(), Linear(3)]), ValueError, "layers[1]", "Flatten()", "whole input"),
    bad("Concat", "no branches", lambda: Concat(), ValueError, "branches", "at least one branch"),
    bad("Concat", "a branch that is a number", lambda: Concat([ReLU()], 3), TypeError, "branches[1]", "list of layer specs"),
    bad("Concat", "a number inside a branch", lambda: Concat([ReLU()], [ReLU(), 3]), TypeError, "branches[1][1]", "layer spec"),
    bad("Concat", "branches of different sizes", lambda: summary([Concat([Conv2d(4, 1)], [Conv2d(4, 3)])], (3, 8, 8)), ValueError, "layers[0] Concat", "branches[0] gives (4, 8, 8)", "branches[1] gives (4, 6, 6)", "layers[0].branches[1][0] Conv2d(4, 3): floor((8 + 2*0 - 3)/1) + 1 = 6 -> 6x6", "Expected size 8 but got size 6 for tensor number 1"),
    bad("Concat", "a feature map and flat features", lambda: summary([Concat([], [Flatten()])], (3, 8, 8)), ValueError, "branches[0] (identity) gives (3, 8, 8)", "flat features"),
    bad("Summary", "unknown language", lambda: summary([Conv2d(4, 3)], (3, 8, 8)).to_markdown("fr"), ValueError, "lang", "'zh' or 'en'"),
    bad("Coverage", "unknown axis", lambda: coverage(10, 3, 2).to_markdown("en", axis="depth"), ValueError, "axis", "'column' or 'row'"),
    # --- glossary --------------------------------------------------------------------------
    bad("lookup_term", "unknown word", lambda: lookup_term("banana"), ValueError, "word", "'banana'", "not in the glossary"),
    bad("lookup_term", "a number", lambda: lookup_term(3), TypeError, "word", "string"),
    bad("glossary_table", "unknown language", lambda: glossary_table("fr"), ValueError, "lang", "'zh' or 'en'"),
    bad("glossary_table", "a list", lambda: glossary_table(["zh"]), ValueError, "lang", "'zh' or 'en'"),
    # --- the sizes-and-parameters chapters' functions, every error path: each case is labelled by its call
    bad("effective_kernel_size", "effective_kernel_size((3, 3, 3, 3))", lambda: effective_kernel_size((3, 3, 3, 3)), ValueError, "kernel_size", "tuple of 1, 2 or 3 axes", "length 4"),
    bad("effective_kernel_size", "effective_kernel_size((3, 3, 3), dilation=(1, 2))", lambda: effective_kernel_size((3, 3, 3), dilation=(1, 2)), ValueError, "dilation has 2 axes", "kernel_size has 3", "same number of axes"),
    bad("effective_kernel_size", "effective_kernel_size(())", lambda: effective_kernel_size(()), ValueError, "kernel_size", "tuple of 1, 2 or 3 axes", "length 0"),
    bad("coverage", "coverage(5, 3, padding=(1, 1))", lambda: coverage(5, 3, padding=(1, 1)), TypeError, "padding", "one axis"),
    bad("coverage", "coverage(5, 3, stride=0)", lambda: coverage(5, 3, stride=0), ValueError, "stride", "positive integer"),
    bad("coverage", "coverage(5, 3, padding=-1)", lambda: coverage(5, 3, padding=-1), ValueError, "padding", ">= 0"),
    bad("coverage", "coverage(5, 3, ceil_mode='yes')", lambda: coverage(5, 3, ceil_mode="yes"), TypeError, "ceil_mode", "True or False"),
    bad("Coverage", "coverage(5, 3).to_markdown('fr')", lambda: coverage(5, 3).to_markdown("fr"), ValueError, "lang", "'zh' or 'en'", "'fr'"),
    bad("Coverage", "coverage(5, 3).to_markdown('en', axis='depth')", lambda: coverage(5, 3).to_markdown("en", axis="depth"), ValueError, "axis", "'column' or 'row'"),
    bad("padding_for", "padding_for(5, 3, output='half')", lambda: padding_for(5, 3, output="half"), ValueError, "output", "'same', 'valid', 'full'", "'half'"),
    bad("padding_for", "padding_for(5, 3, output=2.5)", lambda: padding_for(5, 3, output=2.5), TypeError, "output", "output size", "2.5"),
    bad("padding_for", "padding_for(5, 3, output=True)", lambda: padding_for(5, 3, output=True), TypeError, "output", "True"),
    bad("padding_for", "padding_for(5, 3, output=None)", lambda: padding_for(5, 3, output=None), TypeError, "output", "None"),
    bad("padding_for", "padding_for(5, 3, output=0)", lambda: padding_for(5, 3, output=0), ValueError, "output", "positive integer"),
    bad("padding_for", "padding_for(5, 3, output=(5, 5, 5, 5))", lambda: padding_for(5, 3, output=(5, 5, 5, 5)), ValueError, "output", "tuple of 1, 2 or 3 axes", "length 4"),
    bad("padding_for", "padding_for((16, 112, 112), (3, 3), output='same')", lambda: padding_for((16, 112, 112), (3, 3), output="same"), ValueError, "kernel_size has 2 axes", "size has 3"),
    bad("padding_for", "padding_for((16, 112, 112), 3, output=(16, 1, 112))", lambda: padding_for((16, 112, 112), 3, output=(16, 1, 112)), ValueError, "output[1]=1", "cannot be reached"),
    bad("padding_for", "padding_for((16, 0, 112), 3, output='same')", lambda: padding_for((16, 0, 112), 3, output="same"), ValueError, "size[1]", "positive integer"),
    bad("padding_for", "padding_for(10, 3, output=2)", lambda: padding_for(10, 3, output=2), ValueError, "output=2", "cannot be reached by padding", "= 8", "stride_padding_for"),
    bad("padding_for", "padding_for((10, 5), 3, output=(2, 3))", lambda: padding_for((10, 5), 3, output=(2, 3)), ValueError, "output[0]=2", "cannot be reached"),
    bad("padding_for", "padding_for(5, 3, stride=0, output='same')", lambda: padding_for(5, 3, stride=0, output="same"), ValueError, "stride", "positive integer"),
    bad("padding_for", "padding_for(5, '3', output='same')", lambda: padding_for(5, "3", output="same"), TypeError, "kernel_size", "'3'"),
    bad("stride_padding_for", "stride_padding_for(5, 3, '3')", lambda: stride_padding_for(5, 3, "3"), TypeError, "output", "'3'"),
    bad("stride_padding_for", "stride_padding_for(5, 3, 3, dilation=0)", lambda: stride_padding_for(5, 3, 3, dilation=0), ValueError, "dilation", "positive integer"),
    bad("receptive_fields", "receptive_fields('33')", lambda: receptive_fields("33"), TypeError, "layers", "sequence"),
    bad("receptive_fields", "receptive_fields(3)", lambda: receptive_fields(3), TypeError, "layers", "sequence"),
    bad("receptive_fields", "receptive_fields([(3, 1), (3, 0)])", lambda: receptive_fields([(3, 1), (3, 0)]), ValueError, "layers[1] stride", "positive integer"),
    bad("receptive_fields", "receptive_fields([(3, 1, 0)])", lambda: receptive_fields([(3, 1, 0)]), ValueError, "layers[0] dilation", "positive integer"),
    bad("receptive_fields", "receptive_fields([((3, 3, 3), 1), ((2, 2), 2)])", lambda: receptive_fields([((3, 3, 3), 1), ((2, 2), 2)]), ValueError, "layers[1] kernel_size has 2 axes", "layers[0] kernel_size has 3"),
    bad("receptive_fields", "receptive_fields([((3, 3, 3), (1, 0, 1))])", lambda: receptive_fields([((3, 3, 3), (1, 0, 1))]), ValueError, "layers[0] stride[1]", "positive integer"),
    bad("receptive_fields", "receptive_fields([((3, 3, 3, 3), 1)])", lambda: receptive_fields([((3, 3, 3, 3), 1)]), ValueError, "layers[0] kernel_size", "length 4"),
    bad("depthwise_separable_param_count", "depthwise_separable_param_count(0, 3, 3)", lambda: depthwise_separable_param_count(0, 3, 3), ValueError, "in_channels", "positive integer"),
    bad("depthwise_separable_param_count", "depthwise_separable_param_count(3, 3, (3, 0))", lambda: depthwise_separable_param_count(3, 3, (3, 0)), ValueError, "kernel_size[1]", "positive integer"),
    bad("depthwise_separable_param_count", "depthwise_separable_param_count(3, 3, 3, bias='no')", lambda: depthwise_separable_param_count(3, 3, 3, bias="no"), TypeError, "bias", "True or False"),
    bad("locally_connected_param_count", "locally_connected_param_count(3, 96, 11, 0)", lambda: locally_connected_param_count(3, 96, 11, 0), ValueError, "out_size", "positive integer"),
    bad("locally_connected_param_count", "locally_connected_param_count(3, 96, 11, 55, bias=None)", lambda: locally_connected_param_count(3, 96, 11, 55, bias=None), TypeError, "bias", "True or False"),
    bad("linear_param_count", "linear_param_count(75.0, 18)", lambda: linear_param_count(75.0, 18), TypeError, "in_features", "75.0"),
    bad("linear_param_count", "linear_param_count(75, 0)", lambda: linear_param_count(75, 0), ValueError, "out_features", "positive integer"),
    bad("linear_param_count", "linear_param_count(75, 18, bias=1)", lambda: linear_param_count(75, 18, bias=1), TypeError, "bias", "True or False"),
    bad("max_pool2d", "max_pool2d(np.ones((5, 5)), 3, padding=2)", lambda: max_pool2d(np.ones((5, 5)), 3, padding=2), ValueError, "padding", "at most half of kernel_size", "allows at most 3//2 = 1"),
    bad("avg_pool2d", "avg_pool2d(np.ones((5, 5)), (3, 2), padding=(1, 2))", lambda: avg_pool2d(np.ones((5, 5)), (3, 2), padding=(1, 2)), ValueError, "the width padding[1]=2", "kernel_size[1]=2"),
    bad("max_pool2d", "max_pool2d(np.ones((5, 5)), 3, stride=0)", lambda: max_pool2d(np.ones((5, 5)), 3, stride=0), ValueError, "stride", "positive integer"),
    bad("avg_pool2d", "avg_pool2d(np.ones((5, 5)), 0)", lambda: avg_pool2d(np.ones((5, 5)), 0), ValueError, "kernel_size", "positive integer"),
    bad("max_pool2d", "max_pool2d(np.ones((2, 2)), 3)", lambda: max_pool2d(np.ones((2, 2)), 3), ValueError, "larger than the padded input", "x spatial size (2, 2)"),
    bad("avg_pool2d", "avg_pool2d(np.ones(5), 3)", lambda: avg_pool2d(np.ones(5), 3), ValueError, "x", "2 or 3 or 4 dimensions"),
    bad("max_pool2d", "max_pool2d(np.ones((1, 1, 1, 5, 5)), 3)", lambda: max_pool2d(np.ones((1, 1, 1, 5, 5)), 3), ValueError, "x", "dimensions"),
    bad("max_pool2d", "max_pool2d(np.ones((5, 5)), 3, ceil_mode=1)", lambda: max_pool2d(np.ones((5, 5)), 3, ceil_mode=1), TypeError, "ceil_mode", "True or False"),
    bad("avg_pool2d", "avg_pool2d(np.ones((5, 5)), 3, ceil_mode=None)", lambda: avg_pool2d(np.ones((5, 5)), 3, ceil_mode=None), TypeError, "ceil_mode", "True or False"),
    bad("max_pool2d", "max_pool2d([[np.nan]], 1)", lambda: max_pool2d([[np.nan]], 1), ValueError, "x", "NaN or infinity"),
    bad("avg_pool2d", "avg_pool2d('abc', 2)", lambda: avg_pool2d("abc", 2), TypeError, "x", "real numbers"),
    bad("max_pool2d", "max_pool2d(np.ones((1, 1)), 2, padding=1, dilation=2)", lambda: max_pool2d(np.ones((1, 1)), 2, padding=1, dilation=2), ValueError, "reads only padding", "-inf"),
    bad("max_pool2d", "max_pool2d(np.ones((5, 5)), 2, dilation=0)", lambda: max_pool2d(np.ones((5, 5)), 2, dilation=0), ValueError, "dilation", "positive integer"),
    bad("conv_transpose2d", "conv_transpose2d(np.ones((2, 3, 3)), np.ones((3, 1, 2, 2)))", lambda: conv_transpose2d(np.ones((2, 3, 3)), np.ones((3, 1, 2, 2))), ValueError, "channel mismatch", "expects 3 input channels", "has 2"),
    bad("conv_transpose2d", "conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), output_padding=1)", lambda: conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), output_padding=1), ValueError, "output_padding must be smaller than stride or dilation"),
    bad("conv_transpose2d", "conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), bias=[1, 2])", lambda: conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), bias=[1, 2]), ValueError, "bias", "one value per output channel"),
    bad("conv_transpose2d", "conv_transpose2d(np.ones((1, 1)), np.ones((1, 1)), padding=1)", lambda: conv_transpose2d(np.ones((1, 1)), np.ones((1, 1)), padding=1), ValueError, "output would be empty", "= -1"),
    bad("conv_transpose2d", "conv_transpose2d(np.ones((3, 3)), np.ones(2))", lambda: conv_transpose2d(np.ones((3, 3)), np.ones(2)), ValueError, "weight", "dimensions"),
    bad("conv_transpose2d", "conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), stride=1.0)", lambda: conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), stride=1.0), TypeError, "stride", "1.0"),
    bad("conv_transpose2d", "conv_transpose2d(None, np.ones((2, 2)))", lambda: conv_transpose2d(None, np.ones((2, 2))), TypeError, "x", "None"),
    bad("lookup_term", "lookup_term('tensor')", lambda: lookup_term("tensor"), ValueError, "word", "'tensor'", "not in the glossary"),
    bad("GlossaryEntry", "GLOSSARY[0].terms('fr')", lambda: GLOSSARY[0].terms("fr"), ValueError, "lang", "'zh' or 'en'"),
    # --- layer specs and summary's own arguments, each case labelled by its call
    bad("summary", "summary([ReLU], (3, 5, 5))", lambda: summary([ReLU], (3, 5, 5)), TypeError, "layers[0] is the class ReLU itself", "write ReLU()"),
    bad("summary", "summary([ReLU(), [ReLU()]], (3, 5, 5))", lambda: summary([ReLU(), [ReLU()]], (3, 5, 5)), TypeError, "layers[1] must be a layer spec", "join lists with +"),
    bad("summary", "summary(['relu'], (3, 5, 5))", lambda: summary(["relu"], (3, 5, 5)), TypeError, "layers[0] must be a layer spec", "'relu' (str)"),
    bad("summary", "summary('conv', (3, 5, 5))", lambda: summary("conv", (3, 5, 5)), TypeError, "layers must be a list of layer specs", "'conv' (str)"),
    bad("summary", "summary(None, (3, 5, 5))", lambda: summary(None, (3, 5, 5)), TypeError, "layers must be a list", "None"),
    bad("summary", "summary([], (28, 28))", lambda: summary([], (28, 28)), ValueError, "input_shape must be (C, H, W) or (N, C, H, W)", "(28, 28)", "(1, 28, 28)"),
    bad("summary", "summary([], (1, 2, 3, 4, 5))", lambda: summary([], (1, 2, 3, 4, 5)), ValueError, "input_shape", "5 values"),
    bad("summary", "summary([], 28)", lambda: summary([], 28), TypeError, "input_shape must be a (C, H, W)", "28 (int)"),
    bad("summary", "summary([], (3, 0, 5))", lambda: summary([], (3, 0, 5)), ValueError, "input_shape[1]", "positive integer", "got 0"),
    bad("summary", "summary([], (3, 2.0, 5))", lambda: summary([], (3, 2.0, 5)), TypeError, "input_shape[1]", "integer", "2.0"),
    bad("Conv2d", "Conv2d(8, 0)", lambda: Conv2d(8, 0), ValueError, "kernel_size", "positive integer"),
    bad("Conv2d", "Conv2d(8, 3, stride=2.5)", lambda: Conv2d(8, 3, stride=2.5), TypeError, "stride", "2.5"),
    bad("Conv2d", "Conv2d(8, 3, padding=-1)", lambda: Conv2d(8, 3, padding=-1), ValueError, "padding", ">= 0"),
    bad("Conv2d", "Conv2d(8, 3, dilation=(1, 0))", lambda: Conv2d(8, 3, dilation=(1, 0)), ValueError, "dilation[1]", "positive integer"),
    bad("Conv2d", "Conv2d(3, 3, groups=2)", lambda: Conv2d(3, 3, groups=2), ValueError, "groups must divide out_channels", "groups=2, out_channels=3"),
    bad("Conv2d", "Conv2d(4, 3, groups=2, in_channels=3)", lambda: Conv2d(4, 3, groups=2, in_channels=3), ValueError, "groups must divide in_channels", "in_channels=3"),
    bad("Conv2d", "Conv2d(4, 3, in_channels=0)", lambda: Conv2d(4, 3, in_channels=0), ValueError, "in_channels", "positive integer"),
    bad("Conv2d", "Conv2d(4, 3, bias=1)", lambda: Conv2d(4, 3, bias=1), TypeError, "bias must be True or False", "1 (int)"),
    bad("MaxPool2d", "MaxPool2d(2, padding=3, dilation=3)", lambda: MaxPool2d(2, padding=3, dilation=3), ValueError, "padding=3", "kernel_size=2 allows at most 2//2 = 1", "whatever the dilation"),
    bad("AvgPool2d", "AvgPool2d((2, 4), padding=(1, 3))", lambda: AvgPool2d((2, 4), padding=(1, 3)), ValueError, "padding[1]=3", "kernel_size[1]=4", "4//2 = 2"),
    bad("MaxPool2d", "MaxPool2d(2, stride=0)", lambda: MaxPool2d(2, stride=0), ValueError, "stride", "positive integer"),
    bad("AvgPool2d", "AvgPool2d(2, stride=1.5)", lambda: AvgPool2d(2, stride=1.5), TypeError, "stride", "1.5"),
    bad("MaxPool2d", "MaxPool2d(2, ceil_mode=1)", lambda: MaxPool2d(2, ceil_mode=1), TypeError, "ceil_mode must be True or False"),
    bad("AvgPool2d", "AvgPool2d(0)", lambda: AvgPool2d(0), ValueError, "kernel_size", "positive integer"),
    bad("AdaptiveAvgPool2d", "AdaptiveAvgPool2d((6, 0))", lambda: AdaptiveAvgPool2d((6, 0)), ValueError, "output_size[1]", "positive integer"),
    bad("AdaptiveAvgPool2d", "AdaptiveAvgPool2d((6, 6, 6))", lambda: AdaptiveAvgPool2d((6, 6, 6)), ValueError, "output_size", "(h, w) pair", "length 3"),
    bad("AdaptiveAvgPool2d", "AdaptiveAvgPool2d(None)", lambda: AdaptiveAvgPool2d(None), TypeError, "output_size", "None"),
    bad("Linear", "Linear(10, in_features=2.0)", lambda: Linear(10, in_features=2.0), TypeError, "in_features", "2.0"),
    bad("Linear", "Linear(10, bias='no')", lambda: Linear(10, bias="no"), TypeError, "bias must be True or False"),
    bad("Summary", "summary([Flatten(), Linear(3)], (1, 2, 2)).to_markdown('fr')", lambda: summary([Flatten(), Linear(3)], (1, 2, 2)).to_markdown("fr"), ValueError, "lang must be 'zh' or 'en'", "'fr'"),
]

# public names that are plain records convdoc returns; their methods that take arguments
# have entries above under the record's name (Explanation, Summary, Coverage)
RECORDS = {
    "Totals": "what Summary.totals returns",
    "Term": "a product inside an Explanation; explain builds it",
    "Padding": "what padding_for returns",
    "StridePadding": "what stride_padding_for returns",
    "LayerField": "what receptive_fields returns",
    "GlossaryEntry": "the items of GLOSSARY",
    "ConvGrad": "what conv2d_grad returns",
    "GradTerm": "a product inside a GradExplanation; explain_grad builds it",
}


def public_callables() -> list[str]:
    return [name for name in convdoc.__all__ if callable(getattr(convdoc, name))]


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: f"{c.name}: {c.label}")
def test_bad_input_is_refused_with_a_clear_message(case):
    with pytest.raises(case.exc) as info:
        case.call()
    assert type(info.value) in (TypeError, ValueError)
    for fragment in case.fragments:
        assert fragment in str(info.value), (fragment, str(info.value))


def test_every_public_callable_has_entries_in_the_catalogue():
    covered = {case.name for case in CATALOGUE}
    missing = [name for name in public_callables() if name not in covered and name not in RECORDS]
    assert not missing, f"public callables with no bad-input case (add some to CATALOGUE): {missing}"
    assert not covered - set(convdoc.__all__), f"cases for names that are not public: {covered - set(convdoc.__all__)}"


def test_the_limits_are_as_documented():
    assert MAX_SIZE == 2**31 - 1
    assert MAX_ARRAY_BYTES == 2**30
    assert MAX_LISTED == 10**6


# --- the sweep: every parameter, every kind of junk ---------------------------------------------

BASELINES: dict[str, tuple[tuple, dict]] = {
    "output_size": ((5, 3), {}),
    "param_count": ((3, 2, 3), {}),
    "transposed_output_size": ((2, 3), {}),
    "same_padding": ((5, 3), {}),
    "receptive_field": (([(3, 1)],), {}),
    "conv2d": ((X, W), {}),
    "conv2d_reference": ((X, W), {}),
    "conv2d_strategy": ((X, W), {}),
    "im2col": ((X, 3), {}),
    "conv1d": ((X1, W1), {}),
    "conv3d": ((X3, W3), {}),
    "relu": (([-1, 2],), {}),
    "explain": ((IMAGE, FILTER), {"at": (0, 0)}),
    "summary": (([Conv2d(2, 3)], (1, 3, 5, 5)), {}),
    "effective_kernel_size": ((3,), {}),
    "coverage": ((5, 3), {}),
    "padding_for": ((5, 3), {"output": 5}),
    "stride_padding_for": ((5, 3, 3), {}),
    "receptive_fields": (([(3, 1)],), {}),
    "depthwise_separable_param_count": ((3, 2, 3), {}),
    "locally_connected_param_count": ((3, 2, 3, 3), {}),
    "linear_param_count": ((3, 2), {}),
    "max_pool2d": ((IMAGE, 2), {}),
    "avg_pool2d": ((IMAGE, 2), {}),
    "conv_transpose2d": ((IMAGE, FILTER), {}),
    "conv2d_grad": ((IMAGE, FILTER, np.ones((3, 3))), {}),
    "max_pool2d_grad": ((IMAGE, np.ones((2, 2)), 2), {}),
    "avg_pool2d_grad": ((IMAGE, np.ones((2, 2)), 2), {}),
    "grad_output_padding": ((5, 3), {}),
    "explain_grad": ((IMAGE, np.ones((3, 3))), {"at": (0, 0), "kernel_size": 3}),
    "glossary_table": (("zh",), {}),
    "lookup_term": (("stride",), {}),
    "Conv2d": ((2, 3), {}),
    "MaxPool2d": ((2,), {}),
    "AvgPool2d": ((2,), {}),
    "AdaptiveAvgPool2d": ((1,), {}),
    "BatchNorm2d": ((), {}),
    "Linear": ((10,), {}),
    "ReLU": ((), {}),
    "Flatten": ((), {}),
    "Conv1d": ((2, 3), {}),
    "Conv3d": ((2, 3), {}),
    "MaxPool1d": ((2,), {}),
    "MaxPool3d": ((2,), {}),
    "AvgPool1d": ((2,), {}),
    "AvgPool3d": ((2,), {}),
    "AdaptiveAvgPool1d": ((1,), {}),
    "AdaptiveAvgPool3d": ((1,), {}),
    "BatchNorm1d": ((), {}),
    "BatchNorm3d": ((), {}),
    "ReLU6": ((), {}),
    "Dropout": ((), {}),
    "Upsample": ((), {"scale_factor": 2}),
    "ConvTranspose2d": ((2, 3), {}),
    "Sequential": ((ReLU(),), {}),
    "Residual": (([ReLU()],), {}),
    "Concat": (([ReLU()],), {}),
}
# classes whose instances are only checked when summary uses them
DEFERRED = {"Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm2d", "Linear", "Upsample", "ConvTranspose2d", "Dropout"} | {
    f"{kind}{d}d" for kind in ("Conv", "MaxPool", "AvgPool", "AdaptiveAvgPool", "BatchNorm") for d in (1, 3)
}

JUNK: dict[str, Any] = {
    "None": None,
    "str": "3",
    "float": 2.5,
    "whole float": 2.0,
    "bool": True,
    "negative": -1,
    "zero": 0,
    "huge": HUGE,
    "big": BIG,
    "empty list": [],
    "triple": (1, 2, 3),
    "nan": float("nan"),
    "object": object(),
    "empty array": np.ones((0,)),
    "5-D array": np.ones((2, 2, 2, 2, 2)),
    "dict": {"a": 1},
    "complex": 1j,
}

# (function, parameter) -> junk that is a valid argument there, and why
ACCEPTED: dict[tuple[str, str], tuple[set[str], str]] = {
    ("receptive_field", "layers"): ({"empty list", "empty array"}, "no layers: a single pixel sees itself"),
    ("receptive_fields", "layers"): ({"empty list", "empty array"}, "no layers, no rows"),
    ("summary", "layers"): ({"empty list", "empty array"}, "an empty network passes its input through"),
    ("relu", "x"): ({"float", "whole float", "bool", "triple", "5-D array"}, "any real array of any rank, scalars included"),
    **{
        (f, "bias"): ({"None", "float", "whole float"}, "no bias, or one number for every filter (True is refused)")
        for f in ("conv2d", "conv2d_reference", "conv2d_strategy", "conv_transpose2d", "conv1d", "conv3d")
    },
    ("conv3d", "weight"): ({"5-D array"}, "two 2x2x2 filters of two channels"),
    **{("conv3d", p): ({"triple"}, "three axes: (d, h, w)") for p in ("stride", "padding", "dilation")},
    ("explain", "bias"): ({"float", "whole float"}, "one number, the filter's bias (True is refused)"),
    ("explain", "activation"): ({"None"}, "no activation"),
    ("max_pool2d", "stride"): ({"None"}, "the kernel size, as PyTorch"),
    ("avg_pool2d", "stride"): ({"None"}, "the kernel size, as PyTorch"),
    ("max_pool2d_grad", "stride"): ({"None"}, "the kernel size, as PyTorch"),
    ("avg_pool2d_grad", "stride"): ({"None"}, "the kernel size, as PyTorch"),
    ("MaxPool2d", "stride"): ({"None"}, "the kernel size, as PyTorch"),
    ("AvgPool2d", "stride"): ({"None"}, "the kernel size, as PyTorch"),
    ("BatchNorm2d", "num_features"): ({"None"}, "taken from the incoming shape"),
    ("Conv2d", "in_channels"): ({"None"}, "taken from the incoming shape"),
    ("Linear", "in_features"): ({"None"}, "taken from the incoming shape"),
    **{(f"{kind}{d}d", "stride"): ({"None"} | ({"triple"} if d == 3 else set()), "the kernel size, as PyTorch (or three axes)")
       for kind in ("MaxPool", "AvgPool") for d in (1, 3)},
    **{(f"Conv{d}d", "in_channels"): ({"None"}, "taken from the incoming shape") for d in (1, 3)},
    **{(f"BatchNorm{d}d", "num_features"): ({"None"}, "taken from the incoming shape") for d in (1, 3)},
    **{
        (f"{kind}3d", p): ({"triple"}, "three axes: (d, h, w)")
        for kind, params in (
            ("Conv", ("kernel_size", "stride", "padding", "dilation")),
            ("MaxPool", ("kernel_size", "dilation")),
            ("AvgPool", ("kernel_size",)),
            ("AdaptiveAvgPool", ("output_size",)),
        )
        for p in params
    },
    ("Dropout", "p"): ({"zero"}, "p=0 keeps every value"),
    ("Upsample", "size"): ({"None"}, "scale_factor is given"),
    ("ConvTranspose2d", "in_channels"): ({"None"}, "taken from the incoming shape"),
    ("Residual", "shortcut"): ({"None", "empty list"}, "the identity shortcut"),
    ("Residual", "activation"): ({"None"}, "no activation after the sum"),
    **{(block, "name"): ({"str"}, "any string names a block") for block in ("Sequential", "Residual", "Concat")},
    ("lookup_term", "word"): (set(), ""),
    # sizes of 1, 2 or 3 axes: (1, 2, 3) is a Conv3d's size, kernel, stride...
    **{
        (f, p): ({"triple"}, "three axes, as a Conv3d's (d, h, w)")
        for f, params in (
            ("output_size", ("size", "kernel_size", "stride", "padding", "dilation")),
            ("transposed_output_size", ("size", "kernel_size", "stride", "padding", "dilation")),
            ("grad_output_padding", ("size", "kernel_size", "stride", "padding", "dilation")),
            ("effective_kernel_size", ("kernel_size", "dilation")),
            ("param_count", ("kernel_size",)),
            ("depthwise_separable_param_count", ("kernel_size",)),
            ("locally_connected_param_count", ("kernel_size", "out_size")),
            ("padding_for", ("size", "kernel_size", "stride", "dilation")),
        )
        for p in params
    },
    ("padding_for", "output"): (set(), ""),
}
# True is a valid value of every flag
FLAGS = {"ceil_mode", "bias"}
# Large integers are valid sizes for the arithmetic (exact Python ints, nothing allocated);
# where they would overflow or fill memory, the call must refuse them, which the sweep allows too.
INTEGER_OK = {"big", "huge"}
# 0 is a valid padding; any number is a valid bias or relu input
ZERO_OK = {"padding", "output_padding", "bias"}
NEGATIVE_OK = {("relu", "x"), ("explain", "bias"), ("conv2d", "bias"), ("conv2d_reference", "bias"),
               ("conv2d_strategy", "bias"), ("conv_transpose2d", "bias"), ("conv1d", "bias"), ("conv3d", "bias")}


# valid calls whose answer itself is large: computed (within the time limit), not refused
LARGE_BUT_VALID = {
    ("conv1d", "padding", "big"): "a sequence of 8 padded to 2,000,008: 2,000,006 outputs per filter",
}


# every (callable, parameter); each test gives that parameter every kind of JUNK in turn
SWEEP = [
    (name, param.name)
    for name, (args, kwargs) in BASELINES.items()
    for param in inspect.signature(getattr(convdoc, name)).parameters.values()
    if param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD)
]


def call_with(name: str, param: str, value: Any):
    fn = getattr(convdoc, name)
    args, kwargs = BASELINES[name]
    params = [p for p in inspect.signature(fn).parameters.values()]
    index = next(i for i, p in enumerate(params) if p.name == param)
    args, kwargs = list(args), dict(kwargs)
    if index < len(args) and params[index].kind != params[index].KEYWORD_ONLY:
        args[index] = value
    else:
        kwargs[param] = value
    result = fn(*args, **kwargs)
    if name in DEFERRED:  # a layer spec is checked in full when a network uses it
        shape = (1, 3, 1, 1) if name == "Linear" else (1, 3) + (8,) * (result._dims or 2)
        result = summary([result] if name != "Linear" else [Flatten(), result], shape).total_params
    return result


@pytest.fixture(scope="module")
def traced():
    tracemalloc.start()
    yield
    tracemalloc.stop()


def test_the_sweep_covers_every_public_callable():
    missing = [name for name in public_callables() if name not in BASELINES and name not in RECORDS
               and name not in ("Explanation", "Summary", "Coverage", "GradExplanation")]
    assert not missing, f"add a valid call of {missing} to BASELINES"


def junk_problem(name: str, param: str, label: str) -> str | None:
    """What is wrong with ``name(param=JUNK[label])``: None when it refuses or accepts it as it should."""
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        with time_limit(10):
            call_with(name, param, JUNK[label])
    except (TypeError, ValueError) as exc:
        # the message names the parameter (or, for summary, the layer holding the bad value)
        message = str(exc)
        if not (param in message or (name in DEFERRED and "layers[" in message)):
            return f"{name}({param}={label}): the message does not name {param!r}: {message}"
    except TookTooLong:
        return f"{name}({param}={label}) ran for more than 10 s instead of refusing"
    else:
        accepted, _reason = ACCEPTED.get((name, param), (set(), ""))
        valid_number = (
            label in INTEGER_OK
            or (label == "bool" and param in FLAGS)
            or (label == "zero" and (param in ZERO_OK or (name, param) in NEGATIVE_OK))
            or (label == "negative" and (name, param) in NEGATIVE_OK)
        )
        if not (label in accepted or valid_number):
            return f"{name}({param}={JUNK[label]!r}) returned instead of raising TypeError or ValueError"
    peak = tracemalloc.get_traced_memory()[1] - before
    if peak >= 64 * 2**20 and (name, param, label) not in LARGE_BUT_VALID:
        return f"{name}({param}={label}) allocated {peak / 2**20:.0f} MiB before answering"
    return None


@pytest.mark.parametrize("name, param", SWEEP, ids=[f"{n}({p})" for n, p in SWEEP])
def test_junk_is_refused_or_valid_never_anything_else(traced, name, param):
    """Every kind of JUNK in ``param``: refused naming it, or accepted where ACCEPTED says why."""
    problems = [problem for label in JUNK if (problem := junk_problem(name, param, label))]
    assert not problems, "\n".join(problems)
