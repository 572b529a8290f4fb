"""Checker for `layer_outputs`: a dict of every non-input layer, in order, each output right."""

from __future__ import annotations

from typing import Any

from layerwise.assignments.cnn_keras.checks.models import _error_diagnosis, layer_by_layer
from layerwise.compare.base import NO_OUTPUT, CaseResult, error_result
from layerwise.messages import Msg


def check(case: dict[str, Any], expected: dict[str, Any], given: dict[str, Any]) -> CaseResult:
    keys = expected["keys"]
    text = f"dict {keys}"
    failed = error_result(case, given, text)
    if failed:
        failed.diagnosis = failed.diagnosis or _error_diagnosis(given)
        if given.get("problem"):
            failed.diagnosis = "not_dict"
        return failed
    got = given.get("keys")
    result = CaseResult(case["id"], case["hidden"], False, text, f"dict {got}")
    if got is None:
        result.problem, result.diagnosis = Msg("Não devolveu um dict.", "Did not return a dict."), \
            "not_dict"
        result.no_picture = NO_OUTPUT
        return result
    if got != keys:
        extra = [k for k in got if k not in keys]
        missing = [k for k in keys if k not in got]
        result.problem = Msg(f"Chaves esperadas {keys}; sobram {extra}, faltam {missing}.",
                             f"Expected keys {keys}; extra {extra}, missing {missing}.")
        if any("input" in k for k in extra):
            result.diagnosis = "includes_input_layer"
        elif missing:
            result.diagnosis = "layer_missing"
        result.no_picture = "keys"
        return result
    return layer_by_layer(result, keys, expected["values"], got, given["values"])
