"""The hidden tests of the in-kernel graders (otter, nbgrader), made at build time: the
reference solution of the instructor source runs once on the assignment's fixed seed, and each
hidden test embeds one case's inputs and expected values for `layerwise.native.check_case`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from layerwise import registry
from layerwise.assignment import Assignment
from layerwise.native import encode

from . import hidden_checks


@lru_cache(maxsize=8)
def _reference(name: str, source: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(cases, reference harvest) for the assignment's native seed, from the solution code of
    `source` (the instructor source the build reads)."""
    import jupytext

    from layerwise.execute.limits import Limits
    from layerwise.execute.pool import Job, LocalPool, preload_of
    from layerwise.grade.reference import ReferenceSolutionError

    assignment = registry.get(name)
    cells = [c.source for c in jupytext.read(source).cells if c.cell_type == "code"]
    cases = assignment.make_cases(assignment.native_seed)
    with LocalPool(1, Limits(), preload=preload_of(assignment)) as pool:
        job = Job("__reference__", cells, cases, reference=True,
                  assignment=registry.target_of(assignment))
        outcome = next(iter(pool.run([job])))
    if outcome.harvest is None:
        raise ReferenceSolutionError(f"the solution code of {source} did not run: "
                                     f"{outcome.status} {outcome.message}")
    return cases, outcome.harvest


def payloads(assignment: Assignment, question: str, source: Path) -> list[tuple[str, str]]:
    """(case id, payload) for every case of `question` (seed examples and hidden cases)."""
    cases, reference = _reference(assignment.name, source.resolve())
    inputs = assignment.student_inputs(cases, reference)
    listed = assignment.question(question).cases
    target = registry.target_of(assignment)
    out = []
    for case in cases[listed]:
        given_case = next(c for c in inputs[listed] if c["id"] == case["id"])
        out.append((case["id"], encode({
            "assignment": target, "question": question, "case": case, "inputs": given_case,
            "expected": reference["questions"][question][case["id"]]})))
    return out


def shares(points: float, n: int) -> list[float]:
    """`points` split in `n` equal shares whose float sum is exactly `points` (the last one takes
    the rounding), so otter's public tests are left exactly 0 points and a full score is exact."""
    first = [points / n] * (n - 1)
    return [*first, points - sum(first)]


def hidden_test_cells(assignment: Assignment, question_id: str, source: Path) -> list[str]:
    """otter: one hidden exception-based test per case, each worth an equal share of the
    question's points (public tests carry none), so otter's score equals `layerwise grade`'s.
    The payload sits on its own line: otter's failure message quotes only the failing line."""
    cells = []
    entries = payloads(assignment, question_id, source)
    points = assignment.question(question_id).points
    for (case_id, payload), share in zip(entries, shares(points, len(entries)), strict=True):
        name = f"test_{question_id}_{case_id.replace('-', '_')}"
        cells.append(
            f'""" # BEGIN TEST CONFIG\nhidden: true\npoints: {share!r}\n""" # END TEST CONFIG\n'
            f"def {name}(env):\n"
            f"    from layerwise.native import check_case\n"
            f"    case = {payload!r}\n"
            f"    check_case(env, {question_id!r}, case)\n\n"
            f"{name}(globals())\n")
    return cells


def nbgrader_test_source(assignment: Assignment, question_id: str, source: Path) -> str:
    """nbgrader: the hidden code of one autograder cell whose value is the points earned
    (nbgrader's partial credit), the share of cases passed times the question's points. The
    cell carries the checks themselves (`build/hidden_checks.py`): nothing sits beside the
    notebook for nbgrader to copy into the student release."""
    entries = [p for _, p in payloads(assignment, question_id, source)]
    return hidden_checks.cell_code(question_id, entries, _bundle(registry.target_of(assignment)))


@lru_cache(maxsize=8)
def _bundle(target: str) -> str:
    return hidden_checks.bundle(registry.load(target))
