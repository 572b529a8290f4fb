"""The single-submission path (`--executor single`, what the Gradescope zip runs: one sandboxed
worker, no pool, only the assignment's own imports) grades a notebook exactly as the pool does,
for both lessons; and a submission in it still finds the modules the pool's workers preload."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from layerwise.execute.limits import Limits
from layerwise.grade.run import Options, grade
from layerwise.report.runfolder import read_records

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = {"cnn_keras": ("full_marks", "hw_swapped", "blank"),
             "cnn_numpy": ("full_marks", "kernel_flipped", "blank")}
KEPT = ("student", "assignment", "status", "message", "total", "max_total", "language",
        "questions", "notes", "cell_errors", "summary")
"""What a record says about the submission (its stats are timings, different every run)."""
IMPORTS = '''
import sys
import matplotlib.pyplot
import otter
import rfc3987_syntax
from jsonschema import FormatChecker
assert "iri" in FormatChecker().checkers, "jsonschema lost its iri checker"
assert "layerwise.grade.run" not in sys.modules  # the grader's side never loads here
'''
"""What the pool's workers preload (pyplot, otter) and what the grader leaves out of its own
process (jsonschema's IRI grammar): a submission imports them all as usual."""


def _options(lesson: str, executor: str) -> Options:
    return Options(solution=ROOT / "solutions" / f"{lesson}.ipynb", seed=2026, workers=2,
                   limits=Limits(notebook_seconds=120, cell_seconds=60), executor=executor,
                   dashboard=executor != "single")


def _record(out: Path) -> dict[str, Any]:
    [record] = read_records(out)
    return {k: record.get(k) for k in KEPT}


def _results(folder: Path) -> dict[str, Any]:
    """The student's results.json (Gradescope's format) but its running time."""
    results: dict[str, Any] = json.loads((folder / "results.json").read_text())
    results.pop("execution_time")
    return results


@pytest.fixture(scope="module", params=sorted(NOTEBOOKS))
def pooled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[str, Path, Path]:
    """(lesson, its notebooks, the pool's run over them)."""
    lesson = request.param
    folder = tmp_path_factory.mktemp(f"{lesson}-in")
    for name in NOTEBOOKS[lesson]:
        shutil.copy(ROOT / "autograder" / "examples" / lesson / f"{name}.ipynb", folder)
    out = tmp_path_factory.mktemp(f"{lesson}-pool")
    info = grade([folder], out, _options(lesson, "local"))
    assert info["executor"] == "local" and info["graded_now"] == len(NOTEBOOKS[lesson])
    return lesson, folder, out


def _single(lesson: str, notebook: Path, pool_out: Path, out: Path) -> dict[str, Any]:
    """`notebook` graded alone on the single path, with the pool run's reference."""
    shutil.copytree(pool_out / ".reference", out / ".reference")
    info = grade([notebook], out, _options(lesson, "single"))
    assert info["executor"] == "single" and info["workers"] == 1
    assert not (out / "index.html").exists()  # no dashboard asked for
    return info


def test_single_path_gives_the_pool_records(pooled: tuple[str, Path, Path],
                                            tmp_path: Path) -> None:
    lesson, folder, pool_out = pooled
    pool = {r["student"]: {k: r.get(k) for k in KEPT} for r in read_records(pool_out)}
    pool_info = json.loads((pool_out / "run.json").read_text())
    statuses = set()
    for name in NOTEBOOKS[lesson]:
        out = tmp_path / name
        info = _single(lesson, folder / f"{name}.ipynb", pool_out, out)
        assert info["sandbox"] == pool_info["sandbox"]  # the same confinement
        assert info["solution_hash"] == pool_info["solution_hash"]
        assert _record(out) == pool[name], name
        assert _results(out / name) == _results(pool_out / name)
        statuses.add(pool[name]["total"])
    assert len(statuses) == len(NOTEBOOKS[lesson])  # full, partial and zero marks compared


def test_a_submission_on_the_single_path_finds_the_usual_modules(
        pooled: tuple[str, Path, Path], tmp_path: Path) -> None:
    lesson, folder, pool_out = pooled
    nb = nbformat.read(folder / "full_marks.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(IMPORTS))
    path = tmp_path / "in" / "full_marks.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    _single(lesson, path, pool_out, tmp_path / "run")
    record = _record(tmp_path / "run")
    assert record["cell_errors"] == [] and record["status"] == "graded"
    [full] = [r for r in read_records(pool_out) if r["student"] == "full_marks"]
    assert record["total"] == full["total"] == full["max_total"]
