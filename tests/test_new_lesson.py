"""`layerwise new`: the lesson it writes, installed editable into a venv of its own, builds and
grades its example class inside bubblewrap (the correct notebook full marks, the mistaken one
losing its question with its diagnosis named), and its artifacts carry that lesson alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import layerwise
import pytest

NAME = "demo_relu"
KIT = str(Path(layerwise.__file__).resolve().parents[1])
"""The folder of the layerwise under test (this worktree's), put first on the venv's path."""


def _run(args: list[str], cwd: Path, timeout: float = 900, path: str = KIT
         ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": path, "COLUMNS": "200"}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (args, done.stdout[-3000:], done.stderr[-3000:])
    return done


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`layerwise new`, an editable install into a new venv layered on this one (a .pth
    naming this venv's site-packages), then `layerwise build` and `layerwise grade` of the
    example class with bubblewrap required, all from the course folder."""
    tmp = tmp_path_factory.mktemp("newlesson")
    folder = tmp / "course"
    cli = ["-c", "from layerwise.cli import main; main()"]
    made = _run([sys.executable, *cli, "new", NAME, "--dir", str(folder)], cwd=tmp)
    venv = tmp / "venv"
    base = Path(sys.base_prefix) / "bin" / "python3"
    _run([str(base), "-m", "venv", "--system-site-packages", str(venv)], cwd=tmp)
    python = str(venv / "bin" / "python")
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                cwd=tmp).stdout.strip()
    Path(site, "kit.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
          "--no-index", "-e", str(folder)], cwd=tmp)
    probe = [python, "-c", f"import json, {NAME}, layerwise.execute.sandbox as s; "
             f"print({NAME}.__file__); print(json.dumps(s._python_dirs()))"]
    where = _run(probe, cwd=tmp).stdout
    # the course folder on sys.path (as setuptools' compat mode or a PYTHONPATH entry puts it)
    on_path = _run(probe, cwd=tmp, path=os.pathsep.join([KIT, str(folder)])).stdout
    built = _run([python, *cli, "build"], cwd=folder)
    graded = _run([python, *cli, "grade", f"autograder/examples/{NAME}", "--out", "run",
                   "--workers", "1", "--seed", "2026", "--sandbox", "bwrap"], cwd=folder)
    yield {"folder": folder, "made": made.stdout, "where": where, "on_path": on_path,
           "built": built.stdout,
           "graded": graded.stdout}
    shutil.rmtree(tmp, ignore_errors=True)


def _record(folder: Path, student: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((folder / "run" / student / "grading.json").read_text())
    return record


def test_new_writes_a_course_folder(course: dict[str, Any]) -> None:
    folder = course["folder"]
    for rel in ("pyproject.toml", f"source/{NAME}.py", f"{NAME}/questions.py",
                f"{NAME}/checks.py", f"{NAME}/examples.py", f"tests/test_{NAME}.py"):
        assert (folder / rel).is_file(), rel
    assert f'{NAME} = "{NAME}:ASSIGNMENT"' in (folder / "pyproject.toml").read_text()
    assert "BEGIN SOLUTION NO PROMPT" in (folder / "source" / f"{NAME}.py").read_text()


def test_the_editable_lesson_is_seen_in_the_sandbox_without_its_course_folder(
        course: dict[str, Any]) -> None:
    folder = str(course["folder"].resolve())
    for probe in ("where", "on_path"):
        imported, dirs = course[probe].splitlines()
        assert imported == f"{folder}/{NAME}/__init__.py"  # the course's files, not a copy
        bound = json.loads(dirs)
        assert f"{folder}/{NAME}" in bound, probe
        assert not [d for d in bound if d == folder or d.startswith(f"{folder}/solutions")]


def test_the_example_class_is_graded_in_bubblewrap(course: dict[str, Any]) -> None:
    folder = course["folder"]
    info = json.loads((folder / "run" / "run.json").read_text())
    assert info["sandbox"]["sandbox"] == "bubblewrap", info["sandbox"]
    right = _record(folder, "full_marks")
    assert right["total"] == right["max_total"] == 10
    wrong = _record(folder, "max_reduces")
    assert wrong["total"] == 0
    relu = next(q for q in wrong["questions"] if q["id"] == "relu")
    assert relu["score"] == 0 and [d["code"] for d in relu["diagnoses"]] == ["max_reduces"]
    assert "np.maximum(x, 0)" in relu["diagnoses"][0]["en"]


def test_its_artifacts_carry_that_lesson_alone(course: dict[str, Any]) -> None:
    folder = course["folder"]
    assert (folder / "release" / NAME / "requirements.txt").read_text().split() == [
        "numpy", "otter-grader>=7,<8"]
    with zipfile.ZipFile(folder / "autograder" / "gradescope" / f"{NAME}-layerwise.zip") as z:
        names = set(z.namelist())
        config = json.loads(z.read("layerwise-gradescope.json"))
        entry = z.read(f"packages/{NAME}-0.0.dist-info/entry_points.txt").decode()
    assert f"packages/{NAME}/checks.py" in names and f"packages/{NAME}/examples.py" not in names
    assert not [n for n in names if "/assignments/cnn_" in n]
    assert f"{NAME} = {NAME}:ASSIGNMENT" in entry
    assert config["late_penalty"]["per_day"] == 0 and config["rate_limit"]["submissions"] == 0
    built = {p.name for p in (folder / "solutions").iterdir()}
    assert built == {f"{NAME}.ipynb", f"{NAME}_en.ipynb"}  # the kit's lessons are not built here
