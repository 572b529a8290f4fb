"""The LTI 1.3 launch rules, in one place: an id_token in, a validated `LaunchMessage` out.

Checked against the IMS LTI 1.3 core specification (§5.1, §5.3) and pylti1p3's
`message_launch.py` (which, unlike here, leaves `aud` unchecked by default and never consumes
the nonce). Signatures and key sets are PyJWT's (`PyJWKClient` refetches the set once when a
`kid` is unknown); this module only says which claims must hold.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import jwt
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import refusals as r
from .clock import utc
from .models import LineItem, LoginState, Nonce, Platform
from .platforms import find_platforms

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
MESSAGE_TYPES = ("LtiResourceLinkRequest", "LtiDeepLinkingRequest")
SKEW = 60  # seconds of clock difference tolerated on exp/iat
NONCE_LIFE = timedelta(hours=1)
STATE_COOKIE = "lti1p3_state_"
REFETCH_COOLDOWN = 2.0  # seconds between forced key-set refetches (unknown kids cannot flood the LMS)

Role = Literal["instructor", "student"]


@dataclass(frozen=True)
class LaunchMessage:
    """A launch that passed every rule: who, in which course, from which link, as what."""

    platform_id: int
    issuer: str
    client_id: str
    deployment_id: str
    message_type: str
    subject: str
    name: str
    email: str
    role: Role
    roles: tuple[str, ...]
    context_id: str
    context_title: str
    resource_link_id: str = ""
    resource_link_title: str = ""
    line_item_id: int | None = None
    deep_link_return_url: str = ""
    deep_link_data: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)


_key_clients: dict[str, jwt.PyJWKClient] = {}
_key_lock = threading.Lock()


def key_client(jwks_url: str) -> jwt.PyJWKClient:
    """One cached key-set client per platform URL: the set kept 5 minutes, a 5 s timeout, and an
    unknown kid refetching it at once unless it was fetched in the last `REFETCH_COOLDOWN` s."""
    with _key_lock:
        if jwks_url not in _key_clients:
            _key_clients[jwks_url] = jwt.PyJWKClient(jwks_url, lifespan=300, timeout=5,
                                                     cooldown_duration=REFETCH_COOLDOWN)
        return _key_clients[jwks_url]


def role_of(roles: list[str]) -> Role:
    """Instructor and TeachingAssistant (context roles) -> instructor, Learner -> student."""
    principals: set[str] = set()
    for role in roles:
        if role.startswith(MEMBERSHIP):
            tail = role[len(MEMBERSHIP):].lstrip("#/")
            principals.update(part for part in tail.split("#") if part)
        elif "/" not in role and ":" not in role:  # the deprecated short forms
            principals.add(role)
    if principals & {"Instructor", "TeachingAssistant"}:
        return "instructor"
    if "Learner" in principals:
        return "student"
    raise r.RoleNotAllowed(f"roles {roles}")


def _platform_for(session: Session, unverified: dict[str, Any]) -> Platform:
    issuer = unverified.get("iss")
    aud = unverified.get("aud")
    audiences = [aud] if isinstance(aud, str) else list(aud or [])
    if not isinstance(issuer, str) or not audiences:
        raise r.BadRequest("id_token without iss or aud")
    candidates = find_platforms(session, issuer)
    if not candidates:
        raise r.UnknownPlatform(f"issuer {issuer!r}")
    for platform in candidates:
        if platform.client_id in audiences:
            return platform
    raise r.WrongAudience(f"aud {audiences} names no client id registered for {issuer!r}")


def _verify(platform: Platform, id_token: str, now: datetime) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.DecodeError as err:
        raise r.BadRequest(f"id_token: {err}") from err
    if header.get("alg") != "RS256":
        raise r.BadSignature(f"alg {header.get('alg')!r}")
    try:
        signing = key_client(platform.jwks_url).get_signing_key(str(header.get("kid")))
    except jwt.PyJWKClientConnectionError as err:
        raise r.UnknownKey(f"key set unreachable: {err}") from err
    except jwt.PyJWKClientError as err:
        raise r.UnknownKey(f"kid {header.get('kid')!r} not in {platform.jwks_url} after a refetch") from err
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token, signing.key, algorithms=["RS256"], audience=platform.client_id,
            issuer=platform.issuer, leeway=SKEW, options={"require": ["exp", "iat", "sub", "nonce"]})
    except jwt.InvalidSignatureError as err:
        raise r.BadSignature(str(err)) from err
    except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError) as err:
        raise r.Expired(str(err)) from err
    except jwt.InvalidAudienceError as err:
        raise r.WrongAudience(str(err)) from err
    except jwt.InvalidIssuerError as err:
        raise r.UnknownPlatform(str(err)) from err
    except jwt.InvalidTokenError as err:
        raise r.BadRequest(str(err)) from err
    if claims["iat"] > now.timestamp() + SKEW:
        raise r.Expired("iat in the future")
    aud = claims["aud"]
    azp = claims.get("azp")
    several = isinstance(aud, list) and len(aud) > 1
    if (several and azp is None) or (azp is not None and azp != platform.client_id):
        raise r.WrongAudience(f"azp {azp!r} with aud {aud}")
    return claims


def _consume_nonce(session: Session, issuer: str, nonce: str, now: datetime) -> None:
    session.execute(delete(Nonce).where(Nonce.expires_at < now))
    try:
        with session.begin_nested():
            session.add(Nonce(issuer=issuer, nonce=nonce, expires_at=now + NONCE_LIFE))
    except IntegrityError as err:
        raise r.ReplayedNonce(f"nonce already used for {issuer!r}") from err


def _consume_state(session: Session, platform_id: int, state: str, nonce: str, now: datetime) -> None:
    row = session.scalars(select(LoginState).where(LoginState.state == state)).first()
    if row is None or row.expires_at < now or row.platform_id != platform_id:
        raise r.BadState("state unknown, expired or issued for another platform")
    session.delete(row)
    if row.nonce != nonce:
        raise r.BadState("the id_token's nonce is not the one issued with this state")


def _line_item(session: Session, platform_id: int, deployment_id: str, context_id: str,
               link_id: str, ags: dict[str, Any]) -> int:
    row = session.scalars(select(LineItem).where(
        LineItem.platform_id == platform_id, LineItem.deployment_id == deployment_id,
        LineItem.context_id == context_id, LineItem.resource_link_id == link_id)).first()
    if row is None:
        row = LineItem(platform_id=platform_id, deployment_id=deployment_id, context_id=context_id,
                       resource_link_id=link_id)
        session.add(row)
    row.lineitem_url = ags.get("lineitem") or row.lineitem_url
    row.scopes = " ".join(ags.get("scope") or []) or row.scopes
    session.flush()
    return row.id


@dataclass(frozen=True)
class VerifiedToken:
    """An id_token whose signature and claims hold, before its nonce and state are consumed."""

    platform_id: int
    issuer: str
    client_id: str
    claims: dict[str, Any]
    role: Role


def verify_id_token(session: Session, *, id_token: str, state: str | None, state_cookie: str | None,
                    now: datetime | None = None) -> VerifiedToken:
    """Every rule that needs no write: the state's cookie binding, the signature (the key set may
    be fetched: keep no write transaction open around this), the claims. Or a `LaunchRefused`."""
    now = utc(now)
    if not state or not state_cookie or state_cookie != state:
        raise r.BadState("state missing from the form or not bound to this browser's cookie")
    try:
        unverified = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.DecodeError as err:
        raise r.BadRequest(f"id_token: {err}") from err
    platform = _platform_for(session, unverified)
    claims = _verify(platform, id_token, now)
    if not claims["sub"]:
        raise r.BadRequest("anonymous launches (empty sub) are not supported")
    deployment_id = claims.get(LTI + "deployment_id")
    if deployment_id not in {d.deployment_id for d in platform.deployments}:
        raise r.UnknownDeployment(f"deployment {deployment_id!r} of {platform.issuer!r}")
    if claims.get(LTI + "version") != "1.3.0":
        raise r.BadMessage(f"version {claims.get(LTI + 'version')!r}")
    message_type = claims.get(LTI + "message_type")
    if message_type not in MESSAGE_TYPES:
        raise r.BadMessage(f"message type {message_type!r}")
    roles = claims.get(LTI + "roles")
    if not isinstance(roles, list):
        raise r.BadRequest("roles claim missing")
    role = role_of(roles)
    if not (claims.get(LTI + "context") or {}).get("id"):
        raise r.BadRequest("context claim missing: launches outside a course are not supported")
    if message_type == "LtiResourceLinkRequest" and not (claims.get(LTI + "resource_link") or {}).get("id"):
        raise r.BadRequest("resource_link claim missing")
    if message_type == "LtiDeepLinkingRequest" and not (claims.get(DL) or {}).get("deep_link_return_url"):
        raise r.BadRequest("deep_linking_settings without deep_link_return_url")
    return VerifiedToken(platform.id, platform.issuer, platform.client_id, claims, role)


def accept_launch(session: Session, token: VerifiedToken, state: str,
                  now: datetime | None = None) -> LaunchMessage:
    """Consume the nonce (once ever) and the state, record the link's line item. Its first
    statement is a write, so on SQLite the transaction takes the write lock before reading."""
    now = utc(now)
    claims = token.claims
    _consume_nonce(session, token.issuer, str(claims["nonce"]), now)
    _consume_state(session, token.platform_id, state, str(claims["nonce"]), now)
    context = claims[LTI + "context"]
    link = claims.get(LTI + "resource_link") or {}
    settings = claims.get(DL) or {}
    deployment_id = str(claims[LTI + "deployment_id"])
    message_type = str(claims[LTI + "message_type"])
    line_item_id = None
    if message_type == "LtiResourceLinkRequest":
        line_item_id = _line_item(session, token.platform_id, deployment_id, str(context["id"]),
                                  str(link["id"]), claims.get(AGS) or {})
    return LaunchMessage(
        platform_id=token.platform_id, issuer=token.issuer, client_id=token.client_id,
        deployment_id=deployment_id, message_type=message_type, subject=str(claims["sub"]),
        name=str(claims.get("name") or claims.get("given_name") or ""), email=str(claims.get("email") or ""),
        role=token.role, roles=tuple(claims[LTI + "roles"]), context_id=str(context["id"]),
        context_title=str(context.get("title") or context.get("label") or ""),
        resource_link_id=str(link.get("id") or ""), resource_link_title=str(link.get("title") or ""),
        line_item_id=line_item_id, deep_link_return_url=str(settings.get("deep_link_return_url") or ""),
        deep_link_data=settings.get("data"), custom=dict(claims.get(LTI + "custom") or {}))


def validate_launch(session: Session, *, id_token: str, state: str | None, state_cookie: str | None,
                    now: datetime | None = None) -> LaunchMessage:
    """Every rule of a launch in one session (verify, then accept), or a `LaunchRefused`."""
    token = verify_id_token(session, id_token=id_token, state=state, state_cookie=state_cookie, now=now)
    return accept_launch(session, token, str(state), now)
