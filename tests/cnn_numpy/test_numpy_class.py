"""`layerwise grade` on the second lesson's example class: full marks for the solution (both
editions) and the students' styles, nothing for the blank notebook, and each known mistake named
and costing only its own question; its feedback draws the first diverging layer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from layerwise import registry
from layerwise.build.examples import examples_of

ASSIGNMENT = registry.get("cnn_numpy")
MUTANTS, STYLES = examples_of(ASSIGNMENT)
GRADED = [m for m in MUTANTS if m.status == "graded" and m.question]
CORRECT = ["full_marks", "full_marks_en", *(s.name for s in STYLES)]


def _scores(rec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in rec["questions"]}


def _section(html: str, question: str) -> str:
    """The feedback page's section of one question."""
    match = re.search(rf'<section id="q-{question}">(.*?)</section>', html, re.S)
    assert match, f"no section for {question}"
    return match.group(1)


def test_the_whole_class_is_graded(numpy_class: dict[str, Any]) -> None:
    expected = {*CORRECT, "blank", "not_a_notebook", *(m.name for m in MUTANTS)}
    assert set(numpy_class["records"]) == expected
    assert numpy_class["info"]["assignment"] == "cnn_numpy"


@pytest.mark.parametrize("student", CORRECT)
def test_correct_notebooks_get_full_marks(numpy_class: dict[str, Any], student: str) -> None:
    rec = numpy_class["records"][student]
    assert rec["status"] == "graded", rec["message"]
    assert rec["total"] == ASSIGNMENT.max_total == 100, rec["summary"]


def test_english_edition_is_graded_in_english(numpy_class: dict[str, Any]) -> None:
    assert numpy_class["records"]["full_marks_en"]["language"] == "en"
    html = (numpy_class["out"] / "full_marks_en" / "feedback.html").read_text()
    assert '<html lang="en">' in html and "Stable sigmoid" in html


def test_blank_gets_nothing(numpy_class: dict[str, Any]) -> None:
    rec = numpy_class["records"]["blank"]
    assert rec["status"] == "graded" and rec["total"] == 0
    assert all("not_implemented" in {d["code"] for d in q["diagnoses"]} for q in rec["questions"])


def test_not_a_notebook_is_invalid(numpy_class: dict[str, Any]) -> None:
    assert numpy_class["records"]["not_a_notebook"]["status"] == "invalid"


@pytest.mark.parametrize("mutant", GRADED, ids=[m.name for m in GRADED])
def test_mutant_is_diagnosed_and_costs_only_its_question(numpy_class: dict[str, Any],
                                                         mutant: Any) -> None:
    rec = numpy_class["records"][mutant.name]
    assert rec["status"] == "graded", rec["message"]
    scores = _scores(rec)
    target = scores[mutant.question]
    assert target["score"] < target["max_score"]
    codes = {d["code"] for d in target["diagnoses"]}
    assert mutant.diagnosis in codes, (mutant.name, codes, target["case_results"][:2])
    others = {q: s["score"] for q, s in scores.items()
              if q != mutant.question and s["score"] < s["max_score"]}
    assert not others, others


def test_unstable_sigmoid_fails_on_warnings_with_right_values(
        numpy_class: dict[str, Any]) -> None:
    """1 / (1 + exp(-z)) gives the right numbers at z = -1000, with an overflow: it still fails."""
    cases = _scores(numpy_class["records"]["sigmoid_unstable"])["sigmoid"]["case_results"]
    failing = [c for c in cases if not c["passed"]]
    assert failing and all(c["diagnosis"] == "sigmoid_unstable" for c in failing)
    assert any("overflow" in c["problem"]["en"] for c in failing)
    assert [c["case"] for c in cases if c["passed"]] == ["seed"]  # no extreme value there


def test_conv_mutant_feedback_draws_the_diverging_layer(numpy_class: dict[str, Any]) -> None:
    html = (numpy_class["out"] / "kernel_flipped" / "feedback.html").read_text()
    section = _section(html, "conv2d")
    assert section.count("<img") >= 2 and "conv_1" in section  # expected and given maps
    assert "correlação cruzada" in section  # the diagnosis, in the notebook's language
    assert "<img" not in _section(html, "cnn_forward")  # graded on its own: it passed


def test_forward_mutant_feedback_names_and_draws_its_first_diverging_layer(
        numpy_class: dict[str, Any]) -> None:
    rec = numpy_class["records"]["forward_skips_relu"]
    failing = [c for c in _scores(rec)["cnn_forward"]["case_results"] if not c["passed"]]
    assert failing and {c["layer"] for c in failing} == {"max_pool_1"}
    section = _section((numpy_class["out"] / "forward_skips_relu" / "feedback.html").read_text(),
                       "cnn_forward")
    assert "<img" in section and "max_pool_1" in section


def test_dashboard_renders(numpy_class: dict[str, Any]) -> None:
    html = (numpy_class["out"] / "index.html").read_text()
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "kernel_flipped" in html and "conv2d" in html and "cnn_forward" in html


def test_cli_lists_the_assignment() -> None:
    from layerwise.cli import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["assignments"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "cnn_numpy" in result.output and "cnn_keras" in result.output
