"""benchmarks/conv.py runs in the project's own environment (no PyTorch) and reports what it measured."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("convdoc_benchmark", ROOT / "benchmarks" / "conv.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_round_ratio_takes_ratios_within_rounds(bench):
    # round 2 ran in a phase twice as slow for both sides: the ratio stays 0.5
    assert bench.round_ratio([1.0, 2.0, 1.0], [2.0, 4.0, 2.0]) == 0.5
    # a ratio of medians would mix rounds: median(num) / median(den) = 1 / 4 here
    assert bench.round_ratio([1.0, 1.0, 9.0], [1.0, 9.0, 9.0]) == 1.0


def test_a_small_run_prints_table_and_summary(bench, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(bench, "SETTLE", 0.0)
    monkeypatch.setattr(bench, "PEAK_SIZE", 64)
    # one sample each, even while the other test workers keep the CPUs busy (which would retake it
    # up to 30 times): this test checks the table, not the timings
    monkeypatch.setattr(bench, "RETRIES", 1)
    table = tmp_path / "table.md"
    assert bench.main(["--only", "article 5×5 ⊛", "--rounds", "1", "--plot", "", "--markdown", str(table)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in table.read_text(encoding="utf-8").splitlines() if line.startswith("| article"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:4] == ["article 5×5 ⊛ 3×3", "1→1, 5², 3×3", "1", "small"]
    assert cells[4].endswith("µs") and cells[11].endswith("µs")  # convdoc and conv2d_reference were timed
    if "PyTorch is not importable" in out:
        assert cells[5] == "–" and cells[6] == "–"
        assert "PyTorch not measured" in out
