"""The convolution explorer's presets, computed by convdoc while the site is built.

``<!-- convdoc: explorer_presets() -->`` (hooks/convdoc_site.py puts the name in every
marker's scope) becomes the JSON that docs/javascripts/explorer.js reads from the page:
for each preset its parameters, its data and the output convdoc computes from them
(``conv2d`` or ``conv_transpose2d``), so the numbers of a preset are convdoc's, not the
browser's. The data is the article's (``convdoc.examples``), the transposed chapter's, or,
for Dumoulin & Visin's eight cases (one channel, one filter, as in their guide), small
integers drawn by ``numpy.random.default_rng`` with the seed given here.

Layouts: ``x`` is (C, H, W); ``w`` is (K, C, F, F) for a convolution and (C, K, F, F),
PyTorch's layout, for a transposed convolution; ``b`` is (K,); ``out`` is (K, H2, W2).
"""

from __future__ import annotations

import json

import numpy as np

import convdoc
from convdoc import examples as ex

# Dumoulin & Visin, "A guide to convolution arithmetic for deep learning" (2016), section 2:
# (id, input size i, kernel k, stride s, padding p, dilation d, zh title, en title)
DUMOULIN_VISIN = [
    ("dv-no-padding", 4, 3, 1, 0, 1, "无填充、步幅 1", "no padding, unit strides"),
    ("dv-padding", 5, 4, 1, 2, 1, "任意填充、步幅 1", "arbitrary padding, unit strides"),
    ("dv-same", 5, 3, 1, 1, 1, "半填充（same）", "half (same) padding"),
    ("dv-full", 5, 3, 1, 2, 1, "全填充（full）", "full padding"),
    ("dv-stride", 5, 3, 2, 0, 1, "无填充、步幅 2", "no padding, non-unit strides"),
    ("dv-padding-stride", 5, 3, 2, 1, 1, "填充 + 步幅（整除）", "padding, non-unit strides"),
    ("dv-padding-stride-odd", 6, 3, 2, 1, 1, "填充 + 步幅（除不尽）", "padding, non-unit strides (odd)"),
    ("dv-dilation", 7, 3, 1, 0, 2, "扩张率 2", "dilation 2"),
]


def _as_lists(a) -> list:
    return np.asarray(a).tolist()


def _conv(pid, zh, en, x, w, b, stride, padding, dilation=1) -> dict:
    x = np.asarray(x).reshape((-1,) + np.shape(x)[-2:])
    w = np.asarray(w)
    w = w.reshape((-1, x.shape[0]) + w.shape[-2:])
    b = np.asarray(b).reshape(-1)
    out = convdoc.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation)
    k, c, f, _ = w.shape
    params = dict(h=x.shape[1], w=x.shape[2], c=c, k=k, f=f, s=stride, p=padding, d=dilation, op=0)
    return dict(id=pid, title=dict(zh=zh, en=en), mode="conv", params=params,
                x=_as_lists(x), w=_as_lists(w), b=_as_lists(b), out=_as_lists(out))


def _transposed(pid, zh, en, x, w, b, stride, padding=0, output_padding=0, dilation=1) -> dict:
    x = np.asarray(x).reshape((-1,) + np.shape(x)[-2:])
    w = np.asarray(w)
    w = w.reshape((x.shape[0], -1) + w.shape[-2:])
    b = np.asarray(b).reshape(-1)
    out = convdoc.conv_transpose2d(x, w, b, stride=stride, padding=padding,
                                   output_padding=output_padding, dilation=dilation)
    c, k, f, _ = w.shape
    params = dict(h=x.shape[1], w=x.shape[2], c=c, k=k, f=f, s=stride, p=padding, d=dilation, op=output_padding)
    return dict(id=pid, title=dict(zh=zh, en=en), mode="transposed", params=params,
                x=_as_lists(x), w=_as_lists(w), b=_as_lists(b), out=_as_lists(out))


def presets() -> list[dict]:
    """Every preset, in the order of the page's list."""
    out = [
        _conv("image", "原文的 5×5 图像与 101/010/101 卷积核", "The article's 5×5 image, filter 101/010/101",
              ex.IMAGE, ex.FILTER, ex.BIAS, 1, 0),
        _conv("image-stride2", "同一图像，步幅 2", "The same image, stride 2", ex.IMAGE, ex.FILTER, ex.BIAS, 2, 0),
        _conv("demo", "原文的动画：5×5×3 输入、两个卷积核（−5 在这里）",
              "The article's demo: 5×5×3 input, two filters (where the −5 is)",
              ex.DEMO_X, ex.DEMO_W, ex.DEMO_B, ex.DEMO_STRIDE, ex.DEMO_PADDING),
    ]
    for seed, (pid, i, k, s, p, d, zh, en) in enumerate(DUMOULIN_VISIN, start=1):
        rng = np.random.default_rng(seed)
        x = rng.integers(0, 3, (1, i, i))
        w = rng.integers(-1, 2, (1, 1, k, k))
        out.append(_conv(pid, f"Dumoulin & Visin：{zh}", f"Dumoulin & Visin: {en}", x, w, 0, s, p, d))
    out += [
        _transposed("t-stamp", "转置卷积：2×2 输入、步幅 2（转置卷积一章）",
                    "Transposed: 2×2 input, stride 2 (transposed chapter)",
                    [[1, 2], [3, 4]], [[1, 2], [3, 4]], 0, stride=2),
        _transposed("t-ones", "转置卷积：步幅 1、全 1 卷积核", "Transposed: stride 1, a filter of ones",
                    [[1, 2], [3, 4]], np.ones((2, 2), dtype=int), 0, stride=1),
        _transposed("t-back", "转置卷积：3 变回 6（步幅 2、填充 1、output_padding 1）",
                    "Transposed: 3 back to 6 (stride 2, padding 1, output_padding 1)",
                    np.arange(9).reshape(3, 3) % 3, ex.FILTER, 0, stride=2, padding=1, output_padding=1),
    ]
    return out


def explorer_presets() -> str:
    """The presets as JSON for a ``<script type="application/json">`` element."""
    text = json.dumps(presets(), ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/")
