"""The architecture contract (`.importlinter`, issue #22): layers one way, the engine names no
lesson, no import circles. Checked with import-linter on the kit, and on a copy of the kit with
an upward import and a circle put back, to show that the contract catches them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "autograder" / "layerwise"
CONFIG = ROOT / ".importlinter"


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the kit's contract, on the `layerwise` package in `package_parent`."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
         "--config", str(CONFIG), "--no-cache"],
        cwd=package_parent, env=env, capture_output=True, text=True, timeout=300)


def test_the_kit_keeps_its_architecture_contract() -> None:
    done = lint_imports(PACKAGE.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


def test_the_contract_catches_an_upward_import_a_circle_and_a_lesson_on_the_build(
        tmp_path: Path) -> None:
    copy = tmp_path / "layerwise"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    entries = copy / "intake" / "entries.py"  # intake reaching up to the LMS uploads
    entries.write_text(entries.read_text() + "\nimport layerwise.lms.export  # noqa\n")
    notebook = copy / "intake" / "notebook.py"  # notebook <-> submission: a circle
    notebook.write_text(notebook.read_text() + "\nimport layerwise.intake.submission  # noqa\n")
    examples = copy / "assignments" / "cnn_numpy" / "examples.py"  # a lesson on the build
    examples.write_text(examples.read_text() + "\nimport layerwise.build.examples  # noqa\n")
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "layerwise.intake is not allowed to import layerwise.lms" in done.stdout
    assert "No cycles are allowed in layerwise.intake" in done.stdout, done.stdout
    assert "layerwise.assignments is not allowed to import layerwise.build" in done.stdout
    assert "1 kept, 3 broken" in done.stdout
