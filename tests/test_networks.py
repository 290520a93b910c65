"""The model zoo (convdoc.networks): torchvision's totals, layer-by-layer shapes, MACs, and summaries that cost nothing.

``tests/torchvision_layers.json`` holds, for each network and input, what PyTorch
computes for the same architecture written in plain ``torch.nn`` (torchvision's
definitions re-typed: torchvision itself is not installed here, and neither is
PyTorch in this project): the parameter count, FlopCounterMode's FLOPs / 2, and
the output shape of every Conv2d, ConvTranspose2d, BatchNorm2d, Linear, MaxPool2d
and AvgPool2d in the order the forward pass runs them (forward hooks). The
published totals below come from torchvision's model documentation (``num_params``
of each weights enum) and from torchinfo's README.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
import tracemalloc
from pathlib import Path

import pytest

import convdoc
from convdoc import (
    BatchNorm2d,
    Concat,
    Conv2d,
    ConvTranspose2d,
    Linear,
    Residual,
    Sequential,
    summary,
)
from convdoc import networks as zoo
from convdoc.blocks import _leaves
from convdoc.network import Layer, ReLU

REFERENCE = json.loads((Path(__file__).parent / "torchvision_layers.json").read_text(encoding="utf-8"))
KINDS = ("Conv2d", "ConvTranspose2d", "BatchNorm2d", "Linear", "MaxPool2d", "AvgPool2d")

# torchvision's documented num_params (weights enums); LeNet-5 and AlexNet/VGG as on docs/classic-networks.md
PUBLISHED = {
    "lenet5": 61_706,
    "alexnet": 61_100_840,
    "vgg16": 138_357_544,
    "vgg16_bn": 138_365_992,
    "resnet18": 11_689_512,
    "resnet34": 21_797_672,
    "resnet50": 25_557_032,
    "resnet101": 44_549_160,
    "resnet152": 60_192_808,
    "resnext50_32x4d": 25_028_904,
    "mobilenet_v2": 3_504_872,
    "googlenet": 6_624_904,
    "densenet121": 7_978_856,
}


def leaf_shapes(s):
    return [f"{type(r.layer).__name__} {'x'.join(map(str, r.output_shape))}"
            for _, r in _leaves(s.rows, "") if type(r.layer).__name__ in KINDS]


def test_the_zoo_is_what_the_issue_names():
    for name in ("lenet5", "alexnet", "vgg16", "resnet18", "resnet34", "resnet50", "resnext50_32x4d",
                 "mobilenet_v2", "googlenet", "densenet121", "unet"):
        assert name in zoo.__all__ and callable(getattr(zoo, name))
    assert convdoc.networks is zoo


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_parameter_totals(name):
    shape = (1, 32, 32) if name == "lenet5" else (3, 224, 224)
    assert summary(getattr(zoo, name)(), shape).total_params == PUBLISHED[name]


@pytest.mark.parametrize("case", REFERENCE, ids=[f"{c['network']}-{'x'.join(map(str, c['input']))}" for c in REFERENCE])
def test_layer_by_layer_as_pytorch_runs_it(case):
    s = summary(getattr(zoo, case["network"])(), tuple(case["input"]))
    assert s.total_params == case["params"]
    assert s.total_macs == case["macs"]
    assert leaf_shapes(s) == case["layers"]


def test_every_network_is_checked_against_pytorch_at_224():
    checked = {c["network"] for c in REFERENCE if c["input"][1:] in ([224, 224], [32, 32])}
    assert set(zoo.__all__) - {"resnet101"} <= checked


def test_resnet50_macs_are_flop_counter_mode_over_two():
    assert summary(zoo.resnet50(), (3, 224, 224)).total_macs == 4_089_184_256


def test_resnet50_per_stage_shapes_and_params():
    s = summary(zoo.resnet50(), (3, 224, 224))
    stages = {r.layer.name: (r.output_shape, r.params) for r in s.rows if isinstance(r.layer, Sequential)}
    assert stages == {
        "layer1": ((256, 56, 56), 215_808),
        "layer2": ((512, 28, 28), 1_219_584),
        "layer3": ((1024, 14, 14), 7_098_368),
        "layer4": ((2048, 7, 7), 14_964_736),
    }
    # the first block of each stage projects its shortcut, the others add their input unchanged
    for r in s.rows[4:8]:
        assert [bool(block.layer.shortcut) for block in r.rows] == [True] + [False] * (len(r.rows) - 1)


@pytest.mark.parametrize("name, stages", [
    ("resnet18", [(64, 56, 56), (128, 28, 28), (256, 14, 14), (512, 7, 7)]),
    ("resnext50_32x4d", [(256, 56, 56), (512, 28, 28), (1024, 14, 14), (2048, 7, 7)]),
])
def test_resnet_stages(name, stages):
    s = summary(getattr(zoo, name)(), (3, 224, 224))
    assert [r.output_shape for r in s.rows if isinstance(r.layer, Sequential)] == stages


def test_googlenet_inceptions_add_up_their_branches():
    s = summary(zoo.googlenet(), (3, 224, 224))
    channels = {r.layer.name: r.output_shape for r in s.rows if isinstance(r.layer, Concat)}
    assert channels == {
        "inception3a": (256, 28, 28), "inception3b": (480, 28, 28),
        "inception4a": (512, 14, 14), "inception4b": (512, 14, 14), "inception4c": (512, 14, 14),
        "inception4d": (528, 14, 14), "inception4e": (832, 14, 14),
        "inception5a": (832, 7, 7), "inception5b": (1024, 7, 7),
    }
    assert s.rows[5].arithmetic == "64 + 128 + 32 + 32 = 256"


def test_densenet121_blocks_and_transitions():
    s = summary(zoo.densenet121(), (3, 224, 224))
    features = s.rows[0]
    shapes = {r.layer.name: r.output_shape for r in features.rows if isinstance(r.layer, Sequential)}
    assert shapes == {
        "denseblock1": (256, 56, 56), "transition1": (128, 28, 28),
        "denseblock2": (512, 28, 28), "transition2": (256, 14, 14),
        "denseblock3": (1024, 14, 14), "transition3": (512, 7, 7),
        "denseblock4": (1024, 7, 7),
    }
    # every dense layer adds 32 channels to what it receives
    for layer in features.rows[4].rows:
        assert layer.output_shape[0] == layer.input_shape[0] + 32
        assert layer.arithmetic == f"{layer.input_shape[0]} + 32 = {layer.input_shape[0] + 32}"


def test_mobilenet_v2_residuals_only_where_shape_is_kept():
    s = summary(zoo.mobilenet_v2(), (3, 224, 224))
    blocks = s.rows[0].rows[1:-1]
    assert len(blocks) == 17
    residual = [isinstance(b.layer, Residual) for b in blocks]
    assert residual == [b.input_shape == b.output_shape for b in blocks]
    assert sum(residual) == 10
    assert s.rows[0].output_shape == (1280, 7, 7)


def test_unet_skip_shapes_and_odd_sizes():
    s = summary(zoo.unet(), (3, 64, 64))
    assert s.output_shape == (2, 64, 64)
    level0 = s.rows[0]
    skip = level0.rows[6]
    assert skip.output_shape == (32, 64, 64)
    assert skip.arithmetic == "16 + 16 = 32"
    for size in (64, 96, 128, 8):
        assert summary(zoo.unet(), (3, size, size)).output_shape == (2, size, size)
    with pytest.raises(ValueError) as info:
        summary(zoo.unet(), (3, 60, 60))  # 60 -> 30 -> 15 -> 7: the third pooling drops a pixel
    message = str(info.value)
    deepest = "layers[0][6].branches[1][1][6].branches[1][1][6]"
    assert message.startswith(f"{deepest} skip (Concat) cannot concatenate its branches: "
                              "branches[0] (identity) gives (64, 15, 15), branches[1] gives (64, 14, 14)")
    assert f"{deepest}.branches[1][0] MaxPool2d(2): floor((15 + 2*0 - 2)/2) + 1 = 7 -> 7x7" in message
    assert f"{deepest}.branches[1][2] ConvTranspose2d(64, 2, stride=2): (7-1)*2 - 2*0 + 1*(2-1) + 0 + 1 = 14 -> 14x14" in message
    assert "Expected size 15 but got size 14 for tensor number 1 in the list" in message


def test_zoo_arguments_are_checked():
    assert summary(zoo.resnet18(num_classes=10), (3, 32, 32)).output_shape == (10,)
    with pytest.raises(ValueError, match="num_classes"):
        zoo.resnet50(num_classes=0)
    with pytest.raises(TypeError, match="width"):
        zoo.unet(width=1.5)


def test_torchinfo_totals_of_resnet152():
    """torchinfo's README: 0.60, 360.87, 240.77 and 602.25 MB for resnet152 at (1, 3, 224, 224)."""
    t = summary(zoo.resnet152(), (1, 3, 224, 224)).totals
    assert [f"{v:.2f}" for v in (t.input_mb, t.forward_backward_mb, t.params_mb, t.total_mb)] == [
        "0.60", "360.87", "240.77", "602.25"]
    assert str(t).splitlines()[3] == "Total mult-adds: 11,513,626,624 (11.51 G)"
    s = summary(zoo.resnet50(), (2, 3, 224, 224))
    assert s.rows[0].output_bytes == 2 * 64 * 112 * 112 * 4  # float32, both samples
    assert s.rows[4].output_bytes == 2 * 256 * 56 * 56 * 4


def test_summaries_allocate_no_activations():
    """A batch of 64 images of 4096x4096: the summary is arithmetic, its memory does not grow with the input."""
    layers = zoo.resnet50()
    summary(layers, (3, 224, 224))  # warm up caches
    tracemalloc.start()
    try:
        small = summary(layers, (1, 3, 224, 224))
        _, peak_small = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        big = summary(layers, (64, 3, 4096, 4096))
        _, peak_big = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert big.rows[4].output_shape == (64, 256, 1024, 1024)
    assert big.totals.forward_backward_mb > 10**6  # terabytes of activations, never allocated
    assert peak_big < 2 * peak_small + 10**6 and peak_big < 20 * 10**6
    assert small.total_params == big.total_params


def test_depth_controls_the_printed_hierarchy():
    layers = zoo.resnet50()
    lines = {d: str(summary(layers, (3, 224, 224), depth=d)).splitlines() for d in (1, 2, 3)}
    assert len(lines[1]) == 5 + 11
    assert len(lines[2]) == 5 + 11 + 16
    assert len(lines[3]) == 5 + 11 + 16 + 16 * 8 + 4 * 2 + 16
    assert lines[2][8] == "      [0] Bottleneck (Residual)                     (256, 56, 56)       75,008    231,211,008"
    # the paths of the Markdown table reach the specs in the list
    md = summary(layers, (3, 224, 224), depth=3).to_markdown("en").splitlines()
    row = next(line for line in md if line.startswith("| [5][0].shortcut[0] |"))
    assert "`Conv2d(512, 1, stride=2, bias=False)`" in row
    assert layers[5][0].shortcut[0] == Conv2d(512, 1, stride=2, bias=False)


def test_blocks_compare_and_print_as_specs():
    block = Residual([Conv2d(4, 3, padding=1), BatchNorm2d()], [Conv2d(4, 1)], activation=None, name="B")
    assert block == Residual([Conv2d(4, 3, padding=1), BatchNorm2d()], [Conv2d(4, 1)], name="B")
    assert repr(block) == "Residual([Conv2d(4, 3, padding=1), BatchNorm2d()], [Conv2d(4, 1)], name='B')"
    assert repr(Concat([], [Linear(3)])) == "Concat([], [Linear(3)])"
    assert repr(Sequential(ConvTranspose2d(2, 2, stride=2), name="up")) == "Sequential(ConvTranspose2d(2, 2, stride=2), name='up')"
    assert hash(block) == hash(Residual([Conv2d(4, 3, padding=1), BatchNorm2d()], [Conv2d(4, 1)], name="B"))


def test_receptive_fields_through_branches():
    """Araujo, Norris and Sim, "Computing Receptive Fields of CNNs" (Distill 2019): VGG-16 212, ResNet-50 (v1) 483."""
    from convdoc import MaxPool2d, receptive_field

    assert receptive_field(zoo.vgg16()[:31]) == 212
    resnet50 = zoo.resnet50()
    assert receptive_field(resnet50[:8]) == 427  # torchvision's v1.5: the stride on the 3x3

    def v1(block):
        body = list(block.body)
        if body[3].stride == 2:
            body[0] = Conv2d(body[0].out_channels, 1, stride=2, bias=False)
            body[3] = Conv2d(body[3].out_channels, 3, padding=1, bias=False)
        return Residual(body, block.shortcut, activation=block.activation)

    assert receptive_field(resnet50[:4] + [Sequential(*map(v1, stage.layers)) for stage in resnet50[4:8]]) == 483
    # the widest path counts, whichever it is
    paths = [[Conv2d(4, 1)], [Conv2d(4, 5, padding=2)], [MaxPool2d(3, stride=1, padding=1)]]
    for order in (paths, paths[::-1]):
        assert receptive_field([Concat(*order)]) == 5
    assert receptive_field([Residual([Conv2d(4, 1)], [Conv2d(4, 3, padding=1)])]) == 3
    with pytest.raises(ValueError, match=r"layers\[0\]: ConvTranspose2d\(2, 2, stride=2\) enlarges"):
        receptive_field([ConvTranspose2d(2, 2, stride=2)])
    # deep inside blocks, the path names the layer; a layer that states no rule is refused, not guessed
    with pytest.raises(ValueError) as info:
        receptive_field(zoo.unet())
    assert str(info.value).startswith(
        "layers[0][6].branches[1][1][6].branches[1][1][6].branches[1][2]: ConvTranspose2d(64, 2, stride=2) enlarges")

    @dataclass(frozen=True, repr=False)
    class Unknown(Layer):
        pass

    with pytest.raises(ValueError, match=r"layers\[1\]\.shortcut\[0\]: Unknown\(\) has no receptive-field rule"):
        receptive_field([Conv2d(4, 3), Residual([ReLU()], [Unknown()])])
