"""One checker per question; `grade` turns a harvest and the reference into question results."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from layerwise.cases import QUESTION_CASES
from layerwise.compare import kernel_layout, layer_outputs, models, numbers
from layerwise.compare.base import CaseResult
from layerwise.errors import LayerwiseError
from layerwise.questions import BY_ID, QUESTIONS


@dataclass
class QuestionResult:
    """A question's score (share of cases passed), its cases and the mistakes recognized."""

    id: str
    score: float
    max_score: int
    cases: list[CaseResult]
    diagnoses: list[str] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)


Checker = Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], CaseResult]
"""(case, expected record, given record) -> the case's result."""

CHECKERS: dict[str, Checker] = {
    "kernel_layout": kernel_layout.check,
    "dense_size": functools.partial(numbers.check_number, "dense_size"),
    "param_count": functools.partial(numbers.check_number, "param_count"),
    "sequential_model": functools.partial(models.check, "sequential_model"),
    "functional_model": functools.partial(models.check, "functional_model"),
    "layer_outputs": layer_outputs.check,
}


class UnknownQuestion(LayerwiseError):
    """A question no checker knows: the kit and its assignment disagree."""


def check_case(question: str, case: dict[str, Any], expected: dict[str, Any],
               given: dict[str, Any]) -> CaseResult:
    """Compare one case of one question."""
    checker = CHECKERS.get(question)
    if checker is None:
        raise UnknownQuestion(f"no checker for question {question!r} (known: "
                              f"{', '.join(CHECKERS)})")
    return checker(case, expected, given)


def grade_question(question: str, cases: list[dict[str, Any]], expected: dict[str, Any],
                   given: dict[str, Any], functions: dict[str, Any]) -> QuestionResult:
    results = [check_case(question, c, expected[c["id"]], given.get(c["id"], {"missing": True}))
               for c in cases]
    points = BY_ID[question].points
    score = round(points * sum(r.passed for r in results) / len(results), 2)
    counts = Counter(r.diagnosis for r in results if r.diagnosis and not r.passed)
    fn = functions.get(BY_ID[question].function, {})
    if fn and not fn.get("callable"):
        counts["function_missing"] += len(results)
    return QuestionResult(question, score, points, results, [c for c, _ in counts.most_common()])


def grade_harvest(cases: dict[str, Any], reference: dict[str, Any], given: dict[str, Any]
                  ) -> list[QuestionResult]:
    """Each question graded on its own against the reference harvest."""
    functions = given.get("functions", {})
    return [grade_question(q.id, cases[QUESTION_CASES[q.id]], reference[q.id],
                           given.get(q.id, {}), functions) for q in QUESTIONS]
