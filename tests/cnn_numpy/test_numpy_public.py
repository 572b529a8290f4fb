"""The second lesson's public checks (`grader.check(...)`, otter, release/cnn_numpy/tests) pass on
the solution, both editions, and each fails on at least two realistic wrong answers, saying why
in both languages."""

from __future__ import annotations

import contextlib
import io
import tempfile
from typing import Any

import pytest
from layerwise import registry
from layerwise.build.examples import apply, examples_of
from layerwise.examples_spec import Mutant
from numpy_lesson import ROOT, functions, solution

TESTS = ROOT / "release" / "cnn_numpy" / "tests"
MUTANTS, _ = examples_of(registry.get("cnn_numpy"))
BY_NAME = {m.name: m for m in MUTANTS}
EXTRA = {m.name: m for m in (
    Mutant("relu_max", "return np.maximum(np.asarray(Z), 0)", "return np.max(np.asarray(Z), 0)",
           "relu", None),
    Mutant("flatten_ravel", "return P.reshape(P.shape[0], -1)", "return P.ravel()", "flatten",
           None),
    Mutant("dense_bias_axis", "np.asarray(b, dtype=float).reshape(1, -1)",
           "np.asarray(b, dtype=float).reshape(-1, 1)", "dense", None),
    Mutant("sigmoid_sign", "np.exp(-z[pos])", "np.exp(z[pos])", "sigmoid", None),
    Mutant("forward_keys",
           'outputs["max_pool_1"] = maxpool2d_forward(outputs["relu_1"], pool_size=2)\n'
           '    outputs["flat"] = flatten_forward(outputs["max_pool_1"])',
           'outputs["pool_1"] = maxpool2d_forward(outputs["relu_1"], pool_size=2)\n'
           '    outputs["flat"] = flatten_forward(outputs["pool_1"])', "cnn_forward", None),
    Mutant("forward_use_bias",
           "if use_bias:\n        K, b_conv, W_dense, b_dense = weights\n    else:\n"
           "        (K, W_dense), b_conv, b_dense = weights, None, None",
           "K, b_conv, W_dense, b_dense = weights", "cnn_forward", None),
)}
WRONG = {
    "conv2d": ["kernel_flipped", "kernel_fchw", "conv_off_by_one", "conv_bias_last_axis"],
    "relu": ["relu_in_place", "relu_max"],
    "maxpool": ["pool_overlapping", "pool_ceil", "pool_size_fixed"],
    "flatten": ["flatten_hwc", "flatten_ravel"],
    "dense": ["dense_no_bias", "dense_bias_axis"],
    "sigmoid": ["sigmoid_unstable", "sigmoid_int_truncation", "sigmoid_sign"],
    "cnn_forward": ["forward_skips_relu", "forward_keys", "forward_use_bias"],
}


def _check(question: str, env: dict[str, Any]) -> Any:
    import otter

    with tempfile.TemporaryDirectory() as cwd, contextlib.chdir(cwd):  # otter writes .OTTER_LOG
        grader = otter.Notebook(tests_dir=str(TESTS))
        with contextlib.redirect_stdout(io.StringIO()):
            return grader.check(question, global_env=env)


def test_every_question_has_public_checks() -> None:
    assert {p.stem for p in TESTS.glob("*.py")} == set(WRONG)
    assert all(len(names) >= 2 for names in WRONG.values())


@pytest.mark.parametrize("edition", ["cnn_numpy", "cnn_numpy_en"])
@pytest.mark.parametrize("question", list(WRONG))
def test_public_check_passes_on_the_solution(edition: str, question: str) -> None:
    result = _check(question, functions(solution(edition)))
    assert result.passed_all, result


@pytest.mark.parametrize(("question", "mutant"),
                         [(q, m) for q, names in WRONG.items() for m in names])
def test_public_check_fails_on_wrong_answers(question: str, mutant: str) -> None:
    wrong = BY_NAME.get(mutant) or EXTRA[mutant]
    assert wrong.question == question
    result = _check(question, functions(apply(solution(), wrong)))
    assert not result.passed_all
    text = repr(result)
    if "AssertionError" in text:  # the check's own message, in both languages
        assert " / " in text, text
