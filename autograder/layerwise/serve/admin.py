"""What `layerwise serve-admin` does: instructors, courses, assignments, rosters and sign-in
links from the command line, and the example course `make serve` loads."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from layerwise import registry
from layerwise.errors import LayerwiseError
from layerwise.serve import auth, migrate
from layerwise.serve.config import Settings
from layerwise.serve.db import make_engine, sessions
from layerwise.serve.identity import enrol
from layerwise.serve.models import Course, CourseAssignment, Membership, Role, User
from layerwise.serve.roster import import_roster

DEMO_ROSTER = """student_id,name,email,lms,lms_user_id
2026001,Ana Souza,ana@example.edu,moodle,101
2026002,Bruno Lima,bruno@example.edu,moodle,102
2026003,Carla Dias,carla@example.edu,moodle,103
"""


class AdminError(LayerwiseError):
    """A command-line administration step cannot be done (one-line reason)."""


def open_db(settings: Settings) -> sessionmaker[Session]:
    """The database, migrated to the current schema."""
    settings.data.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.url)
    migrate.upgrade(engine)
    return sessions(engine)


def create_instructor(session: Session, email: str, name: str, password: str,
                      admin: bool = False) -> User:
    """An instructor account (or its new password), hashed with argon2."""
    if len(password) < 10:
        raise AdminError("a password needs at least 10 characters")
    user = session.scalars(select(User).where(User.email == email.lower())).first()
    if user is None:
        user = User(name=name, email=email.lower())
        session.add(user)
    user.password_hash, user.is_admin = auth.hash_password(password), admin or user.is_admin
    user.session_epoch = (user.session_epoch or 0) + 1
    session.flush()
    return user


def create_course(session: Session, title: str, instructor_email: str | None) -> Course:
    course = Course(title=title)
    session.add(course)
    session.flush()
    if instructor_email:
        user = session.scalars(select(User).where(User.email == instructor_email.lower())).first()
        if user is None:
            raise AdminError(f"no user with email {instructor_email}: create it first")
        enrol(session, user, course, Role.instructor)
    return course


def add_assignment(session: Session, course_id: int, name: str, title: str = "",
                   due: datetime | None = None, seed: int | None = None) -> CourseAssignment:
    """A registered assignment given in a course (its hidden cases' seed fixed now)."""
    if session.get(Course, course_id) is None:
        raise AdminError(f"no course {course_id}")
    assignment = registry.get(name)
    ca = CourseAssignment(course_id=course_id, assignment=name,
                          title=title or assignment.title.en, due=due,
                          seed=seed if seed is not None else secrets.randbelow(2**31))
    session.add(ca)
    session.flush()
    return ca


@dataclass
class Link:
    student_id: str
    name: str
    url: str


def links(session: Session, key: str, base: str, course_id: int, days: float) -> list[Link]:
    """A new sign-in link for every student of the course."""
    members = session.scalars(select(Membership).where(
        Membership.course_id == course_id, Membership.role == Role.student)).all()
    return [Link(m.user.student_id or str(m.user.id), m.user.name,
                 f"{base.rstrip('/')}/signin/{auth.new_link(session, key, m.user, days)}")
            for m in sorted(members, key=lambda m: m.user.student_id or "")]


def demo(settings: Settings, base: str, password: str) -> list[Link]:
    """The example course: an instructor, both kit lessons, a demo roster; the students'
    links (loaded once: a second call only prints new links)."""
    factory = open_db(settings)
    with factory.begin() as session:
        key = auth.secret(session)
        course = session.scalars(select(Course).where(Course.title == "Demo course")).first()
        if course is None:
            create_instructor(session, "teacher@example.edu", "Demo Teacher", password,
                              admin=True)
            course = create_course(session, "Demo course", "teacher@example.edu")
            for name in sorted(registry.registered()):
                add_assignment(session, course.id, name, seed=2026)
            import_roster(session, course, DEMO_ROSTER)
        return links(session, key, base, course.id, settings.link_days)


def roster_file(session: Session, course_id: int, path: Path) -> str:
    course = session.get(Course, course_id)
    if course is None:
        raise AdminError(f"no course {course_id}")
    done = import_roster(session, course, path.read_text(encoding="utf-8-sig"))
    return (f"{len(done.added)} added, {len(done.updated)} updated"
            + "".join(f"\n  {p}" for p in done.problems))
