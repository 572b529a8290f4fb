"""The service's tables (SQLAlchemy 2 typed declarative). Identities are designed for LTI 1.3:
a user may carry an (issuer, subject) pair, a course an (issuer, deployment_id, context_id), a
course-assignment a resource_link_id; all NULL for users and courses made without an LMS."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def now() -> datetime:
    """The current time, aware, in UTC (every time stored is UTC)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC time, stored naive in UTC (SQLite keeps no zone; PostgreSQL the same
    column type, so both databases behave alike)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect
                             ) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Role(StrEnum):
    instructor = "instructor"
    ta = "ta"
    student = "student"


class Counts(StrEnum):
    """Which of a student's submissions is their grade."""

    last = "last"
    best = "best"


class Release(StrEnum):
    """When the details of hidden cases (expected values, pictures) are shown to students."""

    immediately = "immediately"
    after_due = "after_due"
    released = "released"
    """When an instructor releases them."""


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"


class Setting(Base):
    """Service-wide values shared by every serve process (the signing secret)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("lti_issuer", "lti_subject", name="uq_users_lti"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    student_id: Mapped[str | None] = mapped_column(String(100))
    """The institution's id from the roster (what exports name the student by)."""
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2; only instructors and TAs made from the CLI have one."""
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    lti_issuer: Mapped[str | None] = mapped_column(String(300))
    lti_subject: Mapped[str | None] = mapped_column(String(300))
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    """Raised to sign the user out everywhere (revokes every session cookie)."""
    created: Mapped[datetime] = mapped_column(default=now)
    memberships: Mapped[list[Membership]] = relationship(back_populates="user",
                                                         cascade="all, delete-orphan")


class Course(Base):
    __tablename__ = "courses"
    __table_args__ = (UniqueConstraint("lti_issuer", "lti_deployment_id", "lti_context_id",
                                       name="uq_courses_lti"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    lti_issuer: Mapped[str | None] = mapped_column(String(300))
    lti_deployment_id: Mapped[str | None] = mapped_column(String(300))
    lti_context_id: Mapped[str | None] = mapped_column(String(300))
    created: Mapped[datetime] = mapped_column(default=now)
    assignments: Mapped[list[CourseAssignment]] = relationship(back_populates="course")
    memberships: Mapped[list[Membership]] = relationship(back_populates="course")


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "course_id", name="uq_membership"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    lms: Mapped[str | None] = mapped_column(String(20))
    """The LMS the course's grades go to (moodle, canvas), from the roster."""
    lms_user_id: Mapped[str | None] = mapped_column(String(100))
    """The student's id there (Moodle participant id, Canvas user id): what exports match."""
    user: Mapped[User] = relationship(back_populates="memberships")
    course: Mapped[Course] = relationship(back_populates="memberships")


class CourseAssignment(Base):
    """A registered assignment given in a course, with its policies."""

    __tablename__ = "course_assignments"
    __table_args__ = (UniqueConstraint("course_id", "resource_link_id", name="uq_ca_lti"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    assignment: Mapped[str] = mapped_column(String(100))
    """The registered assignment's name (`layerwise assignments`)."""
    title: Mapped[str] = mapped_column(String(200))
    seed: Mapped[int] = mapped_column(Integer)
    """The hidden cases' seed (fixed at creation: every student gets the same cases)."""
    due: Mapped[datetime | None] = mapped_column()
    late_per_day: Mapped[float] = mapped_column(Float, default=0.0)
    """Percent of the score off per day (or part of one) late."""
    late_max: Mapped[float] = mapped_column(Float, default=100.0)
    rate_count: Mapped[int] = mapped_column(Integer, default=0)
    """Graded submissions a student may make per `rate_hours` (0: no limit)."""
    rate_hours: Mapped[float] = mapped_column(Float, default=24.0)
    counts: Mapped[str] = mapped_column(String(10), default=Counts.last)
    release: Mapped[str] = mapped_column(String(20), default=Release.immediately)
    released: Mapped[bool] = mapped_column(Boolean, default=False)
    resource_link_id: Mapped[str | None] = mapped_column(String(300))
    course: Mapped[Course] = relationship(back_populates="assignments")


class SigninLink(Base):
    """A personal sign-in link; its token carries only this row's random id, signed."""

    __tablename__ = "signin_links"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires: Mapped[datetime] = mapped_column()
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(default=now)


class Submission(Base):
    """One uploaded notebook and, once graded, its result (the files live under the data
    folder, at `folder`)."""

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_sub_student", "course_assignment_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_assignment_id: Mapped[int] = mapped_column(
        ForeignKey("course_assignments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    folder: Mapped[str] = mapped_column(String(300))
    """Relative to the data folder: notebook.ipynb, then grading.json and the feedback pages."""
    created: Mapped[datetime] = mapped_column(default=now)
    late_percent: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str | None] = mapped_column(String(20))
    """None until graded; then the engine's status (graded, timeout, ..., grader_error)."""
    raw_total: Mapped[float | None] = mapped_column(Float)
    total: Mapped[float | None] = mapped_column(Float)
    """After the late penalty."""
    max_total: Mapped[float | None] = mapped_column(Float)
    summary: Mapped[dict[str, str] | None] = mapped_column(JSON)
    graded_at: Mapped[datetime | None] = mapped_column()
    grade_seconds: Mapped[float | None] = mapped_column(Float)
    times_graded: Mapped[int] = mapped_column(Integer, default=0)
    """How many results were stored (1 per grading request: exactly-once is checked on it)."""
    course_assignment: Mapped[CourseAssignment] = relationship()
    user: Mapped[User] = relationship()


class Job(Base):
    """A grading request with a lease: claimed by one dispatcher at a time."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_claim", "state", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10), default=JobState.queued)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column()
    created: Mapped[datetime] = mapped_column(default=now)
    started: Mapped[datetime | None] = mapped_column()
    finished: Mapped[datetime | None] = mapped_column()
    submission: Mapped[Submission] = relationship()
