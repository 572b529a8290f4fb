"""In a real headless Chromium (Debian's, driven by Playwright): a student signs in by link,
uploads a correct notebook and a pooling mistake, sees the graded feedback with the diagnosis
and the pictures; another student cannot open it; the instructor watches the live class table,
downloads the Moodle CSV; axe-core finds no WCAG 2.1 AA violation on the pages; screenshots go
to docs/img/serve-*.png."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import Live
from playwright.sync_api import Browser, Page, expect, sync_playwright
from serving import EXAMPLES, PASSWORD, ROOT, TEACHER

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
IMG = ROOT / "docs" / "img"
GRADED = 240_000
"""ms a submission may take to be graded here (the machine is shared)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def accessible(page: Page, where: str) -> None:
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


def shot(page: Page, name: str) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"serve-{name}.png"), full_page=True)


def upload(page: Page, name: str) -> int:
    page.goto("/assignment/1")
    page.set_input_files("#notebook", str(EXAMPLES / f"{name}.ipynb"))
    page.get_by_role("button", name=re.compile("Enviar")).click()
    expect(page.get_by_text("Recebido e guardado")).to_be_visible()
    found = re.search(r"/submission/(\d+)", page.url)
    assert found, page.url
    return int(found.group(1))


def test_student_and_instructor_in_a_browser(live: Live, browser: Browser) -> None:
    base = live.base
    teacher = browser.new_context(base_url=base, accept_downloads=True,
                                  viewport={"width": 1100, "height": 800})
    staff = teacher.new_page()
    staff.goto("/login")
    accessible(staff, "login")
    staff.fill("#email", TEACHER)
    staff.fill("#password", PASSWORD)
    staff.get_by_role("button", name=re.compile("Entrar")).click()
    staff.goto("/assignment/1/class")
    accessible(staff, "class (empty)")

    ana_ctx = browser.new_context(base_url=base, viewport={"width": 1000, "height": 800})
    ana = ana_ctx.new_page()
    ana.goto(live.links["2026001"])
    expect(ana.get_by_role("heading", name=re.compile("Suas turmas"))).to_be_visible()
    accessible(ana, "student home")
    ana.goto("/assignment/1")
    accessible(ana, "student assignment")

    good = upload(ana, "correct_predict_per_layer")
    accessible(ana, "student receipt and live status")
    expect(ana.locator("#total")).to_contain_text("100/100", timeout=GRADED)

    bad = upload(ana, "pool_channels_last")
    shot(ana, "student-status")
    expect(ana.locator("#total")).to_be_visible(timeout=GRADED)
    assert "100/100" not in ana.locator("#total").inner_text()
    expect(ana.get_by_text("data_format").first).to_be_visible()
    accessible(ana, "student graded submission")
    shot(ana, "student-graded")
    ana.get_by_role("link", name=re.compile("Ver a correção")).click()
    expect(ana.get_by_text("data_format").first).to_be_visible()
    pictures = ana.locator("img[src^='data:image/png']")
    assert pictures.count() >= 2  # the expected layer and the student's, side by side
    shot(ana, "student-feedback")
    accessible(ana, "the kit's feedback page")
    ana.goto("/assignment/1")
    for sid in (good, bad):
        expect(ana.locator(f"a[href='/submission/{sid}']")).to_be_visible()

    bruno = browser.new_context(base_url=base).new_page()
    bruno.goto(live.links["2026002"])
    for url in (f"/submission/{bad}", f"/submission/{bad}/feedback", "/assignment/1/class"):
        response = bruno.goto(url)
        assert response is not None and response.status == 404, url
        assert "data_format" not in bruno.content()
    accessible(bruno, "error page")

    # the instructor's class table updates by itself (no reload): both submissions appear
    table = staff.locator("[data-table]")
    expect(table).to_contain_text("Ana Souza")
    expect(table.locator(f"a[href='/submission/{bad}']")).to_be_visible(timeout=GRADED)
    expect(table).to_contain_text("graded")
    accessible(staff, "class (live)")
    shot(staff, "instructor-class")
    with staff.expect_download() as download:
        staff.get_by_role("link", name=re.compile("moodle-csv")).click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    ana_row: dict[str, Any] = next(r for r in rows if r["Identifier"] == "Participant 101")
    assert 0 < float(ana_row["Grade"]) < 100  # the last submission counts: the pooling mistake
    staff.goto(f"/submission/{bad}")
    accessible(staff, "instructor submission")
    staff.goto("/assignment/1/report")
    expect(staff.get_by_text("Ana Souza").or_(staff.get_by_text("2026001")).first).to_be_visible()
    accessible(staff, "the kit's class dashboard")
    staff.get_by_role("link", name="2026001").first.click()  # its link opens the feedback
    expect(staff.get_by_text("data_format").first).to_be_visible()
    for url in ("/course/1", "/queue", "/course/1/student/2"):
        staff.goto(url)
        accessible(staff, url)
    staff.goto("/queue")
    shot(staff, "instructor-queue")
    teacher.close()
    ana_ctx.close()
