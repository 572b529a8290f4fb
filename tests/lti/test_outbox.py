"""Grades back to an emulated Moodle and Canvas: the score's fields, the token cache, and the
outbox under faults (the LMS down, 500, 429, Canvas's 403 throttle) delivering once after recovery."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from layerwise.lti import outbox
from layerwise.lti.clock import utc
from layerwise.lti.models import ScoreAttempt, ScoreOutbox
from layerwise.lti.tokens import TokenCache
from sqlalchemy import select

from .flow import full_launch
from .platform import Platform, Served
from .toolapp import Tool


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


def line_item(tool: Tool, lms: Platform, maximum: float = 20) -> int:
    """A launch creates the tool's line item; the LMS's column is worth `maximum` points."""
    with httpx.Client(timeout=10) as browser:
        assert full_launch(browser, tool, lms, user="s1").status_code == 303
    launch = tool.launches[-1]
    assert launch.line_item_id is not None
    next(iter(lms.line_items.values())).score_maximum = maximum
    return launch.line_item_id


def grade(tool: Tool, item: int, user: str, score: float, at: datetime | None = None) -> int:
    with tool.sessions.begin() as session:
        row = outbox.enqueue_score(session, line_item_id=item, user_sub=user, score_given=score,
                                   score_maximum=100, graded_at=at or datetime.now(UTC))
        return row.id


def accepted(lms: Platform, user: str) -> list[int]:
    return [status for _, body, status in lms.score_posts if body["userId"] == user]


def test_score_fields_scaling_and_one_token(tool: Tool, lms: Platform, http: httpx.Client) -> None:
    item = line_item(tool, lms)
    grade(tool, item, "s1", 80)
    grade(tool, item, "s2", 55.5)
    tokens = TokenCache()
    report = outbox.deliver_due(tool.sessions, http, tokens=tokens)
    assert len(report.delivered) == 2 and not report.retrying and not report.failed
    _, body, status = lms.score_posts[0]
    assert status == 200
    assert body["activityProgress"] == "Completed" and body["gradingProgress"] == "FullyGraded"
    assert (body["userId"], body["scoreGiven"], body["scoreMaximum"]) == ("s1", 80.0, 100.0)
    assert "Nota 80/100" in body["comment"] and "Score 80/100" in body["comment"]
    assert datetime.fromisoformat(body["timestamp"]).tzinfo is not None
    scaled = {user: g.scaled for (_, user), g in lms.grades.items()}
    assert scaled == {"s1": pytest.approx(16.0), "s2": pytest.approx(11.1)}
    assert lms.token_requests == [200]  # one token for both (Canvas checked its aud = token URL)


def test_token_renewed_after_expires_in(tool: Tool, lms: Platform, http: httpx.Client) -> None:
    item = line_item(tool, lms)
    lms.token_life = 60
    tokens = TokenCache()
    grade(tool, item, "s1", 80)
    outbox.deliver_due(tool.sessions, http, tokens=tokens)
    grade(tool, item, "s2", 70)
    outbox.deliver_due(tool.sessions, http, utc() + timedelta(seconds=20), tokens=tokens)
    assert lms.token_requests == [200]
    grade(tool, item, "s3", 60)
    outbox.deliver_due(tool.sessions, http, utc() + timedelta(seconds=61), tokens=tokens)
    assert lms.token_requests == [200, 200]


@pytest.mark.parametrize("fault", ["down", "token-500", "token-429", "scores-500", "scores-429",
                                   "scores-throttle"])
def test_faults_then_recovery_delivers_once(fault: str, tool: Tool, lms_served: tuple[Platform, Served],
                                            http: httpx.Client) -> None:
    lms, served = lms_served
    item = line_item(tool, lms)
    if fault == "down":
        served.stop()
    else:
        where, what = fault.split("-")
        lms.faults[where].extend([int(what) if what.isdigit() else what] * 50)
    ids = [grade(tool, item, user, 50 + n) for n, user in enumerate(["s1", "s2", "s3"])]
    tokens, now = TokenCache(), utc()
    report = outbox.deliver_due(tool.sessions, http, now, tokens=tokens)
    assert sorted(report.retrying) == ids and not report.delivered and not report.failed
    assert outbox.deliver_due(tool.sessions, http, now + timedelta(seconds=1), tokens=tokens).retrying == []
    if fault == "down":
        served.start()
    else:
        lms.faults[where].clear()
    report = outbox.deliver_due(tool.sessions, http, now + timedelta(minutes=5), tokens=tokens)
    assert sorted(report.delivered) == ids
    assert outbox.deliver_due(tool.sessions, http, now + timedelta(hours=2), tokens=tokens).delivered == []
    for n, user in enumerate(["s1", "s2", "s3"]):
        assert accepted(lms, user).count(200) == 1
        assert lms.grades[(1, user)].score_given == 50 + n
    with tool.sessions() as session:
        rows = session.scalars(select(ScoreOutbox)).all()
        assert {r.status for r in rows} == {"delivered"} and all(r.attempts == 2 for r in rows)
        assert len(session.scalars(select(ScoreAttempt)).all()) == 6


def test_moodle_409_counts_as_delivered(tool: Tool, lms: Platform, http: httpx.Client) -> None:
    item = line_item(tool, lms)
    row = grade(tool, item, "s1", 80)
    outbox.deliver_due(tool.sessions, http, tokens=TokenCache())
    with tool.sessions.begin() as session:  # as if the mark "delivered" was lost in a crash
        session.get_one(ScoreOutbox, row).status = "pending"
    report = outbox.deliver_due(tool.sessions, http, tokens=TokenCache())
    assert report.delivered == [row]
    assert accepted(lms, "s1") == ([200, 409] if lms.flavour == "moodle" else [200, 200])
    assert len(lms.grades) == 1 and lms.grades[(1, "s1")].score_given == 80


def test_newer_grade_supersedes_and_resend(tool: Tool, lms: Platform, http: httpx.Client) -> None:
    item = line_item(tool, lms)
    t0 = datetime.now(UTC)
    old = grade(tool, item, "s1", 40, t0)
    new = grade(tool, item, "s1", 90, t0 + timedelta(seconds=1))
    assert outbox.deliver_due(tool.sessions, http, tokens=TokenCache()).delivered == [new]
    with tool.sessions.begin() as session:
        assert session.get_one(ScoreOutbox, old).status == "superseded"
        again = outbox.resend(session, new, t0 + timedelta(seconds=10)).id
    report = outbox.deliver_due(tool.sessions, http, utc() + timedelta(seconds=11), tokens=TokenCache())
    assert report.delivered == [again]
    assert accepted(lms, "s1") == [200, 200]  # the resend's newer timestamp: no 409
    with tool.sessions() as session:
        sent = outbox.history(session, user_sub="s1")
        assert [r.id for r in sent] == [again, new, old]
        assert sent[0].delivered_at is not None and sent[0].payload is not None


def test_expired_token_401_then_delivered(tool: Tool, lms: Platform, http: httpx.Client) -> None:
    item = line_item(tool, lms)
    tokens = TokenCache()
    grade(tool, item, "s1", 80)
    outbox.deliver_due(tool.sessions, http, tokens=tokens)
    lms._tokens.clear()  # the LMS revoked its tokens early
    grade(tool, item, "s2", 70)
    assert len(outbox.deliver_due(tool.sessions, http, tokens=tokens).retrying) == 1
    assert len(outbox.deliver_due(tool.sessions, http, utc() + timedelta(minutes=1),
                                  tokens=tokens).delivered) == 1
    assert lms.token_requests == [200, 200]


def test_deleted_column_fails_visibly(tool: Tool, lms: Platform, http: httpx.Client) -> None:
    item = line_item(tool, lms)
    lms.line_items.clear()
    row = grade(tool, item, "s1", 80)
    assert outbox.deliver_due(tool.sessions, http, tokens=TokenCache()).failed == [row]
    with tool.sessions() as session:
        failed = session.get_one(ScoreOutbox, row)
        assert failed.status == "failed" and failed.last_status == 404 and "not found" in failed.last_error


def test_concurrent_senders_post_each_score_once(tool: Tool, lms: Platform) -> None:
    item = line_item(tool, lms)
    users = [f"s{n}" for n in range(12)]
    ids = [grade(tool, item, user, 50 + n) for n, user in enumerate(users)]
    reports: list[outbox.DeliveryReport] = []
    errors: list[BaseException] = []
    tokens = TokenCache()

    def sender() -> None:
        try:
            with httpx.Client(timeout=10) as http:
                reports.append(outbox.deliver_due(tool.sessions, http, tokens=tokens))
        except BaseException as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(i for r in reports for i in r.delivered) == ids
    assert all(accepted(lms, user) == [200] for user in users)


def test_regrade_within_the_same_second_reaches_the_gradebook(tool: Tool, lms: Platform,
                                                                http: httpx.Client) -> None:
    item = line_item(tool, lms)
    at = datetime.now(UTC).replace(microsecond=100)
    grade(tool, item, "s1", 40, at)
    outbox.deliver_due(tool.sessions, http, tokens=TokenCache())
    grade(tool, item, "s1", 95, at + timedelta(microseconds=500))  # graded again, same second
    later = utc() + timedelta(seconds=2)
    assert len(outbox.deliver_due(tool.sessions, http, later, tokens=TokenCache()).delivered) == 1
    assert accepted(lms, "s1") == [200, 200]
    assert lms.grades[(1, "s1")].score_given == 95
