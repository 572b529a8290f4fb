"""Shared, expensive fixtures: the example class is graded once per session."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from layerwise import tfenv

tfenv.apply()  # before anything imports TensorFlow (channels_first needs oneDNN on)

ROOT = Path(__file__).resolve().parents[1]
CLASS = ROOT / "autograder" / "examples" / "cnn_keras"
SEED = 2026
# Fixtures shared by a whole folder's (or a few files') tests: their tests run on one xdist
# worker, so the fixture is computed once. Keys are folder or file names (the first that
# matches, from the top: tests/cnn_keras/test_many_seeds.py is in "seeds", sharing the seeds'
# worker pool of tests/cnn_keras/conftest.py). Every other file is a group of its own.
GROUPS = {"adversarial": "adversarial", "cnn_numpy": "cnn_numpy", "report": "report",
          "test_many_seeds.py": "seeds", "test_numpy_oracle.py": "seeds"}


def pytest_itemcollected(item: pytest.Item) -> None:
    """Group tests for `--dist loadgroup` by the expensive fixtures they share (marked as each
    test is collected: xdist reads the marks before other `modifyitems` hooks run)."""
    parts = Path(item.path).relative_to(ROOT / "tests").parts
    group = next((GROUPS[p] for p in parts if p in GROUPS), "/".join(parts))
    item.add_marker(pytest.mark.xdist_group(group))


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Path, FileLock]:
    """A folder every xdist worker of this session sees, and the lock guarding its making."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / name, FileLock(str(base / f"{name}.lock"))


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`layerwise grade` on the bundled example class (TensorFlow runs for real), once per
    session however many workers ask."""
    from layerwise.execute.limits import Limits
    from layerwise.grade.run import Options, grade

    out, lock = shared_folder(tmp_path_factory, "graded_class")
    done = out.with_suffix(".done")
    with lock:
        if not done.is_file():
            options = Options(solution=ROOT / "solutions" / "cnn_keras.ipynb", workers=2,
                              seed=SEED, limits=Limits(notebook_seconds=40, cell_seconds=12))
            shutil.rmtree(out, ignore_errors=True)  # a worker's half-done attempt
            grade([CLASS], out, options)
            done.touch()
    info = json.loads((out / "run.json").read_text())
    records = {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/grading.json")}
    return {"out": out, "info": info, "records": records}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start setting up the Gradescope image now when its tests will run (it takes minutes
    of installing; the other tests run meanwhile)."""
    if any("test_gradescope_zip" in item.nodeid for item in session.items):
        from gradescope_image import start

        start()
