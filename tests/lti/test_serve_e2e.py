"""LTI 1.3 end to end through the REAL `layerwise serve` (a subprocess grading with TensorFlow in
the sandbox) and real headless Chromium: an instructor deep-links an assignment from a
Moodle-like or Canvas-like LMS (the line item is created there), a student launched from that
link uploads a notebook, sees the feedback, and the LMS gradebook holds the scaled score; the
service SIGKILLed while the LMS is down posts the score exactly once after both come back; a
Learner on instructor pages and a student of another course are refused by the service."""

from __future__ import annotations

import re
import signal
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .platform import Grade, LineItemRow, Platform, Served, ToolRegistration, free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))
from serving import EXAMPLES, Server, cli, start

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
GRADED = 240_000
"""ms a submission may take to be graded (the machine is shared)."""
ASSIGNMENT = "cnn_keras"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def lms(request: pytest.FixtureRequest) -> Iterator[tuple[Platform, Served]]:
    platform = Platform(request.param)
    served = Served(platform.app())
    platform.url = served.url
    served.start()
    yield platform, served
    served.stop()


def serve_for(lms: Platform, data: Path, workers: int = 1) -> Server:
    """Register the LMS with the CLI (before the service's first start), then start the service."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    lms.tool = ToolRegistration(client_id=f"client-{lms.flavour}", deployment_id="1",
                                login_url=base + "/lti/login", redirect_uris=[base + "/lti/launch"],
                                jwks_url=base + "/lti/jwks")
    cli("lti", "register", "--data", str(data), "--issuer", lms.issuer, "--client-id",
        lms.tool.client_id, "--auth-url", lms.auth_url, "--token-url", lms.token_url,
        "--jwks-url", lms.jwks_url, "--deployment", "1", "--name", lms.flavour)
    return start(data, port, workers=workers)


def deep_link(page: Page, lms: Platform, course: str) -> LineItemRow:
    """An instructor places the assignment in the LMS course; the LMS makes its line item."""
    page.goto(f"{lms.url}/launch?user=t1&role=Instructor&course={course}"
              "&message=LtiDeepLinkingRequest")
    page.check(f"input[name=choice][value={ASSIGNMENT}]")
    page.click("button[type=submit]")
    expect(page.locator("#added")).to_be_visible()
    return next(r for r in lms.line_items.values()
                if r.course == course and r.resource_id == ASSIGNMENT)


def launch_student(page: Page, lms: Platform, server: Server, user: str, course: str,
                   link: str) -> int:
    """A Learner launched from the link lands on the service's assignment page; its id."""
    page.goto(f"{lms.url}/launch?user={user}&role=Learner&course={course}&link={link}")
    page.wait_for_url(re.compile(re.escape(server.base) + r"/assignment/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def upload(page: Page, name: str) -> tuple[float, float]:
    """Submit a notebook and wait for its feedback; (total, maximum) as the page shows them."""
    page.set_input_files("#notebook", str(EXAMPLES / f"{name}.ipynb"))
    page.get_by_role("button", name=re.compile("Enviar")).click()
    expect(page.get_by_text("Recebido e guardado")).to_be_visible()
    total = page.locator("#total")
    expect(total).to_be_visible(timeout=GRADED)
    found = re.search(r"([\d.]+)\s*/\s*([\d.]+)", total.inner_text())
    assert found, total.inner_text()
    return float(found.group(1)), float(found.group(2))


def gradebook(lms: Platform, item: LineItemRow, user: str, within: float) -> Grade:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with lms.lock:
            grade = lms.grades.get((item.id, user))
        if grade is not None:
            return grade
        time.sleep(0.2)
    raise AssertionError(f"no score for {user} in line item {item.id} within {within} s: "
                         f"{lms.score_posts}")


@pytest.mark.parametrize("lms", ["moodle"], indirect=True)
def test_moodle_deep_link_launch_grade_and_refusals(lms: tuple[Platform, Served], browser: Browser,
                                                    tmp_path: Path) -> None:
    platform, _ = lms
    server = serve_for(platform, tmp_path)
    try:
        teacher = browser.new_page()
        item = deep_link(teacher, platform, "c1")
        assert item.score_maximum == 100 and item.custom == {"layerwise_assignment": ASSIGNMENT}

        ana = browser.new_page()
        aid = launch_student(ana, platform, server, "s1", "c1", item.resource_link_id)
        total, maximum = upload(ana, "full_marks")
        assert total == maximum
        grade = gradebook(platform, item, "s1", within=15)
        assert grade.scaled == pytest.approx(item.score_maximum)
        assert grade.score_given == total and "Nota" in grade.comment and "Score" in grade.comment

        # a Learner on the instructor pages of their own course: refused by the service
        refused = ana.goto(f"{server.base}/assignment/{aid}/class")
        assert refused is not None and refused.status == 404
        expect(ana.get_by_text("Não encontrado")).to_be_visible()

        # a student of another course (launched from a link bound to nothing there)
        bruno = browser.new_context().new_page()
        bruno.goto(f"{platform.url}/launch?user=s2&role=Learner&course=c2&link=other")
        bruno.wait_for_url(server.base + "/")
        cid = course_of(tmp_path, aid)
        for path in (f"/assignment/{aid}", f"/assignment/{aid}/class", f"/course/{cid}/lti"):
            other = bruno.goto(server.base + path)
            assert other is not None and other.status == 404, path

        # the instructor launched from the same link lands on the class, sees the student
        teacher.goto(f"{platform.url}/launch?user=t1&role=Instructor&course=c1"
                     f"&link={item.resource_link_id}")
        teacher.wait_for_url(f"{server.base}/assignment/{aid}/class")
        expect(teacher.locator("[data-table]")).to_contain_text("Estudante s1")
        posts = [p for p in platform.score_posts if p[1]["userId"] == "s1"]
        assert [status for _, _, status in posts] == [200]

        # the instructor's LTI page: the platform, what was sent, and a resend Moodle accepts
        teacher.goto(f"{server.base}/course/{cid}/lti")
        expect(teacher.locator("#lti-platforms")).to_contain_text(platform.issuer)
        scores = teacher.locator("#lti-scores")
        expect(scores).to_contain_text("Estudante s1")
        expect(scores).to_contain_text("delivered")
        axe = Axe().run(teacher, options=WCAG_AA)
        assert axe.violations_count == 0, axe.generate_report()
        teacher.get_by_role("button", name=re.compile("Reenviar")).click()
        deadline = time.monotonic() + 15
        while len([p for p in platform.score_posts if p[1]["userId"] == "s1"]) < 2:
            assert time.monotonic() < deadline, platform.score_posts
            time.sleep(0.2)
        first, second = [p[1] for p in platform.score_posts if p[1]["userId"] == "s1"]
        assert platform.score_posts[-1][2] == 200 and second["timestamp"] > first["timestamp"]
        assert second["scoreGiven"] == first["scoreGiven"]
        # a Learner is refused on that page too
        learner = ana.goto(f"{server.base}/course/{cid}/lti")
        assert learner is not None and learner.status == 404
    finally:
        server.stop()


def course_of(data: Path, aid: int) -> int:
    with sqlite3.connect(data / "layerwise.sqlite3") as db:
        row = db.execute("SELECT course_id FROM course_assignments WHERE id = ?", (aid,)).fetchone()
    return int(row[0])


def outbox_rows(data: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(data / "layerwise.sqlite3") as db:
        return list(db.execute("SELECT status, attempts FROM lti_score_outbox ORDER BY id"))


@pytest.mark.parametrize("lms", ["canvas"], indirect=True)
def test_canvas_killed_while_lms_down_posts_once(lms: tuple[Platform, Served], browser: Browser,
                                                 tmp_path: Path) -> None:
    platform, served = lms
    server = serve_for(platform, tmp_path)
    try:
        item = deep_link(browser.new_page(), platform, "c1")
        ana = browser.new_page()
        launch_student(ana, platform, server, "s1", "c1", item.resource_link_id)
        served.stop()  # the LMS goes down while the notebook is graded
        total, maximum = upload(ana, "dense_no_pooling")
        assert 0 <= total < maximum
        deadline = time.monotonic() + 20
        while not any(attempts for _, attempts in outbox_rows(tmp_path)):
            assert time.monotonic() < deadline, outbox_rows(tmp_path)
            time.sleep(0.3)
        assert [status for status, _ in outbox_rows(tmp_path)] == ["pending"]
        server.stop(signal.SIGKILL)
    finally:
        server.stop()
    served.start()  # the LMS is back, on the same address
    assert not platform.score_posts
    again = start(tmp_path, int(server.base.rsplit(":", 1)[1]), workers=0)
    try:
        grade = gradebook(platform, item, "s1", within=90)
        assert grade.score_given == total and grade.score_maximum == maximum
        assert grade.scaled == pytest.approx(total / maximum * item.score_maximum)
        time.sleep(3)  # nothing more goes out
        assert [status for _, _, status in platform.score_posts] == [200]
        assert outbox_rows(tmp_path)[0][0] == "delivered"
    finally:
        again.stop()
