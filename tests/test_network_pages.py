"""The whole-network pages publish the classic totals in both languages, and the doctests guard them."""

from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser

DOCS = Path(__file__).resolve().parents[1] / "docs"
SYBIL = Sybil(parsers=[PythonCodeBlockParser()], patterns=["*.md"])

# (page, the doctest as published, the same doctest with a wrong number)
PUBLISHED = [
    ("classic-networks", ">>> s.total_params\n61706\n", ">>> s.total_params\n61707\n"),
    ("classic-networks", "'61,706'", "'61,760'"),
    ("classic-networks", ">>> s.total_params\n61100840\n", ">>> s.total_params\n61100000\n"),
    ("classic-networks", "'61,100,840'", "'61,100,480'"),
    ("classic-networks", ">>> s.total_params\n138357544\n", ">>> s.total_params\n138357545\n"),
    ("classic-networks", "'138,357,544'", "'138,357,554'"),
    ("classic-networks", "(14714688, 123642856)", "(14714688, 123642865)"),
    ("classic-networks", "c1 + s2 + c3 + s4 + c5 + f6\n60000\n", "c1 + s2 + c3 + s4 + c5 + f6\n61706\n"),
    ("classic-networks", ">>> s2012.total_params\n60965224\n", ">>> s2012.total_params\n61100840\n"),
    ("classic-networks", "(224, 11, stride=4)\n54\n", "(224, 11, stride=4)\n55\n"),
    ("first-linear", ">>> 64 * h * h\n4096\n", ">>> 64 * h * h\n4608\n"),
    # branches (issue 13): torchvision's num_params and FlopCounterMode / 2, torchinfo's footer
    ("resnet", "(25557032, 4089184256)", "(25557032, 4089184265)"),
    ("resnet", "resnet18         2-2-2-2   11,689,512", "resnet18         2-2-2-2   11,689,521"),
    ("resnet", "resnext50_32x4d  3-4-6-3   25,028,904", "resnext50_32x4d  3-4-6-3   25,028,940"),
    ("resnet", "resnet101        3-4-23-3", "resnet101        3-4-22-3"),
    ("resnet", "11,513,626,624  11.51\n", "11,513,626,624  11.52\n"),
    ("resnet", "(1180672, 17)", "(1180672, 16)"),
    ("resnet", "(16384, 36864, 16384, 768, 70400)", "(16384, 36864, 16384, 768, 70401)"),
    ("resnet", "(2776576, 359661568)", "(2776567, 359661568)"),
    ("resnet", "Forward/backward pass size (MB): 177.83", "Forward/backward pass size (MB): 88.91"),
    ("concatenation", "'64 + 128 + 32 + 32 = 256'", "'64 + 128 + 32 + 32 = 265'"),
    ("concatenation", "(6624904, 1498376192)", "(6624940, 1498376192)"),
    ("concatenation", "(7978856, 2834161664)", "(7978865, 2834161664)"),
    ("concatenation", "\n380928\n", "\n380929\n"),
    ("concatenation", "\n1.50 GFLOPS\n", "\n1.49 GFLOPS\n"),
    ("concatenation", "\n2.83 GFLOPS\n", "\n2.84 GFLOPS\n"),
    ("networks-more", "(3504872, 300774272)", "(3504827, 300774272)"),
    ("networks-more", "1x1            2,124,672  60.6%", "1x1            2,124,672  60.7%"),
    ("networks-more", "\n0.30 GFLOPS\n", "\n0.31 GFLOPS\n"),
    ("networks-more", "(3, 8)", "(3, 6)"),
    ("networks-more", "[48, 56, 64, 72, 80]", "[48, 56, 60, 64, 72, 80]"),
    ("networks-more", "([568, 280, 136, 64], 28)", "([570, 280, 136, 64], 28)"),
    ("networks-more", "\n388\n", "\n392\n"),
    ("networks-more", "[11, 35, 91, 267, 427]", "[11, 35, 91, 267, 483]"),
    ("networks-more", "\n483\n", "\n427\n"),
    ("networks-more", "(212, 379)", "(211, 379)"),
    ("first-linear", "(64x4096 and 2304x10)\".\n", "(64x2304 and 4096x10)\".\n"),
]


def failures(path: Path) -> int:
    failed = 0
    for example in SYBIL.parse(path):
        try:
            example.evaluate()
        except Exception:
            failed += 1
    return failed


@pytest.mark.parametrize("lang", ["", ".en"])
@pytest.mark.parametrize("stem, published, wrong", PUBLISHED)
def test_published_numbers_are_checked(tmp_path, lang, stem, published, wrong):
    source = (DOCS / f"{stem}{lang}.md").read_text(encoding="utf-8")
    assert published in source, f"{published!r} is missing from {stem}{lang}.md"
    broken = tmp_path / "broken.md"
    broken.write_text(source.replace(published, wrong, 1), encoding="utf-8")
    assert failures(broken) >= 1


@pytest.mark.parametrize("page", [f"{stem}{lang}.md" for stem in ("first-linear", "classic-networks", "resnet", "concatenation", "networks-more") for lang in ("", ".en")])
def test_pages_pass_as_published(tmp_path, page):
    copy = tmp_path / page
    copy.write_text((DOCS / page).read_text(encoding="utf-8"), encoding="utf-8")
    assert failures(copy) == 0
