"""Grader side of the lesson: a checker per question, and the fields each question's records
may hold (checked in the worker before the grader reads a harvest)."""

from __future__ import annotations

import functools

from layerwise.assignment import Checker
from layerwise.assignments.cnn_keras.checks import kernel_layout, layer_outputs, models, numbers
from layerwise.harvest.values import (
    ARRAY,
    BOOL,
    ERROR,
    INT,
    NUMBER,
    PLAIN_ARRAY,
    TEXT,
    Maybe,
    RecordSpec,
)

CHECKERS: dict[str, Checker] = {
    "kernel_layout": kernel_layout.check,
    "dense_size": functools.partial(numbers.check_number, "dense_size"),
    "sequential_model": functools.partial(models.check, "sequential_model"),
    "functional_model": functools.partial(models.check, "functional_model"),
    "layer_outputs": layer_outputs.check,
    "param_count": functools.partial(numbers.check_number, "param_count"),
}

_LAYER = {"class": TEXT, "name": TEXT, "output_shape": Maybe([(int, type(None))]),
          "params": (int, type(None))}
_MODEL = RecordSpec({"layers": [_LAYER], "total_params": INT, "is_sequential": BOOL,
                     "weights_after": [ARRAY], "output_names": [TEXT],
                     "outputs": [PLAIN_ARRAY], "set_weights_error": ERROR,
                     "harvest_error": ERROR})
_NUMBER = RecordSpec({"value": NUMBER, "integral": BOOL}, required=("value",))

FIELDS: dict[str, RecordSpec] = {
    "kernel_layout": RecordSpec({**PLAIN_ARRAY, "input_after": ARRAY, "same_object": BOOL},
                                required=("type", "value", "input_after")),
    "dense_size": _NUMBER,
    "sequential_model": _MODEL,
    "functional_model": _MODEL,
    "layer_outputs": RecordSpec({"keys": [TEXT], "values": [PLAIN_ARRAY]},
                                together={"keys": ("values",)}),
    "param_count": _NUMBER,
}
