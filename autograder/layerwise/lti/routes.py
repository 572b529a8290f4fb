"""The tool's LTI endpoints as a FastAPI router: login initiation, launch, deep linking, JWKS,
and the Canvas JSON configuration. Mount it with `app.include_router(router, prefix="/lti")`."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from . import deeplink, keys, oidc, pages, registration
from . import refusals as r
from .canvas import canvas_config
from .messages import STATE_COOKIE, LaunchMessage, accept_launch, verify_id_token
from .ports import DeepLinkCatalog, DeepLinkChoice, LaunchHandler

log = logging.getLogger("layerwise.lti")
PROBE = "lti_probe"


def refuse(err: r.LaunchRefused, asset: str) -> Response:
    """Log the refusal (one line, no secrets) and answer its bilingual page."""
    log.warning(err.log_line)
    return pages.refused(err, asset)


def lti_router(*, session_factory: Callable[[], Session], base_url: str, on_launch: LaunchHandler,
               catalog: DeepLinkCatalog, secret: str, title: str = "layerwise",
               registration_key: str | None = None, http: httpx.Client | None = None) -> APIRouter:
    """The router; `base_url` is the public URL it is mounted at (e.g. `https://host/lti`).
    Dynamic registration is on only with a `registration_key` (the admin gives the LMS the URL
    `{base_url}/register?key=…`): no one else can add a platform."""
    base = base_url.rstrip("/")
    secure = base.startswith("https://")
    asset = base + "/lti.js"
    tickets = URLSafeTimedSerializer(secret, salt="layerwise-lti-deep-link")
    router = APIRouter()
    client = http or httpx.Client(timeout=10)

    def cookie_args() -> dict[str, Any]:
        # A launch is a cross-site POST from the LMS: only SameSite=None cookies travel with it,
        # and browsers take those only when Secure (https).
        return {"max_age": 600, "path": "/", "secure": secure, "samesite": "none" if secure else "lax"}

    @router.get("/lti.js", include_in_schema=False)
    def script() -> Response:
        return PlainTextResponse(pages.ASSET, media_type="text/javascript")

    @router.get("/jwks")
    def jwks() -> JSONResponse:
        keys.ensure_key(session_factory)
        with session_factory() as session:
            return JSONResponse(keys.jwks(session))

    @router.get("/config.json")
    def config() -> JSONResponse:
        return JSONResponse(canvas_config(base, title))

    @router.get("/register")
    def dynamic_registration(request: Request) -> Response:
        query = request.query_params
        key = query.get("key", "")
        if not registration_key or not hmac.compare_digest(key.encode(), registration_key.encode()):
            return refuse(r.RegistrationKey("dynamic registration without the admin's key"), asset)
        try:
            platform = registration.register(
                session_factory, client, openid_configuration=query.get("openid_configuration", ""),
                registration_token=query.get("registration_token", ""), base=base, title=title)
        except r.LaunchRefused as err:
            return refuse(err, asset)
        log.info("lti dynamic registration: %s client %s", platform.issuer, platform.client_id)
        return pages.registered(platform.issuer, asset)

    @router.api_route("/login", methods=["GET", "POST"])
    async def login(request: Request) -> Response:
        params = {k: str(v) for k, v in request.query_params.items()}
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.form()).items()})

        def begin() -> tuple[str, str]:
            with session_factory() as session, session.begin():
                return oidc.begin_login(session, params, redirect_uri=base + "/launch")
        try:
            auth, state = await run_in_threadpool(begin)
        except r.LaunchRefused as err:
            return refuse(err, asset)
        response = pages.login(auth, base + "/login?" + urlencode(params), asset)
        response.set_cookie(STATE_COOKIE + state, state, httponly=True, **cookie_args())
        response.set_cookie(PROBE, "1", **cookie_args())
        return response

    def deep_link_picker(session: Session, launch: LaunchMessage) -> Response:
        if launch.role != "instructor":
            raise r.NotInstructor(f"{launch.subject} deep-linking in {launch.context_id}")
        choices = catalog(session, launch)
        ticket = tickets.dumps({"platform": launch.platform_id, "iss": launch.issuer,
                                "client": launch.client_id, "deployment": launch.deployment_id,
                                "return": launch.deep_link_return_url, "data": launch.deep_link_data,
                                "choices": [[c.resource_id, c.label, c.score_maximum] for c in choices]})
        return pages.picker(base + "/deep-link", ticket, choices, asset)

    @router.post("/launch")
    async def launch(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        state = form.get("state")
        cookie = request.cookies.get(STATE_COOKIE + state) if state else None

        def work() -> Response:
            if form.get("error"):
                detail = form.get("error_description", "")
                raise r.BadRequest(f"the platform answered {form['error']}: {detail}")
            with session_factory() as session:  # reads and the key set's fetch: no write lock held
                token = verify_id_token(session, id_token=form.get("id_token", ""), state=state,
                                        state_cookie=cookie)
            with session_factory() as session, session.begin():
                message = accept_launch(session, token, str(state))
                log.info("lti launch: %s %s as %s in %s", message.issuer, message.subject, message.role,
                         message.context_id)
                if message.message_type == "LtiDeepLinkingRequest":
                    return deep_link_picker(session, message)
                return on_launch(session, message, request)
        try:
            response = await run_in_threadpool(work)
        except r.LaunchRefused as err:
            response = refuse(err, asset)
        if state:
            response.delete_cookie(STATE_COOKIE + state, path="/")
        return response

    @router.post("/deep-link")
    async def deep_link(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            ticket = tickets.loads(form.get("ticket", ""), max_age=3600)
        except BadData:
            return refuse(r.BadState("deep-linking ticket forged or older than an hour"), asset)
        choices = [DeepLinkChoice(*c) for c in ticket["choices"]]
        choice = next((c for c in choices if c.resource_id == form.get("choice")), None)
        if choice is None:
            return refuse(r.BadRequest(f"no assignment {form.get('choice')!r} was offered"), asset)

        def sign() -> str:
            keys.ensure_key(session_factory)
            with session_factory() as session:
                return deeplink.response_jwt(session, client_id=ticket["client"], issuer=ticket["iss"],
                                             deployment_id=ticket["deployment"], data=ticket["data"],
                                             choice=choice, launch_url=base + "/launch")
        token = await run_in_threadpool(sign)
        log.info("lti deep link: %s placed in %s", choice.resource_id, ticket["iss"])
        return pages.autosubmit(ticket["return"], {"JWT": token}, asset)

    return router
