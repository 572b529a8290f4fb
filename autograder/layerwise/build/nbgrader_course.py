"""The nbgrader edition: otter markers turned into nbgrader cells, one test cell per question."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

from . import markers
from .hidden import NbgraderSource, is_hidden, split_config, with_call

SCHEMA_VERSION = 3
_BEGIN_PROMPT = re.compile(r'^\s*(?:"{3}\s*)?#\s*BEGIN\s+PROMPT\b', re.IGNORECASE)
_END_PROMPT = re.compile(r'^\s*(?:"{3}\s*)?#\s*END\s+PROMPT\b', re.IGNORECASE)
_BEGIN_SOLUTION = re.compile(r"^(\s*)#\s*BEGIN\s+SOLUTION\b", re.IGNORECASE)
_END_SOLUTION = re.compile(r"^(\s*)#\s*END\s+SOLUTION\b", re.IGNORECASE)
_LINE_SOLUTION = re.compile(r"#\s*SOLUTION\s*$")

CONFIG = '''\
"""nbgrader course of the layerwise assignment (written by `layerwise build`).

Run nbgrader from this folder, with the venv's bin first on PATH, e.g.
    nbgrader generate_assignment cnn_keras --force
"""

import os

c = get_config()  # noqa: F821 - injected by traitlets

HERE = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "layerwise"
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
c.ClearSolutions.code_stub = {
    "python": "# SEU CÓDIGO AQUI / YOUR CODE HERE\\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "_Escreva sua resposta aqui. / Write your answer here._"
c.Execute.timeout = 300
'''


def nbgrader_meta(grade_id: str, *, grade: bool, solution: bool, locked: bool,
                  points: float | None = None) -> dict[str, Any]:
    """`metadata.nbgrader` of a cell."""
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                            "schema_version": SCHEMA_VERSION, "solution": solution}
    if points is not None:
        meta["points"] = points
    return meta


def solution_source(source: str) -> str:
    """otter solution code -> nbgrader: `### BEGIN/END SOLUTION` regions, prompts dropped."""
    lines: list[str] = []
    in_prompt = False
    for line in source.splitlines():
        if _BEGIN_PROMPT.match(line):
            in_prompt = True
        elif _END_PROMPT.match(line):
            in_prompt = False
        elif in_prompt:
            continue
        elif begin := _BEGIN_SOLUTION.match(line):
            lines.append(f"{begin.group(1)}### BEGIN SOLUTION")
        elif end := _END_SOLUTION.match(line):
            lines.append(f"{end.group(1)}### END SOLUTION")
        elif _LINE_SOLUTION.search(line):
            raise ValueError(f"otter `# SOLUTION` line markers are not supported: {line!r}")
        else:
            lines.append(line)
    return "\n".join(lines)


def tests_source(public: list[str], hidden: list[str] | str) -> str:
    """One nbgrader test cell: public tests, then the hidden code between HIDDEN TESTS markers.
    `hidden` is either otter hidden test cells or ready code (kept last: a final expression's
    value is nbgrader's partial credit)."""
    parts = [with_call(split_config(src)[1].strip("\n")) for src in public]
    if isinstance(hidden, str):
        hidden_code = hidden.strip("\n")
    else:
        hidden_code = "\n\n\n".join(with_call(split_config(s)[1].strip("\n")) for s in hidden)
    if hidden_code:
        parts.append(f"### BEGIN HIDDEN TESTS\n{hidden_code}\n### END HIDDEN TESTS")
    return "\n\n\n".join(parts)


def is_otter_only(cell: NotebookNode) -> bool:
    """A code cell that only serves otter (installing or importing it)."""
    return cell.cell_type == "code" and bool(re.search(r"^\s*import otter\b", cell.source, re.M))


@dataclass
class _Question:
    name: str
    points: float
    manual: bool
    section: str | None = None
    prompts: int = 0
    answers: int = 0
    public: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)


def _question(cell: NotebookNode) -> _Question:
    settings = markers.config(cell)
    return _Question(str(settings["name"]), settings.get("points", 0) or 0,
                     bool(settings.get("manual", False)))


def _answer(cell: NotebookNode, q: _Question) -> NotebookNode:
    q.answers += 1
    grade_id = f"{q.name}_answer" + (f"_{q.answers}" if q.answers > 1 else "")
    if cell.cell_type == "code":
        cell.source = solution_source(cell.source)
    cell.metadata["nbgrader"] = nbgrader_meta(
        grade_id, grade=q.manual, solution=True, locked=False,
        points=q.points if q.manual else None)
    return cell


def _prompt(cell: NotebookNode, q: _Question) -> NotebookNode:
    q.prompts += 1
    grade_id = f"{q.name}_prompt" + (f"_{q.prompts}" if q.prompts > 1 else "")
    cell.metadata["nbgrader"] = nbgrader_meta(grade_id, grade=False, solution=False, locked=True)
    return cell


def _tests_cell(q: _Question, hidden_code: NbgraderSource | None) -> NotebookNode:
    hidden = hidden_code(q.name) if hidden_code is not None else q.hidden
    cell = new_code_cell(tests_source(q.public, hidden))
    cell.metadata["nbgrader"] = nbgrader_meta(
        f"{q.name}_tests", grade=True, solution=False, locked=True, points=q.points)
    return cell


def nbgrader_notebook(master: NotebookNode,
                      hidden_code: NbgraderSource | None = None) -> NotebookNode:
    """The nbgrader source notebook from an otter master that already holds its hidden tests;
    `hidden_code(question)`, when given, replaces those hidden tests in the nbgrader cell."""
    nb = copy.deepcopy(master)
    cells: list[NotebookNode] = []
    q: _Question | None = None
    for cell in nb.cells:
        kind = markers.marker(cell)
        if kind == "BEGIN QUESTION":
            q = _question(cell)
        elif kind == "END QUESTION":
            q = None
        elif kind in ("BEGIN SOLUTION", "BEGIN TESTS") and q is not None:
            q.section = kind.split()[1].lower()
        elif kind in ("END SOLUTION",) and q is not None:
            q.section = None
        elif kind == "END TESTS" and q is not None:
            q.section = None
            cells.append(_tests_cell(q, hidden_code))
        elif kind is not None:
            continue  # ASSIGNMENT CONFIG and stray markers
        elif cell.cell_type == "raw":
            cells.append(cell)
        elif q is None:
            if not is_otter_only(cell):
                cells.append(cell)
        elif q.section == "solution":
            cells.append(_answer(cell, q))
        elif q.section == "tests":
            (q.hidden if is_hidden(cell.source) else q.public).append(cell.source)
        else:
            cells.append(_prompt(cell, q))
    nb.cells = cells
    return nb


def config_text() -> str:
    """The course's nbgrader_config.py."""
    return CONFIG


def write_config(path: Path) -> Path:
    """Write nbgrader_config.py at `path`; returns it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config_text(), encoding="utf-8")
    return path
