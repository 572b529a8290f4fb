"""The kit's checks inside an in-kernel grader (otter-grader on Gradescope, nbgrader).

`layerwise build` runs the reference solution once on a fixed seed and embeds, in each hidden
test, one case's inputs and expected values (compressed plain data, no pickles). In the student's
kernel, `check_case` runs the same harness and the same checker as `layerwise grade` on that case
and fails with the same bilingual explanation. These graders run inside the student's process, so
unlike `layerwise grade` they can be fooled by a submission that tampers with them.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import logging
import os
import sys
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from layerwise import plain
from layerwise.cases import QUESTION_CASES, make_cases, student_inputs
from layerwise.questions import BY_ID

NATIVE_SEED = 2026
"""Seed of the hidden cases built into the otter zip and the nbgrader assignment."""


@lru_cache(maxsize=4)
def _reference(source: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(cases, reference harvest) for NATIVE_SEED, from the solution code of `source` (the
    instructor source the build reads)."""
    import jupytext

    from layerwise.execute.limits import Limits
    from layerwise.execute.pool import Job, LocalPool
    from layerwise.grade.reference import ReferenceSolutionError

    cells = [c.source for c in jupytext.read(source).cells if c.cell_type == "code"]
    cases = make_cases(NATIVE_SEED)
    with LocalPool(1, Limits()) as pool:
        outcome = next(iter(pool.run([Job("__reference__", cells, cases, reference=True)])))
    if outcome.harvest is None:
        raise ReferenceSolutionError(f"the solution code of {source} did not run: "
                                     f"{outcome.status} {outcome.message}")
    return cases, outcome.harvest


def encode(value: Any) -> str:
    text, npz = plain.pack(value)
    blob = json.dumps({"json": text}).encode() + b"\n" + npz
    return base64.b64encode(zlib.compress(blob, 9)).decode()


def decode(payload: str) -> Any:
    blob = zlib.decompress(base64.b64decode(payload))
    head, _, npz = blob.partition(b"\n")
    return plain.unpack(json.loads(head)["json"], npz)


def payloads(question: str, source: Path) -> list[tuple[str, str]]:
    """(case id, payload) for every case of `question` (seed examples and hidden cases)."""
    cases, reference = _reference(source.resolve())
    inputs = student_inputs(cases, reference)
    out = []
    for case in cases[QUESTION_CASES[question]]:
        given_case = next(c for c in inputs[QUESTION_CASES[question]] if c["id"] == case["id"])
        out.append((case["id"], encode({"question": question, "case": case,
                                        "inputs": given_case,
                                        "expected": reference[question][case["id"]]})))
    return out


def shares(points: float, n: int) -> list[float]:
    """`points` split in `n` equal shares whose float sum is exactly `points` (the last one takes the
    rounding), so otter's public tests are left exactly 0 points and a full score is exact."""
    first = [points / n] * (n - 1)
    return [*first, points - sum(first)]


def hidden_test_cells(question_id: str, source: Path) -> list[str]:
    """otter: one hidden exception-based test per case, each worth an equal share of the
    question's points (public tests carry none), so otter's score equals `layerwise grade`'s.
    The payload sits on its own line: otter's failure message quotes only the failing line."""
    cells = []
    entries = payloads(question_id, source)
    for (case_id, payload), share in zip(entries, shares(BY_ID[question_id].points, len(entries)),
                                         strict=True):
        name = f"test_{question_id}_{case_id.replace('-', '_')}"
        cells.append(
            f'""" # BEGIN TEST CONFIG\nhidden: true\npoints: {share!r}\n""" # END TEST CONFIG\n'
            f"def {name}(env):\n"
            f"    from layerwise.native import check_case\n"
            f"    case = {payload!r}\n"
            f"    check_case(env, {question_id!r}, case)\n\n"
            f"{name}(globals())\n")
    return cells


def nbgrader_test_source(question_id: str, source: Path) -> str:
    """nbgrader: the hidden code of one autograder cell whose value is the points earned
    (nbgrader's partial credit), the share of cases passed times the question's points."""
    entries = [p for _, p in payloads(question_id, source)]
    return ("from layerwise.native import score_cases\n"
            f"score_cases(globals(), {question_id!r}, {entries!r})\n")


def _run_one(env: dict[str, Any], question: str, data: dict[str, Any]) -> Any:
    import keras

    from layerwise.compare import check_case as compare_case
    from layerwise.harvest import harness

    fn_name = BY_ID[question].function
    cases = {QUESTION_CASES[question]: [data["inputs"]]}
    ns = {k: env[k] for k in (fn_name,) if k in env}
    given = harness.harvest_one(ns, question, cases, keras)
    return compare_case(question, data["case"], data["expected"], given)


def explain(question: str, result: Any) -> str:
    """The bilingual explanation of a failed case (the texts of feedback.html)."""
    from layerwise.messages import DIAGNOSES

    lines = [f"{question} / {result.case}:"]
    if result.problem:
        lines.append(result.problem.both())
    lines.append(f"esperado/expected: {result.expected}")
    lines.append(f"obtido/given: {result.given}")
    if result.diagnosis in DIAGNOSES:
        lines.append(DIAGNOSES[result.diagnosis].both())
    return "\n".join(lines)


def check_case(env: dict[str, Any], question: str, payload: str) -> None:
    """Raise AssertionError with the kit's explanation when this case fails."""
    result = _run_one(env, question, decode(payload))
    if not result.passed:
        raise AssertionError(explain(question, result))


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Nothing reaches stderr meanwhile: Python writes, warnings, logging, and file descriptor 2
    (TensorFlow's C++ logs). nbgrader scores a test cell 0 when it wrote to stderr."""
    previous_disable = logging.root.manager.disable
    try:
        sys.stderr.flush()
        saved_fd: int | None = os.dup(2)
    except (OSError, ValueError, AttributeError):
        saved_fd = None
    if saved_fd is not None:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(previous_disable)
        if saved_fd is not None:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)


def score_cases(env: dict[str, Any], question: str, entries: list[str]) -> float:
    """Points earned on `question`: its share of passed cases times its points. Failed cases are
    explained on stdout; nothing is written to stderr."""
    with quiet_stderr():
        results = [_run_one(env, question, decode(p)) for p in entries]
    failed = [r for r in results if not r.passed]
    for result in failed:
        print(explain(question, result), end="\n\n")
    points = BY_ID[question].points
    return round(points * (len(results) - len(failed)) / len(results), 2)
