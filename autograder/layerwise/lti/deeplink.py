"""The deep-linking response (LTI Deep Linking 2.0 §4.2): one `ltiResourceLink` with a `lineItem`,
so the LMS creates the gradebook column bound to the link."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from . import keys
from .clock import utc
from .messages import LTI
from .ports import DeepLinkChoice

DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def response_jwt(session: Session, *, client_id: str, issuer: str, deployment_id: str,
                 data: str | None, choice: DeepLinkChoice, launch_url: str,
                 now: datetime | None = None) -> str:
    """The signed `LtiDeepLinkingResponse` to post back to the platform's return URL."""
    stamp = int(utc(now).timestamp()) if now else int(utc().timestamp())
    item: dict[str, Any] = {
        "type": "ltiResourceLink", "title": choice.label, "url": launch_url,
        "custom": {"layerwise_assignment": choice.resource_id},
        "lineItem": {"scoreMaximum": choice.score_maximum, "label": choice.label,
                     "resourceId": choice.resource_id}}
    claims: dict[str, Any] = {
        "iss": client_id, "aud": issuer, "iat": stamp, "exp": stamp + 300,
        "nonce": secrets.token_urlsafe(16),
        LTI + "message_type": "LtiDeepLinkingResponse", LTI + "version": "1.3.0",
        LTI + "deployment_id": deployment_id, DL_CLAIM + "content_items": [item]}
    if data is not None:
        claims[DL_CLAIM + "data"] = data
    return keys.sign(session, claims)
