"""The nbgrader edition: otter markers turned into nbgrader cells; per question a locked cell of
public tests and one graded cell holding only the hidden scoring code."""

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

One nbgrader assignment per edition of each notebook: <name> (Portuguese) and <name>_en (English),
same code and checks. Run nbgrader from this folder, with the venv's bin first on PATH, e.g.
    nbgrader generate_assignment <name> --force
    nbgrader generate_assignment <name>_en --force
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
# Feedback shows each graded cell's output (the score, and why cases failed) but not its hidden
# code, which holds the hidden cases.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
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


HIDDEN_NOTE = ("# Testes ocultos: a nota desta questão é a fração dos casos que passam.\n"
               "# Hidden tests: this question's score is the share of cases passed.")


def public_source(public: list[str]) -> str:
    """The public tests of a question as one cell (each test function followed by its call)."""
    return "\n\n\n".join(with_call(split_config(src)[1].strip("\n")) for src in public)


def tests_source(hidden: list[str] | str) -> str:
    """A question's graded cell: a comment, then only hidden code between the HIDDEN TESTS markers.
    `hidden` is either ready code whose last expression is the points earned (nbgrader's partial
    credit), or otter hidden test cells (then the cell scores all or nothing)."""
    if isinstance(hidden, str):
        hidden_code = hidden.strip("\n")
    else:
        hidden_code = "\n\n\n".join(with_call(split_config(s)[1].strip("\n")) for s in hidden)
    return f"{HIDDEN_NOTE}\n### BEGIN HIDDEN TESTS\n{hidden_code}\n### END HIDDEN TESTS"


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


def _tests_cells(q: _Question, hidden_code: NbgraderSource | None) -> list[NotebookNode]:
    """The question's public tests (locked, not graded: students see why they fail) and its
    graded cell, which holds only the hidden scoring code."""
    cells = []
    if q.public:
        public = new_code_cell(public_source(q.public))
        public.metadata["nbgrader"] = nbgrader_meta(
            f"{q.name}_public", grade=False, solution=False, locked=True)
        cells.append(public)
    hidden = hidden_code(q.name) if hidden_code is not None else q.hidden
    if hidden:
        graded = new_code_cell(tests_source(hidden))
        graded.metadata["nbgrader"] = nbgrader_meta(
            f"{q.name}_tests", grade=True, solution=False, locked=True, points=q.points)
        cells.append(graded)
    return cells


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
            cells += _tests_cells(q, hidden_code)
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
