"""What the TA hands over that cannot be graded gets one line that says what happened and what
to do, and exit code 2 (issue #21): no such path; not a notebook, folder or zip; a damaged or
truncated zip; an empty zip; a folder with no notebooks. Checked through the command itself."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "autograder" / "examples" / "cnn_keras" / "full_marks.ipynb"


def grade_error(tmp_path: Path, path: str) -> str:
    """`layerwise grade PATH`, run from `tmp_path`, must end in one `error: ...` line, exit 2."""
    done = subprocess.run(
        [sys.executable, "-c", "from layerwise.cli import main; main()", "grade", path,
         "--out", str(tmp_path / "run")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert not (tmp_path / "run").exists()  # nothing started
    return lines[0]


def class_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(3):
            zf.writestr(f"Aluno {n}_{100 + n}_assignsubmission_file/cnn_keras.ipynb",
                        VALID.read_bytes())
    return path


def test_no_such_path(tmp_path: Path) -> None:
    line = grade_error(tmp_path, "turma.zip")
    assert line == ("error: turma.zip: no such file or folder: check the path (a notebook, a "
                    "folder or a zip archive)")


def test_not_a_notebook_folder_or_zip(tmp_path: Path) -> None:
    (tmp_path / "notas.txt").write_text("alice 10\n")
    line = grade_error(tmp_path, "notas.txt")
    assert line.startswith("error: notas.txt is not a notebook (.ipynb), a folder or a zip "
                           "archive")


@pytest.mark.parametrize("keep", [0.5, 0.97])
def test_a_truncated_download(tmp_path: Path, keep: float) -> None:
    whole = class_zip(tmp_path / "whole.zip").read_bytes()
    (tmp_path / "turma.zip").write_bytes(whole[:int(len(whole) * keep)])
    line = grade_error(tmp_path, "turma.zip")
    assert line.startswith("error: turma.zip: damaged or incomplete download")
    assert line.endswith("download it again")


def test_a_file_named_zip_that_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "turma.zip").write_text("<html>session expired</html>")
    assert "damaged or incomplete download" in grade_error(tmp_path, "turma.zip")


def test_an_empty_zip(tmp_path: Path) -> None:
    zipfile.ZipFile(tmp_path / "turma.zip", "w").close()
    line = grade_error(tmp_path, "turma.zip")
    assert line == ("error: turma.zip: the zip archive is empty: download it again (was the "
                    "export finished?)")


def test_a_folder_with_no_notebooks(tmp_path: Path) -> None:
    folder = tmp_path / "turma"
    folder.mkdir()
    (folder / "relatorio.pdf").write_bytes(b"%PDF-1.4")
    (folder / "notas.txt").write_text("x")
    (folder / "outro.pdf").write_bytes(b"%PDF-1.4")
    line = grade_error(tmp_path, "turma")
    assert line == ("error: no notebooks (.ipynb) in turma (found only: 2 .pdf, 1 .txt): pass "
                    "the students' notebooks, or the folder or zip the LMS exported")


def test_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "turma").mkdir()
    assert grade_error(tmp_path, "turma").startswith(
        "error: no notebooks (.ipynb) in turma (no files at all)")
