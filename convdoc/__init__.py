"""convdoc: how the output of a convolutional layer is computed.

Sizes and parameter counts (:mod:`convdoc.sizes`), a readable and a fast
``conv2d`` (:mod:`convdoc.conv`), term-by-term explanations
(:mod:`convdoc.explain`) and the article's data (:mod:`convdoc.examples`).
Shapes follow PyTorch: (N, C, H, W); numpy is the only run-time dependency.

>>> import convdoc
>>> convdoc.output_size(5, 3, stride=2), convdoc.param_count(3, 2, 3)
(2, 56)
"""

from .conv import conv2d, conv2d_reference, relu
from .explain import Explanation, Term, explain
from .sizes import output_size, param_count, receptive_field, same_padding, transposed_output_size

# further modules add their imports below, one line each, and their names to __all__
from .conv import conv2d_strategy
from .network import AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Summary, summary
from . import figures  # SVG diagrams: convdoc.figures.window(...), used by the pages' markers
from .sizes import Coverage, LayerField, Padding, StridePadding, coverage, depthwise_separable_param_count, effective_kernel_size, linear_param_count, locally_connected_param_count, padding_for, receptive_fields, stride_padding_for
from .pooling import avg_pool2d, max_pool2d
from .transposed import conv_transpose2d
from .glossary import GLOSSARY, GlossaryEntry, glossary_table, lookup_term

__all__ = [
    "output_size",
    "param_count",
    "transposed_output_size",
    "same_padding",
    "receptive_field",
    "conv2d",
    "conv2d_reference",
    "relu",
    "explain",
    "Explanation",
    "Term",
    "conv2d_strategy",
    "Conv2d",
    "MaxPool2d",
    "AvgPool2d",
    "AdaptiveAvgPool2d",
    "BatchNorm2d",
    "ReLU",
    "Flatten",
    "Linear",
    "summary",
    "Summary",
    "effective_kernel_size",
    "coverage",
    "Coverage",
    "padding_for",
    "Padding",
    "stride_padding_for",
    "StridePadding",
    "receptive_fields",
    "LayerField",
    "depthwise_separable_param_count",
    "locally_connected_param_count",
    "linear_param_count",
    "max_pool2d",
    "avg_pool2d",
    "conv_transpose2d",
    "GLOSSARY",
    "GlossaryEntry",
    "glossary_table",
    "lookup_term",
]

__version__ = "0.1.0"
