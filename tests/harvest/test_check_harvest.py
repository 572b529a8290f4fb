"""`check_harvest`: what a submission's process wrote is of the harness's shape before the
grader indexes it (the process ran student code: anything may be forged)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from keras_lesson import ASSIGNMENT
from layerwise.harvest.values import check_harvest as check
from layerwise.harvest.values import plain_array, plain_number


def check_harvest(data: Any) -> str | None:
    return check(data, dict(ASSIGNMENT.fields))


def harvest() -> dict[str, Any]:
    """A small harvest as the harness writes one (one case per question)."""
    W = np.arange(8.0).reshape(2, 1, 2, 2)
    layer = {"class": "Conv2D", "name": "conv_1", "output_shape": [None, 2, 3, 3],
             "params": 10}
    model = {"type": "Sequential", "is_sequential": True, "layers": [layer], "total_params": 10,
             "weights_after": [np.ones((2, 2, 1, 2))], "output_names": ["conv_1"],
             "outputs": [plain_array(np.zeros((1, 2, 3, 3)))]}
    return {
        "functions": {"channels_l2f": {"present": True, "callable": True, "type": "function",
                                       "similar": []}},
        "cells": [{"cell": 3, "ename": "ValueError", "evalue": "x", "traceback": ""}],
        "shell_escapes": [{"cell": 0, "command": "!pip install x"}],
        "timing": {"cells_s": 0.5, "calls_s": 0.2, "harness_s": 0.3, "cell_s": [0.1, 0.4]},
        "extras": {"model_weights": {"seed-1": [np.ones(3)]}},
        "questions": {
        "kernel_layout": {"seed-1": {**plain_array(W.transpose(2, 3, 1, 0).copy()),
                                     "input_after": W, "same_object": False}},
        "dense_size": {"seed-1": plain_number(12)},
        "param_count": {"seed-1": plain_number(28)},
        "sequential_model": {"seed-1": model},
        "functional_model": {"seed-1": {"missing": True}},
        "layer_outputs": {"seed-seq": {"type": "dict", "keys": ["conv_1"],
                                       "values": [plain_array(np.zeros((1, 2)))]}},
        },
    }


def test_a_harvest_of_the_harness_passes() -> None:
    assert check_harvest(harvest()) is None


@pytest.mark.parametrize(("path", "forged", "why"), [
    (("questions", "kernel_layout", "seed-1", "value"), "boom", "'value' has the wrong type"),
    (("questions", "kernel_layout", "seed-1", "value"), np.array(["a"]), "'value' has the wrong type"),
    (("questions", "kernel_layout", "seed-1", "input_after"), None, "'input_after'"),
    (("questions", "dense_size", "seed-1", "value"), "12", "'value' has the wrong type"),
    (("questions", "dense_size", "seed-1", "integral"), "yes", "'integral' has the wrong type"),
    (("questions", "sequential_model", "seed-1", "layers"), [{"class": 1, "name": "x"}], "'layers'"),
    (("questions", "sequential_model", "seed-1", "weights_after"), [[1, 2]], "'weights_after'"),
    (("questions", "layer_outputs", "seed-seq", "keys"), "conv_1", "'keys'"),
    (("functions",), ["channels_l2f"], "functions is not a dict"),
    (("cells",), [{"cell": "3"}], "cells is not of the harness"),
    (("shell_escapes",), [{"cell": 0, "command": 5}], "shell_escapes"),
    (("timing", "cell_s"), ["fast"], "timing"),
    (("extras",), ["weights"], "extras"),
    (("questions", "param_count"), ["seed-1"], "not a dict of cases"),
])
def test_forged_fields_are_refused(path: tuple[str, ...], forged: Any, why: str) -> None:
    data = copy.deepcopy(harvest())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = forged
    problem = check_harvest(data)
    assert problem is not None and why in problem, problem


def test_not_a_dict_and_every_question_is_checked() -> None:
    assert check_harvest([]) == "not a dict"
    assert set(ASSIGNMENT.question_ids) == set(ASSIGNMENT.fields)
    forged = copy.deepcopy(harvest())
    forged["questions"]["functional_model"] = {"seed-1": {"layers": "all of them"}}
    assert "functional_model seed-1" in str(check_harvest(forged))
