"""The dashboard in the TA's language, in headless Chromium: every visible word of the chosen
language (status names and tiles included), the switch to the other language, screenshots.

Set LAYERWISE_DOCS_IMG=docs/img to also write the screenshots the documentation shows."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from keras_lesson import ASSIGNMENT
from layerwise.report.dashboard import LABELS, write_dashboard
from layerwise.report.student import record
from layerwise.report.words import LANGUAGE_NAMES, STATUS_NAMES
from layerwise.status import Status

VISIBLE_TEXT = """() => {
  const page = [...document.querySelectorAll('.page')]
    .find(e => getComputedStyle(e).display !== 'none');
  // Left out: what is no word of the page's language by design - names and codes (student ids,
  // question and diagnosis ids, versions), and what is marked as another language (the
  // engine's technical lines, which say so, and the switch's own language name).
  page.querySelectorAll('code, .code, a[href$="feedback.html"], [lang]:not(.page)')
    .forEach(e => e.remove());
  return {id: page.id, text: page.innerText};
}"""


def _words(text: str) -> set[str]:
    """Words of three letters or more ("a", "no", "s" are words of both languages, or units)."""
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


def _only_in(lang: str) -> set[str]:
    """Words the page's other language uses and this one never does."""
    other = "en" if lang == "pt" else "pt"
    msgs = [*LABELS.values(), *STATUS_NAMES.values(), *LANGUAGE_NAMES.values()]
    return _words(" ".join(m.get(other) for m in msgs)) - _words(" ".join(m.get(lang) for m in msgs))


def _every_status(tmp_path: Path) -> list[dict[str, Any]]:
    return [record(ASSIGNMENT, f"student_{s.value}", s.value, "technical line", {}, "pt", None,
                   [], {}) for s in Status]


def _open(browser: Any, path: Path, width: int = 1280) -> Any:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.errors = errors
    return page


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_dashboard_speaks_the_chosen_language(graded_class: dict[str, Any], browser: Any,
                                              tmp_path: Path, lang: str) -> None:
    (tmp_path / "class").mkdir()
    class_only = write_dashboard(tmp_path / "class", list(graded_class["records"].values()),
                                 graded_class["info"] | {"lang": lang})
    page = _open(browser, class_only)
    try:
        assert page.evaluate("document.documentElement.lang") == lang
        shot = page.screenshot()  # the first screen, as the TA sees it
    finally:
        page.close()
    (tmp_path / f"dashboard-{lang}.png").write_bytes(shot)
    if os.environ.get("LAYERWISE_DOCS_IMG"):
        target = Path(os.environ["LAYERWISE_DOCS_IMG"])
        target.mkdir(parents=True, exist_ok=True)
        (target / f"dashboard-{lang}.png").write_bytes(shot)
    # The example class and one student of every status (memory and grader_error are not in it).
    records = list(graded_class["records"].values()) + _every_status(tmp_path)
    path = write_dashboard(tmp_path, records, graded_class["info"] | {"lang": lang})
    page = _open(browser, path)
    try:
        tiles = page.eval_on_selector_all(f"#{lang} .tile span", "els => els.map(e => e.innerText)")
        statuses = set(page.eval_on_selector_all(f"#{lang} .st", "els => els.map(e => e.innerText)"))
        seen = page.evaluate(VISIBLE_TEXT)
    finally:
        page.close()
    assert page.errors == []
    assert seen["id"] == lang
    full = sum(r["total"] >= r["max_total"] for r in records)
    if lang == "pt":
        assert tiles[0] == "alunos" and tiles[1] == "alunos corrigidos"
        assert tiles[-1] == ("aluno com nota máxima (100)" if full == 1
                             else "alunos com nota máxima (100)")
        assert statuses == {STATUS_NAMES[s].pt for s in Status}
        assert "corrigido" in statuses and "graded" not in statuses
    else:
        assert tiles[-1].startswith("student with full marks" if full == 1
                                    else "students with full marks")
        assert statuses == {STATUS_NAMES[s].en for s in Status}
    leftover = _words(seen["text"]) & _only_in(lang)
    assert leftover == set(), f"words of the other language on the {lang} page: {leftover}"
    assert len(_words(seen["text"])) > 40  # the check read a real page, not an empty one


def test_feedback_page_screenshot(graded_class: dict[str, Any], browser: Any,
                                  tmp_path: Path) -> None:
    """A student's feedback page with a diverging layer drawn (the docs' student tutorial)."""
    page = _open(browser, graded_class["out"] / "pool_channels_last" / "feedback.html")
    try:
        shot = page.screenshot()
        drawn = page.eval_on_selector_all("img", "els => els.filter(e => e.naturalWidth).length")
    finally:
        page.close()
    assert page.errors == [] and drawn > 0
    if os.environ.get("LAYERWISE_DOCS_IMG"):
        (Path(os.environ["LAYERWISE_DOCS_IMG"]) / "feedback.png").write_bytes(shot)


def test_the_switch_shows_the_other_language(graded_class: dict[str, Any], browser: Any,
                                             tmp_path: Path) -> None:
    path = write_dashboard(tmp_path, list(graded_class["records"].values()),
                           graded_class["info"] | {"lang": "pt"})
    page = _open(browser, path, width=390)
    try:
        shown = "ids => ids.map(i => getComputedStyle(document.getElementById(i)).display)"
        assert page.evaluate(shown, ["pt", "en"]) == ["block", "none"]
        page.click("#pt .switch a")
        assert page.evaluate(shown, ["pt", "en"]) == ["none", "block"]
        assert "students with full marks" in page.inner_text("#en .tiles")
        page.click("#en .switch a")
        assert page.evaluate(shown, ["pt", "en"]) == ["block", "none"]
        # A link to the English page works from a fresh load too (e.g. sent to a colleague).
        page.goto(path.resolve().as_uri() + "#en", wait_until="load")
        assert page.evaluate(shown, ["pt", "en"]) == ["none", "block"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 391
    finally:
        page.close()
    assert page.errors == []


def test_status_words_and_tiles_without_a_browser(tmp_path: Path) -> None:
    """One student with full marks: the tile says it in words, singular, in each language."""
    full = record(ASSIGNMENT, "alice", "graded", "", {}, "pt", None, [], {})
    full["total"] = full["max_total"]
    html = write_dashboard(tmp_path, [full], {"seed": 1, "lang": "en"}).read_text()
    assert "1</b><span>student with full marks (100)</span>" in html
    assert "1</b><span>aluno com nota máxima (100)</span>" in html
    assert html.index('id="en"') < html.index('id="pt"')  # the chosen language first
