"""Canvas as it really answers: per-student refusals, the assignment's scale, state to leave
alone, anonymous grading and group assignments (see `FakeCanvas` for the source it copies)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layerwise.lms.ledger import ledger_path
from lms_fakes import (
    ASSIGNMENT,
    COURSE,
    CanvasSubmission,
    FakeCanvas,
    Reply,
    student_record,
    upload_canvas,
    write_run,
)

pytestmark = pytest.mark.filterwarnings("ignore:Canvas may respond unexpectedly")






def ledger(run: Path) -> dict[str, dict]:
    data = json.loads(ledger_path(run, "canvas").read_text())
    return next(iter(data["targets"].values()))


def puts(server: FakeCanvas) -> list[str]:
    return [r.path for r in server.seen if r.method == "PUT"]


def class_of(tmp_path: Path, users: dict[str, float], **extra: str) -> Path:
    return write_run(tmp_path / "run", [
        student_record(f"s_{u}", total, lms="canvas", user_id=u, name=f"s{u}", **extra)
        for u, total in users.items()])


def test_a_student_canvas_will_not_let_us_grade_does_not_stop_the_class(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    """401 without WWW-Authenticate is about this student (not assigned), not the token."""
    server, url = canvas_server
    server.not_assigned = {"102"}
    run = class_of(tmp_path, {"101": 80, "102": 70, "103": 60})
    code, output = upload_canvas(run, url)
    assert code == 1
    assert server.grades == {"101": ["80"], "103": ["60"]}
    assert "s_102" in output and "not authorized for this student (401" in output
    assert "user not authorized to perform that action" in output
    entries = ledger(run)
    assert "score" not in entries["s_102"] and "401" in entries["s_102"]["refused"]["reason"]
    code, output = upload_canvas(run, url)  # a rerun tries that student again, and only them
    assert code == 1 and "2 students unchanged" in output
    assert "new (last time refused" in output
    server.not_assigned = set()
    assert upload_canvas(run, url)[0] == 0 and server.grades["102"] == ["70"]


@pytest.mark.parametrize("status", [400, 403, 404])
def test_other_refusals_are_per_student(tmp_path: Path, canvas_server: tuple[FakeCanvas, str],
                                        status: int) -> None:
    server, url = canvas_server
    server.refuse = {"101": Reply(status, {"errors": [{"message": f"no ({status})"}]})}
    run = class_of(tmp_path, {"101": 80, "102": 70})
    code, output = upload_canvas(run, url)
    assert code == 1 and f"({status})" in output
    assert server.grades == {"102": ["70"]}
    assert "refused" in ledger(run)["s_101"]


def test_a_token_revoked_mid_class_stops_the_upload(tmp_path: Path,
                                                    canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    server.refuse = {"102": Reply(401, {"errors": [{"message": "Invalid access token."}]},
                                  {"WWW-Authenticate": 'Bearer realm="canvas-lms"'})}
    run = class_of(tmp_path, {"101": 80, "102": 70, "103": 60})
    code, output = upload_canvas(run, url)
    assert code == 1 and "stopped: Canvas refused the token (401)" in output
    assert server.grades == {"101": ["80"]}
    assert "2 students not attempted" in output


def test_totals_go_out_on_the_assignments_points_and_a_new_scale_resends(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    server.assignment["points_possible"] = 20
    run = class_of(tmp_path, {"101": 85, "102": 70.5, "103": 100})
    code, output = upload_canvas(run, url)
    assert code == 0, output
    assert server.grades == {"101": ["17"], "102": ["14.1"], "103": ["20"]}
    assert "out of 20 points" in output and "sent 17/20 (85/100 in the run)" in output
    entry = ledger(run)["s_101"]
    assert (entry["score"], entry["max_total"], entry["sent"], entry["lms_max"]) == (
        85, 100, 17, 20)
    before = len(puts(server))
    code, output = upload_canvas(run, url)  # same scale: nothing to send
    assert code == 0 and "nothing to send (the Canvas scale is unchanged)" in output
    assert len(puts(server)) == before
    server.assignment["points_possible"] = 30
    code, output = upload_canvas(run, url)
    assert code == 0 and "Canvas scale out of 20 → 30" in output
    assert server.grades["101"] == ["17", "25.5"] and len(server.comments["101"]) == 1


@pytest.mark.parametrize(("change", "words"), [
    ({"grading_type": "pass_fail"}, "graded 'pass_fail', not on points"),
    ({"grading_type": "not_graded"}, "graded 'not_graded'"),
    ({"points_possible": 0}, "worth 0 points"),
    ({"moderated_grading": True, "grades_published": False}, "moderated"),
])
def test_an_assignment_that_takes_no_points_is_refused_before_sending(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str], change: dict, words: str) -> None:
    server, url = canvas_server
    server.assignment.update(change)
    code, output = upload_canvas(class_of(tmp_path, {"101": 80}), url)
    assert code == 2 and words in output and "nothing was sent" in output
    assert puts(server) == []


def test_excused_resubmitted_and_hand_graded_are_left_alone_unless_forced(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    server.submissions = {
        "101": CanvasSubmission(excused=True),
        "102": CanvasSubmission(attachments=[6002]),  # resubmitted: 5002 was downloaded
        "103": CanvasSubmission(score=9.0),  # graded by a TA in SpeedGrader
        "104": CanvasSubmission(score=50.0, grade_matches_current_submission=False),
        "105": CanvasSubmission(attachments=[5005]),
    }
    server.users |= {"105"}
    run = write_run(tmp_path / "run", [
        student_record(f"s_{u}", 80, lms="canvas", user_id=u, name=f"s{u}", file_id=f"500{u[-1]}")
        for u in ("101", "102", "103", "104", "105")])
    code, output = upload_canvas(run, url)
    assert code == 0, output
    assert server.grades == {"105": ["80"]}
    assert "excused in Canvas" in output and "resubmitted after the download" in output
    assert "already graded in Canvas (9)" in output and "resubmitted since it was last" in output
    assert "left alone 4" in output
    assert server.sub("101").excused and server.sub("103").score == 9.0
    assert set(ledger(run)["s_101"]) == {"left_alone"}
    code, output = upload_canvas(run, url, "--force")
    assert code == 0, output
    assert {u: g for u, g in server.grades.items()} == {u: ["80"] for u in
                                                      ("101", "102", "103", "104", "105")}
    assert not server.sub("101").excused


def test_a_grade_this_upload_sent_is_not_a_hand_made_one(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    run = class_of(tmp_path, {"101": 80})
    assert upload_canvas(run, url)[0] == 0
    record = student_record("s_101", 90, lms="canvas", user_id="101", name="s101")
    (run / "s_101" / "grading.json").write_text(json.dumps(record))
    assert upload_canvas(run, url)[0] == 0 and server.grades["101"] == ["80", "90"]
    server.sub("101").score = 95.0  # a TA changes it by hand
    record["total"] = 70.0
    (run / "s_101" / "grading.json").write_text(json.dumps(record))
    code, output = upload_canvas(run, url)
    assert code == 0 and "already graded in Canvas (95)" in output
    assert server.grades["101"] == ["80", "90"]


def test_anonymous_grading_goes_through_anonymous_submissions(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    server.submissions = {"101": CanvasSubmission(anonymous_id="x7Kq2"),
                          "102": CanvasSubmission(anonymous_id="Ab3dE")}
    run = write_run(tmp_path / "run", [
        student_record("anon_x7Kq2", 80, lms="canvas", user_id="anon_x7Kq2", name="anon_x7Kq2"),
        student_record("anon_Ab3dE", 60, lms="canvas", user_id="anon_Ab3dE",
                       name="anon_Ab3dE")])
    code, output = upload_canvas(run, url)
    assert code == 0, output
    assert server.grades == {"101": ["80"], "102": ["60"]}
    assert sorted(puts(server)) == [
        f"/api/v1/courses/{COURSE}/assignments/{ASSIGNMENT}/anonymous_submissions/Ab3dE",
        f"/api/v1/courses/{COURSE}/assignments/{ASSIGNMENT}/anonymous_submissions/x7Kq2"]
    assert ledger(run)["anon_x7Kq2"]["ref"] == "anon_x7Kq2"


def test_a_group_assignment_comments_to_the_whole_group(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    server.assignment["group_category_id"] = 55
    server.submissions = {u: CanvasSubmission(group="g1") for u in ("101", "102", "103")}
    run = write_run(tmp_path / "run", [
        student_record("grupo1_101", 80, lms="canvas", user_id="101", name="grupo1")])
    code, output = upload_canvas(run, url)
    assert code == 0 and "group assignment" in output
    put = next(r for r in server.seen if r.method == "PUT")
    assert put.form["comment[group_comment]"] == "true"
    assert server.grades == {u: ["80"] for u in ("101", "102", "103")}
    assert server.comments == {u: ["80/100. Resumo de grupo1_101."] for u in
                               ("101", "102", "103")}


def test_dry_run_says_grades_are_scaled_when_sent(canvas_run: Path,
                                                  canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    code, output = upload_canvas(canvas_run, url, "--dry-run", token="")
    assert code == 0 and "scaled to the Canvas assignment's maximum" in output
    assert server.seen == []
