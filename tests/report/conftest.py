"""A headless Chromium (Debian's, driven by playwright) that opens the pages a run writes.

No skipping: without Chromium or playwright the browser tests fail and say what to install."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class Visit:
    """What a page did while it was open in the browser."""

    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    screenshot: bytes = b""
    scroll_width: int = 0
    viewport_width: int = 0
    links: list[str] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium from /usr/bin/chromium, headless, with a throwaway profile. Per module: Playwright's
    sync API keeps an event loop running in this thread while it is open, and another module's
    browser test on the same xdist worker could not start its own."""
    chromium = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or CHROMIUM)
    if not chromium.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it (Debian: `apt-get install "
                    "chromium`; .ci/run does) to run the browser tests", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright Python package is missing: `pip install -e '.[dev]'` "
                    "(only the package; it drives the system Chromium)", pytrace=False)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(chromium), headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def visit(browser: Any) -> Any:
    """visit(path, width=1280): open a local page, collect console errors, page errors, every
    request, links, images and a full-page screenshot."""

    def _visit(path: Path, width: int = 1280) -> Visit:
        page = browser.new_page()
        result = Visit(url=path.resolve().as_uri(), viewport_width=width)
        page.on("console", lambda m: result.errors.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "warning", "assert") else None)
        page.on("pageerror", lambda e: result.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: result.errors.append(f"request failed: {r.url}"))
        page.on("request", lambda r: result.requests.append(r.url))
        try:
            page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
            page.goto(result.url, wait_until="load")
            result.screenshot = page.screenshot(full_page=True)
            result.scroll_width = page.evaluate("document.documentElement.scrollWidth")
            result.links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            result.images = page.eval_on_selector_all(
                "img", "els => els.map(e => ({src: e.src.slice(0, 30), complete: e.complete, "
                "natural: e.naturalWidth, shown: e.getBoundingClientRect().width}))")
            result.text = page.inner_text("body")
        finally:
            page.close()
        return result

    return _visit

