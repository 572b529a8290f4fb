"""Resumable runs: a rerun skips what is graded; --force regrades; same seed, same grades."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from layerwise.execute.limits import Limits
from layerwise.grade.run import Options, RunError, grade
from layerwise.report.runfolder import read_records

ROOT = Path(__file__).resolve().parents[2]


def test_rerun_skips_and_force_regrades_identically(graded_class: dict[str, Any],
                                                    tmp_path: Path) -> None:
    src = ROOT / "autograder" / "examples" / "cnn_keras"
    pick = tmp_path / "in"
    pick.mkdir()
    for name in ("full_marks", "reshape"):
        shutil.copy(src / f"{name}.ipynb", pick)
    out = tmp_path / "run"
    shutil.copytree(graded_class["out"] / ".reference", out / ".reference")
    options = Options(solution=ROOT / "solutions" / "cnn_keras.ipynb", workers=1, seed=2026,
                      limits=Limits(notebook_seconds=60))
    first = grade([pick], out, options)
    assert first["graded_now"] == 2
    again = grade([pick], out, options)
    assert again["graded_now"] == 0 and again["skipped_already_graded"] == 2
    forced = grade([pick], out, Options(**{**options.__dict__, "force": True, "lang": "en"}))
    assert forced["graded_now"] == 2
    assert forced["lang"] == "en" and '<html lang="en">' in (out / "index.html").read_text()
    now = {r["student"]: r["total"] for r in read_records(out)}
    before = {k: v["total"] for k, v in graded_class["records"].items() if k in now}
    assert now == before
    with pytest.raises(RunError, match="seed 2026"):
        grade([pick], out, Options(**{**options.__dict__, "seed": 7}))
