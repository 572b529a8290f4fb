"""Many seeds graded at once: every case of every seed in one case set (ids `s<seed>/<id>`),
run by the real workers, harness and checkers. The reference of a large set is computed in
chunks, one job per worker, and any subset of it serves a subset of the seeds."""

from __future__ import annotations

from typing import Any

from keras_lesson import ASSIGNMENT, CLASS, SOLUTION
from layerwise import registry
from layerwise.assignments.cnn_keras.cases import make_cases, student_inputs
from layerwise.compare import grade_harvest
from layerwise.execute.limits import Limits
from layerwise.execute.pool import Job, LocalPool, preload_of
from layerwise.intake.notebook import read_notebook

TARGET = registry.target_of(ASSIGNMENT)
PRELOAD = preload_of(ASSIGNMENT)
LIMITS = Limits(notebook_seconds=900, cell_seconds=8, call_seconds=60)
"""The harness runs every seed's cases in one job: it gets the time (each of its calls still
has call_seconds); a stuck cell is interrupted after 8 s."""


def many_seeds(seeds: range | list[int]) -> dict[str, Any]:
    """One case set holding every case of every seed."""
    merged: dict[str, Any] = {"seed": -1}
    for seed in seeds:
        for key, listed in make_cases(seed).items():
            if isinstance(listed, list):
                merged.setdefault(key, []).extend(
                    {**case, "id": f"s{seed}/{case['id']}"} for case in listed)
    return merged


def seed_of(case_id: str) -> int:
    return int(case_id.split("/", 1)[0][1:])


def only(cases_or_reference: dict[str, Any], seeds: set[int]) -> dict[str, Any]:
    """The part of a merged case set, or of its reference harvest, for `seeds`: case lists
    and {case id: ...} tables (at any depth) keep only those seeds' cases."""
    out: dict[str, Any] = {}
    for key, value in cases_or_reference.items():
        if isinstance(value, list) and value and isinstance(value[0], dict) and "id" in value[0]:
            out[key] = [c for c in value if seed_of(c["id"]) in seeds]
        elif isinstance(value, dict) and value and all("/" in k for k in value):
            out[key] = {k: v for k, v in value.items() if seed_of(k) in seeds}
        elif isinstance(value, dict):
            out[key] = only(value, seeds)
        else:
            out[key] = value
    return out


def _merge(into: dict[str, Any], part: dict[str, Any]) -> None:
    """Add `part`'s case tables to `into` (both harvests of the same assignment)."""
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict) and key != "functions":
            _merge(into[key], value)
        else:
            into.setdefault(key, value)


def cells(name: str) -> list[str]:
    path = SOLUTION if name == "__reference__" else CLASS / f"{name}.ipynb"
    return read_notebook(path.read_bytes()).cells


def reference(pool: LocalPool, seeds: list[int], chunks: int) -> tuple[dict[str, Any],
                                                                        dict[str, Any]]:
    """(cases, reference harvest) of `seeds`, the reference computed in `chunks` parallel
    jobs and merged."""
    parts = [seeds[i::chunks] for i in range(chunks)]
    jobs = [Job(f"__reference__{i}", cells("__reference__"), many_seeds(part), reference=True,
                assignment=TARGET)
            for i, part in enumerate(parts)]
    merged: dict[str, Any] = {}
    for outcome in pool.run(jobs):
        assert outcome.status == "graded" and outcome.harvest is not None, outcome.message
        _merge(merged, outcome.harvest)
    return many_seeds(seeds), merged


def grade_all(pool: LocalPool, names: list[str], cases: dict[str, Any],
              expected: dict[str, Any], fast_predict: bool) -> dict[str, Any]:
    """Student → (status, total, per question: (case, passed, diagnosis) of every case)."""
    inputs = student_inputs(cases, expected)
    jobs = [Job(name, cells(name), inputs, fast_predict=fast_predict, assignment=TARGET)
            for name in names]
    out: dict[str, Any] = {}
    for outcome in pool.run(jobs):
        if outcome.harvest is None:
            out[outcome.key] = (outcome.status, 0.0, outcome.message)
            continue
        questions = grade_harvest(ASSIGNMENT, cases, expected, outcome.harvest)
        out[outcome.key] = (outcome.status, round(sum(q.score for q in questions), 2),
                            {q.id: [(c.case, c.passed, c.diagnosis) for c in q.cases]
                             for q in questions})
    return out
