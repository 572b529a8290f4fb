"""A minimal tool for the tests: the LTI router mounted as `layerwise serve` will mount it, a
signed session cookie set by the launch handler, two guarded pages, and a "submit" that stores a
grade and queues its score in one transaction (the real grading is the service's)."""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from itsdangerous import BadSignature, URLSafeSerializer
from layerwise.lti import outbox
from layerwise.lti.guards import check_access, install_refusal_pages
from layerwise.lti.messages import LaunchMessage
from layerwise.lti.models import METADATA
from layerwise.lti.platforms import register_platform
from layerwise.lti.ports import DeepLinkChoice
from layerwise.lti.refusals import NotInstructor
from layerwise.lti.routes import lti_router
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, event, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .platform import Platform, Served, ToolRegistration, free_port

TOOL_META = MetaData()
GRADES = Table("tool_grades", TOOL_META, Column("id", Integer, primary_key=True),
               Column("user_sub", String(200)), Column("score", Float))
CATALOG = [DeepLinkChoice("cnn_keras", "Introdução às CNNs no Keras", 100.0),
           DeepLinkChoice("cnn_numpy", "A mesma CNN em NumPy", 100.0)]


def sqlite_engine(path: Path) -> Engine:
    """SQLite as the service sets it up: WAL, a busy timeout, several threads, and transactions
    begun by SQLAlchemy (plain deferred BEGIN), so a transaction that reads before it writes can
    meet another writer's lock."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30,
                                                               "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _wal(connection: Any, _record: Any) -> None:
        connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


@dataclass
class Tool:
    """The tool app, its database and what its launch handler saw."""

    db: Path
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    ssl: tuple[str, str] | None = None  # (certificate, key) to serve over https
    launches: list[LaunchMessage] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.engine = sqlite_engine(self.db)
        METADATA.create_all(self.engine)
        TOOL_META.create_all(self.engine)
        self.sessions = sessionmaker(self.engine)
        self.url = f"{'https' if self.ssl else 'http'}://{self.host}:{self.port}"
        self.signer = URLSafeSerializer("test-secret", salt="tool-session")
        self.served: Served | None = None
        self._stop = threading.Event()
        self._sender: threading.Thread | None = None

    def register(self, platform: Platform) -> None:
        """Both sides of the registration an admin does once."""
        platform.tool = ToolRegistration(client_id=f"client-{platform.flavour}", deployment_id="1",
                                         login_url=self.url + "/lti/login",
                                         redirect_uris=[self.url + "/lti/launch"],
                                         jwks_url=self.url + "/lti/jwks")
        with self.sessions.begin() as session:
            register_platform(session, issuer=platform.issuer, client_id=platform.tool.client_id,
                              auth_login_url=platform.auth_url, token_url=platform.token_url,
                              jwks_url=platform.jwks_url, deployments=["1"], name=platform.flavour)

    def on_launch(self, session: Session, launch: LaunchMessage, request: Request) -> Response:
        self.launches.append(launch)
        response = RedirectResponse("/home", status_code=303)
        response.set_cookie("tool_session", self.signer.dumps({
            "sub": launch.subject, "name": launch.name, "role": launch.role, "course": launch.context_id,
            "line_item": launch.line_item_id}), httponly=True,
            **({"samesite": "none", "secure": True} if self.ssl else {"samesite": "lax"}))
        return response

    def who(self, request: Request) -> dict[str, Any]:
        try:
            return dict(self.signer.loads(request.cookies.get("tool_session", "")))
        except BadSignature as err:
            raise NotInstructor("no session") from err

    def app(self) -> FastAPI:
        app = FastAPI()
        app.include_router(lti_router(session_factory=self.sessions, base_url=self.url + "/lti",
                                      on_launch=self.on_launch, catalog=lambda s, launch: CATALOG,
                                      secret="test-secret", registration_key="admin-key"), prefix="/lti")
        install_refusal_pages(app)

        def page(body: str) -> HTMLResponse:
            return HTMLResponse(f'<!doctype html><html lang="pt-BR"><head><title>tool</title></head>'
                                f'<body><main>{body}</main></body></html>')

        @app.get("/home")
        def home(request: Request) -> HTMLResponse:
            me = self.who(request)
            role = {"instructor": "docente / instructor", "student": "estudante / student"}[me["role"]]
            return page(f'<p id="who">{html.escape(me["name"])}</p><p id="role">{role}</p>'
                        f'<p id="course">{html.escape(me["course"])}</p>'
                        f'<form method="post" action="/submit"><button id="submit">Entregar / Submit</button>'
                        f'</form>')

        @app.get("/course/{course}/instructor")
        def instructor_page(request: Request, course: str) -> HTMLResponse:
            me = self.who(request)
            check_access(role=me["role"], course=me["course"], wanted_course=course, instructor_page=True)
            return page("<h1>Painel / Dashboard</h1>")

        @app.get("/course/{course}/student")
        def student_page(request: Request, course: str) -> HTMLResponse:
            me = self.who(request)
            check_access(role=me["role"], course=me["course"], wanted_course=course, instructor_page=False)
            return page("<h1>Minhas entregas / My submissions</h1>")

        @app.post("/submit")
        def submit(request: Request) -> HTMLResponse:
            me = self.who(request)
            with self.sessions.begin() as session:  # the grade and its score: one transaction
                session.execute(insert(GRADES).values(user_sub=me["sub"], score=80.0))
                outbox.enqueue_score(session, line_item_id=me["line_item"], user_sub=me["sub"],
                                     score_given=80.0, score_maximum=100.0, graded_at=datetime.now(UTC))
            return page('<p id="graded">Nota 80/100 registrada / Score 80/100 recorded</p>')

        return app

    def start(self, *, sender: bool = False) -> Tool:
        self.served = Served(self.app(), self.port, self.ssl).start()
        if sender:
            http = httpx.Client(timeout=5)
            self._sender = threading.Thread(target=outbox.sender_loop, daemon=True,
                                            args=(self.sessions, http, self._stop), kwargs={"interval": 0.3})
            self._sender.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._sender:
            self._sender.join(timeout=10)
        if self.served:
            self.served.stop()
        self.engine.dispose()
