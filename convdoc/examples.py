"""The pages' example data, held once: pages, figures and tests all read it from here.

Every array is read-only, so a reader who experiments cannot change what the
next example sees (copy with ``.copy()`` to play with one).

* ``IMAGE``, ``FILTER``, ``BIAS`` -- the 5x5 binary image and 3x3 filter of the
  classic example the article's pictures come from; ``a[0,0] = 4``, the stride-1
  feature map is ``STRIDE1_MAP`` and the stride-2 map ``STRIDE2_MAP``.
* ``DEMO_X``, ``DEMO_W``, ``DEMO_B`` -- the multi-channel demo: a 5x5x3 input
  (values 0..2), two 3x3x3 filters (values -1..1) with biases 1 and 0, stride 2
  and zero padding 1, giving a 3x3x2 output (``DEMO_STRIDE``, ``DEMO_PADDING``).
  A stand-in, not the article's numbers: the article's figure is a screenshot of the CS231n
  convolution demo, which draws new random values on every page load, so its numbers cannot be
  recovered. These have the demo's ranges and are drawn with
  ``numpy.random.default_rng(2)`` (``integers(0, 3, (3, 5, 5))`` then
  ``integers(-1, 2, (2, 3, 3, 3))``) and written out here so they never depend on
  a random-number stream; seed 2 is the first whose output holds exactly one -5,
  like the article's picture (``DEMO_MINUS5_AT``).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "IMAGE", "FILTER", "BIAS", "STRIDE1_MAP", "STRIDE2_MAP",
    "DEMO_X", "DEMO_W", "DEMO_B", "DEMO_STRIDE", "DEMO_PADDING", "DEMO_MINUS5_AT",
]


def _frozen(values) -> np.ndarray:
    arr = np.array(values, dtype=np.int64)
    arr.setflags(write=False)
    return arr


IMAGE = _frozen([
    [1, 1, 1, 0, 0],
    [0, 1, 1, 1, 0],
    [0, 0, 1, 1, 1],
    [0, 0, 1, 1, 0],
    [0, 1, 1, 0, 0],
])
FILTER = _frozen([
    [1, 0, 1],
    [0, 1, 0],
    [1, 0, 1],
])
BIAS = 0

# What the article's pictures show; tests check that conv2d reproduces them.
STRIDE1_MAP = _frozen([[4, 3, 4], [2, 4, 3], [2, 3, 4]])
STRIDE2_MAP = _frozen([[4, 4], [2, 4]])

DEMO_X = _frozen([
    [[2, 0, 0, 0, 1], [2, 1, 0, 1, 1], [2, 2, 2, 0, 2], [0, 1, 0, 0, 1], [0, 1, 0, 0, 2]],
    [[1, 2, 2, 2, 1], [0, 1, 2, 2, 2], [2, 1, 1, 0, 0], [0, 1, 1, 1, 2], [2, 2, 2, 2, 0]],
    [[2, 2, 0, 1, 1], [2, 2, 0, 1, 0], [2, 0, 1, 2, 1], [2, 1, 2, 1, 1], [1, 1, 1, 1, 2]],
])
DEMO_W = _frozen([
    [[[0, 0, 1], [-1, 0, 0], [1, 0, 0]],
     [[-1, 1, 0], [0, -1, 1], [0, 0, 1]],
     [[0, -1, -1], [-1, -1, 0], [-1, 0, 1]]],
    [[[0, 0, -1], [1, -1, 1], [0, 0, 1]],
     [[1, 1, 0], [-1, 1, 1], [0, 0, -1]],
     [[1, -1, 0], [-1, 1, 0], [-1, -1, -1]]],
])
DEMO_B = _frozen([1, 0])
DEMO_STRIDE = 2
DEMO_PADDING = 1
# (filter, row, column) of the demo output that equals -5.
DEMO_MINUS5_AT = (0, 2, 1)
