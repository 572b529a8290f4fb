"""The tool's RSA key pairs: one signs (current), the previous one still verifies; both published."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .clock import utc
from .models import ToolKey


def _new_key() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return secrets.token_hex(8), pem


def current_key(session: Session) -> ToolKey:
    """The signing key, made on first use."""
    key = session.scalars(select(ToolKey).where(ToolKey.status == "current")
                          .order_by(ToolKey.id.desc())).first()
    if key is None:
        kid, pem = _new_key()
        key = ToolKey(kid=kid, private_pem=pem, status="current", created_at=utc())
        session.add(key)
        session.flush()
    return key


def ensure_key(session_factory: Callable[[], Session]) -> None:
    """Make the first key once, even when several threads or servers ask at the same moment (on
    SQLite the losers of that race get "database is locked": they try again and find it)."""
    for attempt in range(5):
        try:
            with session_factory() as session, session.begin():
                current_key(session)
            return
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))


def rotate(session: Session) -> ToolKey:
    """A new current key; the old current becomes previous, the old previous is retired."""
    for key in session.scalars(select(ToolKey).where(ToolKey.status.in_(("current", "previous")))):
        key.status = "retired" if key.status == "previous" else "previous"
    session.flush()
    kid, pem = _new_key()
    key = ToolKey(kid=kid, private_pem=pem, status="current", created_at=utc())
    session.add(key)
    session.flush()
    return key


def public_jwk(key: ToolKey) -> dict[str, Any]:
    """The public half as a JWK with its kid, `alg` and `use`."""
    private = serialization.load_pem_private_key(key.private_pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update(kid=key.kid, alg="RS256", use="sig")
    return jwk


def jwks(session: Session) -> dict[str, Any]:
    """The tool's key set: current and previous keys."""
    current_key(session)
    keys = session.scalars(select(ToolKey).where(ToolKey.status.in_(("current", "previous")))
                           .order_by(ToolKey.id.desc()))
    return {"keys": [public_jwk(k) for k in keys]}


def sign(session: Session, claims: dict[str, Any]) -> str:
    """`claims` signed RS256 with the current key, its kid in the header."""
    key = current_key(session)
    return jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})
