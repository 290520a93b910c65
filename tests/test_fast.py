"""Every strategy of conv2d's fast path against conv2d_reference, dtypes, and the workspace cap."""

import contextlib
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convdoc import conv2d, conv2d_reference, conv2d_strategy
from convdoc import conv, fast
from convdoc.examples import DEMO_B, DEMO_PADDING, DEMO_STRIDE, DEMO_W, DEMO_X, FILTER, IMAGE, STRIDE1_MAP

GENERAL = ["small", "gemm", "depthwise"]  # strategies that take any valid case


@st.composite
def case(draw, *, one_by_one=False, depthwise=False):
    groups = draw(st.integers(1, 3))
    cg = 1 if depthwise else draw(st.integers(1, 3))
    kg = draw(st.integers(1, 2))
    if one_by_one:
        fh = fw = 1
        p = (0, 0)
    else:
        fh, fw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    h = draw(st.integers(max(1, d[0] * (fh - 1) + 1 - 2 * p[0]), 10))
    w = draw(st.integers(max(1, d[1] * (fw - 1) + 1 - 2 * p[1]), 10))
    n = draw(st.integers(1, 2))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((n, cg * groups, h, w))
    wt = rng.standard_normal((kg * groups, cg, fh, fw))
    b = rng.standard_normal(kg * groups) if draw(st.booleans()) else None
    return x, wt, b, dict(stride=s, padding=p, dilation=d, groups=groups)


def forced(name, x, w, b, kw):
    with fast.use_strategy(name):
        return conv2d(x, w, b, **kw)


def float32_tolerance(x, w, b):
    """Rounding of a float32 sum of C/groups * F_h * F_w products, relative to float64."""
    terms = np.prod(w.shape[1:])
    scale = np.abs(x).max() * np.abs(w).max() * terms + (0 if b is None else np.abs(b).max())
    return 4 * np.finfo(np.float32).eps * scale


def check_all_dtypes(name, x, w, b, kw):
    ref = conv2d_reference(x, w, b, **kw)
    out = forced(name, x, w, b, kw)
    assert out.dtype == np.float64 and out.shape == ref.shape
    np.testing.assert_allclose(out, ref, rtol=1e-10, atol=1e-10)

    x32, w32 = x.astype(np.float32), w.astype(np.float32)
    b32 = None if b is None else b.astype(np.float32)
    ref32 = conv2d_reference(x32.astype(np.float64), w32.astype(np.float64), None if b is None else b32.astype(np.float64), **kw)
    out32 = forced(name, x32, w32, b32, kw)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, ref32, rtol=0, atol=float32_tolerance(x32, w32, b32))

    xi, wi = np.rint(3 * x).astype(np.int16), np.rint(2 * w).astype(np.int8)
    bi = None if b is None else np.rint(5 * b).astype(np.int64)
    outi = forced(name, xi, wi, bi, kw)
    assert outi.dtype == np.int64
    assert np.array_equal(outi, conv2d_reference(xi, wi, bi, **kw))


@pytest.mark.parametrize("name", GENERAL)
@settings(max_examples=60, deadline=None)
@given(c=case())
def test_general_strategies_agree_with_reference(name, c):
    check_all_dtypes(name, *c)


@pytest.mark.parametrize("name", GENERAL + ["pointwise"])
@settings(max_examples=40, deadline=None)
@given(c=case(one_by_one=True))
def test_one_by_one_filters(name, c):
    check_all_dtypes(name, *c)


@pytest.mark.parametrize("name", ["gemm", "depthwise"])
@settings(max_examples=40, deadline=None)
@given(c=case())
def test_one_row_chunks_agree_with_reference(name, c):
    # a 1-byte limit forces the smallest chunks: one output row (gemm) or one row of one group
    x, w, b, kw = c
    with fast.limited_workspace(1):
        out = forced(name, x, w, b, kw)
    np.testing.assert_allclose(out, conv2d_reference(x, w, b, **kw), rtol=1e-10, atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(c=case(depthwise=True))
def test_depthwise_agrees_on_depthwise_layers(c):
    x, w, b, kw = c
    if kw["groups"] > 1:
        assert conv2d_strategy(x, w, b, **kw) in ("small", "depthwise")
    check_all_dtypes("depthwise", *c)


@pytest.mark.parametrize("name", GENERAL)
def test_article_examples_with_every_strategy(name):
    assert np.array_equal(forced(name, IMAGE, FILTER, None, {}), STRIDE1_MAP)
    kw = dict(stride=DEMO_STRIDE, padding=DEMO_PADDING)
    assert np.array_equal(forced(name, DEMO_X, DEMO_W, DEMO_B, kw), conv2d_reference(DEMO_X, DEMO_W, DEMO_B, **kw))


@pytest.mark.parametrize("name", GENERAL + ["pointwise"])
def test_integers_too_large_for_float64_stay_exact(name):
    # products near 2**55: float64 would round them, int64 holds them
    rng = np.random.default_rng(3)
    x = rng.integers(2**29, 2**30, (1, 2, 5, 6))
    w = rng.integers(2**24, 2**25, (2, 2, 1, 1) if name == "pointwise" else (2, 2, 3, 3))
    out = forced(name, x, w, None, {})
    assert out.dtype == np.int64
    assert np.array_equal(out, conv2d_reference(x, w))


@pytest.mark.parametrize("name", list(fast.STRATEGIES))
def test_dtypes_kept_by_every_strategy(name):
    x = np.ones((1, 2, 5, 5))
    w = np.ones((2, 2, 1, 1))
    for xd, wd, want in [
        (np.float32, np.float32, np.float32),
        (np.float64, np.float32, np.float64),
        (np.float16, np.float16, np.float32),
        (np.int8, np.uint8, np.int64),
        (np.int32, np.float32, np.float64),
    ]:
        assert forced(name, x.astype(xd), w.astype(wd), None, {}).dtype == want


def test_non_contiguous_and_mixed_inputs():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 6, 12, 14))[:, ::2, ::2, 1:]  # strided view
    w = rng.standard_normal((4, 3, 1, 1)).astype(np.float32)
    for name in fast.STRATEGIES:
        np.testing.assert_allclose(forced(name, x, w, None, {"stride": 2}), conv2d_reference(x, w, stride=2), rtol=1e-6, atol=1e-6)


def test_automatic_choice():
    assert conv2d_strategy(IMAGE, FILTER) == "small"
    assert conv2d_strategy(DEMO_X, DEMO_W, DEMO_B, stride=2, padding=1) == "small"
    assert conv2d_strategy(np.ones((1, 16, 32, 32)), np.ones((16, 16, 3, 3)), padding=1) == "gemm"
    assert conv2d_strategy(np.ones((1, 16, 32, 32)), np.ones((8, 16, 1, 1))) == "pointwise"
    assert conv2d_strategy(np.ones((1, 16, 32, 32)), np.ones((8, 16, 1, 1)), padding=1) == "gemm"
    assert conv2d_strategy(np.ones((1, 16, 32, 32)), np.ones((16, 1, 3, 3)), groups=16) == "depthwise"
    assert conv2d_strategy(np.ones((1, 16, 32, 32)), np.ones((32, 1, 3, 3)), groups=16) == "depthwise"
    with fast.use_strategy("gemm"):
        assert conv2d_strategy(IMAGE, FILTER) == "gemm"


def test_forcing_errors():
    with pytest.raises(ValueError, match="name must be one of"):
        with fast.use_strategy("winograd"):
            pass
    with pytest.raises(ValueError, match="'pointwise' needs 1x1 filters and padding 0"):
        forced("pointwise", IMAGE, FILTER, None, {})
    with pytest.raises(ValueError, match="'pointwise' needs 1x1 filters and padding 0"):
        forced("pointwise", IMAGE, np.ones((1, 1)), None, {"padding": 1})


def test_workspace_limit_setting():
    assert fast.workspace_limit() == fast.DEFAULT_WORKSPACE_LIMIT == 64 * 2**20
    with fast.limited_workspace(12345) as n:
        assert n == 12345 and fast.workspace_limit() == 12345
    assert fast.workspace_limit() == fast.DEFAULT_WORKSPACE_LIMIT
    old = fast.set_workspace_limit(2**20)
    try:
        assert old == fast.DEFAULT_WORKSPACE_LIMIT
        assert fast.workspace_limit() == 2**20
    finally:
        fast.set_workspace_limit(old)
    with pytest.raises(ValueError, match="nbytes must be a positive integer"):
        fast.set_workspace_limit(0)
    with pytest.raises(TypeError, match="nbytes must be a positive integer"):
        fast.set_workspace_limit(1.5)


def peak_beyond_output(fn):
    """Peak bytes traced during fn() minus the bytes of what it returns.

    fn runs once untraced first: one-time costs (caches, the worker threads) are not workspace.
    The scratch buffer that conv2d keeps between calls is released, so its allocation is traced.
    """
    fn()
    fast.release_workspace()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        out = fn()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return peak - out.nbytes, out


LIMIT = 256 * 2**10
SLACK = 32 * 2**10  # Python objects, small index arrays, the cast weights


@pytest.mark.parametrize(
    "name, wshape, kw",
    [
        ("gemm", (16, 16, 3, 3), {"padding": 1}),
        ("gemm", (16, 4, 3, 3), {"padding": 2, "dilation": 2, "groups": 4}),
        ("gemm", (16, 16, 3, 3), {"stride": 2, "padding": 1}),
        ("pointwise", (16, 16, 1, 1), {"stride": 2}),
        ("depthwise", (16, 1, 3, 3), {"padding": 1, "groups": 16}),
        ("depthwise", (32, 1, 5, 5), {"stride": 2, "padding": 2, "groups": 16}),
    ],
)
def test_workspace_stays_under_the_limit(name, wshape, kw):
    # batch 4, 16 channels, 64x64, float32: a full column buffer would be 9 MiB, 36x the limit
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 16, 64, 64)).astype(np.float32)
    w = rng.standard_normal(wshape).astype(np.float32)
    with fast.limited_workspace(LIMIT):
        extra, out = peak_beyond_output(lambda: forced(name, x, w, None, kw))
    assert extra <= LIMIT + SLACK, f"{name} used {extra} bytes beyond its output, limit {LIMIT}"
    np.testing.assert_allclose(out, conv2d(x.astype(np.float64), w.astype(np.float64), **kw), rtol=1e-4, atol=1e-3)


def test_workspace_limit_is_what_bounds_memory():
    # the same call without a tight limit does use more: the test above can fail
    rng = np.random.default_rng(6)
    x = rng.standard_normal((4, 16, 64, 64)).astype(np.float32)
    w = rng.standard_normal((16, 16, 3, 3)).astype(np.float32)
    with fast.use_strategy("gemm"), fast.limited_workspace(64 * 2**20):
        extra, _ = peak_beyond_output(lambda: conv2d(x, w, padding=1))
    assert extra > LIMIT + SLACK


def test_kept_scratch_buffer_respects_the_limit():
    x = np.ones((1, 16, 64, 64), np.float32)
    w = np.ones((16, 16, 3, 3), np.float32)
    with fast.use_strategy("gemm"):
        conv2d(x, w, padding=1)
        assert fast._local.buffer.nbytes <= fast.workspace_limit()
        with fast.limited_workspace(LIMIT):
            conv2d(x, w, padding=1)
            assert fast._local.buffer.nbytes <= LIMIT
    fast.release_workspace()
    assert fast._local.buffer is None


def test_pointwise_contiguous_needs_no_workspace():
    x = np.ones((2, 32, 40, 40), np.float32)
    w = np.ones((8, 32, 1, 1), np.float32)
    extra, out = peak_beyond_output(lambda: conv2d(x, w))
    assert out.shape == (2, 8, 40, 40)
    assert extra <= SLACK


# "same" convolutions with stride 1 (W2 == W) take the gemm strategy's flat fill: the windows of a
# band are runs of a flat copy of its input rows, and the columns that wrapped into a neighbouring
# row are zeroed afterwards. Filters wider than tall and the reverse, dilation, and one-row bands.
SAME = [
    ((4, 3, 3, 3), {"padding": 1}),
    ((4, 3, 3, 5), {"padding": (1, 2)}),
    ((4, 3, 5, 1), {"padding": (2, 0)}),
    ((4, 3, 1, 3), {"padding": (0, 1)}),
    ((4, 3, 3, 3), {"padding": 2, "dilation": 2}),
    ((4, 3, 3, 3), {"padding": (1, 3), "dilation": (1, 3)}),
    ((6, 1, 3, 3), {"padding": 1, "groups": 3}),
    ((4, 3, 1, 1), {}),
    ((4, 3, 2, 1), {"padding": (0, 0)}),
    ((4, 3, 7, 7), {"padding": 3}),  # wider than the 5-pixel-wide input: windows mostly padding
]


@pytest.mark.parametrize("limit", [None, 1])
@pytest.mark.parametrize("wshape, kw", SAME)
def test_same_convolutions_with_stride_one(wshape, kw, limit):
    rng = np.random.default_rng(11)
    x = rng.standard_normal((2, 3, 6, 5))
    w = rng.standard_normal(wshape)
    b = rng.standard_normal(wshape[0])
    ref = conv2d_reference(x, w, b, **kw)
    assert ref.shape[-1] == x.shape[-1]  # W2 == W: the flat fill
    with contextlib.ExitStack() as stack:
        if limit:
            stack.enter_context(fast.limited_workspace(limit))
        out = forced("gemm", x, w, b, kw)
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12)


# Deep layers have more weights than results, so conv2d checks the result instead of every weight
# (NaN * 0 stays NaN); a non-finite weight must still raise, also where it only meets zeros.
DEEP = dict(x=(1, 32, 3, 3), w=(32, 32, 3, 3), kw={"padding": 1})


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("zeros", [False, True])
def test_non_finite_weight_in_a_deep_layer_raises(dtype, bad, zeros):
    rng = np.random.default_rng(12)
    x = np.zeros(DEEP["x"], dtype) if zeros else rng.standard_normal(DEEP["x"]).astype(dtype)
    w = rng.standard_normal(DEEP["w"]).astype(dtype)
    assert w.size > conv2d(x, w, **DEEP["kw"]).size
    w[7, 3, 0, 2] = bad
    with pytest.raises(ValueError, match="weight contains NaN or infinity"):
        conv2d(x, w, **DEEP["kw"])


def test_result_is_only_trusted_where_nan_survives_a_product(monkeypatch):
    # with a BLAS that skipped zero factors, NaN weights meeting zeros would vanish: every weight is checked
    monkeypatch.setattr(conv, "_plans", {})
    monkeypatch.setattr(conv, "_survives", {np.dtype(np.float64): False})
    x = np.zeros(DEEP["x"])
    w = np.ones(DEEP["w"])
    assert not conv._plan(x, w, None, 1, 1, 1, 1)[0].vouch_w
    w[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="weight contains NaN or infinity"):
        conv2d(x, w, **DEEP["kw"])


def test_nan_survives_products_here():
    # numpy's OpenBLAS keeps NaN * 0 = NaN: the cheap check is the one in use
    assert conv._nan_survives(np.dtype(np.float64)) and conv._nan_survives(np.dtype(np.float32))
    assert conv._plan(np.ones(DEEP["x"]), np.ones(DEEP["w"]), None, 1, 1, 1, 1)[0].vouch_w
    assert conv._plan(np.ones(WIDE["x"]), np.ones(WIDE["w"]), None, 1, 0, 1, 1)[0].vouch_x


# A 1x1 layer that shrinks the channels has more input values than results: the result is checked
# instead of x, which is sound only where every pixel of x is read by some window.
WIDE = dict(x=(1, 64, 32, 32), w=(8, 64, 1, 1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("zeros", [False, True])
def test_non_finite_x_in_a_wide_layer_raises(dtype, bad, zeros):
    rng = np.random.default_rng(14)
    x = rng.standard_normal(WIDE["x"]).astype(dtype)
    w = np.zeros(WIDE["w"], dtype) if zeros else rng.standard_normal(WIDE["w"]).astype(dtype)
    assert x.size > conv2d(x, w).size
    x[0, 17, 31, 0] = bad
    with pytest.raises(ValueError, match="x contains NaN or infinity"):
        conv2d(x, w)


def test_non_finite_x_where_no_window_reads_still_raises():
    # a 1x1 filter with stride 2 reads rows 0, 2, 4, ...: a NaN in row 1 never reaches the result
    x = np.ones((1, 64, 33, 33))
    w = np.ones((8, 64, 1, 1))
    assert conv2d_strategy(x, w, stride=2) == "pointwise" and x.size > conv2d(x, w, stride=2).size
    assert not conv._plan(x, w, None, 2, 0, 1, 1)[0].vouch_x
    x[0, 3, 1, 1] = np.nan
    with pytest.raises(ValueError, match="x contains NaN or infinity"):
        conv2d(x, w, stride=2)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 30), f=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 3), d=st.integers(1, 3))
def test_read_mask_marks_exactly_the_cells_the_windows_read(n, f, s, p, d):
    # the mask behind coverage() and behind conv2d's choice to trust its result for x
    from convdoc.windows import read_mask

    if d * (f - 1) + 1 > n + 2 * p:
        return
    out = (n + 2 * p - d * (f - 1) - 1) // s + 1
    read = {o * s + m * d for o in range(out) for m in range(f)}  # padded coordinates
    assert [i for i, r in enumerate(read_mask(n, f, s, p, d, out)) if r] == sorted(read)


def test_overflow_with_finite_weights_is_not_an_error():
    # a result can be infinite although every input is finite; that is arithmetic, not bad input
    x = np.full(DEEP["x"], 1e300)
    w = np.full(DEEP["w"], 1e300)
    with pytest.warns(RuntimeWarning, match="overflow"):
        out = conv2d(x, w, **DEEP["kw"])
    assert np.isinf(out).all()


@pytest.mark.parametrize("kw", [{"padding": 1}, {"stride": 2, "padding": 1}, {"padding": 2, "dilation": 2}])
def test_large_column_buffers_alternate_between_two_places(monkeypatch, kw):
    # a call that is one chunk larger than _GEMM_CHUNK takes turns between two places for its
    # column buffer; every turn gives the same result. Several chunks in a call: one place.
    monkeypatch.setattr(fast, "_GEMM_CHUNK", 1024)
    turns = []
    real_turn = fast._turn
    monkeypatch.setattr(fast, "_turn", lambda slots: turns.append(slots) or real_turn(slots))
    rng = np.random.default_rng(13)
    x = rng.standard_normal((3, 8, 9, 9))
    w = rng.standard_normal((8, 8, 3, 3))
    ref = conv2d_reference(x, w, **kw)
    for _ in range(3):
        np.testing.assert_allclose(forced("gemm", x[:1], w, None, kw), ref[:1], rtol=1e-12, atol=1e-12)
    assert turns == [2, 2, 2]
    turns.clear()
    np.testing.assert_allclose(forced("gemm", x, w, None, kw), ref, rtol=1e-12, atol=1e-12)
    assert turns == [1, 1, 1]  # one chunk per image
    turns.clear()
    with fast.limited_workspace(2 * 1024):  # bands of rows, and two places would not fit anyway
        np.testing.assert_allclose(forced("gemm", x[:1], w, None, kw), ref[:1], rtol=1e-12, atol=1e-12)
    assert len(turns) > 1 and set(turns) == {1}
