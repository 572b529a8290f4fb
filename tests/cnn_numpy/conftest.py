"""The second lesson's example class, graded once per session (its NumPy notebooks end with a
Keras comparison, so TensorFlow runs for real)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "autograder" / "examples" / "cnn_numpy"
SEED = 2026


@pytest.fixture(scope="session")
def numpy_class(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`layerwise grade` on autograder/examples/cnn_numpy/, from the kit root."""
    from layerwise.execute.limits import Limits
    from layerwise.grade.run import Options, grade

    out = tmp_path_factory.mktemp("cnn_numpy_run")
    options = Options(assignment="cnn_numpy", kit=ROOT, workers=2, seed=SEED,
                      limits=Limits(notebook_seconds=60, cell_seconds=15))
    info = grade([CLASS], out, options)
    records = {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/grading.json")}
    return {"out": out, "info": info, "records": records}
