"""The code stays as the guide asks: ruff clean, and mypy strict on the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_clean() -> None:
    result = _run("ruff", "check", "autograder", "tests")
    assert result.returncode == 0, result.stdout[-4000:]


def test_mypy_strict() -> None:
    result = _run("mypy", "autograder/layerwise")
    assert result.returncode == 0, result.stdout[-4000:]
