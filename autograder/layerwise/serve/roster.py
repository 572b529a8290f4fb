"""A roster CSV into users and memberships of a course.

Columns (header required, case-insensitive): `student_id`, `name`, and optionally `email`,
`role` (student, ta, instructor; default student), `lms` (moodle, canvas) and `lms_user_id` (the
id that LMS's grade import matches: Moodle participant id, Canvas user id)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from layerwise.errors import LayerwiseError
from layerwise.serve.identity import enrol
from layerwise.serve.models import Course, Membership, Role, User

REQUIRED = ("student_id", "name")
MAX_ROWS = 5000


class RosterError(LayerwiseError):
    """The roster cannot be read (a one-line reason)."""


@dataclass
class Imported:
    added: list[User] = field(default_factory=list)
    updated: list[User] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def import_roster(session: Session, course: Course, text: str) -> Imported:
    """Add or update every row's student in `course`; a bad row is reported, the rest kept."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RosterError(f"roster CSV lacks column(s) {', '.join(missing)} (has: "
                          f"{', '.join(header) or 'nothing'})")
    done = Imported()
    for n, raw in enumerate(reader, start=2):
        if n > MAX_ROWS:
            raise RosterError(f"roster longer than {MAX_ROWS} rows")
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        sid, name = row.get("student_id", ""), row.get("name", "")
        if not sid or not name:
            done.problems.append(f"line {n}: student_id and name are required")
            continue
        try:
            role = Role(row.get("role") or "student")
        except ValueError:
            done.problems.append(f"line {n}: unknown role {row.get('role')!r}")
            continue
        email = row.get("email") or None
        user = session.scalars(select(User).join(Membership).where(
            Membership.course_id == course.id, User.student_id == sid)).first()
        if user is None and email:
            user = session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            user = User(name=name, email=email, student_id=sid)
            session.add(user)
            session.flush()
            done.added.append(user)
        else:
            user.name, user.student_id = name, sid
            if email and not session.scalars(select(User.id).where(
                    User.email == email, User.id != user.id)).first():
                user.email = email
            done.updated.append(user)
        membership = enrol(session, user, course, role)
        membership.lms = row.get("lms") or membership.lms
        membership.lms_user_id = row.get("lms_user_id") or membership.lms_user_id
    session.flush()
    return done
