"""The example class, graded once: statuses, scores, and every output file's shape."""

from __future__ import annotations

import csv
import json
from typing import Any

from keras_lesson import MAX_TOTAL, QUESTION_IDS


def test_full_marks_and_blank(graded_class: dict[str, Any]) -> None:
    records = graded_class["records"]
    assert records["full_marks"]["total"] == MAX_TOTAL
    assert records["full_marks_en"]["total"] == MAX_TOTAL
    assert records["full_marks_en"]["language"] == "en"
    assert records["blank"]["status"] == "graded"
    assert records["blank"]["total"] == 0
    blank = records["blank"]["questions"][0]
    assert any(d["code"] == "not_implemented" for d in blank["diagnoses"]) or \
        "not_implemented" in {c["diagnosis"] for c in blank["case_results"]}


def test_bad_submissions_get_a_status_and_the_rest_is_graded(graded_class: dict[str, Any]
                                                             ) -> None:
    records = graded_class["records"]
    assert records["crash"]["status"] == "crashed"
    assert "signal" in records["crash"]["message"]
    assert records["hang"]["status"] == "timeout"
    assert records["not_a_notebook"]["status"] == "invalid"
    for name in ("crash", "hang", "not_a_notebook"):
        assert records[name]["total"] == 0
        assert records[name]["message"]


def test_grades_csv(graded_class: dict[str, Any]) -> None:
    out = graded_class["out"]
    with open(out / "grades.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["student", "status", "total", "max_total", *QUESTION_IDS]
    assert {r["student"] for r in rows} == set(graded_class["records"])
    full = next(r for r in rows if r["student"] == "full_marks")
    assert float(full["total"]) == MAX_TOTAL


GRADESCOPE_TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
                  "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
                  "leaderboard"}
GRADESCOPE_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
                   "output_format", "tags", "visibility", "extra_data"}
"""The fields of Gradescope's specification (gradescope-autograders.readthedocs.io/.../specs/)."""


def test_gradescope_results_schema(graded_class: dict[str, Any]) -> None:
    """One visible test per question (in order, diagnoses as tags, the explanation in the
    notebook's language and the other below it) and one after_published test of its hidden
    cases; the score adds up; extra_data says which seed and solution."""
    out = graded_class["out"]
    data = json.loads((out / "reshape" / "results.json").read_text())
    assert set(data) <= GRADESCOPE_TOP and {"score", "tests", "extra_data"} <= set(data)
    assert all(set(t) <= GRADESCOPE_TEST for t in data["tests"])
    visible = [t for t in data["tests"] if t["visibility"] == "visible"]
    hidden = [t for t in data["tests"] if t["visibility"] == "after_published"]
    assert [t["number"] for t in visible] == [f"{i}.1" for i in range(1, len(QUESTION_IDS) + 1)]
    assert len(hidden) == len(QUESTION_IDS) and all(t["max_score"] == 0 for t in hidden)
    layout = visible[0]
    assert "(kernel_layout)" in layout["name"] and layout["status"] == "failed"
    assert layout["tags"] == ["reshape_instead_of_transpose"]
    assert layout["output"].index("reshape") < layout["output"].index("<details>")
    assert "Used reshape" in layout["output"]  # the English text, below
    assert data["score"] == sum(t["score"] for t in data["tests"]) == 85
    assert data["extra_data"]["seed"] == 2026 and data["extra_data"]["solution_hash"]


def test_gradescope_hidden_details_wait_for_publishing(graded_class: dict[str, Any]) -> None:
    """A failing drawn question: its public case drawn in the visible test, the hidden cases'
    details only in the after_published one."""
    data = json.loads((graded_class["out"] / "pool_channels_last" / "results.json").read_text())
    sequential = [t for t in data["tests"] if "(sequential_model)" in t["name"]]
    visible, hidden = sorted(sequential, key=lambda t: t["number"])
    assert visible["visibility"] == "visible" and "hidden-" not in visible["output"]
    assert "data:image/png;base64," in visible["output"]
    assert hidden["visibility"] == "after_published" and "hidden-" in hidden["output"]


def test_stuck_cell_is_interrupted_and_the_rest_graded(graded_class: dict[str, Any]) -> None:
    """A loop in the last cell: interrupted (as Jupyter's Interrupt does), answers graded.
    `hang` swallows the interrupt and is stopped for good."""
    rec = graded_class["records"]["stuck_cell"]
    assert (rec["status"], rec["total"]) == ("graded", MAX_TOTAL), rec["message"]
    assert "was interrupted" in rec["message"] and "12 s" in rec["message"]
    [error] = rec["cell_errors"]
    assert error["ename"] == "KeyboardInterrupt" and "interrupted after 12 s" in error["evalue"]
    assert "ran longer than 12 s" in graded_class["records"]["hang"]["message"]
    # The student reads why, in both languages: in grading.json, feedback.html, results.json.
    [note] = rec["notes"]
    assert "foi interrompida" in note["pt"] and "was interrupted" in note["en"]
    html = (graded_class["out"] / "stuck_cell" / "feedback.html").read_text()
    assert note["pt"] in html
    [hang] = graded_class["records"]["hang"]["notes"]
    assert "ignorou a interrupção" in hang["pt"] and "ignored the interrupt" in hang["en"]
    results = json.loads((graded_class["out"] / "hang" / "results.json").read_text())
    assert hang["pt"] in results["output"]


def test_cell_errors_recorded_and_time_split(graded_class: dict[str, Any]) -> None:
    """The child draws no tracebacks, yet each failing cell is recorded by name; each
    submission's time is split into its cells, its functions and the harness around them."""
    records = graded_class["records"]
    errors = records["keras2_api"]["cell_errors"]
    assert errors and errors[0]["ename"] == "ValueError" and "input" in errors[0]["evalue"]
    assert records["full_marks"]["cell_errors"] == []
    for name in ("full_marks", "keras2_api", "blank"):
        stats = records[name]["stats"]
        assert abs(stats["student_s"] - (stats["cells_s"] + stats["calls_s"])) < 0.002
        assert 0 < stats["calls_s"] <= stats["harness_s"] <= stats["wall"]


def test_run_json(graded_class: dict[str, Any]) -> None:
    info = json.loads((graded_class["out"] / "run.json").read_text())
    assert info["seed"] == 2026 and info["complete"] is True
    assert set(info["versions"]) >= {"python", "keras", "numpy", "layerwise"}
    assert len(info["solution_hash"]) == 16
    assert "sandbox" in info and "timings" in info


def test_feedback_is_bilingual_with_layer_pictures(graded_class: dict[str, Any]) -> None:
    html = (graded_class["out"] / "pool_channels_last" / "feedback.html").read_text()
    assert "channels_first" in html
    assert "nada avisa" in html and "nothing warns you" in html


def test_feedback_says_why_a_wrong_dict_has_no_pictures(graded_class: dict[str, Any]) -> None:
    """layer_missing returns a dict without a layer: its layer_outputs section explains that the
    outputs were not compared layer by layer; a correct notebook's section has no such box."""
    import re

    def section(student: str, question: str) -> str:
        html = (graded_class["out"] / student / "feedback.html").read_text()
        found = re.search(rf'<section id="q-{question}">(.*?)</section>', html, re.S)
        assert found, (student, question)
        return found.group(1)

    wrong = section("layer_missing", "layer_outputs")
    assert 'class="why"' in wrong and "não foram comparadas camada a camada" in wrong
    assert "0/20" in wrong
    assert 'class="why"' not in section("full_marks", "layer_outputs")
