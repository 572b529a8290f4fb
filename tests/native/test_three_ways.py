"""The same students graded three ways agree question by question: `layerwise grade` (outside the
student's process), `otter run` with the built autograder zip (Gradescope's path) and nbgrader's
autograde (JupyterHub's path), all on the hidden cases of seed 2026. One submission tampers with
the in-kernel checks: the two in-kernel graders give it full marks, `layerwise grade` does not.

The in-kernel graders run in background threads (otter two at a time, nbgrader alongside) while
the class is graded; ≈ 2-3 min on 2 cores when `graded_class` is not already built."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import native_runs as nr
import nbformat
import pytest
from keras_lesson import BY_ID, DIAGNOSES, MAX_TOTAL, QUESTION_IDS
from layerwise.execute.limits import Limits
from layerwise.grade.run import Options, grade
from layerwise.report.runfolder import read_records

SUBSET = ("full_marks", "blank", "reshape", "dense_precedence", "layer_missing")
"""A full score, a zero, partial credit on three questions (English: test_nbgrader_english)."""
TAMPERED = "tampered"
REFLECTION = "Aprendi que o pooling precisa de data_format. / I learned pooling needs data_format."
TOL = 0.01  # layerwise rounds a question's score to 2 decimals, otter to 5

Scores = dict[str, dict[str, float]]


def _notebooks() -> dict[str, nbformat.NotebookNode]:
    nbs = {name: nr.read(nr.CLASS / f"{name}.ipynb") for name in SUBSET}
    nbs[TAMPERED] = nr.tamper(nbs["blank"])
    return nbs


def _otter(nbs: dict[str, nbformat.NotebookNode], work: Path) -> dict[str, Any]:
    seconds: dict[str, float] = {}

    def one(name: str) -> tuple[str, dict[str, Any]]:
        folder = work / name
        folder.mkdir(parents=True)
        nbformat.write(nbs[name], folder / f"{name}.ipynb")
        started = time.monotonic()
        results = nr.otter_run(folder / f"{name}.ipynb", folder)
        seconds[name] = time.monotonic() - started
        return name, results

    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        results = dict(pool.map(one, nbs))
    return {"results": results, "seconds": seconds, "total_s": time.monotonic() - started}


def _nbgrader(nbs: dict[str, nbformat.NotebookNode], work: Path) -> dict[str, Any]:
    course = nr.new_course(work / "course")
    release = nr.released(course)
    for name, nb in nbs.items():
        if name == TAMPERED:  # the same cheat, in the nbgrader notebook
            sub = nr.tamper(nr.to_nbgrader(release, nbs["blank"]))
        else:
            sub = nr.to_nbgrader(release, nb)
        if name == "full_marks":
            cell = next(c for c in sub.cells
                        if c.metadata.get("nbgrader", {}).get("grade_id") == "reflection_answer")
            cell.source = REFLECTION
        nr.submit(course, name, sub)
    started = time.monotonic()
    nr.nbgrader(course, "autograde", nr.ASSIGNMENT, "--force")
    autograde_s = time.monotonic() - started
    nr.nbgrader(course, "generate_feedback", nr.ASSIGNMENT, "--student", "reshape", "--force")
    nr.nbgrader(course, "export")
    return {"course": course, "scores": nr.nbgrader_scores(course), "autograde_s": autograde_s,
            "students": len(nbs)}


@pytest.fixture(scope="module")
def in_kernel(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Future[Any]]:
    """otter and nbgrader started in the background (they only need the built artefacts)."""
    nbs = _notebooks()
    work = tmp_path_factory.mktemp("in_kernel")
    pool = ThreadPoolExecutor(2)
    futures = {"otter": pool.submit(_otter, nbs, work / "otter"),
               "nbgrader": pool.submit(_nbgrader, nbs, work / "nbgrader")}
    pool.shutdown(wait=False)
    return futures


@pytest.fixture(scope="module")
def three_ways(in_kernel: dict[str, Future[Any]], graded_class: dict[str, Any],
               tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """way -> student -> question -> score, and what each in-kernel grader wrote."""
    folder = tmp_path_factory.mktemp("tampered_in")
    nbformat.write(nr.tamper(nr.read(nr.CLASS / "blank.ipynb")), folder / f"{TAMPERED}.ipynb")
    out = tmp_path_factory.mktemp("tampered_run")
    shutil.copytree(graded_class["out"] / ".reference", out / ".reference", dirs_exist_ok=True)
    grade([folder], out, Options(solution=nr.ROOT / "solutions" / "cnn_keras.ipynb", workers=1,
                                 seed=2026, limits=Limits(notebook_seconds=60, cell_seconds=20)))
    records = {name: graded_class["records"][name] for name in SUBSET}
    records |= {r["student"]: r for r in read_records(out)}
    otter = in_kernel["otter"].result(timeout=900)
    nbg = in_kernel["nbgrader"].result(timeout=900)
    scores: dict[str, Scores] = {
        "layerwise": {s: {q["id"]: float(q["score"]) for q in r["questions"]}
                      for s, r in records.items()},
        "otter": {s: nr.otter_scores(res) for s, res in otter["results"].items()},
        "nbgrader": nbg["scores"],
    }
    return {"scores": scores, "otter": otter["results"], "otter_timing": otter,
            "nbgrader": nbg, "records": records}


def test_every_student_gets_the_same_scores_three_ways(three_ways: dict[str, Any]) -> None:
    scores = three_ways["scores"]
    for way in ("otter", "nbgrader"):
        assert set(scores[way]) == {*SUBSET, TAMPERED}, way
    for student in SUBSET:
        lw = scores["layerwise"][student]
        for way in ("otter", "nbgrader"):
            theirs = scores[way][student]
            assert set(theirs) == set(QUESTION_IDS), (way, student)
            differ = {q: (lw[q], theirs[q]) for q in QUESTION_IDS if abs(lw[q] - theirs[q]) > TOL}
            assert not differ, f"{student}: layerwise vs {way} {differ}"
    # the subset is not trivial: a full score, a zero, partial credit on a question
    assert sum(scores["layerwise"]["full_marks"].values()) == MAX_TOTAL
    assert sum(scores["layerwise"]["blank"].values()) == 0
    assert 0 < scores["nbgrader"]["dense_precedence"]["dense_size"] < BY_ID["dense_size"].points


def test_tampering_fools_only_the_in_kernel_graders(three_ways: dict[str, Any]) -> None:
    scores = three_ways["scores"]
    assert three_ways["records"][TAMPERED]["status"] == "graded"
    assert scores["layerwise"][TAMPERED] == dict.fromkeys(QUESTION_IDS, 0.0)
    full = {q: float(BY_ID[q].points) for q in QUESTION_IDS}
    assert scores["otter"][TAMPERED] == pytest.approx(full)
    assert scores["nbgrader"][TAMPERED] == pytest.approx(full)


GRADESCOPE_TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
                  "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
                  "leaderboard"}
GRADESCOPE_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
                   "output_format", "tags", "visibility", "extra_data"}


def test_otter_results_follow_gradescope_schema(three_ways: dict[str, Any]) -> None:
    for student, results in three_ways["otter"].items():
        assert set(results) <= GRADESCOPE_TOP, student
        tests = results["tests"]
        assert all(set(t) <= GRADESCOPE_TEST and isinstance(t["name"], str) for t in tests)
        per_question = [t for t in tests if t["name"] in BY_ID]
        assert [t["name"] for t in per_question] == list(QUESTION_IDS), student
        for t in per_question:
            assert t["max_score"] == BY_ID[t["name"]].points
            assert 0 <= t["score"] <= t["max_score"]
            assert t["visibility"] == "after_published"  # hidden results shown once published


def test_otter_failures_carry_the_kits_explanations(three_ways: dict[str, Any]) -> None:
    tests = {t["name"]: t["output"] for t in three_ways["otter"]["reshape"]["tests"]}
    diagnosis = DIAGNOSES["reshape_instead_of_transpose"]
    assert diagnosis.pt in tests["kernel_layout"] and diagnosis.en in tests["kernel_layout"]
    assert "kernel_layout / hidden-1:" in tests["kernel_layout"]
    assert "esperado/expected:" in tests["kernel_layout"]
    assert "eNq" not in tests["kernel_layout"]  # the encoded hidden cases are not printed
    assert tests["dense_size"].endswith("All test cases passed!")


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_nbgrader_explains_and_never_writes_stderr(three_ways: dict[str, Any]) -> None:
    course: Path = three_ways["nbgrader"]["course"]
    for student in (*SUBSET, TAMPERED):
        nb = nr.read(course / "autograded" / student / nr.ASSIGNMENT / f"{nr.ASSIGNMENT}.ipynb")
        for q in QUESTION_IDS:
            outputs = _cell(nb, f"{q}_tests").outputs
            assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
            assert [o for o in outputs if o.output_type == "execute_result"], (student, q)
    reshape = nr.read(course / "autograded" / "reshape" / nr.ASSIGNMENT / f"{nr.ASSIGNMENT}.ipynb")
    text = "".join(o.get("text", "") for o in _cell(reshape, "kernel_layout_tests").outputs)
    assert DIAGNOSES["reshape_instead_of_transpose"].both() in text


def test_nbgrader_feedback_export_and_reflection(three_ways: dict[str, Any]) -> None:
    from nbgrader.api import Gradebook

    course: Path = three_ways["nbgrader"]["course"]
    html = (course / "feedback" / "reshape" / nr.ASSIGNMENT / f"{nr.ASSIGNMENT}.html").read_text()
    assert "Usou reshape em vez de transpor" in html
    assert "score_cases" not in html and "eNq" not in html  # hidden cases stay hidden
    rows = (course / "grades.csv").read_text().splitlines()
    header = rows[0].split(",")
    totals = {r["student_id"]: float(r["score"])
              for r in (dict(zip(header, row.split(","), strict=True)) for row in rows[1:])}
    for student, per_q in three_ways["scores"]["nbgrader"].items():
        assert totals[student] == pytest.approx(sum(per_q.values()))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        cell = gb.find_grade_cell("reflection_answer", nr.ASSIGNMENT, nr.ASSIGNMENT)
        assert cell.cell_type == "markdown" and cell.max_score == 0
        wrote = gb.find_grade("reflection_answer", nr.ASSIGNMENT, nr.ASSIGNMENT, "full_marks")
        assert wrote.needs_manual_grade  # formgrader lists it for a grader to read
        comment = gb.find_comment("reflection_answer", nr.ASSIGNMENT, nr.ASSIGNMENT, "full_marks")
        assert comment is not None
    autograded = nr.read(course / "autograded" / "full_marks" / nr.ASSIGNMENT
                         / f"{nr.ASSIGNMENT}.ipynb")
    assert _cell(autograded, "reflection_answer").source == REFLECTION


def test_print_the_table(three_ways: dict[str, Any]) -> None:
    """The table of docs/lms/index.md (shown with `pytest -s`): totals three ways, and the graders' times."""
    scores = three_ways["scores"]
    lines = ["| student | layerwise grade | otter run | nbgrader autograde |", "|---|---|---|---|"]
    for student in (*SUBSET, TAMPERED):
        lines.append(f"| {student} | " + " | ".join(
            f"{sum(scores[way][student].values()):g}" for way in ("layerwise", "otter", "nbgrader"))
            + " |")
    timing = three_ways["otter_timing"]
    nbg = three_ways["nbgrader"]
    lines.append(f"otter run: {min(timing['seconds'].values()):.1f}-{max(timing['seconds'].values()):.1f}"
                 f" s per notebook (2 at a time, {timing['total_s']:.0f} s for {len(timing['seconds'])});"
                 f" nbgrader autograde: {nbg['autograde_s'] / nbg['students']:.1f} s per notebook")
    print("\n" + "\n".join(lines))
    assert len(lines) == len(SUBSET) + 4
