"""End to end in headless Chromium: a Moodle-like and a Canvas-like LMS launch a student, who
submits; the score reaches the emulated gradebook within seconds; an instructor deep-links an
assignment and the LMS creates its line item."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from .platform import Platform
from .toolapp import Tool

CHROMIUM = "/usr/bin/chromium"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as play:
        launched = play.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def live_tool(tmp_path: Path, lms: Platform) -> Iterator[Tool]:
    made = Tool(tmp_path / "tool.db")
    made.register(lms)
    made.start(sender=True)
    yield made
    made.stop()


def accessible(page: Page, where: str) -> None:
    """axe-core's WCAG 2.1 AA rules hold on the page."""
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


def wait_for(check: Any, seconds: float = 10) -> float:
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < seconds, "timed out"
        time.sleep(0.05)
    return time.monotonic() - start


def test_student_launch_submit_and_grade_in_gradebook(browser: Browser, live_tool: Tool,
                                                       lms: Platform) -> None:
    lms.users["s7"] = {"name": "Ana Souza", "email": "ana@example.edu"}
    lms.ensure_line_item("c1", "link-1", label="CNN", maximum=20)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{lms.url}/launch?user=s7&role=Learner&course=c1&link=link-1")
    page.wait_for_url(live_tool.url + "/home", timeout=15000)
    assert page.text_content("#who") == "Ana Souza"
    assert page.text_content("#role") == "estudante / student"
    assert page.text_content("#course") == "c1"
    page.click("#submit")
    page.wait_for_selector("#graded")
    wait_for(lambda: (1, "s7") in lms.grades, seconds=10)  # the sender polls every 0.3 s
    grade = lms.grades[(1, "s7")]
    assert (grade.score_given, grade.score_maximum, grade.scaled) == (80.0, 100.0, pytest.approx(16.0))
    assert "Nota 80/100" in grade.comment
    assert [s for _, _, s in lms.score_posts] == [200]
    page.goto(live_tool.url + "/course/c1/instructor")  # a learner on an instructor page
    assert page.text_content("h1") == "Acesso recusado / Access refused"
    accessible(page, "refusal page")
    context.close()


def test_instructor_deep_links_an_assignment(browser: Browser, live_tool: Tool, lms: Platform) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{lms.url}/launch?user=t1&role=Instructor&course=c9&message=LtiDeepLinkingRequest")
    page.wait_for_selector("text=Escolha a atividade / Choose the assignment", timeout=15000)
    accessible(page, "deep-linking picker")
    page.check("input[value=cnn_numpy]")
    page.click("button[type=submit]")
    page.wait_for_selector("#added", timeout=15000)
    [item] = lms.line_items.values()
    assert (item.course, item.resource_id, item.label, item.score_maximum) == (
        "c9", "cnn_numpy", "A mesma CNN em NumPy", 100.0)
    [claims] = lms.deep_link_returns
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "dl-c9"
    context.close()
