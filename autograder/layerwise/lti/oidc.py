"""OIDC third-party login initiation: the tool answers the platform with an authentication request."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import delete
from sqlalchemy.orm import Session

from . import refusals as r
from .clock import utc
from .models import LoginState
from .platforms import find_platforms

STATE_LIFE = timedelta(minutes=10)


def begin_login(session: Session, params: dict[str, str], *, redirect_uri: str,
                now: datetime | None = None) -> tuple[str, str]:
    """(the platform's authentication URL to go to, the state to bind to the browser's cookie)."""
    now = utc(now)
    issuer, login_hint = params.get("iss"), params.get("login_hint")
    if not issuer or not login_hint or not params.get("target_link_uri"):
        raise r.BadRequest("login initiation without iss, login_hint or target_link_uri")
    # The first statement writes: on SQLite the transaction takes the write lock before it reads
    # (a read first, then a write, fails at once with "database is locked" whenever another
    # writer, e.g. the service's grading dispatcher, committed in between).
    session.execute(delete(LoginState).where(LoginState.expires_at < now))
    platforms = find_platforms(session, issuer, params.get("client_id"))
    if not platforms:
        raise r.UnknownPlatform(f"issuer {issuer!r} client {params.get('client_id')!r}")
    if len(platforms) > 1:
        raise r.BadRequest(f"issuer {issuer!r} has several registrations and sent no client_id")
    platform = platforms[0]
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    session.add(LoginState(state=state, nonce=nonce, platform_id=platform.id, expires_at=now + STATE_LIFE))
    query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
             "prompt": "none", "client_id": platform.client_id, "redirect_uri": redirect_uri,
             "login_hint": login_hint, "state": state, "nonce": nonce}
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return platform.auth_login_url + separator + urlencode(query), state
