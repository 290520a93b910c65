// Copy buttons that give runnable code (the sphinx-copybutton convention).
//
// The code blocks of this site are doctests: ">>> " and "... " prompts followed by
// the expected output. Material's copy button copies the text of the block, unless
// an ancestor of the code carries a `data-copy` attribute, which it copies instead.
// This script stores there the Python of each doctest block: the source lines
// without their prompts, without the expected outputs. Pasted into Python, it runs
// and prints the numbers shown on the page. Blocks without ">>>" are left alone.
(function () {
  "use strict";

  const PROMPT = /^(\s*)(>>>|\.\.\.)(?: |$)(.*)$/;

  // Doctest's own rule: an example starts at ">>>", continues on the "..." lines
  // right after it; everything else up to the next ">>>" is expected output.
  // (A "..." that follows output, as in a traceback, is output too.)
  function runnable(text) {
    const lines = text.replace(/\n$/, "").split("\n");
    if (!lines.some((line) => /^\s*>>>(?: |$)/.test(line))) return null;
    const code = [];
    let inSource = false;
    let continued = false;
    for (const line of lines) {
      const m = PROMPT.exec(line);
      if (m && m[2] === ">>>") {
        if (continued) code.push(""); // close a compound statement, as in the REPL
        code.push(m[3]);
        inSource = true;
        continued = false;
      } else if (m && m[2] === "..." && inSource) {
        code.push(m[3]);
        continued = true;
      } else {
        inSource = false;
      }
    }
    return code.join("\n").replace(/\n+$/, "") + "\n";
  }

  function mark() {
    document.querySelectorAll(".md-typeset pre > code").forEach((code) => {
      const pre = code.parentElement;
      if (pre.hasAttribute("data-copy")) return;
      const python = runnable(code.textContent);
      if (python !== null) pre.setAttribute("data-copy", python);
    });
  }

  window.convdocRunnable = runnable;

  if (typeof document$ !== "undefined") {
    document$.subscribe(mark);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
