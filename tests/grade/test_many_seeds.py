"""Grading is right on every seed, whichever way a correct student calls Keras, and the fast
`predict` changes no grade (see `many_seeds`: many seeds' cases graded in one job)."""

from __future__ import annotations

from typing import Any

from keras_lesson import ASSIGNMENT, MAX_TOTAL
from layerwise.assignments.cnn_keras.examples import STYLES
from layerwise.execute.pool import LocalPool
from many_seeds import CLASS, grade_all, many_seeds, only, reference


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


def test_fast_predict_changes_no_grade(seed_pool: LocalPool) -> None:
    """The whole example class, fast predict on and off, on three seeds: identical case by case
    (statuses, scores, which cases pass, which mistakes are named)."""
    names = sorted(p.stem for p in CLASS.glob("*.ipynb") if p.stem != "not_a_notebook")
    assert {s.name for s in STYLES} <= set(names)
    cases, expected = reference(seed_pool, [3, 7, 2026], chunks=1)
    on = grade_all(seed_pool, names, cases, expected, fast_predict=True)
    off = grade_all(seed_pool, names, cases, expected, fast_predict=False)
    assert on == off
    assert sum(total == MAX_TOTAL for _, total, _ in on.values()) >= len(STYLES) + 3


def test_merged_cases_keep_every_case_apart() -> None:
    cases = many_seeds([1, 2])
    for question in ASSIGNMENT.questions:
        ids = [c["id"] for c in cases[question.cases]]
        assert len(ids) == len(set(ids)) and {i.split("/")[0] for i in ids} == {"s1", "s2"}, \
            question.id
