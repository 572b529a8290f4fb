"""A grader that cannot switch users (not root) still runs each worker in its own PID
namespace: whatever a submission leaves running is killed before the next one starts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from adversarial_cases import HONEST_TOTALS, ROOT, Places, hostile, notebook, write_honest
from hostile_settings import LIMITS, SEED, records_of, seeded_run_folder
from layerwise.execute import pool, sandbox
from layerwise.execute.sandbox import bwrap_works
from layerwise.grade.run import Options, grade


def test_a_daemon_dies_with_its_submission_without_own_user(
        honest_alone: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not bwrap_works():  # unconfined, the daemon would really outlive the run
        pytest.skip("needs bubblewrap (apt-get install bubblewrap)")
    monkeypatch.setattr(pool, "switch_user", lambda use_bwrap: False)
    monkeypatch.setattr(sandbox, "switch_user", lambda use_bwrap: False)
    places = Places(0, 0, tmp_path / "marker", tmp_path / "run", tmp_path, tmp_path / "canary")
    daemon = next(case for case in hostile(places) if case.name == "lingering_daemon")
    write_honest(tmp_path / "in")  # graded after it, by the same (only) worker
    nbformat.write(notebook(daemon), tmp_path / "in" / "a_lingering_daemon.ipynb")
    out = seeded_run_folder(tmp_path / "run", honest_alone["reference"])
    grade([tmp_path / "in"], out, Options(solution=ROOT / "solutions" / "cnn_keras.ipynb",
                                          workers=1, seed=SEED, limits=LIMITS))
    recorded = json.loads((out / "run.json").read_text())["sandbox"]
    assert not recorded["own_user"] and recorded["pid_namespace"]
    records = records_of(out)
    assert records["a_lingering_daemon"]["status"] == "graded"
    for name, total in HONEST_TOTALS.items():
        assert (records[name]["status"], records[name]["total"]) == ("graded", total), name
