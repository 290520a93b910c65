"""Code blocks that run alone: what a block's copy button gives (hooks/convdoc_site.py, point 5).

The blocks of a page are doctests that share one namespace (sybil runs them in
order): the page's first block imports what the page uses, later blocks use the
names earlier ones defined. Copied alone, most blocks would raise ``NameError``.
``standalone(blocks)`` gives, for every block, code that runs in a fresh Python
with convdoc installed: the statements of the earlier blocks that the block
needs (imports and the definitions of the names it uses, transitively: a
backward slice of the page), then the block's own statements, without prompts
or expected outputs.

What counts, statement by statement (``ast``):

* A statement *binds* a name (assignment, import, ``def``/``class``, ``for``
  target, ``with ... as``, ``:=``): an earlier binding of that name is no longer
  needed.
* It *changes* a name without rebinding it (``x[0] = ...``, ``x.a = ...``,
  ``x += ...``, ``del x[...]``, or a call of a method that changes its object,
  ``MUTATING``, numpy's random draws included): the earlier binding is still
  needed, and so is this statement.
* It *uses* the names it reads (inside functions too: a function's free names
  are read when it is called), except those that the body of a ``for``, ``while``,
  ``if`` or ``with`` reads after binding them itself (a loop's temporaries).

Earlier statements that only show a value (a doctest example with an expected
output and no change) or that raise (an expected traceback) are never taken
along. A block that shows an error keeps its failing statement: run alone, it
ends in that error.
"""

from __future__ import annotations

import ast
import doctest
import html
import re
from dataclasses import dataclass, field

# methods that change the object they are called on (lists, dicts, sets, numpy arrays and generators)
MUTATING = frozenset(
    "append extend insert pop remove clear update sort reverse add discard setdefault popitem "
    "fill resize put itemset setflags partition seed shuffle permutation integers random normal "
    "standard_normal uniform choice bytes binomial poisson exponential".split()
)


@dataclass
class Step:
    """One example of a doctest block (or one top-level statement of a plain block)."""

    source: str  # without prompts, ending in a newline
    shows: bool = False  # the page shows an output for it
    raises: bool = False  # the page shows a traceback for it
    binds: set[str] = field(default_factory=set)
    changes: set[str] = field(default_factory=set)
    uses: set[str] = field(default_factory=set)
    star: bool = False  # ``from m import *``: binds names we cannot list

    @property
    def compound(self) -> bool:
        return "\n" in self.source.rstrip("\n") or self.source.rstrip().endswith(":")


def _base_name(node: ast.AST) -> str | None:
    """``x`` for ``x``, ``x[0]``, ``x.a.b``, ``x[0].a``."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _Names(ast.NodeVisitor):
    def __init__(self, step: Step):
        self.step = step

    def _target(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            self.step.binds.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self._target(element)
        elif isinstance(node, ast.Starred):
            self._target(node.value)
        else:  # x[i] = ..., x.a = ...: changes x, and reads it and the index
            name = _base_name(node)
            if name:
                self.step.changes.add(name)
            self.visit(node)

    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self._target(target)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.annotation)
        self._target(node.target)

    def visit_AugAssign(self, node):
        self.visit(node.value)
        name = _base_name(node.target)
        if name:
            self.step.changes.add(name)
            self.step.uses.add(name)
        self.visit(node.target)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        self._target(node.target)

    def visit_Delete(self, node):
        for target in node.targets:
            name = _base_name(target)
            if isinstance(target, ast.Name):
                self.step.binds.add(name)
            elif name:
                self.step.changes.add(name)
            self.visit(target)

    def _sequence(self, stmts) -> None:
        """Statements that run in order: a name they read after binding it is not read from before."""
        for stmt in stmts:
            inner = Step(source="")
            _Names(inner).visit(stmt)
            self.step.uses |= inner.uses - self.step.binds
            self.step.changes |= inner.changes - self.step.binds
            self.step.binds |= inner.binds
            self.step.star |= inner.star

    def visit_For(self, node):
        self.visit(node.iter)
        self._target(node.target)
        self._sequence(node.body + node.orelse)

    visit_AsyncFor = visit_For

    def visit_While(self, node):
        self.visit(node.test)
        self._sequence(node.body + node.orelse)

    def visit_If(self, node):
        self.visit(node.test)
        before = set(self.step.binds)
        self._sequence(node.body)
        bound = self.step.binds
        self.step.binds = before  # the else branch does not run after the body
        self._sequence(node.orelse)
        self.step.binds |= bound

    def visit_With(self, node):
        for item in node.items:
            self.visit(item)
        self._sequence(node.body)

    visit_AsyncWith = visit_With

    def visit_withitem(self, node):
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            self._target(node.optional_vars)

    def visit_Import(self, node):
        for alias in node.names:
            self.step.binds.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name == "*":
                self.step.star = True
            else:
                self.step.binds.add(alias.asname or alias.name)

    def _scope(self, node, name: str | None):
        if name:
            self.step.binds.add(name)
        for decorator in getattr(node, "decorator_list", []):
            self.visit(decorator)
        # the free names of a function or class body: read when it is called
        inner = Step(source="")
        visitor = _Names(inner)
        for child in ast.iter_child_nodes(node):
            if child not in getattr(node, "decorator_list", []):
                visitor.visit(child)
        local = inner.binds | _arguments(node)
        self.step.uses |= inner.uses - local
        self.step.changes |= inner.changes - local

    def visit_FunctionDef(self, node):
        self._scope(node, node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._scope(node, node.name)

    def visit_Lambda(self, node):
        self._scope(node, None)

    def visit_comprehension(self, node):
        self.visit(node.iter)
        for condition in node.ifs:
            self.visit(condition)

    def _comprehension(self, node):
        inner = Step(source="")
        visitor = _Names(inner)
        for generator in node.generators:
            visitor._target(generator.target)
            visitor.visit(generator)
        for part in ("elt", "key", "value"):
            if hasattr(node, part):
                visitor.visit(getattr(node, part))
        self.step.uses |= inner.uses - inner.binds
        self.step.changes |= inner.changes - inner.binds

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in MUTATING:
            name = _base_name(func.value)
            if name:
                self.step.changes.add(name)
        self.generic_visit(node)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self.step.uses.add(node.id)


def _arguments(node) -> set[str]:
    args = getattr(node, "args", None)
    if not isinstance(args, ast.arguments):
        return set()
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return {a.arg for a in every}


def _analyse(step: Step) -> Step:
    for stmt in ast.parse(step.source).body:
        _Names(step).visit(stmt)
    return step


def steps(text: str) -> list[Step] | None:
    """The examples of a block's text (doctest or plain Python); None if it is not Python."""
    try:
        examples = doctest.DocTestParser().get_examples(text)
    except ValueError:
        return None
    try:
        if examples:
            found = [Step(e.source, shows=bool(e.want), raises=e.exc_msg is not None) for e in examples]
        else:
            tree = ast.parse(text)
            lines = text.splitlines(keepends=True)
            found = [Step("".join(lines[s.lineno - 1 : s.end_lineno]).rstrip("\n") + "\n") for s in tree.body]
        return [_analyse(step) for step in found]
    except SyntaxError:
        return None


def _join(parts: list[Step]) -> str:
    """The sources, a blank line after each compound statement (as the REPL wants when pasting)."""
    out = []
    for i, step in enumerate(parts):
        out.append(step.source)
        if step.compound and i + 1 < len(parts):
            out.append("\n")
    return "".join(out)


def standalone(blocks: list[str]) -> list[str | None]:
    """For each block's text, the code that runs it alone (None for a block that is not Python)."""
    parsed = [steps(text) for text in blocks]
    result: list[str | None] = []
    for k, own in enumerate(parsed):
        if not own:
            result.append(None)
            continue
        earlier = [step for block in parsed[:k] if block for step in block]
        needed: set[str] = set()
        for step in reversed(own):
            needed = (needed - step.binds) | step.uses | step.changes
        taken: list[Step] = []
        for step in reversed(earlier):
            if step.raises:
                continue  # it bound nothing: it stopped with an error
            if step.star and needed:
                taken.append(step)
                continue
            if not (step.binds | step.changes) & needed:
                continue
            taken.append(step)
            needed = (needed - step.binds) | step.uses | step.changes
        prelude = _join(taken[::-1])
        code = _join(own)
        result.append(prelude + ("\n" if prelude and not code.startswith("\n") else "") + code)
    return result


# --- the rendered page: a data-copy attribute on each Python block's <pre> (read by Material's copy button) ---

CODE_BLOCK = re.compile(
    r'(?:<div class="(?P<div>[^"]*)">)?<pre(?P<attrs>[^>]*)>(?:<span></span>)?<code[^>]*>(?P<code>.*?)</code></pre>', re.DOTALL
)
LANGUAGE = re.compile(r"\blanguage-(\w+)")
PYTHON = {"python", "pycon", "py"}
TAG = re.compile(r"<[^>]+>")


def block_text(code_html: str) -> str:
    return html.unescape(TAG.sub("", code_html))


def is_code(match: re.Match) -> bool:
    """A block of Python to run: not another language, not an API signature (mkdocstrings)."""
    classes = (match.group("div") or "").split()
    language = LANGUAGE.search(match.group("div") or "")
    return "doc-signature" not in classes and (language is None or language.group(1) in PYTHON)


def mark_page(page_html: str) -> str:
    """``page_html`` with ``data-copy`` on each Python block: the code that runs it alone."""
    matches = [m for m in CODE_BLOCK.finditer(page_html) if "data-copy" not in m.group("attrs") and is_code(m)]
    copies = standalone([block_text(m.group("code")) for m in matches])
    out, end = [], 0
    for match, copy in zip(matches, copies):
        if copy is None:
            continue
        at = match.start("attrs")
        out.append(page_html[end:at])
        out.append(f' data-copy="{html.escape(copy, quote=True)}"')
        end = at
    out.append(page_html[end:])
    return "".join(out)
