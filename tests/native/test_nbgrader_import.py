"""`layerwise nbgrader-import`: a `layerwise grade` run lands in the nbgrader gradebook, question by
question, and `nbgrader export` then gives the run's totals."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import native_runs as nr
import pytest
import typer
from layerwise.cli.nbgrader import nbgrader_import_command
from layerwise.native_paths.nbgrader_gradebook import GradebookImportError, import_run
from typer.testing import CliRunner


@pytest.fixture()
def course(tmp_path: Path) -> Path:
    """A fresh copy of the built course: no gradebook yet, assignment not generated."""
    dest = tmp_path / "course"
    shutil.copytree(nr.COURSE, dest, ignore=shutil.ignore_patterns("gradebook.db", "__pycache__"))
    return dest


def test_import_then_export(graded_class: dict[str, Any], course: Path, tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    run_dir: Path = graded_class["out"]
    mapping = tmp_path / "map.csv"
    mapping.write_text("student,nbgrader_id\nfull_marks,ana\n")
    app = typer.Typer()
    app.command()(nbgrader_import_command)
    result = CliRunner().invoke(app, [str(run_dir), "--course-dir", str(course),
                                      "--student-map", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "recorded assignment cnn_keras" in result.output

    records = {("ana" if s == "full_marks" else s): r for s, r in graded_class["records"].items()}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, rec in records.items():
            for q in rec["questions"]:
                grade = gb.find_grade(f"{q['id']}_tests", "cnn_keras", "cnn_keras", student)
                assert grade.score == pytest.approx(q["score"]), (student, q["id"])
                assert not grade.needs_manual_grade
    nr.nbgrader(course, "export")
    with open(course / "grades.csv", newline="") as fh:
        exported = {row["student_id"]: float(row["score"]) for row in csv.DictReader(fh)}
    assert exported == pytest.approx({s: r["total"] for s, r in records.items()})

    # importing again changes nothing, and keeps a grader's manual score
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.find_grade("dense_size_tests", "cnn_keras", "cnn_keras", "reshape").manual_score = 1.0
        gb.db.commit()
    summary = import_run(run_dir, course, student_map={"full_marks": "ana"})
    assert not summary.created_assignment
    expected = {s: r["total"] for s, r in records.items()}
    expected["reshape"] += 1.0 - 15.0
    assert summary.imported == pytest.approx(expected)


def test_import_into_another_database(graded_class: dict[str, Any], course: Path,
                                      tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    summary = import_run(graded_class["out"], course, db_url=url)
    assert summary.db_url == url and (tmp_path / "elsewhere.db").is_file()
    assert not (course / "gradebook.db").exists()
    assert set(summary.imported) == set(graded_class["records"])
    assert summary.notebook == "cnn_keras"


def test_not_a_run_folder(course: Path, tmp_path: Path) -> None:
    with pytest.raises(GradebookImportError, match=r"no run\.json"):
        import_run(tmp_path, course)
