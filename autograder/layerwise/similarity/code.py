"""A notebook's code as token streams, one per graded function, for fingerprinting.

Magics and shell escapes are dropped; each cell is parsed with `ast` (comments, blank lines and
layout vanish); statements that only print, bare docstrings and string expressions are dropped;
names the notebook binds (variables, parameters, its own helpers) become `V` and `F`, while
imported modules, their attributes (`np.moveaxis`), keywords and constants are kept. A graded
function's stream includes the helpers it calls (transitively), so extracting or inlining a
helper changes little. Everything else of the notebook is one more unit, `<module>`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

MODULE = "<module>"
"""The unit of everything outside the graded functions."""
_MAGIC_LINE = re.compile(r"^\s*(?:[!%]|\w+\s*=\s*[!%](?!=)|[\w.]+\?{1,2}\s*$)")
_CONTEXTS = (ast.Load, ast.Store, ast.Del)


@dataclass
class Unit:
    """One function's (or the module's) tokens, each with the (cell, line) it comes from."""

    tokens: list[str] = field(default_factory=list)
    where: list[tuple[int, int]] = field(default_factory=list)


def clean_cell(source: str) -> str:
    """A cell without its IPython-only lines (`%%` cell magics drop the whole cell)."""
    if source.lstrip().startswith("%%"):
        return ""
    return "\n".join("" if _MAGIC_LINE.search(line) else line for line in source.splitlines())


def parse_cells(cells: Iterable[str]) -> list[tuple[int, ast.Module]]:
    """(cell index, tree) of each cell that parses once cleaned (a cell that does not parse
    cannot define a graded function either)."""
    trees = []
    for i, source in enumerate(cells):
        try:
            trees.append((i, ast.parse(clean_cell(source))))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    return trees


def _is_noise(stmt: ast.stmt) -> bool:
    """Prints, docstrings and bare constants: what a disguise adds or removes for free."""
    if not isinstance(stmt, ast.Expr):
        return False
    value = stmt.value
    if isinstance(value, ast.Constant):
        return True
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in {"print", "display"})


def _bound_names(trees: list[tuple[int, ast.Module]]) -> tuple[set[str], set[str], set[str]]:
    """(names the notebook binds, functions it defines, names it imports)."""
    bound: set[str] = set()
    functions: set[str] = set()
    imported: set[str] = set()
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                if not isinstance(node, ast.Lambda):
                    functions.add(node.name)
            elif isinstance(node, ast.ClassDef):
                functions.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                imported.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound - imported, functions, imported


class _Emitter:
    """Pre-order walk of a tree into normalized tokens."""

    def __init__(self, cell: int, keep: set[str], bound: set[str], functions: set[str],
                 unit: Unit) -> None:
        self.cell, self.keep, self.bound, self.functions, self.unit = (
            cell, keep, bound, functions, unit)

    def emit(self, token: str, node: ast.AST, line: int) -> None:
        self.unit.tokens.append(token)
        self.unit.where.append((self.cell, getattr(node, "lineno", line)))

    def name(self, name: str) -> str:
        if name in self.keep:
            return name
        if name in self.functions:
            return "F"
        return "V" if name in self.bound else name

    def walk(self, node: ast.AST, line: int = 0) -> None:
        if isinstance(node, _CONTEXTS):
            return
        line = getattr(node, "lineno", line)
        if isinstance(node, ast.Name):
            self.emit(self.name(node.id), node, line)
            return
        if isinstance(node, ast.arg):
            self.emit("V", node, line)
            return
        if isinstance(node, ast.Constant):
            self.emit(f"={node.value!r}"[:40], node, line)
            return
        self.emit(type(node).__name__, node, line)
        if isinstance(node, ast.Attribute):
            self.emit("." + node.attr, node, line)
        elif isinstance(node, ast.keyword) and node.arg:
            self.emit(node.arg + "=", node, line)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self.emit(self.name(node.name), node, line)
        elif isinstance(node, ast.alias):
            self.emit(node.name, node, line)
        for name, value in ast.iter_fields(node):
            if name in {"decorator_list", "type_comment", "returns"}:
                continue
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, ast.stmt) and _is_noise(item):
                    continue
                if isinstance(item, ast.AST):
                    self.walk(item, line)


def _walk(emitter: _Emitter, node: ast.AST) -> None:
    """Tokens of one statement; one nested past Python's recursion limit (hostile code) is
    left out whole rather than half."""
    unit = emitter.unit
    mark = len(unit.tokens)
    try:
        emitter.walk(node)
    except RecursionError:
        del unit.tokens[mark:], unit.where[mark:]


def _calls(node: ast.AST) -> set[str]:
    return {n.func.id for n in ast.walk(node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def units(cells: Iterable[str], graded: Iterable[str]) -> dict[str, Unit]:
    """The notebook's units: one per graded function it defines (with the helpers it calls),
    and `<module>` for the rest. The last definition of a name wins, as when run."""
    graded = list(graded)
    trees = parse_cells(cells)
    bound, functions, imported = _bound_names(trees)
    keep = set(graded) | imported
    defs: dict[str, tuple[int, ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    rest: list[tuple[int, ast.stmt]] = []
    for cell, tree in trees:
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                defs[stmt.name] = (cell, stmt)
            elif not _is_noise(stmt):
                rest.append((cell, stmt))
    used: set[str] = set()
    out: dict[str, Unit] = {}
    for name in graded:
        if name not in defs:
            continue
        unit = Unit()
        seen, todo = [name], [name]
        while todo:
            cell, fn = defs[todo.pop(0)]
            _walk(_Emitter(cell, keep, bound, functions, unit), fn)
            for callee in sorted(_calls(fn)):
                if callee in defs and callee not in graded and callee not in seen:
                    seen.append(callee)
                    todo.append(callee)
        used.update(seen)
        out[name] = unit
    module = Unit()
    for fname, (cell, fn) in defs.items():
        if fname not in used:
            rest.append((cell, fn))
    for cell, stmt in sorted(rest, key=lambda cs: (cs[0], getattr(cs[1], "lineno", 0))):
        _walk(_Emitter(cell, keep, bound, functions, module), stmt)
    out[MODULE] = module
    return out
