"""Grader side of the lesson: a checker per question. Only the grader's process imports it (the
sandbox does not even let a submission read it)."""

from __future__ import annotations

import functools

from layerwise.assignment import Checker
from layerwise.assignments.cnn_keras.checks import kernel_layout, layer_outputs, models, numbers

CHECKERS: dict[str, Checker] = {
    "kernel_layout": kernel_layout.check,
    "dense_size": functools.partial(numbers.check_number, "dense_size"),
    "sequential_model": functools.partial(models.check, "sequential_model"),
    "functional_model": functools.partial(models.check, "functional_model"),
    "layer_outputs": layer_outputs.check,
    "param_count": functools.partial(numbers.check_number, "param_count"),
}
