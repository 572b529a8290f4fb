"""Correct notebooks written the ways students write them get full marks, and what they carry
from elsewhere (Colab's shell escapes, an nbformat 3 file) is handled and explained."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from keras_lesson import MAX_TOTAL
from layerwise.assignments.cnn_keras.examples import STYLES

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "autograder" / "examples" / "cnn_keras"


@pytest.mark.parametrize("style", [s.name for s in STYLES])
def test_correct_style_gets_full_marks(graded_class: dict[str, Any], style: str) -> None:
    rec = graded_class["records"][style]
    lost = {q["id"]: q["case_results"][:1] for q in rec["questions"]
            if q["score"] < q["max_score"]}
    assert (rec["status"], rec["total"]) == ("graded", MAX_TOTAL), (rec["message"], lost)


def test_colab_shell_escapes_are_skipped_at_once_and_explained(graded_class: dict[str, Any]
                                                               ) -> None:
    rec = graded_class["records"]["correct_colab"]
    notes = [n["en"] for n in rec["notes"]]
    assert any("`!pip install -q otter-grader`" in n and "was not run" in n for n in notes), notes
    assert any("`!nvidia-smi`" in n for n in notes), notes
    assert all("pede um comando de shell" in n["pt"] for n in rec["notes"])
    # The first cell is `!pip install`: pip's retries without a network cost ~8 s; skipped,
    # it costs nothing. (A wide margin: this is no benchmark.)
    assert rec["stats"]["cell_s"][0] < 1.0, rec["stats"]["cell_s"]
    html = (graded_class["out"] / "correct_colab" / "feedback.html").read_text()
    assert rec["notes"][0]["pt"].replace("`", "") in html.replace("`", "").replace("&#39;", "'")


def test_nbformat3_notebook_is_upgraded_and_graded(graded_class: dict[str, Any]) -> None:
    on_disk = json.loads((CLASS / "correct_nbformat3.ipynb").read_text())
    assert on_disk["nbformat"] == 3 and "worksheets" in on_disk
    rec = graded_class["records"]["correct_nbformat3"]
    assert rec["status"] == "graded" and rec["language"] == "pt"


def test_run_json_says_fast_predict_was_on(graded_class: dict[str, Any]) -> None:
    info = json.loads((graded_class["out"] / "run.json").read_text())
    assert info["fast_predict"] is True


def test_types_are_named_as_students_write_them(graded_class: dict[str, Any]) -> None:
    """`Sequential`, not `keras.src.models.sequential.Sequential`, in everything a student
    or a TA reads."""
    out = graded_class["out"]
    for student in graded_class["records"]:
        for name in ("grading.json", "results.json", "feedback.html"):
            text = (out / student / name).read_text()
            assert "keras.src" not in text and "tensorflow.python" not in text, (student, name)
    rec = graded_class["records"]["pool_channels_last"]
    seq = next(q for q in rec["questions"] if q["id"] == "sequential_model")
    assert seq["case_results"][0]["expected"].startswith("Sequential,")
    rec = graded_class["records"]["keras2_api"]
    assert any("Functional" in c["expected"] or "Sequential" in c["expected"]
               for q in rec["questions"] for c in q["case_results"])
