"""The second lesson's harvesters on hostile student functions: nothing escapes, only plain data
is kept (and it passes the worker's record check), the namespace is restored after
`cnn_forward`; its checkers read what they are given without crashing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from layerwise import registry
from layerwise.assignments.cnn_numpy.harvest import HARVESTERS
from layerwise.assignments.cnn_numpy.questions import LAYERS
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


def test_forward_restores_the_namespace_when_it_raises() -> None:
    def conv2d_forward(X: Any, K: Any, b: Any = None) -> Any:
        return "mine"

    seen: list[Any] = []

    def cnn_forward(X: Any, weights: Any, use_bias: bool = True) -> Any:
        seen.append(ns["conv2d_forward"](X, weights[0], weights[1]))  # served: the expected input
        seen.append(ns["conv2d_forward"](X, weights[0]))  # not the expected input: the student's
        raise ValueError("student bug")

    ns: dict[str, Any] = {"conv2d_forward": conv2d_forward, "cnn_forward": cnn_forward}
    names = [name for name, _ in LAYERS]
    served = {"keys": names, "values": [{"value": np.full(1, float(i))} for i in range(6)]}
    inputs = ASSIGNMENT.student_inputs(CASES, {"questions": {"cnn_forward": {"seed": served}}})
    case = inputs["forward"][0]
    record = HARVESTERS["cnn_forward"](cnn_forward, case, HarvestContext(ns, reference=False))
    assert record["error"]["ename"] == "ValueError"
    assert np.array_equal(seen[0], [0.0]) and seen[1] == "mine"
    assert ns["conv2d_forward"] is conv2d_forward


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
            result = ASSIGNMENT.checkers[question](case, expected, record)
            assert not result.passed, (kind, case["id"])
            assert result.problem is None or (result.problem.pt and result.problem.en)
