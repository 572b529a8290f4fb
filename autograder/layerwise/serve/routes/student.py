"""A student's pages: the assignment (upload and history), a submission's live status and its
feedback. Every lookup checks the submission is the signed-in student's (or that they teach the
course): anyone else gets the same 404 as for an id that does not exist."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from layerwise.intake.notebook import InvalidNotebook, read_notebook
from layerwise.messages import Msg
from layerwise.serve import jobs, storage
from layerwise.serve.db import writing
from layerwise.serve.identity import role_in
from layerwise.serve.models import CourseAssignment, Role, Submission
from layerwise.serve.policy import counted, hidden_visible, next_allowed
from layerwise.serve.web import NOT_FOUND, STAFF, Refused, Who, check_csrf, need, page

router = APIRouter()
NOT_IPYNB = Msg("Envie um arquivo .ipynb (notebook do Jupyter).",
                "Upload a .ipynb file (a Jupyter notebook).")
NO_FILE = Msg("Nenhum arquivo enviado.", "No file was uploaded.")


def assignment_for(session: Session, me: Who, aid: int) -> tuple[CourseAssignment, Role]:
    ca = session.get(CourseAssignment, aid)
    role = role_in(session, me.user, ca.course_id) if ca else None
    if ca is None or role is None:
        raise Refused(404, NOT_FOUND)
    return ca, role


def submission_for(session: Session, me: Who, sid: int) -> tuple[Submission, Role]:
    """The submission if `me` may see it: its owner, or staff of its course; else 404."""
    sub = session.get(Submission, sid)
    if sub is None:
        raise Refused(404, NOT_FOUND)
    role = role_in(session, me.user, sub.course_assignment.course_id)
    if role in STAFF or (role == Role.student and sub.user_id == me.user.id):
        assert role is not None
        return sub, role
    raise Refused(404, NOT_FOUND)


def status_of(session: Session, sub: Submission) -> dict[str, Any]:
    """What the live status shows (plain data for the page and its JSON)."""
    job = jobs.latest(session, sub.id)
    state = job.state if job is not None else "done"
    return {"id": sub.id, "state": state, "position": jobs.position(session, job) if job else 0,
            "status": sub.status if state == "done" else None,
            "total": sub.total if state == "done" else None, "max_total": sub.max_total,
            "late_percent": sub.late_percent, "summary": sub.summary if state == "done" else None,
            "seconds": sub.grade_seconds}


@router.get("/assignment/{aid}")
def assignment_page(request: Request, aid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        ca, role = assignment_for(session, me, aid)
        if role in STAFF:
            return RedirectResponse(f"/assignment/{aid}/class", status_code=303)
        subs = session.scalars(select(Submission).where(
            Submission.course_assignment_id == aid, Submission.user_id == me.user.id)
            .order_by(Submission.id.desc())).all()
        chosen = counted(ca, subs)
        return page(request, "assignment.html.j2", me, ca=ca, history=[
            status_of(session, s) | {"created": s.created, "filename": s.filename}
            for s in subs], counted=chosen.id if chosen else None,
            wait=next_allowed(session, ca, me.user.id),
            max_mb=request.app.state.settings.max_upload_bytes / 2**20)


@router.post("/assignment/{aid}/submit")
async def submit(request: Request, aid: int) -> Response:
    settings = request.app.state.settings
    limit = settings.max_upload_bytes
    with request.app.state.factory() as session:
        me = need(request, session)
        ca, role = assignment_for(session, me, aid)
        if role != Role.student:
            raise Refused(403, Msg("Só alunos enviam notebooks.", "Only students submit."))
        if int(request.headers.get("content-length") or 0) > limit + 65536:
            raise Refused(413, _too_big(limit))
        form = await check_csrf(request, me)
        upload = form.get("notebook")
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise Refused(400, NO_FILE)
        if not upload.filename.lower().endswith(".ipynb"):
            raise Refused(400, NOT_IPYNB)
        content = await upload.read(limit + 1)
        if len(content) > limit:
            raise Refused(413, _too_big(limit))
        try:
            read_notebook(content)
        except InvalidNotebook as exc:
            raise Refused(400, Msg(f"O arquivo não é um notebook legível: {exc}",
                                   f"The file is not a readable notebook: {exc}")) from None
        wait = next_allowed(session, ca, me.user.id)
        if wait is not None:
            when = wait.strftime("%Y-%m-%d %H:%M UTC")
            raise Refused(429, Msg(f"Limite de envios atingido: o próximo é aceito a partir de "
                                   f"{when}.", f"Submission limit reached: the next one is "
                                   f"accepted from {when}."))
        user_id, filename = me.user.id, upload.filename[-200:]
    with writing(request.app.state.factory) as session:
        sub = Submission(course_assignment_id=aid, user_id=user_id, filename=filename,
                         size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                         folder="")
        session.add(sub)
        session.flush()
        sub.folder = storage.folder_of(aid, sub.id)
        storage.put(settings.data / sub.folder / storage.NOTEBOOK, content)
        jobs.enqueue(session, sub)
        sid = sub.id
    return RedirectResponse(f"/submission/{sid}?receipt=1", status_code=303)


def _too_big(limit: int) -> Msg:
    mb = limit / 2**20
    return Msg(f"Arquivo maior que {mb:g} MB.", f"File larger than {mb:g} MB.")


@router.get("/submission/{sid}")
def submission_page(request: Request, sid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        sub, role = submission_for(session, me, sid)
        return page(request, "submission.html.j2", me, sub=sub, role=role,
                    ca=sub.course_assignment, owner=sub.user, s=status_of(session, sub),
                    receipt=request.query_params.get("receipt") == "1")


@router.get("/submission/{sid}/status.json")
def submission_status(request: Request, sid: int) -> JSONResponse:
    with request.app.state.factory() as session:
        me = need(request, session)
        sub, _ = submission_for(session, me, sid)
        return JSONResponse(status_of(session, sub))


@router.get("/submission/{sid}/feedback")
def feedback(request: Request, sid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        sub, role = submission_for(session, me, sid)
        full = role in STAFF or hidden_visible(sub.course_assignment)
        path = request.app.state.settings.data / sub.folder / (
            storage.FULL if full else storage.PUBLIC)
        if not path.is_file():
            raise Refused(404, Msg("Correção ainda não disponível.",
                                   "Feedback not available yet."))
        return HTMLResponse(path.read_text(encoding="utf-8"))
