"""`layerwise nbgrader-import`: put `layerwise grade`'s per-question scores in an nbgrader gradebook,
so formgrader and `nbgrader export` show them.

Each question's score becomes the automatic score of its graded cell (`<question>_tests`) in the
student's submission; the reflection (a manually graded answer) is left for a grader. The command
is `layerwise/cli/nbgrader.py`.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layerwise.errors import LayerwiseError
from layerwise.report.runfolder import question_ids, read_finished_run, read_run_info

GRADE_CELL = "{question}_tests"
"""grade_id of a question's graded cell in the nbgrader course (`layerwise build` names them)."""


class GradebookImportError(LayerwiseError):
    """The run or the course cannot be imported (not a student's problem)."""


@dataclass
class ImportSummary:
    """What an import did."""

    db_url: str
    assignment: str
    notebook: str
    imported: dict[str, float] = field(default_factory=dict)
    """nbgrader student id -> total now in the gradebook."""
    created_assignment: bool = False


def default_db_url(course_dir: Path) -> str:
    """nbgrader's default gradebook: `gradebook.db` (SQLite) in the course folder."""
    return f"sqlite:///{(course_dir.resolve() / 'gradebook.db').as_posix()}"


def load_run(run_dir: Path) -> list[dict[str, Any]]:
    """Every student's grading.json of a `layerwise grade` run folder."""
    if read_run_info(run_dir) is None:
        raise GradebookImportError(f"{run_dir} is not a `layerwise grade` run folder (no run.json)")
    return [dict(record) for record in read_finished_run(run_dir)]


def read_student_map(path: Path) -> dict[str, str]:
    """CSV with columns `student` (the run's id) and `nbgrader_id` (the hub user name)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if rows and not {"student", "nbgrader_id"} <= set(rows[0]):
        raise GradebookImportError(f"{path}: expected columns student,nbgrader_id")
    return {r["student"]: r["nbgrader_id"] for r in rows if r.get("nbgrader_id")}


def generate_assignment(course_dir: Path, assignment: str, db_url: str) -> None:
    """Record the assignment's cells in the gradebook with nbgrader itself (also writes
    release/, as `nbgrader generate_assignment` does)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    cmd = [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force",
           f"--CourseDirectory.root={course_dir.resolve()}", f"--CourseDirectory.db_url={db_url}"]
    proc = subprocess.run(cmd, cwd=course_dir, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise GradebookImportError(f"nbgrader generate_assignment failed:\n{proc.stdout}{proc.stderr}")


def _notebook(assignment: Any, questions: list[str]) -> str:
    """The assignment's notebook that holds the questions' graded cells."""
    wanted = {GRADE_CELL.format(question=q) for q in questions}
    names = [nb.name for nb in assignment.notebooks
             if wanted <= {cell.name for cell in nb.grade_cells}]
    if len(names) != 1:
        raise GradebookImportError(f"assignment {assignment.name!r}: expected one notebook with the cells "
                           f"{sorted(wanted)}, found {names or 'none'} (is this the layerwise course?)")
    return names[0]


def import_run(run_dir: Path, course_dir: Path, *, assignment: str | None = None,
               db_url: str | None = None, student_map: dict[str, str] | None = None
               ) -> ImportSummary:
    """Write every student's per-question scores of `run_dir` into the gradebook (created, and
    the assignment recorded from `course_dir/source/`, when missing). Re-importing overwrites the
    automatic scores; manual scores a grader entered are kept."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    records = load_run(run_dir)
    questions = question_ids(records)
    assignment = assignment or str(records[0].get("assignment") or "")
    if not assignment:
        raise GradebookImportError("the run does not name its assignment: pass --assignment")
    url = db_url or default_db_url(course_dir)
    summary = ImportSummary(url, assignment, "")
    with Gradebook(url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            summary.created_assignment = True
    if summary.created_assignment:
        if not (course_dir / "source" / assignment).is_dir():
            raise GradebookImportError(f"no assignment {assignment!r} in the gradebook, and no "
                                       f"{course_dir / 'source' / assignment} to record it from")
        generate_assignment(course_dir, assignment, url)
    with Gradebook(url) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # raised by nbgrader's own add_submission
        summary.notebook = _notebook(gb.find_assignment(assignment), questions)
        for rec in records:
            student = (student_map or {}).get(rec["student"], rec["student"])
            name = str(rec.get("identity", {}).get("name") or "")
            first, _, last = name.partition(" ")
            gb.update_or_create_student(student, **({"first_name": first, "last_name": last}
                                                    if name else {}))
            gb.update_or_create_submission(assignment, student)
            scores = {q["id"]: float(q["score"]) for q in rec["questions"]}
            for question in questions:
                grade = gb.find_grade(GRADE_CELL.format(question=question), summary.notebook,
                                      assignment, student)
                grade.auto_score = min(scores.get(question, 0.0), grade.max_score)
                grade.needs_manual_grade = False
            gb.db.commit()
            summary.imported[student] = gb.find_submission(assignment, student).score
    return summary
