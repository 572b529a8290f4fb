"""The second lesson's solution (solutions/cnn_numpy.ipynb, what grading takes as expected values)
held against Keras on the hidden cases of many seeds: each layer function against the Keras layer
it stands for, and `cnn_forward` against the first lesson's Sequential model, layer by layer, by
direct calls. No case may have the shape on which Keras 3 adds the bias along the width."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy_lesson
import pytest
from layerwise import registry
from layerwise.assignments.cnn_numpy.cases import conv_output_width
from layerwise.assignments.cnn_numpy.questions import LAYERS
from layerwise.compare.base import ATOL, RTOL

SEEDS = range(20)
ASSIGNMENT = registry.get("cnn_numpy")


@pytest.fixture(scope="module")
def solution() -> dict[str, Any]:
    """The solved notebook's functions (its NumPy cells only: no Keras there)."""
    return numpy_lesson.functions(numpy_lesson.solution())


@pytest.fixture(scope="module")
def keras() -> Any:
    import keras

    return keras


def _hidden(key: str) -> list[tuple[int, dict[str, Any]]]:
    return [(seed, case) for seed in SEEDS for case in ASSIGNMENT.make_cases(seed)[key]
            if case["hidden"]]


def _f32(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def _close(ours: Any, theirs: Any) -> bool:
    ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    return ours.shape == theirs.shape and bool(np.allclose(ours, theirs, rtol=RTOL, atol=ATOL))


def _conv(keras: Any, K: np.ndarray, b: np.ndarray | None, input_shape: tuple[int, ...]) -> Any:
    kh, kw, _, f = K.shape
    layer = keras.layers.Conv2D(f, (kh, kw), use_bias=b is not None, data_format="channels_first")
    layer.build((None, *input_shape))
    layer.set_weights([_f32(K)] + ([] if b is None else [_f32(b)]))
    return layer


def _dense(keras: Any, W: np.ndarray, b: np.ndarray | None) -> Any:
    layer = keras.layers.Dense(W.shape[1], use_bias=b is not None)
    layer.build((None, W.shape[0]))
    layer.set_weights([_f32(W)] + ([] if b is None else [_f32(b)]))
    return layer


def test_no_case_has_the_keras_bias_layout_shape() -> None:
    """A channels_first Conv2D whose output width equals its filter count gets its bias along the
    width in direct calls: no hidden case of any seed draws it."""
    for seed in range(200):
        cases = ASSIGNMENT.make_cases(seed)
        for case in [*cases["conv"], *cases["forward"]]:
            width, filters = conv_output_width(case)
            assert case["id"] == "seed" or width != filters, (seed, case["id"], width, filters)


def _layer_cases() -> list[tuple[str, Callable[[Any, dict[str, Any]], Any], str]]:
    return [
        ("conv", lambda k, c: _conv(k, c["K"], c["b"], c["X"].shape[1:])(_f32(c["X"])),
         "conv2d_forward"),
        ("relu", lambda k, c: k.activations.relu(_f32(c["Z"])), "relu_forward"),
        ("pool", lambda k, c: k.layers.MaxPooling2D(c["pool_size"] or 2,
                                                    data_format="channels_first")(_f32(c["A"])),
         "maxpool2d_forward"),
        ("flatten", lambda k, c: k.layers.Flatten()(_f32(c["P"])), "flatten_forward"),
        ("dense", lambda k, c: _dense(k, c["W"], c["b"])(_f32(c["x"])), "dense_forward"),
        ("sigmoid", lambda k, c: k.activations.sigmoid(_f32(c["z"])), "sigmoid_forward"),
    ]


def _call(solution: dict[str, Any], function: str, case: dict[str, Any]) -> Any:
    args = {"conv2d_forward": ("X", "K", "b"), "relu_forward": ("Z",),
            "maxpool2d_forward": ("A", "pool_size"), "flatten_forward": ("P",),
            "dense_forward": ("x", "W", "b"), "sigmoid_forward": ("z",)}[function]
    values = [case[a] for a in args]
    if function == "maxpool2d_forward":
        return solution[function](values[0], pool_size=values[1] or 2)
    return solution[function](*values)


@pytest.mark.parametrize(("key", "keras_of", "function"), _layer_cases(),
                         ids=[k for k, _, _ in _layer_cases()])
def test_layer_functions_match_keras(solution: dict[str, Any], keras: Any, key: str,
                                     keras_of: Callable[[Any, dict[str, Any]], Any],
                                     function: str) -> None:
    cases = _hidden(key)
    assert len(cases) >= 20 * 4
    wrong = [(seed, case["id"]) for seed, case in cases
             if not _close(_call(solution, function, case), keras_of(keras, case))]
    assert not wrong, wrong


def test_forward_matches_the_first_lessons_model_layer_by_layer(solution: dict[str, Any],
                                                               keras: Any) -> None:
    L = keras.layers
    wrong = []
    for seed, case in _hidden("forward"):
        X, weights, use_bias = case["X"], case["weights"], case["use_bias"]
        K = weights[0]
        model = keras.Sequential([
            keras.Input(shape=X.shape[1:]),
            L.Conv2D(K.shape[3], K.shape[:2], use_bias=use_bias, data_format="channels_first",
                     name="conv_1"),
            L.Activation("relu", name="relu_1"),
            L.MaxPooling2D((2, 2), data_format="channels_first", name="max_pool_1"),
            L.Flatten(name="flat"), L.Dense(1, use_bias=use_bias, name="dense_2"),
            L.Activation("sigmoid", name="sigmoid_2")])
        model.set_weights([_f32(w) for w in weights])
        ours = solution["cnn_forward"](X, weights, use_bias=use_bias)
        assert list(ours) == [name for name, _ in LAYERS] == [layer.name for layer in model.layers]
        x = _f32(X)
        for layer in model.layers:
            x = layer(x)
            if not _close(ours[layer.name], x):
                wrong.append((seed, case["id"], layer.name))
                break
    assert not wrong, wrong


def test_the_seed_example_gives_the_first_lessons_prediction(solution: dict[str, Any]) -> None:
    case = ASSIGNMENT.make_cases(0)["forward"][0]
    out = solution["cnn_forward"](case["X"], case["weights"])
    assert abs(float(out["sigmoid_2"][0, 0]) - 0.99954736) < 1e-6


@pytest.mark.parametrize("z", [-1000.0, 1000.0, -710.0, 710.0])
def test_solution_sigmoid_is_stable_at_the_extremes(solution: dict[str, Any], z: float) -> None:
    """No overflow, no NaN (an underflow to 0 is exact, not a warning the grader counts)."""
    values = np.array([[z], [0.0]])
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        s = solution["sigmoid_forward"](values)
    assert not caught, [str(w.message) for w in caught]
    assert not np.isnan(s).any() and s[1, 0] == 0.5
    assert s[0, 0] == pytest.approx(0.0 if z < 0 else 1.0, abs=1e-300)
