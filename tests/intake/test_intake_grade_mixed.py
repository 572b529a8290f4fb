"""Issue #21 end to end: a Moodle 4 folder holding a student's real notebook and a broken one
is graded from the real one, full marks, with and without --assignment, by `layerwise grade`
run from a folder outside the kit (the kit is the checkout the package was installed from)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALID = (ROOT / "autograder" / "examples" / "cnn_keras" / "full_marks.ipynb").read_bytes()
FOLDER = "Full Name_12345_assignsubmission_file"
STUDENT = "Full_Name_12345"


def grade(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from layerwise.cli import main; main()", "grade", *args,
         "--seed", "2026", "--workers", "1"],
        cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    where = tmp_path_factory.mktemp("elsewhere")  # not the kit: no source/ nor solutions/
    with zipfile.ZipFile(where / "moodle.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{FOLDER}/meu_trabalho.ipynb", VALID)
        zf.writestr(f"{FOLDER}/broken.ipynb", b"this is junk")
    found: dict[str, Any] = {}
    for name, extra in (("named", []), ("asked", ["--assignment", "cnn_keras"])):
        out = where / name
        if found:  # the same reference harvest: computed once, reused as a cache
            shutil.copytree(where / "named" / ".reference", out / ".reference")
        done = grade(where, "moodle.zip", "--out", name, *extra)
        assert done.returncode == 0, done.stdout + done.stderr
        found[name] = {"done": done, "info": json.loads((out / "run.json").read_text()),
                       "record": json.loads((out / STUDENT / "grading.json").read_text())}
    return found


@pytest.mark.parametrize("name", ["named", "asked"])
def test_the_valid_notebook_is_graded_full_marks(runs: dict[str, Any], name: str) -> None:
    record = runs[name]["record"]
    assert record["status"] == "graded", record["message"]
    assert record["total"] == record["max_total"] > 0
    assert record["identity"]["file"] == "meu_trabalho.ipynb"
    assert record["identity"]["lms"] == "moodle" and record["identity"]["lms_user_id"] == "12345"
    assert runs[name]["info"]["assignment"] == "cnn_keras"


@pytest.mark.parametrize("name", ["named", "asked"])
def test_the_choice_is_explained_in_run_json_and_on_the_terminal(runs: dict[str, Any],
                                                                 name: str) -> None:
    info = runs[name]["info"]
    choice = info["intake"]["choices"][STUDENT]
    assert choice["kept"].endswith("meu_trabalho.ipynb")
    assert choice["why"] == "the only one that is a notebook of cnn_keras"
    assert [c["origin"].rpartition("/")[2] for c in choice["candidates"]] == [
        "meu_trabalho.ipynb", "broken.ipynb"]
    [aside] = info["skipped_inputs"]
    assert aside["origin"].endswith("broken.ipynb")
    assert not re.search(r"\bolder\b", aside["reason"])
    terminal = runs[name]["done"].stderr + runs[name]["done"].stdout
    assert f"{STUDENT}: graded" in terminal
    assert "broken.ipynb: cannot be read" in terminal
