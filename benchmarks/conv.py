"""Benchmark convdoc.conv2d against conv2d_reference, the BLAS GEMM peak and PyTorch's CPU conv2d.

Run from the repository root::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE uv run python benchmarks/conv.py

Everything is measured side by side in one run: for each layer the convdoc and PyTorch timings,
and a 2048 x 2048 matrix product (the GEMM peak), alternate round after round. Each reported
time is the median of the rounds; each ratio (convdoc / PyTorch, share of the GEMM peak) is the
median of the ratios within the rounds, so a slow phase of the machine slows both sides. PyTorch
(``torch``) and matplotlib are optional: without them their columns, or the plot, are skipped
with a message. PyTorch is never a dependency of convdoc; for the docs page it was installed in
a separate virtual environment (see docs/performance.en.md).

Options: ``--quick`` skips batch 8 on the slowest layers and uses fewer rounds; ``--threads``
sets PyTorch's thread count (default 2); ``--plot PATH`` writes the figure (default: a file in the
temporary directory; the docs page's figure is ``--plot docs/assets/performance.svg``);
``--markdown PATH`` also writes the table to a file; ``--only TEXT`` runs the matching layers.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import convdoc  # noqa: E402
from convdoc import conv2d, conv2d_grad, conv2d_reference, conv2d_strategy, output_size, param_count  # noqa: E402
from convdoc.fast import weight_grad  # noqa: E402
from convdoc.grad import _input_grad  # noqa: E402
from convdoc.examples import DEMO_B, DEMO_PADDING, DEMO_STRIDE, DEMO_W, DEMO_X, FILTER, IMAGE  # noqa: E402


@dataclass(frozen=True)
class Layer:
    name: str
    kind: str  # "ordinary", "depthwise" or "tiny"
    c: int
    size: int
    k: int
    f: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    groups: int = 1

    @property
    def out(self) -> int:
        return output_size(self.size, self.f, self.stride, self.padding, self.dilation)

    def flops(self, n: int) -> int:
        """Two per multiply-accumulate: every weight once per output position."""
        return 2 * n * param_count(self.c, self.k, self.f, bias=False, groups=self.groups) * self.out * self.out

    def describe(self) -> str:
        s = f"{self.c}→{self.k}, {self.size}², {self.f}×{self.f}"
        for label, value, default in (("s", self.stride, 1), ("p", self.padding, 0), ("d", self.dilation, 1), ("g", self.groups, 1)):
            if value != default:
                s += f" {label}{value}"
        return s


LAYERS = [
    Layer("VGG-16 conv1_1", "ordinary", 3, 224, 64, 3, padding=1),
    Layer("VGG-16 conv1_2", "ordinary", 64, 224, 64, 3, padding=1),
    Layer("VGG-16 conv2_2", "ordinary", 128, 112, 128, 3, padding=1),
    Layer("VGG-16 conv3_2", "ordinary", 256, 56, 256, 3, padding=1),
    Layer("VGG-16 conv4_2", "ordinary", 512, 28, 512, 3, padding=1),
    Layer("VGG-16 conv5_2", "ordinary", 512, 14, 512, 3, padding=1),
    Layer("ResNet-18 3×3 stride 2", "ordinary", 64, 56, 128, 3, stride=2, padding=1),
    Layer("ResNet-50 1×1", "ordinary", 256, 56, 64, 1),
    Layer("MobileNet depthwise 3×3", "depthwise", 128, 56, 128, 3, padding=1, groups=128),
    Layer("DeepLab dilated 3×3", "ordinary", 256, 28, 256, 3, padding=2, dilation=2),
    Layer("article 5×5 ⊛ 3×3", "tiny", 1, 5, 1, 3),
    Layer("article 5×5×3, 2 filters", "tiny", 3, 5, 2, 3, stride=DEMO_STRIDE, padding=DEMO_PADDING),
]


# layers whose gradients are timed beside their forward pass (batch 1, float32): the table "Gradients"
GRAD_LAYERS = ["VGG-16 conv1_2", "VGG-16 conv3_2", "VGG-16 conv5_2", "ResNet-18 3×3 stride 2"]


def inputs(layer: Layer, n: int, dtype) -> tuple:
    """(x, weight, bias) as convdoc takes them; the article's cases use the article's data."""
    if layer.name.startswith("article 5×5 ⊛"):
        return IMAGE.astype(dtype), FILTER.astype(dtype), None
    if layer.name.startswith("article 5×5×3"):
        return DEMO_X.astype(dtype), DEMO_W.astype(dtype), DEMO_B.astype(dtype)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, layer.c, layer.size, layer.size)).astype(dtype)
    w = rng.standard_normal((layer.k, layer.c // layer.groups, layer.f, layer.f)).astype(dtype)
    return x, w, None


def kwargs(layer: Layer) -> dict:
    return dict(stride=layer.stride, padding=layer.padding, dilation=layer.dilation, groups=layer.groups)


# --- timing ---------------------------------------------------------------------------------


def calibrate(fn, budget: float) -> int:
    """Calls per timing sample so that one sample lasts about ``budget`` seconds."""
    fn()
    t = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t, 1e-7)
    return max(1, min(10_000, int(budget / once)))


SETTLE = 0.25  # seconds of rest before each sample, see side_by_side
FOREIGN = 0.05  # a sample is retaken when other processes used more than this share of the CPUs
RETRIES = 30
_retaken = [0, 0]  # samples retaken, samples kept


def _jiffies() -> tuple[int, int] | None:
    """(busy clock ticks of the whole machine, clock ticks of this process), or None off Linux."""
    try:
        cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        mine = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = [int(v) for v in cpu]
    busy = sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait
    return busy, int(mine[11]) + int(mine[12])  # utime + stime, every thread


def sample(fn, reps: int) -> float:
    """Seconds per call over ``reps`` calls, retaken while other processes compete for the CPUs."""
    for _ in range(RETRIES):
        time.sleep(SETTLE)
        fn()  # untimed: caches and thread pools back to this library
        before = _jiffies()
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        elapsed = time.perf_counter() - t
        after = _jiffies()
        if before is None or after is None:
            break
        foreign = (after[0] - before[0]) - (after[1] - before[1])
        ticks = elapsed * os.sysconf("SC_CLK_TCK") * (os.cpu_count() or 1)
        if foreign <= max(1, FOREIGN * ticks):
            break
        _retaken[0] += 1
    _retaken[1] += 1
    return elapsed / reps


def side_by_side(fns: dict, rounds: int, budget: float, per_round: bool = False) -> dict:
    """Median seconds per call of each function, measured in alternating rounds.

    With ``per_round`` the seconds of every round are returned instead, so that ratios can
    be taken within a round, between samples a few seconds apart (see ``round_ratio``).

    Each sample starts after a short rest: both numpy's OpenBLAS and PyTorch's OpenMP keep
    their worker threads spinning for a while after a call (OpenBLAS for about 0.1 s), and on
    a 2-core machine a spinning worker of one library slows the next library's call by up
    to 3x. Resting lets them go to sleep, so neither is measured in the other's wake. A
    sample during which other processes used the CPUs (read from /proc/stat) is retaken.
    """
    reps = {name: calibrate(fn, budget) for name, fn in fns.items()}
    times = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            times[name].append(sample(fn, reps[name]))
    if per_round:
        return times
    return {name: statistics.median(ts) for name, ts in times.items()}


def round_ratio(num: list, den: list) -> float:
    """Median over the rounds of num[r] / den[r]: a slow phase of the machine slows both alike."""
    return statistics.median(a / b for a, b in zip(num, den))


PEAK_SIZE = 2048


def peak_product(dtype, size: int | None = None):
    """The GEMM-peak measurement: a size x size matrix product (PEAK_SIZE); returns (function, flops)."""
    size = PEAK_SIZE if size is None else size
    a = np.random.default_rng(1).standard_normal((size, size)).astype(dtype)
    b = a.T.copy()
    return (lambda: a @ b), 2 * size**3


def gemm_peak(dtype, size: int, rounds: int) -> float:
    fn, flops = peak_product(dtype, size)
    return flops / side_by_side({"mm": fn}, rounds, 0.3)["mm"]


# --- environment ----------------------------------------------------------------------------


def cpu_model() -> str:
    """CPU model name, with the widest vector extension when /proc/cpuinfo tells it."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or platform.machine()
    model = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), platform.machine())
    flags = next((ln.split(":", 1)[1].split() for ln in lines if ln.startswith("flags")), [])
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else ""
    return f"{model} ({simd})" if simd else model


def blas_info() -> str:
    try:
        import threadpoolctl
    except ImportError:
        return "threadpoolctl not installed: BLAS kernel not checked"
    parts = []
    for info in threadpoolctl.threadpool_info():
        if info.get("user_api") == "blas":
            parts.append(
                f"{info.get('internal_api')} {info.get('version')} kernel {info.get('architecture')}, "
                f"{info.get('num_threads')} threads"
            )
    return "; ".join(parts) or "no BLAS found by threadpoolctl"


def load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


# --- main -----------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer rounds; batch 8 only on the faster layers")
    ap.add_argument("--threads", type=int, default=2, help="PyTorch CPU threads (default 2)")
    ap.add_argument("--rounds", type=int, default=None, help="timing rounds per measurement (default 7, quick 5)")
    ap.add_argument("--plot", default=str(Path(tempfile.gettempdir()) / "convdoc-benchmark.svg"),
                    help="figure to write ('' for none); the docs page's is docs/assets/performance.svg")
    ap.add_argument("--markdown", default="", help="also write the table to this file")
    ap.add_argument("--only", default="", help="run only layers whose name contains this text")
    ap.add_argument("--grad-only", action="store_true", help="time only the gradients (the table 'Gradients')")
    args = ap.parse_args(argv)
    rounds = args.rounds or (5 if args.quick else 7)
    budget = 0.1 if args.quick else 0.2

    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not importable: its columns are skipped (install it in a separate venv, see the docs page).")
    if torch is not None:
        torch.set_num_threads(args.threads)

    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(var):
            print(f"note: {var}={os.environ[var]} is set" + (" (it can slow numpy's OpenBLAS; unset it for the benchmark)" if var.startswith("OPENBLAS_C") or var.endswith("L2_SIZE") else ""))

    print(f"machine: {cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.machine()}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, convdoc {convdoc.__version__}, "
          f"torch {torch.__version__ + f' ({args.threads} threads)' if torch else 'not installed'}")
    print(f"BLAS: {blas_info()}")
    print(f"load average at start: {load()}")

    peak32 = gemm_peak(np.float32, PEAK_SIZE, rounds)
    peak64 = gemm_peak(np.float64, PEAK_SIZE, rounds)
    print(f"GEMM peak ({PEAK_SIZE}² @ {PEAK_SIZE}², median of {rounds}): float32 {peak32 / 1e9:.0f} GFLOP/s, "
          f"float64 {peak64 / 1e9:.0f} GFLOP/s; measured again beside every layer, in the same rounds")
    print()
    mm32, mm_flops = peak_product(np.float32)
    mm64, _ = peak_product(np.float64)

    layers = [lay for lay in LAYERS if args.only.lower() in lay.name.lower()]
    rows = []
    for layer in [] if args.grad_only else layers:
        for n in (1, 8):
            if n == 8 and layer.kind == "tiny":
                continue  # the article's examples are single images
            if n == 8 and args.quick and layer.flops(1) > 2e9:
                continue
            x, w, b = inputs(layer, n, np.float32)
            kw = kwargs(layer)
            fns = {"convdoc": lambda x=x, w=w, b=b, kw=kw: conv2d(x, w, b, **kw)}
            if torch is not None:
                tx = torch.from_numpy(x.reshape((1,) * (4 - x.ndim) + x.shape))
                tw = torch.from_numpy(w.reshape((1,) * (4 - w.ndim) + w.shape))
                tb = None if b is None else torch.from_numpy(b)
                tkw = dict(stride=layer.stride, padding=layer.padding, dilation=layer.dilation, groups=layer.groups)

                def run_torch(tx=tx, tw=tw, tb=tb, tkw=tkw):
                    with torch.no_grad():
                        return torch.nn.functional.conv2d(tx, tw, tb, **tkw)

                fns["torch"] = run_torch
                got = conv2d(x, w, b, **kw)
                want = run_torch().numpy().reshape(got.shape)
                np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-3 * float(np.abs(want).max()))
            if layer.kind == "tiny":
                fns["reference"] = lambda x=x, w=w, b=b, kw=kw: conv2d_reference(x, w, b, **kw)
            if n == 1:
                x64, w64, b64 = (None if a is None else a.astype(np.float64) for a in (x, w, b))
                fns["convdoc float64"] = lambda x=x64, w=w64, b=b64, kw=kw: conv2d(x, w, b, **kw)
            # the peak in the same rounds: a slow phase of the machine slows both sides of the ratio
            fns["peak float32"] = mm32
            if n == 1:
                fns["peak float64"] = mm64
            per = side_by_side(fns, rounds, budget, per_round=True)
            t = {name: statistics.median(ts) for name, ts in per.items()}
            fl = layer.flops(n)
            row = dict(
                layer=layer, n=n, strategy=conv2d_strategy(x, w, b, **kw),
                convdoc=t["convdoc"], torch=t.get("torch"), reference=t.get("reference"), f64=t.get("convdoc float64"),
                peak32=mm_flops / t["peak float32"], peak64=mm_flops / t["peak float64"] if n == 1 else None,
                # ratios within each round, then their median
                ratio=round_ratio(per["convdoc"], per["torch"]) if "torch" in per else None,
                pct32=100 * fl / mm_flops * round_ratio(per["peak float32"], per["convdoc"]),
                pct64=100 * fl / mm_flops * round_ratio(per["peak float64"], per["convdoc float64"]) if n == 1 else None,
            )
            rows.append(row)
            ratio = "" if row["ratio"] is None else f"  ×{row['ratio']:.2f}"
            print(f"  {layer.name:28s} N={n}  {row['strategy']:9s} convdoc {fmt_time(row['convdoc']):>10s}"
                  f"  torch {fmt_time(row['torch']):>10s}{ratio}", flush=True)

    grads = [grad_row(lay, rounds, budget, torch) for lay in layers if lay.name in GRAD_LAYERS]

    print(f"\nload average at end: {load()}; samples retaken because other processes were busy: "
          f"{_retaken[0]} (kept {_retaken[1]})\n")
    table = markdown_table(rows, torch is not None, args.threads) if rows else ""
    if grads:
        table += ("\n\n" if table else "") + grad_table(grads, args.threads)
    print(table)
    print()
    if rows:
        print(summary(rows))
    if args.markdown:
        Path(args.markdown).write_text(table + "\n", encoding="utf-8")
    if args.plot and rows:
        plot(rows, Path(args.plot), args.threads)
    return 0


def grad_row(layer: Layer, rounds: int, budget: float, torch) -> dict:
    """Forward pass and gradients of one layer, batch 1, float32, timed in the same rounds.

    ``weight`` is the weight gradient alone (the forward pass's column bands times the output
    gradient, :func:`convdoc.fast.weight_grad`), ``input`` the input gradient alone (a "full"
    convolution through conv2d at stride 1, else :func:`convdoc.conv_transpose2d`), ``all`` the
    whole of :func:`convdoc.conv2d_grad`.
    """
    x, w, _ = inputs(layer, 1, np.float32)
    kw = kwargs(layer)
    s, p, d = ((v, v) for v in (layer.stride, layer.padding, layer.dilation))  # as conv2d_grad's checks give them
    g = np.random.default_rng(2).standard_normal(conv2d(x, w, **kw).shape).astype(np.float32)
    fns = {
        "forward": lambda: conv2d(x, w, **kw),
        "weight": lambda: weight_grad(x, g, (layer.f, layer.f), s, p, d, layer.groups, np.dtype(np.float32)),
        "input": lambda: _input_grad(g, w, (layer.size, layer.size), s, p, d, layer.groups),
        "all": lambda: conv2d_grad(x, w, g, **kw),
    }
    if torch is not None:
        tx, tw, tg = (torch.from_numpy(a) for a in (x, w, g))
        tkw = dict(stride=layer.stride, padding=layer.padding, dilation=layer.dilation, groups=layer.groups)

        def torch_forward():
            with torch.no_grad():
                return torch.nn.functional.conv2d(tx, tw, **tkw)

        def torch_weight():
            with torch.no_grad():
                return torch.nn.grad.conv2d_weight(tx, tw.shape, tg, **tkw)

        fns["torch forward"], fns["torch weight"] = torch_forward, torch_weight
        np.testing.assert_allclose(fns["weight"](), torch_weight().numpy(), rtol=1e-3, atol=1e-2 * float(np.abs(torch_weight().numpy()).max()))
    per = side_by_side(fns, rounds, budget, per_round=True)
    row = {"layer": layer, **{name: statistics.median(ts) for name, ts in per.items()}}
    for name in ("weight", "input", "all"):
        row[f"{name}/forward"] = round_ratio(per[name], per["forward"])
    if torch is not None:
        row["torch weight/forward"] = round_ratio(per["torch weight"], per["torch forward"])
    print(f"  {layer.name:28s} gradients: weight {fmt_time(row['weight'])} = {row['weight/forward']:.2f}× forward "
          f"{fmt_time(row['forward'])}, input {row['input/forward']:.2f}×, conv2d_grad {row['all/forward']:.2f}×", flush=True)
    return row


def grad_table(rows, threads) -> str:
    """The docs page's gradients table: each time as a ratio to the forward pass of the same rounds."""
    head = ["layer", "shape", "conv2d (forward)", "weight gradient", "÷ forward", "input gradient", "÷ forward",
            "conv2d_grad (all three)", "÷ forward", f"PyTorch ({threads} threads) weight gradient ÷ forward"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    for r in rows:
        torch_ratio = f"{r['torch weight/forward']:.2f}×" if "torch weight/forward" in r else "–"
        cells = [r["layer"].name, r["layer"].describe(), fmt_time(r["forward"]),
                 fmt_time(r["weight"]), f"{r['weight/forward']:.2f}×", fmt_time(r["input"]), f"{r['input/forward']:.2f}×",
                 fmt_time(r["all"]), f"{r['all/forward']:.2f}×", torch_ratio]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_table(rows, have_torch, threads) -> str:
    """The docs page's table; percentages are of the GEMM peak measured in the same rounds as the row."""
    head = ["layer", "shape", "N", "strategy", "convdoc float32", f"PyTorch ({threads} threads)", "ratio",
            "GFLOP/s", "% of f32 GEMM peak", "convdoc float64", "% of f64 GEMM peak", "conv2d_reference",
            "GEMM peak f32 / f64 (GFLOP/s)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * 3 + ["---"] + ["---:"] * (len(head) - 4)) + "|"]
    for r in rows:
        lay, n = r["layer"], r["n"]
        fl = lay.flops(n)
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] else "–"
        f64 = r["f64"]
        peaks = f"{r['peak32'] / 1e9:.0f}" + ("" if r["peak64"] is None else f" / {r['peak64'] / 1e9:.0f}")
        cells = [
            lay.name, lay.describe(), str(n), r["strategy"], fmt_time(r["convdoc"]), fmt_time(r["torch"]), ratio,
            f"{fl / r['convdoc'] / 1e9:.1f}", f"{r['pct32']:.0f} %",
            fmt_time(f64), "–" if f64 is None else f"{r['pct64']:.0f} %", fmt_time(r["reference"]),
            peaks,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary(rows) -> str:
    one = [r for r in rows if r["n"] == 1 and r["ratio"]]
    out = []
    if one:
        ratios = {r["layer"].name: r["ratio"] for r in one}
        geo = math.exp(statistics.mean(math.log(v) for v in ratios.values()))
        ordinary = [(ratios[r["layer"].name], r["layer"].name) for r in one if r["layer"].kind == "ordinary"]
        dw = [ratios[r["layer"].name] for r in one if r["layer"].kind == "depthwise"]
        tiny = [(ratios[r["layer"].name], r["convdoc"]) for r in one if r["layer"].kind == "tiny"]
        out.append(f"batch 1, float32, time(convdoc)/time(PyTorch): geometric mean {geo:.2f} over {len(ratios)} layers (target ≤ 1.5)")
        if ordinary:
            worst = max(ordinary)
            out.append(f"worst ordinary layer: {worst[0]:.2f}× ({worst[1]}) (target ≤ 2.5)")
        if dw:
            out.append(f"depthwise: {max(dw):.2f}× (target ≤ 8)")
        if tiny:
            out.append("tiny cases: " + ", ".join(f"{v:.2f}× ({fmt_time(t)})" for v, t in tiny) + " (target ≤ 2.5)")
    big = [r for r in rows if r["n"] == 1 and r["f64"] and r["layer"].c >= 256]
    if big:
        out.append("float64 on C ≥ 256 layers, % of the float64 GEMM peak of the same rounds: " + ", ".join(
            f"{r['layer'].name} {r['pct64']:.0f} %" for r in big) + " (target ≥ 80 %)")
    return "\n".join(out) if out else "PyTorch not measured: no ratios."


def plot(rows, path: Path, threads: int) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not importable: no plot written.")
        return
    one = [r for r in rows if r["n"] == 1]
    names = [r["layer"].name for r in one]
    y = np.arange(len(one))
    plt.rcParams["svg.fonttype"] = "none"  # keep text as text: small file, the page's own font
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 0.42 * len(one) + 1.6), sharey=True, gridspec_kw={"width_ratios": [1, 1]})
    peak32 = statistics.median(r["peak32"] for r in one)
    gf = [r["layer"].flops(1) / r["convdoc"] / 1e9 for r in one]
    ax1.barh(y - 0.2, gf, 0.4, label="convdoc", color="#3f51b5")
    if any(r["torch"] for r in one):
        tg = [r["layer"].flops(1) / r["torch"] / 1e9 if r["torch"] else 0 for r in one]
        ax1.barh(y + 0.2, tg, 0.4, label=f"PyTorch ({threads} threads)", color="#ff9800")
    ax1.axvline(peak32 / 1e9, color="k", ls="--", lw=1, label="numpy float32 GEMM peak (median of the rows)")
    ax1.set_xlabel("GFLOP/s (float32, batch 1)")
    ax1.set_yticks(y, names)
    ax1.invert_yaxis()
    ax1.legend(loc="lower right", fontsize=8)
    if any(r["torch"] for r in one):
        ratios = [r["ratio"] if r["ratio"] else float("nan") for r in one]
        ax2.barh(y, ratios, 0.6, color="#3f51b5", left=0)
        ax2.set_xscale("log")
        lo = min(0.25, min(v for v in ratios if v == v) / 1.5)
        ax2.set_xlim(lo, max(10, max(v for v in ratios if v == v) * 1.5))
        ticks = [t for t in (0.125, 0.25, 0.5, 1, 1.5, 2.5, 4, 8) if t >= lo]
        ax2.set_xticks(ticks, [f"{t:g}×" for t in ticks])
        ax2.axvline(1, color="k", lw=1)
        ax2.axvline(1.5, color="#888", ls=":", lw=1, label="1.5×")
        for yi, v, r in zip(y, ratios, one):
            if v == v:
                ax2.text(v * 1.06, yi, f"{v:.2f}×  ({fmt_time(r['convdoc'])})", va="center", fontsize=8)
        ax2.set_xlabel("time(convdoc) / time(PyTorch), log scale (convdoc's time in brackets)")
    else:
        ax2.text(0.5, 0.5, "PyTorch not installed", ha="center", transform=ax2.transAxes)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
    print(f"plot written to {path}")


if __name__ == "__main__":
    sys.exit(main())
