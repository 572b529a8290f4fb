"""The six graded questions: ids, points and the function each one calls (one registry)."""

from __future__ import annotations

from dataclasses import dataclass

ASSIGNMENT = "cnn_keras"
"""The assignment's name: its notebooks, the otter zip, the nbgrader assignment."""


@dataclass(frozen=True)
class Question:
    """A graded question of the assignment."""

    id: str
    points: int
    function: str
    title_pt: str
    title_en: str


QUESTIONS: tuple[Question, ...] = (
    Question("kernel_layout", 15, "channels_l2f", "Formato do kernel", "Kernel layout"),
    Question("dense_size", 15, "dense_input_size", "Tamanho da camada densa", "Dense layer size"),
    Question("sequential_model", 20, "get_cnn_model_Sequential", "Modelo Sequential",
             "Sequential model"),
    Question("functional_model", 20, "get_cnn_model_API", "Modelo da API funcional",
             "Functional model"),
    Question("layer_outputs", 20, "layer_outputs", "Saída de cada camada", "Every layer's output"),
    Question("param_count", 10, "cnn_param_count", "Número de parâmetros", "Parameter count"),
)
BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in QUESTIONS)
MAX_TOTAL: int = sum(q.points for q in QUESTIONS)
FUNCTIONS: tuple[str, ...] = tuple(q.function for q in QUESTIONS)
