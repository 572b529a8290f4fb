"""Grades out (the kit's LMS exports, lms/export.py) and one student's data out or erased."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from layerwise.lms.export import ExportFormat, export
from layerwise.lms.run import StudentResult
from layerwise.serve import storage
from layerwise.serve.models import CourseAssignment, Membership, Role, Submission, User
from layerwise.serve.policy import counted


def results(session: Session, data: Path, ca: CourseAssignment) -> list[StudentResult]:
    """One result per student of the course: their counted submission (or none yet)."""
    members = session.scalars(select(Membership).where(
        Membership.course_id == ca.course_id, Membership.role == Role.student)).all()
    out = []
    for m in members:
        subs = session.scalars(select(Submission).where(
            Submission.course_assignment_id == ca.id, Submission.user_id == m.user_id)).all()
        chosen = counted(ca, subs)
        rec = storage.read_json(data / chosen.folder / storage.RECORD) if chosen else None
        out.append(StudentResult(
            student=m.user.student_id or f"user{m.user.id}",
            status=(chosen.status or "") if chosen else "missing",
            total=chosen.total if chosen else None,
            max_total=chosen.max_total if chosen else None, name=m.user.name,
            lms=m.lms or "", lms_user_id=m.lms_user_id or "",
            late=bool(chosen and chosen.late_percent > 0),
            language=str((rec or {}).get("language") or "pt"),
            summary=dict(chosen.summary or {}) if chosen else {},
            questions={q["id"]: float(q["score"]) for q in (rec or {}).get("questions", [])},
            assignment=ca.assignment))
    return sorted(out, key=lambda r: r.student)


def grades_file(session: Session, data: Path, ca: CourseAssignment, fmt: ExportFormat
                ) -> tuple[bytes, list[tuple[str, str]]]:
    """The export's bytes and who it left out (and why)."""
    with tempfile.TemporaryDirectory() as tmp:
        done = export(results(session, data, ca), fmt, Path(tmp) / "grades.csv",
                      assignment_name=ca.title)
        return done.path.read_bytes(), done.left_out


def student_archive(session: Session, data: Path, user: User) -> bytes:
    """Everything kept about `user` (profile, memberships, submissions, files) as a zip."""
    buffer = io.BytesIO()
    subs = session.scalars(select(Submission).where(Submission.user_id == user.id)).all()
    profile = {"id": user.id, "name": user.name, "email": user.email,
               "student_id": user.student_id, "lti_issuer": user.lti_issuer,
               "lti_subject": user.lti_subject, "created": user.created.isoformat(),
               "memberships": [{"course": m.course_id, "role": m.role, "lms": m.lms,
                                "lms_user_id": m.lms_user_id} for m in user.memberships],
               "submissions": [{"id": s.id, "assignment": s.course_assignment_id,
                                "file": s.filename, "size": s.size, "sha256": s.sha256,
                                "created": s.created.isoformat(), "status": s.status,
                                "total": s.total, "late_percent": s.late_percent}
                               for s in subs]}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("profile.json", json.dumps(profile, indent=1, ensure_ascii=False))
        for s in subs:
            for name in (storage.NOTEBOOK, storage.RECORD, storage.FULL):
                path = data / s.folder / name
                if path.is_file():
                    zf.write(path, f"submissions/{s.id}/{name}")
    return buffer.getvalue()


def erase_student(session: Session, data: Path, user: User) -> int:
    """Delete `user`, their submissions, jobs, links and files; returns the submissions
    deleted."""
    subs = session.scalars(select(Submission).where(Submission.user_id == user.id)).all()
    folders = [s.folder for s in subs]
    for s in subs:
        session.delete(s)
    session.delete(user)
    session.flush()
    for folder in folders:
        storage.remove(data, folder)
    return len(folders)
