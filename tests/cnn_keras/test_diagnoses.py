"""One test per known mistake: a mutant submission, its diagnosis, and nothing else lost."""

from __future__ import annotations

from typing import Any

import pytest
from keras_lesson import BY_ID
from layerwise.assignments.cnn_keras.examples import MUTANTS

GRADED = [m for m in MUTANTS if m.status == "graded" and m.question]


@pytest.mark.parametrize("mutant", GRADED, ids=[m.name for m in GRADED])
def test_mutant_is_diagnosed(graded_class: dict[str, Any], mutant: Any) -> None:
    rec = graded_class["records"][mutant.name]
    assert rec["status"] == "graded"
    scores = {q["id"]: q for q in rec["questions"]}
    target = scores[mutant.question]
    assert target["score"] < BY_ID[mutant.question].points
    codes = {d["code"] for d in target["diagnoses"]}
    assert mutant.diagnosis in codes, (mutant.name, codes, target["case_results"][:2])
    # Each question is graded on its own: a mistake costs only its own question.
    others = {q: s["score"] for q, s in scores.items() if q != mutant.question}
    assert all(score == BY_ID[q].points for q, score in others.items()), others


def test_dense_precedence_right_on_square_wrong_elsewhere(graded_class: dict[str, Any]) -> None:
    rec = graded_class["records"]["dense_precedence"]
    cases = next(q for q in rec["questions"] if q["id"] == "dense_size")["case_results"]
    by_id = {c["case"]: c for c in cases}
    assert by_id["seed-2"]["passed"]  # 5x5: right on the square seed example
    assert not by_id["seed-1"]["passed"]  # 5x6: wrong
    assert any(not c["passed"] and c["hidden"] for c in cases)
