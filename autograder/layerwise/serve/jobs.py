"""The durable job queue: rows of the `jobs` table claimed under a lease.

A claim takes the oldest queued job, or a running one whose lease expired (its server died),
under SQLite's write lock (BEGIN IMMEDIATE) or PostgreSQL's `FOR UPDATE SKIP LOCKED`, so two
dispatchers never hold the same job. The (owner, attempt) pair fences every later write: a
dispatcher that lost its lease cannot store a result. After `max_attempts` claims a job is
given up as a grader error (never the student's fault)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from layerwise.serve.db import writing
from layerwise.serve.models import Job, JobState, Submission, now
from layerwise.status import Status


@dataclass(frozen=True)
class Claim:
    """A job held by `owner` for its `attempt`-th try."""

    job: int
    submission: int
    owner: str
    attempt: int


def enqueue(session: Session, submission: Submission) -> Job:
    """A new grading request for `submission` (its result is cleared when it is stored)."""
    job = Job(submission_id=submission.id, state=JobState.queued)
    session.add(job)
    session.flush()
    return job


def _claimable(at: datetime) -> ColumnElement[bool]:
    return or_(Job.state == JobState.queued,
               and_(Job.state == JobState.running, Job.lease_until < at))


def claim(factory: sessionmaker[Session], owner: str, lease: float, max_attempts: int
          ) -> Claim | None:
    """The next job for `owner`, leased for `lease` seconds, or None when none waits."""
    while True:
        with writing(factory) as session:
            at = now()
            query = select(Job).where(_claimable(at)).order_by(Job.id).limit(1)
            if session.bind is not None and session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            job = session.scalars(query).first()
            if job is None:
                return None
            if job.attempts >= max_attempts:
                give_up(session, job, f"grading failed {job.attempts} times")
                continue
            job.state, job.owner, job.attempts = JobState.running, owner, job.attempts + 1
            job.lease_until, job.started = at + timedelta(seconds=lease), at
            return Claim(job.id, job.submission_id, owner, job.attempts)


def _held(claim: Claim) -> ColumnElement[bool]:
    return and_(Job.id == claim.job, Job.owner == claim.owner, Job.attempts == claim.attempt,
                Job.state == JobState.running)


def heartbeat(factory: sessionmaker[Session], claims: list[Claim], lease: float) -> None:
    """Extend the leases of jobs still being graded."""
    if not claims:
        return
    with factory.begin() as session:
        until = now() + timedelta(seconds=lease)
        for held in claims:
            session.execute(update(Job).where(_held(held)).values(lease_until=until))


def release(factory: sessionmaker[Session], claim: Claim) -> None:
    """Give a job back to the queue untried (a server shutting down): the attempt is not
    counted."""
    with factory.begin() as session:
        session.execute(update(Job).where(_held(claim)).values(
            state=JobState.queued, owner=None, lease_until=None, attempts=Job.attempts - 1))


def retry(factory: sessionmaker[Session], claim: Claim) -> None:
    """Requeue a job whose attempt failed in the grader (the attempt counts)."""
    with factory.begin() as session:
        session.execute(update(Job).where(_held(claim)).values(
            state=JobState.queued, owner=None, lease_until=None))


def finish(session: Session, claim: Claim) -> bool:
    """Mark the job done in the caller's transaction; False when the lease was lost (then the
    caller must not store its result)."""
    result = session.execute(update(Job).where(_held(claim)).values(
        state=JobState.done, finished=now(), lease_until=None))
    return bool(getattr(result, "rowcount", 0) == 1)


def give_up(session: Session, job: Job, why: str) -> None:
    """Record the submission as a grader error (it is regraded when an instructor asks)."""
    job.state, job.finished, job.lease_until = JobState.done, now(), None
    sub = session.get(Submission, job.submission_id)
    if sub is not None:
        sub.status, sub.total, sub.raw_total = Status.grader_error, None, None
        sub.summary = {"pt": f"Erro do corretor, não do seu notebook ({why}).",
                       "en": f"A grader error, not your notebook's ({why})."}
        sub.graded_at = now()


def position(session: Session, job: Job) -> int:
    """1 for the next queued job to be claimed, and so on (0 when not queued)."""
    if job.state != JobState.queued:
        return 0
    ahead = session.scalar(select(func.count()).select_from(Job).where(
        Job.state == JobState.queued, Job.id < job.id))
    return int(ahead or 0) + 1


def latest(session: Session, submission_id: int) -> Job | None:
    """The newest grading request of a submission."""
    return session.scalars(select(Job).where(Job.submission_id == submission_id)
                           .order_by(Job.id.desc()).limit(1)).first()
