"""Checker for the two model builders: structure (never summary text), weights, every layer."""

from __future__ import annotations

from typing import Any

import numpy as np

from layerwise.compare.base import NO_OUTPUT, CaseResult, error_result, same_array, same_filter_outputs
from layerwise.compare.layers import compare_outputs, first_difference
from layerwise.messages import Msg


def _error_diagnosis(given: dict[str, Any]) -> str | None:
    error = given.get("error") or {}
    text = f"{error.get('ename', '')}: {error.get('evalue', '')}"
    if "Unrecognized keyword arguments" in text and ("input" in text or "output" in text):
        return "keras2_api"
    if "AttributeError" in text and ("never been called" in text or "'input'" in text):
        return "model_input_on_sequential"
    return None


def _structure(expected: dict[str, Any], given: dict[str, Any]) -> tuple[Msg, str | None] | None:
    """The first structural difference, as (message, diagnosis), or None."""
    want, got = expected["layers"], given.get("layers") or []
    by_class = {layer["class"]: layer for layer in got}
    pool = by_class.get("MaxPooling2D")
    if pool and pool.get("data_format") == "channels_last":
        return Msg("max_pool sem channels_first.", "max_pool without channels_first."), \
            "pooling_channels_last"
    conv = by_class.get("Conv2D")
    if conv and conv.get("data_format") == "channels_last":
        return Msg("Conv2D sem channels_first.", "Conv2D without channels_first."), \
            "conv_channels_last"
    if len(got) != len(want):
        names = [layer["name"] for layer in got]
        missing = [layer["name"] for layer in want if layer["name"] not in names]
        return Msg(f"Esperadas {len(want)} camadas, obtidas {len(got)} {names}; faltam {missing}.",
                   f"Expected {len(want)} layers, got {len(got)} {names}; missing {missing}."), \
            "layer_names"
    for w, g in zip(want, got, strict=True):
        for key in ("class", "name", "output_shape", "params"):
            if w.get(key) != g.get(key):
                code = "layer_names" if key in ("class", "name") else None
                if key == "params" and w["class"] in ("Conv2D", "Dense"):
                    code = "bias_ignored" if g.get("use_bias") != w.get("use_bias") else None
                return Msg(f"Camada {w['name']}: {key} esperado {w.get(key)}, obtido {g.get(key)}.",
                           f"Layer {w['name']}: expected {key} {w.get(key)}, got {g.get(key)}."), \
                    code
    if expected["total_params"] != given.get("total_params"):
        return Msg(f"Total de parâmetros esperado {expected['total_params']}, obtido "
                   f"{given.get('total_params')}.", f"Expected {expected['total_params']} "
                   f"parameters in total, got {given.get('total_params')}."), None
    return None


def check(question: str, case: dict[str, Any], expected: dict[str, Any],
          given: dict[str, Any]) -> CaseResult:
    text = f"{expected.get('type')}, {len(expected['layers'])} camadas/layers, " \
           f"{expected['total_params']} params"
    failed = error_result(case, given, text)
    if failed:
        failed.diagnosis = failed.diagnosis or _error_diagnosis(given)
        return failed
    names = [layer["name"] for layer in given.get("layers") or []]
    result = CaseResult(case["id"], case["hidden"], False, text,
                        f"{given.get('type')}, {len(names)} camadas/layers {names}, "
                        f"{given.get('total_params')} params")
    if given.get("harvest_error"):
        result.problem = Msg("O modelo não pôde ser inspecionado.", "The model could not be "
                             f"inspected: {given['harvest_error'].get('evalue', '')[:200]}")
        result.no_picture = NO_OUTPUT
        return result
    want_sequential = question == "sequential_model"
    if bool(given.get("is_sequential")) != want_sequential:
        result.problem = Msg("Esperado keras.Sequential." if want_sequential else
                             "Esperado um keras.Model funcional (não Sequential).",
                             "Expected a keras.Sequential." if want_sequential else
                             "Expected a functional keras.Model (not Sequential).")
        result.diagnosis = "wrong_model_kind"
        result.no_picture = "structure"
        return result
    structure = _structure(expected, given)
    if structure:
        result.problem, result.diagnosis = structure
        result.no_picture = "structure"
        if result.diagnosis in ("pooling_channels_last", "conv_channels_last") \
                and not given.get("set_weights_error"):
            # The weights are in place, only the layout is wrong: draw the first layer whose
            # output differs (its shape usually does too) so the student sees what happened.
            first_difference(result, expected.get("outputs") or [],
                              given.get("output_names") or [], given.get("outputs") or [])
        return result
    if given.get("set_weights_error"):
        err = given["set_weights_error"]
        result.problem = Msg(f"model.set_weights falhou: {err.get('evalue', '')[:200]}",
                             f"model.set_weights failed: {err.get('evalue', '')[:200]}")
        result.no_picture = "weights"
        return result
    for i, (w, g) in enumerate(zip(expected["weights_after"], given.get("weights_after") or [],
                                   strict=False)):
        if not same_array(g, w):
            result.problem = Msg(f"O peso {i} não ficou como definido por set_weights.",
                                 f"Weight {i} is not what set_weights set.")
            result.no_picture = "weights"
            return result
    return layer_by_layer(result, expected["output_names"], expected["outputs"],
                          given.get("output_names") or [], given.get("outputs") or [])


def layer_by_layer(result: CaseResult, want_names: list[str], want: list[dict[str, Any]],
                   got_names: list[str], got: list[dict[str, Any]]) -> CaseResult:
    """The engine's layer-by-layer comparison, and this lesson's mistake it can see in the
    first diverging layer: every filter giving the same map."""
    compare_outputs(result, want_names, want, got_names, got)
    maps = result.arrays
    if not result.passed and maps and result.layer is not None:
        index = got_names.index(result.layer) if result.layer in got_names else -1
        given = got[index].get("value") if index >= 0 else None
        expected = want[index].get("value") if index >= 0 else None
        if isinstance(given, np.ndarray) and isinstance(expected, np.ndarray) \
                and same_filter_outputs(given, expected):
            result.diagnosis = "same_filter_outputs"
    return result
