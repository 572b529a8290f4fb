"""Introdução às CNNs no Keras / Introduction to CNNs in Keras: the seed lesson, fixed for Keras
3. Students write the kernel layout conversion, the dense-size formula, the two model builders
and the per-layer inspection; registered as the assignment `cnn_keras`."""

from __future__ import annotations

from layerwise.assignment import Assignment
from layerwise.assignments import keras_requirements
from layerwise.assignments.cnn_keras.cases import make_cases, student_inputs
from layerwise.assignments.cnn_keras.diagnoses import DIAGNOSES, PICTURE_REASONS
from layerwise.assignments.cnn_keras.harvest import FIELDS
from layerwise.assignments.cnn_keras.questions import NAME, QUESTIONS
from layerwise.messages import Msg

ASSIGNMENT = Assignment(
    name=NAME,
    title=Msg("Introdução às CNNs no Keras", "Introduction to CNNs in Keras"),
    questions=QUESTIONS,
    make_cases=make_cases,
    student_side="layerwise.assignments.cnn_keras.harvest",
    checkers="layerwise.assignments.cnn_keras.checks",
    fields=FIELDS,
    diagnoses=DIAGNOSES,
    student_inputs=student_inputs,
    picture_reasons=PICTURE_REASONS,
    fast_predict=True,
    preload=("keras", "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont"),
    examples="layerwise.assignments.cnn_keras.examples",
    requirements=keras_requirements.STUDENT,
    grader_requirements=keras_requirements.GRADER,
)
