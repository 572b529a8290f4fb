"""Grader side of the lesson: a checker per question, and the fields each question's records
may hold (checked in the worker before the grader reads a harvest)."""

from __future__ import annotations

import functools

from layerwise.assignment import Checker
from layerwise.assignments.cnn_numpy.checks import arrays, forward
from layerwise.assignments.cnn_numpy.questions import ARGUMENTS
from layerwise.harvest.values import ARRAY, PLAIN_ARRAY, TEXT, Maybe, RecordSpec

CHECKERS: dict[str, Checker] = {
    **{question: functools.partial(arrays.check, question) for question in ARGUMENTS},
    "cnn_forward": forward.check,
}

_CALL = {"inputs_after": [Maybe(ARRAY)], "warnings": [TEXT]}
"""What every harvester keeps besides the returned value."""

FIELDS: dict[str, RecordSpec] = {
    **{question: RecordSpec({**PLAIN_ARRAY, **_CALL}, required=("type", "value", "inputs_after"))
       for question in ARGUMENTS},
    "cnn_forward": RecordSpec({"keys": [TEXT], "values": [PLAIN_ARRAY], **_CALL},
                              required=("inputs_after",), together={"keys": ("values",)}),
}
