"""Bad input raises TypeError/ValueError whose message names the parameter and the rule."""

import numpy as np
import pytest

from convdoc import conv2d, conv2d_reference, explain, output_size, param_count, relu
from convdoc.examples import FILTER, IMAGE

X = np.ones((3, 5, 5))
W = np.ones((2, 3, 3, 3))

CASES = [
    # (call, exception, fragments the message must contain)
    (lambda f: f(IMAGE, np.ones((7, 7))), ValueError, ["kernel_size", "larger than the padded input", "5 + 2*0 = 5"]),
    (lambda f: f(IMAGE, np.ones((8, 8)), padding=1), ValueError, ["larger than the padded input", "5 + 2*1 = 7", "= 8"]),
    (lambda f: f(IMAGE, FILTER, stride=0), ValueError, ["stride", "positive integer"]),
    (lambda f: f(IMAGE, FILTER, stride=-1), ValueError, ["stride", ">= 1"]),
    (lambda f: f(IMAGE, FILTER, padding=-1), ValueError, ["padding", ">= 0"]),
    (lambda f: f(IMAGE, FILTER, dilation=0), ValueError, ["dilation", "positive integer"]),
    (lambda f: f(IMAGE, FILTER, stride=2.5), TypeError, ["stride", "integer", "2.5"]),
    (lambda f: f(IMAGE, FILTER, stride="3"), TypeError, ["stride", "integer", "'3'"]),
    (lambda f: f(IMAGE, FILTER, stride=None), TypeError, ["stride", "integer", "None"]),
    (lambda f: f(IMAGE, FILTER, stride=True), TypeError, ["stride", "integer", "True"]),
    (lambda f: f(IMAGE, FILTER, stride=(1, 2, 3)), ValueError, ["stride", "(h, w) pair"]),
    (lambda f: f(IMAGE, FILTER, padding=(1, 0.5)), TypeError, ["padding[1]", "integer"]),
    (lambda f: f(X, np.ones((2, 4, 3, 3))), ValueError, ["channel mismatch", "x", "weight", "4", "3"]),
    (lambda f: f(X, np.ones((3, 3))), ValueError, ["channel mismatch"]),
    (lambda f: f(X, np.ones((2, 1, 3, 3)), groups=2), ValueError, ["groups", "divide", "3 channels"]),
    (lambda f: f(np.ones((4, 5, 5)), np.ones((3, 2, 3, 3)), groups=2), ValueError, ["groups", "divide", "3 filters"]),
    (lambda f: f(np.ones((4, 5, 5)), np.ones((2, 1, 3, 3)), groups=2), ValueError, ["in_channels/groups", "4/2"]),
    (lambda f: f(X, W, groups=0), ValueError, ["groups", "positive integer"]),
    (lambda f: f(np.ones(5), FILTER), ValueError, ["x", "2 or 3 or 4 dimensions", "(5,)"]),
    (lambda f: f(np.ones((1, 1, 1, 5, 5)), FILTER), ValueError, ["x", "dimensions"]),
    (lambda f: f(IMAGE, np.ones(3)), ValueError, ["weight", "dimensions"]),
    (lambda f: f(np.ones((0, 5)), FILTER), ValueError, ["x", "empty"]),
    (lambda f: f(np.array([[1.0, np.nan], [0, 0]]), np.ones((1, 1))), ValueError, ["x", "NaN or infinity"]),
    (lambda f: f(IMAGE, np.full((3, 3), np.inf)), ValueError, ["weight", "NaN or infinity"]),
    (lambda f: f(np.array([["a", "b"]]), np.ones((1, 1))), TypeError, ["x", "real numbers", "dtype"]),
    (lambda f: f(IMAGE + 1j, FILTER), TypeError, ["x", "real numbers", "complex"]),
    (lambda f: f(None, FILTER), TypeError, ["x", "None"]),
    (lambda f: f([[1, 2], [3]], FILTER), ValueError, ["x", "rectangular"]),
    (lambda f: f(X, W, bias=[1.0, 2.0, 3.0]), ValueError, ["bias", "one value per filter", "2 filters"]),
    (lambda f: f(X, W, bias=[np.nan, 0.0]), ValueError, ["bias", "NaN"]),
]


@pytest.mark.parametrize("fn", [conv2d, conv2d_reference], ids=["fast", "reference"])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_conv_errors(fn, case):
    call, exc, fragments = CASES[case]
    with pytest.raises(exc) as info:
        call(fn)
    for frag in fragments:
        assert frag in str(info.value), (frag, str(info.value))


SIZE_CASES = [
    (lambda: output_size(5, 7), ValueError, ["kernel_size", "larger than the padded input"]),
    (lambda: output_size(5, 3, dilation=3), ValueError, ["dilation*(kernel_size-1)+1 = 3*(3-1)+1 = 7"]),
    (lambda: output_size(0, 3), ValueError, ["size", "positive integer", "got 0"]),
    (lambda: output_size(2.5, 3), TypeError, ["size", "2.5"]),
    (lambda: output_size("5", 3), TypeError, ["size", "'5'"]),
    (lambda: output_size(None, 3), TypeError, ["size", "None"]),
    (lambda: output_size(5, 3, stride=0), ValueError, ["stride", "positive integer"]),
    (lambda: output_size(5, 3, padding=-1), ValueError, ["padding", ">= 0"]),
    (lambda: output_size(5, 3, ceil_mode=1), TypeError, ["ceil_mode", "True or False"]),
    (lambda: output_size((5, 5, 5), 3), ValueError, ["size", "(h, w) pair", "length 3"]),
    (lambda: param_count(3, 2, 0), ValueError, ["kernel_size", "positive integer"]),
    (lambda: param_count(3.0, 2, 3), TypeError, ["in_channels", "integer"]),
    (lambda: param_count(3, 4, 3, groups=2), ValueError, ["groups", "divide", "in_channels=3"]),
    (lambda: param_count(4, 3, 3, groups=2), ValueError, ["groups", "divide", "out_channels=3"]),
    (lambda: param_count(3, 2, 3, bias=None), TypeError, ["bias", "True or False"]),
    (lambda: explain(IMAGE, FILTER, at=(3, 0)), ValueError, ["at=(3, 0)", "outside the output", "3x3"]),
    (lambda: explain(IMAGE, FILTER, at=(-1, 0)), ValueError, ["at[0]", ">= 0"]),
    (lambda: explain(IMAGE, FILTER, at=0), TypeError, ["at", "(i, j) pair"]),
    (lambda: explain(IMAGE, FILTER, at=(0, 0), activation="tanh"), ValueError, ["activation", "'relu'"]),
    (lambda: explain(IMAGE, FILTER, bias=[1, 2], at=(0, 0)), ValueError, ["bias", "0 dimensions"]),
    (lambda: explain(np.ones((2, 5, 5)), np.ones((3, 3, 3)), at=(0, 0)), ValueError, ["channel mismatch"]),
    (lambda: explain(IMAGE, FILTER, at=(0, 0)).to_markdown("fr"), ValueError, ["lang", "'zh' or 'en'"]),
    (lambda: relu("abc"), TypeError, ["x", "real numbers"]),
    (lambda: relu([np.inf]), ValueError, ["x", "NaN or infinity"]),
]


@pytest.mark.parametrize("case", range(len(SIZE_CASES)))
def test_other_errors(case):
    call, exc, fragments = SIZE_CASES[case]
    with pytest.raises(exc) as info:
        call()
    for frag in fragments:
        assert frag in str(info.value), (frag, str(info.value))
