"""`layerwise export`: each LMS's own gradebook import format."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from layerwise.lms.export import ExportFormat, export, moodle_rows
from layerwise.lms.run import RunFolderError, StudentResult, load_results
from lms_fakes import cli, student_record, write_run
from typer.testing import CliRunner

CANVAS_HEADER = "Student,ID,SIS User ID,SIS Login ID,Section,cnn_keras (42)"
MOODLE_HEADER = ("Identifier,Full name,Email address,Status,Grade,Maximum Grade,"
                 "Grade can be changed,Last modified (submission),Last modified (grade),"
                 "Feedback comments")
PLAIN_HEADER = ("student,name,lms,lms_user_id,late,status,total,max_total,lms_grade,lms_max,"
                "kernel_layout,"
                "dense_size,sequential_model,functional_model,layer_outputs,param_count,comment")




def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_canvas_gradebook_csv(canvas_run: Path) -> None:
    done = export(load_results(canvas_run), ExportFormat.canvas_csv, canvas_run / "c.csv",
                  assignment_id="42")
    text = lines(done.path)
    assert text[0] == CANVAS_HEADER
    assert text[1] == "    Points Possible,,,,,100"
    assert text[2:] == ["limacarla,103,,,,100", "rochadavi,104,,,,0",
                        "silvaalice,101,,,,85", "souzabruno,102,,,,70.5"]
    assert done.rows == 4
    assert done.left_out == [("plainfile", "no Canvas user id (not from a Canvas download)")]


def test_canvas_without_assignment_id_names_a_new_column(canvas_run: Path) -> None:
    done = export(load_results(canvas_run), ExportFormat.canvas_csv, canvas_run / "c.csv",
                  assignment_name="CNN lab", graded_only=True)
    assert lines(done.path)[0] == "Student,ID,SIS User ID,SIS Login ID,Section,CNN lab"
    assert ("rochadavi_104", "status timeout") in done.left_out


def test_moodle_grading_worksheet(moodle_run: Path) -> None:
    done = export(load_results(moodle_run), ExportFormat.moodle_csv, moodle_run / "m.csv")
    text = lines(done.path)
    assert text[0] == MOODLE_HEADER
    rows = list(csv.reader(text[1:]))
    assert [r[0] for r in rows] == ["Participant 301", "Participant 302", "Participant 303",
                                    "Participant 399"]
    alice = rows[0]
    assert alice[1:8] == ["Alice Silva", "", "Submitted for grading", "85.00", "100.00", "Yes",
                          "-"]
    assert datetime.fromisoformat(alice[8]).tzinfo is not None
    assert alice[9] == "85/100. Resumo de Alice_Silva_301."
    assert rows[2][9] == "100/100. Summary for Carla_Lima_303."  # the notebook's language


def test_moodle_time_is_iso_with_offset() -> None:
    result = StudentResult("A_1", "graded", 12.5, 100, name="A", lms="moodle", lms_user_id="1")
    rows = moodle_rows([result], [], now=datetime(2025, 1, 31, 10, 0, tzinfo=UTC))
    assert rows[1] == ["Participant 1", "A", "", "Submitted for grading", "12.50", "100.00",
                       "Yes", "-", "2025-01-31T10:00:00+00:00", "12.5/100"]


def test_plain_csv(canvas_run: Path) -> None:
    done = export(load_results(canvas_run), ExportFormat.csv, canvas_run / "p.csv")
    text = lines(done.path)
    assert text[0] == PLAIN_HEADER
    row = next(csv.DictReader(text))
    assert row["student"] == "limacarla_103" and row["total"] == "100"
    assert done.rows == 5 and not done.left_out


def test_grading_records_are_the_only_truth(tmp_path: Path) -> None:
    """grades.csv is made from the records and never read back; a record that is not of the
    shape `layerwise grade` writes stops the export, naming the file."""
    run = write_run(tmp_path / "run", [student_record("alice", 60), student_record("bruno", 70)])
    (run / "alice" / "grading.json").unlink()
    assert [r.student for r in load_results(run)] == ["bruno"]
    (run / "bruno" / "grading.json").write_text('{"student": "bruno", "total": "lots"}')
    with pytest.raises(RunFolderError, match=r"bruno/grading\.json"):
        load_results(run)


def test_not_a_run_folder(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError):
        load_results(tmp_path)


def test_export_command(canvas_run: Path) -> None:
    result = CliRunner().invoke(cli(), ["export", str(canvas_run), "--to", "canvas-csv",
                                        "--assignment-id", "42"])
    assert result.exit_code == 0, result.output
    assert lines(canvas_run / "canvas-gradebook.csv")[0] == CANVAS_HEADER
    assert "wrote 4 students" in result.output
    result = CliRunner().invoke(cli(), ["export", str(canvas_run), "--to", "moodle-csv",
                                        "--out", str(canvas_run / "w.csv")])
    assert result.exit_code == 0 and lines(canvas_run / "w.csv") == [MOODLE_HEADER]
    result = CliRunner().invoke(cli(), ["export", str(canvas_run / "nope"), "--to", "csv"])
    assert result.exit_code == 2


def test_exports_carry_the_lms_scale(canvas_run: Path, moodle_run: Path) -> None:
    """Moodle's worksheet import skips grades above the assignment's maximum
    (mod/assign/feedback/offline/locallib.php, "Out of range"), Canvas takes them as extra
    credit: the files are written on the LMS's scale."""
    done = export(load_results(canvas_run), ExportFormat.canvas_csv, canvas_run / "c.csv",
                  assignment_id="42", max_grade=20)
    text = lines(done.path)
    assert text[1] == "    Points Possible,,,,,20"
    assert text[2:] == ["limacarla,103,,,,20", "rochadavi,104,,,,0", "silvaalice,101,,,,17",
                        "souzabruno,102,,,,14.1"]
    done = export(load_results(moodle_run), ExportFormat.moodle_csv, moodle_run / "m.csv",
                  max_grade=10)
    rows = list(csv.reader(lines(done.path)[1:]))
    assert [(r[4], r[5]) for r in rows] == [("8.50", "10.00"), ("7.05", "10.00"),
                                            ("10.00", "10.00"), ("4.00", "10.00")]
    done = export(load_results(canvas_run), ExportFormat.csv, canvas_run / "p.csv", max_grade=20)
    alice = next(r for r in csv.DictReader(lines(done.path)) if r["student"] == "silvaalice_101")
    assert (alice["total"], alice["max_total"], alice["lms_grade"], alice["lms_max"]) == (
        "85", "100", "17", "20")
    with pytest.raises(ValueError, match="positive"):
        export(load_results(canvas_run), ExportFormat.csv, canvas_run / "p.csv", max_grade=0)


def test_export_command_scales_and_warns(canvas_run: Path) -> None:
    result = CliRunner().invoke(cli(), ["export", str(canvas_run), "--to", "canvas-csv",
                                        "--assignment-id", "42", "--max-grade", "20"])
    assert result.exit_code == 0, result.output
    assert "out of 20" in result.output and "pass --max-grade" not in result.output
    assert lines(canvas_run / "canvas-gradebook.csv")[2] == "limacarla,103,,,,20"
    result = CliRunner().invoke(cli(), ["export", str(canvas_run), "--to", "moodle-csv"])
    assert result.exit_code == 0 and "pass --max-grade" in result.output


def test_anonymous_and_team_rows_are_left_out_of_the_gradebook_files(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [
        student_record("anon_x7Kq2", 80, lms="canvas", user_id="anon_x7Kq2"),
        student_record("Grupo_A_17", 80, lms="moodle", user_id="17", name="Grupo A"),
        student_record("Default_group", 80, lms="moodle", user_id="default_team")])
    done = export(load_results(run), ExportFormat.canvas_csv, tmp_path / "c.csv")
    assert done.rows == 0 and "anonymous grading" in dict(done.left_out)["anon_x7Kq2"]
    done = export(load_results(run), ExportFormat.moodle_csv, tmp_path / "m.csv")
    assert done.rows == 0  # with the default team there, 17 is a group id, not a participant
    assert all("a team submission" in dict(done.left_out)[s] for s in ("Grupo_A_17",
                                                                       "Default_group"))
