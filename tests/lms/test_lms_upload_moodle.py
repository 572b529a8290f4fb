"""`layerwise upload moodle` against a local Moodle web-service endpoint (real requests)."""

from __future__ import annotations

import json
from pathlib import Path

from layerwise.lms.ledger import Ledger, ledger_path
from layerwise.lms.moodle import MoodleSender, as_html, target
from layerwise.lms.retry import Backoff
from layerwise.lms.run import load_results
from layerwise.lms.upload import plan, send_all
from lms_fakes import (
    MOODLE_ASSIGNMENT,
    MOODLE_TOKEN,
    FakeMoodle,
    student_record,
    upload_moodle,
    write_run,
)


def grades(server: FakeMoodle) -> dict[str, list[str]]:
    return {user: [call["grade"] for call in calls] for user, calls in server.saved.items()}


def ledger_all(run: Path) -> dict[str, dict]:
    path = ledger_path(run, "moodle")
    if not path.exists():
        return {}
    return next(iter(json.loads(path.read_text())["targets"].values()), {})


def ledger_students(run: Path) -> dict[str, dict]:
    """The students the LMS accepted a grade for."""
    return {k: v for k, v in ledger_all(run).items() if "score" in v}


def test_upload_resolves_participants_and_saves(moodle_run: Path,
                                                moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    code, output = upload_moodle(moodle_run, url)
    assert code == 1  # Nobody Here is no participant of the assignment
    assert "Nobody_Here_399" in output and "no participant of this assignment" in output
    assert grades(server) == {"501": ["85"], "502": ["70.5"], "503": ["100"]}
    alice = server.saved["501"][0]
    assert alice["wsfunction"] == "mod_assign_save_grade"
    assert alice["moodlewsrestformat"] == "json"
    assert (alice["assignmentid"], alice["attemptnumber"], alice["addattempt"],
            alice["workflowstate"], alice["applytoall"]) == (MOODLE_ASSIGNMENT, "-1", "0",
                                                              "", "0")
    assert alice["plugindata[assignfeedbackcomments_editor][text]"] == \
        "85/100. Resumo de Alice_Silva_301."
    assert alice["plugindata[assignfeedbackcomments_editor][format]"] == "1"
    assert all(r.path == "/webservice/rest/server.php" and "wstoken" not in r.path
               for r in server.seen)
    entries = ledger_students(moodle_run)
    assert set(entries) == {"Alice_Silva_301", "Bruno_Souza_302", "Carla_Lima_303"}
    assert entries["Alice_Silva_301"]["user_id"] == "501"
    assert entries["Alice_Silva_301"]["ref"] == "301"
    refused = ledger_all(moodle_run)["Nobody_Here_399"]["refused"]
    assert "no participant of this assignment" in refused["reason"]


def test_rerun_sends_only_what_is_missing(moodle_run: Path,
                                          moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    upload_moodle(moodle_run, url)
    server.participants["599"] = "Nobody Here"  # enrolled since
    code, output = upload_moodle(moodle_run, url)
    assert code == 0, output
    assert "3 students unchanged" in output
    assert grades(server) == {"501": ["85"], "502": ["70.5"], "503": ["100"], "599": ["40"]}


def test_invalid_token_is_a_clear_error(moodle_run: Path,
                                        moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    code, output = upload_moodle(moodle_run, url, token="not-the-token")
    assert code == 2
    assert "Invalid token" in output and "MOODLE_TOKEN" in output and "nothing was sent" in output
    assert "not-the-token" not in output
    assert server.saved == {} and ledger_students(moodle_run) == {}


def test_wrong_assignment_sends_nothing(moodle_run: Path,
                                        moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    code, output = upload_moodle(moodle_run, url, assignment="12345")
    assert code == 2 and "nothing was sent" in output
    assert server.saved == {}


def test_missing_token(moodle_run: Path, moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    code, output = upload_moodle(moodle_run, url, token="")
    assert code == 2 and "MOODLE_TOKEN" in output and server.seen == []


def test_dry_run(moodle_run: Path, moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    code, output = upload_moodle(moodle_run, url, "--dry-run", token="")
    assert code == 0 and "dry run: nothing sent (4 would be)" in output
    assert server.seen == []


def test_rate_limit_is_retried(moodle_run: Path, moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    server.rate_limit_next = 4
    waits: list[float] = []
    sender = MoodleSender(url, MOODLE_TOKEN, MOODLE_ASSIGNMENT,
                          Backoff(base=0.001, sleep=waits.append))
    ledger = Ledger(ledger_path(moodle_run, "moodle"), "moodle", target(url, MOODLE_ASSIGNMENT))
    sender.connect()
    outcome = send_all(plan(load_results(moodle_run), ledger, "moodle", "Moodle").to_send,
                       sender, ledger)
    assert waits == [0.0, 0.0, 0.0, 0.0]  # Retry-After: 0 is honoured
    assert outcome.sent == ["Alice_Silva_301", "Bruno_Souza_302", "Carla_Lima_303"]
    assert grades(server) == {"501": ["85"], "502": ["70.5"], "503": ["100"]}


def test_server_error_mid_class_then_rerun(moodle_run: Path,
                                           moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    server.participants["599"] = "Nobody Here"
    server.fail_save_once = {"502"}
    code, output = upload_moodle(moodle_run, url)
    assert code == 1 and "Moodle server error (500)" in output
    assert "Bruno_Souza_302" not in ledger_students(moodle_run)
    code, output = upload_moodle(moodle_run, url)
    assert code == 0, output
    assert grades(server) == {"501": ["85"], "502": ["70.5"], "503": ["100"], "599": ["40"]}


def test_ambiguous_names_are_not_guessed(tmp_path: Path,
                                         moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    server.participants.update({"601": "Ana Costa", "602": "ANA  COSTA"})
    run = write_run(tmp_path / "run", [
        student_record("Ana_Costa_10", 50, lms="moodle", user_id="10", name="Ana Costa"),
        student_record("Araujo_11", 60, lms="moodle", user_id="11", name="Joao Araujo")])
    server.participants["603"] = "João Araújo"
    code, output = upload_moodle(run, url)
    assert code == 1 and "2 Moodle participants are named 'Ana Costa'" in output
    assert grades(server) == {"603": ["60"]}


def test_blind_marking_matches_participant_label(tmp_path: Path,
                                                 moodle_server: tuple[FakeMoodle, str]) -> None:
    server, url = moodle_server
    server.participants = {"701": "Participant 4242"}
    run = write_run(tmp_path / "run", [
        student_record("Participant_4242", 75, lms="moodle", user_id="4242",
                       name="Participant")])
    code, output = upload_moodle(run, url)
    assert code == 0, output
    assert grades(server) == {"701": ["75"]}


def test_comment_is_html() -> None:
    assert as_html("a < b & c\nnext") == "a &lt; b &amp; c<br>\nnext"
