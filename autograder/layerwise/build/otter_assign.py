"""Run `otter assign` on one edition's master in a scratch directory."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from layerwise.assignment import Assignment

from . import notebooks, requirements
from .master import REQUIREMENTS
from .package import copy_package


@dataclass(frozen=True)
class AssignOutput:
    """What otter assign wrote for one edition."""

    student_dir: Path
    autograder_dir: Path
    name: str

    @property
    def student_notebook(self) -> Path:
        return self.student_dir / f"{self.name}.ipynb"

    @property
    def solution_notebook(self) -> Path:
        return self.autograder_dir / f"{self.name}.ipynb"

    @property
    def zip(self) -> Path:
        zips = sorted(self.autograder_dir.glob(f"{self.name}-autograder*.zip"))
        if len(zips) != 1:
            raise RuntimeError(f"Expected one autograder zip in {self.autograder_dir}, got {zips}")
        return zips[0]


def stage(master: NotebookNode, work: Path, assignment: Assignment) -> Path:
    """Write the master, the grader requirements and the package copy into `work`; returns the
    master's path (named like the assignment: otter names the zip after it)."""
    work.mkdir(parents=True, exist_ok=True)
    (work / REQUIREMENTS).write_text(requirements.text(requirements.grader(assignment)), encoding="utf-8")
    copy_package(work, assignment)
    return notebooks.write(master, work / f"{assignment.name}.ipynb")


def start(master_path: Path) -> subprocess.Popen[str]:
    """Start `otter assign --no-run-tests` on `master_path` (output in `dist/` next to it)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    cmd = [sys.executable, "-m", "otter", "assign", "--no-run-tests", master_path.name, "dist"]
    return subprocess.Popen(cmd, cwd=master_path.parent, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(proc: subprocess.Popen[str], master_path: Path) -> AssignOutput:
    """Wait for `proc`; raises with otter's output when it failed."""
    output, _ = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"otter assign failed on {master_path} ({proc.returncode}):\n{output}")
    dist = master_path.parent / "dist"
    return AssignOutput(dist / "student", dist / "autograder", master_path.stem)


def run_all(masters: dict[str, NotebookNode], work: Path, assignment: Assignment
            ) -> dict[str, AssignOutput]:
    """otter assign on every edition's master, concurrently; lang -> output."""
    paths = {lang: stage(nb, work / lang, assignment) for lang, nb in masters.items()}
    procs = {lang: start(path) for lang, path in paths.items()}
    return {lang: finish(proc, paths[lang]) for lang, proc in procs.items()}
