"""The kit's checks inside an in-kernel grader (otter-grader on Gradescope, nbgrader).

`layerwise build` runs the reference solution once on the assignment's fixed seed and embeds, in
each hidden test, one case's inputs and expected values (compressed plain data, no pickles; see
`build/native_tests.py`). In the student's kernel, `check_case` runs the same harvester and the
same checker as `layerwise grade` on that case and fails with the same bilingual explanation.
These graders run inside the student's process, so unlike `layerwise grade` they can be fooled
by a submission that tampers with them.
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
from typing import Any

from layerwise import plain


def encode(value: Any) -> str:
    text, npz = plain.pack(value)
    blob = json.dumps({"json": text}).encode() + b"\n" + npz
    return base64.b64encode(zlib.compress(blob, 9)).decode()


def decode(payload: str) -> Any:
    blob = zlib.decompress(base64.b64decode(payload))
    head, _, npz = blob.partition(b"\n")
    return plain.unpack(json.loads(head)["json"], npz)


def _run_one(env: dict[str, Any], question: str, data: dict[str, Any]) -> Any:
    from layerwise import registry
    from layerwise.compare import check_case as compare_case
    from layerwise.harvest.engine import harvest_case

    assignment = registry.load(data["assignment"])
    given = harvest_case(assignment, env, question, data["inputs"])
    return compare_case(assignment, question, data["case"], data["expected"], given)


def explain(question: str, result: Any, diagnoses: dict[str, Any]) -> str:
    """The bilingual explanation of a failed case (the texts of feedback.html)."""
    lines = [f"{question} / {result.case}:"]
    if result.problem:
        lines.append(result.problem.both())
    lines.append(f"esperado/expected: {result.expected}")
    lines.append(f"obtido/given: {result.given}")
    if result.diagnosis in diagnoses:
        lines.append(diagnoses[result.diagnosis].both())
    return "\n".join(lines)


def _diagnoses(data: dict[str, Any]) -> dict[str, Any]:
    from layerwise import registry

    return registry.load(data["assignment"]).all_diagnoses()


def check_case(env: dict[str, Any], question: str, payload: str) -> None:
    """Raise AssertionError with the kit's explanation when this case fails."""
    data = decode(payload)
    result = _run_one(env, question, data)
    if not result.passed:
        raise AssertionError(explain(question, result, _diagnoses(data)))


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
    from layerwise import registry

    data = [decode(p) for p in entries]
    with quiet_stderr():
        results = [_run_one(env, question, d) for d in data]
    failed = [r for r in results if not r.passed]
    for result in failed:
        print(explain(question, result, _diagnoses(data[0])), end="\n\n")
    points = registry.load(data[0]["assignment"]).question(question).points
    return round(points * (len(results) - len(failed)) / len(results), 2)
