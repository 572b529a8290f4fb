"""Without bubblewrap a run still works, and run.json says what could not be enforced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adversarial_cases import HONEST_TOTALS, ROOT, write_honest
from hostile_settings import LIMITS, SEED, records_of, seeded_run_folder
from layerwise.grade.run import Options, grade


def test_sandbox_none_records_its_warnings(honest_alone: dict[str, Any], tmp_path: Path) -> None:
    """Only honest notebooks here: nothing hostile ever runs unconfined."""
    write_honest(tmp_path / "in")
    out = seeded_run_folder(tmp_path / "run", honest_alone["reference"])
    info = grade([tmp_path / "in"], out, Options(solution=ROOT / "solutions" / "cnn_keras.ipynb",
                                                 workers=1, seed=SEED, limits=LIMITS,
                                                 sandbox="none"))
    recorded = json.loads((out / "run.json").read_text())["sandbox"]
    assert recorded == info["sandbox"]
    assert recorded["sandbox"] == "none"
    assert not recorded["filesystem_isolated"] and not recorded["pid_namespace"]
    assert any("bubblewrap is not available" in w and "READ" in w for w in recorded["warnings"])
    if not recorded["own_user"]:
        assert any("your own user" in w for w in recorded["warnings"])
    if not recorded["network_isolated"]:
        assert any("network is NOT isolated" in w for w in recorded["warnings"])
    records = records_of(out)
    for name, total in HONEST_TOTALS.items():
        assert (records[name]["status"], records[name]["total"]) == ("graded", total)
        assert records[name]["questions"] == honest_alone["records"][name]["questions"]
