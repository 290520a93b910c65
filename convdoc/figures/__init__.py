"""SVG diagrams of the convolution, drawn from the same arrays that ``conv2d`` and ``explain`` compute.

Every number inside a figure comes from :func:`convdoc.conv2d` (feature maps) or
:func:`convdoc.explain` (windows and products), so a figure cannot disagree with
the page around it. The SVG is plain text written here (no plotting library):

* text stays text (``<text>`` elements: selectable, searchable, translatable);
* output is deterministic: the same arguments give byte-identical SVG (ids are
  a hash of the content, coordinates have fixed formatting, nothing random or dated);
* each figure has ``role="img"``, a ``<title>`` and a ``<desc>`` (alt text, with
  the numbers) in the requested language, ``"zh"`` or ``"en"``;
* colours never carry meaning alone: the window has a dashed outline, the output
  cell being written a thick solid outline, zero padding is hatched and grey with
  its ``0`` written out, and a legend names each of them;
* strokes and text use ``currentColor``; tints are translucent and switch with
  Material's ``slate`` scheme (:data:`PALETTE`, contrast checked by the tests);
* ``width="100%"`` with a ``viewBox`` and a ``max-width`` in ``em`` (one user unit is
  1/14 em): the figure shrinks on a phone and otherwise follows the page's font size.

Figures of the article
----------------------
:func:`overview` the input, the filter and the feature map to be computed;
:func:`window` one output element: the window, the products, their sum;
:func:`feature_map` the whole feature map and how far the window moves (stride);
:func:`steps` every window position, one small frame each;
:func:`volume` a multi-channel input, several filters with biases, the output volume.

Along one axis
--------------
:func:`windows` which cells each window reads (padding, ``ceil_mode``, dilation), from :func:`convdoc.coverage`.

Training
--------
:func:`weight_gradient` one weight's gradient: the input pixels it met, the output gradients
there, their sum, and the pixels no window reads (they get no gradient).

Inside the package
------------------
``_text`` holds every string in both languages and how values are written; ``_svg`` the
canvas, its stylesheet and colours; ``_parts`` the checked inputs and the grids, headers and
legends that figures are made of. Then one module per family: ``_one_filter`` (overview,
feature_map, steps), ``_window``, ``_volume``, ``_axis`` (windows) and ``_grad`` (weight_gradient).
"""

from ._axis import MAX_AXIS, windows
from ._grad import weight_gradient
from ._one_filter import feature_map, overview, steps
from ._parts import MAX_CHANNELS, MAX_FILTERS, MAX_FRAMES, MAX_SIDE
from ._svg import PALETTE, SVG
from ._volume import volume
from ._window import window

__all__ = ["SVG", "PALETTE", "overview", "window", "feature_map", "steps", "volume", "windows", "weight_gradient"]
