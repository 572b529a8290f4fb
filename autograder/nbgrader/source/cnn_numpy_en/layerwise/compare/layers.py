"""Outputs layer by layer against the reference's: the first diverging layer is named, and its
maps are kept for the feedback's pictures (for any assignment whose records hold named outputs
as plain arrays)."""

from __future__ import annotations

from typing import Any

import numpy as np

from layerwise.compare.base import ATOL, RTOL, CaseResult, first_map, same_array, short
from layerwise.messages import Msg


def compare_outputs(result: CaseResult, want_names: list[str], want: list[dict[str, Any]],
                    got_names: list[str], got: list[dict[str, Any]]) -> CaseResult:
    """Every layer's output (`{"value": ndarray}`) against the reference, in order; `result`
    passes when all match, else names the first diverging layer and keeps its maps."""
    for name, w, g_name, g in zip(want_names, want, got_names, got, strict=False):
        expected, given = w.get("value"), g.get("value")
        if not same_array(given, expected):
            result.layer = g_name
            result.expected = f"{name}: {short(expected, 120)}"
            result.given = f"{g_name}: {short(given, 120) if given is not None else g}"
            result.problem = Msg(f"Primeira camada com saída diferente: {g_name} "
                                 f"(tolerância rtol={RTOL:g}, atol={ATOL:g}).",
                                 f"First layer whose output differs: {g_name} "
                                 f"(tolerance rtol={RTOL:g}, atol={ATOL:g}).")
            if isinstance(given, np.ndarray) and isinstance(expected, np.ndarray):
                # Different shapes too: the feedback draws both, side by side.
                result.arrays = {"expected": first_map(expected), "given": first_map(given)}
            return result
    result.passed = True
    return result


def first_difference(result: CaseResult, want: list[dict[str, Any]], got_names: list[str],
                     got: list[dict[str, Any]]) -> None:
    """Attach the maps of the first layer whose output differs (for pictures only)."""
    for w, g_name, g in zip(want, got_names, got, strict=False):
        expected, given = w.get("value"), g.get("value")
        if not same_array(given, expected):
            if isinstance(given, np.ndarray) and isinstance(expected, np.ndarray):
                result.layer = g_name
                result.arrays = {"expected": first_map(expected), "given": first_map(given)}
            return
