"""The `layerwise` command (`layerwise/cli/`): every verb mounted under its name, and
`--version` answering without loading TensorFlow or nbformat."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import layerwise
from layerwise.cli import app
from typer.main import get_command
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_the_kits_and_loads_no_heavy_module() -> None:
    code = ("import sys\nfrom layerwise.cli import main\nsys.argv = ['layerwise', '--version']\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in ('tensorflow', 'keras', 'nbformat', 'numpy', 'nbgrader')"
            " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    first, loaded = done.stdout.strip().splitlines()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert first.startswith(f"layerwise {version} (Python ") and layerwise.__version__ == version
    assert loaded == "[]"


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run([sys.executable, "-m", "layerwise.cli", "--version"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("layerwise "), done.stderr


def test_every_verb_is_mounted() -> None:
    group = get_command(app)
    assert sorted(group.commands) == [  # type: ignore[attr-defined]
        "assignments", "build", "export", "grade", "lti", "nbgrader-import", "new", "serve",
        "serve-admin", "similarity", "upload"]
    result = CliRunner().invoke(app, ["upload", "--help"])
    assert result.exit_code == 0 and "canvas" in result.output and "moodle" in result.output


def test_no_arguments_shows_help_and_fails() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code != 0 and "--version" in result.output


def test_nbgrader_import_refuses_a_folder_that_is_no_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["nbgrader-import", str(tmp_path), "--course-dir",
                                      str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "no run.json" in result.output, result.output
