"""1-D and 3-D networks: totals PyTorch gives, and how summary reads a 4-D input_shape.

The expected numbers were computed once with PyTorch 2.13 (``sum(p.numel() for p in
model.parameters())`` and ``FlopCounterMode`` total / 2) on the same layers; PyTorch is
never imported here.
"""

import pytest

from convdoc import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool3d,
    AvgPool1d,
    BatchNorm1d,
    BatchNorm3d,
    Conv1d,
    Conv2d,
    Conv3d,
    Dropout,
    Flatten,
    Linear,
    MaxPool1d,
    MaxPool3d,
    ReLU,
    ReLU6,
    summary,
)


def c3d():
    """C3D (Tran et al., 2015) for Sports-1M: 3x3x3 convolutions, pool1 1x2x2, pool5 padded to give 512x1x4x4."""
    conv = lambda k: [Conv3d(k, 3, padding=1), ReLU()]  # noqa: E731
    return [
        *conv(64), MaxPool3d((1, 2, 2)),
        *conv(128), MaxPool3d(2),
        *conv(256), *conv(256), MaxPool3d(2),
        *conv(512), *conv(512), MaxPool3d(2),
        *conv(512), *conv(512), MaxPool3d(2, padding=(0, 1, 1)),
        Flatten(), Linear(4096), ReLU(), Dropout(), Linear(4096), ReLU(), Dropout(), Linear(487),
    ]


def wav2vec2_encoder():
    """wav2vec 2.0's feature encoder without its norms and GELUs: seven bias-free Conv1d of 512 channels."""
    return [Conv1d(512, 10, stride=5, bias=False)] + [Conv1d(512, 3, stride=2, bias=False) for _ in range(4)] + [
        Conv1d(512, 2, stride=2, bias=False) for _ in range(2)
    ]


def small_audio():
    return [Conv1d(128, 80, stride=16), BatchNorm1d(), ReLU(), MaxPool1d(4), Conv1d(128, 3), AvgPool1d(3, stride=2),
            AdaptiveAvgPool1d(1), Flatten(), Linear(35), Dropout(0.1), ReLU6()]


@pytest.mark.parametrize(
    "layers, input_shape, output_shape, params, macs",
    [
        (c3d(), (3, 16, 112, 112), (487,), 79_991_015, 38_548_959_232),
        (wav2vec2_encoder(), (1, 16000), (512, 49), 4_199_424, 2_450_123_776),
        (small_audio(), (8, 1, 16000), (8, 35), 64_419, 178_752_512),
        ([Conv3d(64, 3, padding=1), BatchNorm3d(), MaxPool3d((1, 2, 2)), AdaptiveAvgPool3d(1), Flatten(), Linear(101)],
         (2, 3, 16, 112, 112), (2, 101), 5_248 + 128 + 6_565, 2 * 1_040_449_536 + 2 * 6_464),
    ],
    ids=["C3D", "wav2vec 2.0 encoder", "a small audio net, batch 8", "a C3D stem, batch 2"],
)
def test_totals_are_pytorchs(layers, input_shape, output_shape, params, macs):
    s = summary(layers, input_shape)
    assert (s.output_shape, s.total_params, s.total_macs) == (output_shape, params, macs)


def test_a_4d_input_is_a_batch_for_conv2d_and_a_volume_for_conv3d():
    # as in PyTorch: F.conv2d reads (1, 3, 32, 32) as one image, F.conv3d as an unbatched 3x32x32 volume of one channel
    assert summary([Conv2d(8, 3)], (1, 3, 32, 32)).output_shape == (1, 8, 30, 30)
    assert summary([Conv3d(8, 3)], (1, 3, 32, 32)).output_shape == (8, 1, 30, 30)
    assert summary([ReLU(), Conv3d(8, 3)], (1, 3, 32, 32)).output_shape == (8, 1, 30, 30)  # the first spatial layer decides
    assert summary([Conv1d(8, 3)], (4, 3, 32)).output_shape == (4, 8, 30)
    assert summary([Conv1d(8, 3)], (3, 32)).output_shape == (8, 30)


def test_batchnorm1d_follows_a_linear_layer():
    s = summary([Flatten(), Linear(256), BatchNorm1d(256), ReLU()], (4, 64, 2, 2))
    assert s.rows[2].params == 512 and s.output_shape == (4, 256)


def test_a_layer_of_another_dimension_names_both():
    with pytest.raises(ValueError) as info:
        summary([Conv3d(8, 3), ReLU(), MaxPool1d(2)], (3, 8, 8, 8))
    message = str(info.value)
    assert "layers[2] MaxPool1d(2) needs a (C, L) feature map" in message
    assert "receives a (C, D, H, W) one, 8x6x6x6" in message
    assert "Use the 3-D layer (MaxPool3d) here" in message


def test_tables_and_arithmetic_per_axis():
    s = summary([Conv3d(4, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3))], (3, 16, 112, 112))
    assert s.rows[0].arithmetic == (
        "D: floor((16 + 2*1 - 3)/1) + 1 = 16; H: floor((112 + 2*3 - 7)/2) + 1 = 56; "
        "W: floor((112 + 2*3 - 7)/2) + 1 = 56"
    )
    assert "| 0 | `Conv3d(4, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3))` | (4, 16, 56, 56) |" in s.to_markdown("en")
