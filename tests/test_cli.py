"""The convdoc command, run as a user runs it: `python -m convdoc` and the installed `convdoc` script."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from convdoc import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool3d,
    AvgPool1d,
    AvgPool3d,
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    Conv1d,
    Conv2d,
    Conv3d,
    Dropout,
    Flatten,
    Linear,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    ReLU,
    ReLU6,
    output_size,
    param_count,
    receptive_field,
    summary,
)
from convdoc.cli import SpecError, main, parse_spec

SCRIPT = Path(sys.executable).parent / ("convdoc.exe" if sys.platform == "win32" else "convdoc")
LAUNCHERS = {
    "python -m convdoc": [sys.executable, "-m", "convdoc"],
    "convdoc script": [str(SCRIPT)],
}

LENET = "conv:6:5,relu,maxpool:2,conv:16:5,relu,maxpool:2,flatten,linear:120,relu,linear:84,relu,linear:10"

ALEXNET = """\
# torchvision.models.alexnet (Dropout has no parameters and keeps the shape: left out)
input:3x224x224
conv:64:11:s4:p2, relu, maxpool:3:s2
conv:192:5:p2, relu, maxpool:3:s2
conv:384:3:p1, relu
conv:256:3:p1, relu
conv:256:3:p1, relu, maxpool:3:s2
adaptiveavgpool:6x6
flatten
linear:4096:in9216, relu
linear:4096, relu
linear:1000
"""

VGG16 = "\n".join(
    ["input:3x224x224"]
    + ["conv:64:3:p1,relu"] * 2 + ["maxpool:2:s2"]
    + ["conv:128:3:p1,relu"] * 2 + ["maxpool:2:s2"]
    + ["conv:256:3:p1,relu"] * 3 + ["maxpool:2:s2"]
    + ["conv:512:3:p1,relu"] * 3 + ["maxpool:2:s2"]
    + ["conv:512:3:p1,relu"] * 3 + ["maxpool:2:s2"]
    + ["adaptiveavgpool:7x7, flatten, linear:4096, relu, linear:4096, relu, linear:1000"]
)


def run(launcher, *args, stdin=None):
    return subprocess.run(
        LAUNCHERS[launcher] + list(args), capture_output=True, text=True, input=stdin, timeout=60
    )


def test_the_script_is_installed():
    assert SCRIPT.exists(), f"{SCRIPT} missing: run `uv sync` ([project.scripts] convdoc = convdoc.cli:main)"


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_help(launcher):
    top = run(launcher, "--help")
    assert top.returncode == 0 and top.stderr == ""
    assert top.stdout.startswith("usage: convdoc ")
    for command in ("size", "params", "summary", "rf"):
        assert command in top.stdout
    spec = run(launcher, "summary", "--help")
    assert spec.returncode == 0
    assert "spec syntax" in spec.stdout and "conv:OUT:K[:sS][:pP]" in spec.stdout


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_summary_of_lenet5(launcher):
    result = run(launcher, "summary", LENET, "--input", "1x32x32")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[-1].split() == ["total", "61,706", "416,520"]
    assert ["6", "Flatten()", "(400,)", "0", "0"] in [line.split() for line in lines]


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_bad_input_exits_2_with_the_message_on_stderr(launcher):
    result = run(launcher, "summary", "conv:6:5,flatten,linear:10:in100", "-i", "1x32x32")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("convdoc summary: error: layers[2] Linear(10, in_features=100) expects in_features=100")
    assert "6*28*28 = 4704" in result.stderr
    assert "mat1 and mat2 shapes cannot be multiplied (1x4704 and 100x10)" in result.stderr


L = "python -m convdoc"


def test_version():
    result = run(L, "--version")
    assert result.returncode == 0 and result.stdout.strip() == "convdoc 0.1.0"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["size", "224", "11", "--stride", "4", "--padding", "2"], "floor((224 + 2*2 - 11)/4) + 1 = 55"),
        (["size", "227", "11", "-s", "4"], "floor((227 + 2*0 - 11)/4) + 1 = 55"),
        (["size", "224", "11", "-s", "4", "-q"], "54"),
        (["size", "7", "3", "-d", "2"], "floor((7 + 2*0 - 2*(3-1) - 1)/1) + 1 = 3"),
        (["size", "5", "2", "-s", "2", "--ceil-mode"], "ceil((5 + 2*0 - 2)/2) + 1 = 3"),
        (["size", "7x5", "3", "-s", "2", "-p", "1"],
         "height: floor((7 + 2*1 - 3)/2) + 1 = 4\nwidth:  floor((5 + 2*1 - 3)/2) + 1 = 3"),
        (["size", "7x5", "3", "-s", "2", "-p", "1", "-q"], "4x3"),
        (["size", "6x6", "3"], "floor((6 + 2*0 - 3)/1) + 1 = 4"),
        (["params", "3", "64", "11"], "64*3*11*11 + 64 = 23296"),
        (["params", "3", "2", "3", "-q"], "56"),
        (["params", "32", "32", "3", "--groups", "32"], "32*(32/32)*3*3 + 32 = 320"),
        (["params", "9216", "4096", "1"], "4096*9216*1*1 + 4096 = 37752832"),
        (["params", "64", "128", "3x1", "--no-bias"], "128*64*3*1 = 24576"),
        # 1-D and 3-D
        (["size", "16000", "80", "-s", "16"], "floor((16000 + 2*0 - 80)/16) + 1 = 996"),
        (["size", "16x112x112", "3", "-p", "1"],
         "depth:  floor((16 + 2*1 - 3)/1) + 1 = 16\nheight: floor((112 + 2*1 - 3)/1) + 1 = 112\n"
         "width:  floor((112 + 2*1 - 3)/1) + 1 = 112"),
        (["size", "16x112x112", "3", "-p", "1", "-q"], "16x112x112"),
        (["size", "8x8x8", "3", "-s", "2"], "floor((8 + 2*0 - 3)/2) + 1 = 3"),
        (["size", "16x112x112", "1x2x2", "-s", "1x2x2", "-q"], "16x56x56"),
        # SAME padding and transposed sizes
        (["size", "224", "3", "-s", "2", "-p", "same"],
         "ceil(224/2) = 112, padding 0 before and 1 after: total max((112-1)*2 + 3 - 224, 0) = 1"),
        (["size", "5", "3", "-p", "SAME", "-q"], "5"),
        (["size", "5", "3", "-p", "full"], "floor((5 + 2*2 - 3)/1) + 1 = 7"),
        (["size", "5", "3", "-p", "valid", "-q"], "3"),
        (["size", "16x224x224", "3", "-s", "1x2x2", "-p", "same", "-q"], "16x112x112"),
        (["size", "9", "3", "-s", "2", "-d", "2", "-p", "same"],
         "ceil(9/2) = 5, padding 2 before and 2 after: total max((5-1)*2 + 2*(3-1) + 1 - 9, 0) = 4"),
        (["size", "2", "3", "-s", "2", "--transposed"], "(2-1)*2 - 2*0 + 3 = 5"),
        (["size", "2", "3", "-s", "2", "-t", "-o", "1"], "(2-1)*2 - 2*0 + 3 + 1 = 6"),
        (["size", "56", "4", "-s", "2", "-p", "1", "-t"], "(56-1)*2 - 2*1 + 4 = 112"),
        (["size", "8x28x28", "2", "-s", "2", "-t", "-q"], "16x56x56"),
        # Conv1d and Conv3d
        (["params", "3", "64", "3x3x3"], "64*3*3*3*3 + 64 = 5248"),
        (["params", "1", "128", "80", "--dims", "1"], "128*1*80 + 128 = 10368"),
        (["params", "3", "64", "3", "--dims", "3", "-q"], "5248"),
        (["params", "3", "2", "3", "--dims", "2", "-q"], "56"),
    ],
)
def test_size_and_params(args, expected, capsys):
    assert main(args) == 0
    assert capsys.readouterr() == (expected + "\n", "")


def test_size_and_params_in_a_subprocess():
    size = run(L, "size", "224", "11", "--stride", "4", "--padding", "2")
    params = run(L, "params", "3", "64", "11", "-q")
    assert (size.returncode, size.stdout, size.stderr) == (0, "floor((224 + 2*2 - 11)/4) + 1 = 55\n", "")
    assert (params.returncode, params.stdout, params.stderr) == (0, "23296\n", "")


def test_summary_from_a_file_alexnet(tmp_path):
    spec = tmp_path / "alexnet.txt"
    spec.write_text(ALEXNET, encoding="utf-8")
    result = run(L, "summary", "--file", str(spec))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["total", "61,100,840", "714,188,480"]
    # --input overrides the spec's input item; the classifier's check then fails readably
    small = run(L, "summary", "-f", str(spec), "-i", "3x62x62")
    assert small.returncode == 2
    assert "layers[12] MaxPool2d(3, stride=2) would produce an empty feature map" in small.stderr


def test_summary_from_stdin_vgg16_markdown():
    result = run(L, "summary", "-f", "-", "--markdown", stdin=VGG16)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "| # | layer | output shape | params | MACs | size arithmetic |"
    assert lines[-1] == "|  | **total** |  | **138,357,544** | **15,470,264,320** |  |"
    zh = run(L, "summary", "-f", "-", "--markdown", "--lang", "zh", stdin=VGG16)
    assert "**合计**" in zh.stdout and "138,357,544" in zh.stdout


def test_batched_input():
    result = run(L, "summary", "conv:8:3,flatten", "-i", "4,3,10,10")
    assert result.returncode == 0, result.stderr
    assert "(4, 512)" in result.stdout


BAD = [
    # (arguments, stdin, what stderr must say); argparse's own errors also print the usage
    (["summary", "conv:6:5:x", "-i", "1x32x32"], None, "layers[0] 'conv:6:5:x': cannot read 'x'"),
    (["summary", "pool:2", "-i", "1x32x32"], None, "unknown layer 'pool'; the layers are adaptiveavgpool, adaptiveavgpool1d"),
    (["summary", "conv:6:5"], None, "no input shape: give --input CxHxW"),
    (["summary", "conv:6:5", "-i", "32x32"], None, "input_shape must be (C, H, W) or (N, C, H, W), got (32, 32) (2 values); for a single-channel image write (1, 32, 32)"),
    (["summary", "conv:6:5", "-i", "1x2x3x4x5x6"], None, "an input shape is CxHxW or NxCxHxW (CxL or CxDxHxW for 1-D and 3-D layers)"),
    (["summary", "conv3d:6:3", "-i", "3x32x32"], None, "input_shape must be (C, D, H, W) or (N, C, D, H, W) for a network whose layers[0] is Conv3d"),
    (["summary", "dropout:1.5", "-i", "3x32x32"], None, "layers[0] 'dropout:1.5': p must be a probability from 0 to 1"),
    (["summary", "dropout:-0.5", "-i", "3x32x32"], None, "p must be a probability such as 0.5, got '-0.5'"),
    (["size", "5", "3", "-p", "same", "-t"], None, "--padding same does not apply to --transposed"),
    (["size", "5", "3", "-p", "half"], None, "argument -p/--padding: expected an integer, HxW, DxHxW, same, valid or full"),
    (["size", "5", "3", "-o", "1"], None, "--output-padding applies to --transposed only"),
    (["size", "5", "3", "-s", "2", "-o", "2", "-t"], None, "output_padding must be smaller than stride or dilation"),
    (["size", "7x5", "3", "-s", "1x2x2"], None, "stride has 3 axes ((1, 2, 2)) but size has 2"),
    (["size", "1x2x3x4", "3"], None, "argument SIZE: expected an integer, HxW or DxHxW"),
    (["params", "3", "64", "3x3", "--dims", "3"], None, "kernel_size 3x3 has 2 axes, but --dims is 3"),
    (["rf", "relu,flatten"], None, "no receptive field to compute"),
    (["rf", "conv3d:8:3,conv:8:3"], None, "layers[1] Conv2d(8, 3) works on 2 spatial axes, but layers[0] Conv3d(8, 3) on 3"),
    (["rf", "conv3d:8:3x3,relu"], None, "layers[0] 'conv3d:8:3x3': kernel_size must be an int or a (d, h, w) triple"),
    (["summary", "conv:6", "-i", "1x32x32"], None, "conv takes OUT_CHANNELS:KERNEL_SIZE, got 1 value(s)"),
    (["summary", "maxpool:2:g2", "-i", "1x32x32"], None, "maxpool does not take 'g2' (groups)"),
    (["summary", "conv:6:0", "-i", "1x32x32"], None, "layers[0] 'conv:6:0': kernel_size must be a positive integer"),
    (["summary", "conv:6:5,relu,conv:8:30", "-i", "1x32x32"], None, "layers[2] Conv2d(8, 30) would produce an empty feature map"),
    (["summary", "conv:6:5,linear:10", "-i", "1x32x32"], None, "Add Flatten() before it"),
    (["summary", " , # only a comment", "-i", "1x32x32"], None, "the spec has no layers"),
    (["summary", "-f", "/nonexistent/net.txt"], None, "No such file or directory"),
    (["summary", "-f", "-"], "input:1x8x8\nconv:2:3:in3\n", "layers[0] Conv2d(2, 3, in_channels=3) expects in_channels=3"),
    (["summary"], None, "one of the arguments SPEC -f/--file is required"),
    (["summary", "relu", "-f", "x.txt", "-i", "1x2x2"], None, "not allowed with argument"),
    (["size", "4", "5"], None, "convdoc size: error: kernel_size is larger than the padded input"),
    (["size", "2.5", "3"], None, "argument SIZE: expected an integer, HxW or DxHxW"),
    (["size", "5", "3", "-s", "0"], None, "stride must be a positive integer"),
    (["size", "5", "3", "-p", "-1"], None, "padding must be an integer >= 0, got -1"),
    (["params", "3", "4", "3", "-g", "2"], None, "groups must divide both in_channels and out_channels"),
    (["params", "three", "4", "3"], None, "argument IN_CHANNELS: expected an integer, got 'three'"),
    ([], None, "the following arguments are required: COMMAND"),
    (["frobnicate"], None, "invalid choice: 'frobnicate'"),
]


@pytest.mark.parametrize("args, stdin, message", BAD, ids=[" ".join(b[0]) or "(none)" for b in BAD])
def test_bad_input(args, stdin, message, capsys, monkeypatch):
    # in-process: main() returns 2, or argparse exits with 2 after printing the usage
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
    try:
        status = main(args)
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert out == ""
    assert message in err, err


@pytest.mark.parametrize("case", [0, 2, 10, 11, 15, 20], ids=lambda i: " ".join(BAD[i][0]) or "(none)")
def test_bad_input_in_a_subprocess(case):
    args, stdin, message = BAD[case]
    result = run(L, *args, stdin=stdin)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert message in result.stderr, result.stderr


# --- the spec parser and main() in-process ----------------------------------------------------


def test_parse_spec_forms_and_aliases():
    layers, shape = parse_spec(
        "input:8x3x32x32; Conv2d:16:3:stride=2:padding=1:dilation=1:groups=1:bias=false:in_channels=3\n"
        "BatchNorm2d:16, batchnorm, maxpool2d:3:s2:p1:ceil, avgpool:2:ceil_mode=true, adaptive:1, "
        "flatten, FC:10:in=16:nobias, conv:4:3x5:s1x2"
    )
    assert shape == (8, 3, 32, 32)
    assert layers[:3] == [Conv2d(16, 3, stride=2, padding=1, bias=False, in_channels=3), BatchNorm2d(16), BatchNorm2d()]
    assert layers[3] == MaxPool2d(3, stride=2, padding=1, ceil_mode=True)
    assert repr(layers[4]) == "AvgPool2d(2, ceil_mode=True)"
    assert repr(layers[5]) == "AdaptiveAvgPool2d(1)"
    assert layers[6:8] == [Flatten(), Linear(10, bias=False, in_features=16)]
    assert layers[8] == Conv2d(4, (3, 5), stride=(1, 2))


def test_parse_spec_1d_3d_relu6_and_dropout():
    layers, shape = parse_spec(
        "input:3x16x112x112, conv3d:64:3:p1, relu, maxpool3d:1x2x2, bn3d:64, avgpool3d:2:s1x2x2, adaptiveavgpool3d:1x1x1,"
        "flatten, dropout, linear:101, relu6, dropout:0.2, dropout:p=0"
    )
    assert shape == (3, 16, 112, 112)
    assert layers == [
        Conv3d(64, 3, padding=1), ReLU(), MaxPool3d((1, 2, 2)), BatchNorm3d(64), AvgPool3d(2, stride=(1, 2, 2)),
        AdaptiveAvgPool3d((1, 1, 1)), Flatten(), Dropout(), Linear(101), ReLU6(), Dropout(0.2), Dropout(0.0),
    ]
    layers, shape = parse_spec("input:1x16000; conv1d:128:80:s16; batchnorm1d; maxpool1d:4; avgpool1d:2; adaptiveavgpool1d:1; bn1d")
    assert shape == (1, 16000)
    assert layers == [Conv1d(128, 80, stride=16), BatchNorm1d(), MaxPool1d(4), AvgPool1d(2), AdaptiveAvgPool1d(1), BatchNorm1d()]


def test_summary_of_1d_and_3d_specs_is_summarys(capsys):
    spec = "conv3d:64:3:p1,relu,maxpool3d:1x2x2,conv3d:128:3:p1,relu,maxpool3d:2,adaptiveavgpool3d:1,flatten,dropout,linear:101"
    assert main(["summary", spec, "-i", "3x16x112x112"]) == 0
    out = capsys.readouterr().out
    layers, _ = parse_spec(spec)
    assert out == str(summary(layers, (3, 16, 112, 112))) + "\n"
    assert out.splitlines()[-1].split() == ["total", "239,589", "12,138,590,848"]  # PyTorch 2.13's count, by hand
    assert main(["summary", "conv1d:8:5:s2,relu6,maxpool1d:2", "-i", "4x1x100"]) == 0
    assert "(4, 8, 24)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "spec, last",
    [
        ("conv:64:3,conv:64:3", 5),
        ("conv:64:3,conv:64:3,maxpool:2,conv:128:3", 10),
        ("conv:64:3:d2,relu,conv:64:3:d4,bn,dropout", 13),
        ("conv:96:11:s4,relu,maxpool:3:s2,conv:256:5:p2,maxpool:3:s2,flatten,linear:10", 67),  # AlexNet's first layers
        ("conv3d:64:3:p1,maxpool3d:1x2x2,conv3d:128:3:p1", (5, 8, 8)),
        ("conv1d:128:80:s16,maxpool1d:4,conv1d:128:3", 256),  # 80 + 3*16 + 2*64
    ],
)
def test_rf_is_receptive_fields(spec, last, capsys):
    assert main(["rf", spec, "-q"]) == 0
    expected = "x".join(map(str, last)) if isinstance(last, tuple) else str(last)
    assert capsys.readouterr().out == expected + "\n"
    layers, _ = parse_spec(spec)
    windows = [(l.kernel_size, l.stride or l.kernel_size, getattr(l, "dilation", 1)) for l in layers
               if getattr(l, "kernel_size", None) is not None and not isinstance(l, (Flatten, Linear))]
    assert receptive_field(windows) == last
    assert main(["rf", spec]) == 0
    out = capsys.readouterr().out
    assert f": {expected} input pixels" in out
    assert ("see the whole input" in out) == ("flatten" in spec)


def test_parse_spec_comments_and_lines():
    layers, shape = parse_spec("# a net\ninput:1x28x28  # MNIST\nconv:8:3, relu\n\nflatten # done\n")
    assert shape == (1, 28, 28)
    assert layers == [Conv2d(8, 3), ReLU(), Flatten()]


SPEC_ERRORS = [
    ("conv:8:3::s2", "layers[0] 'conv:8:3::s2': empty argument"),
    ("conv:8:3:s2:stride=1", "stride is given twice"),
    ("relu:3", "relu takes no values, got 1 value(s)"),
    ("bn:3:4", "bn takes no values (optionally :NUM_FEATURES), got 2 value(s)"),
    ("linear:10:bias=maybe", "bias must be true or false, got 'maybe'"),
    ("linear:10:in_features=x", "in_features must be an integer, HxW or DxHxW, got 'x'"),
    ("linear:10:ceil", "linear does not take 'ceil' (ceil_mode); it takes bias, in_features"),
    ("relu, input:1x2x2", "the input shape must be the first item"),
    ("input:1, relu", "an input shape is CxHxW or NxCxHxW"),
    ("dropout:0.5:0.2", "dropout takes no values (optionally :P), got 2 value(s)"),
    ("dropout:p=x", "p must be a probability such as 0.5, got 'x'"),
    ("conv:8:3:g3", "layers[0] 'conv:8:3:g3': groups must divide out_channels"),
    ("conv:8:3:in2x2", "in_channels must be a positive integer, got (2, 2)"),
    ("", "the spec has no layers"),
]


@pytest.mark.parametrize("spec, message", SPEC_ERRORS)
def test_parse_spec_errors(spec, message):
    with pytest.raises(SpecError) as info:
        parse_spec(spec)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_main_in_process(capsys):
    assert main(["summary", "input:3x32x32,conv:32:3:p1,relu,maxpool:2,conv:64:3:p1,relu,maxpool:2,flatten"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-3].split()[-4:] == ["Flatten()", "(4096,)", "0", "0"]
    assert main(["summary", "relu"]) == 2
    assert "no input shape" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["size"])
    assert info.value.code == 2


# --- numbers a user can type: huge, negative, not integers (issue 12, item 10) -----------------
#
# Every numeric argument of every command, for every class of bad number, exits with 2 and a
# short message on stderr that names the argument (or the layer and the field) and the rule,
# without a traceback, an internal name, Python's 4300-digit error or the whole huge number.

LIMIT = "must be at most 2,147,483,647 (2**31 - 1, convdoc's limit for sizes)"

# (id, the command for a value v, what names the argument in a spelling error, what names it
#  in a range error, the field's minimum)
FIELDS = [
    ("size SIZE", lambda v: ["size", v, "3"], "argument SIZE", "size", 1),
    ("size SIZE width", lambda v: ["size", f"5x{v}", "3"], "argument SIZE", "size[1]", 1),
    ("size KERNEL", lambda v: ["size", "5", v], "argument KERNEL", "kernel_size", 1),
    ("size --stride", lambda v: ["size", "5", "3", "--stride", v], "argument -s/--stride", "stride", 1),
    ("size -p", lambda v: ["size", "5", "3", "-p", v], "argument -p/--padding", "padding", 0),
    ("size -d", lambda v: ["size", "5", "3", "-d", v], "argument -d/--dilation", "dilation", 1),
    ("params IN_CHANNELS", lambda v: ["params", v, "4", "3"], "argument IN_CHANNELS", "in_channels", 1),
    ("params OUT_CHANNELS", lambda v: ["params", "4", v, "3"], "argument OUT_CHANNELS", "out_channels", 1),
    ("params KERNEL", lambda v: ["params", "4", "4", v], "argument KERNEL", "kernel_size", 1),
    ("params KERNEL width", lambda v: ["params", "4", "4", f"3x{v}"], "argument KERNEL", "kernel_size[1]", 1),
    ("params --groups", lambda v: ["params", "4", "4", "3", "--groups", v], "argument -g/--groups", "groups", 1),
]


def _spec_field(spec, layer, field, minimum=1):
    # a spec field: both kinds of error name the layer and the field
    name = spec.split(":", 1)[0]
    return (f"summary {spec}", lambda v: ["summary", spec.format(v), "-i", "1x28x28"], (layer, field), (layer, field), minimum)


FIELDS += [
    _spec_field("conv:{}:3", "layers[0] 'conv:", "out_channels"),
    _spec_field("conv:8:{}", "layers[0] 'conv:", "kernel_size"),
    _spec_field("conv:8:3x{}", "layers[0] 'conv:", "kernel_size"),
    _spec_field("conv:8:3:s{}", "layers[0] 'conv:", "stride"),
    _spec_field("conv:8:3:stride={}", "layers[0] 'conv:", "stride"),
    _spec_field("conv:8:3:p{}", "layers[0] 'conv:", "padding", 0),
    _spec_field("conv:8:3:padding=1x{}", "layers[0] 'conv:", "padding", 0),
    _spec_field("conv:8:3:d{}", "layers[0] 'conv:", "dilation"),
    _spec_field("conv:8:3:g{}", "layers[0] 'conv:", "groups"),
    _spec_field("conv:8:3:in{}", "layers[0] 'conv:", "in_channels"),
    _spec_field("maxpool:{}", "layers[0] 'maxpool:", "kernel_size"),
    _spec_field("avgpool:2:s{}", "layers[0] 'avgpool:", "stride"),
    _spec_field("adaptiveavgpool:{}", "layers[0] 'adaptiveavgpool:", "output_size"),
    _spec_field("bn:{}", "layers[0] 'bn:", "num_features"),
    _spec_field("relu,relu,linear:{}", "layers[2] 'linear:", "out_features"),
    _spec_field("relu,relu,linear:10:in{}", "layers[2] 'linear:", "in_features"),
    _spec_field("relu,relu,fc:10:in_features={}", "layers[2] 'fc:", "in_features"),
    ("summary --input", lambda v: ["summary", "relu", "--input", f"1x{v}x28"], ("--input", "an input shape is"), ("--input", "input_shape[1]"), 1),
    ("summary input item", lambda v: ["summary", f"input:3x28x{v},relu"], ("the spec's input item", "an input shape is"), ("the spec's input item", "input_shape[2]"), 1),
]

HUGE = {f"{n}-digit": n for n in (4000, 4301, 5000, 100_000)}
NOT_INTEGERS = ["1e3", "2.5", "", "9" * 5000 + "e3", "+3", "-"]


def _run_main(args):
    """main() in-process: (status, stdout, stderr); argparse's errors exit with SystemExit."""
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as exc:
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def _assert_refused(status, out, err, *names):
    assert status == 2, (status, out[:300], err[:300])
    assert out == ""
    for name in names:
        assert name in err, (name, err[:400])
    assert len(err) < 300, err[:400]
    for leak in ("Traceback", "_size_arg", "_int_arg", "_value", "_integer", "invalid int value", "4300", "int_max_str_digits"):
        assert leak not in err, err[:400]
    assert not re.search(r"\d{13,}", err), err[:400]  # a huge number is only quoted by its first digits


def _names(spelling_or_range):
    return spelling_or_range if isinstance(spelling_or_range, tuple) else (spelling_or_range,)


@pytest.mark.parametrize("digits", HUGE.values(), ids=HUGE.keys())
@pytest.mark.parametrize("field", FIELDS, ids=[f[0] for f in FIELDS])
def test_a_huge_number_gets_convdocs_limit_message(field, digits):
    _, command, _, names, _ = field
    status, out, err = _run_main(command("9" * digits))
    if not is_count(field):
        _assert_refused(status, out, err, *_names(names), LIMIT, f"got 99999999... (a {digits:,}-digit number)")
    elif digits <= 4300:  # counts have no limit in convdoc (nor in PyTorch): read, then checked by the rules
        assert LIMIT not in err and "Traceback" not in err and "4300" not in err, err[:300]
        assert status in (0, 2), (status, err[:300])
        assert not re.search(r"\d{13,}", err), err[:400]  # a huge number is only quoted by its first digits
    else:  # Python reads at most 4,300 digits: the command says so, naming the field
        _assert_refused(status, out, err, *_names(names), "at most 4,300 digits", f"got 99999999... (a {digits:,}-digit number)")


# channels, features and groups: convdoc.param_count, Conv2d and Linear take any positive integer
COUNTS = {"in_channels", "out_channels", "in_features", "out_features", "groups", "num_features"}


def is_count(field) -> bool:
    return any(name in COUNTS for name in _names(field[3]))


@pytest.mark.parametrize("field", FIELDS, ids=[f[0] for f in FIELDS])
def test_just_above_the_limit_gets_the_same_message(field):
    _, command, _, names, _ = field
    status, out, err = _run_main(command(str(2**31)))
    if is_count(field):
        assert LIMIT not in err, err[:300]
        return
    _assert_refused(status, out, err, *_names(names), f"{LIMIT}, got 2147483648")


def test_a_count_above_the_size_limit_is_counted_like_param_count():
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        _count_above_the_size_limit()
    finally:
        sys.set_int_max_str_digits(previous)


def _count_above_the_size_limit():
    status, out, err = _run_main(["params", "3000000000", "3", "3"])
    assert status == 0 and out.strip().endswith(f"= {param_count(3_000_000_000, 3, 3)}"), (status, out, err)
    status, out, err = _run_main(["params", "9" * 4000, "9" * 4000, "3"])  # an 8,000-digit answer, printed whole
    assert status == 0, err[:300]
    assert int(out.rsplit("= ", 1)[1]) == param_count(10**4000 - 1, 10**4000 - 1, 3)  # int() reads 8,000 digits


def test_ceil_mode_follows_pytorch_at_the_edge():
    # a window may hang stride - 1 cells past the padded input: PyTorch's MaxPool2d(2, 2, ceil_mode=True) on 1 pixel
    status, out, err = _run_main(["size", "1", "2", "--stride", "2", "--ceil-mode"])
    assert status == 0 and out.strip().endswith(f"= {output_size(1, 2, stride=2, ceil_mode=True)}"), (out, err)
    status, out, err = _run_main(["size", "2", "5", "--stride", "2", "--ceil-mode"])
    assert status == 2 and "by more than stride - 1" in err, err
    status, out, err = _run_main(["summary", "maxpool:2:ceil", "-i", "3x1x2"])
    assert status == 0 and "(3, 1, 1)" in out, (out, err)
    status, out, err = _run_main(["summary", "maxpool:3:s1:p2:d2", "-i", "3x9x9"])  # PyTorch refuses it too
    assert status == 2 and "kernel_size=3 allows at most 3//2 = 1" in err, err


@pytest.mark.parametrize("field", FIELDS, ids=[f[0] for f in FIELDS])
def test_a_huge_negative_number_gets_the_minimum_rule(field):
    _, command, spelling, names, minimum = field
    status, out, err = _run_main(command("-" + "9" * 5000))
    if "input" in field[0]:  # a shape is spelled with positive integers only
        _assert_refused(status, out, err, *_names(spelling), "with positive integers")
    else:
        rule = "must be a positive integer (>= 1)" if minimum == 1 else f"must be an integer >= {minimum}"
        _assert_refused(status, out, err, *_names(names), f"{rule}, got -99999999... (a 5,000-digit number)")


@pytest.mark.parametrize("text", NOT_INTEGERS, ids=["1e3", "2.5", "empty", "5000 digits then e3", "+3", "minus"])
@pytest.mark.parametrize("field", FIELDS, ids=[f[0] for f in FIELDS])
def test_a_number_that_is_not_an_integer(field, text):
    _, command, spelling, names, _ = field
    status, out, err = _run_main(command(text))
    if text == "" and re.search(r":\{\}(:|$)", field[0]):
        # 'conv::3', 'bn:': an empty item between colons, whichever field it was meant for
        _assert_refused(status, out, err, _names(spelling)[0], "empty argument")
    else:
        _assert_refused(status, out, err, *_names(spelling))
        assert "integer" in err  # the rule: an integer (or HxW), or positive integers in a shape


@pytest.mark.parametrize("digit", ["٣", "３", "0" * 5000 + "3"], ids=["arabic-indic", "fullwidth", "5000 zeros then 3"])
@pytest.mark.parametrize("field", FIELDS, ids=[f[0] for f in FIELDS])
def test_other_spellings_of_3_are_read_as_3(field, digit):
    # any script's decimal digits, as Python's int() reads them, and leading zeros: the same as "3"
    _, command, *_ = field
    assert _run_main(command(digit))[:2] == _run_main(command("3"))[:2]  # stderr quotes what was typed


@pytest.mark.parametrize(
    "args, message",
    [
        (["size", "9" * 5000, "3"],
         "convdoc size: error: size " + LIMIT + ", got 99999999... (a 5,000-digit number)\n"),
        (["params", "3", "9" * 5000, "3"],  # a count: no size limit, but Python reads 4,300 digits
         "convdoc params: error: out_channels " + "has 5,000 digits; the convdoc command reads numbers of at most 4,300 digits (Python's limit), got 99999999... (a 5,000-digit number)\n"),
        (["summary", "conv:" + "9" * 5000 + ":3", "-i", "1x28x28"],
         "convdoc summary: error: layers[0] 'conv:99999999...:3' (5,007 characters): out_channels "
         + "has 5,000 digits; the convdoc command reads numbers of at most 4,300 digits (Python's limit), got 99999999... (a 5,000-digit number)\n"),
        (["summary", "conv:8:3", "-i", "1x28x" + "9" * 5000],
         "convdoc summary: error: --input '1x28x99999999...' (5,005 characters): input_shape[2] " + LIMIT
         + ", got 99999999... (a 5,000-digit number)\n"),
        (["summary", "conv:8:3:s-" + "9" * 100_000, "-i", "1x28x28"],
         "convdoc summary: error: layers[0] 'conv:8:3:s-99999999...' (100,011 characters): stride must be a "
         "positive integer (>= 1), got -99999999... (a 100,000-digit number)\n"),
        (["params", "4", "4", "3", "-g", "3000000000"],  # a count: param_count's own rule answers
         "convdoc params: error: groups must divide both in_channels and out_channels: groups=3000000000, "
         "in_channels=4, out_channels=4\n"),
    ],
    ids=["size", "params", "summary spec", "summary --input", "summary negative", "params -g"],
)
def test_huge_numbers_in_a_subprocess(args, message):
    result = run(L, *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


@pytest.mark.parametrize(
    "args, message",
    [
        (["size", "5", "3", "-s", "9" * 5000 + "e3"],
         "convdoc size: error: argument -s/--stride: expected an integer, HxW or DxHxW (e.g. 3 or 3x5), "
         "got '99999999...e3' (5,002 characters)\n"),
        (["params", "1e3", "4", "3"], "convdoc params: error: argument IN_CHANNELS: expected an integer, got '1e3'\n"),
        (["summary", "conv:8:2.5", "-i", "1x28x28"],
         "convdoc summary: error: layers[0] 'conv:8:2.5': kernel_size must be an integer, HxW or DxHxW, got '2.5'\n"),
    ],
    ids=["size", "params", "summary"],
)
def test_not_integers_in_a_subprocess(args, message):
    result = run(L, *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("usage: ") or result.stderr.startswith("convdoc ")
    assert result.stderr.endswith(message), result.stderr


def test_a_negative_hxw_argument_needs_a_double_dash():
    # argparse reads '-3x3' as an option (it is not a plain negative number): KERNEL is missing
    status, out, err = _run_main(["params", "4", "4", "-3x3"])
    _assert_refused(status, out, err, "the following arguments are required: KERNEL")
    status, out, err = _run_main(["params", "4", "4", "--", "-" + "9" * 5000 + "x3"])
    _assert_refused(status, out, err, "kernel_size[0] must be a positive integer (>= 1), got -99999999... (a 5,000-digit number)")


# --- whole networks: the zoo by name, and branches in a spec ------------------------------------

BASIC_BLOCKS = """\
input:3x32x32
conv:64:3:p1:nobias, bn, relu
res(conv:64:3:p1:nobias, bn, relu, conv:64:3:p1:nobias, bn), relu
res(conv:128:3:s2:p1:nobias, bn, relu, conv:128:3:p1:nobias, bn | conv:128:1:s2:nobias, bn), relu
cat(conv:64:1 | conv:96:1, conv:128:3:p1 | conv:16:1, conv:32:5:p2 | maxpool:3:s1:p1, conv:32:1)
cat( | bn, relu, conv:32:3:p1)
convt:64:2:s2, upsample:2, relu6, dropout
"""


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_summary_of_a_zoo_network(launcher):
    result = run(launcher, "summary", "resnet50", "-i", "3x224x224", "--depth", "1", "--totals")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-10].split() == ["total", "25,557,032", "4,089,184,256"]
    assert ["7", "layer4", "(Sequential)", "(2048,", "7,", "7)", "14,964,736", "809,238,528"] in [line.split() for line in lines]
    assert lines[-8:] == [
        "Total params: 25,557,032", "Trainable params: 25,557,032", "Non-trainable params: 0",
        "Total mult-adds: 4,089,184,256 (4.09 G)", "Input size (MB): 0.60",
        "Forward/backward pass size (MB): 177.83", "Params size (MB): 102.23", "Estimated Total Size (MB): 280.66",
    ]


def test_zoo_names_default_to_their_input(capsys):
    assert main(["summary", "mobilenet_v2", "--depth", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == ["total", "3,504,872", "300,774,272"]
    assert main(["summary", "LeNet5"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == ["total", "61,706", "416,520"]


def test_a_branchy_spec():
    layers, shape = parse_spec(BASIC_BLOCKS)
    assert shape == (3, 32, 32)
    assert type(layers[3]).__name__ == "Residual" and layers[3].shortcut == ()
    assert layers[5].shortcut == (Conv2d(128, 1, stride=2, bias=False), BatchNorm2d())
    assert len(layers[7].branches) == 4 and layers[8].branches[0] == ()
    s = summary(layers, shape)
    assert [r.output_shape for r in s.rows[5:10]] == [(128, 16, 16), (128, 16, 16), (256, 16, 16), (288, 16, 16), (64, 32, 32)]
    assert s.rows[7].arithmetic == "64 + 128 + 32 + 32 = 256"
    assert s.rows[8].arithmetic == "256 + 32 = 288"


def test_a_branchy_spec_in_a_subprocess():
    result = run(L, "summary", "-f", "-", "--depth", "2", stdin=BASIC_BLOCKS)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert ["5", "Residual", "(128,", "16,", "16)", "230,144", "58,720,256"] in rows
    assert ["shortcut[0]", "Conv2d(128,", "1,", "stride=2,", "bias=False)", "(128,", "16,", "16)", "8,192", "2,097,152"] in rows
    assert ["9", "ConvTranspose2d(64,", "2,", "stride=2)", "(64,", "32,", "32)", "73,792", "18,874,368"] in rows
    assert ["10", "Upsample(scale_factor=2)", "(64,", "64,", "64)", "0", "0"] in rows
    assert rows[-1] == ["total", "604,432", "212,140,032"]


@pytest.mark.parametrize("spec, message", [
    ("conv:8:1, res(conv:16:1)", "layers[1] Residual cannot add its two paths: the body gives (16, 8, 8), the identity shortcut gives (8, 8, 8)"),
    ("conv:8:1, res(conv:16:1)", "layers[1].body[0] Conv2d(16, 1): 8 -> 16 channels"),
    ("cat(conv:4:3 | conv:4:1)", "branches[0] gives (4, 6, 6), branches[1] gives (4, 8, 8)"),
    ("cat(conv:4:3 | conv:4:1)", "layers[0].branches[0][0] Conv2d(4, 3): floor((8 + 2*0 - 3)/1) + 1 = 6 -> 6x6"),
    ("res(conv:4:1 | conv:4:1 | relu)", "layers[0] 'res(conv:4:1 | conv:4:1 | relu)': res takes BODY or BODY | SHORTCUT, got 3 paths"),
    ("cat(conv:4:1, relu", "a '(' without its ')'"),
    ("relu), conv:4:1", "a ')' without its '('"),
    ("cat(conv:4:1,, relu)", "layers[0].branches[0][1] in layers[0]"),
    ("res(relu | conv:4:1:q)", "layers[0].shortcut[0] 'conv:4:1:q': cannot read 'q'"),
    ("res()", "layers[0] 'res()': body must hold at least one layer"),
    ("relu(2)", "layers[0] 'relu(2)': parentheses and '|' belong to blocks"),
    ("convt:4:2:s2:op2", "layers[0] 'convt:4:2:s2:op2': output_padding must be smaller than stride or dilation"),
    ("upsample", "layers[0] 'upsample': upsample takes SCALE_FACTOR, got 0 value(s)"),
])
def test_bad_branchy_specs_name_the_path(spec, message, capsys):
    assert main(["summary", spec, "-i", "3x8x8"]) == 2
    err = capsys.readouterr().err
    assert message in err, err
