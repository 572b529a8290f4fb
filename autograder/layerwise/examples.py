"""The bundled example class: the solution, a blank release, and one notebook per known mistake,
each made from the solved notebook by one small, realistic edit. Used by `make demo` and tests."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import nbformat


@dataclass(frozen=True)
class Mutant:
    """A student notebook with one mistake: the edit, and what the grader must say about it."""

    name: str
    old: str
    new: str
    question: str | None
    diagnosis: str | None
    status: str = "graded"


T = "return np.transpose(np.asarray(W), (2, 3, 1, 0)).copy()"
D = "return int((conv_height // pool_size) * (conv_width // pool_size) * n_filters)"
P = 'layers.MaxPooling2D(pool_size=(2, 2), data_format="channels_first", name="max_pool_1")'
LO = "shown = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]"

MUTANTS: tuple[Mutant, ...] = (
    Mutant("reshape", T, "return np.asarray(W).reshape(W.shape[2], W.shape[3], W.shape[1], "
           "W.shape[0])", "kernel_layout", "reshape_instead_of_transpose"),
    Mutant("hw_swapped", T, "return np.transpose(np.asarray(W), (3, 2, 1, 0)).copy()",
           "kernel_layout", "kernel_hw_swapped"),
    Mutant("filter_channel_swapped", T, "return np.transpose(np.asarray(W), (2, 3, 0, 1)).copy()",
           "kernel_layout", "filter_channel_swapped"),
    Mutant("dense_precedence", D,
           "return int(conv_height // pool_size * conv_width // pool_size * n_filters)",
           "dense_size", "dense_precedence"),
    Mutant("dense_no_filters", D, "return int((conv_height // pool_size) * (conv_width // "
           "pool_size))", "dense_size", "dense_no_filters"),
    Mutant("dense_no_pooling", D, "return int(conv_height * conv_width * n_filters)",
           "dense_size", "dense_no_pooling"),
    Mutant("pool_channels_last", P, 'layers.MaxPooling2D(pool_size=(2, 2), name="max_pool_1")',
           "sequential_model", "pooling_channels_last"),
    Mutant("keras2_api", "return keras.Model(inputs=inputs, outputs=outputs)",
           "return keras.Model(input=inputs, output=outputs)", "functional_model", "keras2_api"),
    Mutant("bias_ignored", 'layers.Dense(1, use_bias=use_bias, name="dense_2")',
           'layers.Dense(1, name="dense_2")', "sequential_model", "bias_ignored"),
    Mutant("model_input", "inputs=model.inputs[0]", "inputs=model.input", "layer_outputs",
           "model_input_on_sequential"),
    Mutant("includes_input_layer", LO, "shown = list(model.layers)\n    if not isinstance("
           "model, keras.Sequential):\n        shown = [model.layers[0]] + shown[1:]",
           "layer_outputs", "includes_input_layer"),
    Mutant("layer_missing", LO, LO + "\n    shown = shown[:-1]", "layer_outputs",
           "layer_missing"),
    Mutant("renamed", "def channels_l2f(W):", "def channels_last_to_first(W):", "kernel_layout",
           "function_missing"),
    Mutant("param_no_channels", "conv = k_height * k_width * n_channels * n_filters",
           "conv = k_height * k_width * n_filters", "param_count", "param_channels"),
    Mutant("crash", "import numpy as np\n", "import numpy as np\nimport ctypes\n"
           "ctypes.string_at(0)  # segfault\n", None, None, "crashed"),
    # A loop that swallows the interrupt (KeyboardInterrupt): stopped for good, no grade.
    Mutant("hang", "import numpy as np\n", "import numpy as np\n"
           "while True:  # treina até alguém parar / trains until someone stops it\n"
           "    try:\n        while True:\n            pass\n"
           "    except KeyboardInterrupt:\n        print('continuando / continuing')\n",
           None, None, "timeout"),
    # A loop left in the last cell: interrupted like Jupyter's Interrupt, the answers graded.
    Mutant("stuck_cell", "# Atividade 4 / activity 4\n",
           "# Atividade 4 / activity 4\nwhile True:\n    pass\n", None, None, "graded"),
)


def apply(nb: nbformat.NotebookNode, mutant: Mutant) -> nbformat.NotebookNode:
    out = copy.deepcopy(nb)
    hits = 0
    for cell in out.cells:
        if cell.cell_type == "code" and mutant.old in cell.source:
            cell.source = cell.source.replace(mutant.old, mutant.new, 1)
            cell.outputs, cell.execution_count = [], None
            hits += 1
            break
    if not hits:
        raise ValueError(f"mutant {mutant.name}: text not found in the solution")
    return out


def write_example_class(root: Path) -> list[Path]:
    """autograder/examples/class/: full marks (pt and en), blank, one per mistake, invalid."""
    target = root / "autograder" / "examples" / "class"
    target.mkdir(parents=True, exist_ok=True)
    solution = nbformat.read(root / "solutions" / "cnn_keras.ipynb", as_version=4)
    for cell in solution.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    written = []
    notebooks = {"full_marks": solution}
    en = root / "solutions" / "cnn_keras_en.ipynb"
    if en.is_file():
        notebooks["full_marks_en"] = nbformat.read(en, as_version=4)
    notebooks["blank"] = nbformat.read(root / "release" / "cnn_keras.ipynb", as_version=4)
    notebooks.update({m.name: apply(solution, m) for m in MUTANTS})
    for name, nb in notebooks.items():
        path = target / f"{name}.ipynb"
        nbformat.write(nb, path)
        written.append(path)
    broken = target / "not_a_notebook.ipynb"
    broken.write_text('{"cells": [ this is not JSON')
    written.append(broken)
    return written
