"""Turn whatever student code returned into plain, size-capped data (no live objects survive)."""

from __future__ import annotations

import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

MAX_ELEMENTS = 100_000
"""Largest array kept from a student's return value; bigger ones are described, not copied."""


class CallTimeout(BaseException):
    """A student function ran past its per-call time limit (BaseException: `except Exception`
    in student code does not swallow it)."""


def type_name(value: Any) -> str:
    cls = type(value)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


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


def call(fn: Callable[..., Any], *args: Any, seconds: float = 20.0, **kwargs: Any
         ) -> tuple[Any, dict[str, Any] | None]:
    """(value, None) or (None, error record); never lets student exceptions escape."""
    try:
        with time_limit(seconds):
            return fn(*args, **kwargs), None
    except CallTimeout as exc:
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
