"""The six graded questions of "Introdução às CNNs no Keras": ids, points, the function each one
calls, its case list, and whether failures are drawn layer by layer."""

from __future__ import annotations

from layerwise.assignment import Question
from layerwise.messages import Msg

NAME = "cnn_keras"

QUESTIONS: tuple[Question, ...] = (
    Question("kernel_layout", 15, "channels_l2f", Msg("Formato do kernel", "Kernel layout"),
             "kernel_layout"),
    Question("dense_size", 15, "dense_input_size",
             Msg("Tamanho da camada densa", "Dense layer size"), "dense_size"),
    Question("sequential_model", 20, "get_cnn_model_Sequential",
             Msg("Modelo Sequential", "Sequential model"), "models", draws=True),
    Question("functional_model", 20, "get_cnn_model_API",
             Msg("Modelo da API funcional", "Functional model"), "models", draws=True),
    Question("layer_outputs", 20, "layer_outputs",
             Msg("Saída de cada camada", "Every layer's output"), "probes", draws=True),
    Question("param_count", 10, "cnn_param_count", Msg("Número de parâmetros", "Parameter count"),
             "param_count"),
)
