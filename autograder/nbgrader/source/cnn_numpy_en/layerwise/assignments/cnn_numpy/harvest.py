"""Student side of the lesson: runs in the submission's process (after its cells) and on the
reference solution, the same code on both sides, so expected and given values are produced the
same way. It calls the student's function on fresh copies of one case's inputs and keeps, as
plain data, what came back, the inputs as they were after the call (an in-place change shows)
and the warnings the call raised (an overflowing sigmoid shows); nothing here knows an expected
value.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from layerwise.assignment import Case, Context, Harvester, Record
from layerwise.assignments.cnn_numpy.cases import SERVED
from layerwise.assignments.cnn_numpy.questions import ARGUMENTS, KEYWORDS
from layerwise.compare.base import ATOL, RTOL
from layerwise.harvest.values import call, plain_array, type_name

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


def _same(given: Any, expected: Any) -> bool:
    """Whether an argument is the expected input (None, a number, or an array within the
    comparison's tolerance)."""
    if expected is None:
        return given is None
    if isinstance(expected, int):
        return isinstance(given, int | np.integer) and not isinstance(given, bool) \
            and int(given) == expected
    try:
        array = np.asarray(given, dtype=np.float64)
        want = np.asarray(expected, dtype=np.float64)
        return array.shape == want.shape and bool(np.allclose(array, want, rtol=RTOL, atol=ATOL))
    except BaseException:
        return False


def _stub(real: Callable[..., Any], expected: list[Any], output: np.ndarray) -> Callable[..., Any]:
    """`real`, except that called with the expected inputs it returns the reference's output."""
    def served(*args: Any, **kwargs: Any) -> Any:
        try:  # inside the student's call: a hostile signature runs under its time limit
            bound = inspect.signature(real).bind(*args, **kwargs)
            bound.apply_defaults()
            given = list(bound.arguments.values())
            matches = len(given) >= len(expected) and all(
                _same(g, e) for g, e in zip(given, expected, strict=False))
        except BaseException:
            matches = False
        return np.array(output, copy=True) if matches else real(*args, **kwargs)

    served.__name__ = getattr(real, "__name__", "served")
    return served


@contextmanager
def serving(ns: dict[str, Any], served: list[dict[str, Any]]) -> Iterator[None]:
    """The student's layer functions stubbed (`_stub`) in the namespace meanwhile."""
    saved: dict[str, Any] = {}
    try:
        for entry in served:
            name, real = entry["function"], ns.get(entry["function"])
            if callable(real):
                saved[name] = real
                ns[name] = _stub(real, entry["args"], entry["output"])
        yield
    finally:
        ns.update(saved)


def _items(value: dict[Any, Any]) -> list[tuple[str, Any]]:
    """A returned dict's first items, keys as text (a dict subclass's own code runs here, under
    the call's time limit)."""
    return [(str(k), v) for k, v in list(value.items())[:MAX_KEYS]]


def forward(fn: Any, case: Case, ctx: Context) -> Record:
    """`cnn_forward` on one case; on a student's, the layer functions it calls are served the
    reference's outputs for the expected inputs (`cases.student_inputs`)."""
    X, weights = _fresh(case["X"]), [_fresh(w) for w in case["weights"]]
    with serving(ctx.ns, [] if ctx.reference else case.get(SERVED, [])):
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
    return record


HARVESTERS: dict[str, Harvester] = {
    **{question: layer(question) for question in ARGUMENTS},
    "cnn_forward": forward,
}
"""Question id -> its harvester."""
