"""Canvas's LTI 1.3 JSON configuration (Developer Keys → LTI Key → "Enter URL")."""

from __future__ import annotations

from typing import Any

SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
          "https://purl.imsglobal.org/spec/lti-ags/scope/score"]


def canvas_config(base: str, title: str) -> dict[str, Any]:
    """The tool as Canvas imports it: launch and login URLs, the key set URL, placements."""
    launch = base + "/launch"
    placements = [
        {"placement": "assignment_selection", "message_type": "LtiDeepLinkingRequest",
         "target_link_uri": launch, "text": title},
        {"placement": "link_selection", "message_type": "LtiDeepLinkingRequest",
         "target_link_uri": launch, "text": title},
    ]
    return {
        "title": title,
        "description": "Autograded CNN assignments, feedback in Portuguese and English.",
        "oidc_initiation_url": base + "/login",
        "target_link_uri": launch,
        "public_jwk_url": base + "/jwks",
        "scopes": SCOPES,
        "extensions": [{"platform": "canvas.instructure.com", "privacy_level": "public",
                        "settings": {"placements": placements}}],
        "custom_fields": {},
    }
