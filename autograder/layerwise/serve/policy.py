"""An assignment's policies: the rate limit, which submission counts, when hidden details
show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from layerwise.serve.models import Counts, CourseAssignment, Release, Submission, now
from layerwise.status import Status


def next_allowed(session: Session, ca: CourseAssignment, user_id: int) -> datetime | None:
    """When `user_id` may submit again, or None when they may now (the rate limit: at most
    `rate_count` submissions in any `rate_hours`; grader errors do not count)."""
    if ca.rate_count <= 0:
        return None
    since = now() - timedelta(hours=ca.rate_hours)
    recent = session.scalars(
        select(Submission.created).where(
            Submission.course_assignment_id == ca.id, Submission.user_id == user_id,
            Submission.created > since,
            func.coalesce(Submission.status, "") != Status.grader_error)
        .order_by(Submission.created.desc())).all()
    if len(recent) < ca.rate_count:
        return None
    return recent[ca.rate_count - 1] + timedelta(hours=ca.rate_hours)


def counted(ca: CourseAssignment, subs: Sequence[Submission]) -> Submission | None:
    """The submission that is the student's grade: the last graded or the best (ties: the
    latest); None before any is graded."""
    graded = [s for s in subs if s.total is not None and s.status != Status.grader_error]
    if not graded:
        return None
    if ca.counts == Counts.best:
        return max(graded, key=lambda s: (s.total or 0.0, s.created))
    return max(graded, key=lambda s: s.created)


def hidden_visible(ca: CourseAssignment, at: datetime | None = None) -> bool:
    """Whether students may read hidden cases' details now."""
    if ca.release == Release.immediately:
        return True
    if ca.release == Release.after_due:
        return ca.due is not None and (at or now()) >= ca.due
    return bool(ca.released)
