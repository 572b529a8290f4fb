"""An assignment's policies on stored rows: which submission counts, when hidden details show,
the rate limit's next slot, the roster's import (bad rows reported, the rest kept)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from layerwise.serve import migrate
from layerwise.serve.db import make_engine, sessions
from layerwise.serve.models import (
    Course,
    CourseAssignment,
    Membership,
    Release,
    Submission,
    User,
    now,
)
from layerwise.serve.policy import counted, hidden_visible, next_allowed
from layerwise.serve.roster import RosterError, import_roster
from sqlalchemy import select
from sqlalchemy.orm import Session


@pytest.fixture
def session(tmp_path: Path) -> Session:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate.upgrade(engine)
    return sessions(engine)()


def _setup(session: Session) -> tuple[CourseAssignment, User]:
    user, course = User(name="s"), Course(title="c")
    session.add_all([user, course])
    session.flush()
    ca = CourseAssignment(course_id=course.id, assignment="x", title="t", seed=1)
    session.add(ca)
    session.flush()
    return ca, user


def _sub(session: Session, ca: CourseAssignment, user: User, total: float | None,
         minutes_ago: float, status: str = "graded") -> Submission:
    sub = Submission(course_assignment_id=ca.id, user_id=user.id, filename="a.ipynb", size=1,
                     sha256="0", folder="x", total=total, status=status if total is not None
                     else None, created=now() - timedelta(minutes=minutes_ago))
    session.add(sub)
    session.flush()
    return sub


def test_last_or_best_counts(session: Session) -> None:
    ca, user = _setup(session)
    best = _sub(session, ca, user, 90, 30)
    last = _sub(session, ca, user, 40, 20)
    _sub(session, ca, user, None, 10)  # still queued: never counts
    _sub(session, ca, user, 0, 5, status="grader_error")  # the grader's fault: never counts
    subs = list(session.scalars(select(Submission)).all())
    ca.counts = "last"
    assert counted(ca, subs) is last
    ca.counts = "best"
    assert counted(ca, subs) is best
    assert counted(ca, []) is None


def test_hidden_details_release(session: Session) -> None:
    ca, _ = _setup(session)
    ca.release = Release.immediately
    assert hidden_visible(ca)
    ca.release, ca.due = Release.after_due, now() + timedelta(hours=1)
    assert not hidden_visible(ca)
    assert hidden_visible(ca, now() + timedelta(hours=2))
    ca.due = None
    assert not hidden_visible(ca)  # no due date: never "after" it
    ca.release, ca.released = Release.released, False
    assert not hidden_visible(ca)
    ca.released = True
    assert hidden_visible(ca)


def test_rate_limit_next_slot(session: Session) -> None:
    ca, user = _setup(session)
    ca.rate_count, ca.rate_hours = 2, 1.0
    assert next_allowed(session, ca, user.id) is None
    first = _sub(session, ca, user, 50, 50)
    _sub(session, ca, user, 0, 40, status="grader_error")  # not counted against the student
    assert next_allowed(session, ca, user.id) is None
    _sub(session, ca, user, 60, 10)
    when = next_allowed(session, ca, user.id)
    assert when is not None
    assert abs((when - (first.created + timedelta(hours=1))).total_seconds()) < 1
    _sub(session, ca, user, 60, 90)  # older than the period: does not count
    assert next_allowed(session, ca, user.id) == when


def test_roster_import(session: Session) -> None:
    course = Course(title="c")
    session.add(course)
    session.flush()
    done = import_roster(session, course, "\ufeffStudent_ID,Name,Email,lms,lms_user_id\n"
                         "1,Ana,ana@x.edu,moodle,101\n,NoId,,,\n2,Bia,,,\n"
                         "3,Caio,caio@x.edu,,\n")
    assert [u.name for u in done.added] == ["Ana", "Bia", "Caio"]
    assert done.problems == ["line 3: student_id and name are required"]
    again = import_roster(session, course, "student_id,name,role\n1,Ana Maria,\n4,Tom,ta\n"
                          "5,Eve,boss\n")
    assert [u.name for u in again.updated] == ["Ana Maria"] and len(again.added) == 1
    assert "unknown role" in again.problems[0]
    ana = session.scalars(select(Membership).join(User).where(User.student_id == "1")).one()
    assert (ana.lms, ana.lms_user_id, ana.role) == ("moodle", "101", "student")
    with pytest.raises(RosterError, match="student_id"):
        import_roster(session, course, "name,email\nX,x@x\n")
