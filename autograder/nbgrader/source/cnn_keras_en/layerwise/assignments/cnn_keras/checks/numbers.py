"""Checkers for the two questions that return a number: dense_size and param_count."""

from __future__ import annotations

from typing import Any

from layerwise.compare.base import CaseResult, error_result
from layerwise.messages import Msg


def _dense_mutants(h: int, w: int, fh: int, fw: int, n: int, p: int) -> dict[str, float]:
    ch, cw = h - fh + 1, w - fw + 1
    mutants = {
        "dense_precedence": ch // p * cw // p * n,
        "dense_no_filters": (ch // p) * (cw // p),
        "dense_no_pooling": ch * cw * n,
        "dense_true_division": (ch / p) * (cw / p) * n,
        "dense_same_padding": (h // p) * (w // p) * n,
    }
    if p != 2:
        mutants["dense_pool_fixed"] = (ch // 2) * (cw // 2) * n
    return mutants


def _param_mutants(args: list[Any]) -> dict[str, float]:
    (c, h, w), (kh, kw), f, use_bias = args
    n = ((h - kh + 1) // 2) * ((w - kw + 1) // 2) * f
    bias = (f + 1) if use_bias else 0
    return {
        "param_bias": kh * kw * c * f + n + ((f + 1) - bias),
        "param_channels": kh * kw * f + n + bias,
        "dense_precedence": kh * kw * c * f + (h - kh + 1) // 2 * (w - kw + 1) // 2 * f + bias,
        "dense_no_pooling": kh * kw * c * f + (h - kh + 1) * (w - kw + 1) * f + bias,
    }


def check_number(question: str, case: dict[str, Any], expected: dict[str, Any],
                 given: dict[str, Any]) -> CaseResult:
    want = expected.get("value")
    text = f"{int(want)}" if want is not None else "?"
    failed = error_result(case, given, text)
    if failed:
        return failed
    value = given["value"]
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    if value == want:
        return CaseResult(case["id"], case["hidden"], True, text, shown)
    args = case["args"]
    mutants = _dense_mutants(*args) if question == "dense_size" else _param_mutants(args)
    diagnosis = next((code for code, v in mutants.items() if v == value and v != want), None)
    what = (f"dense_input_size{tuple(args)}" if question == "dense_size"
            else f"cnn_param_count{tuple(args)}")
    return CaseResult(case["id"], case["hidden"], False, text, shown,
                      Msg(f"{what}: esperado {text}, obtido {shown}.",
                          f"{what}: expected {text}, got {shown}."), diagnosis)
