"""The checker of the six layer functions: one array returned, compared with the reference's
within float32 tolerance, inputs untouched; a wrong answer is matched against the known mistakes
recomputed on the case's inputs (`layers`), and drawn map by map when its question draws."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from layerwise.assignments.cnn_numpy.checks import layers
from layerwise.assignments.cnn_numpy.questions import ARGUMENTS, KEYWORDS
from layerwise.compare.base import (
    ATOL,
    NO_OUTPUT,
    RTOL,
    CaseResult,
    error_result,
    first_map,
    same_array,
    short,
)
from layerwise.messages import Msg

MUTANTS: dict[str, Callable[..., layers.Mutants]] = {
    "conv2d": layers.conv_mutants, "relu": layers.relu_mutants, "maxpool": layers.pool_mutants,
    "flatten": layers.flatten_mutants, "dense": layers.dense_mutants,
    "sigmoid": layers.sigmoid_mutants,
}
LAYER_OF = {"conv2d": "conv_1", "relu": "relu_1", "maxpool": "max_pool_1", "flatten": "flat",
            "dense": "dense_2", "sigmoid": "sigmoid_2"}
"""The layer of the network each function computes (named in the feedback's pictures)."""
UNSTABLE = ("overflow", "invalid value")
"""What NumPy's warnings say when exp overflows or inf/inf gives NaN."""
_SHAPE = re.compile(r"\(([\d,\s]*)\)")
_MISSING_ARGUMENT = re.compile(r"missing \d+ required positional argument")


def describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array{list(value.shape)} {value.dtype}"
    return "?"


def inputs(question: str, case: dict[str, Any]) -> list[tuple[str, Any]]:
    """(name, value) of the arguments a case passes, in call order."""
    return [(n, case[n]) for n in ARGUMENTS[question] if case.get(n) is not None]


def modified(given_inputs: list[tuple[str, Any]], after: Any) -> list[str]:
    """The names of the arguments that changed during the call."""
    if not isinstance(after, list) or len(after) != len(given_inputs):
        return [n for n, _ in given_inputs]
    return [n for (n, before), now in zip(given_inputs, after, strict=True)
            if not isinstance(now, np.ndarray) or now.shape != np.shape(before)
            or not np.array_equal(now, before)]


def bias_broadcast(error: dict[str, Any], bias: Any) -> bool:
    """Whether an error is NumPy failing to broadcast the bias (a shape of the bias's size)."""
    text = str(error.get("evalue", ""))
    if bias is None or np.size(bias) < 2 or "could not be broadcast" not in text \
            or "remapped" in text:
        return False
    for shape in _SHAPE.findall(text):
        sides = [int(s) for s in shape.replace(" ", "").split(",") if s]
        if sides and int(np.prod(sides)) == np.size(bias) and len(sides) <= 4:
            return True
    return False


def error_diagnosis(question: str, case: dict[str, Any], error: dict[str, Any]) -> str | None:
    """A mistake recognized from the exception a call raised."""
    if bias_broadcast(error, case.get("b")):
        return "bias_wrong_axis"
    if error.get("ename") == "TypeError" and _MISSING_ARGUMENT.search(str(error.get("evalue"))):
        left_out = [n for n in (*ARGUMENTS.get(question, ()), *KEYWORDS.get(question, ()))
                    if n in case and case[n] is None]
        return "missing_default" if left_out else None
    return None


def unstable(given: dict[str, Any]) -> bool:
    """A call that warned of an overflow or an invalid value (inf/inf)."""
    return any(any(word in w for word in UNSTABLE) for w in given.get("warnings") or [])


def recognize(mutants: layers.Mutants, value: np.ndarray, want: np.ndarray) -> str | None:
    """The known mistake whose output equals `value` (and differs from the expected)."""
    if value.dtype.kind in "iu" and want.dtype.kind == "f" \
            and not np.array_equal(want, np.trunc(want)):
        return "integer_truncation"
    for code, compute in mutants.items():
        try:
            with np.errstate(all="ignore"):
                output = compute()
        except Exception:
            continue
        if same_array(value, output) and not same_array(output, want):
            return code
    return None


def difference(value: np.ndarray, want: np.ndarray) -> Msg:
    """What differs between two arrays: the shape, or how many values and by how much."""
    if value.shape != want.shape:
        return Msg(f"Formato esperado {want.shape}, obtido {value.shape}.",
                   f"Expected shape {want.shape}, got {value.shape}.")
    g, e = value.astype(np.float64), want.astype(np.float64)
    with np.errstate(invalid="ignore"):
        wrong = ~np.isclose(g, e, rtol=RTOL, atol=ATOL)
    if np.isnan(g).any():
        return Msg(f"{int(np.isnan(g).sum())} valores são NaN.",
                   f"{int(np.isnan(g).sum())} values are NaN.")
    worst = float(np.max(np.abs(g - e)[wrong])) if wrong.any() else 0.0
    return Msg(f"{int(wrong.sum())} de {wrong.size} valores diferem do esperado (maior "
               f"diferença {worst:.4g}; tolerância rtol={RTOL:g}, atol={ATOL:g}).",
               f"{int(wrong.sum())} of {wrong.size} values differ from the expected ones "
               f"(largest difference {worst:.4g}; tolerance rtol={RTOL:g}, atol={ATOL:g}).")


def check(question: str, case: dict[str, Any], expected: dict[str, Any],
          given: dict[str, Any]) -> CaseResult:
    """One case of a layer function."""
    want = expected["value"]
    text = describe(want)
    failed = error_result(case, given, text)
    if failed:
        if given.get("error") and failed.diagnosis is None:
            failed.diagnosis = error_diagnosis(question, case, given["error"])
        return failed
    value = given["value"]
    result = CaseResult(case["id"], case["hidden"], False, text,
                        f"{describe(value)} {short(value, 100)}")
    args = inputs(question, case)
    changed = modified(args, given.get("inputs_after"))
    right = same_array(value, want)
    if changed:
        result.problem = Msg(f"A função modificou {', '.join(changed)} no lugar: devolva um "
                             "array novo, sem mudar as entradas.",
                             f"The function modified {', '.join(changed)} in place: return a "
                             "new array and leave the inputs unchanged.")
        result.diagnosis = "input_modified"
    elif given.get("type") != "numpy.ndarray":
        result.problem = Msg(f"Devolveu {given.get('type')}.", f"Returned {given.get('type')}.")
        result.diagnosis = "not_ndarray"
    elif not right:
        result.problem = difference(value, want)
        if question == "sigmoid" and np.isnan(value.astype(np.float64)).any():
            result.diagnosis = "sigmoid_unstable"
        else:
            keywords = [case[k] for k in KEYWORDS.get(question, ()) if case.get(k) is not None]
            result.diagnosis = recognize(MUTANTS[question](*(v for _, v in args), *keywords),
                                         value, want)
    elif question == "sigmoid" and unstable(given):
        result.problem = Msg("Valores certos, mas o cálculo estourou (overflow): "
                             f"{given['warnings'][0]}",
                             f"Right values, but the computation overflowed: "
                             f"{given['warnings'][0]}")
        result.diagnosis = "sigmoid_unstable"
    else:
        result.passed = True
        return result
    if right:
        result.no_picture = "right_values"
    elif value.dtype.kind in "biuf":
        result.layer = LAYER_OF[question]
        result.arrays = {"expected": first_map(want), "given": first_map(value)}
    else:
        result.no_picture = NO_OUTPUT
    return result
