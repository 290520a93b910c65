"""The convdoc command, run as a user runs it: `python -m convdoc` and the installed `convdoc` script."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

from convdoc import BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU
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
    for command in ("size", "params", "summary"):
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
    (["summary", "pool:2", "-i", "1x32x32"], None, "unknown layer 'pool'; the layers are adaptiveavgpool, avgpool, bn"),
    (["summary", "conv:6:5"], None, "no input shape: give --input CxHxW"),
    (["summary", "conv:6:5", "-i", "32x32"], None, "an input shape is CxHxW or NxCxHxW"),
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
    (["size", "2.5", "3"], None, "argument SIZE: expected an integer or HxW"),
    (["size", "5", "3", "-s", "0"], None, "stride must be a positive integer"),
    (["size", "5", "3", "-p", "-1"], None, "padding must be an integer >= 0, got -1"),
    (["params", "3", "4", "3", "-g", "2"], None, "groups must divide both in_channels and out_channels"),
    (["params", "three", "4", "3"], None, "argument IN_CHANNELS: invalid int value: 'three'"),
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
    ("linear:10:in_features=x", "in_features must be an integer or HxW, got 'x'"),
    ("linear:10:ceil", "linear does not take 'ceil' (ceil_mode); it takes bias, in_features"),
    ("relu, input:1x2x2", "the input shape must be the first item"),
    ("input:1x2, relu", "an input shape is CxHxW or NxCxHxW"),
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
