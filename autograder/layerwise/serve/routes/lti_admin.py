"""Instructor pages of the LTI 1.3 tool: the registered LMS platforms (an admin registers one
here as with `layerwise lti register`), and what was sent to a course's LMS gradebook, when,
with what answer, and a button to send a score again."""

from __future__ import annotations

from typing import Any

import typer
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from layerwise.lti import outbox
from layerwise.lti.cli import preset_urls
from layerwise.lti.models import LineItem, Platform, ScoreOutbox
from layerwise.lti.platforms import register_platform
from layerwise.messages import Msg
from layerwise.serve.db import writing
from layerwise.serve.models import Course, User
from layerwise.serve.web import NOT_FOUND, Refused, Who, check_csrf, need, page, staff_of

router = APIRouter()
ADMINS_ONLY = Msg("Só um administrador registra plataformas.", "Only an admin registers platforms.")
MISSING = Msg("Preencha issuer, client id, URLs e deployment.",
              "Fill in issuer, client id, the URLs and the deployment.")


def _line_items(session: Session, course: Course) -> list[LineItem]:
    if course.lti_issuer is None:
        return []
    return list(session.scalars(select(LineItem).join(Platform).where(
        Platform.issuer == course.lti_issuer, LineItem.deployment_id == course.lti_deployment_id,
        LineItem.context_id == course.lti_context_id)))


def _context(session: Session, me: Who, course: Course, role: str) -> dict[str, Any]:
    items = {i.id: i for i in _line_items(session, course)}
    rows = [r for i in items for r in outbox.history(session, line_item_id=i)]
    rows.sort(key=lambda r: r.id, reverse=True)
    names = {u.lti_subject: u.name for u in session.scalars(select(User).where(
        User.lti_issuer == course.lti_issuer, User.lti_subject.in_({r.user_sub for r in rows})))}
    platforms = session.scalars(select(Platform).order_by(Platform.id)).all()
    return {"course": course, "role": role, "rows": rows, "names": names, "items": items,
            "platforms": platforms, "admin": me.user.is_admin}


@router.get("/course/{cid}/lti")
def lti_page(request: Request, cid: int) -> Response:
    with request.app.state.factory() as session:
        me = need(request, session)
        role = staff_of(session, me, cid)
        course = session.get_one(Course, cid)
        return page(request, "lti.html.j2", me, **_context(session, me, course, role))


@router.post("/course/{cid}/lti/resend/{oid}")
async def resend(request: Request, cid: int, oid: int) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        staff_of(session, me, cid, instructor_only=True)
        await check_csrf(request, me)
        row = session.get(ScoreOutbox, oid)
        course = session.get_one(Course, cid)
        if row is None or row.line_item_id not in {i.id for i in _line_items(session, course)}:
            raise Refused(404, NOT_FOUND)
        outbox.resend(session, oid)
    return RedirectResponse(f"/course/{cid}/lti", status_code=303)


@router.post("/course/{cid}/lti/platforms")
async def register(request: Request, cid: int) -> Response:
    """Register an LMS as `layerwise lti register` does (presets moodle and canvas too)."""
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        staff_of(session, me, cid, instructor_only=True)
        form = {k: str(v).strip() for k, v in (await check_csrf(request, me)).items()}
        if not me.user.is_admin:
            raise Refused(403, ADMINS_ONLY)
        urls = {"issuer": form.get("issuer", ""), "auth": form.get("auth_url", ""),
                "token": form.get("token_url", ""), "jwks": form.get("jwks_url", "")}
        if form.get("preset") in ("moodle", "canvas"):
            try:
                preset = preset_urls(form["preset"], form.get("lms_url", ""))
            except typer.BadParameter as exc:
                raise Refused(400, Msg(f"Preset: {exc}", f"Preset: {exc}")) from None
            urls = {k: urls[k] or preset[k] for k in urls}
        deployments = [d for d in form.get("deployment", "").split() if d]
        if not all(urls.values()) or not form.get("client_id") or not deployments:
            raise Refused(400, MISSING)
        register_platform(session, issuer=urls["issuer"], client_id=form["client_id"],
                          auth_login_url=urls["auth"], token_url=urls["token"],
                          jwks_url=urls["jwks"], deployments=deployments,
                          name=form.get("name", ""))
    return RedirectResponse(f"/course/{cid}/lti", status_code=303)
