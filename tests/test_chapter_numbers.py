"""The published numbers on the sizes-and-parameters pages are executed: change one and the
page's doctests fail, in both languages."""

from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser

DOCS = Path(__file__).resolve().parents[1] / "docs"
SYBIL = Sybil(parsers=[PythonCodeBlockParser()], patterns=["*.md"])


def failures(path: Path) -> int:
    failed = 0
    for example in SYBIL.parse(path):
        try:
            example.evaluate()
        except Exception:
            failed += 1
    return failed


MUTATIONS = [
    # (page, published output as it stands, a wrong value): CS231n, Dumoulin & Visin, MobileNets, ...
    ("output-size", ">>> output_size(227, 11, stride=4)\n55\n", ">>> output_size(227, 11, stride=4)\n54\n"),
    ("output-size", "(4.5, 4, 1, (9,))", "(4.5, 5, 1, (9,))"),
    ("output-size", "(54, 1, (223,))", "(55, 0, ())"),
    ("output-size", "6 3 2 1 -> 3\n", "6 3 2 1 -> 4\n"),
    ("output-size", ">>> output_size(7, 3, dilation=2)\n3\n", ">>> output_size(7, 3, dilation=2)\n5\n"),
    ("padding", "sides=(2, 3, 2, 3)", "sides=(3, 2, 3, 2)"),
    ("padding", ">>> p.torch_pad\n(1, 1, 0, 1)\n", ">>> p.torch_pad\n(0, 1, 1, 1)\n"),
    ("pooling", "[[2 3]\n [5 1]]", "[[2 3]\n [5 2]]"),
    ("pooling", "[[1. 3. 5. 3.]]", "[[1. 3. 5. 2.]]"),
    ("transposed", "6 -> 3 -> 6\n", "6 -> 3 -> 5\n"),
    ("transposed", "(3, 3)\n>>> coverage(5, 3", "(3, 2)\n>>> coverage(5, 3"),
    ("receptive-field", "[3, 7, 15]", "[3, 5, 7]"),
    ("receptive-field", ">>> receptive_field([(3, 1), (3, 1)])\n5\n", ">>> receptive_field([(3, 1), (3, 1)])\n6\n"),
    ("parameters", "105705600\n", "105705601\n"),
    ("parameters", ">>> param_count(3, 96, 11)\n34944\n", ">>> param_count(3, 96, 11)\n34848\n"),
    ("parameters", "(2359296, 4608, 262144, 266752)", "(2359296, 4608, 262144, 266753)"),
    ("cheatsheet", "(34944, 307456)", "(34944, 614656)"),
]


@pytest.mark.parametrize("lang", ["", ".en"])
@pytest.mark.parametrize("stem, original, mutated", MUTATIONS)
def test_changing_a_published_number_fails(tmp_path, lang, stem, original, mutated):
    source = (DOCS / f"{stem}{lang}.md").read_text(encoding="utf-8")
    assert original in source, f"{original!r} is missing from {stem}{lang}.md"
    clean = tmp_path / "clean.md"
    clean.write_text(source, encoding="utf-8")
    assert failures(clean) == 0
    broken = tmp_path / "broken.md"
    broken.write_text(source.replace(original, mutated, 1), encoding="utf-8")
    assert failures(broken) >= 1
