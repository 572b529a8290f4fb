"""The seed's 4-filter 5x5 example, layer by layer, against plain numpy (issue: the assignment)."""

from __future__ import annotations

from typing import Any

import numpy as np
from layerwise import plain
from layerwise.assignments.cnn_keras.cases import SEED_2_W, SEED_2_X


def _numpy_network(X: np.ndarray, W: np.ndarray, bias: float) -> list[np.ndarray]:
    f, c, kh, kw = W.shape
    _, _, h, w = X.shape
    conv = np.zeros((1, f, h - kh + 1, w - kw + 1))
    for k in range(f):
        for i in range(h - kh + 1):
            for j in range(w - kw + 1):
                conv[0, k, i, j] = np.sum(X[0, :, i:i + kh, j:j + kw] * W[k]) + bias
    relu = np.maximum(conv, 0)
    ph, pw = relu.shape[2] // 2, relu.shape[3] // 2
    pool = relu[:, :, :ph * 2, :pw * 2].reshape(1, f, ph, 2, pw, 2).max(axis=(3, 5))
    flat = pool.reshape(1, -1)
    dense = flat.sum(axis=1, keepdims=True) + bias
    return [conv, relu, pool, flat, dense, 1 / (1 + np.exp(-dense))]


def test_seed_example_matches_numpy_layer_by_layer(graded_class: dict[str, Any]) -> None:
    stem = next((graded_class["out"] / ".reference").glob("reference-*.json")).with_suffix("")
    reference = plain.load(stem)
    expected = _numpy_network(SEED_2_X.astype(np.float64), SEED_2_W.astype(np.float64), 0.1)
    for question, n_layers in (("sequential_model", 6), ("functional_model", 7)):
        rec = reference["questions"][question]["seed-2"]
        assert len(rec["layers"]) == n_layers
        assert rec["total_params"] == 37
        outputs = [o["value"] for o in rec["outputs"]]
        for got, want in zip(outputs, expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
        assert abs(float(outputs[-1][0, 0]) - 0.99954736) < 1e-6
        shapes = [layer["output_shape"] for layer in rec["layers"] if layer["class"] != "InputLayer"]
        assert shapes == [[None, 4, 4, 4], [None, 4, 4, 4], [None, 4, 2, 2], [None, 16],
                          [None, 1], [None, 1]]
