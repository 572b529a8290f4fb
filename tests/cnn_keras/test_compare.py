"""Checkers without TensorFlow: mutants recognized from plain data alone."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest
from keras_lesson import ASSIGNMENT
from layerwise.compare import UnknownQuestion
from layerwise.compare import check_case as compare_case
from layerwise.compare.base import same_filter_outputs

check_case = functools.partial(compare_case, ASSIGNMENT)


def test_same_filter_outputs() -> None:
    expected = np.random.default_rng(0).normal(size=(1, 3, 4, 4))
    given = np.repeat(expected[:, :1], 3, axis=1)
    assert same_filter_outputs(given, expected)
    assert not same_filter_outputs(expected, expected)


def test_ndarray_subclass_is_not_accepted() -> None:
    W = np.arange(24).reshape(3, 2, 2, 2)
    want = np.transpose(W, (2, 3, 1, 0)).copy()
    case = {"id": "x", "hidden": True, "W": W}
    given = {"type": "evil.Forged", "value": want, "input_after": W}
    result = check_case("kernel_layout", case, {"value": want}, given)
    assert not result.passed and result.diagnosis == "not_ndarray"


def test_nan_never_matches() -> None:
    case = {"id": "x", "hidden": True, "args": [5, 6, 2, 2, 3, 2]}
    result = check_case("dense_size", case, {"value": 12.0}, {"problem": "not finite: nan"})
    assert not result.passed


# -- numbers: every known mistake of dense_size and param_count, by value ----------------------

DENSE_CASE = {"id": "h", "hidden": True, "args": [9, 7, 2, 3, 2, 3]}  # conv 8x5, pool 3 -> 2x1


@pytest.mark.parametrize(("value", "diagnosis"), [
    (2 * 1 * 2, None),  # right
    (8 // 3 * 5 // 3 * 2, "dense_precedence"),
    (2 * 1, "dense_no_filters"),
    (8 * 5 * 2, "dense_no_pooling"),
    ((8 / 3) * (5 / 3) * 2, "dense_true_division"),
    ((9 // 3) * (7 // 3) * 2, "dense_same_padding"),
    ((8 // 2) * (5 // 2) * 2, "dense_pool_fixed"),
    (999, None),
])
def test_dense_size_mistakes(value: float, diagnosis: str | None) -> None:
    result = check_case("dense_size", DENSE_CASE, {"value": 4.0},
                        {"type": "int", "value": float(value), "integral": True})
    assert result.passed == (value == 4)
    assert result.diagnosis == diagnosis
    if not result.passed:
        assert "dense_input_size(9, 7, 2, 3, 2, 3)" in result.problem.en  # type: ignore[union-attr]


def test_param_count_mistakes() -> None:
    case = {"id": "h", "hidden": True, "args": [[3, 6, 5], [3, 2], 2, True]}
    right = 3 * 2 * 3 * 2 + 2 + 2 * 2 * 2 + 1  # 47
    for value, code in ((right, None), (3 * 2 * 2 + 2 + 8 + 1, "param_channels"),
                        (36 + 8, "param_bias")):
        result = check_case("param_count", case, {"value": float(right)},
                            {"type": "int", "value": float(value), "integral": True})
        assert (result.passed, result.diagnosis) == (value == right, code), value


def test_errors_and_missing_functions_are_named() -> None:
    missing = check_case("dense_size", DENSE_CASE, {"value": 4.0}, {"missing": True})
    assert (missing.passed, missing.diagnosis) == (False, "function_missing")
    raised = check_case("dense_size", DENSE_CASE, {"value": 4.0}, {"error": {
        "ename": "NotImplementedError", "evalue": "todo", "traceback": ""}})
    assert raised.diagnosis == "not_implemented" and "NotImplementedError" in raised.given


def test_unknown_question_is_an_error_not_a_guess() -> None:
    with pytest.raises(UnknownQuestion, match="no checker"):
        check_case("seventh_question", DENSE_CASE, {"value": 1.0}, {"value": 1.0})


# -- models: structure, weights and outputs from plain records ----------------------------------

def _layers(pool_format: str = "channels_first", conv_params: int = 20) -> list[dict[str, Any]]:
    return [
        {"class": "Conv2D", "name": "conv_1", "output_shape": [None, 4, 4, 5],
         "params": conv_params, "data_format": "channels_first", "use_bias": conv_params == 20},
        {"class": "Activation", "name": "relu_1", "output_shape": [None, 4, 4, 5], "params": 0},
        {"class": "MaxPooling2D", "name": "max_pool_1", "output_shape": [None, 4, 2, 2],
         "params": 0, "data_format": pool_format},
    ]


def _model_record(**changes: Any) -> dict[str, Any]:
    rng = np.random.default_rng(1)
    outputs = [{"value": rng.normal(size=(1, 4, 4, 5))} for _ in range(2)]
    outputs.append({"value": rng.normal(size=(1, 4, 2, 2))})
    record = {"type": "Sequential", "is_sequential": True, "layers": _layers(),
              "total_params": 20, "weights_after": [np.ones((2, 2, 1, 4)), np.zeros(4)],
              "output_names": ["conv_1", "relu_1", "max_pool_1"], "outputs": outputs}
    return record | changes


MODEL_CASE = {"id": "seed-1", "hidden": False}


def test_a_correct_model_passes() -> None:
    want = _model_record()
    assert check_case("sequential_model", MODEL_CASE, want, _model_record()).passed


def test_model_mistakes_are_diagnosed() -> None:
    want = _model_record()
    pool = check_case("sequential_model", MODEL_CASE, want,
                      _model_record(layers=_layers(pool_format="channels_last")))
    assert (pool.passed, pool.diagnosis) == (False, "pooling_channels_last")
    bias = check_case("sequential_model", MODEL_CASE, want,
                      _model_record(layers=_layers(conv_params=16), total_params=16))
    assert (bias.passed, bias.diagnosis) == (False, "bias_ignored")
    kind = check_case("functional_model", MODEL_CASE, want, _model_record())
    assert (kind.passed, kind.diagnosis) == (False, "wrong_model_kind")
    keras2 = check_case("functional_model", MODEL_CASE, want, {"error": {
        "ename": "ValueError", "evalue": "Unrecognized keyword arguments passed to Model: "
        "{'input': ..., 'output': ...}", "traceback": ""}})
    assert keras2.diagnosis == "keras2_api"


def test_first_diverging_layer_is_named_and_drawn() -> None:
    want = _model_record()
    outputs = [dict(o) for o in want["outputs"]]
    outputs[1] = {"value": outputs[1]["value"] + 1.0}
    result = check_case("sequential_model", MODEL_CASE, want, _model_record(outputs=outputs))
    assert not result.passed and result.layer == "relu_1"
    assert set(result.arrays) == {"expected", "given"}
    same = [dict(o) for o in want["outputs"]]
    same[0] = {"value": np.repeat(same[0]["value"][:, :1], 4, axis=1)}
    filters = check_case("sequential_model", MODEL_CASE, want, _model_record(outputs=same))
    assert (filters.layer, filters.diagnosis) == ("conv_1", "same_filter_outputs")
