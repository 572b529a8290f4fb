"""The second lesson's harvesters on hostile student functions: nothing escapes, only plain data
is kept (and it passes the worker's record check), the namespace is restored after
`cnn_forward`; its checkers read what they are given without crashing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from layerwise import registry
from layerwise.assignments.cnn_numpy.harvest import HARVESTERS
from layerwise.harvest.engine import HarvestContext
from layerwise.harvest.values import check_harvest

ASSIGNMENT = registry.get("cnn_numpy")
CASES = ASSIGNMENT.make_cases(3)


class Hostile(dict):  # type: ignore[type-arg]
    def items(self) -> Any:
        raise RuntimeError("no items for you")


def _raises(*args: Any, **kwargs: Any) -> Any:
    raise ZeroDivisionError("boom")


HOSTILE = {
    "raises": _raises,
    "text": lambda *a, **k: "not an array",
    "huge": lambda *a, **k: np.zeros(200_001),
    "objects": lambda *a, **k: np.array([object(), object()]),
    "hostile_dict": lambda *a, **k: Hostile(conv_1=np.zeros(2)),
    "mutates": lambda X, *a, **k: X.fill(7),
}


def _records(question: str, fn: Any) -> dict[str, Any]:
    q = ASSIGNMENT.question(question)
    ctx = HarvestContext({q.function: fn}, reference=False)
    return {c["id"]: HARVESTERS[question](fn, c, ctx) for c in CASES[q.cases]}


@pytest.mark.parametrize("question", ASSIGNMENT.question_ids)
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_functions_leave_plain_records(question: str, kind: str) -> None:
    records = _records(question, HOSTILE[kind])
    harvest = {"functions": {}, "questions": {question: records}}
    assert check_harvest(harvest, dict(ASSIGNMENT.fields)) is None
    for record in records.values():
        assert record.get("error") or record.get("problem") or kind == "mutates"
        if kind == "mutates" and "inputs_after" in record and record["inputs_after"]:
            assert np.all(record["inputs_after"][0] == 7)  # the change is what it kept


def test_forward_carries_no_expected_value_and_keeps_the_students_own_network() -> None:
    """The student's process gets the forward case's inputs only (no reference output of any
    layer); next to `cnn_forward`'s answer the harvester keeps what the student's own layer
    functions make of the case, for the grader to hold the wiring against."""
    case = CASES["forward"][0]
    assert set(case) <= {"id", "hidden", "X", "weights", "use_bias"}, set(case)

    def conv2d_forward(X: Any, K: Any, b: Any = None) -> Any:
        return np.ones((X.shape[0], K.shape[3], X.shape[2] - K.shape[0] + 1,
                        X.shape[3] - K.shape[1] + 1))

    def relu_forward(Z: Any) -> Any:
        raise ValueError("student bug")

    ns: dict[str, Any] = {"conv2d_forward": conv2d_forward, "relu_forward": relu_forward}
    record = HARVESTERS["cnn_forward"](lambda *a, **k: {}, case, HarvestContext(ns, False))
    own = record["own_layers"]
    assert len(own) == 2 and np.all(own[0]["value"] == 1)  # conv's, then relu's failure
    assert own[1]["error"]["ename"] == "ValueError"


@pytest.mark.parametrize("question", ASSIGNMENT.question_ids)
def test_checkers_read_hostile_records(question: str) -> None:
    """Every hostile record gets a failed case with a reason in both languages, never an
    exception (the reference is the solution's record, here a stand-in array)."""
    q = ASSIGNMENT.question(question)
    for kind, fn in HOSTILE.items():
        for case in CASES[q.cases]:
            record = _records(question, fn)[case["id"]]
            expected = ({"keys": ["conv_1"], "values": [{"value": np.zeros(2)}]}
                        if question == "cnn_forward" else {"value": np.zeros(2)})
            result = ASSIGNMENT.checker_table()[question](case, expected, record)
            assert not result.passed, (kind, case["id"])
            assert result.problem is None or (result.problem.pt and result.problem.en)
