"""The words and numbers of the figures: every string in zh and en, and how values are written."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_lang

_TEXT = {
    "zh": {
        "image": "图像 x", "input": "输入 x", "filter": "卷积核 w", "filter_k": "卷积核 W{k}",
        "map": "特征图 a", "map_k": "特征图 {k}", "window": "窗口中的 x", "products": "乘积 w·x",
        "padded": "填充 {p} 后 {h}×{w}", "bias": "偏置 w_b = {b}", "bias_k": "偏置 {b}",
        "stride": "步幅 {s}", "pad_only": "填充 {p}", "output": "输出 {shape}", "input_shape": "输入 x：{shape}", "stride_pad": "步幅 {s}，填充 {p}", "channel": "通道 d = {d}",
        "channel_short": "d = {d}",
        "leg_win": "窗口", "leg_win0": "窗口（第一个位置）", "leg_winf": "窗口与所用卷积核",
        "leg_out": "正在写入的输出", "leg_out0": "第一个位置写入的输出", "leg_pad": "零填充（补的 0）",
        "leg_dot": "窗口左上角（每个位置）",
        "sum_line": "Σ w·x = {terms} = {s}",
        "sum_ch": "Σ = {s}",
        "where": "窗口：填充后第 {r0}–{r1} 行、第 {c0}–{c1} 列",
        "where_raw": "窗口：第 {r0}–{r1} 行、第 {c0}–{c1} 列",
        "sep": "；", "comma": "，",
        # titles and descriptions (alt text)
        "t_overview": "{h}×{w} 图像与 {f1}×{f2} 卷积核，得到 {h2}×{w2} 特征图",
        "d_overview": (
            "左边是 {h}×{w} 的输入图像 x，逐行为 {x}。中间是 {f1}×{f2} 的卷积核 w，逐行为 {wt}，"
            "偏置 w_b = {b}{padtxt}。右边是 {h2}×{w2} 的特征图 a（步幅 {s}），"
            "格子里写着元素名 a₀,₀ 到 {last}，数值尚待计算。"
        ),
        "pad_desc": "；图像四周补了 {p} 圈 0（灰色斜线格），补后为 {hp}×{wp}",
        "t_window": "计算 {a}：窗口、卷积核与 {n} 个乘积",
        "d_window": (
            "输入 {shape}（{sp}）。计算特征图元素 {a} 时，窗口覆盖{where}。{chan}"
            "{sumtxt}{acttxt}，写入特征图第 {i} 行第 {j} 列。"
        ),
        "d_window_ch": "通道 {d}：窗口中的值为 {x}，与卷积核 {w} 对应相乘，得乘积 {p}，和为 {s}。",
        "d_window_2d": "窗口中的值为 {x}，与卷积核 {w} 对应相乘，得乘积 {p}。",
        "d_sum": "乘积之和为 {s}，加偏置 {b} 得 {t}",
        "d_sum_ch": "各通道之和加偏置 {b}：{expr} = {t}",
        "d_act": "，经 ReLU 得 {a} = {v}",
        "d_noact": "，即 {a} = {v}",
        "d_where": "第 {r0}–{r1} 行、第 {c0}–{c1} 列{pad}",
        "d_where_pad": "（填充后的坐标，其中 {n} 个格子落在补的 0 上）",
        "t_map": "步幅 {s} 的完整特征图（{h2}×{w2}）",
        "d_map": (
            "输入 {shape}，卷积核 {w}，偏置 {b}{padtxt}。窗口从左上角出发，每次移动 {s} 格，"
            "共 {n} 个位置（圆点标出每个位置的左上角，虚线框是第一个位置）。"
            "得到 {h2}×{w2} 的特征图，逐行为 {a}{acttxt}。"
        ),
        "d_relu": "（已经过 ReLU）",
        "t_steps": "步幅 {s} 时窗口的 {n} 个位置",
        "d_steps": "输入 {shape}，卷积核 {f1}×{f2}，步幅 {s}{padtxt}。按行依次：{frames}。",
        "d_frame": "窗口在第 {r0}–{r1} 行、第 {c0}–{c1} 列，{a} = {v}",
        "t_volume": "{c} 通道 {h}×{w} 输入（填充 {p}）、{k} 个 {f1}×{f2}×{c} 卷积核、步幅 {s}，得到 {h2}×{w2}×{k} 输出",
        "d_volume": (
            "输入 x 为 {h}×{w}×{c}，四周补 {p} 圈 0（灰色斜线格）后为 {hp}×{wp}×{c}；{xs}。"
            "{filters}。步幅 {s}，输出为 {h2}×{w2}×{k}：{outs}。{hl}"
        ),
        "d_vol_x": "通道 {d}：{v}",
        "d_vol_w": "卷积核 W{k}（偏置 {b}）：{v}",
        "d_vol_a": "特征图 {k}：{v}",
        "d_vol_hl": "高亮的是特征图 {k} 第 {i} 行第 {j} 列的 {v}：卷积核 W{k} 盖在每个通道填充后第 {r0}–{r1} 行、第 {c0}–{c1} 列的窗口上。",
        "d_no_pad": "",
    },
    "en": {
        "image": "image x", "input": "input x", "filter": "filter w", "filter_k": "filter W{k}",
        "map": "feature map a", "map_k": "feature map {k}", "window": "x in the window", "products": "products w·x",
        "padded": "padded to {h}×{w}", "bias": "bias w_b = {b}", "bias_k": "bias {b}",
        "stride": "stride {s}", "pad_only": "padding {p}", "output": "output {shape}", "input_shape": "input x: {shape}", "stride_pad": "stride {s}, padding {p}", "channel": "channel d = {d}",
        "channel_short": "d = {d}",
        "leg_win": "window", "leg_win0": "window (first position)", "leg_winf": "window and the filter in use",
        "leg_out": "output being written", "leg_out0": "output of the first position", "leg_pad": "zero padding",
        "leg_dot": "top-left corner of each window position",
        "sum_line": "Σ w·x = {terms} = {s}",
        "sum_ch": "Σ = {s}",
        "where": "window: padded rows {r0}–{r1}, columns {c0}–{c1}",
        "where_raw": "window: rows {r0}–{r1}, columns {c0}–{c1}",
        "sep": "; ", "comma": ", ",
        "t_overview": "A {h}×{w} image and a {f1}×{f2} filter give a {h2}×{w2} feature map",
        "d_overview": (
            "Left: the {h}×{w} input image x, row by row {x}. Middle: the {f1}×{f2} filter w, row by row {wt}, "
            "with bias w_b = {b}{padtxt}. Right: the {h2}×{w2} feature map a (stride {s}); its cells are "
            "labelled a₀,₀ to {last} and are still to be computed."
        ),
        "pad_desc": "; the image is surrounded by {p} ring(s) of zeros (grey hatched cells), making it {hp}×{wp}",
        "t_window": "Computing {a}: the window, the filter and the {n} products",
        "d_window": (
            "Input {shape} ({sp}). To compute the feature-map element {a}, the window covers {where}. {chan}"
            "{sumtxt}{acttxt}, written to row {i}, column {j} of the feature map."
        ),
        "d_window_ch": "Channel {d}: the window holds {x}; multiplied entry by entry with the filter {w} this gives the products {p}, which add up to {s}. ",
        "d_window_2d": "The window holds {x}; multiplied entry by entry with the filter {w} this gives the products {p}. ",
        "d_sum": "The products add up to {s}; with the bias {b} that is {t}",
        "d_sum_ch": "The channel sums plus the bias {b}: {expr} = {t}",
        "d_act": "; after ReLU, {a} = {v}",
        "d_noact": ", so {a} = {v}",
        "d_where": "rows {r0}–{r1}, columns {c0}–{c1}{pad}",
        "d_where_pad": " (coordinates after padding; {n} of its cells fall on the added zeros)",
        "t_map": "The complete feature map with stride {s} ({h2}×{w2})",
        "d_map": (
            "Input {shape}, filter {w}, bias {b}{padtxt}. The window starts in the top-left corner and moves "
            "{s} cell(s) at a time, {n} positions in all (dots mark the top-left corner of each position, the "
            "dashed box is the first one). The {h2}×{w2} feature map is, row by row, {a}{acttxt}."
        ),
        "d_relu": " (after ReLU)",
        "t_steps": "The {n} positions of the window with stride {s}",
        "d_steps": "Input {shape}, a {f1}×{f2} filter, stride {s}{padtxt}. Row by row: {frames}.",
        "d_frame": "window on rows {r0}–{r1}, columns {c0}–{c1}, {a} = {v}",
        "t_volume": "A {h}×{w}×{c} input (padding {p}) and {k} filters of {f1}×{f2}×{c}, stride {s}, give a {h2}×{w2}×{k} output",
        "d_volume": (
            "The input x is {h}×{w}×{c}; with {p} ring(s) of zeros around it (grey hatched cells) it is "
            "{hp}×{wp}×{c}. {xs}. {filters}. With stride {s} the output is {h2}×{w2}×{k}: {outs}. {hl}"
        ),
        "d_vol_x": "channel {d}: {v}",
        "d_vol_w": "filter W{k} (bias {b}): {v}",
        "d_vol_a": "feature map {k}: {v}",
        "d_vol_hl": "Highlighted: the {v} in row {i}, column {j} of feature map {k}, computed by filter W{k} over the window on padded rows {r0}–{r1}, columns {c0}–{c1} of every channel.",
        "d_no_pad": "",
    },
}

_AXIS_TEXT = {
    "zh": {
        "name": "沿一个轴：输入与窗口",
        "sub_in": "长 {n}", "sub_pad": "填充 {p}", "sub_k": "窗口大小 {k}", "sub_s": "步幅 {s}", "sub_d": "扩张率 {d}",
        "comma": "，", "semi": "；",
        "dropped": "被丢弃",
        "leg_win": "窗口读到的格子（条上是窗口编号）", "leg_gap": "扩张时跳过的格子",
        "leg_pad": "填充", "leg_past": "超出填充后的输入",
        "leg_drop": "被丢弃的窗口：起点在输入右边（PyTorch 的规则）",
        "t": "沿一个轴：长 {n} 的输入，{params}，共 {out} 个窗口",
        "t_k": "窗口大小 {k}，步幅 {s}", "t_pad": "，填充 {p}", "t_d": "，扩张率 {d}",
        "d_in": "输入沿这个轴有 {n} 格，编号 {range}{pad}。",
        "d_range": "0 到 {last}",
        "d_pad": "，两侧各补 {p} 格填充（斜线格，标 p）",
        "d_win": "窗口大小 {k}，步幅 {s}{d}{ceil}，共 {out} 个窗口：{lists}。",
        "d_dil": "，扩张率 {d}（读的格子两两相隔 {d}）",
        "d_ceil": "，ceil_mode 向上取整",
        "d_item": "窗口 {o} 读 [{cells}]", "d_sep": "；",
        "d_legend": ("p 表示填充", "– 表示超出填充后的输入", "，", "。"),
        "d_past": "最后一个窗口伸出填充后的输入 {m} 格（虚线格，标 –）；ceil_mode 下最多可以伸出 步幅 − 1 = {s1} 格。",
        "d_drop": "第 {o} 个窗口的起点是编号 {start} 的位置，已在输入右边，按 PyTorch 的规则被丢弃（图中划掉的那一条，它会读 [{cells}]）。",
        "d_all": "输入的每一格都被读到。",
        "d_none": "编号 {idx} 的格子没有被任何窗口读到。",
        "cells": ("格", "格"),
    },
    "en": {
        "name": "one axis: the input and the windows",
        "sub_in": "size {n}", "sub_pad": "padding {p}", "sub_k": "kernel {k}", "sub_s": "stride {s}", "sub_d": "dilation {d}",
        "comma": ", ", "semi": "; ",
        "dropped": "dropped",
        "leg_win": "cells a window reads (numbered bars)", "leg_gap": "skipped by dilation",
        "leg_pad": "padding", "leg_past": "past the padded input",
        "leg_drop": "dropped window: it would start right of the input (PyTorch's rule)",
        "t": "One axis: an input of size {n}, {params}: {out} {windows}",
        "t_k": "kernel {k}, stride {s}", "t_pad": ", padding {p}", "t_d": ", dilation {d}",
        "d_in": "Along this axis the input has {n} {cell}, numbered {range}{pad}. ",
        "d_range": "0 to {last}",
        "d_pad": ", with {p} {cell} of padding on each side (hatched, marked p)",
        "d_win": "Kernel {k}, stride {s}{d}{ceil}: {out} {windows}, {lists}. ",
        "d_dil": ", dilation {d} (the cells read are {d} apart)",
        "d_ceil": ", ceil_mode rounding up",
        "d_item": "window {o} reads [{cells}]", "d_sep": "; ",
        "d_legend": ("p = padding", "– = past the padded input", ", ", ". "),
        "d_past": ("The last window hangs {m} {cell} past the padded input (dashed, marked –); with "
                   "ceil_mode it may reach at most stride − 1 = {s1} {cell1} past it. "),
        "d_drop": ("Window {o} would start at cell {start}, right of the input, so it is dropped (PyTorch's rule; "
                   "the struck-out bar, which would read [{cells}]). "),
        "d_all": "Every input cell is read.",
        "d_none": "Input {cell} {idx} {verb} never read.",
        "cells": ("cell", "cells"),
    },
}

_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_MINUS = "\u2212"


def _lang(lang: Any) -> dict:
    return _TEXT[check_lang(lang)]


def _v(v: Any) -> str:
    """A value as figures print it: integers exactly, floats to 3 significant digits, a real minus sign."""
    v = v.item() if isinstance(v, np.generic) else v
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = f"{v:.3g}" if isinstance(v, float) else str(int(v))
    return s.replace("-", _MINUS)


def _signed(v: Any) -> str:
    s = _v(v)
    return f"({s})" if s.startswith(_MINUS) else s


def _a(i: int, j: int) -> str:
    return f"a{str(i).translate(_SUB)},{str(j).translate(_SUB)}"


def _rows(arr: np.ndarray, t: dict) -> str:
    return t["sep"].join(" ".join(_v(v) for v in row) for row in np.asarray(arr))


def _shape(arr: np.ndarray) -> str:
    return "×".join(str(n) for n in arr.shape[-2:]) + ("×" + str(arr.shape[0]) if arr.ndim == 3 else "")
