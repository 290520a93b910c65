// Output-size calculator (docs/calculator.md, docs/calculator.en.md).
//
// The same rule as convdoc.output_size (PyTorch's):
//   W2 = floor((W1 + 2P - D(F - 1) - 1) / S) + 1,
// an error when the kernel, D(F - 1) + 1 pixels wide, is larger than the padded
// input W1 + 2P, and a warning when S does not divide W1 + 2P - D(F - 1) - 1.
// Parameters: C_out * (C_in * F * F) + C_out (bias), as convdoc.param_count.
//
// Exact, as Python's int: every number is a BigInt, read from the field's text
// and printed in full, so nothing is rounded (a Number is exact only up to 2**53)
// and nothing is shown as NaN, Infinity or 1e+21. The limits are convdoc's
// (convdoc/_checks.py): W1, F, S, D >= 1 and P >= 0, each at most MAX_SIZE =
// 2**31 - 1; C_in, C_out >= 1 without upper limit. A field holds a plain decimal
// integer: ASCII digits, optionally surrounded by whitespace (Python's), so
// "1e3", "2.0", "0x10", "+7", "-1" and "" are refused.
// Plain JavaScript, no dependency; texts follow the page's <html lang>.
(function () {
  "use strict";

  // convdoc._checks.MAX_SIZE: the largest size, kernel, stride, padding or dilation
  const MAX_SIZE = 2n ** 31n - 1n;
  // the whitespace Python's int() strips (the ideographic space U+3000 too), which is not
  // quite JavaScript's \s: no U+FEFF, and no U+001C-U+001F, which str.isspace() would allow
  const SPACE = "[\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*";
  const PLAIN_INTEGER = new RegExp(`^${SPACE}([0-9]+)${SPACE}$`);

  // 2147483647n -> "2,147,483,647", as Python's f"{n:,}"
  const grouped = (n) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

  const TEXT = {
    zh: {
      int: (name, min) => `${name} 必须是 ≥ ${min} 的整数`,
      max: (name, max) => `${name} 不能超过 ${grouped(max)}（即 2³¹ − 1，convdoc 为尺寸类参数设定的上限）`,
      kernel: (eff, padded) =>
        `卷积核比填充后的输入还大：D(F − 1) + 1 = ${eff}，而 W₁ + 2P = ${padded}。` +
        "请用更小的卷积核、更多的填充，或者更大的输入。",
      remainder: (span, s, r) =>
        `步幅不能整除：W₁ + 2P − D(F − 1) − 1 = ${span}，除以 S = ${s} 余 ${r}。` +
        `填充后输入最右边的 ${r} 列（最下边的 ${r} 行）凑不满一个窗口，被丢掉了，所以结果向下取整。`,
      divides: (span, s) => `步幅整除：${span} ÷ ${s} 没有余数，最后一个窗口正好停在填充后输入的最后一列上。`,
      shape: (w2, cout) => `输入为 W₁ × W₁ 时，输出特征图是 ${w2} × ${w2} × ${cout}。`,
      params: "参数量",
      bias: "含偏置",
      noBias: "不含偏置",
      separator: "；",
    },
    en: {
      int: (name, min) => `${name} must be an integer ≥ ${min}`,
      max: (name, max) => `${name} must be at most ${grouped(max)} (2³¹ − 1, convdoc's limit for sizes)`,
      kernel: (eff, padded) =>
        `The kernel is larger than the padded input: D(F − 1) + 1 = ${eff}, but W₁ + 2P = ${padded}. ` +
        "Use a smaller kernel, more padding or a larger input.",
      remainder: (span, s, r) =>
        `The stride does not divide: W₁ + 2P − D(F − 1) − 1 = ${span} leaves a remainder of ${r} when divided by S = ${s}. ` +
        (r === 1n
          ? "The last column (and row) of the padded input cannot fill a window and is dropped"
          : `The last ${r} columns (and rows) of the padded input cannot fill a window and are dropped`) +
        ", so the result is rounded down.",
      divides: (span, s) => `The stride divides: ${span} ÷ ${s} leaves no remainder, so the last window ends on the last column of the padded input.`,
      shape: (w2, cout) => `For a W₁ × W₁ input the output feature map is ${w2} × ${w2} × ${cout}.`,
      params: "Parameters",
      bias: "with bias",
      noBias: "without bias",
      separator: "; ",
    },
  };

  // --- convdoc's rules, for window.convdocCalculator and the form ---------------------------

  // convdoc._checks.check_int: a BigInt, or a Number that is an exact (safe) integer, within
  // [minimum, maximum]; the messages are Python's. Strings, booleans, 2.5 and 2**53 + 1 as a
  // Number (already rounded to 2**53) are refused: pass a BigInt for large values.
  function checkInt(value, name, minimum, maximum) {
    if (typeof value === "number" && Number.isSafeInteger(value)) {
      value = BigInt(value);
    }
    if (typeof value !== "bigint") {
      const kind = minimum >= 1n ? "a positive integer" : `an integer >= ${minimum}`;
      const hint = typeof value === "number" && Number.isInteger(value) ? " (not exact as a Number: pass a BigInt)" : "";
      throw new TypeError(`${name} must be ${kind}${hint}, got ${String(value)} (${typeof value})`);
    }
    if (value < minimum) {
      const rule = minimum === 1n ? "a positive integer (>= 1)" : `an integer >= ${minimum}`;
      throw new RangeError(`${name} must be ${rule}, got ${value}`);
    }
    if (maximum !== null && value > maximum) {
      const limit = maximum === MAX_SIZE ? `${grouped(maximum)} (2**31 - 1, convdoc's limit for sizes)` : grouped(maximum);
      throw new RangeError(`${name} must be at most ${limit}, got ${value}`);
    }
    return value;
  }

  // The rule of convdoc.output_size for one axis (PyTorch's, ceil_mode=False). Arguments are
  // BigInts (or safe-integer Numbers) and are checked as convdoc checks them: a TypeError or
  // RangeError with convdoc's message. A kernel larger than the padded input, for which
  // output_size raises ValueError, gives {ok: false, eff, padded}. Every number returned is a BigInt.
  function outputSize(w1, f, p = 0n, s = 1n, d = 1n) {
    w1 = checkInt(w1, "size", 1n, MAX_SIZE);
    f = checkInt(f, "kernel_size", 1n, MAX_SIZE);
    s = checkInt(s, "stride", 1n, MAX_SIZE);
    p = checkInt(p, "padding", 0n, MAX_SIZE);
    d = checkInt(d, "dilation", 1n, MAX_SIZE);
    const eff = d * (f - 1n) + 1n;
    const padded = w1 + 2n * p;
    if (eff > padded) {
      return { ok: false, eff, padded };
    }
    const span = padded - eff; // = W1 + 2P - D(F - 1) - 1 >= 0: BigInt division rounds down
    return { ok: true, w2: span / s + 1n, span, remainder: span % s, eff, padded };
  }

  // The rule of convdoc.param_count (groups = 1), exact: a BigInt. No upper limit on the
  // channels, kernel_size at most MAX_SIZE, as in convdoc.
  function paramCount(cin, cout, f, bias = true) {
    cin = checkInt(cin, "in_channels", 1n, null);
    cout = checkInt(cout, "out_channels", 1n, null);
    f = checkInt(f, "kernel_size", 1n, MAX_SIZE);
    if (typeof bias !== "boolean") {
      throw new TypeError(`bias must be true or false, got ${String(bias)}`);
    }
    return cout * (cin * f * f) + (bias ? cout : 0n);
  }

  // --- the form -------------------------------------------------------------------------

  // The field's value as a BigInt, or null after adding the reason to `errors`.
  function readInt(form, name, label, min, max, t, errors) {
    const match = PLAIN_INTEGER.exec(form.elements[name].value);
    const value = match ? BigInt(match[1]) : null;
    if (value === null || value < min) {
      errors.push(t.int(label, min));
      return null;
    }
    if (max !== null && value > max) {
      errors.push(t.max(label, max));
      return null;
    }
    return value;
  }

  function show(el, text, value) {
    el.textContent = text;
    if (value === undefined) {
      el.removeAttribute("data-value");
    } else {
      el.setAttribute("data-value", value.toString());
    }
  }

  function update(root) {
    const lang = (document.documentElement.lang || "zh").startsWith("en") ? "en" : "zh";
    const t = TEXT[lang];
    const form = root.querySelector("form");
    const out = (key) => root.querySelector(`[data-calc="${key}"]`);
    const errors = [];
    const w1 = readInt(form, "w1", "W₁", 1n, MAX_SIZE, t, errors);
    const f = readInt(form, "f", "F", 1n, MAX_SIZE, t, errors);
    const p = readInt(form, "p", "P", 0n, MAX_SIZE, t, errors);
    const s = readInt(form, "s", "S", 1n, MAX_SIZE, t, errors);
    const d = readInt(form, "d", "D", 1n, MAX_SIZE, t, errors);
    const cin = readInt(form, "cin", "C_in", 1n, null, t, errors);
    const cout = readInt(form, "cout", "C_out", 1n, null, t, errors);
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
        [warn, kind] = [t.kernel(r.eff, r.padded), "kernel"];
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
    show(errorList, errors.join(t.separator));
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

  window.convdocCalculator = { outputSize, paramCount, MAX_SIZE };

  if (typeof document$ !== "undefined") {
    document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
