"""Whole networks: published totals (checked by hand arithmetic below), shapes, tables, errors."""

import math
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from convdoc import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    ReLU,
    Summary,
    summary,
)
from convdoc import Dropout
from convdoc import networks as zoo
from convdoc.network import Row

# --- the classic networks, layer for layer as their reference implementations build them -------


def lenet5():
    """LeNet-5 with a full C3 (every C3 map sees all 6 S2 maps) and a Linear output layer."""
    return [
        Conv2d(6, 5), ReLU(), MaxPool2d(2),
        Conv2d(16, 5), ReLU(), MaxPool2d(2),
        Flatten(), Linear(120), ReLU(), Linear(84), ReLU(), Linear(10),
    ]


def without_dropout(layers):
    return [layer for layer in layers if not isinstance(layer, Dropout)]


def alexnet_torchvision():
    """torchvision.models.alexnet (the "One weird trick" layout), from the zoo; Dropout left out (no parameters)."""
    return without_dropout(zoo.alexnet())


def alexnet_2012(in_features=None):
    """Krizhevsky et al. 2012: 96-256-384-384-256 filters, conv2/4/5 split over two GPUs (groups=2)."""
    return [
        Conv2d(96, 11, stride=4), ReLU(), MaxPool2d(3, stride=2),
        Conv2d(256, 5, padding=2, groups=2), ReLU(), MaxPool2d(3, stride=2),
        Conv2d(384, 3, padding=1), ReLU(),
        Conv2d(384, 3, padding=1, groups=2), ReLU(),
        Conv2d(256, 3, padding=1, groups=2), ReLU(), MaxPool2d(3, stride=2),
        Flatten(), Linear(4096, in_features=in_features), ReLU(), Linear(4096), ReLU(), Linear(1000),
    ]


def vgg16(batch_norm=False):
    """torchvision.models.vgg16 (configuration D): make_layers(cfg["D"]) + avgpool + classifier, from the zoo."""
    return without_dropout(zoo.vgg16(batch_norm=batch_norm))


def params_of(s, kind):
    return [r.params for r in s.rows if type(r.layer) is kind]


# --- published totals ---------------------------------------------------------------------------


def test_lenet5_total():
    s = summary(lenet5(), (1, 32, 32))
    # C1  6 filters 5x5x1:   6*1*5*5 + 6    =    156   -> 6x28x28 (32-5+1), pool -> 6x14x14
    # C3 16 filters 5x5x6:  16*6*5*5 + 16   =  2,416   -> 16x10x10 (14-5+1), pool -> 16x5x5
    # C5 400 -> 120:        400*120 + 120   = 48,120   (16*5*5 = 400 features)
    # F6 120 -> 84:         120*84 + 84     = 10,164
    # out 84 -> 10:         84*10 + 10      =    850
    # 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706
    assert params_of(s, Conv2d) == [156, 2416]
    assert params_of(s, Linear) == [48120, 10164, 850]
    assert s.rows[6].output_shape == (400,)
    assert s.total_params == 61_706


def test_lenet5_as_the_1998_paper_counts():
    # The paper's C3 connects each of its 16 maps to only some S2 maps: 6 maps see 3, 6 see 4,
    # 3 see 4 others and 1 sees all 6: 6*3 + 6*4 + 3*4 + 1*6 = 60 input maps in all, so
    # 60*25 + 16 = 1,516 parameters instead of 2,416. S2 and S4 have a trainable coefficient and a
    # bias per map (6*2 = 12, 16*2 = 32), and the RBF output layer is fixed, not trained:
    # 156 + 12 + 1,516 + 32 + 48,120 + 10,164 = 60,000, the paper's figure.
    s = summary(lenet5(), (1, 32, 32))
    c3_partial = (6 * 3 + 6 * 4 + 3 * 4 + 1 * 6) * 5 * 5 + 16
    assert c3_partial == 1516
    paper = s.total_params - params_of(s, Conv2d)[1] + c3_partial - params_of(s, Linear)[2] + 12 + 32
    assert paper == 60_000


def test_alexnet_torchvision_total_and_shapes():
    s = summary(alexnet_torchvision(), (3, 224, 224))
    # conv1  64*3*11*11 + 64    =     23,296   floor((224 + 4 - 11)/4) + 1 = 55, pool -> 27
    # conv2 192*64*5*5 + 192    =    307,392   27 -> 27, pool -> 13
    # conv3 384*192*3*3 + 384   =    663,936
    # conv4 256*384*3*3 + 256   =    884,992
    # conv5 256*256*3*3 + 256   =    590,080   13 -> 13, pool -> 6
    #                    convs  =  2,469,696
    # fc6  9216*4096 + 4096     = 37,752,832   (256*6*6 = 9216 features)
    # fc7  4096*4096 + 4096     = 16,781,312
    # fc8  4096*1000 + 1000     =  4,097,000
    #                    fcs    = 58,631,144
    # 2,469,696 + 58,631,144 = 61,100,840 (torchvision's AlexNet_Weights num_params)
    assert params_of(s, Conv2d) == [23296, 307392, 663936, 884992, 590080]
    assert sum(params_of(s, Conv2d)) == 2_469_696
    assert params_of(s, Linear) == [37752832, 16781312, 4097000]
    assert sum(params_of(s, Linear)) == 58_631_144
    assert s.total_params == 61_100_840
    sizes = [r.output_shape[-1] for r in s.rows if r.arithmetic and not isinstance(r.layer, Linear)]
    assert sizes == [55, 27, 27, 13, 13, 13, 13, 6, 6, 9216]
    # MACs: 55*55*64*363 + 27*27*192*1600 + 13*13*(384*1728 + 256*3456 + 256*2304) + 58,621,952
    #     = 70,276,800 + 223,948,800 + 361,340,928 + 58,621,952 = 714,188,480 (torchvision: 0.714 GFLOPS)
    assert s.total_macs == 714_188_480


def test_alexnet_2012_needs_227():
    # with 227 the first layer gives floor((227 - 11)/4) + 1 = 55 exactly, as the paper's figure shows
    s = summary(alexnet_2012(in_features=9216), (3, 227, 227))
    # conv1  96*3*11*11 + 96      =     34,944
    # conv2 256*48*5*5 + 256      =    307,456  (groups=2: each filter sees 96/2 = 48 maps)
    # conv3 384*256*3*3 + 384     =    885,120
    # conv4 384*192*3*3 + 384     =    663,936
    # conv5 256*192*3*3 + 256     =    442,624
    # convs 2,334,080 + the same FC layers 58,631,144 = 60,965,224 ("60 million parameters")
    assert params_of(s, Conv2d) == [34944, 307456, 885120, 663936, 442624]
    assert s.total_params == 60_965_224
    # with the paper's 224 and no padding the features no longer fit fc6
    with pytest.raises(ValueError, match=r"256\*5\*5 = 6400"):
        summary(alexnet_2012(in_features=9216), (3, 224, 224))


def test_alexnet_torchvision_minimum_input_is_63():
    # torchvision's AlexNet_Weights: min_size (63, 63); 63 -> 15 -> 7 -> 3 -> 1, adaptive pool -> 6x6
    s = summary(alexnet_torchvision(), (3, 63, 63))
    assert s.rows[12].output_shape == (256, 1, 1)
    assert s.rows[14].output_shape == (9216,)
    assert s.total_params == 61_100_840  # the input size changes no parameter
    with pytest.raises(ValueError, match=r"layers\[12\] MaxPool2d\(3, stride=2\) would produce an empty"):
        summary(alexnet_torchvision(), (3, 62, 62))


def test_vgg16_total():
    s = summary(vgg16(), (3, 224, 224))
    # 3x3 convs, padding 1 (size kept), each k*c*9 + k:
    #   64*3*9+64 = 1,792; 64*64*9+64 = 36,928; 128*64*9+128 = 73,856; 128*128*9+128 = 147,584;
    #   256*128*9+256 = 295,168; 256*256*9+256 = 590,080 (x2); 512*256*9+512 = 1,180,160;
    #   512*512*9+512 = 2,359,808 (x5)
    #   sum: 1,792 + 36,928 + 73,856 + 147,584 + 295,168 + 2*590,080 + 1,180,160 + 5*2,359,808
    #      = 14,714,688
    # FC: 25088*4096+4096 = 102,764,544 (512*7*7 = 25,088); 16,781,312; 4,097,000 -> 123,642,856
    # 14,714,688 + 123,642,856 = 138,357,544 (torchvision's VGG16_Weights num_params)
    assert params_of(s, Conv2d) == [1792, 36928, 73856, 147584, 295168, 590080, 590080,
                                    1180160, 2359808, 2359808, 2359808, 2359808, 2359808]
    assert sum(params_of(s, Conv2d)) == 14_714_688
    assert sum(params_of(s, Linear)) == 123_642_856
    assert s.total_params == 138_357_544
    # MACs: 224^2*(1,728 + 36,864) + 112^2*(73,728 + 147,456) + 56^2*(294,912 + 2*589,824)
    #       + 28^2*(1,179,648 + 2*2,359,296) + 14^2*3*2,359,296 + 123,633,664 = 15,470,264,320
    #       (torchvision: 15.47 GFLOPS)
    assert s.total_macs == 15_470_264_320


def test_vgg16_bn_adds_two_parameters_per_channel():
    # 13 BatchNorm2d layers over 2*(64+64+128+128+256*3+512*3+512*3) = 2*4,224 = 8,448 parameters
    assert summary(vgg16(batch_norm=True), (3, 224, 224)).total_params == 138_357_544 + 8_448 == 138_365_992


def test_vgg16_configuration_c_has_1x1_convs():
    # the paper's other 16-layer network (C): the last conv of blocks 3, 4, 5 is 1x1:
    # 256*256 + 256 = 65,792 instead of 590,080; 512*512 + 512 = 262,656 instead of 2,359,808 (x2)
    layers = vgg16()
    for i in (14, 21, 28):
        assert layers[i] == Conv2d(layers[i].out_channels, 3, padding=1)
        layers[i] = Conv2d(layers[i].out_channels, 1)
    total = summary(layers, (3, 224, 224)).total_params
    assert total == 138_357_544 - (590_080 - 65_792) - 2 * (2_359_808 - 262_656) == 133_638_952


# --- shapes, batches, tables ---------------------------------------------------------------------


def test_batch_axis_is_kept_and_macs_scale():
    one = summary(lenet5(), (1, 32, 32))
    eight = summary(lenet5(), (8, 1, 32, 32))
    assert eight.input_shape == (8, 1, 32, 32)
    assert [r.output_shape for r in eight.rows] == [(8, *r.output_shape) for r in one.rows]
    assert eight.output_shape == (8, 10)
    assert eight.total_params == one.total_params
    assert eight.total_macs == 8 * one.total_macs == 8 * 416_520


def test_rows_are_plain_python_ints_and_tuples():
    s = summary(lenet5(), (1, 32, 32))
    assert isinstance(s, Summary) and isinstance(s.rows, tuple) and isinstance(s.rows[0], Row)
    for r in s.rows:
        assert type(r.params) is int and type(r.macs) is int
        assert all(type(n) is int for n in r.output_shape)
    assert type(s.total_params) is int
    # MACs of LeNet-5: 28*28*6*25 + 10*10*16*150 + 400*120 + 120*84 + 84*10 = 416,520
    assert s.total_macs == 117_600 + 240_000 + 48_000 + 10_080 + 840


def test_input_shape_may_be_a_list_and_layers_any_iterable():
    s = summary(iter([Conv2d(2, 3), Flatten()]), [1, 5, 5])
    assert s.input_shape == (1, 5, 5) and s.output_shape == (18,)


def test_empty_network_is_the_input():
    s = summary([], (3, 4, 5))
    assert s.rows == () and s.output_shape == (3, 4, 5) and s.total_params == 0


def test_adaptive_pool_none_keeps_an_axis():
    assert summary([AdaptiveAvgPool2d((None, 2))], (3, 5, 7)).output_shape == (3, 5, 2)
    assert summary([AdaptiveAvgPool2d(4)], (3, 2, 2)).output_shape == (3, 4, 4)  # may enlarge


def test_grouped_and_depthwise_conv():
    s = summary([Conv2d(32, 3, padding=1, groups=32), Conv2d(64, 1)], (32, 8, 8))
    assert [r.params for r in s.rows] == [32 * 9 + 32, 64 * 32 + 64]
    assert [r.macs for r in s.rows] == [8 * 8 * 32 * 9, 8 * 8 * 64 * 32]


def test_batchnorm_counts_two_per_channel_and_checks():
    s = summary([Conv2d(16, 3), BatchNorm2d(16), ReLU()], (3, 8, 8))
    assert [r.params for r in s.rows] == [16 * 27 + 16, 32, 0]


def test_str_table():
    text = str(summary(lenet5(), (1, 32, 32)))
    lines = text.splitlines()
    assert lines[0].split() == ["#", "layer", "output", "shape", "params", "MACs"]
    assert lines[2].split() == ["input", "(1,", "32,", "32)"]
    assert lines[3].split() == ["0", "Conv2d(6,", "5)", "(6,", "28,", "28)", "156", "117,600"]
    assert lines[-1].split() == ["total", "61,706", "416,520"]
    assert len({len(line) for line in lines if set(line) <= {"-", " "}}) == 1  # rules align


def test_repr():
    s = summary(lenet5(), (1, 32, 32))
    assert repr(s) == "<Summary of 12 layers: (1, 32, 32) -> (10,), 61,706 parameters>"


def test_markdown_in_both_languages():
    s = summary(alexnet_torchvision(), (3, 224, 224))
    en, zh = s.to_markdown("en"), s.to_markdown("zh")
    assert en.splitlines()[0] == "| # | layer | output shape | params | MACs | size arithmetic |"
    assert zh.splitlines()[0].startswith("| 序号 | 层 | 输出形状 | 参数量 |")
    assert "| 0 | `Conv2d(64, 11, stride=4, padding=2)` | (64, 55, 55) | 23,296 | 70,276,800 | `floor((224 + 2*2 - 11)/4) + 1 = 55` |" in en
    assert "| 14 | `Flatten()` | (9216,) | 0 | 0 | `256*6*6 = 9216` |" in en
    assert "`in_features = 9216`" in en
    assert en.splitlines()[-1] == "|  | **total** |  | **61,100,840** | **714,188,480** |  |"
    assert zh.splitlines()[-1] == "|  | **合计** |  | **61,100,840** | **714,188,480** |  |"
    assert zh.count("\n") == en.count("\n") == len(s.rows) + 3


@pytest.mark.parametrize(
    "layer",
    [
        Conv2d(64, 11, stride=4, padding=2),
        Conv2d(8, (3, 5), stride=(1, 2), padding=(1, 2), dilation=2, groups=2, bias=False, in_channels=4),
        MaxPool2d(3, stride=2, padding=1, dilation=1, ceil_mode=True),
        AvgPool2d((2, 4), stride=(2, 1)),
        AdaptiveAvgPool2d((None, 7)),
        BatchNorm2d(64),
        BatchNorm2d(),
        ReLU(),
        Flatten(),
        Linear(10, bias=False, in_features=84),
    ],
    ids=repr,
)
def test_repr_of_a_layer_is_its_constructor(layer):
    assert eval(repr(layer)) == layer


def test_lists_become_tuples():
    assert Conv2d(4, [3, 5]).kernel_size == (3, 5)
    assert Conv2d(4, [3, 5]) == Conv2d(4, (3, 5))


# --- the arithmetic shown is the arithmetic done --------------------------------------------------


def pytorch_pool_size(n, k, s, p, d, ceil_mode):
    """aten/src/ATen/native/Pool.h pooling_output_shape_pad_lr, transcribed."""
    out = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def shown(arithmetic):
    """Evaluate the 'formula = result' text of a row; returns [(value of formula, printed result)]."""
    parts = arithmetic.split("; ") if arithmetic.startswith("H: ") else [arithmetic]
    results = []
    for part in parts:
        part = re.sub(r"^[HW]: ", "", part).split(" (")[0]
        expr, printed = part.rsplit(" = ", 1)
        results.append((eval(expr, {"floor": math.floor, "ceil": math.ceil}), int(printed)))
    return results


@given(
    n=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 4), p=st.integers(0, 3),
    d=st.integers(1, 3), ceil_mode=st.booleans(),
)
def test_pool_sizes_follow_pytorch(n, k, s, p, d, ceil_mode):
    assume(p <= k // 2 and pytorch_pool_size(n, k, s, p, d, ceil_mode) >= 1)  # PyTorch's two checks
    row = summary([MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil_mode)], (2, n, n)).rows[0]
    expected = pytorch_pool_size(n, k, s, p, d, ceil_mode)
    assert row.output_shape == (2, expected, expected)
    assert shown(row.arithmetic) == [(expected, expected)]


@given(
    h=st.integers(1, 40), w=st.integers(1, 40), kh=st.integers(1, 6), kw=st.integers(1, 6),
    s=st.integers(1, 4), p=st.integers(0, 3), d=st.integers(1, 3),
)
def test_conv_sizes_and_their_arithmetic(h, w, kh, kw, s, p, d):
    assume(d * (kh - 1) + 1 <= h + 2 * p and d * (kw - 1) + 1 <= w + 2 * p)
    row = summary([Conv2d(4, (kh, kw), stride=s, padding=p, dilation=d)], (3, h, w)).rows[0]
    h2 = (h + 2 * p - d * (kh - 1) - 1) // s + 1
    w2 = (w + 2 * p - d * (kw - 1) - 1) // s + 1
    assert row.output_shape == (4, h2, w2)
    assert row.params == 4 * 3 * kh * kw + 4
    assert row.macs == 4 * 3 * kh * kw * h2 * w2
    values = shown(row.arithmetic)
    assert values == ([(h2, h2)] if len(values) == 1 else [(h2, h2), (w2, w2)])


def test_ceil_mode_arithmetic_says_when_a_window_is_dropped():
    row = summary([MaxPool2d(3, stride=3, padding=1, ceil_mode=True)], (1, 8, 8)).rows[0]
    # ceil((8 + 2 - 3)/3) + 1 = 4, but the 4th window would start at 9 >= 8 + 1: dropped
    assert row.arithmetic == "ceil((8 + 2*1 - 3)/3) + 1 - 1 = 3 (the last window would start in the padding)"
    assert row.output_shape == (1, 3, 3)


def test_dilated_formula():
    row = summary([Conv2d(1, 3, dilation=2)], (1, 7, 7)).rows[0]
    assert row.arithmetic == "floor((7 + 2*0 - 2*(3-1) - 1)/1) + 1 = 3"


# --- errors: each names the layer, what it expected, what arrived, and the arithmetic -----------

ERRORS = [
    # (layers, input_shape, fragments of the ValueError message)
    pytest.param(
        alexnet_2012(in_features=9216), (3, 224, 224),
        ["layers[14] Linear(4096, in_features=9216) expects in_features=9216",
         "but receives 6400 features.",
         "How input_shape (3, 224, 224) became (6400,):",
         "layers[0] Conv2d(96, 11, stride=4): floor((224 + 2*0 - 11)/4) + 1 = 54 -> (96, 54, 54)",
         "layers[12] MaxPool2d(3, stride=2): floor((12 + 2*0 - 3)/2) + 1 = 5 -> (256, 5, 5)",
         "layers[13] Flatten(): 256*5*5 = 6400 -> (6400,)",
         "Write Linear(4096, in_features=6400)",
         '"mat1 and mat2 shapes cannot be multiplied (1x6400 and 9216x4096)"'],
        id="linear-in-features",
    ),
    pytest.param(
        [Conv2d(8, 3), Flatten(), Linear(10, in_features=100)], (2, 3, 7, 7),
        ["layers[2] Linear(10, in_features=100) expects in_features=100",
         "(2, 200)", "8*5*5 = 200", "(2x200 and 100x10)"],
        id="linear-in-features-batched",
    ),
    pytest.param(
        alexnet_2012(in_features=9216)[:13] + [Linear(4096, in_features=9216)], (3, 227, 227),
        ["layers[13] Linear(4096, in_features=9216) receives a 256x6x6 feature map, but a Linear layer needs flat",
         "the last axis, of size 6, only",
         "Add Flatten() before it: Flatten turns the 256x6x6 feature map into 256*6*6 = 9216 features.",
         "layers[12] MaxPool2d(3, stride=2): floor((13 + 2*0 - 3)/2) + 1 = 6 -> (256, 6, 6)",
         # PyTorch multiplies the last axis: mat1 is (1*256*6) x 6
         "(1536x6 and 9216x4096)"],
        id="linear-without-flatten",
    ),
    pytest.param(
        [Conv2d(16, 3), Linear(10)], (8, 3, 10, 10),
        ["layers[1] Linear(10) receives a 16x8x8 feature map", "(8, 16, 8, 8)", "Add Flatten()", "16*8*8 = 1024"],
        id="linear-without-flatten-no-check",
    ),
    pytest.param(
        [Conv2d(8, 3), Conv2d(8, 3, in_channels=4)], (3, 8, 8),
        ["layers[1] Conv2d(8, 3, in_channels=4) expects in_channels=4",
         "but receives 8 channels.",
         "layers[0] Conv2d(8, 3): floor((8 + 2*0 - 3)/1) + 1 = 6 -> (8, 6, 6)",
         "Write in_channels=8",
         '"Given groups=1, weight of size [8, 4, 3, 3], expected input[1, 8, 6, 6] to have 4 channels, '
         'but got 8 channels instead"'],
        id="conv-in-channels",
    ),
    pytest.param(
        [Conv2d(8, 3, in_channels=1)], (2, 3, 8, 8),
        ["layers[0] Conv2d(8, 3, in_channels=1) expects in_channels=1, but receives 3 channels.",
         "It receives input_shape (2, 3, 8, 8) directly.", "to deliver 1 channel.", "input[2, 3, 8, 8]"],
        id="conv-in-channels-first-layer",
    ),
    pytest.param(
        [Conv2d(4, 3, groups=2)], (3, 5, 5),
        ["layers[0] Conv2d(4, 3, groups=2) has groups=2, which must divide the 3 incoming channels"],
        id="conv-groups",
    ),
    pytest.param(
        [Conv2d(8, 5)], (3, 4, 6),
        ["layers[0] Conv2d(8, 5) would produce an empty feature map: height: floor((4 + 2*0 - 5)/1) + 1 = 0",
         "the 5-pixel window does not fit in the padded input 4 + 2*0 = 4",
         '"Calculated padded input size per channel: (4 x 6). Kernel size: (5 x 5). '
         "Kernel size can't be greater than actual input size\""],
        id="conv-empty",
    ),
    pytest.param(
        [Conv2d(8, 3, dilation=3)], (3, 6, 6),
        ["height and width: floor((6 + 2*0 - 3*(3-1) - 1)/1) + 1 = 0",
         "the 3*(3-1)+1 = 7-pixel window", "Kernel size: (7 x 7)"],
        id="conv-empty-dilated",
    ),
    pytest.param(
        alexnet_torchvision(), (3, 62, 62),
        ["layers[12] MaxPool2d(3, stride=2) would produce an empty feature map: "
         "height and width: floor((2 + 2*0 - 3)/2) + 1 = 0",
         "How input_shape (3, 62, 62) became (256, 2, 2):",
         "layers[5] MaxPool2d(3, stride=2): floor((6 + 2*0 - 3)/2) + 1 = 2 -> (192, 2, 2)",
         '"Given input size: (256x2x2). Calculated output size: (256x0x0). Output size is too small"'],
        id="pool-empty",
    ),
    pytest.param(
        [MaxPool2d((3, 1), stride=2)], (3, 2, 2),
        ["height: floor((2 + 2*0 - 3)/2) + 1 = 0", "Calculated output size: (3x0x1)"],
        id="pool-empty-height-only",
    ),
    pytest.param(
        [AvgPool2d(5, stride=2, ceil_mode=True)], (3, 2, 2),
        ["layers[0] AvgPool2d(5, stride=2, ceil_mode=True) would produce an empty feature map",
         "ceil((2 + 2*0 - 5)/2) + 1 = 0",
         "the 5-pixel window reaches past the padded input 2 + 2*0 = 2 by more than stride - 1 = 1 pixel",
         '"Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small"'],
        id="pool-empty-ceil",
    ),
    pytest.param(
        [Flatten(), Conv2d(8, 5)], (3, 4, 6),
        ["layers[1] Conv2d(8, 5) needs a (C, H, W) feature map for its input, but receives 72 flat features.",
         "layers[0] Flatten(): 3*4*6 = 72 -> (72,)", "Move Flatten() after the last convolution or pooling layer."],
        id="conv-after-flatten",
    ),
    pytest.param([Flatten(), MaxPool2d(2)], (3, 4, 6), ["MaxPool2d(2) needs a (C, H, W) feature map"], id="pool-after-flatten"),
    pytest.param([Flatten(), AvgPool2d(2)], (3, 4, 6), ["AvgPool2d(2) needs a (C, H, W)"], id="avgpool-after-flatten"),
    pytest.param([Flatten(), AdaptiveAvgPool2d(1)], (3, 4, 6), ["AdaptiveAvgPool2d(1) needs a (C, H, W)"], id="adaptive-after-flatten"),
    pytest.param(
        [Flatten(), BatchNorm2d()], (3, 4, 6),
        ["layers[1] BatchNorm2d() needs a (C, H, W) feature map for its channels"],
        id="batchnorm-after-flatten",
    ),
    pytest.param(
        [BatchNorm2d(4)], (3, 4, 6),
        ["layers[0] BatchNorm2d(4) expects num_features=4, but receives 3 channels.", "Write BatchNorm2d(3)",
         '"running_mean should contain 3 elements not 4"'],
        id="batchnorm-num-features",
    ),
]


@pytest.mark.parametrize("layers, input_shape, fragments", ERRORS)
def test_summary_errors(layers, input_shape, fragments):
    with pytest.raises(ValueError) as info:
        summary(layers, input_shape)
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))


def test_numpy_integers_become_python_ints():
    import numpy as np

    layers = [Conv2d(np.int64(4), np.int32(3), padding=[np.int64(1), 1]), Flatten(), Linear(np.int16(2), in_features=np.int64(100))]
    assert repr(layers[0]) == "Conv2d(4, 3, padding=(1, 1))"
    s = summary(layers, (np.int64(2), 5, 5))
    for r in s.rows:
        assert all(type(n) is int for n in r.output_shape) and type(r.params) is int and type(r.macs) is int
    assert repr(AdaptiveAvgPool2d((np.int64(2), None))) == "AdaptiveAvgPool2d((2, None))"
    assert repr(MaxPool2d(np.int64(2), stride=np.int64(2))) == "MaxPool2d(2, stride=2)"
