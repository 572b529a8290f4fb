"""Who is asking: personal sign-in links, instructor passwords, the session cookie and CSRF.

- A sign-in link's token is the id of a `signin_links` row signed with the service's secret
  (itsdangerous): expiring (checked in the token and the row) and revocable (the row).
- Instructor and TA passwords are argon2 hashes (argon2-cffi).
- The session is a signed cookie (HttpOnly, SameSite=Lax, Secure when configured) holding the
  user id, the user's session epoch (raised to sign out everywhere), its issue time and a CSRF
  token; every form and script POST carries that token back.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from layerwise.serve.models import Setting, SigninLink, User, now

COOKIE = "lw_session"
SECRET_KEY = "secret"
_HASHER = PasswordHasher()


def secret(session: Session) -> str:
    """The service's signing secret, made once and shared by every serve process."""
    row = session.get(Setting, SECRET_KEY)
    if row is None:
        try:
            with session.begin_nested():
                session.add(Setting(key=SECRET_KEY, value=secrets.token_urlsafe(48)))
        except IntegrityError:
            pass
        row = session.get(Setting, SECRET_KEY)
        assert row is not None
    return row.value


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def check_password(user: User | None, password: str) -> bool:
    """Whether `password` is `user`'s (the hash is computed even for no user: equal time)."""
    stored = user.password_hash if user is not None else None
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def new_link(session: Session, key: str, user: User, days: float) -> str:
    """A fresh sign-in token for `user` (older ones stay valid until revoked or expired)."""
    row = SigninLink(id=secrets.token_urlsafe(18), user_id=user.id,
                     expires=now() + timedelta(days=days))
    session.add(row)
    session.flush()
    return URLSafeTimedSerializer(key, salt="signin").dumps(row.id)


def revoke_links(session: Session, user: User) -> int:
    """Revoke every sign-in link of `user` and sign them out everywhere."""
    rows = session.scalars(select(SigninLink).where(SigninLink.user_id == user.id,
                                                    SigninLink.revoked.is_(False))).all()
    for row in rows:
        row.revoked = True
    user.session_epoch += 1
    return len(rows)


def redeem(session: Session, key: str, token: str, days: float) -> User | None:
    """The user a sign-in token belongs to, or None (bad signature, expired, revoked)."""
    try:
        link_id = URLSafeTimedSerializer(key, salt="signin").loads(
            token, max_age=int(days * 86400))
    except BadSignature:
        return None
    row = session.get(SigninLink, str(link_id))
    if row is None or row.revoked or row.expires < now():
        return None
    return session.get(User, row.user_id)


@dataclass(frozen=True)
class Identity:
    """A verified session."""

    user_id: int
    csrf: str


def session_cookie(key: str, user: User) -> str:
    return URLSafeTimedSerializer(key, salt="session").dumps(
        {"u": user.id, "e": user.session_epoch, "c": secrets.token_urlsafe(24),
         "t": int(time.time())})


def read_session(session: Session, key: str, cookie: str | None, hours: float
                 ) -> tuple[User, Identity] | None:
    """The signed-in user of a cookie, or None (missing, forged, expired, signed out)."""
    if not cookie:
        return None
    try:
        data = URLSafeTimedSerializer(key, salt="session").loads(cookie,
                                                                 max_age=int(hours * 3600))
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = session.get(User, data.get("u"))
    if user is None or user.session_epoch != data.get("e"):
        return None
    return user, Identity(user.id, str(data.get("c")))


def csrf_ok(identity: Identity, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(identity.csrf, str(given))
