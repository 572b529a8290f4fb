"""The checker of `cnn_forward`: a dict of the six layers' outputs, by name and in order, each
right; the first diverging layer is named and drawn, and the mistake behind it looked for among
the layers' known mistakes and the wrong inputs a layer may have been given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from layerwise.assignments.cnn_numpy.checks import layers
from layerwise.assignments.cnn_numpy.checks.arrays import modified, recognize
from layerwise.assignments.cnn_numpy.questions import LAYERS
from layerwise.compare.base import NO_OUTPUT, CaseResult, error_result, same_array
from layerwise.compare.layers import compare_outputs
from layerwise.messages import Msg

NAMES = [name for name, _ in LAYERS]


def _unpacked(case: dict[str, Any]) -> tuple[np.ndarray, np.ndarray | None, np.ndarray,
                                             np.ndarray | None]:
    """(kernel, conv bias, dense kernel, dense bias) of a forward case."""
    w = case["weights"]
    return (w[0], w[1], w[2], w[3]) if case["use_bias"] else (w[0], None, w[1], None)


def _operations(case: dict[str, Any]) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """Each layer as a function of its input, with the case's weights."""
    K, b, Wd, bd = _unpacked(case)
    return {"conv_1": lambda x: layers.conv(x, K, b), "relu_1": layers.relu,
            "max_pool_1": layers.pool, "flat": layers.flatten,
            "dense_2": lambda x: layers.dense(x, Wd, bd), "sigmoid_2": layers.sigmoid}


def _layer_mutants(case: dict[str, Any], name: str, previous: np.ndarray) -> layers.Mutants:
    K, b, Wd, bd = _unpacked(case)
    table: dict[str, Callable[[], layers.Mutants]] = {
        "conv_1": lambda: layers.conv_mutants(case["X"], K, b),
        "relu_1": lambda: layers.relu_mutants(previous),
        "max_pool_1": lambda: layers.pool_mutants(previous, 2),
        "flat": lambda: layers.flatten_mutants(previous),
        "dense_2": lambda: layers.dense_mutants(previous, Wd, bd),
        "sigmoid_2": lambda: layers.sigmoid_mutants(previous),
    }
    return table[name]()


def diagnose(case: dict[str, Any], index: int, want: list[np.ndarray], value: np.ndarray
             ) -> tuple[str | None, Msg | None]:
    """Why layer `index` diverges, and what more to say: one of its known mistakes, or it was
    given the output of an earlier layer (a layer skipped, the wrong variable passed)."""
    name = NAMES[index]
    previous = case["X"] if index == 0 else want[index - 1]
    code = recognize(_layer_mutants(case, name, previous), value, want[index])
    if code:
        return code, None
    operation = _operations(case)[name]
    inputs = ["X", *NAMES]  # the input of layer i is inputs[i]; earlier ones are wrong
    for source, earlier in zip(inputs[:index], [case["X"], *want][:index], strict=True):
        try:
            with np.errstate(all="ignore"):
                output = operation(earlier)
        except Exception:
            continue
        if same_array(value, output):
            given = Msg("a entrada X", "the input X") if source == "X" else \
                Msg(f"a saída de {source}", f"the output of {source}")
            return "forward_wrong_input", Msg(
                f"{name} recebeu {given.pt}, não a saída de {inputs[index]}.",
                f"{name} was given {given.en}, not the output of {inputs[index]}.")
    return None, None


def _wired_like_own_layers(expected: dict[str, Any], given: dict[str, Any]) -> bool:
    """Whether `cnn_forward` returned, layer by layer, what the student's own layer functions
    make on the case (`harvest.own_layers`) while those differ from the reference's layers: a
    mistake in a layer then costs only that layer's question."""
    own = given.get("own_layers") or []
    values = [v.get("value") for v in given.get("values") or []]
    want = [v.get("value") for v in expected.get("values") or []]
    if len(own) != len(NAMES) or len(values) != len(NAMES):
        return False
    mine = [o.get("value") for o in own]
    if any(not isinstance(m, np.ndarray) for m in mine):
        return False
    layers_wrong = not all(same_array(m, w) for m, w in zip(mine, want, strict=True))
    return layers_wrong and all(same_array(v, m) for v, m in zip(values, mine, strict=True))


def _fails_like_own_layers(given: dict[str, Any]) -> bool:
    """Whether `cnn_forward` raised the very error the student's own layers raise when chained
    (a wrong shape out of their `conv2d_forward` breaking a later layer, say): their layers
    are wrong, and each layer's question counts it."""
    error, own = given.get("error"), given.get("own_layers") or []
    last = own[-1].get("error") if own else None
    if not (isinstance(error, dict) and isinstance(last, dict)):
        return False
    return all(error.get(k) == last.get(k) for k in ("ename", "evalue"))


def _own_layers_pass(result: CaseResult) -> CaseResult:
    result.passed = True
    result.layer, result.arrays, result.diagnosis, result.no_picture = None, {}, None, None
    result.problem = Msg("A rede está certa com as suas próprias camadas (os erros delas "
                         "contam nas questões de cada camada).",
                         "The network is right with your own layers (their mistakes count "
                         "in each layer's question).")
    return result


def check(case: dict[str, Any], expected: dict[str, Any], given: dict[str, Any]) -> CaseResult:
    keys = expected["keys"]
    text = f"dict {keys}"
    failed = error_result(case, given, text)
    if failed and _fails_like_own_layers(given):
        return _own_layers_pass(failed)
    if failed:
        evalue = str((given.get("error") or {}).get("evalue", ""))
        if "values to unpack" in evalue:
            failed.diagnosis = "forward_use_bias"
        elif given.get("problem"):
            failed.diagnosis = "not_dict"
        return failed
    got = given.get("keys")
    result = CaseResult(case["id"], case["hidden"], False, text, f"dict {got}")
    weights = [(f"weights[{i}]", w) for i, w in enumerate(case["weights"])]
    changed = modified([("X", case["X"]), *weights], given.get("inputs_after"))
    if changed:
        result.problem = Msg(f"cnn_forward modificou {', '.join(changed)} no lugar.",
                             f"cnn_forward modified {', '.join(changed)} in place.")
        result.diagnosis, result.no_picture = "input_modified", "right_values"
        return result
    if got is None:
        result.problem = Msg("Não devolveu um dict.", "Did not return a dict.")
        result.diagnosis, result.no_picture = "not_dict", NO_OUTPUT
        return result
    if got != keys:
        extra, missing = [k for k in got if k not in keys], [k for k in keys if k not in got]
        result.problem = Msg(f"Chaves esperadas {keys}, nesta ordem; sobram {extra}, faltam "
                             f"{missing}.", f"Expected keys {keys}, in this order; extra "
                             f"{extra}, missing {missing}.")
        result.diagnosis, result.no_picture = "forward_keys", "keys"
        return result
    values = given.get("values") or []
    compare_outputs(result, keys, expected["values"], got, values)
    if not result.passed and _wired_like_own_layers(expected, given):
        return _own_layers_pass(result)  # their layers are wrong, the wiring is right
    if not result.passed and result.layer in NAMES:
        index = NAMES.index(result.layer)
        want = [v.get("value") for v in expected["values"]]
        value = values[index].get("value") if index < len(values) else None
        if isinstance(value, np.ndarray):
            result.diagnosis, detail = diagnose(case, index, want, value)
            if detail and result.problem:
                result.problem += detail
    return result
