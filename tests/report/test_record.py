"""The grading record has one type (`runfolder.GradingRecord`): `student.record` builds it,
`runfolder.write_record` writes it, `runfolder.read_record` reads it back unchanged, and the LMS's
view (`lms.run.load_results`) is taken from that typed record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keras_lesson import ASSIGNMENT
from layerwise.lms.run import load_results
from layerwise.report.runfolder import (
    RECORD_FILE,
    RunFolderError,
    read_record,
    read_records,
    record_problem,
    write_record,
)
from layerwise.report.student import record
from layerwise.status import Status


def _built(student: str, status: Status = Status.invalid) -> dict[str, object]:
    built = record(ASSIGNMENT, student, status, "not a notebook", {"lms": "canvas",
                   "lms_user_id": "101", "name": "Ana", "size": 12}, "en", None, [], {})
    return dict(built)


def test_a_built_record_round_trips_through_the_run_folder(tmp_path: Path) -> None:
    built = record(ASSIGNMENT, "ana", Status.invalid, "not a notebook",
                   {"lms": "canvas", "lms_user_id": "101", "name": "Ana", "size": 12}, "en",
                   None, [], {})
    assert record_problem(built) is None
    folder = tmp_path / "ana"
    folder.mkdir()
    path = write_record(folder, built)
    assert path == folder / RECORD_FILE and not list(folder.glob("*.part"))
    assert read_record(path) == json.loads(json.dumps(built))
    assert [r["student"] for r in read_records(tmp_path)] == ["ana"]
    (result,) = load_results(tmp_path)
    assert (result.student, result.status, result.total, result.max_total) == (
        "ana", "invalid", 0.0, ASSIGNMENT.max_total)
    assert (result.lms, result.lms_user_id, result.name, result.size, result.language) == (
        "canvas", "101", "Ana", 12, "en")
    assert result.questions == {q: 0.0 for q in ASSIGNMENT.question_ids}
    assert result.comment() == built["summary"]["en"]


def test_a_record_of_another_shape_is_refused_in_one_line(tmp_path: Path) -> None:
    broken = _built("bruno")
    del broken["identity"]
    folder = tmp_path / "bruno"
    folder.mkdir()
    (folder / RECORD_FILE).write_text(json.dumps(broken))
    with pytest.raises(RunFolderError, match="'identity' is missing") as refused:
        load_results(tmp_path)
    assert "\n" not in str(refused.value)
