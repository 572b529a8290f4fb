"""The two in-kernel graders driven from tests: `otter run` with the built zip, and nbgrader's
generate_assignment / autograde on a copy of the course. Also: example notebooks turned into
nbgrader submissions, and a submission that tampers with the in-kernel checks."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

import nbformat
from keras_lesson import (
    BY_ID,
    QUESTION_IDS,
    TAMPER_CODE,
)
from layerwise import tfenv

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "autograder" / "examples" / "cnn_keras"
OTTER_ZIP = ROOT / "autograder" / "otter" / "cnn_keras-autograder.zip"
COURSE = ROOT / "autograder" / "nbgrader"
ASSIGNMENT = "cnn_keras"
BIN = str(Path(sys.executable).parent)



def env() -> dict[str, str]:
    """The environment of the graders: the venv's bin first on PATH (nbgrader runs alembic)."""
    out = dict(os.environ)
    out["PATH"] = os.pathsep.join([BIN, out.get("PATH", "")])
    return dict(tfenv.apply(out))


def read(path: Path) -> nbformat.NotebookNode:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nbformat.read(path, as_version=4)


def tamper(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of `nb` with the tampering cell right after the cell importing keras."""
    out = copy.deepcopy(nb)
    at = next(i for i, c in enumerate(out.cells) if c.cell_type == "code" and "import keras" in c.source)
    out.cells.insert(at + 1, nbformat.v4.new_code_cell(TAMPER_CODE))
    return out


# otter ------------------------------------------------------------------------------------------

def otter_run(notebook: Path, work: Path, zip_path: Path = OTTER_ZIP) -> dict[str, Any]:
    """`otter run -a ZIP -o OUT notebook`; returns the results.json it wrote (Gradescope's)."""
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)  # otter run needs it to exist
    proc = subprocess.run([str(Path(BIN) / "otter"), "run", "-a", str(zip_path), "-o", str(out),
                           str(notebook)], cwd=work, env=env(), capture_output=True, text=True,
                          timeout=600)
    results = out / "results.json"
    assert proc.returncode == 0 and results.is_file(), proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(results.read_text())


def otter_scores(results: dict[str, Any]) -> dict[str, float]:
    """Question -> score of otter's results.json (one test entry per question)."""
    return {t["name"]: float(t["score"]) for t in results["tests"] if t["name"] in BY_ID}


# nbgrader ---------------------------------------------------------------------------------------

def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env(),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def new_course(dest: Path) -> Path:
    """A copy of the built course with the assignment generated (release/ and the gradebook)."""
    shutil.copytree(COURSE, dest, ignore=shutil.ignore_patterns("gradebook.db", "release",
                                                                "submitted", "autograded",
                                                                "feedback", "__pycache__"))
    nbgrader(dest, "generate_assignment", ASSIGNMENT, "--force")
    return dest


def released(course: Path) -> nbformat.NotebookNode:
    return read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")


def to_nbgrader(release: nbformat.NotebookNode, student: nbformat.NotebookNode
                ) -> nbformat.NotebookNode:
    """The nbgrader release notebook with each answer cell replaced by the student's cell that
    defines the same function (an example notebook is in otter's layout, without nbgrader ids)."""
    out = copy.deepcopy(release)
    functions = {f"{q}_answer": BY_ID[q].function for q in QUESTION_IDS}
    for cell in out.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in functions:
            continue
        mine = next((c for c in student.cells if c.cell_type == "code"
                     and f"def {functions[grade_id]}(" in c.source), None)
        if mine is not None:
            cell.source = mine.source
    return out


def submit(course: Path, student: str, nb: nbformat.NotebookNode,
           assignment: str = ASSIGNMENT) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")


def nbgrader_scores(course: Path, assignment: str = ASSIGNMENT) -> dict[str, dict[str, float]]:
    """Student -> question -> score of each question's graded cell, from the gradebook."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(assignment):
            nb = next(n for n in sub.notebooks if n.name == assignment)
            out[sub.student.id] = {g.name.removesuffix("_tests"): float(g.score)
                                   for g in nb.grades if g.name.endswith("_tests")}
    return out


def scratch(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
