"""Student side of the lesson: runs in the submission's process (after its cells) and on the
reference solution, the same code on both sides, so expected and given values are produced the
same way. It calls the student's function on fresh copies of one case's inputs and keeps, as
plain data, what came back, the inputs as they were after the call (an in-place change shows)
and the warnings the call raised (an overflowing sigmoid shows); nothing here knows an expected
value.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from layerwise.assignment import Case, Context, Harvester, Record
from layerwise.assignments.cnn_numpy.questions import ARGUMENTS, KEYWORDS
from layerwise.harvest.values import (
    ARRAY,
    ERROR,
    INT,
    PLAIN_ARRAY,
    TEXT,
    Maybe,
    RecordSpec,
    call,
    plain_array,
    type_name,
)

MAX_WARNINGS = 5
MAX_KEYS = 50


def _fresh(value: Any) -> Any:
    return None if value is None else np.array(value, copy=True)


def _after(value: np.ndarray) -> np.ndarray | None:
    """A copy of an argument after the call (None when it is no longer numeric)."""
    try:
        after = np.array(value, copy=True, subok=False)
    except BaseException:
        return None
    return after if after.dtype.kind in "biuf" else None


def watched(fn: Callable[..., Any], *args: Any, **kwargs: Any
            ) -> tuple[Any, dict[str, Any] | None, list[str]]:
    """`values.call`, and the warnings it raised: every warning shown (whatever filters the
    notebook set), NumPy's floating-point errors (overflow, invalid) as warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            value, error = call(fn, *args, **kwargs)
    texts = [f"{w.category.__name__}: {w.message}"[:200] for w in caught[:MAX_WARNINGS]]
    return value, error, texts


def layer(question: str) -> Harvester:
    """The harvester of a layer function: its arguments are the case's inputs of that name."""
    names, keywords = ARGUMENTS[question], KEYWORDS.get(question, ())

    def harvest(fn: Any, case: Case, ctx: Context) -> Record:
        args = [_fresh(case[n]) for n in names if case.get(n) is not None]
        kwargs = {k: case[k] for k in keywords if case.get(k) is not None}
        value, error, texts = watched(fn, *args, **kwargs)
        record: Record = {"error": error} if error else plain_array(value)
        record["inputs_after"] = [_after(a) for a in args]
        record["warnings"] = texts
        return record

    return harvest


def _items(value: dict[Any, Any]) -> list[tuple[str, Any]]:
    """A returned dict's first items, keys as text (a dict subclass's own code runs here, under
    the call's time limit)."""
    return [(str(k), v) for k, v in list(value.items())[:MAX_KEYS]]


def own_layers(ns: dict[str, Any], case: Case) -> list[dict[str, Any]]:
    """The network the student's own layer functions make on a forward case, layer by layer
    (the lesson's wiring: conv, ReLU, pool 2, flatten, dense, sigmoid): what their
    `cnn_forward` should return given their layers. Stops at the first layer that raises."""
    weights = [_fresh(w) for w in case["weights"]]
    kernel, bias = (weights[0], weights[1]) if case["use_bias"] else (weights[0], None)
    dense, dense_bias = (weights[2], weights[3]) if case["use_bias"] else (weights[1], None)
    steps: list[tuple[str, Callable[[Any], tuple[Any, ...]], dict[str, Any]]] = [
        ("conv2d_forward", lambda x: (x, kernel, bias), {}),
        ("relu_forward", lambda x: (x,), {}),
        ("maxpool2d_forward", lambda x: (x,), {"pool_size": 2}),
        ("flatten_forward", lambda x: (x,), {}),
        ("dense_forward", lambda x: (x, dense, dense_bias), {}),
        ("sigmoid_forward", lambda x: (x,), {}),
    ]
    outputs: list[Any] = []
    failed: list[dict[str, Any]] = []
    x: Any = _fresh(case["X"])
    for name, arguments, keywords in steps:
        fn = ns.get(name)
        if not callable(fn):
            break
        value, error = call(fn, *arguments(x), **keywords)
        if error is not None:
            failed.append({"error": error})
            break
        outputs.append(value)
        x = value  # passed on as is: a layer that changes its input in place shows, as in theirs
    return [*(plain_array(v) for v in outputs), *failed]  # read at the end, as a dict would be


def forward(fn: Any, case: Case, ctx: Context) -> Record:
    """`cnn_forward` on one case, and the network the student's own layers make on it (the
    grader holds the first against the second when a layer is wrong: a mistake in
    `conv2d_forward`, say, then costs only its own question). No expected value is here."""
    X, weights = _fresh(case["X"]), [_fresh(w) for w in case["weights"]]
    value, error, texts = watched(fn, X, weights, use_bias=case["use_bias"])
    record: Record = {"error": error} if error else {"type": type_name(value)}
    if not error:
        items, failed = call(_items, value) if isinstance(value, dict) else (None, None)
        if failed:
            record["error"] = failed
        elif items is None:
            record["problem"] = f"not a dict: {type_name(value)}"
        else:
            record["keys"] = [k for k, _ in items]
            record["values"] = [plain_array(v) for _, v in items]
    record["inputs_after"] = [_after(X), *(_after(w) for w in weights)]
    record["warnings"] = texts
    record["own_layers"] = own_layers(ctx.ns, case)
    return record


HARVESTERS: dict[str, Harvester] = {
    **{question: layer(question) for question in ARGUMENTS},
    "cnn_forward": forward,
}
"""Question id -> its harvester."""

_CALL = {"inputs_after": [Maybe(ARRAY)], "warnings": [TEXT]}
"""What every harvester keeps besides the returned value."""

FIELDS: dict[str, RecordSpec] = {
    **{question: RecordSpec({**PLAIN_ARRAY, **_CALL}, required=("type", "value", "inputs_after"))
       for question in ARGUMENTS},
    "cnn_forward": RecordSpec({"keys": [TEXT], "values": [PLAIN_ARRAY], **_CALL,
                               "own_layers": [{**PLAIN_ARRAY, "shape": [INT], "type": TEXT,
                                               "problem": TEXT, "error": ERROR}]},
                              required=("inputs_after",), together={"keys": ("values",)}),
}
"""What each question's records may hold: the worker checks a harvest against it before the
grader reads it (the submission's process wrote it, and may have forged it)."""
