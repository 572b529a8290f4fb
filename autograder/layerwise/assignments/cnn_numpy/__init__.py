"""A mesma CNN em NumPy, camada por camada / The same CNN in NumPy, layer by layer: the first
lesson's sequel. Students write the forward pass of its network by hand (convolution, ReLU, max
pooling, flatten, dense, sigmoid, the whole network) and hold it against Keras layer by layer;
registered as the assignment `cnn_numpy`."""

from __future__ import annotations

from layerwise.assignment import Assignment
from layerwise.assignments import keras_requirements
from layerwise.assignments.cnn_numpy.cases import make_cases
from layerwise.assignments.cnn_numpy.diagnoses import DIAGNOSES, PICTURE_REASONS
from layerwise.assignments.cnn_numpy.harvest import FIELDS
from layerwise.assignments.cnn_numpy.questions import NAME, QUESTIONS
from layerwise.messages import Msg

ASSIGNMENT = Assignment(
    name=NAME,
    title=Msg("A mesma CNN em NumPy, camada por camada", "The same CNN in NumPy, layer by layer"),
    questions=QUESTIONS,
    make_cases=make_cases,
    student_side="layerwise.assignments.cnn_numpy.harvest",
    checkers="layerwise.assignments.cnn_numpy.checks",
    fields=FIELDS,
    diagnoses=DIAGNOSES,
    picture_reasons=PICTURE_REASONS,
    fast_predict=False,
    # The students' functions are NumPy, but every notebook ends by importing Keras to compare:
    # imported once per worker, not once per submission (11-15 s each on a loaded machine).
    preload=("keras", "matplotlib.pyplot"),
    examples="layerwise.assignments.cnn_numpy.examples",
    requirements=keras_requirements.STUDENT,
    grader_requirements=keras_requirements.GRADER,
)
