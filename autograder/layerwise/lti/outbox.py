"""Grades back to the LMS: an outbox row per grade, written in the grade's transaction, and a
sender that posts due rows to `{lineitem}/scores` (IMS AGS 2.0 §3.4), retrying with back-off.

Delivery is at-least-once on the wire and exactly once in the gradebook: a row is marked
delivered only after the platform accepted it, and a repost after a crash carries the same
`timestamp`, which Moodle refuses with 409 (counted as delivered) and Canvas applies again
unchanged (`scores_controller.rb` rejects only timestamps *older* than the stored result).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from . import keys
from .clock import iso, utc
from .models import LineItem, Platform, ScoreAttempt, ScoreOutbox
from .tokens import Signer, TokenCache, TokenEndpoint, TokenError, retry_after, retryable

log = logging.getLogger("layerwise.lti.outbox")
SessionFactory = Callable[[], Session]
LEASE = timedelta(seconds=60)
BASE_DELAY, MAX_DELAY, MAX_ATTEMPTS = 5.0, 3600.0, 20
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
DEFAULT_TOKENS = TokenCache()


def bilingual_comment(score_given: float, score_maximum: float) -> str:
    """The short comment shown beside the grade in the LMS."""
    return (f"Nota {score_given:g}/{score_maximum:g}, corrigida pelo layerwise (feedback completo na "
            f"ferramenta). / Score {score_given:g}/{score_maximum:g}, graded by layerwise (full "
            f"feedback in the tool).")


def enqueue_score(session: Session, *, line_item_id: int, user_sub: str, score_given: float,
                  score_maximum: float, graded_at: datetime, comment: str | None = None) -> ScoreOutbox:
    """Queue a score in the caller's transaction (the one storing the grade); older pending rows of
    the same student and line item are superseded, so the LMS only ever gets the newest. Its
    timestamp is at least a second after the previous score's: Moodle compares whole seconds and
    would answer 409 to a regrade within the same second, keeping the older grade."""
    now = utc()
    previous = session.scalars(select(ScoreOutbox.timestamp).where(
        ScoreOutbox.line_item_id == line_item_id, ScoreOutbox.user_sub == user_sub)
        .order_by(ScoreOutbox.id.desc()).limit(1)).first()
    stamp = utc(graded_at)
    if previous is not None:
        second_after = utc(datetime.fromisoformat(previous)).replace(microsecond=0) + timedelta(seconds=1)
        stamp = max(stamp, second_after)
    session.execute(update(ScoreOutbox).where(
        ScoreOutbox.line_item_id == line_item_id, ScoreOutbox.user_sub == user_sub,
        ScoreOutbox.status == "pending").values(status="superseded"))
    row = ScoreOutbox(line_item_id=line_item_id, user_sub=user_sub, score_given=float(score_given),
                      score_maximum=float(score_maximum), timestamp=iso(stamp),
                      comment=bilingual_comment(score_given, score_maximum) if comment is None else comment,
                      status="pending", attempts=0, next_attempt_at=now, created_at=now, last_error="")
    session.add(row)
    session.flush()
    return row


def resend(session: Session, outbox_id: int, now: datetime | None = None) -> ScoreOutbox:
    """Queue the same score again with a fresh timestamp (so Moodle does not answer 409)."""
    old = session.get_one(ScoreOutbox, outbox_id)
    return enqueue_score(session, line_item_id=old.line_item_id, user_sub=old.user_sub,
                         score_given=old.score_given, score_maximum=old.score_maximum,
                         graded_at=utc(now), comment=old.comment)


def history(session: Session, *, line_item_id: int | None = None,
            user_sub: str | None = None) -> list[ScoreOutbox]:
    """What was queued, sent and delivered, newest first (for the instructor pages)."""
    query = select(ScoreOutbox).order_by(ScoreOutbox.id.desc())
    if line_item_id is not None:
        query = query.where(ScoreOutbox.line_item_id == line_item_id)
    if user_sub is not None:
        query = query.where(ScoreOutbox.user_sub == user_sub)
    return list(session.scalars(query))


def scores_url(lineitem: str) -> str:
    """`{lineitem}/scores`, keeping the query (Moodle's line items end in `?type_id=N`)."""
    path, _, query = lineitem.partition("?")
    return path.rstrip("/") + "/scores" + ("?" + query if query else "")


@dataclass
class DeliveryReport:
    """What one pass of the sender did, by outbox id."""

    delivered: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _claim(session_factory: SessionFactory, now: datetime, limit: int) -> list[int]:
    with session_factory() as session:  # a read; each claim below is a transaction of one write
        due = session.scalars(select(ScoreOutbox.id).where(
            ScoreOutbox.status == "pending", ScoreOutbox.next_attempt_at <= now,
            or_(ScoreOutbox.lease_until.is_(None), ScoreOutbox.lease_until < now))
            .order_by(ScoreOutbox.id).limit(limit)).all()
    claimed = []
    for outbox_id in due:
        with session_factory() as session, session.begin():
            result = session.execute(update(ScoreOutbox).where(
                ScoreOutbox.id == outbox_id, ScoreOutbox.status == "pending",
                or_(ScoreOutbox.lease_until.is_(None), ScoreOutbox.lease_until < now))
                .values(lease_until=now + LEASE))
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append(outbox_id)
    return claimed


@dataclass(frozen=True)
class _Job:
    outbox_id: int
    line_item_id: int
    attempts: int
    url: str  # "" when the link has no gradebook line item
    endpoint: TokenEndpoint
    payload: dict[str, object]


@dataclass(frozen=True)
class _Try:
    status: int | None
    detail: str
    outcome: str  # delivered | retry | failed
    wait: float | None = None
    posted: bool = False


def _load(session: Session, outbox_id: int) -> _Job | None:
    """The claimed row as plain data (None when it was superseded meanwhile); reads only."""
    row = session.get_one(ScoreOutbox, outbox_id)
    if row.status != "pending":
        return None
    line_item = session.get_one(LineItem, row.line_item_id)
    platform = session.get_one(Platform, line_item.platform_id)
    payload: dict[str, object] = {
        "userId": row.user_sub, "scoreGiven": row.score_given, "scoreMaximum": row.score_maximum,
        "activityProgress": "Completed", "gradingProgress": "FullyGraded",
        "timestamp": row.timestamp, "comment": row.comment}
    url = scores_url(line_item.lineitem_url) if line_item.lineitem_url else ""
    return _Job(row.id, row.line_item_id, row.attempts, url,
                TokenEndpoint(platform.client_id, platform.token_url), payload)


def _finish(session: Session, job: _Job, now: datetime, done: _Try) -> str:
    """Record a try. Its first statement is a write (SQLite takes the write lock before any read)."""
    attempts, outcome = job.attempts + 1, done.outcome
    if outcome == "retry" and attempts >= MAX_ATTEMPTS:
        outcome = "failed"
    values: dict[str, object] = {"attempts": attempts, "last_status": done.status,
                                 "last_error": done.detail[:500], "lease_until": None}
    if done.posted:
        values.update(payload=job.payload, sent_at=now)
    if outcome == "retry":
        delay = max(min(BASE_DELAY * 2 ** (attempts - 1), MAX_DELAY), done.wait or 0.0)
        values["next_attempt_at"] = now + timedelta(seconds=delay)
    session.execute(update(ScoreOutbox).where(ScoreOutbox.id == job.outbox_id).values(**values))
    if outcome != "retry":  # a row superseded meanwhile keeps saying so
        session.execute(update(ScoreOutbox).where(ScoreOutbox.id == job.outbox_id,
                                                  ScoreOutbox.status == "pending")
                        .values(status=outcome, delivered_at=now if outcome == "delivered" else None))
    session.add(ScoreAttempt(outbox_id=job.outbox_id, at=now, status=done.status, detail=done.detail[:500]))
    log.info("lti score %s for line item %s: %s (%s) %s", job.outbox_id, job.line_item_id, outcome,
             done.status, done.detail[:120])
    return outcome


def _post(http: httpx.Client, tokens: TokenCache, sign: Signer, job: _Job, now: datetime) -> _Try:
    """One try at posting; no database work here."""
    if not job.url:
        return _Try(None, "the link has no gradebook line item", "failed")
    try:
        token = tokens.get(sign, http, job.endpoint, now)
    except TokenError as err:  # even a refused assertion is retried (with back-off): it is a
        # registration an admin fixes, after which the grades should flow by themselves
        return _Try(err.status, str(err), "retry", err.retry_after)
    try:
        response = http.post(job.url, json=job.payload,
                             headers={"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE})
    except httpx.HTTPError as err:
        return _Try(None, f"score endpoint unreachable: {type(err).__name__}", "retry", posted=True)
    code = response.status_code
    if code in (200, 201, 202, 204):
        return _Try(code, "accepted", "delivered", posted=True)
    if code == 409:  # Moodle: the stored grade is as new (scores.php), i.e. this one arrived
        return _Try(code, "409: the LMS already holds this grade", "delivered", posted=True)
    if code == 401:
        tokens.forget(job.endpoint)
        return _Try(code, "401: token refused, a new one next time", "retry", posted=True)
    outcome = "retry" if retryable(response) else "failed"
    return _Try(code, f"{code}: {response.text[:300]}", outcome, retry_after(response), posted=True)


def deliver_due(session_factory: SessionFactory, http: httpx.Client, now: datetime | None = None, *,
                tokens: TokenCache | None = None, limit: int = 100) -> DeliveryReport:
    """Post every due score once. Each row is leased while in flight, so several senders never
    post the same row at once, and no transaction stays open during an HTTP call."""
    now, tokens = utc(now), tokens or DEFAULT_TOKENS
    report = DeliveryReport()
    keys.ensure_key(session_factory)  # made and committed before the LMS asks for the key set

    def sign(claims: dict[str, Any]) -> str:
        with session_factory() as session:
            return keys.sign(session, claims)

    for outbox_id in _claim(session_factory, now, limit):
        with session_factory() as session:
            job = _load(session, outbox_id)
        if job is None:
            continue
        done = _post(http, tokens, sign, job, now)
        with session_factory() as session, session.begin():
            outcome = _finish(session, job, now, done)
        {"delivered": report.delivered, "retry": report.retrying,
         "failed": report.failed}[outcome].append(outbox_id)
    return report


def sender_loop(session_factory: SessionFactory, http: httpx.Client, stop: threading.Event, *,
                interval: float = 1.0, tokens: TokenCache | None = None) -> None:
    """Deliver due scores every `interval` seconds until `stop` is set (run it in a thread)."""
    while not stop.is_set():
        try:
            deliver_due(session_factory, http, tokens=tokens)
        except Exception:  # a database hiccup must not end the sender
            log.exception("lti score sender pass failed")
        stop.wait(interval)
