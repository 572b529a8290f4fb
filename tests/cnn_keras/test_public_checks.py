"""The public checks students run (`grader.check(...)`, otter, release/tests) pass on the solution
and fail, with a message, on at least two realistic wrong answers per question."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import nbformat
import pytest
from layerwise.assignments.cnn_keras.examples import MUTANTS
from layerwise.build.examples import apply
from layerwise.examples_spec import Mutant

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "release" / "cnn_keras"
BY_NAME = {m.name: m for m in MUTANTS}
EXTRA = {
    "api_pool_channels_last": Mutant(
        "api_pool_channels_last",
        'layers.MaxPooling2D(pool_size=(2, 2), data_format="channels_first", name="max_pool1")',
        'layers.MaxPooling2D(pool_size=(2, 2), name="max_pool1")', "functional_model", None),
    "param_bias_always": Mutant(
        "param_bias_always", "(n_filters if use_bias else 0)", "n_filters", "param_count", None),
}
WRONG = {
    "kernel_layout": ["reshape", "hw_swapped", "filter_channel_swapped"],
    "dense_size": ["dense_precedence", "dense_no_filters", "dense_no_pooling"],
    "sequential_model": ["pool_channels_last", "bias_ignored"],
    "functional_model": ["keras2_api", "api_pool_channels_last"],
    "layer_outputs": ["model_input", "includes_input_layer", "layer_missing"],
    "param_count": ["param_no_channels", "param_bias_always"],
}


def _env(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The notebook's imports and function definitions (not its demo cells)."""
    env: dict[str, Any] = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.source.lstrip().startswith(("import", "def"))
                                         and "grader" not in cell.source):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(cell.source, "<cell>", "exec"), env)
    return env


def _check(question: str, env: dict[str, Any]) -> Any:
    import tempfile

    import otter

    with tempfile.TemporaryDirectory() as cwd, contextlib.chdir(cwd):  # otter writes .OTTER_LOG
        grader = otter.Notebook(tests_dir=str(RELEASE / "tests"))
        with contextlib.redirect_stdout(io.StringIO()):
            return grader.check(question, global_env=env)


@pytest.fixture(scope="module", params=["cnn_keras", "cnn_keras_en"])
def solution(request: pytest.FixtureRequest) -> nbformat.NotebookNode:
    """Both editions: Portuguese and English share the code and the public checks."""
    return nbformat.read(ROOT / "solutions" / f"{request.param}.ipynb", as_version=4)


@pytest.mark.parametrize("question", list(WRONG))
def test_public_check_passes_on_the_solution(solution: nbformat.NotebookNode,
                                             question: str) -> None:
    result = _check(question, _env(solution))
    assert result.passed_all, result


@pytest.mark.parametrize(("question", "mutant"),
                         [(q, m) for q, names in WRONG.items() for m in names])
def test_public_check_fails_on_wrong_answers(solution: nbformat.NotebookNode, question: str,
                                             mutant: str) -> None:
    env = _env(apply(solution, BY_NAME.get(mutant) or EXTRA[mutant]))
    result = _check(question, env)
    assert not result.passed_all
    assert "/" in repr(result) or str(result)  # a message in both languages is shown
