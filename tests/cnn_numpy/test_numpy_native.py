"""The in-kernel graders' hidden tests of the second lesson (the nbgrader course; the otter zip
embeds the same payloads): scored in the student's process by `layerwise.native`, they give the
solution full marks and a conv mistake only its own question's loss — `cnn_forward` is held
against the student's own layers there too."""

from __future__ import annotations

import ast
import contextlib
import io
from typing import Any

import nbformat
from layerwise import registry
from layerwise.build.examples import apply, examples_of
from numpy_lesson import ROOT, functions, solution

ASSIGNMENT = registry.get("cnn_numpy")
MUTANTS = {m.name: m for m in examples_of(ASSIGNMENT)[0]}


def _graded_cells() -> dict[str, str]:
    """Question id -> the hidden code of its graded nbgrader cell."""
    nb = nbformat.read(ROOT / "autograder" / "nbgrader" / "source" / "cnn_numpy" /
                       "cnn_numpy.ipynb", as_version=4)
    cells = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade"):
            cells[meta["grade_id"].removesuffix("_tests")] = cell.source
    return cells


def _score(source: str, env: dict[str, Any]) -> float:
    """The value of a graded cell's last expression (nbgrader's partial credit)."""
    body = ast.parse(source).body
    exec(compile(ast.Module(body[:-1], []), "<graded>", "exec"), env)
    last = body[-1]
    assert isinstance(last, ast.Expr)
    with contextlib.redirect_stdout(io.StringIO()):
        return float(eval(compile(ast.Expression(last.value), "<graded>", "eval"), env))


def test_every_question_has_a_graded_cell() -> None:
    assert set(_graded_cells()) == set(ASSIGNMENT.question_ids)


def test_solution_gets_full_marks_in_kernel() -> None:
    env = functions(solution())
    scores = {q: _score(src, env) for q, src in _graded_cells().items()}
    assert scores == {q.id: q.points for q in ASSIGNMENT.questions}


def test_conv_mistake_costs_only_conv_in_kernel() -> None:
    env = functions(apply(solution(), MUTANTS["kernel_flipped"]))
    scores = {q: _score(src, env) for q, src in _graded_cells().items()}
    assert scores.pop("conv2d") < 25
    assert scores == {q.id: q.points for q in ASSIGNMENT.questions if q.id != "conv2d"}
