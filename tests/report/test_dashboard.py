"""The class dashboard (index.html) and a feedback page, opened in headless Chromium: no console
error, nothing fetched from outside, every link resolves, and the screenshot is not blank."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from keras_lesson import ASSIGNMENT
from layerwise.report.dashboard import BINS, context, render, write_dashboard
from layerwise.report.student import record
from report_browser import not_blank

LOCAL = ("file:", "data:")


def _local_path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def _assert_clean(page: Any) -> None:
    assert page.errors == [], page.errors
    outside = [u for u in page.requests if not u.startswith(LOCAL)]
    assert outside == [], f"the page fetched from outside: {outside}"
    colours, ink = not_blank(page.screenshot)
    assert colours > 40 and ink > 0.05, (colours, ink)
    assert page.scroll_width <= page.viewport_width + 1, \
        f"horizontal overflow: {page.scroll_width}px in a {page.viewport_width}px viewport"


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_opens_clean_in_chromium(graded_class: dict[str, Any], visit: Any,
                                           width: int) -> None:
    out: Path = graded_class["out"]
    page = visit(out / "index.html", width)
    _assert_clean(page)
    # A link to every student's feedback page, and each one exists.
    feedback = {_local_path(u) for u in page.links if u.endswith("/feedback.html")}
    assert {p.parent.name for p in feedback} == set(graded_class["records"])
    assert all(p.is_file() for p in feedback)
    assert str(graded_class["info"]["seed"]) in page.text


@pytest.mark.parametrize("width", [1280, 390])
def test_feedback_page_opens_clean_in_chromium(graded_class: dict[str, Any], visit: Any,
                                               width: int) -> None:
    page = visit(graded_class["out"] / "pool_channels_last" / "feedback.html", width)
    _assert_clean(page)
    assert "MaxPooling2D" in page.text
    assert all(img["complete"] and img["natural"] > 0 for img in page.images), page.images
    assert all(img["shown"] <= width for img in page.images)


def test_dashboard_content(graded_class: dict[str, Any]) -> None:
    out: Path = graded_class["out"]
    html = (out / "index.html").read_text()
    records = list(graded_class["records"].values())
    run_info = json.loads((out / "run.json").read_text())
    ctx = context(records, run_info)
    assert sum(b["count"] for b in ctx["chart"]["bars"]) == len(records) == len(ctx["records"])
    assert html.count('<rect class="b') == 2 * BINS  # the page in each language
    assert "<script" not in html and "http://" not in html and "https://" not in html
    # Statuses: every submission that was not graded is listed with its message.
    for name in ("crash", "hang", "not_a_notebook"):
        rec = graded_class["records"][name]
        assert rec["status"] in {r["status"] for r in ctx["not_graded"]}
        assert f'href="{name}/feedback.html"' in html
    assert ctx["statuses"]["timeout"] == 1 and ctx["statuses"]["crashed"] == 1
    # The most frequent diagnoses name the students who hit them.
    by_code = {d["code"]: d for d in ctx["diagnoses"]}
    assert "pool_channels_last" in by_code["pooling_channels_last"]["students"]
    assert "bias_ignored" in by_code["bias_ignored"]["students"]
    # Per question: the mean and the share with full marks, over the graded students.
    seq = next(q for q in ctx["questions"] if q["id"] == "sequential_model")
    assert 0 < seq["pass_pct"] < 100 and 0 < seq["mean"] < seq["max_score"]
    assert ctx["lang"] == "pt" and 'lang="pt"' in html


def test_dashboard_escapes_and_shows_sandbox_warnings(tmp_path: Path) -> None:
    evil = '<img src=x onerror=alert(1)>'
    rec = record(ASSIGNMENT, evil, "crashed", "<script>alert('x')</script>", {}, "en", None, [], {})
    run_info = {"seed": 7, "max_total": 100,
                "sandbox": {"sandbox": "none", "warnings": ["no <b>bubblewrap</b>: not isolated"]}}
    path = write_dashboard(tmp_path, [rec], run_info)
    html = path.read_text()
    assert evil not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "no &lt;b&gt;bubblewrap&lt;/b&gt;: not isolated" in html
    assert 'href="%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/feedback.html"' in html
    assert render([], {"seed": 1})  # an empty class still renders


def test_dashboard_survives_a_sparse_record(tmp_path: Path) -> None:
    """A grading.json from an older run (fewer fields) leaves blanks, not a failed run."""
    sparse = {"student": "old", "status": "graded", "total": 50, "max_total": 100,
              "questions": [{"id": "kernel_layout", "title": {"pt": "K", "en": "K"}, "score": 5,
                             "max_score": 15, "diagnoses": []}]}
    html = write_dashboard(tmp_path, [sparse], {}).read_text()
    assert 'href="old/feedback.html"' in html
