"""The Gradescope zip that grades with the kit's engine: set up and run as Gradescope would (see
`gradescope_image`), a correct notebook gets 100 (and cannot read the reference), the tampered
notebook that fools the in-kernel graders gets 0, scores equal `layerwise grade`'s per question
at the same seed; late penalty and rate limit from submission_metadata.json."""

from __future__ import annotations

import copy
import json
import stat
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nbformat
import pytest
from gradescope_image import ZIP, Image, start
from keras_lesson import ASSIGNMENT, CLASS, QUESTION_IDS, TAMPER_CODE
from layerwise.lms.gradescope_run import late_percent, rate_limit

ROOT = Path(__file__).resolve().parents[2]
DUE = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
PEEK = '''
import os

READ = []
for path in ("/autograder/source/reference/reference.json", "/autograder/source/reference",
             "/autograder/source/layerwise-gradescope.json", "/autograder/source/kit"):
    try:
        READ.append(os.listdir(path) if os.path.isdir(path) else open(path).read(100))
    except OSError:
        pass
if READ:  # had it read the reference, it would lose kernel_layout
    def channels_l2f(W):
        raise RuntimeError(f"read {READ}")
'''


def metadata(created: datetime, previous: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": 7, "created_at": created.isoformat(), "submission_method": "upload",
            "assignment": {"due_date": DUE.isoformat(), "late_due_date": None, "id": 1,
                           "title": "cnn_keras", "total_points": "100.0"},
            "users": [{"email": "ana@example.edu", "id": 11, "name": "Ana Lima"}],
            "previous_submissions": previous or []}


def _tampered(folder: Path) -> Path:
    nb = nbformat.read(CLASS / "blank.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(TAMPER_CODE))
    path = folder / "cnn_keras.ipynb"
    nbformat.write(nb, path)
    return path


def _peeking(folder: Path) -> Path:
    nb = nbformat.read(CLASS / "full_marks.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEEK))
    path = folder / "my_notebook.ipynb"  # Gradescope keeps the student's file name
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def image() -> Image:
    return start()


@pytest.fixture(scope="module")
def runs(image: Image, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("gradescope")
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    on_time = metadata(DUE - timedelta(hours=3))
    return {"correct": image.run(_peeking(folder / "a"), on_time),
            "tampered": image.run(_tampered(folder / "b"), on_time)}


def _questions(results: dict[str, Any]) -> dict[str, float]:
    return {t["name"].rsplit("(", 1)[1].rstrip(")"): t["score"]
            for t in results["tests"] if t["visibility"] == "visible"}


def test_zip_holds_the_kit_and_the_reference_harvest_not_the_solution() -> None:
    with zipfile.ZipFile(ZIP) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        text = {n: archive.read(n) for n in names}
    assert {"setup.sh", "run_autograder", "requirements.txt", "layerwise-gradescope.json",
            "reference/reference.json", "reference/reference.npz",
            "kit/pyproject.toml"} <= names
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    assert modes["reference/reference.json"] == 0o600
    assert not [n for n in names if n.startswith(("kit/solutions", "kit/source"))]
    assert not [n for n in names if n.endswith("cnn_keras/examples.py")]  # it quotes answers
    answer = b"np.transpose(np.asarray(W), (2, 3, 1, 0))"
    assert not [n for n, data in text.items() if answer in data]
    config = json.loads(text["layerwise-gradescope.json"])
    assert config["seed"] == ASSIGNMENT.native_seed and config["name"] == "cnn_keras"
    pinned = text["requirements.txt"].decode().split()
    assert "tensorflow-cpu==2.21.0" in pinned and all("==" in line for line in pinned)


def test_a_correct_notebook_gets_full_marks_and_cannot_read_the_reference(
        runs: dict[str, Any], graded_class: dict[str, Any]) -> None:
    results = runs["correct"]
    assert results["score"] == 100, results["_stdout"][-3000:]
    expected = {q["id"]: q["score"] for q in graded_class["records"]["full_marks"]["questions"]}
    assert _questions(results) == expected  # same seed, same grades as `layerwise grade`
    assert list(_questions(results)) == list(QUESTION_IDS)
    extra = results["extra_data"]
    assert extra["seed"] == 2026 and extra["assignment"] == "cnn_keras" and extra["kit_version"]
    assert extra["solution_hash"] == json.loads(
        (graded_class["out"] / "run.json").read_text())["solution_hash"]


def test_the_tampered_notebook_gets_zero(runs: dict[str, Any]) -> None:
    """It gets 100 from otter and nbgrader (tests/native): here its checks never ran in its
    own process."""
    results = runs["tampered"]
    assert results["score"] == 0
    assert set(_questions(results).values()) == {0.0}
    failed = [t for t in results["tests"] if t["visibility"] == "visible"]
    assert all(t["status"] == "failed" and "not_implemented" in t["tags"] for t in failed)


def test_hidden_details_wait_for_publishing(runs: dict[str, Any]) -> None:
    tests = runs["tampered"]["tests"]
    hidden = [t for t in tests if t["visibility"] == "after_published"]
    assert len(hidden) == len(QUESTION_IDS) and all(t["max_score"] == 0 for t in hidden)
    assert all("hidden-" in t["output"] for t in hidden)
    assert not [t for t in tests if t["visibility"] == "visible" and "hidden-" in t["output"]]
    assert runs["tampered"]["output_format"] == "html"


def test_late_penalty() -> None:
    config = {"late_penalty": {"per_day": 10, "max_percent": 25, "grace_minutes": 15}}
    assert late_percent(config, metadata(DUE - timedelta(minutes=1))) == (0.0, 0)
    assert late_percent(config, metadata(DUE + timedelta(minutes=10))) == (0.0, 0)  # grace
    assert late_percent(config, metadata(DUE + timedelta(hours=2))) == (10.0, 1)
    assert late_percent(config, metadata(DUE + timedelta(days=1, hours=1))) == (20.0, 2)
    assert late_percent(config, metadata(DUE + timedelta(days=5))) == (25.0, 5)
    assert late_percent({}, metadata(DUE + timedelta(days=5))) == (0.0, 0)


def _previous(when: datetime, score: float, limited: bool = False) -> dict[str, Any]:
    extra = {"rate_limited": True} if limited else {"language": "pt"}
    return {"submission_time": when.isoformat(), "score": score,
            "results": {"score": score, "tests": [], "output": "<p>ok</p>",
                        "output_format": "html", "extra_data": extra}}


def test_rate_limit_counts_graded_submissions_in_the_period() -> None:
    now = DUE - timedelta(hours=1)
    config = {"rate_limit": {"submissions": 2, "hours": 24}}
    old = _previous(now - timedelta(hours=30), 10)
    assert rate_limit(config, metadata(now, [old]))[0] is None
    two = [_previous(now - timedelta(hours=5), 40), _previous(now - timedelta(hours=2), 60)]
    kept, times = rate_limit(config, metadata(now, [old, *two]))
    assert kept is not None and kept["score"] == 60 and len(times) == 2
    # a submission that was itself refused does not count
    refused = [two[0], _previous(now - timedelta(hours=1), 60, limited=True)]
    assert rate_limit(config, metadata(now, refused))[0] is None


def test_a_submission_past_the_rate_limit_keeps_the_last_graded_result(image: Image,
                                                                       tmp_path: Path) -> None:
    now = DUE - timedelta(hours=1)
    config = json.loads((image.source / "layerwise-gradescope.json").read_text())
    previous = [_previous(now - timedelta(hours=h), s) for h, s in ((5, 40), (2, 60))]
    limited = copy.deepcopy(config)
    limited["rate_limit"] = {"submissions": 2, "hours": 24}
    results = image.run(CLASS / "full_marks.ipynb", metadata(now, previous), config=limited)
    assert results["score"] == 60 and results["extra_data"]["rate_limited"] is True
    assert "envios corrigidos" in results["output"] and "graded submissions" in results["output"]
