"""A rerun with every student already graded starts no worker: no pool, no TensorFlow, no
reference; grades.csv, run.json and the dashboard are refreshed from the run folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from keras_lesson import ASSIGNMENT, CLASS, SOLUTION
from layerwise.grade import run as grade_run
from layerwise.grade.run import Options, grade
from layerwise.intake.collect import collect
from layerwise.report.runfolder import write_json, write_record
from layerwise.report.student import record


def _graded_folder(tmp_path: Path) -> tuple[Path, Path]:
    """A class of two notebooks and a run folder where both are graded (records written as
    `layerwise grade` writes them), without running either."""
    pick = tmp_path / "class"
    pick.mkdir()
    for name in ("full_marks", "full_marks_en"):
        shutil.copy(CLASS / f"{name}.ipynb", pick)
    out = tmp_path / "run"
    submissions, _ = collect([pick])
    for n, sub in enumerate(submissions):
        (out / sub.student).mkdir(parents=True)
        status = "graded" if n == 0 else "timeout"
        write_record(out / sub.student,
                     record(ASSIGNMENT, sub.student, status, "stopped", sub.identity(),
                            "en" if sub.student.endswith("_en") else "pt", None, [], {}))
    write_json(out / "run.json", {"assignment": ASSIGNMENT.name, "seed": 5, "complete": True,
                                  "max_total": ASSIGNMENT.max_total, "workers": 2,
                                  "sandbox": {"sandbox": "bwrap", "warnings": []}})
    return pick, out


def test_rerun_with_nothing_to_grade_starts_no_worker(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pick, out = _graded_folder(tmp_path)
    calls: list[Any] = []

    def no_pool(*args: Any) -> Any:
        calls.append(args)
        raise AssertionError("a worker pool was started with nothing to grade")

    monkeypatch.setattr(grade_run, "make_pool", no_pool)
    info = grade([pick], out, Options(solution=SOLUTION, workers=2))
    assert calls == []
    assert info["graded_now"] == 0 and info["skipped_already_graded"] == 2
    assert info["students"] == 2 and info["seed"] == 5 and info["complete"] is True
    assert json.loads((out / "run.json").read_text()) == json.loads(json.dumps(info))
    assert (out / "grades.csv").read_text().count("\n") == 3  # header + the two students
    html = (out / "index.html").read_text()
    assert '<html lang="pt">' in html  # one pt, one en notebook: the majority rule's tie

    # The TA's --lang on a rerun: the dashboard switches language, still without a worker.
    info = grade([pick], out, Options(solution=SOLUTION, workers=2, lang="en"))
    assert calls == [] and info["lang"] == "en"
    assert '<html lang="en">' in (out / "index.html").read_text()
    # ...and the choice sticks to the run folder when the next rerun does not repeat it.
    assert grade([pick], out, Options(solution=SOLUTION))["lang"] == "en"


def test_a_new_student_still_starts_the_pool(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Only "nothing to grade" skips the pool: one new notebook and the pool is asked for."""
    pick, out = _graded_folder(tmp_path)
    shutil.copy(CLASS / "blank.ipynb", pick)

    class Started(Exception):
        pass

    def pool(*args: Any) -> Any:
        raise Started

    monkeypatch.setattr(grade_run, "make_pool", pool)
    with pytest.raises(Started):
        grade([pick], out, Options(solution=SOLUTION, workers=2))
