// Output-size calculator (docs/calculator.md, docs/calculator.en.md).
//
// The same rule as convdoc.output_size (PyTorch's):
//   W2 = floor((W1 + 2P - D(F - 1) - 1) / S) + 1,
// an error when the kernel, D(F - 1) + 1 pixels wide, is larger than the padded
// input W1 + 2P, and a warning when S does not divide W1 + 2P - D(F - 1) - 1.
// Parameters: C_out * (C_in * F * F) + C_out (bias), as convdoc.param_count.
// Plain JavaScript, no dependency; texts follow the page's <html lang>.
(function () {
  "use strict";

  const TEXT = {
    zh: {
      int: (name, min) => `${name} 必须是 ≥ ${min} 的整数`,
      tooLarge: (eff, padded) =>
        `卷积核比填充后的输入还大：D(F − 1) + 1 = ${eff}，而 W₁ + 2P = ${padded}。` +
        "请用更小的卷积核、更多的填充，或者更大的输入。",
      remainder: (span, s, r) =>
        `步幅不能整除：W₁ + 2P − D(F − 1) − 1 = ${span}，除以 S = ${s} 余 ${r}。` +
        `填充后输入最右边的 ${r} 列（最下边的 ${r} 行）凑不满一个窗口，被丢掉了，所以结果向下取整。`,
      divides: (span, s) => `步幅整除：${span} ÷ ${s} 没有余数，每一列都被窗口用到。`,
      shape: (w2, cout) => `输入为 W₁ × W₁ 时，输出特征图是 ${w2} × ${w2} × ${cout}。`,
      params: "参数量",
      bias: "含偏置",
      noBias: "不含偏置",
    },
    en: {
      int: (name, min) => `${name} must be an integer ≥ ${min}`,
      tooLarge: (eff, padded) =>
        `The kernel is larger than the padded input: D(F − 1) + 1 = ${eff}, but W₁ + 2P = ${padded}. ` +
        "Use a smaller kernel, more padding or a larger input.",
      remainder: (span, s, r) =>
        `The stride does not divide: W₁ + 2P − D(F − 1) − 1 = ${span} leaves a remainder of ${r} when divided by S = ${s}. ` +
        (r === 1
          ? "The last column (and row) of the padded input cannot fill a window and is dropped"
          : `The last ${r} columns (and rows) of the padded input cannot fill a window and are dropped`) +
        ", so the result is rounded down.",
      divides: (span, s) => `The stride divides: ${span} ÷ ${s} leaves no remainder, every column is used by a window.`,
      shape: (w2, cout) => `For a W₁ × W₁ input the output feature map is ${w2} × ${w2} × ${cout}.`,
      params: "Parameters",
      bias: "with bias",
      noBias: "without bias",
    },
  };

  // The rule of convdoc.output_size for one spatial axis.
  function outputSize(w1, f, p, s, d) {
    const eff = d * (f - 1) + 1;
    const padded = w1 + 2 * p;
    if (eff > padded) {
      return { ok: false, eff, padded };
    }
    const span = padded - eff; // = W1 + 2P - D(F - 1) - 1
    return { ok: true, w2: Math.floor(span / s) + 1, span, remainder: span % s, eff, padded };
  }

  // The rule of convdoc.param_count (groups = 1).
  function paramCount(cin, cout, f, bias) {
    return cout * cin * f * f + (bias ? cout : 0);
  }

  function readInt(form, name, label, min, t, errors) {
    const raw = form.elements[name].value.trim();
    const value = Number(raw);
    if (raw === "" || !Number.isInteger(value) || value < min) {
      errors.push(t.int(label, min));
      return null;
    }
    return value;
  }

  function show(el, text, value) {
    el.textContent = text;
    if (value === undefined) {
      el.removeAttribute("data-value");
    } else {
      el.setAttribute("data-value", String(value));
    }
  }

  function update(root) {
    const lang = (document.documentElement.lang || "zh").startsWith("en") ? "en" : "zh";
    const t = TEXT[lang];
    const form = root.querySelector("form");
    const out = (key) => root.querySelector(`[data-calc="${key}"]`);
    const errors = [];
    const w1 = readInt(form, "w1", "W₁", 1, t, errors);
    const f = readInt(form, "f", "F", 1, t, errors);
    const p = readInt(form, "p", "P", 0, t, errors);
    const s = readInt(form, "s", "S", 1, t, errors);
    const d = readInt(form, "d", "D", 1, t, errors);
    const cin = readInt(form, "cin", "C_in", 1, t, errors);
    const cout = readInt(form, "cout", "C_out", 1, t, errors);
    const bias = form.elements.bias.checked;

    // W2, the formula with the numbers filled in, and a warning or an error
    const warning = out("warning");
    let state = "invalid";
    let w2 = "W₂ = —", formula = "", note = "", shape = "", warn = null, kind = "", remainder;
    if (w1 !== null && f !== null && p !== null && s !== null && d !== null) {
      const r = outputSize(w1, f, p, s, d);
      formula = `W₂ = ⌊(W₁ + 2P − D(F − 1) − 1) / S⌋ + 1 = ⌊(${w1} + 2×${p} − ${d}×(${f} − 1) − 1) / ${s}⌋ + 1`;
      if (r.ok) {
        state = "ok";
        w2 = `W₂ = ${r.w2}`;
        formula += ` = ⌊${r.span} / ${s}⌋ + 1 = ${r.w2}`;
        if (r.remainder) {
          [warn, kind, remainder] = [t.remainder(r.span, s, r.remainder), "stride", r.remainder];
        } else {
          note = t.divides(r.span, s);
        }
        if (cout !== null) shape = t.shape(r.w2, cout);
        show(out("w2"), w2, r.w2);
      } else {
        state = "error";
        [warn, kind] = [t.tooLarge(r.eff, r.padded), "kernel"];
      }
    }
    root.setAttribute("data-state", state);
    if (state !== "ok") show(out("w2"), w2);
    show(out("formula"), formula);
    show(out("note"), note);
    show(out("shape"), shape);
    warning.hidden = warn === null;
    warning.setAttribute("data-kind", kind);
    show(warning, warn || "", remainder);

    // the parameter count of the layer
    if (cin !== null && cout !== null && f !== null) {
      const n = paramCount(cin, cout, f, bias);
      const rule = "C_out × (C_in × F × F)" + (bias ? " + C_out" : "");
      const sum = `${cout} × (${cin} × ${f} × ${f})` + (bias ? ` + ${cout}` : "");
      show(out("params"), `${t.params} (${bias ? t.bias : t.noBias}) = ${rule} = ${sum} = ${n}`, n);
    } else {
      show(out("params"), `${t.params} = —`);
    }

    const errorList = out("errors");
    errorList.hidden = errors.length === 0;
    show(errorList, errors.join(lang === "zh" ? "；" : "; "));
  }

  function mount() {
    document.querySelectorAll(".convdoc-calc").forEach((root) => {
      if (root.dataset.mounted) return;
      root.dataset.mounted = "1";
      const form = root.querySelector("form");
      form.addEventListener("input", () => update(root));
      form.addEventListener("change", () => update(root));
      form.addEventListener("submit", (event) => event.preventDefault());
      update(root);
    });
  }

  window.convdocCalculator = { outputSize, paramCount };

  if (typeof document$ !== "undefined") {
    document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
