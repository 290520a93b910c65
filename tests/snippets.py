"""Run copied code the way a reader does: each snippet in a fresh interpreter's empty namespace.

``run(snippets)`` starts one ``python -I`` (isolated: no PYTHONPATH, no user site, not the
current directory on ``sys.path``) per call and runs every snippet there in a namespace of
its own that holds nothing but ``__name__`` and the builtins, statement by statement as the
REPL runs pasted code: a value is printed, an exception prints its last line and the run
goes on. It returns, per snippet, what it printed and the type of the first exception (the
one a script run of the same code would end in). Nothing is imported before a snippet runs,
except what an earlier snippet of the same batch imported into ``sys.modules``; names never
leak from one snippet to the next.
"""

from __future__ import annotations

import json
import subprocess
import sys

RUNNER = r'''
import ast, builtins, contextlib, io, json, sys, traceback
results = []
for code in json.load(sys.stdin):
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    out, first = io.StringIO(), None
    with contextlib.redirect_stdout(out):
        try:
            body = ast.parse(code, "<copied>").body
        except SyntaxError as exc:
            body, first = [], "SyntaxError"
            print("".join(traceback.format_exception_only(exc)), end="")
        for stmt in body:
            try:
                exec(compile(ast.Interactive(body=[stmt]), "<copied>", "single"), namespace)
            except Exception as exc:
                first = first or type(exc).__name__
                print("Traceback (most recent call last):")
                print("  ...")
                print("".join(traceback.format_exception_only(exc)), end="")
    results.append({"out": out.getvalue(), "error": first})
json.dump(results, sys.__stdout__)
'''


def run(snippets: list[str], timeout: float = 120) -> list[dict]:
    """[{"out": printed text, "error": first exception's type name or None}] for each snippet."""
    proc = subprocess.run(
        [sys.executable, "-I", "-c", RUNNER], input=json.dumps(snippets), capture_output=True, text=True, timeout=timeout,
    )
    if proc.returncode:
        raise RuntimeError(f"the snippet runner failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)
