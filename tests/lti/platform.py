"""An offline LMS for the LTI tests, behaving as Moodle 4.x or as Canvas where the tool can tell.

Each behaviour cites where the real LMS does it (read in their sources, 2026-12):
- Moodle `mod/lti/auth.php`: the authentication request needs scope `openid`, response_type
  `id_token`, response_mode `form_post`, prompt empty or `none`, the tool's client_id, a
  registered redirect_uri and the login_hint it sent; it answers with an auto-submitted form.
- Moodle `mod/lti/token.php`: form-encoded POST, `client_credentials` with a `jwt-bearer`
  assertion signed by the tool's key (no `aud` check), scopes intersected with the permitted
  ones, `expires_in` = LTI_ACCESS_TOKEN_LIFE (3600); else 400 `{"error": ...}`.
- Moodle `mod/lti/service/gradebookservices/classes/local/resources/scores.php`: needs userId,
  timestamp (ISO 8601), gradingProgress, activityProgress (else 400); scoreMaximum defaults to 1;
  **409 when the stored grade's timemodified >= the score's timestamp (whole seconds)**; a score
  not `FullyGraded` drops scoreGiven. Line items are `.../lineitems/{id}/lineitem?type_id=N`.
- Moodle `mod/lti/openid-configuration.php`, `mod/lti/openid-registration.php` and
  `classes/local/ltiopenid/registration_helper.php` (dynamic registration): the configuration
  lists issuer and endpoints; the registration needs a Bearer registration token signed by the
  platform (its `sub` is the client id to issue, used once), `response_types` with `id_token`,
  `redirect_uris` as a list, `token_endpoint_auth_method` `private_key_jwt`, application_type
  `web`, and the tool configuration's `domain` and `target_link_uri`; it answers the client id and
  `deployment_id` (the new tool type's id).
- Canvas `lib/canvas/oauth/client_credentials_provider.rb`: the assertion's `aud` must be the
  token URL (`expected_aud = oauth2_token_url`), `iss` required; `expires_in` 3600.
- Canvas `app/controllers/lti/ims/scores_controller.rb`: userId, activityProgress,
  gradingProgress, timestamp required (400); **400 when the timestamp is older than the stored
  result's updated_at** (an equal one is applied again); 422 when scoreGiven comes without
  scoreMaximum.
- Canvas `app/middleware/request_throttle.rb`: a throttled client gets **403** "(Rate Limit
  Exceeded)" with `X-Rate-Limit-Remaining: 0.0`, not 429. A 429 here is what a proxy in front
  of either LMS answers (Moodle itself has no rate limit on these endpoints).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import secrets
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
AGS_SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", SCORE_SCOPE]
ROLES = {"Learner": "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
         "Instructor": "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
         "TeachingAssistant": "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """An ASGI app on a local port (uvicorn in a thread), which can be stopped and started again."""

    def __init__(self, app: Any, port: int | None = None, ssl: tuple[str, str] | None = None) -> None:
        self.app, self.port, self.ssl = app, port or free_port(), ssl
        self.url = f"{'https' if ssl else 'http'}://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Served:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", ssl_certfile=self.ssl[0] if self.ssl else None,
                                ssl_keyfile=self.ssl[1] if self.ssl else None)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server and self._thread:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None


@dataclass
class Grade:
    score_given: float | None
    score_maximum: float
    scaled: float | None
    comment: str
    timestamp: str
    stored_at: float  # seconds since the epoch (Moodle's timemodified, Canvas's updated_at)


@dataclass
class LineItemRow:
    id: int
    course: str
    label: str
    score_maximum: float
    resource_id: str = ""
    resource_link_id: str = ""
    custom: dict[str, str] = field(default_factory=dict)
    """The deep-linked content item's `custom`, sent back in every launch of its link (Moodle
    `mod/lti/locallib.php` lti_tool_configuration_from_content_item keeps it as the activity's
    custom parameters; Canvas `app/models/lti/resource_link.rb` stores it on the link)."""


@dataclass
class ToolRegistration:
    client_id: str
    deployment_id: str
    login_url: str
    redirect_uris: list[str]
    jwks_url: str


@dataclass
class Platform:
    """One LMS: `flavour` is "moodle" or "canvas"; `url` is where it listens."""

    flavour: str
    url: str = ""
    tool: ToolRegistration | None = None
    keys: list[tuple[str, rsa.RSAPrivateKey]] = field(default_factory=list)
    line_items: dict[int, LineItemRow] = field(default_factory=dict)
    grades: dict[tuple[int, str], Grade] = field(default_factory=dict)
    score_posts: list[tuple[int, dict[str, Any], int]] = field(default_factory=list)
    token_requests: list[int] = field(default_factory=list)
    jwks_fetches: int = 0
    token_life: int = 3600
    hang_seconds: float = 5.0
    faults: dict[str, deque[int | str]] = field(default_factory=lambda: {"token": deque(), "scores": deque()})
    users: dict[str, dict[str, str]] = field(default_factory=dict)
    _tokens: dict[str, float] = field(default_factory=dict)
    _hints: dict[str, dict[str, Any]] = field(default_factory=dict)
    deep_link_returns: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not self.keys:
            self.rotate_keys()

    # -- where things are ------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        # Canvas's issuer is the same for every hosted instance; Moodle's is its wwwroot.
        return "https://canvas.instructure.com" if self.flavour == "canvas" else self.url

    @property
    def auth_url(self) -> str:
        return self.url + ("/api/lti/authorize_redirect" if self.flavour == "canvas" else "/mod/lti/auth.php")

    @property
    def token_url(self) -> str:
        return self.url + ("/login/oauth2/token" if self.flavour == "canvas" else "/mod/lti/token.php")

    @property
    def jwks_url(self) -> str:
        return self.url + ("/api/lti/security/jwks" if self.flavour == "canvas" else "/mod/lti/certs.php")

    def lineitem_url(self, item: LineItemRow) -> str:
        if self.flavour == "canvas":
            return f"{self.url}/api/lti/courses/{item.course}/line_items/{item.id}"
        return f"{self.url}/mod/lti/services.php/{item.course}/lineitems/{item.id}/lineitem?type_id=1"

    def deep_link_return_url(self, course: str) -> str:
        if self.flavour == "canvas":
            return f"{self.url}/courses/{course}/deep_linking_response"
        return f"{self.url}/mod/lti/contentitem_return.php?course={course}&id=1"

    # -- keys and tokens -------------------------------------------------------------------
    def rotate_keys(self) -> str:
        """A new signing key, published beside the old ones; returns its kid."""
        kid = secrets.token_hex(6)
        self.keys.append((kid, rsa.generate_private_key(public_exponent=65537, key_size=2048)))
        return kid

    def jwks(self) -> dict[str, Any]:
        out = []
        for kid, key in self.keys:
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            jwk.update(kid=kid, alg="RS256", use="sig")
            out.append(jwk)
        return {"keys": out}

    def sign(self, claims: dict[str, Any], *, key: rsa.RSAPrivateKey | None = None,
             kid: str | None = None) -> str:
        own_kid, own_key = self.keys[-1]
        return jwt.encode(claims, key or own_key, algorithm="RS256", headers={"kid": kid or own_kid})

    # -- launches --------------------------------------------------------------------------
    def ensure_line_item(self, course: str, link: str, label: str = "Atividade",
                         maximum: float = 100) -> LineItemRow:
        for item in self.line_items.values():
            if item.course == course and item.resource_link_id == link:
                return item
        item = LineItemRow(len(self.line_items) + 1, course, label, maximum, resource_link_id=link)
        self.line_items[item.id] = item
        return item

    def claims(self, *, user: str, role: str, course: str, link: str = "link-1", nonce: str = "",
               message: str = "LtiResourceLinkRequest", now: float | None = None) -> dict[str, Any]:
        """The id_token's claims as this LMS builds them for a launch."""
        assert self.tool is not None
        now = now or time.time()
        person = self.users.get(user, {"name": f"Estudante {user}", "email": f"{user}@example.edu"})
        claims: dict[str, Any] = {
            "iss": self.issuer, "aud": self.tool.client_id, "sub": user, "iat": int(now),
            "exp": int(now) + 60, "nonce": nonce or secrets.token_urlsafe(8),
            "name": person["name"], "email": person["email"],
            LTI + "deployment_id": self.tool.deployment_id, LTI + "message_type": message,
            LTI + "version": "1.3.0", LTI + "roles": [ROLES.get(role, role)],
            LTI + "context": {"id": course, "label": course.upper(), "title": f"Curso {course}",
                              "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
            LTI + "target_link_uri": self.tool.redirect_uris[0]}
        if self.flavour == "canvas":
            claims["azp"] = self.tool.client_id
        if message == "LtiResourceLinkRequest":
            item = self.ensure_line_item(course, link)
            claims[LTI + "resource_link"] = {"id": link, "title": item.label}
            if item.custom:
                claims[LTI + "custom"] = dict(item.custom)
            claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
                "scope": AGS_SCOPES, "lineitem": self.lineitem_url(item),
                "lineitems": self.lineitem_url(item).rsplit("/", 2)[0]}
        else:
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": self.deep_link_return_url(course),
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"], "accept_multiple": False,
                "auto_create": True, "data": f"dl-{course}"}
        return claims

    def login_form(self, *, user: str, role: str, course: str, link: str = "link-1",
                   message: str = "LtiResourceLinkRequest") -> dict[str, str]:
        """The third-party login initiation the LMS posts to the tool (and remembers)."""
        assert self.tool is not None
        hint = secrets.token_urlsafe(8)
        self._hints[hint] = {"user": user, "role": role, "course": course, "link": link, "message": message}
        return {"iss": self.issuer, "login_hint": user, "target_link_uri": self.tool.redirect_uris[0],
                "lti_message_hint": hint, "client_id": self.tool.client_id,
                "lti_deployment_id": self.tool.deployment_id}

    def authenticate(self, params: dict[str, str]) -> tuple[str, dict[str, str]]:
        """Moodle `auth.php` / Canvas `authorize_redirect`: (redirect_uri, form) or ValueError."""
        assert self.tool is not None
        if params.get("scope") != "openid":
            raise ValueError("invalid_scope")
        if params.get("response_type") != "id_token":
            raise ValueError("unsupported_response_type")
        if params.get("client_id") != self.tool.client_id:
            raise ValueError("unauthorized_client")
        if params.get("redirect_uri") not in self.tool.redirect_uris:
            raise ValueError("invalid redirect_uri")  # Moodle throws, no redirect at all
        if params.get("response_mode") != "form_post" or params.get("prompt", "none") != "none":
            raise ValueError("invalid_request")
        hint = self._hints.pop(params.get("lti_message_hint", ""), None)
        if hint is None or not params.get("nonce") or params.get("login_hint") != hint["user"]:
            raise ValueError("access_denied")
        claims = self.claims(user=hint["user"], role=hint["role"], course=hint["course"], link=hint["link"],
                             message=hint["message"], nonce=params["nonce"])
        return params["redirect_uri"], {"id_token": self.sign(claims), "state": params.get("state", "")}

    # -- services --------------------------------------------------------------------------
    def tool_keys(self) -> jwt.PyJWKSet:
        assert self.tool is not None
        return jwt.PyJWKSet.from_dict(httpx.get(self.tool.jwks_url, timeout=5).json())

    def _verify_tool_jwt(self, token: str, **kwargs: Any) -> dict[str, Any]:
        kid = jwt.get_unverified_header(token).get("kid")
        key = next(k for k in self.tool_keys().keys if k.key_id == kid)
        return jwt.decode(token, key.key, algorithms=["RS256"], **kwargs)

    def issue_token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        assert self.tool is not None
        if form.get("grant_type") != "client_credentials" or form.get("client_assertion_type") != \
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return 400, {"error": "unsupported_grant_type"}
        assertion = form.get("client_assertion", "")
        try:
            if self.flavour == "canvas":
                claims = self._verify_tool_jwt(assertion, audience=self.token_url,
                                               options={"require": ["iss", "sub", "exp", "iat"]})
            else:
                claims = self._verify_tool_jwt(assertion, options={"verify_aud": False})
        except (jwt.InvalidTokenError, StopIteration):
            return 400, {"error": "invalid_client" if self.flavour == "moodle" else "invalid_request"}
        if claims.get("sub") != self.tool.client_id:
            return 400, {"error": "invalid_client"}
        scopes = [s for s in form.get("scope", "").split() if s in AGS_SCOPES]
        if not scopes:
            return 400, {"error": "invalid_scope"}
        token = secrets.token_urlsafe(16)
        self._tokens[token] = time.time() + self.token_life
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": self.token_life,
                     "scope": " ".join(scopes)}

    def post_score(self, item_id: int, authorization: str, body: dict[str, Any]) -> tuple[int, str]:
        token = authorization.removeprefix("Bearer ").strip()
        if self._tokens.get(token, 0) < time.time():
            return 401, "invalid or expired token"
        item = self.line_items.get(item_id)
        if item is None:
            return 404, "line item not found"
        required = ("userId", "timestamp", "gradingProgress", "activityProgress")
        if any(k not in body for k in required):
            return 400, "missing required parameter"
        try:
            stamp = datetime.fromisoformat(str(body["timestamp"])).timestamp()
        except ValueError:
            return 400, "not a valid timestamp"
        key = (item_id, str(body["userId"]))
        old = self.grades.get(key)
        if self.flavour == "moodle":
            if old and old.stored_at >= int(stamp):  # whole seconds, as strtotime
                return 409, f"Refusing score with an earlier timestamp for item {item_id}"
            maximum = float(body.get("scoreMaximum", 1))
            stored_at: float = int(stamp)
        else:
            if old and old.stored_at > stamp:
                return 400, "Provided timestamp before last updated timestamp"
            if "scoreGiven" in body and "scoreMaximum" not in body:
                return 422, "ScoreMaximum not supplied when ScoreGiven present."
            maximum = float(body.get("scoreMaximum", 0))
            stored_at = stamp
        given = body.get("scoreGiven") if body["gradingProgress"] == "FullyGraded" else None
        scaled = None if given is None or not maximum else float(given) / maximum * item.score_maximum
        self.grades[key] = Grade(given, maximum, scaled, str(body.get("comment", "")), str(body["timestamp"]),
                                 stored_at)
        return 200, json.dumps({"resultUrl": f"{self.lineitem_url(item)}/results/{body['userId']}"})

    def accept_deep_link(self, token: str) -> LineItemRow:
        """The LMS side of the deep-linking return: checks the tool's signed response and makes the
        link and its gradebook column from the content item's `lineItem`."""
        assert self.tool is not None
        claims = self._verify_tool_jwt(token, audience=self.issuer, issuer=self.tool.client_id)
        assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
        assert claims[LTI + "version"] == "1.3.0"
        assert claims[LTI + "deployment_id"] == self.tool.deployment_id
        items = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
        assert len(items) == 1 and items[0]["type"] == "ltiResourceLink"
        line = items[0]["lineItem"]
        data = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/data", "")
        course = data.removeprefix("dl-")
        link = f"link-{len(self.line_items) + 1}"
        row = LineItemRow(len(self.line_items) + 1, course, line["label"], float(line["scoreMaximum"]),
                          resource_id=line["resourceId"], resource_link_id=link,
                          custom={k: str(v) for k, v in (items[0].get("custom") or {}).items()})
        self.line_items[row.id] = row
        self.deep_link_returns.append(claims)
        return row

    def registration_token(self) -> str:
        """What Moodle's "Register" button hands the tool: a token naming the client id to issue."""
        return self.sign({"sub": f"dyn-{secrets.token_hex(4)}", "iat": int(time.time()),
                          "exp": int(time.time()) + 3600})

    def openid_configuration_url(self) -> str:
        return self.url + "/mod/lti/openid-configuration.php"

    def openid_configuration(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "token_endpoint": self.token_url, "jwks_uri": self.jwks_url,
                "authorization_endpoint": self.auth_url,
                "registration_endpoint": self.url + "/mod/lti/openid-registration.php",
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                "response_types_supported": ["id_token"], "scopes_supported": ["openid", *AGS_SCOPES],
                "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                    "product_family_code": self.flavour,
                    "messages_supported": ["LtiResourceLinkRequest", "LtiDeepLinkingRequest"]}}

    def register_tool(self, authorization: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not authorization.startswith("Bearer "):
            return 401, {"error": "missing_registration_token"}
        try:
            key = jwt.PyJWKSet.from_dict(self.jwks())
            token = authorization[7:].strip()
            kid = jwt.get_unverified_header(token)["kid"]
            client_id = jwt.decode(token, key[kid].key, algorithms=["RS256"])["sub"]
        except (jwt.InvalidTokenError, KeyError):
            return 401, {"error": "invalid registration token"}
        if self.tool and self.tool.client_id == client_id:
            return 401, {"error": "token_already_used"}
        conf = payload.get("https://purl.imsglobal.org/spec/lti-tool-configuration") or {}
        for needed in ("response_types", "initiate_login_uri", "redirect_uris", "client_name", "jwks_uri",
                       "token_endpoint_auth_method"):
            if not payload.get(needed):
                return 400, {"error": f"missing required attribute {needed}"}
        if not conf.get("domain") or not conf.get("target_link_uri"):
            return 400, {"error": "missing required attribute domain or target_link_uri"}
        if "id_token" not in payload["response_types"] or not isinstance(payload["redirect_uris"], list) \
                or payload["token_endpoint_auth_method"] != "private_key_jwt" \
                or payload.get("application_type", "web") != "web":
            return 400, {"error": "invalid registration"}
        self.tool = ToolRegistration(client_id=client_id, deployment_id="7",
                                     login_url=payload["initiate_login_uri"],
                                     redirect_uris=list(payload["redirect_uris"]),
                                     jwks_url=payload["jwks_uri"])
        return 200, {"client_id": client_id, "jwks_uri": payload["jwks_uri"],
                     "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                         "deployment_id": "7", "target_link_uri": conf["target_link_uri"]}}

    def fault(self, name: str) -> int | str | None:
        with self.lock:
            return self.faults[name].popleft() if self.faults[name] else None

    # -- the app -----------------------------------------------------------------------------
    def app(self) -> FastAPI:
        app = FastAPI()
        me = self

        def autopost(action: str, fields: dict[str, str]) -> HTMLResponse:
            inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                             for k, v in fields.items())
            return HTMLResponse(f'<!doctype html><html lang="en"><head><title>LMS</title></head><body>'
                                f'<form id="f" method="post" action="{html.escape(action)}">{inputs}'
                                f'<button>Go</button></form><script>document.getElementById("f").submit()'
                                f'</script></body></html>')

        @app.get("/course")
        def course_page(user: str, role: str, course: str) -> HTMLResponse:
            """The course page with the activity embedded (Moodle's "Embed" container)."""
            src = html.escape(f"/launch?user={user}&role={role}&course={course}")
            return HTMLResponse(f'<!doctype html><html lang="en"><head><title>Course</title></head><body>'
                                f'<h1>Course</h1><iframe id="tool" title="tool" src="{src}" width="800" '
                                f'height="400"></iframe></body></html>')

        @app.get("/launch")
        def lms_page(user: str, role: str, course: str, link: str = "link-1",
                     message: str = "LtiResourceLinkRequest") -> HTMLResponse:
            assert me.tool is not None
            return autopost(me.tool.login_url, me.login_form(user=user, role=role, course=course,
                                                             link=link, message=message))

        @app.api_route("/mod/lti/auth.php", methods=["GET", "POST"])
        @app.api_route("/api/lti/authorize_redirect", methods=["GET", "POST"])
        async def auth(request: Request) -> Response:
            params = dict(request.query_params)
            if request.method == "POST":
                params.update({k: str(v) for k, v in (await request.form()).items()})
            try:
                action, fields = me.authenticate(params)
            except ValueError as err:
                return HTMLResponse(f"LMS error: {html.escape(str(err))}", status_code=400)
            return autopost(action, fields)

        @app.get("/mod/lti/certs.php")
        @app.get("/api/lti/security/jwks")
        def certs() -> JSONResponse:
            me.jwks_fetches += 1
            return JSONResponse(me.jwks())

        @app.get("/mod/lti/openid-configuration.php")
        def openid_configuration() -> JSONResponse:
            return JSONResponse(me.openid_configuration())

        @app.post("/mod/lti/openid-registration.php")
        async def openid_registration(request: Request) -> JSONResponse:
            status, body = me.register_tool(request.headers.get("authorization", ""), await request.json())
            return JSONResponse(body, status_code=status)

        @app.post("/mod/lti/token.php")
        @app.post("/login/oauth2/token")
        async def token(request: Request) -> Response:
            fault = me.fault("token")
            me.token_requests.append(int(fault) if isinstance(fault, int) else 200)
            if isinstance(fault, int):
                return JSONResponse({"error": "injected"}, status_code=fault)
            if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            status, body = me.issue_token({k: str(v) for k, v in (await request.form()).items()})
            return JSONResponse(body, status_code=status)

        async def scores(request: Request, item: int) -> Response:
            body = await request.json()
            fault = me.fault("scores")
            if fault == "store-then-hang":  # the LMS stored it; the answer never reaches the tool
                with me.lock:
                    status, _ = me.post_score(item, request.headers.get("authorization", ""), body)
                me.score_posts.append((item, body, status))
                await asyncio.sleep(me.hang_seconds)
                return Response("late", status_code=status)
            if fault == "throttle":
                status, text = 403, "403 Forbidden (Rate Limit Exceeded)\n"
                headers = {"X-Rate-Limit-Remaining": "0.0"}
            elif isinstance(fault, int):
                status, text, headers = fault, "injected", {"Retry-After": "0"} if fault == 429 else {}
            else:
                with me.lock:
                    status, text = me.post_score(item, request.headers.get("authorization", ""), body)
                headers = {}
            me.score_posts.append((item, body, status))
            return Response(text, status_code=status, headers=headers)

        @app.post("/mod/lti/services.php/{course}/lineitems/{item}/lineitem/scores")
        async def moodle_scores(request: Request, course: str, item: int, type_id: int) -> Response:
            if request.headers.get("content-type") != "application/vnd.ims.lis.v1.score+json":
                return Response("bad content type", status_code=400)
            return await scores(request, item)

        @app.post("/api/lti/courses/{course}/line_items/{item}/scores")
        async def canvas_scores(request: Request, course: str, item: int) -> Response:
            return await scores(request, item)

        @app.post("/mod/lti/contentitem_return.php")
        @app.post("/courses/{course}/deep_linking_response")
        async def deep_link_return(request: Request) -> HTMLResponse:
            form = await request.form()
            try:
                row = me.accept_deep_link(str(form.get("JWT", "")))
            except (AssertionError, jwt.InvalidTokenError, StopIteration, KeyError) as err:
                return HTMLResponse(f"LMS refused the deep link: {type(err).__name__}", status_code=400)
            return HTMLResponse(f'<p id="added">Line item {row.id}: {html.escape(row.label)} '
                                f'({row.score_maximum:g})</p>')

        return app


@contextlib.contextmanager
def running(platform: Platform) -> Any:
    """The platform served on a free port for the duration of the block."""
    served = Served(platform.app())
    platform.url = served.url
    served.start()
    try:
        yield served
    finally:
        served.stop()
