"""Grader side: each question's cases compared by the assignment's checker, in the grader's
process, on plain data; a question's score is the share of its cases that pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from layerwise.assignment import Assignment
from layerwise.compare.base import CaseResult
from layerwise.errors import LayerwiseError


@dataclass
class QuestionResult:
    """A question's score (share of cases passed), its cases and the mistakes recognized."""

    id: str
    score: float
    max_score: float
    cases: list[CaseResult]
    diagnoses: list[str] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)


class UnknownQuestion(LayerwiseError):
    """A question the assignment has no checker for: the kit and its assignment disagree."""


def check_case(assignment: Assignment, question: str, case: dict[str, Any],
               expected: dict[str, Any], given: dict[str, Any]) -> CaseResult:
    """Compare one case of one question."""
    table = assignment.checker_table()
    checker = table.get(question)
    if checker is None:
        raise UnknownQuestion(f"assignment {assignment.name} has no checker for question "
                              f"{question!r} (known: {', '.join(table)})")
    result: CaseResult = checker(case, expected, given)
    return result


def grade_question(assignment: Assignment, question: str, cases: list[dict[str, Any]],
                   expected: dict[str, Any], given: dict[str, Any],
                   functions: dict[str, Any]) -> QuestionResult:
    results = [check_case(assignment, question, c, expected[c["id"]],
                          given.get(c["id"], {"missing": True})) for c in cases]
    q = assignment.question(question)
    score = round(q.points * sum(r.passed for r in results) / len(results), 2)
    counts = Counter(r.diagnosis for r in results if r.diagnosis and not r.passed)
    fn = functions.get(q.function, {})
    if fn and not fn.get("callable"):
        counts["function_missing"] += len(results)
    return QuestionResult(question, score, q.points, results, [c for c, _ in counts.most_common()])


def grade_harvest(assignment: Assignment, cases: dict[str, Any], reference: dict[str, Any],
                  given: dict[str, Any]) -> list[QuestionResult]:
    """Each question graded on its own against the reference harvest."""
    functions = given.get("functions", {})
    expected, records = reference["questions"], given.get("questions", {})
    return [grade_question(assignment, q.id, cases[q.cases], expected[q.id],
                           records.get(q.id, {}), functions) for q in assignment.questions]
