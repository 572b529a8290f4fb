"""The seven graded questions of "A mesma CNN em NumPy, camada por camada": ids, points, the
function each one calls, its case list, and whether failures are drawn map by map."""

from __future__ import annotations

from layerwise.assignment import Question
from layerwise.messages import Msg

NAME = "cnn_numpy"

QUESTIONS: tuple[Question, ...] = (
    Question("conv2d", 25, "conv2d_forward", Msg("Convolução", "Convolution"), "conv",
             draws=True),
    Question("relu", 5, "relu_forward", Msg("ReLU", "ReLU"), "relu", draws=True),
    Question("maxpool", 15, "maxpool2d_forward", Msg("Max pooling", "Max pooling"), "pool",
             draws=True),
    Question("flatten", 10, "flatten_forward", Msg("Flatten", "Flatten"), "flatten"),
    Question("dense", 10, "dense_forward", Msg("Camada densa", "Dense layer"), "dense"),
    Question("sigmoid", 10, "sigmoid_forward", Msg("Sigmoide estável", "Stable sigmoid"),
             "sigmoid"),
    Question("cnn_forward", 25, "cnn_forward",
             Msg("A rede inteira, camada por camada", "The whole network, layer by layer"),
             "forward", draws=True),
)

LAYERS: tuple[tuple[str, str], ...] = (
    ("conv_1", "conv2d_forward"), ("relu_1", "relu_forward"),
    ("max_pool_1", "maxpool2d_forward"), ("flat", "flatten_forward"),
    ("dense_2", "dense_forward"), ("sigmoid_2", "sigmoid_forward"),
)
"""The network's layers (the names `cnn_forward` returns, the first lesson's Sequential model's)
and the function that computes each."""

ARGUMENTS: dict[str, tuple[str, ...]] = {
    "conv2d": ("X", "K", "b"), "relu": ("Z",), "maxpool": ("A",), "flatten": ("P",),
    "dense": ("x", "W", "b"), "sigmoid": ("z",),
}
"""Per layer question, its function's array arguments in order: the keys of its cases (an
argument a case sets to None is left out of the call, so its default is used)."""
KEYWORDS: dict[str, tuple[str, ...]] = {"maxpool": ("pool_size",)}
"""Arguments passed by keyword (left out when the case sets them to None)."""
