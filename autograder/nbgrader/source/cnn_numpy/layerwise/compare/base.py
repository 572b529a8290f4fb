"""What a checker returns, and the helpers every checker shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from layerwise.messages import Msg

NO_OUTPUT = "no_output"
"""`CaseResult.no_picture` when the function gave nothing to draw (missing, raised, unusable)."""
RTOL = 1e-4
ATOL = 1e-5
"""Layer outputs match when |given - expected| <= ATOL + RTOL * |expected| (float32 math)."""


@dataclass
class CaseResult:
    """One case of one question: passed or not, and what a student should read about it."""

    case: str
    hidden: bool
    passed: bool
    expected: str = ""
    given: str = ""
    problem: Msg | None = None
    diagnosis: str | None = None
    layer: str | None = None
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    """For pictures: "expected" and "given" maps of the first diverging layer."""
    no_picture: str | None = None
    """Why a failing case of a drawn question has no picture: a code of the assignment's
    `picture_reasons`, or the engine's "no_output"."""


def short(value: Any, limit: int = 160) -> str:
    """A compact, safe text for a value shown in feedback."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, threshold=12, edgeitems=2, linewidth=120):
            text = f"array{list(value.shape)} {np.array2string(value)}"
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_result(case: dict[str, Any], record: dict[str, Any], expected: str) -> CaseResult | None:
    """The CaseResult for a missing function, a raised exception or an unusable value."""
    if record.get("missing"):
        return CaseResult(case["id"], case["hidden"], False, expected, "—",
                          Msg("Função não encontrada.", "Function not found."), "function_missing",
                          no_picture=NO_OUTPUT)
    error = record.get("error")
    if error:
        ename, evalue = error.get("ename", "Error"), error.get("evalue", "")
        code = "not_implemented" if ename == "NotImplementedError" else None
        given = f"{ename}: {evalue}"[:300]
        return CaseResult(case["id"], case["hidden"], False, expected, given,
                          Msg(f"A chamada levantou {ename}.", f"The call raised {ename}."), code,
                          no_picture=NO_OUTPUT)
    if record.get("problem"):
        return CaseResult(case["id"], case["hidden"], False, expected, str(record["problem"]),
                          Msg("O valor devolvido não pôde ser usado.",
                              "The returned value could not be used."),
                          "not_ndarray" if "array" in expected else None, no_picture=NO_OUTPUT)
    return None


def same_array(given: Any, expected: Any, exact: bool = False) -> bool:
    if not isinstance(given, np.ndarray) or not isinstance(expected, np.ndarray):
        return False
    if given.shape != expected.shape:
        return False
    if exact:
        return bool(np.array_equal(given, expected))
    g, e = given.astype(np.float64), expected.astype(np.float64)
    return bool(np.all(np.isfinite(g)) and np.allclose(g, e, rtol=RTOL, atol=ATOL))


def same_filter_outputs(given: np.ndarray, expected: np.ndarray) -> bool:
    """Every channel of a (batch, channels, h, w) output is the same, where expected's differ."""
    if given.ndim != 4 or given.shape[1] < 2 or given.shape != expected.shape:
        return False
    g = given.astype(np.float64)
    e = expected.astype(np.float64)
    return bool(np.allclose(g, g[:, :1], atol=ATOL) and not np.allclose(e, e[:, :1], atol=ATOL))


def first_map(array: np.ndarray) -> np.ndarray:
    """The maps of the first sample as (maps, h, w), for pictures."""
    a = np.asarray(array, dtype=np.float64)
    if a.ndim == 4:
        return a[0]
    if a.ndim == 2:
        return a[:1].reshape(1, 1, -1)
    return a.reshape(1, 1, -1)
