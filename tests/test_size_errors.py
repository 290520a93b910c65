"""Every error path of the sizes-and-parameters chapters' functions: TypeError or ValueError
with a message that names the parameter and the rule."""

import numpy as np
import pytest

from convdoc import (
    avg_pool2d,
    conv_transpose2d,
    coverage,
    depthwise_separable_param_count,
    effective_kernel_size,
    glossary_table,
    linear_param_count,
    locally_connected_param_count,
    lookup_term,
    max_pool2d,
    padding_for,
    receptive_fields,
    stride_padding_for,
)
from convdoc.glossary import GLOSSARY, mentions

ONES = np.ones((5, 5))

CASES = [
    # (call, exception, fragments the message must contain)
    (lambda: effective_kernel_size(0), ValueError, ["kernel_size", "positive integer", "got 0"]),
    (lambda: effective_kernel_size(3, 1.5), TypeError, ["dilation", "1.5"]),
    (lambda: effective_kernel_size((3, 3, 3, 3)), ValueError, ["kernel_size", "tuple of 1, 2 or 3 axes", "length 4"]),
    (lambda: effective_kernel_size((3, 3, 3), dilation=(1, 2)), ValueError,
     ["dilation has 2 axes", "kernel_size has 3", "same number of axes"]),
    (lambda: effective_kernel_size(()), ValueError, ["kernel_size", "tuple of 1, 2 or 3 axes", "length 0"]),
    (lambda: coverage((5, 5), 3), TypeError, ["one axis", "size", "(5, 5)", "once for the rows"]),
    (lambda: coverage(5, 3, padding=(1, 1)), TypeError, ["padding", "one axis"]),
    (lambda: coverage(5, 7), ValueError, ["kernel_size", "larger than the padded input", "5 + 2*0 = 5"]),
    (lambda: coverage(5, 3, stride=0), ValueError, ["stride", "positive integer"]),
    (lambda: coverage(5, 3, padding=-1), ValueError, ["padding", ">= 0"]),
    (lambda: coverage(5, 3, ceil_mode="yes"), TypeError, ["ceil_mode", "True or False"]),
    (lambda: coverage(5, 3).to_markdown("fr"), ValueError, ["lang", "'zh' or 'en'", "'fr'"]),
    (lambda: coverage(5, 3).to_markdown("en", axis="depth"), ValueError, ["axis", "'column' or 'row'"]),
    (lambda: padding_for(5, 3, output="half"), ValueError, ["output", "'same', 'valid', 'full'", "'half'"]),
    (lambda: padding_for(5, 3, output=2.5), TypeError, ["output", "output size", "2.5"]),
    (lambda: padding_for(5, 3, output=True), TypeError, ["output", "True"]),
    (lambda: padding_for(5, 3, output=None), TypeError, ["output", "None"]),
    (lambda: padding_for(5, 3, output=0), ValueError, ["output", "positive integer"]),
    (lambda: padding_for(5, 3, output=(5, 5, 5, 5)), ValueError, ["output", "tuple of 1, 2 or 3 axes", "length 4"]),
    (lambda: padding_for((16, 112, 112), (3, 3), output="same"), ValueError,
     ["kernel_size has 2 axes", "size has 3"]),
    (lambda: padding_for((16, 112, 112), 3, output=(16, 1, 112)), ValueError, ["output[1]=1", "cannot be reached"]),
    (lambda: padding_for((16, 0, 112), 3, output="same"), ValueError, ["size[1]", "positive integer"]),
    (lambda: padding_for(5, 7, output="valid"), ValueError, ["'valid'", "7 > size = 5"]),
    (lambda: padding_for(10, 3, output=2), ValueError, ["output=2", "cannot be reached by padding", "= 8",
                                                       "stride_padding_for"]),
    (lambda: padding_for((10, 5), 3, output=(2, 3)), ValueError, ["output[0]=2", "cannot be reached"]),
    (lambda: padding_for(5, 3, stride=0, output="same"), ValueError, ["stride", "positive integer"]),
    (lambda: padding_for(5, "3", output="same"), TypeError, ["kernel_size", "'3'"]),
    (lambda: stride_padding_for(5, 3, 0), ValueError, ["output", "positive integer"]),
    (lambda: stride_padding_for(5, 3, "3"), TypeError, ["output", "'3'"]),
    (lambda: stride_padding_for(5, 3, 3, dilation=0), ValueError, ["dilation", "positive integer"]),
    (lambda: receptive_fields("33"), TypeError, ["layers", "sequence"]),
    (lambda: receptive_fields(3), TypeError, ["layers", "sequence"]),
    (lambda: receptive_fields([(3,)]), TypeError, ["layers[0]", "(kernel_size, stride)"]),
    (lambda: receptive_fields([(3, 1), (3, 0)]), ValueError, ["layers[1] stride", "positive integer"]),
    (lambda: receptive_fields([(3, 1, 0)]), ValueError, ["layers[0] dilation", "positive integer"]),
    (lambda: receptive_fields([((3, 3, 3), 1), ((2, 2), 2)]), ValueError,
     ["layers[1] kernel_size has 2 axes", "layers[0] kernel_size has 3"]),
    (lambda: receptive_fields([((3, 3, 3), (1, 0, 1))]), ValueError, ["layers[0] stride[1]", "positive integer"]),
    (lambda: receptive_fields([((3, 3, 3, 3), 1)]), ValueError, ["layers[0] kernel_size", "length 4"]),
    (lambda: depthwise_separable_param_count(0, 3, 3), ValueError, ["in_channels", "positive integer"]),
    (lambda: depthwise_separable_param_count(3, 3, (3, 0)), ValueError, ["kernel_size[1]", "positive integer"]),
    (lambda: depthwise_separable_param_count(3, 3, 3, bias="no"), TypeError, ["bias", "True or False"]),
    (lambda: locally_connected_param_count(3, 96, 11, 0), ValueError, ["out_size", "positive integer"]),
    (lambda: locally_connected_param_count(3, 96, 11, 55, bias=None), TypeError, ["bias", "True or False"]),
    (lambda: linear_param_count(75.0, 18), TypeError, ["in_features", "75.0"]),
    (lambda: linear_param_count(75, 0), ValueError, ["out_features", "positive integer"]),
    (lambda: linear_param_count(75, 18, bias=1), TypeError, ["bias", "True or False"]),
    (lambda: max_pool2d(ONES, 3, padding=2), ValueError, ["padding", "at most half of kernel_size", "allows at most 3//2 = 1"]),
    (lambda: avg_pool2d(ONES, (3, 2), padding=(1, 2)), ValueError, ["the width padding[1]=2", "kernel_size[1]=2"]),
    (lambda: max_pool2d(ONES, 3, stride=0), ValueError, ["stride", "positive integer"]),
    (lambda: avg_pool2d(ONES, 0), ValueError, ["kernel_size", "positive integer"]),
    (lambda: max_pool2d(np.ones((2, 2)), 3), ValueError, ["larger than the padded input", "x spatial size (2, 2)"]),
    (lambda: avg_pool2d(np.ones(5), 3), ValueError, ["x", "2 or 3 or 4 dimensions"]),
    (lambda: max_pool2d(np.ones((1, 1, 1, 5, 5)), 3), ValueError, ["x", "dimensions"]),
    (lambda: max_pool2d(ONES, 3, ceil_mode=1), TypeError, ["ceil_mode", "True or False"]),
    (lambda: avg_pool2d(ONES, 3, ceil_mode=None), TypeError, ["ceil_mode", "True or False"]),
    (lambda: max_pool2d([[np.nan]], 1), ValueError, ["x", "NaN or infinity"]),
    (lambda: avg_pool2d("abc", 2), TypeError, ["x", "real numbers"]),
    (lambda: max_pool2d(np.ones((1, 1)), 2, padding=1, dilation=2), ValueError,
     ["reads only padding", "-inf"]),
    (lambda: max_pool2d(ONES, 2, dilation=0), ValueError, ["dilation", "positive integer"]),
    (lambda: conv_transpose2d(np.ones((2, 3, 3)), np.ones((3, 1, 2, 2))), ValueError,
     ["channel mismatch", "expects 3 input channels", "has 2"]),
    (lambda: conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), output_padding=1), ValueError,
     ["output_padding must be smaller than stride or dilation"]),
    (lambda: conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), bias=[1, 2]), ValueError,
     ["bias", "one value per output channel"]),
    (lambda: conv_transpose2d(np.ones((1, 1)), np.ones((1, 1)), padding=1), ValueError,
     ["output would be empty", "= -1"]),
    (lambda: conv_transpose2d(np.ones((3, 3)), np.ones(2)), ValueError, ["weight", "dimensions"]),
    (lambda: conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), stride=1.0), TypeError, ["stride", "1.0"]),
    (lambda: conv_transpose2d(None, np.ones((2, 2))), TypeError, ["x", "None"]),
    (lambda: lookup_term("tensor"), ValueError, ["word", "'tensor'", "not in the glossary"]),
    (lambda: lookup_term(3), TypeError, ["word", "string"]),
    (lambda: glossary_table("fr"), ValueError, ["lang", "'zh' or 'en'"]),
    (lambda: mentions("x", "y", "de"), ValueError, ["lang", "'zh' or 'en'"]),
    (lambda: GLOSSARY[0].terms("fr"), ValueError, ["lang", "'zh' or 'en'"]),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_errors_name_the_parameter_and_the_rule(case):
    call, exc, fragments = CASES[case]
    with pytest.raises(exc) as info:
        call()
    for frag in fragments:
        assert frag in str(info.value), (frag, str(info.value))
