"""Turn whatever student code returned into plain, size-capped data (no live objects survive)."""

from __future__ import annotations

import signal
import time
import traceback
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_ELEMENTS = 100_000
"""Largest array kept from a student's return value; bigger ones are described, not copied."""

CALL_SECONDS = 20.0
"""Default per-call time limit; the submission's process sets it from `Limits.call_seconds`."""

_TIMED_OUT: dict[int, Any] = {}
"""Student functions that already ran out of time (by id, kept alive so ids are not reused):
they are not called again, so one endless function costs its own question, not the notebook."""


class CallTimeout(BaseException):
    """A student function ran past its per-call time limit (BaseException: `except Exception`
    in student code does not swallow it)."""


def type_name(value: Any) -> str:
    """A value's type as a student writes it: `list`, `numpy.ndarray`, `Sequential`,
    `Functional`, `tf.EagerTensor` (not `keras.src.models.sequential.Sequential`)."""
    cls = type(value)
    module = str(getattr(cls, "__module__", "") or "")
    name = str(getattr(cls, "__qualname__", cls.__name__))
    top = module.split(".")[0]
    if module == "builtins" or top == "keras":
        return name
    if top == "tensorflow":
        return f"tf.{name}"
    return f"{module}.{name}"


def error_record(exc: BaseException) -> dict[str, Any]:
    """ename / evalue / a short traceback of an exception raised by student code."""
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-4))
    return {"ename": type(exc).__name__, "evalue": str(exc)[:2000], "traceback": tb[-4000:]}


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise CallTimeout in this (main) thread after `seconds`."""
    def _raise(signum: int, frame: Any) -> None:
        raise CallTimeout(f"call exceeded {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


STUDENT_SECONDS = [0.0]
"""Time spent inside student code called by the harness (the grading floor it cannot beat)."""


def call(fn: Callable[..., Any], *args: Any, seconds: float | None = None, **kwargs: Any
         ) -> tuple[Any, dict[str, Any] | None]:
    """(value, None) or (None, error record); never lets student exceptions escape. A plain
    function that once ran out of time is not called again (same Timeout record)."""
    seconds = CALL_SECONDS if seconds is None else seconds
    started = time.perf_counter()
    try:
        return _call(fn, args, kwargs, seconds)
    finally:
        STUDENT_SECONDS[0] += time.perf_counter() - started


def _call(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], seconds: float
          ) -> tuple[Any, dict[str, Any] | None]:
    if _TIMED_OUT.get(id(fn)) is fn:
        return None, {"ename": "Timeout", "evalue": "not called again: an earlier call ran "
                      "out of time", "traceback": ""}
    try:
        with time_limit(seconds):
            return fn(*args, **kwargs), None
    except CallTimeout as exc:
        if isinstance(fn, types.FunctionType):
            _TIMED_OUT[id(fn)] = fn
        return None, {"ename": "Timeout", "evalue": str(exc), "traceback": ""}
    except BaseException as exc:
        return None, error_record(exc)


def plain_array(value: Any) -> dict[str, Any]:
    """{"type", "value": ndarray} for an array-like, or {"type", "problem"} when it is not one."""
    record: dict[str, Any] = {"type": type_name(value)}
    try:
        if isinstance(value, np.ndarray):
            size = int(np.prod(np.ndarray.__getattribute__(value, "shape"), dtype=np.int64))
            if size > MAX_ELEMENTS:
                shape = tuple(np.ndarray.__getattribute__(value, "shape"))
                record["problem"] = f"array too large to keep: shape {shape}"
                record["shape"] = list(shape)
                return record
            arr = np.array(value, copy=True, subok=False)
        elif hasattr(value, "numpy") and callable(value.numpy):  # a tensor
            arr = np.array(value.numpy(), copy=True, subok=False)
        else:
            arr = np.array(value, copy=True, subok=False)
        if arr.size > MAX_ELEMENTS:
            record["problem"] = f"array too large to keep: shape {arr.shape}"
            record["shape"] = list(arr.shape)
            return record
        if arr.dtype.kind not in "biuf":
            record["problem"] = f"not numeric (dtype {arr.dtype})"
            return record
        record["value"] = arr
    except BaseException as exc:
        record["problem"] = f"not convertible to an array: {type(exc).__name__}: {exc}"[:500]
    return record


def plain_number(value: Any) -> dict[str, Any]:
    """{"type", "value": float} for a real number, else {"type", "problem"}."""
    record: dict[str, Any] = {"type": type_name(value)}
    if isinstance(value, bool):
        record["problem"] = "a bool is not a number"
        return record
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if np.isfinite(number):
            record["value"] = number
            record["integral"] = float(number).is_integer()
        else:
            record["problem"] = f"not finite: {number}"
        return record
    record["problem"] = f"not a number: {repr(value)[:80]}"
    return record


# What the grader relies on in a harvest read back from a submission's folder. The submission's
# own process wrote it (and may have forged it), so the worker checks it before the grader sees
# it: every ndarray numeric, and every field the comparison indexes, iterates or slices of the
# type it expects. Fields it only compares with == or prints may hold any plain value. An
# assignment declares, per question, a RecordSpec of its records' fields with these types.
ARRAY = "array"
"""A numeric ndarray."""
TEXT, INT, NUMBER, BOOL, DICT = (str,), (int,), (int, float), (bool,), (dict,)


@dataclass(frozen=True)
class Maybe:
    """A spec that also accepts None."""

    spec: Any


ERROR: dict[str, Any] = {"ename": TEXT, "evalue": TEXT, "traceback": TEXT}
"""An error record (`error_record`)."""
PLAIN_ARRAY: dict[str, Any] = {"value": ARRAY, "shape": [INT]}
"""What `plain_array` keeps (besides "type" and "problem")."""
COMMON: dict[str, Any] = {"error": ERROR, "type": TEXT, "problem": TEXT}
"""Fields any record may hold."""


@dataclass(frozen=True)
class RecordSpec:
    """The fields a question's records may hold, and which must be there."""

    fields: dict[str, Any]
    required: tuple[str, ...] = ()
    """Fields a record without "missing", "error" or "problem" must have."""
    together: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A field present -> the fields that must come with it."""


def conforms(value: Any, spec: Any) -> bool:
    """Whether a plain value has the type `spec` describes."""
    if isinstance(spec, Maybe):
        return value is None or conforms(value, spec.spec)
    if isinstance(spec, str):  # ARRAY
        return isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
    if isinstance(spec, tuple):
        if isinstance(value, bool) and bool not in spec:
            return False
        return isinstance(value, spec) or (value is None and type(None) in spec)
    if isinstance(spec, list):
        return isinstance(value, list) and all(conforms(v, spec[0]) for v in value)
    if isinstance(spec, dict):
        return isinstance(value, dict) and all(
            conforms(value[k], s) for k, s in spec.items() if k in value)
    return False


def record_problem(spec: RecordSpec, record: Any) -> str | None:
    """Why one record does not match its question's spec, or None."""
    if not isinstance(record, dict):
        return "a record is not a dict"
    for key, kind in {**COMMON, **spec.fields}.items():
        if key in record and not conforms(record[key], kind):
            return f"field {key!r} has the wrong type"
    if record.get("missing") or record.get("error") or record.get("problem"):
        return None
    required = [*spec.required, *(k for f, ks in spec.together.items() if f in record
                                  for k in ks)]
    absent = [k for k in required if record.get(k) is None]
    return f"fields {absent} are missing" if absent else None


ENGINE_FIELDS: dict[str, Any] = {
    "cells": [{"cell": INT, **ERROR}],
    "shell_escapes": [{"cell": INT, "command": TEXT}],
    "timing": {"cells_s": NUMBER, "calls_s": NUMBER, "harness_s": NUMBER, "cell_s": [NUMBER]},
    "extras": DICT,
}
"""What the harness and the submission's process add to every harvest."""


def check_harvest(data: Any, specs: dict[str, RecordSpec]) -> str | None:
    """Why `data` is not a harvest the grader can compare safely (its questions' records
    checked against `specs`, question id -> RecordSpec), or None when it is."""
    if not isinstance(data, dict):
        return "not a dict"
    functions = data.get("functions", {})
    if not conforms(functions, DICT) or not all(isinstance(v, dict)
                                                for v in functions.values()):
        return "functions is not a dict of dicts"
    for key, spec in ENGINE_FIELDS.items():
        if key in data and not conforms(data[key], spec):
            return f"{key} is not of the harness's shape"
    questions = data.get("questions", {})
    if not isinstance(questions, dict):
        return "questions is not a dict"
    for question, spec in specs.items():
        records = questions.get(question, {})
        if not isinstance(records, dict):
            return f"{question}: not a dict of cases"
        for case, record in records.items():
            problem = record_problem(spec, record)
            if problem:
                return f"{question} {case}: {problem}"
    return None
