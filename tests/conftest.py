"""Shared, expensive fixtures: the example class is graded once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from layerwise import tfenv

tfenv.apply()  # before anything imports TensorFlow (channels_first needs oneDNN on)

ROOT = Path(__file__).resolve().parents[1]
CLASS = ROOT / "autograder" / "examples" / "cnn_keras"
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


@pytest.fixture(scope="session")
def seed_pool() -> Any:
    """Two grading workers for the many-seeds tests."""
    from layerwise.execute.pool import LocalPool
    from many_seeds import LIMITS, PRELOAD

    with LocalPool(2, LIMITS, preload=PRELOAD) as pool:
        yield pool


@pytest.fixture(scope="session")
def reference_200(seed_pool: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(cases, reference harvest) of seeds 0-199, computed by the real workers."""
    from many_seeds import reference

    return reference(seed_pool, list(range(200)), chunks=2)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start setting up the Gradescope image now when its tests will run (it takes minutes
    of installing; the other tests run meanwhile)."""
    if any("test_gradescope_zip" in item.nodeid for item in session.items):
        from gradescope_image import start

        start()
