"""Grader side of the lesson: a checker per question. Only the grader's process imports it (the
sandbox does not even let a submission read it: `layers.py` holds correct layers)."""

from __future__ import annotations

import functools

from layerwise.assignment import Checker
from layerwise.assignments.cnn_numpy.checks import arrays, forward
from layerwise.assignments.cnn_numpy.questions import ARGUMENTS

CHECKERS: dict[str, Checker] = {
    **{question: functools.partial(arrays.check, question) for question in ARGUMENTS},
    "cnn_forward": forward.check,
}
