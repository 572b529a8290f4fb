"""The English nbgrader assignment `cnn_keras_en` grades like `layerwise grade`: full marks (the
example class's `full_marks_en`) and an English mutant (`reshape`, from solutions/cnn_keras_en)
get the same per-question scores from `nbgrader autograde cnn_keras_en`, from `layerwise grade` on
nbgrader's own `submitted/` folder (intake recognises submitted/<student>/cnn_keras_en/), and from
the session's graded class (the pt `reshape` has the same code, so the same scores).

nbgrader runs in a background thread while the class is graded; ≈ 40 s once `graded_class` is
built (it is shared with test_three_ways)."""

from __future__ import annotations

import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import native_runs as nr
import nbformat
import pytest
from keras_lesson import BY_ID, DIAGNOSES, MAX_TOTAL, QUESTION_IDS
from keras_lesson import LAYOUT as layout
from layerwise.assignments.cnn_keras.examples import MUTANTS
from layerwise.build.examples import apply
from layerwise.execute.limits import Limits
from layerwise.grade.run import Options, grade
from layerwise.report.runfolder import read_records

ASSIGNMENT = layout.edition("en")
MUTANT = "reshape"
STUDENTS = {"full_marks_en": "full_marks_en", f"{MUTANT}_en": MUTANT}
"""nbgrader student -> the graded class's record with the same code."""
TOL = 0.01  # layerwise rounds a question's score to 2 decimals

Scores = dict[str, dict[str, float]]


def _english_class() -> dict[str, nbformat.NotebookNode]:
    """full_marks_en as bundled, and the reshape mutant of the English solution."""
    solution = nr.read(nr.ROOT / layout.solution("en"))
    for cell in solution.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    mutant = next(m for m in MUTANTS if m.name == MUTANT)
    return {"full_marks_en": nr.read(nr.CLASS / "full_marks_en.ipynb"),
            f"{MUTANT}_en": apply(solution, mutant)}


def _autograde(work: Path) -> dict[str, Any]:
    """A course copy: generate cnn_keras_en, submit the English class, autograde."""
    course = work / "course"
    shutil.copytree(nr.COURSE, course, ignore=shutil.ignore_patterns(
        "gradebook.db", "release", "submitted", "autograded", "feedback", "__pycache__"))
    nr.nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    release = nr.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    for student, nb in _english_class().items():
        nr.submit(course, student, nr.to_nbgrader(release, nb), ASSIGNMENT)
    nr.nbgrader(course, "autograde", ASSIGNMENT, "--force")
    return {"course": course, "release": release, "scores": nr.nbgrader_scores(course, ASSIGNMENT)}


@pytest.fixture(scope="session")
def english_nbgrader(tmp_path_factory: pytest.TempPathFactory) -> Future[dict[str, Any]]:
    """nbgrader started in the background (it only needs the built course); session-scoped so
    it starts before `graded_class`, which it runs alongside."""
    pool = ThreadPoolExecutor(1)
    future = pool.submit(_autograde, tmp_path_factory.mktemp("english_nbgrader"))
    pool.shutdown(wait=False)
    return future


@pytest.fixture(scope="module")
def english(english_nbgrader: Future[dict[str, Any]], graded_class: dict[str, Any],
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """way -> student -> question -> score, with nbgrader's course and layerwise's records."""
    nbg = english_nbgrader.result(timeout=900)
    out = tmp_path_factory.mktemp("english_layerwise")
    shutil.copytree(graded_class["out"] / ".reference", out / ".reference")  # same seed, solution
    grade([nbg["course"] / "submitted"], out,
          Options(solution=nr.ROOT / layout.solution("pt"), workers=1,
                  seed=2026, limits=Limits(notebook_seconds=60, cell_seconds=20)))
    records = {r["student"]: r for r in read_records(out)}

    def per_question(recs: dict[str, dict[str, Any]]) -> Scores:
        return {s: {q["id"]: float(q["score"]) for q in r["questions"]} for s, r in recs.items()}

    scores = {"nbgrader": nbg["scores"], "layerwise": per_question(records),
              "class": per_question({s: graded_class["records"][r] for s, r in STUDENTS.items()})}
    return {"scores": scores, "records": records, "course": nbg["course"],
            "release": nbg["release"]}


def test_english_release_is_the_portuguese_code(english: dict[str, Any]) -> None:
    """Only text differs from cnn_keras: the same code cells and nbgrader cells."""
    pt = nr.read(nr.ROOT / layout.nbgrader_source("pt"))
    en = nr.read(nr.ROOT / layout.nbgrader_source("en"))
    assert [c.source for c in en.cells if c.cell_type == "code"] == \
        [c.source for c in pt.cells if c.cell_type == "code"]
    assert [c.metadata.get("nbgrader") for c in en.cells] == \
        [c.metadata.get("nbgrader") for c in pt.cells]
    assert en.metadata["layerwise"] == {"assignment": layout.name, "lang": "en"}
    text = nbformat.writes(english["release"])
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    assert "Question `kernel_layout`" in text and "Questão" not in text


def test_intake_reads_nbgrader_english_folders(english: dict[str, Any]) -> None:
    records = english["records"]
    assert set(records) == set(STUDENTS)
    for rec in records.values():
        assert rec["status"] == "graded" and rec["language"] == "en", rec["student"]
        assert rec["identity"]["lms"] == "nbgrader"


def test_english_scores_agree(english: dict[str, Any]) -> None:
    scores = english["scores"]
    assert set(scores["nbgrader"]) == set(STUDENTS)
    for student in STUDENTS:
        nbg = scores["nbgrader"][student]
        assert set(nbg) == set(QUESTION_IDS), student
        for way in ("layerwise", "class"):
            theirs = scores[way][student]
            differ = {q: (nbg[q], theirs[q]) for q in QUESTION_IDS if abs(nbg[q] - theirs[q]) > TOL}
            assert not differ, f"{student}: nbgrader vs {way} {differ}"
    assert sum(scores["nbgrader"]["full_marks_en"].values()) == pytest.approx(MAX_TOTAL)
    mutant = scores["nbgrader"][f"{MUTANT}_en"]
    assert mutant["kernel_layout"] < BY_ID["kernel_layout"].points
    assert mutant["dense_size"] == BY_ID["dense_size"].points


def test_english_autograded_cells_explain(english: dict[str, Any]) -> None:
    """The graded cells wrote no error nor stderr, and the mutant's names its mistake."""
    course: Path = english["course"]
    nb = nr.read(course / "autograded" / f"{MUTANT}_en" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    for q in QUESTION_IDS:
        outputs = cells[f"{q}_tests"].outputs
        assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"], q
    text = "".join(o.get("text", "") for o in cells["kernel_layout_tests"].outputs)
    assert DIAGNOSES["reshape_instead_of_transpose"].both() in text
