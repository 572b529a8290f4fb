"""What every page shares: the templates, the signed-in user, CSRF, roles and headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from layerwise.messages import Msg
from layerwise.serve import auth
from layerwise.serve.identity import role_in
from layerwise.serve.models import Role, User

TEMPLATES = Path(__file__).resolve().parent / "templates"
ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                         trim_blocks=True, lstrip_blocks=True,
                         undefined=jinja2.StrictUndefined)
STAFF = (Role.instructor, Role.ta)


def bi(pt: str, en: str) -> Markup:
    """A text in both languages: Portuguese, then English marked as such."""
    return Markup('{} <span lang="en" class="en">· {}</span>').format(pt, en)


ENV.globals["bi"] = bi


class Refused(HTTPException):
    """A request refused with a status and a one-line message in both languages."""

    def __init__(self, status: int, message: Msg) -> None:
        super().__init__(status, f"{message.pt} / {message.en}")
        self.message = message


NOT_FOUND = Msg("Não encontrado.", "Not found.")
SIGN_IN = Msg("Entre com o seu link pessoal ou a sua senha.",
              "Sign in with your personal link or your password.")
BAD_CSRF = Msg("Formulário expirado: recarregue a página e tente de novo.",
               "This form expired: reload the page and try again.")


@dataclass
class Who:
    """The signed-in user of a request."""

    user: User
    identity: auth.Identity

    @property
    def csrf(self) -> str:
        return self.identity.csrf


def who(request: Request, session: Session) -> Who | None:
    state = request.app.state
    found = auth.read_session(session, state.secret, request.cookies.get(auth.COOKIE),
                              state.settings.session_hours)
    return Who(*found) if found else None


def need(request: Request, session: Session) -> Who:
    """The signed-in user, or 401."""
    found = who(request, session)
    if found is None:
        raise Refused(401, SIGN_IN)
    return found


async def check_csrf(request: Request, me: Who) -> dict[str, Any]:
    """The posted form, once its CSRF token (field `csrf` or header X-CSRF-Token) matched."""
    form = dict(await request.form())
    given = request.headers.get("x-csrf-token") or form.get("csrf")
    if not auth.csrf_ok(me.identity, str(given) if given else None):
        raise Refused(403, BAD_CSRF)
    return form


def staff_of(session: Session, me: Who, course_id: int, instructor_only: bool = False) -> Role:
    """`me`'s staff role in the course, or 404 (a student learns nothing of what exists)."""
    role = role_in(session, me.user, course_id)
    allowed = (Role.instructor,) if instructor_only else STAFF
    if role not in allowed:
        raise Refused(404, NOT_FOUND)
    assert role is not None
    return role


def page(request: Request, name: str, me: Who | None, status: int = 200,
         **context: Any) -> HTMLResponse:
    html = ENV.get_template(name).render(request=request, me=me, **context)
    return HTMLResponse(html, status_code=status)


def headers(frame_ancestors: str) -> Callable[[Request, Callable[[Request], Awaitable[Response]]],
                                              Awaitable[Response]]:
    """Middleware adding the security headers to every response."""
    policy = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
              f"script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
              f"frame-ancestors {frame_ancestors}")

    async def add(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                  ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        if frame_ancestors.strip() == "'none'":
            response.headers["X-Frame-Options"] = "DENY"
        return response

    return add
