"""The tool's own endpoints: its key set across a rotation, Canvas's JSON configuration, the
deep-linking form's guards; and the package's boundary (it never imports the service)."""

from __future__ import annotations

import ast
from pathlib import Path

import httpx
import jwt
from itsdangerous import URLSafeTimedSerializer
from layerwise.lti import keys

from .platform import Platform
from .toolapp import Tool

PACKAGE = Path(__file__).resolve().parents[2] / "autograder" / "layerwise" / "lti"


def test_jwks_keeps_the_previous_key_after_rotation(tool: Tool, lms: Platform) -> None:
    with tool.sessions.begin() as session:
        old = keys.sign(session, {"sub": "x"})
        keys.rotate(session)
        new = keys.sign(session, {"sub": "y"})
    published = jwt.PyJWKSet.from_dict(httpx.get(tool.url + "/lti/jwks", timeout=5).json())
    assert len(published.keys) == 2
    for token in (old, new):
        kid = jwt.get_unverified_header(token)["kid"]
        assert jwt.decode(token, published[kid].key, algorithms=["RS256"])["sub"] in ("x", "y")
    assert all("d" not in k._jwk_data for k in published.keys)  # public halves only


def test_canvas_configuration(tool: Tool, lms: Platform) -> None:
    config = httpx.get(tool.url + "/lti/config.json", timeout=5).json()
    assert config["oidc_initiation_url"] == tool.url + "/lti/login"
    assert config["target_link_uri"] == tool.url + "/lti/launch"
    assert config["public_jwk_url"] == tool.url + "/lti/jwks"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in config["scopes"]
    placements = config["extensions"][0]["settings"]["placements"]
    assert {p["message_type"] for p in placements} == {"LtiDeepLinkingRequest"}


def test_deep_link_form_refuses_forged_ticket_and_unoffered_choice(tool: Tool, lms: Platform) -> None:
    forged = httpx.post(tool.url + "/lti/deep-link", data={"ticket": "x.y.z", "choice": "cnn_keras"},
                        timeout=5)
    assert forged.status_code == 401 and "BadState" in forged.text
    ticket = URLSafeTimedSerializer("test-secret", salt="layerwise-lti-deep-link").dumps(
        {"platform": 1, "iss": lms.issuer, "client": "c", "deployment": "1", "return": lms.url,
         "data": None, "choices": [["cnn_keras", "CNN", 100.0]]})
    other = httpx.post(tool.url + "/lti/deep-link", data={"ticket": ticket, "choice": "secret_lesson"},
                       timeout=5)
    assert other.status_code == 400 and "BadRequest" in other.text


def test_package_never_imports_the_service() -> None:
    for module in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            for name in names:
                assert not name.startswith("layerwise") or name.startswith("layerwise.lti"), (module, name)
