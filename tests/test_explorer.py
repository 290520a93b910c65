"""The convolution explorer (docs/explorer.md, docs/javascripts/explorer.js) in Chromium, against convdoc.

What the page shows is read back from the page (the input cells, the filters, the biases, the
output maps, the derivation of the selected cell, the error) and compared with what convdoc
computes in Python from the same data: ``conv2d`` / ``conv_transpose2d`` for every output, ``str(explain(...))``
character by character for the derivation, and the text of convdoc's ``ValueError`` for an
impossible setting. Also: the article's −5, play/step order, the URL state, keyboard-only use,
reduced motion, the no-JavaScript fallback and the links from the chapters.
"""

from __future__ import annotations

import importlib.util
import random
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

import convdoc
from convdoc import conv2d, conv_transpose2d, explain
from convdoc.examples import DEMO_B, DEMO_MINUS5_AT, DEMO_PADDING, DEMO_STRIDE, DEMO_W, DEMO_X, FILTER, IMAGE

ROOT = Path(__file__).resolve().parents[1]
LANGS = {"zh": "", "en": "en/"}
# the controls and their ranges (issue 14), as the page's <select>s offer them
RANGES = {"h": (1, 11), "w": (1, 11), "c": (1, 4), "k": (1, 4), "f": (1, 5), "s": (1, 3), "p": (0, 3), "d": (1, 3), "op": (0, 2)}


def _hooks_explorer():
    spec = importlib.util.spec_from_file_location("explorer_hook_for_tests", ROOT / "hooks" / "explorer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def still(tab):
    """The tab with prefers-reduced-motion: reduce (no autoplay), opening the explorer at ``query``."""
    tab.page.emulate_media(reduced_motion="reduce")

    def open_(lang: str = "zh", query: str = ""):
        page = tab.open(f"{LANGS[lang]}explorer/{query}")
        page.wait_for_selector(".convdoc-explorer[data-mounted]")
        return page

    return open_


# what the explorer shows, read from the page's cells (data-value holds the Python-printed number)
READ = """(root) => {
  root = root || document.querySelector('.convdoc-explorer');
  const values = (sel, scope) => [...(scope || root).querySelectorAll(sel)].map((e) => Number(e.dataset.value));
  const state = root.dataset.state;
  if (state !== 'ok') {
    return {state, kind: root.querySelector('.convdoc-explorer__error').dataset.kind,
            message: root.querySelector('.convdoc-explorer__message').textContent,
            rule: root.querySelector('.convdoc-explorer__error').textContent,
            figureHidden: root.querySelector('.convdoc-explorer__figure').hidden};
  }
  const inputs = [...root.querySelectorAll('.convdoc-explorer__input')];
  return {
    state,
    mode: root.dataset.mode,
    preset: root.dataset.preset,
    at: root.dataset.at,
    window: root.dataset.window,
    // per input channel: the values of its data cells (pad / stuffed zeros left out), and every cell's kind
    x: inputs.map((g) => values('.is-data', g)),
    kinds: inputs.map((g) => [...g.children].map((c) => c.dataset.kind)),
    viewCols: inputs.length ? getComputedStyle(inputs[0]).getPropertyValue('--cols') : null,
    filters: [...root.querySelectorAll('.convdoc-explorer__filter')].map((b) => ({
      k: Number(b.dataset.filter), values: values('.is-weight', b)})),
    bias: values('.convdoc-explorer__bias'),
    out: [...root.querySelectorAll('.convdoc-explorer__map')].map((m) => values('.is-out', m)),
    shape: [...root.querySelectorAll('.convdoc-explorer__output')].map((g) => [
      g.children.length / Number(getComputedStyle(g).getPropertyValue('--cols')), Number(getComputedStyle(g).getPropertyValue('--cols'))]),
    derivation: root.querySelector('.convdoc-explorer__derivation').textContent,
    live: root.querySelector('.convdoc-explorer__live').textContent,
    seed: root.querySelector('input[name="seed"]').value,
    source: root.querySelector('.convdoc-explorer__source').dataset.source,
  };
}"""

# set the controls (a change event, as when a reader changes one: the explorer reads the whole form),
# select cells with a click, read everything back
SET_AND_READ = """([read, cases]) => {
  read = eval(read);
  const root = document.querySelector('.convdoc-explorer');
  const form = root.querySelector('form');
  return cases.map(({values, picks}) => {
    for (const [name, value] of Object.entries(values)) form.elements[name].value = String(value);
    form.elements.seed.dispatchEvent(new Event('change', {bubbles: true}));
    const first = read(root);
    if (first.state !== 'ok') return {first, picked: []};
    const cells = [...root.querySelectorAll('.convdoc-explorer__output .is-out')];
    const picked = picks.map((p) => {
      const cell = cells[p % cells.length];
      cell.click();
      return {at: cell.dataset.at, derivation: read(root).derivation, window: root.dataset.window,
              current: root.querySelectorAll('.is-current').length, taps: root.querySelectorAll('.is-tap').length};
    });
    return {first, picked};
  });
}"""


def as_arrays(got: dict, q: dict, mode: str):
    """x (C, H, W), the weights in convdoc's layout and the biases, from what the page shows."""
    c, k, f = q["c"], q["k"], q["f"]
    x = np.array(got["x"], dtype=np.int64).reshape(c, q["h"], q["w"])
    shown = np.zeros((k, c, f, f), dtype=np.int64)  # filter k's slice for channel d, as drawn
    blocks = got["filters"]
    assert len(blocks) == c * k
    for n, block in enumerate(blocks):
        d = n // k
        shown[block["k"], d] = np.array(block["values"]).reshape(f, f)
    if mode == "conv":
        w = shown
    else:  # drawn flipped (the zero-stuffed view); convdoc's layout is (C, K, F, F)
        w = shown[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)
    return x, w, np.array(got["bias"], dtype=np.int64)


def stuffed_view(x: np.ndarray, q: dict) -> np.ndarray:
    """The transposed convolution's input as the explorer draws it, built here independently:
    stride - 1 zeros between pixels, D(F-1) zeros around (and output_padding more at the bottom and
    right), the first P rows and columns cut, as a transposed convolution's output is cut."""
    s, p, d, f, op = q["s"], q["p"], q["d"], q["f"], q["op"]
    c, h, w = x.shape
    st = np.zeros((c, (h - 1) * s + 1, (w - 1) * s + 1), dtype=x.dtype)
    st[:, ::s, ::s] = x
    q0 = d * (f - 1)
    padded = np.pad(st, ((0, 0), (q0, q0 + op), (q0, q0 + op)))
    return padded[:, p:, p:]


def convdoc_error(q: dict, mode: str) -> str | None:
    x = np.zeros((q["c"], q["h"], q["w"]), dtype=np.int64)
    try:
        if mode == "conv":
            conv2d(x, np.zeros((q["k"], q["c"], q["f"], q["f"]), dtype=np.int64), stride=q["s"], padding=q["p"], dilation=q["d"])
        else:
            conv_transpose2d(x, np.zeros((q["c"], q["k"], q["f"], q["f"]), dtype=np.int64), stride=q["s"],
                             padding=q["p"], output_padding=q["op"], dilation=q["d"])
    except ValueError as exc:
        return str(exc)
    return None


def check_against_convdoc(q: dict, mode: str, result: dict) -> None:
    first, where = result["first"], (mode, q)
    error = convdoc_error(q, mode)
    if error is not None:
        assert first["state"] == "error" and first["figureHidden"], (where, first)
        assert first["message"] == error, where
        return
    assert first["state"] == "ok", (where, first)
    x, w, b = as_arrays(first, q, mode)
    if mode == "conv":
        want = conv2d(x, w, b, stride=q["s"], padding=q["p"], dilation=q["d"])
    else:
        want = conv_transpose2d(x, w, b, stride=q["s"], padding=q["p"], output_padding=q["op"], dilation=q["d"])
    assert [list(s) for s in first["shape"]] == [list(want.shape[1:])] * q["k"], where
    assert first["out"] == [list(m.ravel()) for m in want], where
    for pick in result["picked"]:
        k, i, j = map(int, pick["at"].split(","))
        if mode == "conv":
            e = explain(x, w[k], b[k], at=(i, j), stride=q["s"], padding=q["p"], dilation=q["d"])
            window = (i * q["s"], j * q["s"])
        else:
            view = stuffed_view(x, q)
            e = explain(view, w[:, k, ::-1, ::-1], b[k], at=(i, j), dilation=q["d"])
            base = max(0, q["p"] - q["d"] * (q["f"] - 1))  # pixels the padding cuts off stay in view
            window = (base + i, base + j)
        assert pick["derivation"] == str(e), (where, pick)
        assert e.value == want[k, i, j]
        assert pick["window"] == f"{window[0]},{window[1]}", (where, pick)
        assert pick["current"] == 1 and pick["taps"] == q["c"] * q["f"] ** 2, (where, pick)


def random_cases(n: int, rng: random.Random) -> list[tuple[dict, str, dict]]:
    """``n`` settings; every control's every value comes up (checked by the test)."""
    cases = []
    for index in range(n):
        mode = "transposed" if index % 4 == 3 else "conv"
        q = {name: rng.randint(lo, hi) for name, (lo, hi) in RANGES.items()}
        if mode == "transposed":  # keep the zero-stuffed view small enough to draw quickly
            q["h"], q["w"] = rng.randint(1, 6), rng.randint(1, 6)
        else:
            q["op"] = 0
        values = {"mode": mode, **q, "seed": rng.randint(0, 2**32 - 1)}
        picks = [rng.randint(0, 10_000), 10_000_000 - 1]
        cases.append((q, mode, {"values": values, "picks": picks}))
    return cases


def test_300_random_settings_agree_with_conv2d_and_explain(still):
    """300 settings drawn over every control: outputs equal conv2d / conv_transpose2d, derivations equal explain."""
    rng = random.Random(14)
    cases = random_cases(480, rng)
    page = still("en", "?preset=demo")
    results = page.evaluate(SET_AND_READ, [READ, [case for _, _, case in cases]])
    seen = {name: set() for name in RANGES}
    kinds = {"conv": 0, "transposed": 0, "error": 0, "derivations": 0}
    for (q, mode, case), result in zip(cases, results):
        check_against_convdoc(q, mode, result)
        if result["first"]["state"] == "ok":
            kinds[mode] += 1
            kinds["derivations"] += len(result["picked"])
            assert result["first"]["seed"] == str(case["values"]["seed"])
            assert result["first"]["source"] == "browser"
            for name in RANGES:
                if name != "op" or mode == "transposed":
                    seen[name].add(q[name])
        else:
            kinds["error"] += 1
    assert kinds["conv"] + kinds["transposed"] >= 300 and kinds["conv"] >= 200 and kinds["transposed"] >= 60, kinds
    assert kinds["error"] >= 20 and kinds["derivations"] >= 600, kinds
    for name, (lo, hi) in RANGES.items():
        want = set(range(lo, hi + 1)) if name not in ("h", "w") else set(range(1, 12))
        assert seen[name] == want, (name, sorted(seen[name]))


def test_the_same_seed_gives_the_same_data(still):
    page = still("zh", "?h=4&w=6&c=2&k=3&f=3&s=1&p=1&d=1&seed=123")
    first = page.evaluate(READ)
    page.select_option('select[name="f"]', "2")
    page.select_option('select[name="f"]', "3")
    again = page.evaluate(READ)
    assert first["x"] == again["x"] and first["filters"] == again["filters"] and first["bias"] == again["bias"]
    page.fill('input[name="seed"]', "124")
    other = page.evaluate(READ)
    assert other["seed"] == "124" and (other["x"], other["filters"]) != (first["x"], first["filters"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_minus5_cell_is_explained_as_explain_prints_it(still, lang):
    """The article's demo with the −5 pre-selected, as the article's link opens it."""
    k, i, j = DEMO_MINUS5_AT
    page = still(lang, f"?preset=demo&at={k},{i},{j}")
    got = page.evaluate(READ)
    e = explain(DEMO_X, DEMO_W[k], DEMO_B[k], at=(i, j), stride=DEMO_STRIDE, padding=DEMO_PADDING)
    assert got["at"] == f"{k},{i},{j}" and got["preset"] == "demo" and got["source"] == "convdoc"
    assert got["derivation"] == str(e) and e.value == -5
    assert got["window"] == f"{i * DEMO_STRIDE},{j * DEMO_STRIDE}"
    assert got["out"] == [list(m.ravel()) for m in conv2d(DEMO_X, DEMO_W, DEMO_B, stride=2, padding=1)]
    assert got["x"] == [list(c.ravel()) for c in DEMO_X]
    assert "a[2,1]" in got["live"] and "−5" in got["live"]
    current = page.locator(".is-current")
    assert current.count() == 1 and current.inner_text() == "−5" and current.get_attribute("aria-current") == "true"
    # padding cells are marked as padding, not by colour only: their kind, and a hatched background
    pads = page.locator(".convdoc-explorer__input").first.locator(".is-pad")
    assert pads.count() == 7 * 7 - 5 * 5
    assert "repeating-linear-gradient" in pads.first.evaluate("e => getComputedStyle(e).backgroundImage")
    # the window's bottom row is padding: its taps are padding cells
    assert page.locator(".convdoc-explorer__input").first.locator(".is-tap.is-pad").count() == 3


def test_every_preset_shows_convdocs_numbers(still):
    presets = _hooks_explorer().presets()
    assert {p["id"] for p in presets} >= {"image", "demo", "t-stamp"} and sum(p["id"].startswith("dv-") for p in presets) == 8
    page = still("zh")
    for preset in presets:
        page.select_option('select[name="preset"]', preset["id"])
        got = page.evaluate(READ)
        q, mode = preset["params"], preset["mode"]
        assert got["preset"] == preset["id"] and got["mode"] == mode and got["source"] == "convdoc"
        x, w, b = as_arrays(got, q, mode)
        assert x.tolist() == preset["x"] and w.tolist() == preset["w"] and b.tolist() == preset["b"], preset["id"]
        check_against_convdoc(q, mode, {"first": got, "picked": [{"at": got["at"], "derivation": got["derivation"],
                                                                  "window": got["window"], "current": 1,
                                                                  "taps": q["c"] * q["f"] ** 2}]})
    # the article's image: its stride-1 map
    page.select_option('select[name="preset"]', "image")
    assert page.evaluate(READ)["out"] == [list(conv2d(IMAGE, FILTER).ravel())]


def test_dilation_shows_its_gaps(still):
    page = still("en", "?preset=dv-dilation&at=0,1,2")
    kinds = page.evaluate("""() => [...document.querySelector('.convdoc-explorer__input').children]
      .map((c) => c.classList.contains('is-tap') ? 'tap' : c.classList.contains('is-gap') ? 'gap' : '-')""")
    grid = np.array(kinds).reshape(7, 7)
    taps = {(int(r), int(c)) for r, c in zip(*np.nonzero(grid == "tap"))}
    assert taps == {(1 + 2 * m, 2 + 2 * n) for m in range(3) for n in range(3)}
    assert (grid == "gap").sum() == 5 * 5 - 9  # the window spans 5×5 cells, the dilation skips 16 of them


@pytest.mark.parametrize("lang", LANGS)
def test_impossible_settings_show_convdocs_rule(still, lang):
    page = still(lang, "?h=4&w=4&c=3&k=2&f=3&s=1&p=0&d=1&seed=5")
    page.select_option('select[name="d"]', "2")
    got = page.evaluate(READ)
    with pytest.raises(ValueError) as exc:
        conv2d(np.zeros((3, 4, 4)), np.zeros((2, 3, 3, 3)), dilation=2)
    assert got["state"] == "error" and got["figureHidden"] and got["message"] == str(exc.value)
    assert ("卷积核（含扩张）比填充后的输入还大" if lang == "zh" else "larger than the padded input") in got["rule"]
    assert page.locator(".convdoc-explorer__error").get_attribute("role") == "alert"
    assert page.locator(".convdoc-explorer__play").is_disabled()
    page.select_option('select[name="p"]', "1")  # 4 + 2 = 6 >= 5: possible again
    assert page.evaluate(READ)["state"] == "ok"
    # the transposed convolution's own rule
    page.select_option('select[name="mode"]', "transposed")
    page.select_option('select[name="op"]', "2")
    got = page.evaluate(READ)
    with pytest.raises(ValueError) as exc:
        conv_transpose2d(np.zeros((3, 4, 4)), np.zeros((3, 2, 3, 3)), stride=1, padding=1, output_padding=2, dilation=2)
    assert got["state"] == "error" and got["kind"] == "op" and got["message"] == str(exc.value)


def test_step_and_play_move_the_window_in_reading_order_with_the_stride(still):
    page = still("zh", "?preset=demo&at=0,0,0")
    order = [(k, i, j) for k in range(2) for i in range(3) for j in range(3)]
    seen = []
    for _ in order:
        got = page.evaluate("() => [document.querySelector('.convdoc-explorer').dataset.at, document.querySelector('.convdoc-explorer').dataset.window]")
        seen.append(got)
        page.click(".convdoc-explorer__forward")
    assert seen == [[f"{k},{i},{j}", f"{2 * i},{2 * j}"] for k, i, j in order]
    assert page.evaluate("document.querySelector('.convdoc-explorer').dataset.at") == "0,0,0"  # round again
    page.click(".convdoc-explorer__back")
    assert page.evaluate("document.querySelector('.convdoc-explorer').dataset.at") == "1,2,2"
    assert page.locator(".convdoc-explorer__filter.is-active").count() == 3  # W1's slice on each channel
    # the slider: position 4 is the fifth window of map 0
    page.locator(".convdoc-explorer__slider").fill("4")
    assert page.evaluate("document.querySelector('.convdoc-explorer').dataset.at") == "0,1,1"
    # play: the window moves on by itself, one step at a time, until paused
    page.evaluate("""() => { const root = document.querySelector('.convdoc-explorer'); window.__steps = [];
      new MutationObserver(() => window.__steps.push(root.dataset.at)).observe(root, {attributeFilter: ['data-at']}); }""")
    page.click(".convdoc-explorer__play")
    assert page.locator(".convdoc-explorer__play").get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => window.__steps.length >= 3", timeout=10_000)
    page.click(".convdoc-explorer__play")
    steps = page.evaluate("window.__steps")
    assert steps[:3] == ["0,1,2", "0,2,0", "0,2,1"]
    assert page.locator(".convdoc-explorer__play").get_attribute("aria-pressed") == "false"
    page.wait_for_timeout(1200)
    assert page.evaluate("window.__steps.length") == len(steps)  # paused


def test_the_url_holds_the_state_and_opens_the_same_view(still, tab):
    page = still("en", "?preset=image")
    for name, value in {"c": "2", "k": "3", "f": "2", "s": "2", "p": "1", "d": "2"}.items():
        page.select_option(f'select[name="{name}"]', value)
    page.fill('input[name="seed"]', "2026")
    page.locator('.convdoc-explorer__output').nth(2).locator(".is-out").nth(3).click()
    before = page.evaluate(READ)
    url = page.url
    query = parse_qs(urlsplit(url).query)
    assert {k: v[0] for k, v in query.items()} == {"h": "5", "w": "5", "c": "2", "k": "3", "f": "2", "s": "2", "p": "1", "d": "2",
                                                  "seed": "2026", "at": before["at"]}
    assert before["at"].startswith("2,")
    again = tab.page.context.new_page()
    try:
        again.emulate_media(reduced_motion="reduce")
        again.goto(url, wait_until="load")
        after = again.evaluate(READ)
    finally:
        again.close()
    assert after == before
    # a preset's link, and the transposed mode's
    page.select_option('select[name="preset"]', "t-back")
    page.locator(".convdoc-explorer__output .is-out").nth(7).click()
    assert parse_qs(urlsplit(page.url).query) == {"preset": ["t-back"], "at": ["0,1,1"]}
    page.select_option('select[name="op"]', "0")
    assert parse_qs(urlsplit(page.url).query)["mode"] == ["transposed"]


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_only(still, lang):
    """Choose a preset, reach the output maps, move the selection and play, with keys only."""
    page = still(lang, "?preset=image")
    page.locator('select[name="preset"]').focus()
    for _ in range(2):  # image -> image-stride2 -> demo
        page.keyboard.press("ArrowDown")
    assert page.evaluate(READ)["preset"] == "demo"
    for _ in range(60):  # on to the selected output cell
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('is-out')"):
            break
    else:
        pytest.fail("Tab never reached an output cell")
    assert page.evaluate("document.activeElement.dataset.at") == "0,0,0"
    for key, at in [("ArrowRight", "0,0,1"), ("ArrowDown", "0,1,1"), ("End", "0,2,2"), ("PageDown", "1,2,2"),
                    ("Home", "1,0,0"), ("PageUp", "0,0,0"), ("ArrowLeft", "0,0,0")]:
        page.keyboard.press(key)
        got = page.evaluate("[document.activeElement.dataset.at, document.querySelector('.convdoc-explorer').dataset.at]")
        assert got == [at, at], (key, got)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    got = page.evaluate(READ)
    assert got["at"] == "0,2,1" and got["derivation"] == str(explain(DEMO_X, DEMO_W[0], DEMO_B[0], at=(2, 1), stride=2, padding=1))
    assert "a[2,1]" in got["live"]
    assert page.locator(".convdoc-explorer__live").get_attribute("aria-live") == "polite"
    # Shift+Tab back to the play button, Enter plays, Enter again pauses
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('convdoc-explorer__play')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.convdoc-explorer').dataset.at !== '0,2,1'", timeout=5000)
    live = page.locator(".convdoc-explorer__live")
    assert live.get_attribute("aria-live") == "off"  # not announced at every step while playing
    page.keyboard.press("Enter")
    assert page.locator(".convdoc-explorer").get_attribute("data-playing") == "false"
    assert live.get_attribute("aria-live") == "polite"


def test_reduced_motion_stops_the_autoplay(browser, base_url):
    for motion, playing in (("reduce", "false"), ("no-preference", "true")):
        context = browser.new_context(reduced_motion=motion)
        try:
            page = context.new_page()
            page.goto(base_url + "explorer/", wait_until="load")
            page.wait_for_selector(".convdoc-explorer[data-mounted]")
            assert page.locator(".convdoc-explorer").get_attribute("data-playing") == playing, motion
        finally:
            context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_static_figure_is_shown(browser, base_url, site, lang):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + LANGS[lang] + "explorer/", wait_until="load")
        figures = page.locator(".convdoc-explorer figure svg")
        assert figures.count() == 2
        for n in range(2):
            box = figures.nth(n).bounding_box()
            assert figures.nth(n).is_visible() and box["width"] > 200 and box["height"] > 150
        assert page.locator(".convdoc-explorer__app").count() == 0
    finally:
        context.close()
    # the figures are convdoc's, for this language: the demo and the −5's window
    html = (site / LANGS[lang] / "explorer" / "index.html").read_text(encoding="utf-8")
    for svg in (convdoc.figures.volume(DEMO_X, DEMO_W, DEMO_B, stride=2, padding=1, at=(0, 2, 1), lang=lang),
                convdoc.figures.window(DEMO_X, DEMO_W[0], DEMO_B[0], at=(2, 1), stride=2, padding=1, lang=lang)):
        assert str(svg).strip() in html


# the chapters' links to the explorer: where they are, and the cell each one opens with
LINKS = {
    "cnn-output/": ["preset=image-stride2&at=0,0,1", "preset=demo&at=0,2,1"],
    "output-size/": ["h=7&w=5&c=1&k=1&f=3&s=2&p=1&d=1&seed=1&at=0,3,2", "h=10&w=10&c=1&k=1&f=3&s=2&p=0&d=1&seed=1&at=0,0,3"],
    "padding/": ["h=8&w=8&c=1&k=1&f=3&s=2&p=1&d=1&seed=1&at=0,3,3"],
    "transposed/": ["preset=t-stamp&at=0,1,1", "preset=t-ones&at=0,1,1"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_chapters_link_to_the_explorer_with_the_cell_selected(site, lang):
    """The links in the built chapters (both languages), each to the view LINKS says."""
    for chapter, want in LINKS.items():
        text = (site / LANGS[lang] / chapter / "index.html").read_text(encoding="utf-8")
        hrefs = re.findall(r'<a href="([^"]*explorer/\?[^"]*)"', text)
        assert [urlsplit(h).query.replace("&amp;", "&") for h in hrefs] == want, (chapter, hrefs)
        assert all(urlsplit(h).path == "../explorer/" for h in hrefs), (chapter, hrefs)  # beside the chapter


@pytest.mark.parametrize("query", [q for queries in LINKS.values() for q in queries])
def test_a_chapters_link_opens_its_cell(still, query):
    """What each of the chapters' links opens (in one language, alternately: the state is the same)."""
    lang = list(LANGS)[sum(map(ord, query)) % 2]
    page = still(lang, "?" + query)
    got = page.evaluate(READ)
    want = {k: v[0] for k, v in parse_qs(query).items()}
    assert got["state"] == "ok" and got["at"] == want["at"], (query, got["at"])
    assert {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()} == want
    if "preset" in want:
        assert got["preset"] == want["preset"]
    else:
        assert got["seed"] == want["seed"] and got["viewCols"].strip() == str(int(want["w"]) + 2 * int(want["p"]))
    if want.get("preset") == "demo":  # the article's −5 link: explain's text
        assert got["derivation"] == str(explain(DEMO_X, DEMO_W[0], DEMO_B[0], at=(2, 1), stride=2, padding=1))
        assert re.search(r"= -5$", got["derivation"])


def test_the_explorer_adds_at_most_150_kb_and_only_to_its_pages(site):
    """Its script, its stylesheet and what it puts in the page (presets, the static figures): 150 KB at most."""
    assets = sum((site / path).stat().st_size for path in ("javascripts/explorer.js", "stylesheets/explorer.css"))
    for lang in LANGS:
        html = (site / LANGS[lang] / "explorer" / "index.html").read_text(encoding="utf-8")
        start = html.index('<div class="convdoc-explorer"')
        end = html.index("</noscript>", start)
        assert assets + len(html[start:end].encode()) <= 150_000, (assets, end - start)
        assert "explorer.js" in html and "explorer.css" in html
        for other in ("calculator", "cnn-output"):
            assert "explorer.js" not in (site / LANGS[lang] / other / "index.html").read_text(encoding="utf-8"), other


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_phone_360_px_wide_scrolls_the_figure_not_the_page(browser, base_url, scheme):
    """At 360 px the page never scrolls sideways: a wide figure scrolls inside the explorer; in dark mode too."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme, reduced_motion="reduce")
    try:
        page = context.new_page()
        for query in ("?preset=demo&at=0,2,1", "?h=11&w=11&c=4&k=4&f=1&s=1&p=3&d=1&seed=9&at=3,16,16",
                      "?mode=transposed&h=6&w=6&c=2&k=2&f=5&s=3&p=0&d=3&op=2&seed=3"):
            page.goto(base_url + "en/explorer/" + query, wait_until="load")
            got = page.evaluate("""() => ({
              page: document.documentElement.scrollWidth,
              explorer: document.querySelector('.convdoc-explorer').getBoundingClientRect().right,
              scheme: document.body.getAttribute('data-md-color-scheme'),
              state: document.querySelector('.convdoc-explorer').dataset.state,
            })""")
            assert got["state"] == "ok" and got["page"] <= 360 and got["explorer"] <= 360, (query, got)
            assert got["scheme"] == ("slate" if scheme == "dark" else "default"), got
    finally:
        context.close()
