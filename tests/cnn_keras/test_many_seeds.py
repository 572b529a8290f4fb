"""Grading is right on every seed, whichever way a correct student calls Keras, and the fast
`predict` changes no grade (see `many_seeds`: many seeds' cases graded in one job)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from keras_lesson import ASSIGNMENT, CLASS, MAX_TOTAL, SOLUTION
from layerwise.assignments.cnn_keras.examples import STYLES
from layerwise.execute.limits import Limits
from layerwise.execute.pool import LocalPool
from layerwise.grade.run import Options, grade
from layerwise.report.runfolder import read_records
from many_seeds import cells, grade_all, many_seeds, only


def test_correct_notebooks_get_full_marks_on_50_seeds(
        seed_pool: LocalPool, reference_200: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """The seed's per-layer predict and the lesson's direct call, on seeds 0-49 (seed 7 drew
    the Keras bias shape before: a correct predict-based notebook got 95 there)."""
    cases, expected = (only(part, set(range(50))) for part in reference_200)
    assert len(cases["probes"]) == 50 * 4
    graded = grade_all(seed_pool, ["full_marks", "correct_predict_per_layer"], cases, expected,
                       fast_predict=True)
    for name, (status, total, questions) in graded.items():
        failed = {q: [c for c in results if not c[1]] for q, results in questions.items()}
        assert (status, total) == ("graded", MAX_TOTAL), (name, {q: f for q, f in failed.items() if f})


def _graded(records: list[Any]) -> dict[str, Any]:
    return {r["student"]: (r["status"], r["total"],
                           [(q["id"], q["score"], [(c["case"], c["passed"], c["diagnosis"])
                                                   for c in q["case_results"]])
                            for q in r["questions"]]) for r in records}


def test_fast_predict_changes_no_grade_of_the_class(graded_class: dict[str, Any],
                                                    tmp_path: Path) -> None:
    """The whole example class (fast predict on: the session's run) graded again with the real
    `predict`: identical case by case (statuses, scores, cases passed, mistakes named)."""
    options = Options(solution=SOLUTION, workers=2, seed=2026, fast_predict=False,
                      limits=Limits(notebook_seconds=40, cell_seconds=12))
    shutil.copytree(graded_class["out"] / ".reference", tmp_path / ".reference")
    info = grade([CLASS], tmp_path, options)
    assert info["fast_predict"] is False and graded_class["info"]["fast_predict"] is True
    assert _graded(read_records(tmp_path)) == _graded(list(graded_class["records"].values()))


def test_fast_predict_changes_no_grade_on_other_seeds(
        seed_pool: LocalPool, reference_200: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """The notebooks that call `predict` (and the lesson's own), on two more seeds."""
    names = ["full_marks", *(s.name for s in STYLES if ".predict(" in "".join(cells(s.name)))]
    assert len(names) >= 3, names
    cases, expected = (only(part, {3, 7}) for part in reference_200)
    on = grade_all(seed_pool, names, cases, expected, fast_predict=True)
    off = grade_all(seed_pool, names, cases, expected, fast_predict=False)
    assert on == off
    assert all(total == MAX_TOTAL for _, total, _ in on.values()), on


def test_merged_cases_keep_every_case_apart() -> None:
    cases = many_seeds([1, 2])
    for question in ASSIGNMENT.questions:
        ids = [c["id"] for c in cases[question.cases]]
        assert len(ids) == len(set(ids)) and {i.split("/")[0] for i in ids} == {"s1", "s2"}, \
            question.id
