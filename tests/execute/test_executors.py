"""Every executor gives the same grades, bit for bit: the forking workers (default), the slow
path (a new process and TensorFlow import per submission) and a dask.distributed cluster."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from layerwise.execute.limits import Limits
from layerwise.grade.run import Options, grade
from layerwise.report.runfolder import read_records

ROOT = Path(__file__).resolve().parents[2]
SUBSET = ("full_marks", "blank", "reshape", "layer_missing")
FRESH = ("full_marks", "reshape")
"""The slow path imports TensorFlow per submission (~10 s each): a smaller subset."""


@pytest.fixture(scope="module")
def subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("subset")
    for name in SUBSET:
        shutil.copy(ROOT / "autograder" / "examples" / "cnn_keras" / f"{name}.ipynb", folder)
    return folder


def _graded(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {r["student"]: (r["status"], r["total"],
                           [(q["id"], q["score"], [(c["case"], c["passed"], c["diagnosis"])
                                                   for c in q["case_results"]])
                            for q in r["questions"]]) for r in records}


def _options(**kw: Any) -> Options:
    return Options(solution=ROOT / "solutions" / "cnn_keras.ipynb", seed=2026, workers=2,
                   limits=Limits(notebook_seconds=60, cell_seconds=20), **kw)


def _with_reference(graded_class: dict[str, Any], out: Path) -> Path:
    """A run folder holding the session run's cached reference (the same seed and kit)."""
    shutil.copytree(graded_class["out"] / ".reference", out / ".reference")
    return out


def test_slow_path_gives_identical_grades(graded_class: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in FRESH:
        shutil.copy(ROOT / "autograder" / "examples" / "cnn_keras" / f"{name}.ipynb", folder)
    out = _with_reference(graded_class, tmp_path / "run")
    info = grade([folder], out, _options(executor="fresh"))
    assert info["executor"] == "fresh"
    expected = {k: v for k, v in _graded(list(graded_class["records"].values())).items()
                if k in FRESH}
    assert _graded(read_records(out)) == expected


def test_dask_cluster_gives_identical_grades(graded_class: dict[str, Any], subset: Path,
                                             tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        info = grade([subset], _with_reference(graded_class, tmp_path),
                     _options(executor="dask", scheduler=client))
    assert info["executor"] == "dask" and info["sandbox"]["sandbox"] in ("bubblewrap", "none")
    expected = {k: v for k, v in _graded(list(graded_class["records"].values())).items()
                if k in SUBSET}
    assert _graded(read_records(tmp_path)) == expected
