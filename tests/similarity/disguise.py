"""The similarity benchmark: notebooks written independently, and copies of them disguised at
several levels. Used by the tests (recall and false flags at the default threshold) and by
`autograder/bench/bench_similarity.py` (a class of 500).

Originals, per lesson: the example class's solution family (the solved notebook, some of its
mutants and styles: one author) and the authors of `authors.py` (each correct, and with each
of their mistakes). Pairs of originals by different authors are the independent negatives.

Disguise levels, each a function of the code cells (a copier's edits):
verbatim; renamed (every local name and helper); reordered (the function cells in reverse);
decorated (comments, prints and blank lines added); extracted (each long graded function's
body moved into a helper); inlined (one-line helpers put back in place; only where the
original has some); combined (renamed, extracted, decorated and reordered). A copy of a
mistaken original is "a mistake copied together with the code".
"""

from __future__ import annotations

import ast
import copy
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from authors import KERAS, KERAS_MISTAKES, NUMPY, NUMPY_MISTAKES  # noqa: E402
from layerwise import registry  # noqa: E402
from layerwise.intake.notebook import read_notebook  # noqa: E402

FAMILY = {
    "cnn_numpy": ("full_marks", "kernel_flipped", "pool_ceil", "flatten_hwc", "dense_no_bias",
                  "sigmoid_unstable", "correct_stride_tricks"),
    "cnn_keras": ("full_marks", "hw_swapped", "dense_precedence", "reshape",
                  "pool_channels_last", "keras2_api", "correct_predict_per_layer"),
}
"""The example notebooks taken as the solution family's originals."""
AUTHORS = {"cnn_numpy": (NUMPY, NUMPY_MISTAKES), "cnn_keras": (KERAS, KERAS_MISTAKES)}
LEVELS = ("verbatim", "renamed", "reordered", "decorated", "extracted", "inlined", "combined")


@dataclass
class Notebook:
    name: str
    author: str
    cells: list[str]
    mistake: bool = False


def graded(lesson: str) -> list[str]:
    return [q.function for q in registry.get(lesson).questions]


def release_cells(lesson: str) -> list[str]:
    return read_notebook((ROOT / "release" / lesson / f"{lesson}.ipynb").read_bytes()).cells


def _with_functions(cells: list[str], code: dict[str, str]) -> list[str]:
    out = list(cells)
    for fn, source in code.items():
        i = next(i for i, c in enumerate(out) if f"def {fn}(" in c)
        out[i] = source
    return out


def originals(lesson: str) -> list[Notebook]:
    """Every original notebook of the benchmark for one lesson."""
    notebooks = []
    for name in FAMILY[lesson]:
        path = ROOT / "autograder" / "examples" / lesson / f"{name}.ipynb"
        cells = read_notebook(path.read_bytes()).cells
        notebooks.append(Notebook(f"solution.{name}", "solution", cells,
                                  not name.startswith(("full", "correct"))))
    authors, mistakes = AUTHORS[lesson]
    release = release_cells(lesson)
    for author, code in authors.items():
        notebooks.append(Notebook(f"{author}.correct", author, _with_functions(release, code)))
        for name, who, old, new in mistakes:
            if who == author:
                edited = {fn: src.replace(old, new, 1) for fn, src in code.items()}
                assert edited != code, f"mistake {name} does not apply to {author}"
                notebooks.append(Notebook(f"{author}.{name}", author,
                                          _with_functions(release, edited), True))
    return notebooks


# --- disguises -------------------------------------------------------------------------------

def _trees(cells: list[str]) -> list[ast.Module | None]:
    out: list[ast.Module | None] = []
    for c in cells:
        try:
            out.append(ast.parse(c))
        except SyntaxError:
            out.append(None)
    return out


def _unparse(cells: list[str], trees: list[ast.Module | None], touched: set[int]) -> list[str]:
    return [ast.unparse(ast.fix_missing_locations(t)) if i in touched and t is not None else c
            for i, (c, t) in enumerate(zip(cells, trees, strict=True))]


def _bound(trees: list[ast.Module | None], keep: set[str]) -> set[str]:
    names: set[str] = set()
    for t in trees:
        for n in ast.walk(t) if t else ():
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                names.add(n.id)
            elif isinstance(n, ast.FunctionDef) and n.name not in keep:
                names.add(n.name)
            elif isinstance(n, ast.arg):
                keep.add(n.arg)
            elif isinstance(n, ast.Import | ast.ImportFrom):
                keep.update((a.asname or a.name).split(".")[0] for a in n.names)
    return names - keep


def renamed(cells: list[str], functions: list[str], rng: random.Random) -> list[str]:
    """Every name the notebook binds (not parameters, which callers may pass by keyword; not
    the graded functions) gets another name."""
    trees = _trees(cells)
    names = _bound(trees, set(functions))
    words = ["val", "tmp", "res", "dado", "aux", "arr", "item", "m", "z", "q"]
    new = {n: f"{rng.choice(words)}_{n.strip('_')[:3].lower()}{rng.randrange(100)}" for n in names}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            node.id = new.get(node.id, node.id)
            return node

        def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
            node.name = new.get(node.name, node.name)
            self.generic_visit(node)
            return node

    touched = {i for i, t in enumerate(trees) if t is not None}
    for t in trees:
        if t is not None:
            Rename().visit(t)
    return _unparse(cells, trees, touched)


def reordered(cells: list[str], functions: list[str], rng: random.Random) -> list[str]:
    """The cells defining graded functions, in reverse order."""
    spots = [i for i, c in enumerate(cells) if any(f"def {fn}(" in c for fn in functions)]
    out = list(cells)
    for i, j in zip(spots, reversed(spots), strict=True):
        out[i] = cells[j]
    return out


def decorated(cells: list[str], functions: list[str], rng: random.Random) -> list[str]:
    """A print before each function's last statement, then comments and blank lines."""
    trees = _trees(cells)
    touched = set()
    for i, t in enumerate(trees):
        for node in ast.walk(t) if t else ():
            if isinstance(node, ast.FunctionDef) and len(node.body) > 1:
                shown = next((a.arg for a in node.args.args), "None")
                node.body.insert(len(node.body) - 1, ast.parse(
                    f"print('debug {node.name}:', type({shown}))").body[0])
                touched.add(i)
    notes = ["# calcula aqui", "# TODO revisar", "# ok", "# step", "# see the lesson"]
    out = []
    for source in _unparse(cells, trees, touched):
        lines = []
        for n, line in enumerate(source.splitlines()):
            if n % 3 == 2 and line.strip():
                indent = line[:len(line) - len(line.lstrip())]
                lines.append(indent + rng.choice(notes))
            if n % 5 == 4:
                lines.append("")
            lines.append(line)
        out.append("\n".join(lines))
    return out


def extracted(cells: list[str], functions: list[str], rng: random.Random) -> list[str]:
    """Each graded function of three statements or more becomes a call to a helper holding
    its body."""
    trees = _trees(cells)
    touched = set()
    for i, t in enumerate(trees):
        if t is None:
            continue
        body: list[ast.stmt] = []
        for stmt in t.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name in functions \
                    and len(stmt.body) >= 3:
                helper = copy.deepcopy(stmt)
                helper.name = f"_{stmt.name.split('_')[0]}_impl{rng.randrange(10)}"
                call = ast.Call(ast.Name(helper.name, ast.Load()),
                                [ast.Name(a.arg, ast.Load()) for a in stmt.args.args], [])
                stmt.body = [ast.Return(call)]
                body += [helper, stmt]
                touched.add(i)
            else:
                body.append(stmt)
        t.body = body
    return _unparse(cells, trees, touched)


def inlined(cells: list[str], functions: list[str], rng: random.Random) -> list[str] | None:
    """One-line helpers (`return expr`) replaced by their expression at each call; None when
    the notebook has none."""
    trees = _trees(cells)
    helpers: dict[str, ast.FunctionDef] = {}
    for t in trees:
        for stmt in t.body if t else ():
            if isinstance(stmt, ast.FunctionDef) and stmt.name not in functions \
                    and len(stmt.body) == 1 and isinstance(stmt.body[0], ast.Return):
                helpers[stmt.name] = stmt
    if not helpers:
        return None

    class Inline(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            self.generic_visit(node)
            if isinstance(node.func, ast.Name) and node.func.id in helpers and not node.keywords:
                fn = helpers[node.func.id]
                params = {a.arg: arg for a, arg in zip(fn.args.args, node.args, strict=False)}
                expr = copy.deepcopy(fn.body[0].value)  # type: ignore[attr-defined]

                class Sub(ast.NodeTransformer):
                    def visit_Name(self, n: ast.Name) -> ast.AST:
                        return copy.deepcopy(params[n.id]) if n.id in params else n

                return Sub().visit(expr)  # type: ignore[no-any-return]
            return node

    touched = set()
    for i, t in enumerate(trees):
        if t is None:
            continue
        t.body = [s for s in t.body if not (isinstance(s, ast.FunctionDef) and s.name in helpers)]
        Inline().visit(t)
        touched.add(i)
    return _unparse(cells, trees, touched)


def combined(cells: list[str], functions: list[str], rng: random.Random) -> list[str]:
    step = renamed(cells, functions, rng)
    step = extracted(step, functions, rng)
    step = decorated(step, functions, rng)
    return reordered(step, functions, rng)


DISGUISES: dict[str, Callable[[list[str], list[str], random.Random], list[str] | None]] = {
    "verbatim": lambda cells, functions, rng: list(cells), "renamed": renamed,
    "reordered": reordered, "decorated": decorated, "extracted": extracted,
    "inlined": inlined, "combined": combined,
}


@dataclass
class Benchmark:
    notebooks: dict[str, Notebook]
    copies: list[tuple[str, str, str]]
    """(original, copy, level)."""

    def independent(self) -> list[tuple[str, str]]:
        """Pairs by different authors (copies count as their original's author)."""
        names = sorted(self.notebooks)
        return [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
                if self.notebooks[a].author != self.notebooks[b].author]


def benchmark(lesson: str, level: str, variant: int = 0, seed: int = 0) -> Benchmark:
    """A class as a real one is made: one notebook per author (each author's `variant`-th
    original, cycling), and a copy of each disguised at `level` (copies are their original's
    author: a copy is never an independent negative)."""
    rng = random.Random(f"{seed}.{level}.{variant}")
    functions = graded(lesson)
    by_author: dict[str, list[Notebook]] = {}
    for nb in originals(lesson):
        by_author.setdefault(nb.author, []).append(nb)
    notebooks = {}
    copies = []
    for group in by_author.values():
        nb = group[variant % len(group)]
        notebooks[nb.name] = nb
        cells = DISGUISES[level](nb.cells, functions, rng)
        if cells is not None:
            name = f"copy.{level}.{nb.name}"
            notebooks[name] = Notebook(name, nb.author, cells, nb.mistake)
            copies.append((nb.name, name, level))
    return Benchmark(notebooks, copies)


def synthetic_class(lesson: str, size: int, seed: int = 0) -> dict[str, list[str]]:
    """`size` notebooks for the timing benchmark: disguised copies (one to three levels deep)
    of the originals, each with its own random names."""
    rng = random.Random(seed)
    functions = graded(lesson)
    pool = originals(lesson)
    out: dict[str, list[str]] = {}
    for n in range(size):
        nb = rng.choice(pool)
        cells = nb.cells
        for _ in range(rng.randint(1, 3)):
            cells = DISGUISES[rng.choice(LEVELS)](cells, functions, rng) or cells
        out[f"s{n:03d}.{nb.name}"] = cells
    return out


def write_notebook(lesson: str, cells: list[str], path: Path) -> None:
    """The release notebook with its code cells replaced by `cells` (same count)."""
    nb = nbformat.read(ROOT / "release" / lesson / f"{lesson}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == len(cells), (len(code), len(cells))
    for cell, source in zip(code, cells, strict=True):
        cell.source = source
        cell.outputs = []
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)



def recall_table(variants: int = 3) -> str:
    """The markdown table of docs/similarity.md: per lesson and level, copies flagged and
    independent pairs flagged at the default threshold (`python tests/similarity/disguise.py`)."""
    from layerwise.similarity.run import compare_notebooks

    rows = ["| lesson | level | copies flagged | independent pairs flagged |", "|---|---|---:|---:|"]
    for lesson in AUTHORS:
        for level in LEVELS:
            found = copies = flagged = independent = 0
            for variant in range(variants):
                bench = benchmark(lesson, level, variant)
                pairs = compare_notebooks({k: nb.cells for k, nb in bench.notebooks.items()},
                                          graded(lesson), [release_cells(lesson)])
                tier = {(p.a, p.b): p.tier for p in pairs}
                for a, b, _ in bench.copies:
                    found += bool(tier.get((min(a, b), max(a, b))))
                    copies += 1
                for a, b in bench.independent():
                    flagged += bool(tier.get((a, b)))
                    independent += 1
            rows.append(f"| {lesson} | {level} | {found}/{copies} ({found / copies:.0%}) | "
                        f"{flagged}/{independent} ({flagged / independent:.1%}) |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(recall_table())
