"""Shared, expensive fixtures: the example class is graded once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLASS = ROOT / "autograder" / "examples" / "class"
SEED = 2026


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`layerwise grade` on the bundled example class (TensorFlow runs for real)."""
    from layerwise.execute.limits import Limits
    from layerwise.grade.run import Options, grade

    out = tmp_path_factory.mktemp("run")
    options = Options(solution=ROOT / "solutions" / "cnn_keras.ipynb", workers=2, seed=SEED,
                      limits=Limits(notebook_seconds=40, cell_seconds=12))
    info = grade([CLASS], out, options)
    records = {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/grading.json")}
    return {"out": out, "info": info, "records": records}
