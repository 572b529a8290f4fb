"""The ASGI application: `create_app(settings)` for uvicorn (and the tests)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from layerwise.serve import auth, lti_frames, lti_glue, migrate
from layerwise.serve.config import Settings
from layerwise.serve.db import make_engine, sessions
from layerwise.serve.dispatch import Dispatcher
from layerwise.serve.logs import log_requests
from layerwise.serve.routes import account, lti_admin, staff, student
from layerwise.serve.web import ENV, Refused, headers

log = logging.getLogger("layerwise.serve")
STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings, *, grade: bool = True) -> FastAPI:
    """The service; with `grade`, this process also grades (its dispatcher and worker
    pool start with it and stop with it)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.url)
        migrate.upgrade(engine)
        factory = sessions(engine)
        with factory.begin() as session:
            app.state.secret = auth.secret(session)
        app.state.settings, app.state.factory = settings, factory
        dispatcher = Dispatcher(settings, factory) if grade and settings.workers > 0 else None
        app.state.dispatcher = dispatcher
        if dispatcher is not None:
            dispatcher.start()
        lti_glue.mount(app, factory, app.state.secret)
        sender = lti_glue.Sender(factory)
        sender.start()
        log.info("serving", extra={"data": str(settings.data), "db": engine.dialect.name,
                                   "workers": settings.workers if dispatcher else 0})
        try:
            yield
        finally:
            sender.stop()
            if dispatcher is not None:
                dispatcher.stop()
            engine.dispose()
            log.info("stopped")

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.middleware("http")(headers(settings.frame_ancestors))
    app.middleware("http")(log_requests)
    app.middleware("http")(lti_frames.embed_headers(app))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (account, student, staff):
        app.include_router(module.router)
    app.include_router(lti_admin.router)

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)
        message = exc.message if isinstance(exc, Refused) else None
        html = ENV.get_template("error.html.j2").render(
            status=exc.status_code, message=message, detail=str(exc.detail), me=None,
            request=request)
        return HTMLResponse(html, status_code=exc.status_code)

    return app
