"""`layerwise upload canvas` against a local Canvas (real canvasapi, real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layerwise.lms.canvas import CanvasSender, target
from layerwise.lms.ledger import Ledger, ledger_path
from layerwise.lms.retry import AuthError, Backoff
from layerwise.lms.run import load_results
from layerwise.lms.upload import plan, send_all
from lms_fakes import (
    ASSIGNMENT,
    CANVAS_TOKEN,
    COURSE,
    FakeCanvas,
    student_record,
    upload_canvas,
    write_run,
)

pytestmark = pytest.mark.filterwarnings("ignore:Canvas may respond unexpectedly")

SENT = {"101": ["85"], "102": ["70.5"], "103": ["100"], "104": ["0"]}






def ledger_all(run: Path) -> dict[str, dict]:
    path = ledger_path(run, "canvas")
    if not path.exists():
        return {}
    return next(iter(json.loads(path.read_text())["targets"].values()), {})


def ledger_students(run: Path) -> dict[str, dict]:
    """The students the LMS accepted a grade for."""
    return {k: v for k, v in ledger_all(run).items() if "score" in v}


def test_upload_then_rerun_sends_nothing(canvas_run: Path,
                                         canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    code, output = upload_canvas(canvas_run, url)
    assert code == 0, output
    assert server.grades == SENT
    assert server.comments["101"] == ["85/100. Resumo de silvaalice_101."]
    assert "plainfile" in output and "no Canvas id" in output
    entries = ledger_students(canvas_run)
    assert set(entries) == {"silvaalice_101", "souzabruno_102", "limacarla_103",
                            "rochadavi_104"}
    assert entries["silvaalice_101"]["score"] == 85 and entries["silvaalice_101"]["user_id"] \
        == "101"
    before = len(server.seen)
    code, output = upload_canvas(canvas_run, url)
    assert code == 0 and "nothing to send" in output
    assert [r.method for r in server.seen[before:]] == ["GET", "GET"]  # the scale, no grade


def test_changed_score_resends_without_repeating_the_comment(
        canvas_run: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    assert upload_canvas(canvas_run, url)[0] == 0
    record = student_record("silvaalice_101", 85, lms="canvas", user_id="101",
                            name="silvaalice")
    record["total"] = 90.0
    (canvas_run / "silvaalice_101" / "grading.json").write_text(json.dumps(record))
    code, output = upload_canvas(canvas_run, url)
    assert code == 0, output
    assert server.grades["101"] == ["85", "90"]
    assert len(server.comments["101"]) == 1
    assert "score 85 → 90" in output


def test_dry_run_sends_nothing_and_needs_no_token(canvas_run: Path,
                                                  canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    code, output = upload_canvas(canvas_run, url, "--dry-run", token="")
    assert code == 0, output
    assert "dry run: nothing sent (4 would be)" in output
    assert "silvaalice_101" in output and "new" in output
    assert server.seen == [] and not ledger_path(canvas_run, "canvas").exists()


def test_missing_token_is_a_clear_error(canvas_run: Path,
                                        canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    code, output = upload_canvas(canvas_run, url, token="")
    assert code == 2
    assert "CANVAS_TOKEN" in output
    assert server.seen == []


def test_refused_token_sends_nothing(canvas_run: Path,
                                     canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    code, output = upload_canvas(canvas_run, url, token="wrong-token")
    assert code == 2
    assert "refused the token (401)" in output and "nothing was sent" in output
    assert "wrong-token" not in output
    assert all(r.method == "GET" for r in server.seen) and server.grades == {}
    assert ledger_students(canvas_run) == {}


@pytest.mark.parametrize("status", [403, 429])
def test_rate_limit_is_retried_with_backoff(canvas_run: Path,
                                            canvas_server: tuple[FakeCanvas, str],
                                            status: int) -> None:
    server, url = canvas_server
    server.rate_limit_status = status
    server.rate_limit_next = 3
    waits: list[float] = []
    sender = CanvasSender(url, CANVAS_TOKEN, COURSE, ASSIGNMENT,
                          Backoff(base=0.001, sleep=waits.append))
    ledger = Ledger(ledger_path(canvas_run, "canvas"), "canvas", target(url, COURSE, ASSIGNMENT))
    todo = plan(load_results(canvas_run), ledger, "canvas", "Canvas")
    sender.connect()
    outcome = send_all(todo.to_send, sender, ledger)
    assert outcome.ok and len(outcome.sent) == 4
    assert waits == [0.001, 0.002, 0.004]
    assert [r.status for r in server.seen[:4]] == [status, status, status, 200]
    assert server.grades == SENT


def test_rate_limit_through_the_command(canvas_run: Path,
                                        canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    server.rate_limit_next = 2
    code, output = upload_canvas(canvas_run, url)
    assert code == 0, output
    assert server.grades == SENT


def test_server_error_mid_class_then_rerun_completes(
        canvas_run: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    server.fail_put_once = {"102"}
    code, output = upload_canvas(canvas_run, url)
    assert code == 1
    assert "souzabruno_102" in output and "server error (500)" in output
    assert set(ledger_students(canvas_run)) == {"silvaalice_101", "limacarla_103",
                                                "rochadavi_104"}
    code, output = upload_canvas(canvas_run, url)
    assert code == 0, output
    assert "3 students unchanged" in output
    assert server.grades == SENT  # every grade accepted exactly once
    assert {u: len(c) for u, c in server.comments.items()} == {u: 1 for u in SENT}
    assert set(ledger_students(canvas_run)) == {"silvaalice_101", "souzabruno_102",
                                                "limacarla_103", "rochadavi_104"}


def test_server_down_stops_cleanly_and_rerun_finishes(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    server.users |= {str(u) for u in range(105, 111)}
    run = write_run(tmp_path / "big", [
        student_record(f"s{u}", u - 100, lms="canvas", user_id=str(u)) for u in range(101, 111)])
    sender = CanvasSender(url, CANVAS_TOKEN, COURSE, ASSIGNMENT, Backoff(base=0.001))
    ledger = Ledger(ledger_path(run, "canvas"), "canvas", target(url, COURSE, ASSIGNMENT))
    sender.connect()
    todo = plan(load_results(run), ledger, "canvas", "Canvas").to_send
    seen_puts = 0

    def report(item: object, verdict: str) -> None:
        nonlocal seen_puts
        seen_puts += 1
        if seen_puts == 2:
            server.down = True  # the LMS goes down after the second student

    outcome = send_all(todo, sender, ledger, report)
    assert outcome.sent == ["s101", "s102"]
    assert [s for s, _ in outcome.failed] == ["s103", "s104", "s105"]
    assert outcome.stopped.startswith("stopped: 3 server errors in a row")
    assert outcome.not_attempted == ["s106", "s107", "s108", "s109", "s110"]
    assert set(ledger_students(run)) == {"s101", "s102"}
    server.down = False
    code, output = upload_canvas(run, url)
    assert code == 0, output
    assert {u: len(g) for u, g in server.grades.items()} == {str(u): 1 for u in range(101, 111)}


def test_unknown_user_is_refused_and_the_rest_go_on(
        tmp_path: Path, canvas_server: tuple[FakeCanvas, str]) -> None:
    server, url = canvas_server
    run = write_run(tmp_path / "run", [
        student_record("gone_999", 10, lms="canvas", user_id="999"),
        student_record("here_101", 20, lms="canvas", user_id="101")])
    code, output = upload_canvas(run, url)
    assert code == 1
    assert "gone_999" in output and "not found (404)" in output
    assert server.grades == {"101": ["20"]}


def test_auth_error_type() -> None:
    from canvasapi.exceptions import InvalidAccessToken
    from layerwise.lms.canvas import translate

    assert isinstance(translate(InvalidAccessToken("x")), AuthError)
