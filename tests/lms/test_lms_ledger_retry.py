"""The shared ledger and back-off."""

from __future__ import annotations

from pathlib import Path

import pytest
from layerwise.lms.ledger import Ledger, LedgerError, ledger_path
from layerwise.lms.retry import Backoff, RateLimited, with_retry
from layerwise.lms.run import load_results
from layerwise.lms.upload import plan
from lms_fakes import student_record, write_run


def test_backoff_doubles_up_to_the_cap() -> None:
    backoff = Backoff(base=1, factor=2, cap=5)
    assert [backoff.delay(n) for n in range(5)] == [1, 2, 4, 5, 5]
    assert backoff.delay(0, retry_after=3) == 3 and backoff.delay(0, retry_after=99) == 5


def test_with_retry_gives_up_after_the_attempts() -> None:
    waits: list[float] = []
    calls = 0

    def always_limited() -> None:
        nonlocal calls
        calls += 1
        raise RateLimited("slow down")

    with pytest.raises(RateLimited):
        with_retry(always_limited, Backoff(attempts=4, base=0.5, sleep=waits.append))
    assert calls == 4 and waits == [0.5, 1.0, 2.0]


def test_ledger_is_per_target_and_survives_reload(tmp_path: Path) -> None:
    path = ledger_path(tmp_path, "canvas")
    one = Ledger(path, "canvas", "https://c/courses/1/assignments/2")
    one.record("alice", ref="101", user_id="101", score=85.0, comment_sha256="abc")
    again = Ledger(path, "canvas", "https://c/courses/1/assignments/2")
    assert again.get("alice") and again.get("alice")["score"] == 85.0
    other = Ledger(path, "canvas", "https://c/courses/1/assignments/3")
    assert other.get("alice") is None
    assert not path.with_name(path.name + ".part").exists()


def test_corrupt_ledger_is_an_error_not_a_fresh_start(tmp_path: Path) -> None:
    path = ledger_path(tmp_path, "moodle")
    path.write_text("{ half a file")
    with pytest.raises(LedgerError, match="unreadable"):
        Ledger(path, "moodle", "t")


def test_a_second_upload_of_the_same_run_is_refused(tmp_path: Path) -> None:
    ledger = Ledger(ledger_path(tmp_path, "canvas"), "canvas", "t")
    with ledger.locked(), pytest.raises(LedgerError, match="another upload"), \
            Ledger(ledger_path(tmp_path, "canvas"), "canvas", "t").locked():
        pass


def test_plan_notices_a_changed_lms_id(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [student_record("a", 10, lms="canvas", user_id="5")])
    ledger = Ledger(ledger_path(run, "canvas"), "canvas", "t")
    [result] = load_results(run)
    ledger.record("a", ref="4", user_id="4", score=10.0,
                  comment_sha256=plan([result], Ledger(tmp_path / "x.json", "canvas", "t"),
                                      "canvas", "Canvas").to_send[0].comment_sha256)
    [item] = plan([result], ledger, "canvas", "Canvas").to_send
    assert item.change == "Canvas id 4 → 5" and item.send_comment
