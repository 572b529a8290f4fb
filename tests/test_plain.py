"""Plain data: round trip, and refusal of pickles, missing parts and oversize files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from layerwise import plain


def test_round_trip(tmp_path: Path) -> None:
    value = {"a": [1, 2.5, "x", None], "b": {"c": np.arange(6).reshape(2, 3)}}
    plain.save(tmp_path / "v", value)
    back = plain.load(tmp_path / "v")
    assert back["a"] == [1, 2.5, "x", None]
    np.testing.assert_array_equal(back["b"]["c"], value["b"]["c"])


def test_refuses_pickled_arrays(tmp_path: Path) -> None:
    (tmp_path / "v.json").write_text('{"x": {"__array__": "a0"}}')
    np.savez(tmp_path / "v.npz", a0=np.array([object()], dtype=object))
    with pytest.raises(plain.PlainDataError):
        plain.load(tmp_path / "v")


def test_refuses_oversize_and_missing(tmp_path: Path) -> None:
    with pytest.raises(plain.PlainDataError, match="missing"):
        plain.load(tmp_path / "nothing")
    plain.save(tmp_path / "v", {"x": np.zeros(1000)})
    with pytest.raises(plain.PlainDataError, match="larger"):
        plain.load(tmp_path / "v", max_npz=100)
