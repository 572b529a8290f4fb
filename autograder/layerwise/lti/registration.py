"""LTI Dynamic Registration 1.0 (Moodle 3.10+, Canvas): the LMS opens the tool's registration
page with its OpenID configuration URL and a registration token; the tool reads the configuration,
posts its own, and stores the client id and deployment it gets back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy.orm import Session

from . import refusals as r
from .canvas import SCOPES
from .models import Platform
from .platforms import register_platform

TOOL_CONF = "https://purl.imsglobal.org/spec/lti-tool-configuration"
NEEDED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")


def tool_configuration(base: str, title: str) -> dict[str, Any]:
    """The registration the tool posts (the fields Moodle's `registration_helper.php` requires)."""
    launch = base + "/launch"
    return {
        "application_type": "web", "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"], "initiate_login_uri": base + "/login",
        "redirect_uris": [launch], "client_name": title, "jwks_uri": base + "/jwks",
        "token_endpoint_auth_method": "private_key_jwt", "scope": " ".join(SCOPES),
        TOOL_CONF: {"domain": httpx.URL(base).host, "target_link_uri": launch,
                    "claims": ["iss", "sub", "name", "email"],
                    "messages": [{"type": "LtiDeepLinkingRequest", "target_link_uri": launch,
                                  "label": title}]},
    }


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code not in (200, 201):
        raise r.BadRequest(f"{what} answered {response.status_code}: {response.text[:200]}")
    try:
        body = response.json()
    except ValueError as err:
        raise r.BadRequest(f"{what} is not JSON") from err
    if not isinstance(body, dict):
        raise r.BadRequest(f"{what} is not a JSON object")
    return body


def register(session_factory: Callable[[], Session], http: httpx.Client, *, openid_configuration: str,
             registration_token: str, base: str, title: str) -> Platform:
    """Read the platform's configuration, register the tool with it, store the registration."""
    if not openid_configuration.startswith(("https://", "http://")):
        raise r.BadRequest("openid_configuration is not an http(s) URL")
    try:
        config = _json(http.get(openid_configuration), "the platform's openid configuration")
        missing = [k for k in NEEDED if not config.get(k)]
        if missing:
            raise r.BadRequest(f"openid configuration without {', '.join(missing)}")
        headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
        answer = _json(http.post(str(config["registration_endpoint"]), json=tool_configuration(base, title),
                                 headers=headers), "the platform's registration endpoint")
    except httpx.HTTPError as err:
        raise r.BadRequest(f"platform unreachable: {type(err).__name__}") from err
    client_id = answer.get("client_id")
    if not client_id:
        raise r.BadRequest("the registration answer has no client_id")
    deployment = (answer.get(TOOL_CONF) or {}).get("deployment_id")
    with session_factory() as session, session.begin():
        platform = register_platform(
            session, issuer=str(config["issuer"]), client_id=str(client_id),
            auth_login_url=str(config["authorization_endpoint"]), token_url=str(config["token_endpoint"]),
            jwks_url=str(config["jwks_uri"]), deployments=[str(deployment)] if deployment else [],
            name=str((config.get("https://purl.imsglobal.org/spec/lti-platform-configuration") or {})
                     .get("product_family_code", "")))
        session.expunge(platform)
        return platform
