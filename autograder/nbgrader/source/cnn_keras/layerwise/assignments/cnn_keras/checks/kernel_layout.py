"""Checker for `channels_l2f`: a transpose, exact, same dtype, input untouched."""

from __future__ import annotations

from typing import Any

import numpy as np

from layerwise.compare.base import CaseResult, error_result, short
from layerwise.messages import Msg


def _mutants(W: np.ndarray) -> dict[str, np.ndarray]:
    f, c, kh, kw = W.shape
    return {
        "kernel_hw_swapped": W.transpose(3, 2, 1, 0),
        "reshape_instead_of_transpose": W.reshape(kh, kw, c, f),
        "filter_channel_swapped": W.transpose(2, 3, 0, 1),
        "kernel_unchanged": W,
    }


def check(case: dict[str, Any], expected: dict[str, Any], given: dict[str, Any]) -> CaseResult:
    want = expected["value"]
    text = f"array{list(want.shape)} {want.dtype}"
    failed = error_result(case, given, text)
    if failed:
        return failed
    value, W = given["value"], case["W"]
    shown = f"array{list(value.shape)} {value.dtype}"
    result = CaseResult(case["id"], case["hidden"], False, text, shown)
    if not np.array_equal(given["input_after"], W):
        result.problem, result.diagnosis = Msg("W foi modificado.", "W was modified."), \
            "kernel_in_place"
    elif given["type"] != "numpy.ndarray":
        result.problem = Msg(f"Devolveu {given['type']}.", f"Returned {given['type']}.")
        result.diagnosis = "not_ndarray"
    elif value.shape != want.shape or not np.array_equal(value, want):
        result.given = f"{shown} {short(value, 100)}"
        result.problem = Msg("Os valores não estão nos eixos certos.",
                             "The values are not on the right axes.")
        result.diagnosis = next((code for code, m in _mutants(W).items()
                                 if m.shape == value.shape and np.array_equal(m, value)), None)
        if value.shape != want.shape:
            result.problem = Msg(f"Formato esperado {want.shape}, obtido {value.shape}.",
                                 f"Expected shape {want.shape}, got {value.shape}.")
    elif value.dtype != want.dtype:
        result.problem = Msg(f"dtype esperado {want.dtype}, obtido {value.dtype}.",
                             f"Expected dtype {want.dtype}, got {value.dtype}.")
        result.diagnosis = "kernel_dtype"
    else:
        result.passed = True
    return result
