"""Instructors' and TAs' pages: the live class table, policies, regrades, exports, the queue, the
roster and sign-in links, one student's data (export, erase). Instructor-only actions say so."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from layerwise import registry
from layerwise.lms.export import DEFAULT_FILE, ExportFormat
from layerwise.messages import Msg
from layerwise.report.dashboard import render as render_dashboard
from layerwise.serve import auth, exports, jobs, storage
from layerwise.serve.db import writing
from layerwise.serve.models import (
    Counts,
    Course,
    CourseAssignment,
    Job,
    JobState,
    Membership,
    Release,
    Role,
    Submission,
    User,
)
from layerwise.serve.policy import counted
from layerwise.serve.roster import RosterError, import_roster
from layerwise.serve.web import NOT_FOUND, STAFF, Refused, Who, check_csrf, need, page, staff_of

router = APIRouter()


def _ca(session: Session, me: Who, aid: int, instructor_only: bool = False
        ) -> CourseAssignment:
    ca = session.get(CourseAssignment, aid)
    if ca is None:
        raise Refused(404, NOT_FOUND)
    staff_of(session, me, ca.course_id, instructor_only)
    return ca


def class_rows(session: Session, ca: CourseAssignment) -> list[dict[str, Any]]:
    """One row per student of the course: their counted and latest submissions."""
    members = session.scalars(select(Membership).where(
        Membership.course_id == ca.course_id, Membership.role == Role.student)).all()
    rows = []
    for m in sorted(members, key=lambda m: (m.user.student_id or "", m.user.id)):
        subs = session.scalars(select(Submission).where(
            Submission.course_assignment_id == ca.id, Submission.user_id == m.user_id)
            .order_by(Submission.id)).all()
        chosen = counted(ca, subs)
        last = subs[-1] if subs else None
        job = jobs.latest(session, last.id) if last else None
        rows.append({"user": m.user, "count": len(subs), "counted": chosen, "last": last,
                     "state": job.state if job else None})
    return rows


@router.get("/assignment/{aid}/class")
def class_page(request: Request, aid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        ca = _ca(session, me, aid)
        role = staff_of(session, me, ca.course_id)
        return page(request, "class.html.j2", me, ca=ca, role=role, rows=class_rows(session, ca),
                    formats=list(ExportFormat), counts=list(Counts), releases=list(Release))


@router.get("/assignment/{aid}/class/table")
def class_table(request: Request, aid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        ca = _ca(session, me, aid)
        return page(request, "class_table.html.j2", me, ca=ca, rows=class_rows(session, ca))


@router.get("/assignment/{aid}/report")
def class_report(request: Request, aid: int) -> Response:
    """The kit's class dashboard (report/dashboard.py) over the counted submissions."""
    with request.app.state.factory() as session:
        me = need(request, session)
        ca = _ca(session, me, aid)
        data = request.app.state.settings.data
        records = []
        for row in class_rows(session, ca):
            rec = storage.read_json(data / row["counted"].folder / storage.RECORD) \
                if row["counted"] else None
            if rec is not None:
                records.append(rec)
        info = {"assignment": ca.assignment, "seed": ca.seed,
                "max_total": registry.get(ca.assignment).max_total}
        return HTMLResponse(render_dashboard(records, info))


@router.get("/assignment/{aid}/{student}/feedback.html")
def report_link(request: Request, aid: int, student: str) -> Response:
    """Where the kit's dashboard links a student (its links are relative to a run folder):
    their counted submission's feedback."""
    with request.app.state.factory() as session:
        me = need(request, session)
        ca = _ca(session, me, aid)
        row = next((r for r in class_rows(session, ca)
                    if (r["user"].student_id or f"user{r['user'].id}") == student), None)
        if row is None or row["counted"] is None:
            raise Refused(404, NOT_FOUND)
        return RedirectResponse(f"/submission/{row['counted'].id}/feedback", status_code=303)


def _when(text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Refused(400, Msg("Data inválida (use AAAA-MM-DDTHH:MM).",
                               "Invalid date (use YYYY-MM-DDTHH:MM).")) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _number(form: dict[str, Any], key: str, default: float) -> float:
    try:
        value = float(form.get(key) or default)
    except ValueError:
        raise Refused(400, Msg(f"Número inválido em {key}.", f"Invalid number in {key}.")
                      ) from None
    if value < 0:
        raise Refused(400, Msg(f"{key} não pode ser negativo.", f"{key} cannot be negative."))
    return value


@router.post("/assignment/{aid}/settings")
async def settings_form(request: Request, aid: int) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        ca = _ca(session, me, aid, instructor_only=True)
        form = await check_csrf(request, me)
        ca.due = _when(str(form.get("due") or ""))
        ca.late_per_day = _number(form, "late_per_day", 0)
        ca.late_max = min(100.0, _number(form, "late_max", 100))
        ca.rate_count = int(_number(form, "rate_count", 0))
        ca.rate_hours = _number(form, "rate_hours", 24) or 24.0
        try:
            ca.counts = Counts(str(form.get("counts") or "last"))
            ca.release = Release(str(form.get("release") or "immediately"))
        except ValueError:
            raise Refused(400, Msg("Opção inválida.", "Invalid option.")) from None
        ca.released = form.get("released") == "on"
    return RedirectResponse(f"/assignment/{aid}/class", status_code=303)


def _requeue(session: Session, subs: list[Submission]) -> int:
    """A grading request for each submission not already waiting or running."""
    n = 0
    for sub in subs:
        job = jobs.latest(session, sub.id)
        if job is None or job.state == JobState.done:
            jobs.enqueue(session, sub)
            n += 1
    return n


@router.post("/assignment/{aid}/regrade")
async def regrade_all(request: Request, aid: int) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        ca = _ca(session, me, aid)
        await check_csrf(request, me)
        _requeue(session, list(session.scalars(select(Submission).where(
            Submission.course_assignment_id == ca.id)).all()))
    return RedirectResponse(f"/assignment/{aid}/class", status_code=303)


@router.post("/submission/{sid}/regrade")
async def regrade_one(request: Request, sid: int) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        sub = session.get(Submission, sid)
        if sub is None:
            raise Refused(404, NOT_FOUND)
        staff_of(session, me, sub.course_assignment.course_id)
        await check_csrf(request, me)
        _requeue(session, [sub])
    return RedirectResponse(f"/submission/{sid}", status_code=303)


@router.get("/assignment/{aid}/export/{fmt}")
def export_grades(request: Request, aid: int, fmt: str) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        ca = _ca(session, me, aid)
        try:
            chosen = ExportFormat(fmt)
        except ValueError:
            raise Refused(404, NOT_FOUND) from None
        data, _ = exports.grades_file(session, request.app.state.settings.data, ca, chosen)
        name = f"{ca.assignment}-{DEFAULT_FILE[chosen]}"
        return Response(data, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/queue")
def queue_page(request: Request) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        taught = [m.course_id for m in me.user.memberships if m.role in STAFF]
        query = (select(Job, Submission, CourseAssignment)
                 .join(Submission, Job.submission_id == Submission.id)
                 .join(CourseAssignment, Submission.course_assignment_id == CourseAssignment.id))
        if not me.user.is_admin:
            if not taught:
                raise Refused(404, NOT_FOUND)
            query = query.where(CourseAssignment.course_id.in_(taught))
        waiting = session.execute(query.where(Job.state != JobState.done)
                                  .order_by(Job.id)).all()
        recent = session.execute(query.where(Job.state == JobState.done)
                                 .order_by(Job.finished.desc()).limit(30)).all()
        return page(request, "queue.html.j2", me, waiting=waiting, recent=recent)


def _member(session: Session, me: Who, cid: int, uid: int, instructor_only: bool = False
            ) -> tuple[Course, User]:
    staff_of(session, me, cid, instructor_only)
    member = session.scalars(select(Membership).where(
        Membership.course_id == cid, Membership.user_id == uid)).first()
    if member is None:
        raise Refused(404, NOT_FOUND)
    return member.course, member.user


@router.get("/course/{cid}")
def course_page(request: Request, cid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        role = staff_of(session, me, cid)
        course = session.get(Course, cid)
        assert course is not None
        members = sorted(course.memberships, key=lambda m: (m.role, m.user.student_id or ""))
        return page(request, "course.html.j2", me, course=course, role=role, members=members,
                    registered=sorted(registry.registered()), link=None, notice=None)


@router.post("/course/{cid}/roster")
async def roster_upload(request: Request, cid: int) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        staff_of(session, me, cid, instructor_only=True)
        form = await check_csrf(request, me)
        upload = form.get("roster")
        if upload is None or isinstance(upload, str):
            raise Refused(400, Msg("Nenhum arquivo enviado.", "No file was uploaded."))
        raw = await upload.read(2 * 2**20)
        course = session.get(Course, cid)
        assert course is not None
        try:
            done = import_roster(session, course, raw.decode("utf-8-sig", errors="replace"))
        except RosterError as exc:
            raise Refused(400, Msg(f"Roster inválido: {exc}", f"Invalid roster: {exc}")
                          ) from None
        notice = (f"+{len(done.added)} / ~{len(done.updated)}"
                  + (" · " + "; ".join(done.problems[:10]) if done.problems else ""))
    return RedirectResponse(f"/course/{cid}?{urlencode({'notice': notice})}", status_code=303)


@router.post("/course/{cid}/assignments")
async def add_assignment(request: Request, cid: int) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        staff_of(session, me, cid, instructor_only=True)
        form = await check_csrf(request, me)
        name = str(form.get("assignment") or "")
        if name not in registry.registered():
            raise Refused(400, Msg("Tarefa não registrada.", "Not a registered assignment."))
        title = str(form.get("title") or "").strip() or registry.get(name).title.en
        session.add(CourseAssignment(course_id=cid, assignment=name, title=title[:200],
                                     seed=secrets.randbelow(2**31)))
    return RedirectResponse(f"/course/{cid}", status_code=303)


@router.get("/course/{cid}/student/{uid}")
def student_page(request: Request, cid: int, uid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        course, user = _member(session, me, cid, uid)
        subs = session.scalars(select(Submission).join(CourseAssignment).where(
            CourseAssignment.course_id == cid, Submission.user_id == uid)
            .order_by(Submission.id.desc())).all()
        return page(request, "student.html.j2", me, course=course, user=user, subs=subs,
                    role=staff_of(session, me, cid), link=None)


@router.post("/course/{cid}/student/{uid}/link")
async def new_link(request: Request, cid: int, uid: int) -> Response:
    """A new sign-in link, shown once on the page it returns (never stored in clear)."""
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        course, user = _member(session, me, cid, uid, instructor_only=True)
        form = await check_csrf(request, me)
        if form.get("revoke") == "1":
            auth.revoke_links(session, user)
        token = auth.new_link(session, request.app.state.secret, user,
                              request.app.state.settings.link_days)
        link = str(request.base_url).rstrip("/") + f"/signin/{token}"
        subs = session.scalars(select(Submission).join(CourseAssignment).where(
            CourseAssignment.course_id == cid, Submission.user_id == uid)).all()
        return page(request, "student.html.j2", me, course=course, user=user, subs=subs,
                    role=Role.instructor, link=link)


@router.post("/course/{cid}/student/{uid}/revoke")
async def revoke(request: Request, cid: int, uid: int) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        _, user = _member(session, me, cid, uid, instructor_only=True)
        await check_csrf(request, me)
        auth.revoke_links(session, user)
    return RedirectResponse(f"/course/{cid}/student/{uid}", status_code=303)


@router.get("/course/{cid}/student/{uid}/export")
def export_student(request: Request, cid: int, uid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        _, user = _member(session, me, cid, uid, instructor_only=True)
        data = exports.student_archive(session, request.app.state.settings.data, user)
        return Response(data, media_type="application/zip", headers={
            "Content-Disposition": f'attachment; filename="student-{uid}.zip"'})


@router.post("/course/{cid}/student/{uid}/delete")
async def delete_student(request: Request, cid: int, uid: int) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        _, user = _member(session, me, cid, uid, instructor_only=True)
        form = await check_csrf(request, me)
        if form.get("confirm") != "yes" or user.id == me.user.id:
            raise Refused(400, Msg("Confirme a exclusão.", "Confirm the deletion."))
        exports.erase_student(session, request.app.state.settings.data, user)
    return RedirectResponse(f"/course/{cid}", status_code=303)
