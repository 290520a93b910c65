// The convolution explorer (docs/explorer.md, docs/explorer.en.md; issue 14).
//
// Mounted in every <div class="convdoc-explorer">, which holds the presets as JSON
// (<script type="application/json">, computed by convdoc at build time: hooks/explorer.py)
// and convdoc's static figure for readers without JavaScript (<noscript>, inert when scripts run).
//
// The rules are convdoc's:
//   conv2d:  a[k,i,j] = b[k] + sum_d sum_m sum_n w[k,d,m,n] * x[d, i*S + m*D - P, j*S + n*D - P]
//            (zero outside x), output size floor((H + 2P - D(F-1) - 1)/S) + 1;
//   conv_transpose2d, shown as a direct convolution (stride 1, the same dilation) of the
//            zero-stuffed input (S - 1 zeros between pixels) with the filter flipped and
//            bordered by D(F-1) - P zeros (Dumoulin & Visin's picture), output size
//            (H-1)S - 2P + D(F-1) + output_padding + 1;
//   explain: str(convdoc.explain(...)) is "a[i,j] = p0 + p1 + ... + bias = value", every
//            product and the bias as Python prints it, negatives in parentheses.
// Errors carry convdoc's own ValueError message, word for word.
//
// The state lives in the URL: ?preset=demo&at=0,2,1 or ?h=5&w=5&c=3&k=2&f=3&s=2&p=1&d=1&seed=7&at=0,2,1
// (mode=transposed and op=1 for the transposed convolution). Plain JavaScript, no dependency.
(function () {
  "use strict";

  const RANGES = {
    h: [1, 11], w: [1, 11], c: [1, 4], k: [1, 4], f: [1, 5], s: [1, 3], p: [0, 3], d: [1, 3], op: [0, 2],
  };
  const PARAMS = Object.keys(RANGES);
  const MAX_SEED = 4294967295;
  const DELAY = 900; // ms between two steps while playing

  const TEXT = {
    zh: {
      mode: "运算", conv: "卷积", transposed: "转置卷积",
      preset: "预设", custom: "随机数据（自定义）",
      labels: { h: "输入高 H", w: "输入宽 W", c: "通道数 C", k: "卷积核个数 K", f: "卷积核大小 F",
        s: "步幅 S", p: "填充 P", d: "扩张率 D", op: "output_padding" },
      seed: "随机种子", newSeed: "换一个种子",
      play: "播放", pause: "暂停", back: "后退一步", forward: "前进一步", slider: "窗口位置",
      stepOf: (t, n) => `第 ${t} 步，共 ${n} 步`,
      input: (d) => `输入 通道 ${d}`, padded: (h, w) => `填充后 ${h}×${w}`, plain: (h, w) => `${h}×${w}`,
      stuffed: (h, w) => `插零、填充后 ${h}×${w}`,
      filter: (k, d) => `卷积核 W${sub(k)} 通道 ${d}`, flipped: "（翻转）",
      inUse: "◀ 正在使用",
      bias: (k, b) => `偏置 b${sub(k)} = ${shown(b)}`,
      output: (k, h, w) => `输出特征图 ${k}（${h}×${w}）`,
      legend: "图例：斜线格是填充的 0，点格是转置卷积插入的 0；粗框是窗口取值的格子，虚线框是扩张跳过的格子；输出中加粗的格子就是正在计算的元素。点击任一输出格（或用方向键移动）查看它的计算过程。",
      keys: "键盘：Tab 移到输出格后，方向键在特征图内移动，PageUp/PageDown 换一张特征图，Home/End 到首尾。",
      cellTitle: (k, i, j) => `输出特征图 ${k} 的元素 a[${i},${j}]`,
      channelSum: (d, s) => `通道 ${d} 之和 ${shown(s)}`,
      sum: (s, b, t) => `乘积之和 ${shown(s)} 加偏置 ${shown(b)} 得 ${shown(t)}`,
      products: (n) => `${n} 个乘积`,
      derivation: "与 str(convdoc.explain(...)) 逐字相同：",
      announce: (k, i, j, v, r, c) => `选中输出特征图 ${k} 的 a[${i},${j}] = ${shown(v)}，窗口从第 ${r} 行第 ${c} 列开始`,
      impossible: "这组参数不可能：",
      kernelRule: "卷积核（含扩张）比填充后的输入还大，窗口一次也放不下。convdoc 的报错：",
      emptyRule: "转置卷积的输出为空。convdoc 的报错：",
      opRule: "output_padding 必须小于步幅或扩张率。convdoc 的报错：",
      source: { convdoc: "输出由 convdoc 在构建网站时算出", browser: "输出由浏览器按 convdoc 的规则算出（测试中与 convdoc.conv2d 对照）" },
    },
    en: {
      mode: "Operation", conv: "Convolution", transposed: "Transposed convolution",
      preset: "Preset", custom: "Random data (custom)",
      labels: { h: "Input height H", w: "Input width W", c: "Channels C", k: "Filters K", f: "Kernel size F",
        s: "Stride S", p: "Padding P", d: "Dilation D", op: "output_padding" },
      seed: "Random seed", newSeed: "New seed",
      play: "Play", pause: "Pause", back: "Step back", forward: "Step forward", slider: "Window position",
      stepOf: (t, n) => `step ${t} of ${n}`,
      input: (d) => `Input channel ${d}`, padded: (h, w) => `padded ${h}×${w}`, plain: (h, w) => `${h}×${w}`,
      stuffed: (h, w) => `zero-stuffed and padded ${h}×${w}`,
      filter: (k, d) => `Filter W${sub(k)}, channel ${d}`, flipped: " (flipped)",
      inUse: "◀ in use",
      bias: (k, b) => `bias b${sub(k)} = ${shown(b)}`,
      output: (k, h, w) => `Output map ${k} (${h}×${w})`,
      legend: "Legend: hatched cells are zero padding, dotted cells are the zeros a transposed convolution inserts; a thick frame marks a cell the window reads, a dashed one a cell the dilation skips; the bold output cell is the one being computed. Click any output cell (or move with the arrow keys) to see how it is computed.",
      keys: "Keyboard: Tab to an output cell, then the arrow keys move within a map, PageUp/PageDown go to another map, Home/End to its first and last cell.",
      cellTitle: (k, i, j) => `element a[${i},${j}] of output map ${k}`,
      channelSum: (d, s) => `channel ${d} sums to ${shown(s)}`,
      sum: (s, b, t) => `the products add up to ${shown(s)}; with the bias ${shown(b)} that is ${shown(t)}`,
      products: (n) => `${n} products`,
      derivation: "Character for character what str(convdoc.explain(...)) prints:",
      announce: (k, i, j, v, r, c) => `Selected a[${i},${j}] of output map ${k} = ${shown(v)}; the window starts at row ${r}, column ${c}`,
      impossible: "These settings are impossible: ",
      kernelRule: "the kernel (with its dilation) is larger than the padded input, so not even one window fits. convdoc says:",
      emptyRule: "the transposed convolution's output would be empty. convdoc says:",
      opRule: "output_padding must be smaller than the stride or the dilation. convdoc says:",
      source: { convdoc: "Output computed by convdoc when the site was built", browser: "Output computed in your browser by convdoc's rules (checked against convdoc.conv2d by the tests)" },
    },
  };

  // --- numbers as Python prints them (convdoc/explain.py: _num, _signed) -----------------------
  function num(v) { return String(v); } // integers only; String(-0) is "0", as Python's int
  function signed(v) { const s = num(v); return s.startsWith("-") ? `(${s})` : s; }
  function shown(v) { return num(v).replace("-", "−"); } // in the cells: a real minus sign
  function sub(n) { return String(n).replace(/\d/g, (c) => "₀₁₂₃₄₅₆₇₈₉"[c]); }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // --- seeded integer data: mulberry32 ----------------------------------------------------------
  function generator(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function array(shape, draw) {
    if (!shape.length) return draw();
    return Array.from({ length: shape[0] }, () => array(shape.slice(1), draw));
  }
  // x (C, H, W) in 0..2, the weights in -1..1 ((K, C, F, F), or (C, K, F, F) transposed), biases in -1..1
  function randomData(q, mode, seed) {
    const r = generator(seed);
    const int = (lo, hi) => () => lo + Math.floor(r() * (hi - lo + 1));
    const x = array([q.c, q.h, q.w], int(0, 2));
    const w = array(mode === "transposed" ? [q.c, q.k, q.f, q.f] : [q.k, q.c, q.f, q.f], int(-1, 1));
    const b = array([q.k], int(-1, 1));
    return { x, w, b };
  }

  // --- one axis: the cells the window moves over, and the output size ---------------------------
  // kinds: "data" (src: index into x), "pad" (zero padding), "stuff" (a zero between two pixels)
  function axis(n, q, mode, name) {
    const { f, s, p, d, op } = q;
    const span = d * (f - 1);
    if (mode === "conv") {
      const padded = n + 2 * p;
      const out = Math.floor((padded - span - 1) / s) + 1;
      if (out < 1) {
        return { error: "kernel", message:
          `kernel_size${name} is larger than the padded input: the kernel covers ` +
          `dilation*(kernel_size-1)+1 = ${d}*(${f}-1)+1 = ${span + 1} pixels, but ` +
          `size + 2*padding = ${n} + 2*${p} = ${padded}; use a smaller kernel, more padding or a larger input` };
      }
      const cells = Array.from({ length: padded }, (_, v) => {
        const r = v - p;
        return r >= 0 && r < n ? { kind: "data", src: r } : { kind: "pad" };
      });
      return { out, cells, step: s, base: 0 };
    }
    if (op >= Math.max(s, d)) {
      return { error: "op", message:
        `output_padding must be smaller than stride or dilation: output_padding=${op}, stride=${s}, dilation=${d}` };
    }
    const out = (n - 1) * s - 2 * p + span + op + 1;
    if (out < 1) {
      return { error: "empty", message:
        `transposed convolution output would be empty: (size-1)*stride - 2*padding + dilation*(kernel_size-1) + ` +
        `output_padding + 1 = (${n}-1)*${s} - 2*${p} + ${d}*(${f}-1) + ${op} + 1 = ${out}` };
    }
    // the zero-stuffed input has pixel i at u = i*S; output i reads u = i + P - D(F-1) + m*D. The view
    // shows every pixel and every cell a window reads: u from lo to hi, view cell v is u = v + lo
    const lo = Math.min(0, p - span), hi = Math.max((n - 1) * s, p + out - 1);
    const cells = Array.from({ length: hi - lo + 1 }, (_, v) => {
      const u = v + lo;
      if (u < 0 || u > (n - 1) * s) return { kind: "pad" };
      return u % s ? { kind: "stuff" } : { kind: "data", src: u / s };
    });
    return { out, cells, step: 1, base: p - span - lo };
  }

  // Everything the figure shows, or {error, message} with convdoc's message.
  function model(q, mode, data) {
    let rows = axis(q.h, q, mode, "[0]");
    if (rows.error) return withShapes(rows, q, mode);
    const cols = axis(q.w, q, mode, "[1]");
    if (cols.error) return withShapes(cols, q, mode);
    const { x, w, b } = data;
    // the filter applied to the view: w[k][d] (conv), or w[d][k] flipped (transposed)
    const tap = mode === "conv"
      ? (k, d, m, n) => w[k][d][m][n]
      : (k, d, m, n) => w[d][k][q.f - 1 - m][q.f - 1 - n];
    const value = (d, r, c) => {
      const R = rows.cells[r], C = cols.cells[c];
      return R.kind === "data" && C.kind === "data" ? x[d][R.src][C.src] : 0;
    };
    const terms = (k, i, j) => {
      const out = [];
      for (let d = 0; d < q.c; d++) {
        for (let m = 0; m < q.f; m++) {
          for (let n = 0; n < q.f; n++) {
            const r = rows.base + i * rows.step + m * q.d, c = cols.base + j * cols.step + n * q.d;
            const wt = tap(k, d, m, n), xv = value(d, r, c);
            out.push({ d, m, n, r, c, w: wt, x: xv, product: wt * xv });
          }
        }
      }
      return out;
    };
    const outputs = array([q.k], () => null).map((_, k) =>
      Array.from({ length: rows.out }, (_, i) => Array.from({ length: cols.out }, (_, j) =>
        terms(k, i, j).reduce((a, t) => a + t.product, 0) + b[k])));
    return { rows, cols, tap, value, terms, outputs, h2: rows.out, w2: cols.out };
  }

  function withShapes(failure, q, mode) {
    if (mode === "conv" && failure.error === "kernel") {
      failure.message += ` (x spatial size (${q.h}, ${q.w}), weight spatial size (${q.f}, ${q.f}))`;
    }
    return failure;
  }

  // str(convdoc.explain(...)) for one output element, from its terms
  function explainText(i, j, terms, bias) {
    const total = terms.reduce((a, t) => a + t.product, 0) + bias;
    const body = terms.map((t) => signed(t.product)).join(" + ") + ` + ${signed(bias)}`;
    return `a[${i},${j}] = ${body} = ${num(total)}`;
  }

  // --- the URL ----------------------------------------------------------------------------------
  function readUrl(presets) {
    const u = new URLSearchParams(window.location.search);
    const state = { preset: null, mode: "conv", q: null, seed: 1, at: null };
    const preset = presets.find((p) => p.id === u.get("preset"));
    if (preset) {
      state.preset = preset.id;
    } else if ([...PARAMS, "mode", "seed"].some((name) => u.has(name))) {
      state.mode = u.get("mode") === "transposed" ? "transposed" : "conv";
      const q = {};
      for (const name of PARAMS) {
        const v = Number.parseInt(u.get(name) ?? "", 10);
        const [lo, hi] = RANGES[name];
        q[name] = Number.isInteger(v) ? Math.min(hi, Math.max(lo, v)) : null;
      }
      state.q = q;
      const seed = Number.parseInt(u.get("seed") ?? "", 10);
      if (Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED) state.seed = seed;
    }
    const at = (u.get("at") || "").split(",").map((v) => Number.parseInt(v, 10));
    if (at.length === 3 && at.every((v) => Number.isInteger(v) && v >= 0)) state.at = at;
    return state;
  }

  // --- the component ----------------------------------------------------------------------------
  class Explorer {
    constructor(root) {
      this.root = root;
      this.lang = (document.documentElement.lang || "zh").startsWith("en") ? "en" : "zh";
      this.t = TEXT[this.lang];
      const json = root.querySelector("script.convdoc-explorer__presets");
      this.presets = json ? JSON.parse(json.textContent) : [];
      this.timer = null;
      this.build();
      const url = root.dataset.url !== "false" ? readUrl(this.presets) : { at: null };
      const start = url.preset || (url.q ? null : root.dataset.preset || (this.presets[0] && this.presets[0].id));
      if (start) {
        this.applyPreset(start, url.at);
      } else {
        this.mode = url.mode;
        this.seed = url.seed;
        const base = this.presets.length ? this.presets[0].params : { h: 5, w: 5, c: 1, k: 1, f: 3, s: 1, p: 0, d: 1, op: 0 };
        this.q = Object.fromEntries(PARAMS.map((n) => [n, url.q[n] ?? base[n]]));
        this.preset = null;
        this.data = randomData(this.q, this.mode, this.seed);
        this.refresh(url.at);
      }
      const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      if (!still && !url.at && root.dataset.autoplay !== "false") this.play();
    }

    // the controls, the figure's frame, the explanation; built once
    build() {
      const t = this.t, root = this.root;
      root.dataset.mounted = "1";
      const form = el("form", "convdoc-explorer__controls");
      form.setAttribute("autocomplete", "off");
      form.addEventListener("submit", (e) => e.preventDefault());
      const field = (label, control) => {
        const l = el("label", "convdoc-explorer__field");
        l.append(el("span", null, label), control);
        form.append(l);
        return l;
      };
      const select = (name, options) => {
        const s = el("select");
        s.name = name;
        for (const [value, text] of options) {
          const o = el("option", null, text);
          o.value = value;
          s.append(o);
        }
        return s;
      };
      this.presetSelect = select("preset", [["", t.custom], ...this.presets.map((p) => [p.id, p.title[this.lang]])]);
      field(t.preset, this.presetSelect).classList.add("convdoc-explorer__wide");
      this.modeSelect = select("mode", [["conv", t.conv], ["transposed", t.transposed]]);
      field(t.mode, this.modeSelect);
      this.selects = {};
      for (const name of PARAMS) {
        const [lo, hi] = RANGES[name];
        const options = [];
        for (let v = lo; v <= hi; v++) options.push([String(v), String(v)]);
        this.selects[name] = select(name, options);
        const f = field(t.labels[name], this.selects[name]);
        if (name === "op") this.opField = f;
      }
      this.seedInput = el("input");
      Object.assign(this.seedInput, { name: "seed", type: "number", min: "0", max: String(MAX_SEED), step: "1" });
      this.seedInput.setAttribute("inputmode", "numeric");
      const seedBox = el("span", "convdoc-explorer__seed");
      const again = el("button", "convdoc-explorer__button", t.newSeed);
      again.type = "button";
      again.addEventListener("click", () => this.edit({ seed: 1 + Math.floor(Math.random() * 999) }));
      seedBox.append(this.seedInput, again);
      field(t.seed, seedBox);
      form.addEventListener("change", (e) => this.onControl(e.target));
      form.addEventListener("input", (e) => this.onControl(e.target));

      const player = el("div", "convdoc-explorer__player");
      const button = (text, cls, act) => {
        const b = el("button", `convdoc-explorer__button ${cls}`, text);
        b.type = "button";
        b.addEventListener("click", act);
        player.append(b);
        return b;
      };
      this.backButton = button(`‹ ${t.back}`, "convdoc-explorer__back", () => { this.stop(); this.step(-1); });
      this.playButton = button(`▶ ${t.play}`, "convdoc-explorer__play", () => (this.timer ? this.stop() : this.play()));
      this.forwardButton = button(`${t.forward} ›`, "convdoc-explorer__forward", () => { this.stop(); this.step(1); });
      this.slider = el("input", "convdoc-explorer__slider");
      Object.assign(this.slider, { type: "range", min: "0", step: "1" });
      this.slider.setAttribute("aria-label", t.slider);
      this.slider.addEventListener("input", () => { this.stop(); this.goto(Number(this.slider.value), false); });
      this.stepLabel = el("span", "convdoc-explorer__step");
      player.append(this.slider, this.stepLabel);

      this.error = el("div", "convdoc-explorer__error");
      this.error.setAttribute("role", "alert");
      this.error.hidden = true;
      this.figure = el("div", "convdoc-explorer__figure");
      this.legend = el("p", "convdoc-explorer__legend", t.legend);
      this.keys = el("p", "convdoc-explorer__legend", t.keys);
      this.source = el("p", "convdoc-explorer__source");
      this.explain = el("div", "convdoc-explorer__explain");
      this.live = el("p", "convdoc-explorer__live");
      this.live.setAttribute("aria-live", "polite");
      this.live.setAttribute("role", "status");
      const app = el("div", "convdoc-explorer__app");
      app.append(form, player, this.error, this.figure, this.source, this.live, this.explain, this.legend, this.keys);
      root.append(app);
    }

    onControl(target) {
      if (target === this.presetSelect) {
        if (target.value) this.applyPreset(target.value, null);
        else this.edit({});
        return;
      }
      // every control is read, so that a change of one of them shows the whole form
      const change = { mode: this.modeSelect.value };
      for (const name of PARAMS) change[name] = Number(this.selects[name].value);
      const text = this.seedInput.value, v = Number(text);
      const ok = text.trim() !== "" && Number.isInteger(v) && v >= 0 && v <= MAX_SEED;
      if (!this.seedInput.disabled) this.seedInput.setAttribute("aria-invalid", String(!ok));
      if (ok) change.seed = v;
      if (target === this.seedInput && !ok) return;
      // nothing new (the seed field's change event when it loses the focus): keep the figure and selection
      const same = !this.preset && change.mode === this.mode && change.seed === this.seed &&
        PARAMS.every((name) => change[name] === this.q[name]);
      if (!same) this.edit(change);
    }

    // a preset: convdoc's data and output
    applyPreset(id, at) {
      const preset = this.presets.find((p) => p.id === id);
      if (!preset) return;
      this.stop();
      this.preset = preset;
      this.mode = preset.mode;
      this.q = { ...preset.params };
      this.data = { x: preset.x, w: preset.w, b: preset.b };
      this.refresh(at);
    }

    // any change of the controls: random data from the seed, computed here
    edit(change) {
      this.stop();
      const q = { ...this.q };
      for (const name of PARAMS) if (name in change) q[name] = change[name];
      if ("mode" in change) this.mode = change.mode;
      if ("seed" in change) this.seed = change.seed;
      if (this.seed === undefined) this.seed = 1;
      this.q = q;
      this.preset = null;
      this.data = randomData(q, this.mode, this.seed);
      this.refresh(this.at);
    }

    // draw everything for the current parameters and data, then select `at` (or the first cell)
    refresh(at) {
      const t = this.t, q = this.q;
      this.presetSelect.value = this.preset ? this.preset.id : "";
      this.modeSelect.value = this.mode;
      for (const name of PARAMS) this.selects[name].value = String(q[name]);
      this.opField.hidden = this.mode !== "transposed";
      this.seedInput.value = this.preset ? "" : String(this.seed);
      this.seedInput.disabled = !!this.preset;
      this.seedInput.placeholder = this.preset ? "—" : "";
      this.root.dataset.mode = this.mode;
      this.root.dataset.preset = this.preset ? this.preset.id : "";
      this.m = model(q, this.mode, this.data);
      this.figure.replaceChildren();
      this.explain.replaceChildren();
      if (this.m.error) {
        this.root.dataset.state = "error";
        this.error.hidden = false;
        const rule = { kernel: t.kernelRule, empty: t.emptyRule, op: t.opRule }[this.m.error];
        this.error.replaceChildren(el("p", null, t.impossible + rule), el("code", "convdoc-explorer__message", this.m.message));
        this.error.dataset.kind = this.m.error;
        this.figure.hidden = true;
        this.source.textContent = "";
        this.live.textContent = "";
        for (const b of [this.backButton, this.playButton, this.forwardButton, this.slider]) b.disabled = true;
        this.stepLabel.textContent = "";
        this.at = null;
        this.writeUrl();
        return;
      }
      this.root.dataset.state = "ok";
      this.error.hidden = true;
      this.figure.hidden = false;
      for (const b of [this.backButton, this.playButton, this.forwardButton, this.slider]) b.disabled = false;
      // presets show convdoc's numbers (the JSON); edited settings the browser's
      this.shownOutputs = this.preset ? this.preset.out : this.m.outputs;
      this.source.textContent = t.source[this.preset ? "convdoc" : "browser"];
      this.source.dataset.source = this.preset ? "convdoc" : "browser";
      this.draw();
      this.total = q.k * this.m.h2 * this.m.w2;
      this.slider.max = String(this.total - 1);
      const ok = at && at[0] < q.k && at[1] < this.m.h2 && at[2] < this.m.w2;
      this.select(ok ? at : [0, 0, 0], false);
    }

    draw() {
      const t = this.t, q = this.q, m = this.m, { x, w, b } = this.data;
      const grid = (rows, cols, cls) => {
        const g = el("div", `convdoc-explorer__grid ${cls}`);
        g.style.setProperty("--cols", cols);
        g.setAttribute("role", "group");
        return g;
      };
      const transposed = this.mode === "transposed";
      const hv = m.rows.cells.length, wv = m.cols.cells.length;
      this.inputCells = [];
      this.filterBlocks = [];
      for (let d = 0; d < q.c; d++) {
        const row = el("div", "convdoc-explorer__row");
        const block = el("div", "convdoc-explorer__block");
        const size = (transposed ? t.stuffed : q.p ? t.padded : t.plain)(hv, wv);
        block.append(el("p", "convdoc-explorer__caption", this.lang === "zh" ? `${t.input(d)}（${size}）` : `${t.input(d)} (${size})`));
        const g = grid(hv, wv, "convdoc-explorer__input");
        g.setAttribute("aria-label", t.input(d));
        const cells = [];
        for (let r = 0; r < hv; r++) {
          const line = [];
          for (let c = 0; c < wv; c++) {
            const R = m.rows.cells[r], C = m.cols.cells[c];
            const kind = R.kind === "data" && C.kind === "data" ? "data" : R.kind === "stuff" || C.kind === "stuff" ? (R.kind === "pad" || C.kind === "pad" ? "pad" : "stuff") : "pad";
            const v = kind === "data" ? x[d][R.src][C.src] : 0;
            const cell = el("span", `convdoc-explorer__cell is-${kind}`, shown(v));
            cell.dataset.value = num(v);
            cell.dataset.kind = kind;
            g.append(cell);
            line.push(cell);
          }
          cells.push(line);
        }
        this.inputCells.push(cells);
        block.append(g);
        row.append(block);
        for (let k = 0; k < q.k; k++) {
          const fb = el("div", "convdoc-explorer__block convdoc-explorer__filter");
          fb.dataset.filter = String(k);
          const cap = el("p", "convdoc-explorer__caption", t.filter(k, d) + (transposed ? t.flipped : ""));
          const mark = el("span", "convdoc-explorer__inuse", ` ${t.inUse}`);
          cap.append(mark);
          fb.append(cap);
          const fg = grid(q.f, q.f, "convdoc-explorer__weights");
          fg.setAttribute("aria-label", t.filter(k, d));
          for (let mm = 0; mm < q.f; mm++) {
            for (let n = 0; n < q.f; n++) {
              const v = m.tap(k, d, mm, n);
              const cell = el("span", "convdoc-explorer__cell is-weight", shown(v));
              cell.dataset.value = num(v);
              fg.append(cell);
            }
          }
          fb.append(fg);
          row.append(fb);
          this.filterBlocks.push(fb);
        }
        this.figure.append(row);
      }
      const outRow = el("div", "convdoc-explorer__row convdoc-explorer__outputs");
      this.outputCells = [];
      for (let k = 0; k < q.k; k++) {
        const block = el("div", "convdoc-explorer__block convdoc-explorer__map");
        block.dataset.filter = String(k);
        block.append(el("p", "convdoc-explorer__caption", t.output(k, m.h2, m.w2)));
        const bias = el("p", "convdoc-explorer__bias", t.bias(k, b[k]));
        bias.dataset.value = num(b[k]);
        block.append(bias);
        const g = grid(m.h2, m.w2, "convdoc-explorer__output");
        g.setAttribute("aria-label", t.output(k, m.h2, m.w2));
        const cells = [];
        for (let i = 0; i < m.h2; i++) {
          const line = [];
          for (let j = 0; j < m.w2; j++) {
            const v = this.shownOutputs[k][i][j];
            const cell = el("button", "convdoc-explorer__cell is-out", shown(v));
            cell.type = "button";
            cell.tabIndex = -1;
            cell.dataset.value = num(v);
            cell.dataset.at = `${k},${i},${j}`;
            cell.setAttribute("aria-label", `${t.cellTitle(k, i, j)} = ${shown(v)}`);
            cell.addEventListener("click", () => { this.stop(); this.select([k, i, j], true); });
            cell.addEventListener("keydown", (e) => this.onKey(e, k, i, j));
            g.append(cell);
            line.push(cell);
          }
          cells.push(line);
        }
        this.outputCells.push(cells);
        block.append(g);
        outRow.append(block);
      }
      this.figure.append(outRow);
    }

    onKey(e, k, i, j) {
      const { h2, w2 } = this.m, K = this.q.k;
      const moves = {
        ArrowLeft: [k, i, j - 1], ArrowRight: [k, i, j + 1], ArrowUp: [k, i - 1, j], ArrowDown: [k, i + 1, j],
        Home: [k, 0, 0], End: [k, h2 - 1, w2 - 1], PageUp: [k - 1, i, j], PageDown: [k + 1, i, j],
      };
      const to = moves[e.key];
      if (!to) return;
      e.preventDefault();
      if (to[0] < 0 || to[0] >= K || to[1] < 0 || to[1] >= h2 || to[2] < 0 || to[2] >= w2) return;
      this.stop();
      this.select(to, true);
    }

    // the step index of a cell: filter by filter, each map in reading order
    index([k, i, j]) { return (k * this.m.h2 + i) * this.m.w2 + j; }
    cellAt(t) {
      const per = this.m.h2 * this.m.w2;
      return [Math.floor(t / per), Math.floor((t % per) / this.m.w2), t % this.m.w2];
    }
    goto(t, focus) { this.select(this.cellAt(((t % this.total) + this.total) % this.total), focus); }
    step(by) { if (this.at) this.goto(this.index(this.at) + by, false); }

    play() {
      if (this.timer || !this.m || this.m.error) return;
      this.timer = window.setInterval(() => this.step(1), DELAY);
      this.playButton.textContent = `❚❚ ${this.t.pause}`;
      this.playButton.setAttribute("aria-pressed", "true");
      this.root.dataset.playing = "true";
      this.live.setAttribute("aria-live", "off"); // no announcement every step while playing
    }
    stop() {
      if (this.timer) window.clearInterval(this.timer);
      this.timer = null;
      if (this.playButton) {
        this.playButton.textContent = `▶ ${this.t.play}`;
        this.playButton.setAttribute("aria-pressed", "false");
      }
      this.root.dataset.playing = "false";
      if (this.live) this.live.setAttribute("aria-live", "polite");
    }

    // mark the window of output cell `at` = (k, i, j) and explain it
    select(at, focus) {
      const t = this.t, q = this.q, m = this.m;
      const [k, i, j] = at;
      const previous = this.at;
      if (previous) {
        const old = this.outputCells[previous[0]] && this.outputCells[previous[0]][previous[1]] && this.outputCells[previous[0]][previous[1]][previous[2]];
        if (old) { old.classList.remove("is-current"); old.tabIndex = -1; old.removeAttribute("aria-current"); }
      }
      for (const cells of this.inputCells) for (const line of cells) for (const c of line) c.classList.remove("is-tap", "is-gap");
      this.at = at;
      const cell = this.outputCells[k][i][j];
      cell.classList.add("is-current");
      cell.tabIndex = 0;
      cell.setAttribute("aria-current", "true");
      if (focus) cell.focus();
      const r0 = m.rows.base + i * m.rows.step, c0 = m.cols.base + j * m.cols.step, span = q.d * (q.f - 1);
      for (const cells of this.inputCells) {
        for (let r = r0; r <= r0 + span; r++) {
          for (let c = c0; c <= c0 + span; c++) {
            const on = (r - r0) % q.d === 0 && (c - c0) % q.d === 0;
            cells[r][c].classList.add(on ? "is-tap" : "is-gap");
          }
        }
      }
      this.filterBlocks.forEach((b) => b.classList.toggle("is-active", b.dataset.filter === String(k)));
      this.slider.value = String(this.index(at));
      this.stepLabel.textContent = t.stepOf(this.index(at) + 1, this.total);
      this.root.dataset.at = at.join(",");
      this.root.dataset.window = `${r0},${c0}`;
      this.explainCell(k, i, j);
      this.live.textContent = t.announce(k, i, j, this.shownOutputs[k][i][j], r0, c0);
      this.writeUrl();
    }

    explainCell(k, i, j) {
      const t = this.t, q = this.q, b = this.data.b[k];
      const terms = this.m.terms(k, i, j);
      const box = el("div");
      box.append(el("p", "convdoc-explorer__caption", `${t.cellTitle(k, i, j)} · ${t.products(terms.length)}`));
      const channels = el("div", "convdoc-explorer__channels");
      for (let d = 0; d < q.c; d++) {
        const mine = terms.filter((term) => term.d === d);
        const part = el("div", "convdoc-explorer__products");
        const g = el("div", "convdoc-explorer__grid convdoc-explorer__productgrid");
        g.style.setProperty("--cols", q.f);
        for (const term of mine) {
          const c = el("span", "convdoc-explorer__product");
          c.append(el("span", "convdoc-explorer__wx", `${shown(term.w)}·${shown(term.x)}`), el("strong", null, shown(term.product)));
          g.append(c);
        }
        part.append(g, el("p", "convdoc-explorer__sum", t.channelSum(d, mine.reduce((a, x) => a + x.product, 0))));
        channels.append(part);
      }
      box.append(channels);
      const products = terms.reduce((a, x) => a + x.product, 0);
      box.append(el("p", "convdoc-explorer__total", t.sum(products, b, products + b)));
      box.append(el("p", "convdoc-explorer__caption", t.derivation));
      const pre = el("pre", "convdoc-explorer__derivation");
      pre.append(el("code", null, explainText(i, j, terms, b)));
      pre.tabIndex = 0;
      box.append(pre);
      this.explain.replaceChildren(box);
    }

    writeUrl() {
      if (this.root.dataset.url === "false") return;
      const u = new URLSearchParams();
      if (this.preset) {
        u.set("preset", this.preset.id);
      } else {
        if (this.mode === "transposed") u.set("mode", "transposed");
        for (const name of PARAMS) if (name !== "op" || this.mode === "transposed") u.set(name, String(this.q[name]));
        u.set("seed", String(this.seed));
      }
      if (this.at) u.set("at", this.at.join(","));
      const url = `${window.location.pathname}?${u.toString().replace(/%2C/g, ",")}${window.location.hash}`;
      window.history.replaceState(null, "", url);
    }
  }

  function mount() {
    document.querySelectorAll(".convdoc-explorer").forEach((root) => {
      if (!root.dataset.mounted) root.explorer = new Explorer(root);
    });
  }

  // mount(): called by the page right after the component (no layout shift), and again once parsed;
  // the rules, for readers' consoles
  window.convdocExplorer = { mount, model, explainText, randomData, RANGES };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
