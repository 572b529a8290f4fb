"""The committed-artifact comparison forgives CPU round-off in reference numbers, nothing else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from artifacts import PAYLOAD, file_differences
from keras_lesson import LAYOUT as layout
from layerwise.build.zips import entries
from layerwise.native import decode, encode


def _scaled(value: Any, factor: float) -> Any:
    if isinstance(value, dict):
        return {k: _scaled(v, factor) for k, v in value.items()}
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return (value * factor).astype(value.dtype)
    return value


def _a_hidden_test() -> tuple[str, str]:
    """(entry name, source) of a committed otter test holding payloads with float arrays."""
    zip_path = Path(__file__).resolve().parents[2] / layout.otter_zip
    name = "tests/layer_outputs.py"
    return name, entries(zip_path)[name].decode()


def _rewritten(source: str, factor: float) -> str:
    """`source` with every payload's float arrays scaled by `factor`."""
    return PAYLOAD.sub(lambda m: repr(encode(_scaled(decode(m.group(1)), factor))), source)


def test_round_off_is_forgiven() -> None:
    name, source = _a_hidden_test()
    moved = _rewritten(source, 1 + 3e-7)
    assert moved != source
    assert file_differences(name, moved.encode(), source.encode()) == []


def test_a_real_change_of_numbers_is_not() -> None:
    name, source = _a_hidden_test()
    assert file_differences(name, _rewritten(source, 1.001).encode(), source.encode())


def test_a_change_of_text_is_not() -> None:
    name, source = _a_hidden_test()
    changed = source.replace("check_case(env", "check_case( env", 1)
    assert file_differences(name, changed.encode(), source.encode()) == [f"{name}: text differs"]


def test_json_and_notebooks_compare_their_numbers() -> None:
    a = json.dumps({"cells": [{"source": "x = 1"}], "value": 0.30000001}).encode()
    b = json.dumps({"cells": [{"source": "x = 1"}], "value": 0.3}).encode()
    c = json.dumps({"cells": [{"source": "x = 2"}], "value": 0.3}).encode()
    assert file_differences("n.ipynb", a, b) == []
    assert file_differences("n.ipynb", c, b)
