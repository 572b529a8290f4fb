"""Each fact of a lesson stated once and checked: points in questions.py against the source's
markers, Gradescope policies validated, requirements and the Gradescope kit per lesson; and a
worker that cannot import a lesson says so at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from layerwise import registry
from layerwise.build import requirements
from layerwise.build.declared import check_declared
from layerwise.build.edition import read_source
from layerwise.build.gradescope import _kit_files
from layerwise.errors import ConfigError
from layerwise.execute.limits import Limits
from layerwise.execute.pool import Worker, WorkerError
from layerwise.policies import GradescopePolicy, LatePenalty, RateLimit

ROOT = Path(__file__).resolve().parents[2]
NUMPY_SOURCE = ROOT / "source" / "cnn_numpy.py"


def _source(tmp_path: Path, old: str, new: str) -> Path:
    text = NUMPY_SOURCE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "cnn_numpy.py"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _declared(path: Path) -> None:
    check_declared(read_source(path), registry.get("cnn_numpy"), path)


def test_the_kits_sources_agree_with_their_packages() -> None:
    for name in ("cnn_keras", "cnn_numpy"):
        path = ROOT / "source" / f"{name}.py"
        check_declared(read_source(path), registry.get(name), path)


def test_points_that_disagree_are_one_line_naming_both(tmp_path: Path) -> None:
    path = _source(tmp_path, "# name: relu\n# points: 5\n", "# name: relu\n# points: 7\n")
    with pytest.raises(ConfigError) as error:
        _declared(path)
    assert "question relu has points: 7" in str(error.value) and "but 5 in the package" in str(
        error.value) and "\n" not in str(error.value)


def test_a_question_on_one_side_only_is_an_error(tmp_path: Path) -> None:
    renamed = _source(tmp_path, "# name: relu\n# points: 5\n", "# name: relu2\n# points: 5\n")
    with pytest.raises(ConfigError, match=r"question relu of the package .* has no BEGIN QUESTION"):
        _declared(renamed)
    named = _source(tmp_path, "# name: cnn_numpy\n", "# name: other\n")
    with pytest.raises(ConfigError, match="ASSIGNMENT CONFIG says name: other"):
        _declared(named)


@pytest.mark.parametrize("make, field", [
    (lambda: LatePenalty(per_day=-1), "late_penalty.per_day"),
    (lambda: LatePenalty(max_percent=150), "late_penalty.max_percent"),
    (lambda: LatePenalty(per_day=float("nan")), "late_penalty.per_day"),
    (lambda: RateLimit(submissions=1.5), "rate_limit.submissions"),  # type: ignore[arg-type]
    (lambda: RateLimit(submissions=3, hours=0), "rate_limit.hours"),
    (lambda: GradescopePolicy(late_penalty={"per_day": 5}), "late_penalty"),  # type: ignore[arg-type]
])
def test_an_invalid_policy_is_a_clear_error(make: object, field: str) -> None:
    with pytest.raises(ConfigError) as error:
        make()  # type: ignore[operator]
    assert field in str(error.value) and "\n" not in str(error.value)
    assert GradescopePolicy(LatePenalty(10, 50, 15), RateLimit(3, 24)).rate_limit.submissions == 3


def test_requirements_are_the_lessons_own() -> None:
    keras_lesson = registry.get("cnn_keras")
    student = requirements.student(keras_lesson)
    assert "tensorflow>=2.21,<2.22" in student and student[-1] == "otter-grader>=7,<8"
    assert "tensorflow-cpu==2.21.*" in requirements.grader(keras_lesson)
    numpy_only = replace(keras_lesson, requirements=("numpy",), grader_requirements=None)
    assert requirements.student(numpy_only) == ("numpy", "otter-grader>=7,<8")
    assert requirements.grader(numpy_only) == ("numpy",)


def test_the_gradescope_kit_carries_one_lesson() -> None:
    files = _kit_files(registry.get("cnn_numpy"))
    assert "kit/layerwise/assignments/cnn_numpy/harvest.py" in files
    assert "kit/layerwise/assignments/cnn_numpy/examples.py" not in files
    assert not [n for n in files if "/cnn_keras/" in n]
    pyproject = files["kit/pyproject.toml"].decode()
    assert 'cnn_numpy = "layerwise.assignments.cnn_numpy:ASSIGNMENT"' in pyproject
    assert "cnn_keras" not in pyproject


@pytest.mark.parametrize("use_bwrap", [False, True])
def test_a_worker_that_cannot_import_says_so_at_once(tmp_path: Path, use_bwrap: bool) -> None:
    worker = Worker(0, tmp_path, Limits(), use_bwrap=use_bwrap, preload=("no_such_lesson_xyz",))
    started = time.monotonic()
    try:
        with pytest.raises(WorkerError) as error:
            worker.start()
    finally:
        worker.stop()
        worker.log.close()
    said = str(error.value)
    assert said.startswith("grading worker 0 could not import no_such_lesson_xyz: "
                           "ModuleNotFoundError"), said
    assert "within" not in said and time.monotonic() - started < 60


def test_editions_are_among_the_engines_languages() -> None:
    lesson = registry.get("cnn_numpy")
    assert replace(lesson, editions=("en",)).problems() == []
    assert "editions" in " ".join(replace(lesson, editions=("pt", "es")).problems())


def test_new_refuses_a_bad_name_or_a_full_folder(tmp_path: Path) -> None:
    def new(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", "from layerwise.cli import main; main()",
                               "new", *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, env={**os.environ, "COLUMNS": "300"})

    for bad in ("My-Lesson", "class", "numpy"):
        done = new(bad)
        assert done.returncode == 2 and "cannot name a lesson" in done.stderr, done.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    done = new("fresh_lesson", "--dir", "full")
    assert done.returncode == 2 and "is not empty" in done.stderr
    assert new("fresh_lesson").returncode == 0
    assert (tmp_path / "fresh_lesson" / "fresh_lesson" / "questions.py").is_file()


def test_building_a_course_not_installed_says_so(tmp_path: Path) -> None:
    cli = [sys.executable, "-c", "from layerwise.cli import main; main()"]
    made = subprocess.run([*cli, "new", "not_installed_lesson", "--dir", "course"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    done = subprocess.run([*cli, "build"], cwd=tmp_path / "course", capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COLUMNS": "300"})
    assert done.returncode == 2 and "no registered lesson has its source" in done.stderr
    assert "not_installed_lesson.py" in done.stderr and "pip install -e ." in done.stderr
