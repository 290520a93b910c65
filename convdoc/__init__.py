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
]

__version__ = "0.1.0"
