"""Checkers without TensorFlow: mutants recognized from plain data alone."""

from __future__ import annotations

import numpy as np
from layerwise.compare import check_case
from layerwise.compare.base import same_filter_outputs


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
