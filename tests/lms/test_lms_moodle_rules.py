"""Moodle as it really answers: the assignment's maximum, silent drops caught by reading back,
marking workflow, teams, and state to leave alone (see `FakeMoodle` for the source it copies)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layerwise.lms.ledger import ledger_path
from lms_fakes import FakeMoodle, student_record, upload_moodle, write_run


def kept(server: FakeMoodle) -> dict[str, float]:
    """The grades Moodle holds (not merely was sent)."""
    return {u: g.grade for u, g in server.grades.items()}


def ledger(run: Path) -> dict[str, dict]:
    return next(iter(json.loads(ledger_path(run, "moodle").read_text())["targets"].values()))


@pytest.fixture
def trio(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", [
        student_record("Alice_Silva_301", 85, lms="moodle", user_id="301", name="Alice Silva",
                       size=1000),
        student_record("Bruno_Souza_302", 70.5, lms="moodle", user_id="302",
                       name="Bruno Souza", size=1000),
        student_record("Carla_Lima_303", 100, lms="moodle", user_id="303", name="Carla Lima",
                       size=1000)])


def test_grades_go_out_on_the_assignments_maximum(trio: Path,
                                                  moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    server.info["grade"] = 20
    code, output = upload_moodle(trio, url)
    assert code == 0, output
    assert kept(server) == {"501": 17.0, "502": 14.1, "503": 20.0}
    assert "out of 20" in output and "sent 17/20 (85/100 in the run)" in output
    assert (ledger(trio)["Alice_Silva_301"]["sent"], ledger(trio)["Alice_Silva_301"]["lms_max"]
            ) == (17, 20)
    server.info["grade"] = 10  # the teacher changes the maximum: the grades follow
    code, output = upload_moodle(trio, url)
    assert code == 0 and "Moodle scale out of 20 → 10" in output
    assert kept(server) == {"501": 8.5, "502": 7.05, "503": 10.0}


def test_a_grade_moodle_drops_silently_is_caught(trio: Path,
                                                 moodle_server: tuple[FakeMoodle, str]) -> None:
    """The old upload sent 85 to an assignment out of 20: Moodle answered null, kept nothing,
    and the ledger said "sent". Now the save is read back."""
    server, url = moodle_server
    server.info.update(markingworkflow=1)
    server.can_release = False  # a non-editing teacher may not release
    code, output = upload_moodle(trio, url, "--release")
    assert code == 1
    assert kept(server) == {}
    assert "kept no grade instead of 17" not in output  # the scale is read first: 85 of 100
    assert "kept no grade instead of 85" in output and "marking workflow released" in output
    assert all("score" not in e and "refused" in e for e in ledger(trio).values())


def test_marking_workflow_gets_a_valid_state_and_release_releases(
        trio: Path, moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    server.info.update(markingworkflow=1)
    code, output = upload_moodle(trio, url)
    assert code == 0, output
    assert set(server.workflow.values()) == {"readyforreview"}
    assert {calls[-1]["workflowstate"] for calls in server.saved.values()} == {"readyforreview"}
    code, output = upload_moodle(trio, url, "--release")
    assert code == 0 and "release" in output
    assert set(server.workflow.values()) == {"released"}
    assert ledger(trio)["Alice_Silva_301"]["state"] == "released"
    assert "nothing to send" in upload_moodle(trio, url, "--release")[1]


def test_without_marking_workflow_no_state_is_sent(trio: Path,
                                                   moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    assert upload_moodle(trio, url)[0] == 0
    assert {calls[-1]["workflowstate"] for calls in server.saved.values()} == {""}
    assert "graded" not in {c["workflowstate"] for calls in server.saved.values() for c in calls}


@pytest.mark.parametrize(("grade", "words"), [(-3, "graded on a scale (scale 3)"),
                                              (0, "has no grade")])
def test_an_assignment_without_points_is_refused_before_sending(
        trio: Path, moodle_server: tuple[FakeMoodle, str], grade: int, words: str) -> None:
    server, url = moodle_server
    server.info["grade"] = grade
    code, output = upload_moodle(trio, url)
    assert code == 2 and words in output and "nothing was sent" in output
    assert server.saved == {}


def test_an_assignment_in_a_course_the_token_is_not_enrolled_in(
        trio: Path, moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    server.enrolled = False
    code, output = upload_moodle(trio, url)
    assert code == 2 and "pass --course" in output
    code, output = upload_moodle(trio, url, "--course", "3")
    assert code == 0, output
    assert len(kept(server)) == 3


def test_teams_are_graded_through_one_member_for_all(tmp_path: Path,
                                                     moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    server.info["teamsubmission"] = 1
    server.groups = {"501": (17, "Grupo A"), "502": (17, "Grupo A")}  # 503, 504: no group
    run = write_run(tmp_path / "run", [
        student_record("Grupo_A_17", 90, lms="moodle", user_id="17", name="Grupo A"),
        student_record("Default_group", 40, lms="moodle", user_id="default_team",
                       name="Default group")])
    code, output = upload_moodle(run, url)
    assert code == 0, output
    assert kept(server) == {"501": 90.0, "502": 90.0, "503": 40.0, "504": 40.0}
    assert sorted(server.saved) == ["501", "503"]
    assert all(c["applytoall"] == "1" for calls in server.saved.values() for c in calls)
    assert "team submissions" in output


def test_hand_graded_and_resubmitted_are_left_alone_unless_forced(
        trio: Path, moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    from lms_fakes import MoodleGrade

    server.grades["501"] = MoodleGrade(42.0, 5)  # graded by hand before the upload
    server.files = {"502": [("cnn_keras.ipynb", 2222)],  # resubmitted: 1000 bytes were graded
                    "503": [("cnn_keras.ipynb", 1000)]}
    code, output = upload_moodle(trio, url)
    assert code == 0, output
    assert kept(server) == {"501": 42.0, "503": 100.0}
    assert "already graded in Moodle (42)" in output and "resubmitted after the download" in output
    assert "left_alone" in ledger(trio)["Bruno_Souza_302"]
    code, output = upload_moodle(trio, url, "--force")
    assert code == 0 and kept(server) == {"501": 85.0, "502": 70.5, "503": 100.0}
