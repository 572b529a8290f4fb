"""Signing in and out, the home page and the health check."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import func, select, text

from layerwise.messages import Msg
from layerwise.serve import auth
from layerwise.serve.db import writing
from layerwise.serve.models import Course, Job, JobState, Membership, User
from layerwise.serve.web import BAD_CSRF, Refused, check_csrf, need, page, who

router = APIRouter()
LOGIN_CSRF = "lw_login"
BAD_LINK = Msg("Link de acesso inválido, expirado ou revogado: peça um novo ao professor.",
               "This sign-in link is invalid, expired or revoked: ask your instructor for a "
               "new one.")
BAD_LOGIN = Msg("E-mail ou senha incorretos.", "Wrong email or password.")


def _signed_in(request: Request, user: User) -> Response:
    response = RedirectResponse("/", status_code=303)
    settings = request.app.state.settings
    response.set_cookie(auth.COOKIE, auth.session_cookie(request.app.state.secret, user),
                        max_age=int(settings.session_hours * 3600), httponly=True,
                        samesite="lax", secure=settings.secure_cookies, path="/")
    return response


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    state = request.app.state
    try:
        with state.factory() as session:
            session.execute(text("SELECT 1"))
            waiting = session.scalar(select(func.count()).select_from(Job).where(
                Job.state == JobState.queued))
    except Exception as exc:
        return JSONResponse({"ok": False, "db": type(exc).__name__}, status_code=503)
    dispatcher = state.dispatcher
    alive = sum(t.is_alive() for t in dispatcher.threads) if dispatcher else 0
    return JSONResponse({"ok": True, "queued": int(waiting or 0), "grading_threads": alive})


@router.get("/signin/{token}")
def signin(request: Request, token: str) -> Response:
    settings = request.app.state.settings
    with request.app.state.factory.begin() as session:
        user = auth.redeem(session, request.app.state.secret, token, settings.link_days)
        if user is None:
            raise Refused(401, BAD_LINK)
        return _signed_in(request, user)


@router.get("/login")
def login_form(request: Request) -> Response:
    token = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(24)
    response = page(request, "login.html.j2", None, csrf=token, failed=False)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict",
                        secure=request.app.state.settings.secure_cookies, path="/login")
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    form = dict(await request.form())
    cookie = request.cookies.get(LOGIN_CSRF) or ""
    if not cookie or not hmac.compare_digest(cookie, str(form.get("csrf") or "")):
        raise Refused(403, BAD_CSRF)
    email = str(form.get("email") or "").strip().lower()
    with request.app.state.factory() as session:
        user = session.scalars(select(User).where(func.lower(User.email) == email)).first()
        if not auth.check_password(user, str(form.get("password") or "")):
            return page(request, "login.html.j2", None, status=401, csrf=cookie, failed=True,
                        message=BAD_LOGIN)
        assert user is not None
        return _signed_in(request, user)


@router.post("/logout")
async def logout(request: Request) -> Response:
    with writing(request.app.state.factory) as session:
        me = need(request, session)
        await check_csrf(request, me)
        me.user.session_epoch += 1
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request) -> Response:
    with request.app.state.factory() as session:
        me = who(request, session)
        if me is None:
            return RedirectResponse("/login", status_code=303)
        courses: list[dict[str, Any]] = []
        if me.user.is_admin:
            rows = [(c, "instructor") for c in session.scalars(select(Course)).all()]
        else:
            rows = [(m.course, m.role) for m in session.scalars(
                select(Membership).where(Membership.user_id == me.user.id)).all()]
        for course, role in rows:
            courses.append({"course": course, "role": role,
                            "assignments": sorted(course.assignments, key=lambda a: a.id)})
        return page(request, "home.html.j2", me, courses=courses)
