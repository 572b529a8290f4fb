"""The service's LTI glue without grading: a launch's session cookie (SameSite=None; Secure over
HTTPS, Lax otherwise), framing allowed to the registered LMS only for launched browsers, the
counted score (best, late penalty) queued for the line item, nothing for a non-LTI student."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from layerwise.lti.models import LineItem, Platform, ScoreOutbox
from layerwise.lti.platforms import register_platform
from layerwise.serve import admin, identity
from layerwise.serve.app import create_app
from layerwise.serve.config import Settings
from layerwise.serve.db import writing
from layerwise.serve.lti_glue import queue_score
from layerwise.serve.models import Counts, Course, CourseAssignment, Role, Submission, User, now
from sqlalchemy import select

from .flow import login
from .platform import Platform as Lms
from .platform import ToolRegistration, running


@pytest.fixture
def moodle() -> Iterator[Lms]:
    platform = Lms("moodle")
    with running(platform):
        yield platform


def _service(tmp_path: Path, base: str) -> Settings:
    return Settings(data=tmp_path, workers=0, base_url=base)


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_launch_cookie_and_framing(moodle: Lms, tmp_path: Path, scheme: str) -> None:
    base = f"{scheme}://testserver"
    app = create_app(_service(tmp_path, base), grade=False)
    with TestClient(app, base_url=base) as client:
        moodle.tool = ToolRegistration("client-m", "1", base + "/lti/login", [base + "/lti/launch"],
                                       base + "/lti/jwks")
        with writing(app.state.factory) as session:
            register_platform(session, issuer=moodle.issuer, client_id="client-m",
                              auth_login_url=moodle.auth_url, token_url=moodle.token_url,
                              jwks_url=moodle.jwks_url, deployments=["1"])
        stranger = client.get("/login")
        assert stranger.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in stranger.headers["content-security-policy"]

        params = login(client, SimpleNamespace(url=base), moodle, user="s1")  # type: ignore[arg-type]
        action, fields = moodle.authenticate(params)
        launched = client.post(action, data=fields, follow_redirects=False)
        assert launched.status_code == 303 and launched.headers["location"] == "/"
        cookie = next(c for c in launched.headers.get_list("set-cookie") if c.startswith("lw_session="))
        if scheme == "https":
            assert "samesite=none" in cookie.lower() and "secure" in cookie.lower()
        else:
            assert "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
        home = client.get("/")
        assert home.status_code == 200
        assert f"frame-ancestors 'self' {moodle.url}" in home.headers["content-security-policy"]
        assert "x-frame-options" not in home.headers
        with app.state.factory() as session:
            user = session.scalars(select(User).where(User.lti_subject == "s1")).one()
            course = session.scalars(select(Course)).one()
            assert identity.role_in(session, user, course.id) is Role.student


def test_counted_score_is_queued(tmp_path: Path) -> None:
    app = create_app(_service(tmp_path, "http://testserver"), grade=False)
    with TestClient(app), writing(app.state.factory) as session:
        platform = register_platform(session, issuer="https://lms", client_id="c", auth_login_url="https://lms/a",
                                     token_url="https://lms/t", jwks_url="https://lms/k", deployments=["1"])
        course = identity.upsert_lti_course(session, "https://lms", "1", "ctx", "CNN")
        ana = identity.upsert_lti_user(session, "https://lms", "sub-ana", "Ana", None)
        rostered = User(name="Bia")
        session.add(rostered)
        ca = CourseAssignment(course_id=course.id, assignment="cnn_keras", title="CNN", seed=1,
                              counts=Counts.best, resource_link_id="link-1")
        session.add(ca)
        session.add(LineItem(platform_id=platform.id, deployment_id="1", context_id="ctx",
                             resource_link_id="link-1", lineitem_url="https://lms/li/1", scopes=""))
        session.flush()
        start = now() - timedelta(hours=1)
        subs = []
        for i, (total, late) in enumerate([(90.0, 0.0), (60.0, 0.0), (100.0, 20.0)]):
            sub = Submission(course_assignment_id=ca.id, user_id=ana.id, filename="n.ipynb", size=1,
                             sha256="x", folder="f", created=start + timedelta(minutes=i),
                             status="graded", raw_total=total, total=total * (1 - late / 100),
                             max_total=100.0, late_percent=late, graded_at=start + timedelta(minutes=i))
            session.add(sub)
            session.flush()
            subs.append(sub)
            queue_score(session, sub)
        rows = session.scalars(select(ScoreOutbox).order_by(ScoreOutbox.id)).all()
        # best counts: 90, still 90 after a 60, still 90 after a late 100 (80 after the penalty)
        assert [(r.score_given, r.score_maximum) for r in rows] == [(90.0, 100.0)] * 3
        assert [r.status for r in rows] == ["superseded", "superseded", "pending"]
        other = Submission(course_assignment_id=ca.id, user_id=rostered.id, filename="n.ipynb", size=1,
                           sha256="x", folder="g", status="graded", total=50.0, max_total=100.0,
                           graded_at=now())
        session.add(other)
        session.flush()
        queue_score(session, other)  # no LMS identity: nothing to send
        assert len(session.scalars(select(ScoreOutbox)).all()) == 3


def _signed_in_as(client: TestClient, email: str, password: str) -> None:
    form = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    done = client.post("/login", data={"csrf": csrf.group(1), "email": email, "password": password})
    assert done.status_code == 200 and "/logout" in done.text


def test_platform_registered_from_the_page_by_an_admin_only(tmp_path: Path) -> None:
    app = create_app(_service(tmp_path, "http://testserver"), grade=False)
    with TestClient(app) as admin_client:
        teacher_client = TestClient(app)  # a second browser (the app's lifespan runs once)
        with writing(app.state.factory) as session:
            admin.create_instructor(session, "root@x.edu", "Root", "root-password-1", admin=True)
            admin.create_instructor(session, "prof@x.edu", "Prof", "prof-password-1")
            cid = admin.create_course(session, "CNN", "prof@x.edu").id
        fields = {"preset": "moodle", "lms_url": "https://moodle.x.edu", "client_id": "abc",
                  "deployment": "3 4", "name": "Moodle X"}
        _signed_in_as(teacher_client, "prof@x.edu", "prof-password-1")
        page = teacher_client.get(f"/course/{cid}/lti")
        assert page.status_code == 200 and "Registrar uma plataforma" not in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', teacher_client.get(f"/course/{cid}").text)
        assert csrf
        refused = teacher_client.post(f"/course/{cid}/lti/platforms", data={**fields, "csrf": csrf.group(1)})
        assert refused.status_code == 403

        _signed_in_as(admin_client, "root@x.edu", "root-password-1")
        page = admin_client.get(f"/course/{cid}/lti")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf and "Registrar uma plataforma" in page.text
        done = admin_client.post(f"/course/{cid}/lti/platforms", data={**fields, "csrf": csrf.group(1)})
        assert done.status_code == 200 and "https://moodle.x.edu" in done.text
        with app.state.factory() as session:
            platform = session.scalars(select(Platform)).one()
            assert (platform.issuer, platform.client_id, platform.token_url) == (
                "https://moodle.x.edu", "abc", "https://moodle.x.edu/mod/lti/token.php")
            assert sorted(d.deployment_id for d in platform.deployments) == ["3", "4"]
