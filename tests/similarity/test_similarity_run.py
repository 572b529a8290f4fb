"""`layerwise similarity` on a class graded for real (TensorFlow, the sandbox): mistakes copied
with the code come out with both signals high, an independent pair sharing a named mistake
does not, the reference is labelled, earlier runs compare, and the pages open in Chromium."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from disguise import ROOT, combined, graded, originals, write_notebook
from typer.testing import CliRunner

LESSON = "cnn_numpy"
ORIGINALS = ("solution.full_marks", "solution.pool_ceil", "loops_pt.pool_ceil",
             "im2col.leaky_relu", "helpers.sigmoid_sign", "strides.relu_abs", "strides.correct",
             "helpers.conv_off_by_one")
COPIED = ("im2col.leaky_relu", "helpers.sigmoid_sign", "strides.relu_abs",
          "helpers.conv_off_by_one")
"""Each copied, disguised at the "combined" level (renamed, extracted, decorated, reordered)."""
SECOND = {"im2col.leaky_relu": ("np.tanh(0.5 * z)", "np.tanh(z)"),
          "strides.relu_abs": ("else np.asarray(b))", "else 2 * np.asarray(b))")}
"""A second mistake of no known name in these two (a grader keeps one question per mistake:
the answer signal needs shared rare wrong answers in more than one question)."""
SCREENSHOT = ROOT / "docs" / "img" / "similarity.png"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from layerwise.cli import app
    from layerwise.execute.limits import Limits
    from layerwise.grade.run import Options, grade

    base = tmp_path_factory.mktemp("similarity")
    notebooks = {nb.name: nb for nb in originals(LESSON)}
    rng = random.Random(7)
    for name, (old, new) in SECOND.items():
        cells = notebooks[name].cells
        notebooks[name].cells = [c.replace(old, new) for c in cells]
        assert notebooks[name].cells != cells
    for name in ORIGINALS:
        write_notebook(LESSON, notebooks[name].cells, base / "class" / f"{name}.ipynb")
    for name in COPIED:
        cells = combined(notebooks[name].cells, graded(LESSON), rng)
        write_notebook(LESSON, cells, base / "class" / f"copy.{name}.ipynb")
    out = base / "run"
    grade([base / "class"], out, Options(solution=ROOT / "solutions" / f"{LESSON}.ipynb",
                                         workers=2, seed=2026,
                                         limits=Limits(notebook_seconds=60, cell_seconds=30)))
    staff = base / "staff" / "ta_draft.ipynb"  # a TA's draft: the strides author's notebook
    write_notebook(LESSON, notebooks["strides.correct"].cells, staff)
    result = CliRunner().invoke(app, ["similarity", str(out), "--json", str(base / "s.json"),
                                      "--csv", str(base / "s.csv"), "--staff", str(staff)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    data = json.loads((base / "s.json").read_text())
    pairs = {(p["a"], p["b"]): p for p in data["pairs"]}
    return {"out": out, "base": base, "data": data, "pairs": pairs, "output": result.output}


def _pair(run: dict[str, Any], a: str, b: str) -> dict[str, Any] | None:
    return run["pairs"].get((min(a, b), max(a, b)))


def test_grading_keeps_code_and_wrong_answer_digests(run: dict[str, Any]) -> None:
    out = run["out"]
    record = json.loads((out / "im2col.leaky_relu" / "grading.json").read_text())
    assert set(record["answers"]) >= {"relu"} and all(
        len(b) == 16 for cases in record["answers"].values() for b in cases.values())
    full = json.loads((out / "solution.full_marks" / "grading.json").read_text())
    assert full["answers"] == {}
    cells = json.loads((out / "strides.correct" / "code.json").read_text())["cells"]
    assert any("as_strided" in c for c in cells)


def test_copied_mistakes_have_both_signals_high(run: dict[str, Any]) -> None:
    for name in SECOND:
        pair = _pair(run, name, f"copy.{name}")
        assert pair is not None and pair["tier"] == 1, (name, pair)
        assert pair["code"] >= 0.5 and len(pair["questions"]) >= 2
        assert pair["shared_wrong_cases"]


def test_one_question_or_a_named_mistake_weighs_little(run: dict[str, Any]) -> None:
    """Copies with one wrong question, or a diagnosed mistake, are flagged by their code
    only; two authors who made the same diagnosed mistake independently are not flagged."""
    for name in ("helpers.conv_off_by_one", "helpers.sigmoid_sign"):
        copy = _pair(run, name, f"copy.{name}")
        assert copy is not None and copy["tier"] == 2 and copy["code_high"], copy
        assert copy["shared_wrong_cases"] and not copy["answers_high"]
    assert _pair(run, "solution.pool_ceil", "loops_pt.pool_ceil") is None


def test_independent_authors_are_not_flagged(run: dict[str, Any]) -> None:
    authors = {n: n.removeprefix("copy.").split(".")[0] for n in
               [*ORIGINALS, *(f"copy.{c}" for c in COPIED)]}
    wrong = [p for p in run["data"]["pairs"] if p["a"] in authors and p["b"] in authors
             and authors[p["a"]] != authors[p["b"]]]
    assert wrong == []


def test_the_reference_is_labelled_and_clusters_formed(run: dict[str, Any]) -> None:
    ref = _pair(run, "reference", "solution.full_marks")
    assert ref is not None and ref["a_kind"] == "reference" and ref["code"] == 1.0
    assert "reference solution" in ref["a_label"]
    staff = _pair(run, "staff:ta_draft", "strides.correct")
    assert staff is not None and staff["code"] == 1.0 and "staff" in staff["a_label"]
    assert any({"im2col.leaky_relu", "copy.im2col.leaky_relu"} <= set(c)
               for c in run["data"]["clusters"])


def test_report_files_words_and_dashboard_link(run: dict[str, Any]) -> None:
    out, base = run["out"], run["base"]
    page = (out / "similarity.html").read_text()
    assert "Similarity for review" in page and "Similaridade para revisão" in page
    for path in [out / "similarity.html", *out.glob("similarity/*.html")]:
        assert "plagi" not in path.read_text().lower()
    rows = list(csv.DictReader((base / "s.csv").open()))
    assert len(rows) == len(run["data"]["pairs"]) and {r["tier"] for r in rows} <= {"1", "2"}
    assert (out / "similarity" / "pairs.csv").read_text() == (base / "s.csv").read_text()
    assert all((out / p["page"]).is_file() for p in run["data"]["pairs"])
    index = (out / "index.html").read_text()
    both = run["data"]["tiers"]["both"]
    assert 'href="similarity.html"' in index and f"{both} pares" in index
    fps = json.loads((out / "similarity" / "fingerprints.json").read_text())
    assert fps["version"] == 1 and "strides.correct" in fps["students"]


def test_an_earlier_run_is_compared_from_its_stored_fingerprints(run: dict[str, Any],
                                                                 tmp_path: Path) -> None:
    """A later term: the earlier run keeps only its fingerprints (no code.json), and a student
    who hands in last term's notebook is flagged against it, labelled."""
    from layerwise.similarity.command import run_similarity

    earlier = tmp_path / "term1"
    shutil.copytree(run["out"], earlier)
    for code in earlier.glob("*/code.json"):
        code.unlink()
    for record in earlier.glob("*/grading.json"):  # the origin paths are gone too
        data = json.loads(record.read_text())
        data["identity"]["origin"] = "/nonexistent.ipynb"
        record.write_text(json.dumps(data))
    now = tmp_path / "term2"
    shutil.copytree(run["out"], now)
    for folder in now.iterdir():
        if folder.is_dir() and folder.name != "strides.correct" and (folder / "code.json").exists():
            shutil.rmtree(folder)
    line = run_similarity(now, [earlier], [], None, None, None)
    data = json.loads((now / "similarity" / "similarity.json").read_text())
    pair = next(p for p in data["pairs"] if p["b"] == "term1/strides.correct"
                or p["a"] == "term1/strides.correct")
    assert pair["code"] == 1.0 and "earlier run" in (pair["a_label"] + pair["b_label"])
    assert "1 students" in line


def test_pages_in_chromium(run: dict[str, Any]) -> None:
    """similarity.html and a side-by-side page in real headless Chromium; the screenshot is
    the documentation's."""
    from playwright.sync_api import sync_playwright

    out = run["out"]
    first = run["data"]["pairs"][0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith("file://")
                    else problems.append(f"fetched {r.url}"))
            page.goto((out / "similarity.html").as_uri())
            links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            assert links and all(Path(unquote(urlparse(u).path)).is_file() for u in links)
            assert page.locator("h1").inner_text().startswith("Similaridade para revisão")
            assert page.locator("section table tr").count() >= 2
            page.locator("a", has_text="side by side").first.click()
            page.wait_for_load_state()
            assert first["a"] in page.locator("h1").inner_text()
            assert page.locator("b.f").count() >= 2  # numbered fragments, in both notebooks
            page.go_back()
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            page.goto((out / "index.html").as_uri())  # the dashboard: once per language
            assert page.locator("a[href='similarity.html']").count() == 2
            assert page.locator("a[href='similarity.html']").first.inner_text().endswith(
                "pares com os dois sinais altos")
        finally:
            browser.close()
    assert problems == []
    assert SCREENSHOT.stat().st_size > 10_000
