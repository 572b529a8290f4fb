"""Pages inside an LMS: a browser that came by an LTI launch may see the service framed by the
registered LMSs, and the LTI pages may post back to them (the deep-linking return)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from layerwise.lti.models import Platform

EMBED_COOKIE = "lw_lti"
"""Set by a launch: this browser came from an LMS, so pages may be framed by registered LMSs."""


class FrameOrigins:
    """The registered LMSs' origins (from their login URLs), re-read at most every 30 s."""

    def __init__(self, factory: Callable[[], Session], extra: str = "") -> None:
        self.factory, self.at, self.origins = factory, 0.0, ""
        self.extra = {o for o in extra.split() if o != "'none'"}
        """--frame-ancestors' origins (e.g. a Canvas's institution host) are kept."""

    def get(self) -> str:
        if time.monotonic() - self.at > 30:
            with self.factory() as session:
                urls = session.scalars(select(Platform.auth_login_url)).all()
            found = {f"{p.scheme}://{p.netloc}" for p in map(urlsplit, urls) if p.netloc}
            self.origins, self.at = " ".join(sorted(found | self.extra)), time.monotonic()
        return self.origins


def _directive(csp: str, name: str, value: str) -> str:
    """`csp` with directive `name` set to `value`."""
    kept = [d.strip() for d in csp.split(";") if d.strip() and d.split()[0] != name]
    return "; ".join([*kept, f"{name} {value}"])


def embed_headers(app: FastAPI) -> Callable[[Request, Callable[[Request], Awaitable[Response]]],
                                            Awaitable[Response]]:
    """Middleware (outside serve's own headers): a browser that came by an LTI launch may see
    the pages inside the registered LMSs' frames (CSP frame-ancestors, no X-Frame-Options), and
    the LTI pages may post their forms back to those LMSs (the deep-linking return)."""

    async def add(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        lti_page = request.url.path.startswith("/lti/")
        origins: FrameOrigins | None = getattr(app.state, "frame_origins", None)
        if (lti_page or request.cookies.get(EMBED_COOKIE)) and origins is not None:
            allowed = origins.get()
            csp = response.headers.get("content-security-policy", "")
            if allowed and csp:
                csp = _directive(csp, "frame-ancestors", f"'self' {allowed}")
                if lti_page:  # the deep-linking return may be on another host of the LMS
                    csp = _directive(csp, "form-action", f"'self' https: {allowed}")
                response.headers["Content-Security-Policy"] = csp
                if "x-frame-options" in response.headers:
                    del response.headers["x-frame-options"]
        return response

    return add
