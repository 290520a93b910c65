"""The model zoo: whole networks as lists of layer specs, built as torchvision builds them.

One function per network, named as torchvision's, each returning a list that
:func:`convdoc.summary` accepts::

    summary(convdoc.networks.resnet50(), (3, 224, 224))

Every network has exactly torchvision's parameter count and layer-by-layer output
shapes (checked against plain ``torch.nn`` definitions of the same architectures);
the published totals are the doctests below. Blocks carry torchvision's names
(``layer1``, ``features``, ``inception3a``, ``denseblock1``...), so a row of a
summary can be found in torchvision's model, and a path such as
``layers[4][0].body[0]`` reaches the spec in the returned list.

What torchvision builds and a summary does not need is left out: auxiliary heads
(GoogLeNet's ``aux_logits``), the input transform, weight initialisation. Dropout
is kept, as a layer that changes nothing in a summary; ``torch.flatten(x, 1)`` in
torchvision's ``forward`` is a :class:`convdoc.Flatten` here.

>>> from convdoc import summary, networks
>>> for name in ("resnet18", "resnet34", "resnet50", "resnext50_32x4d", "mobilenet_v2", "googlenet", "densenet121"):
...     s = summary(getattr(networks, name)(), (3, 224, 224))
...     print(f"{name:16} {s.total_params:>11,} {s.total_macs:>14,}")
resnet18          11,689,512  1,814,073,344
resnet34          21,797,672  3,663,761,408
resnet50          25,557,032  4,089,184,256
resnext50_32x4d   25,028,904  4,230,479,872
mobilenet_v2       3,504,872    300,774,272
googlenet          6,624,904  1,498,376,192
densenet121        7,978,856  2,834,161,664
"""

from __future__ import annotations

from typing import Any

from ._checks import check_int
from .blocks import Concat, Residual, Sequential
from .layers import ConvTranspose2d, Dropout, ReLU6
from .network import AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Flatten, Layer, Linear, MaxPool2d, ReLU

__all__ = [
    "lenet5", "alexnet", "vgg16", "vgg16_bn",
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d",
    "mobilenet_v2", "googlenet", "densenet121", "unet",
]


def _classes(num_classes: Any) -> int:
    return check_int(num_classes, "num_classes", minimum=1)


# --- the classic chains (docs/classic-networks.md) ----------------------------------------------


def lenet5(num_classes: int = 10) -> list[Layer]:
    """LeNet-5 as courses and frameworks build it today: full C3, average pooling, a Linear output.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.lenet5(), (1, 32, 32)).total_params
    61706
    """
    return [
        Conv2d(6, 5), ReLU(), AvgPool2d(2),
        Conv2d(16, 5), ReLU(), AvgPool2d(2),
        Flatten(), Linear(120), ReLU(),
        Linear(84), ReLU(),
        Linear(_classes(num_classes)),
    ]


def alexnet(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``alexnet``: the layout of Krizhevsky's "One weird trick" (2014).

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.alexnet(), (3, 224, 224)).total_params
    61100840
    """
    return [
        Conv2d(64, 11, stride=4, padding=2), ReLU(), MaxPool2d(3, stride=2),
        Conv2d(192, 5, padding=2), ReLU(), MaxPool2d(3, stride=2),
        Conv2d(384, 3, padding=1), ReLU(),
        Conv2d(256, 3, padding=1), ReLU(),
        Conv2d(256, 3, padding=1), ReLU(), MaxPool2d(3, stride=2),
        AdaptiveAvgPool2d((6, 6)), Flatten(),
        Dropout(), Linear(4096), ReLU(),
        Dropout(), Linear(4096), ReLU(),
        Linear(_classes(num_classes)),
    ]


VGG16_CFG = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")


def vgg16(num_classes: int = 1000, *, batch_norm: bool = False) -> list[Layer]:
    """torchvision's ``vgg16`` (configuration D of Simonyan and Zisserman): 13 convolutions, 3 Linear.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.vgg16(), (3, 224, 224)).total_params
    138357544
    """
    layers: list[Layer] = []
    for v in VGG16_CFG:
        if v == "M":
            layers.append(MaxPool2d(2, stride=2))
        else:
            layers += [Conv2d(v, 3, padding=1)] + [BatchNorm2d()] * bool(batch_norm) + [ReLU()]
    return layers + [
        AdaptiveAvgPool2d((7, 7)), Flatten(),
        Linear(4096), ReLU(), Dropout(),
        Linear(4096), ReLU(), Dropout(),
        Linear(_classes(num_classes)),
    ]


def vgg16_bn(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``vgg16_bn``: VGG-16 with a BatchNorm2d after each convolution.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.vgg16_bn(), (3, 224, 224)).total_params
    138365992
    """
    return vgg16(num_classes, batch_norm=True)


# --- ResNet and ResNeXt ---------------------------------------------------------------------------


def _basic_block(planes: int, stride: int, groups: int, width_per_group: int) -> list[Layer]:
    """torchvision's BasicBlock body: two 3x3 convolutions (expansion 1)."""
    return [
        Conv2d(planes, 3, stride=stride, padding=1, bias=False), BatchNorm2d(), ReLU(),
        Conv2d(planes, 3, padding=1, bias=False), BatchNorm2d(),
    ]


def _bottleneck(planes: int, stride: int, groups: int, width_per_group: int) -> list[Layer]:
    """torchvision's Bottleneck body: 1x1 down to ``width``, 3x3 (strided, grouped), 1x1 up to 4*planes."""
    width = planes * width_per_group // 64 * groups
    return [
        Conv2d(width, 1, bias=False), BatchNorm2d(), ReLU(),
        Conv2d(width, 3, stride=stride, padding=1, groups=groups, bias=False), BatchNorm2d(), ReLU(),
        Conv2d(planes * 4, 1, bias=False), BatchNorm2d(),
    ]


_EXPANSION = {_basic_block: 1, _bottleneck: 4}
_BLOCK_NAMES = {_basic_block: "BasicBlock", _bottleneck: "Bottleneck"}


def _resnet(block: Any, counts: tuple[int, ...], num_classes: Any, groups: int = 1, width_per_group: int = 64) -> list[Layer]:
    """torchvision's ResNet: a 7x7 stem, four stages (layer1-4) of residual blocks, pooling, fc.

    The first block of a stage gets a projection shortcut (torchvision's ``downsample``:
    a 1x1 convolution with the block's stride, and a BatchNorm) when it halves the
    size or changes the channels; every other block adds its input unchanged.
    """
    inplanes = 64
    stages: list[Layer] = []
    for i, (planes, count) in enumerate(zip((64, 128, 256, 512), counts)):
        blocks: list[Layer] = []
        for j in range(count):
            stride = 2 if i > 0 and j == 0 else 1
            out = planes * _EXPANSION[block]
            shortcut = None
            if stride != 1 or inplanes != out:
                shortcut = [Conv2d(out, 1, stride=stride, bias=False), BatchNorm2d()]
            body = block(planes, stride, groups, width_per_group)
            blocks.append(Residual(body, shortcut, activation=ReLU(), name=_BLOCK_NAMES[block]))
            inplanes = out
        stages.append(Sequential(*blocks, name=f"layer{i + 1}"))
    return [
        Conv2d(64, 7, stride=2, padding=3, bias=False), BatchNorm2d(), ReLU(), MaxPool2d(3, stride=2, padding=1),
        *stages,
        AdaptiveAvgPool2d((1, 1)), Flatten(), Linear(_classes(num_classes)),
    ]


def resnet18(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``resnet18``: BasicBlocks, 2-2-2-2 per stage.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.resnet18(), (3, 224, 224)).total_params
    11689512
    """
    return _resnet(_basic_block, (2, 2, 2, 2), num_classes)


def resnet34(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``resnet34``: BasicBlocks, 3-4-6-3 per stage.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.resnet34(), (3, 224, 224)).total_params
    21797672
    """
    return _resnet(_basic_block, (3, 4, 6, 3), num_classes)


def resnet50(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``resnet50`` (v1.5: the stride on the 3x3 convolution): Bottlenecks, 3-4-6-3.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> s = summary(networks.resnet50(), (3, 224, 224))
    >>> s.total_params, s.total_macs
    (25557032, 4089184256)
    >>> [r.output_shape for r in s.rows[4:8]]  # layer1 to layer4
    [(256, 56, 56), (512, 28, 28), (1024, 14, 14), (2048, 7, 7)]
    """
    return _resnet(_bottleneck, (3, 4, 6, 3), num_classes)


def resnet101(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``resnet101``: Bottlenecks, 3-4-23-3 per stage.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.resnet101(), (3, 224, 224)).total_params
    44549160
    """
    return _resnet(_bottleneck, (3, 4, 23, 3), num_classes)


def resnet152(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``resnet152``: Bottlenecks, 3-8-36-3 per stage.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.resnet152(), (3, 224, 224)).total_params
    60192808
    """
    return _resnet(_bottleneck, (3, 8, 36, 3), num_classes)


def resnext50_32x4d(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``resnext50_32x4d``: ResNet-50 whose 3x3 convolutions have 32 groups of 4 channels per stage-1 width.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.resnext50_32x4d(), (3, 224, 224)).total_params
    25028904
    """
    return _resnet(_bottleneck, (3, 4, 6, 3), num_classes, groups=32, width_per_group=4)


# --- MobileNetV2 ------------------------------------------------------------------------------------


def _conv_bn_relu6(out: int, k: int, stride: int = 1, groups: int = 1) -> list[Layer]:
    """torchvision's Conv2dNormActivation with ReLU6: a padded convolution without bias, BatchNorm, ReLU6."""
    return [Conv2d(out, k, stride=stride, padding=(k - 1) // 2, groups=groups, bias=False), BatchNorm2d(), ReLU6()]


# expansion t, output channels c, repeats n, first stride s (the paper's table 2)
MOBILENET_V2_SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))


def mobilenet_v2(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``mobilenet_v2`` (width 1.0): 17 inverted residual blocks between two conv layers.

    An inverted residual expands its ``inp`` channels ``t`` times with a 1x1
    convolution, filters each channel alone with a 3x3 depthwise convolution
    (``groups`` = channels), and projects back with a linear 1x1 convolution (no
    activation). Only the blocks with stride 1 and as many channels out as in add
    their input (:class:`convdoc.Residual`); the others are plain
    :class:`convdoc.Sequential` blocks.

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.mobilenet_v2(), (3, 224, 224)).total_params
    3504872
    """
    features: list[Layer] = [Sequential(*_conv_bn_relu6(32, 3, stride=2), name="Conv2dNormActivation")]
    inp = 32
    for t, c, n, s in MOBILENET_V2_SETTINGS:
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = inp * t
            body = (_conv_bn_relu6(hidden, 1) if t != 1 else []) + _conv_bn_relu6(hidden, 3, stride, groups=hidden)
            body += [Conv2d(c, 1, bias=False), BatchNorm2d()]
            if stride == 1 and inp == c:
                features.append(Residual(body, name="InvertedResidual"))
            else:
                features.append(Sequential(*body, name="InvertedResidual"))
            inp = c
    features.append(Sequential(*_conv_bn_relu6(1280, 1), name="Conv2dNormActivation"))
    return [
        Sequential(*features, name="features"),
        AdaptiveAvgPool2d((1, 1)), Flatten(), Dropout(0.2), Linear(_classes(num_classes)),
    ]


# --- GoogLeNet ----------------------------------------------------------------------------------------


def _basic_conv(out: int, k: int, stride: int = 1, padding: int = 0) -> list[Layer]:
    """torchvision's BasicConv2d: a convolution without bias, BatchNorm, ReLU."""
    return [Conv2d(out, k, stride=stride, padding=padding, bias=False), BatchNorm2d(), ReLU()]


def _inception(name: str, ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int, ch5x5: int, pool_proj: int) -> Concat:
    """torchvision's Inception: four branches concatenated.

    torchvision's third branch uses a 3x3 convolution where the paper has 5x5 (a
    known quirk of its port; its weights and its 6,624,904 parameters depend on it).
    """
    return Concat(
        _basic_conv(ch1x1, 1),
        _basic_conv(ch3x3red, 1) + _basic_conv(ch3x3, 3, padding=1),
        _basic_conv(ch5x5red, 1) + _basic_conv(ch5x5, 3, padding=1),
        [MaxPool2d(3, stride=1, padding=1, ceil_mode=True)] + _basic_conv(pool_proj, 1),
        name=name,
    )


def googlenet(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``googlenet`` without the auxiliary classifiers (``aux_logits=False``).

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> s = summary(networks.googlenet(), (3, 224, 224))
    >>> s.total_params
    6624904
    >>> s.rows[5].arithmetic  # inception3a
    '64 + 128 + 32 + 32 = 256'
    """
    return [
        Sequential(*_basic_conv(64, 7, stride=2, padding=3), name="conv1"),
        MaxPool2d(3, stride=2, ceil_mode=True),
        Sequential(*_basic_conv(64, 1), name="conv2"),
        Sequential(*_basic_conv(192, 3, padding=1), name="conv3"),
        MaxPool2d(3, stride=2, ceil_mode=True),
        _inception("inception3a", 64, 96, 128, 16, 32, 32),
        _inception("inception3b", 128, 128, 192, 32, 96, 64),
        MaxPool2d(3, stride=2, ceil_mode=True),
        _inception("inception4a", 192, 96, 208, 16, 48, 64),
        _inception("inception4b", 160, 112, 224, 24, 64, 64),
        _inception("inception4c", 128, 128, 256, 24, 64, 64),
        _inception("inception4d", 112, 144, 288, 32, 64, 64),
        _inception("inception4e", 256, 160, 320, 32, 128, 128),
        MaxPool2d(2, stride=2, ceil_mode=True),
        _inception("inception5a", 256, 160, 320, 32, 128, 128),
        _inception("inception5b", 384, 192, 384, 48, 128, 128),
        AdaptiveAvgPool2d((1, 1)), Flatten(), Dropout(0.2), Linear(_classes(num_classes)),
    ]


# --- DenseNet ---------------------------------------------------------------------------------------


def densenet121(num_classes: int = 1000) -> list[Layer]:
    """torchvision's ``densenet121``: growth rate 32, blocks of 6-12-24-16 layers, bottleneck width 4*32.

    Each DenseNet layer is ``Concat([], [...])``: its input, followed by 32 new
    channels. A transition halves the channels (1x1 convolution) and the size (2x2
    average pooling).

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> summary(networks.densenet121(), (3, 224, 224)).total_params
    7978856
    """
    growth, bn_size = 32, 4
    features: list[Layer] = [
        Conv2d(64, 7, stride=2, padding=3, bias=False), BatchNorm2d(), ReLU(), MaxPool2d(3, stride=2, padding=1),
    ]
    channels = 64
    for i, count in enumerate((6, 12, 24, 16)):
        layers = [
            Concat(
                [],
                [BatchNorm2d(), ReLU(), Conv2d(bn_size * growth, 1, bias=False),
                 BatchNorm2d(), ReLU(), Conv2d(growth, 3, padding=1, bias=False)],
                name=f"denselayer{j + 1}",
            )
            for j in range(count)
        ]
        features.append(Sequential(*layers, name=f"denseblock{i + 1}"))
        channels += count * growth
        if i < 3:
            channels //= 2
            features.append(Sequential(
                BatchNorm2d(), ReLU(), Conv2d(channels, 1, bias=False), AvgPool2d(2, stride=2), name=f"transition{i + 1}",
            ))
    features.append(BatchNorm2d())  # norm5
    return [
        Sequential(*features, name="features"),
        ReLU(), AdaptiveAvgPool2d((1, 1)), Flatten(), Linear(_classes(num_classes)),
    ]


# --- U-Net ------------------------------------------------------------------------------------------


def _double_conv(out: int) -> list[Layer]:
    return [Conv2d(out, 3, padding=1, bias=False), BatchNorm2d(), ReLU()] * 2


def unet(num_classes: int = 2, width: int = 16, depth: int = 3) -> list[Layer]:
    """A small U-Net (Ronneberger, Fischer and Brox, 2015) with padded convolutions, as most code writes it today.

    Each level runs two 3×3 convolutions (with BatchNorm and ReLU), then a skip
    connection: ``Concat([], [MaxPool2d(2), <the next level>, ConvTranspose2d(2, stride=2)])``
    joins the level's own feature map with the deeper one, pooled, processed and
    enlarged back; two more convolutions follow. Channels double at each level
    (``width``, 2*``width``...), ``depth`` poolings deep. There is no torchvision
    U-Net: this one is checked against the same layers written in ``torch.nn``.

    The input's height and width must be divisible by ``2**depth``: a pooling of an
    odd size drops a pixel that the up-convolution does not give back, and the
    concatenation refuses the two sizes (``summary`` shows both paths).

    Parameters
    ----------
    num_classes : int
        Output channels of the final 1×1 convolution.
    width : int
        Channels of the first level.
    depth : int
        Number of poolings (and of up-convolutions).

    Examples
    --------
    >>> from convdoc import summary, networks
    >>> s = summary(networks.unet(), (3, 64, 64))
    >>> s.output_shape, s.total_params
    ((2, 64, 64), 482754)
    """
    num_classes = _classes(num_classes)
    width = check_int(width, "width", minimum=1)
    depth = check_int(depth, "depth", minimum=0)

    def level(i: int) -> Sequential:
        c = width * 2**i
        if i == depth:
            return Sequential(*_double_conv(c), name=f"level{i}")
        skip = Concat([], [MaxPool2d(2), level(i + 1), ConvTranspose2d(c, 2, stride=2)], name="skip")
        return Sequential(*_double_conv(c), skip, *_double_conv(c), name=f"level{i}")

    return [level(0), Conv2d(num_classes, 1)]
