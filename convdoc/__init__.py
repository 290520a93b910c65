"""convdoc: how the output of a convolutional layer is computed.

Sizes and parameter counts (:mod:`convdoc.sizes`), a readable and a fast
``conv2d`` (:mod:`convdoc.conv`), ``conv1d`` and ``conv3d`` built on it
(:mod:`convdoc.convnd`), term-by-term explanations
(:mod:`convdoc.explain`) and the pages' example data (:mod:`convdoc.examples`).
Shapes follow PyTorch: (N, C, H, W); numpy is the only run-time dependency.

Each module names its public names in its ``__all__``; the package's ``__all__``
joins them, topic by topic, in the order of the API reference page.
:mod:`convdoc.examples`, :mod:`convdoc.fast` and :mod:`convdoc.figures` are used
by their module's name (``convdoc.figures.window(...)``).

>>> import convdoc
>>> convdoc.output_size(5, 3, stride=2), convdoc.param_count(3, 2, 3)
(2, 56)
"""

__version__ = "0.1.0"

from . import blocks, conv, convnd, examples, explain, fast, figures, glossary, grad, im2col, layers, network, networks, pooling, sizes, transposed

__all__ = [
    *sizes.__all__,
    *conv.__all__,
    *im2col.__all__,
    *convnd.__all__,
    *explain.__all__,
    *network.__all__,
    *layers.__all__,
    *blocks.__all__,
    *pooling.__all__,
    *transposed.__all__,
    *grad.__all__,
    *glossary.__all__,
]

# the names themselves (from here on convdoc.explain and convdoc.im2col are the functions, not their modules)
from .sizes import *  # noqa: E402
from .conv import *  # noqa: E402
from .im2col import *  # noqa: E402
from .convnd import *  # noqa: E402
from .explain import *  # noqa: E402
from .network import *  # noqa: E402
from .layers import *  # noqa: E402
from .blocks import *  # noqa: E402
from .pooling import *  # noqa: E402
from .transposed import *  # noqa: E402
from .grad import *  # noqa: E402
from .glossary import *  # noqa: E402
