"""Nothing lost: `layerwise grade` SIGKILLed (its whole process group) in the middle of a run,
then rerun on the same folder, grades every submission exactly once and keeps what was done."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from adversarial_cases import SOLUTION
from hostile_settings import SEED, seeded_run_folder
from layerwise.assignments.cnn_keras.examples import MUTANTS
from layerwise.build.examples import apply

NAMES = ("reshape", "hw_swapped", "dense_precedence", "dense_no_filters", "pool_channels_last",
         "bias_ignored", "param_no_channels")


COPIES = 2
"""Each notebook twice (16 in all): the kill must land while some are still waiting."""
KILL_AFTER = 3
"""The run is killed as soon as this many students are graded (and others are being graded)."""


def _class(folder: Path) -> list[str]:
    """The solution and seven known mistakes, COPIES times each."""
    folder.mkdir()
    solved = nbformat.read(SOLUTION, as_version=4)
    notebooks = {"full_marks": solved,
                 **{m.name: apply(solved, m) for m in MUTANTS if m.name in NAMES}}
    students = []
    for copy in range(COPIES):
        for name, nb in notebooks.items():
            nbformat.write(nb, folder / f"{name}_{copy}.ipynb")
            students.append(f"{name}_{copy}")
    return students


def _grade(folder: Path, out: Path, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "layerwise.cli", "grade", str(folder), "--out", str(out),
               "--workers", "2", "--seed", str(SEED), "--timeout", "40", "--cell-timeout", "15"]
    with open(log, "ab") as fh:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=fh,
                                start_new_session=True)


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    parents[int(name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        found.update(children)
        todo.extend(children)
    return found


def _scratch_roots(pids: set[int]) -> set[Path]:
    """The pool folders (/tmp/layerwise-*) named on the killed workers' command lines."""
    roots = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                args = fh.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        roots.update(Path(a).parent for a in args if re.fullmatch(r"/tmp/layerwise-\w+/worker-\d+", a))
    return roots


def _graded_files(out: Path) -> dict[str, tuple[int, str]]:
    return {p.parent.name: (p.stat().st_mtime_ns, p.read_text())
            for p in out.glob("*/grading.json")}


def test_sigkill_then_rerun_loses_nothing(reference_cache: Path, tmp_path: Path) -> None:
    students = _class(tmp_path / "class")
    out = seeded_run_folder(tmp_path / "run", reference_cache)
    log = tmp_path / "grade.log"

    first = _grade(tmp_path / "class", out, log)
    deadline = time.monotonic() + 240
    while len(list(out.glob("*/grading.json"))) < KILL_AFTER:
        assert first.poll() is None, log.read_text()[-2000:]
        assert time.monotonic() < deadline, f"fewer than {KILL_AFTER} submissions graded in 240 s"
        time.sleep(0.02)
    helpers = _descendants(first.pid)
    scratch = _scratch_roots(helpers)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    before = _graded_files(out)
    assert 0 < len(before) < len(students), "the kill should land in the middle of the run"
    for grading in before.values():
        json.loads(grading[1])  # what is there is whole
    # The workers (bubblewrap, in sessions of their own) die with the grader.
    end = time.monotonic() + 20
    while any(os.path.exists(f"/proc/{p}") for p in helpers) and time.monotonic() < end:
        time.sleep(0.2)
    left = [p for p in helpers if os.path.exists(f"/proc/{p}")]
    assert not left, f"processes of the killed run still alive: {left}"
    for root in scratch:  # a SIGKILLed grader cannot remove its scratch folder itself
        shutil.rmtree(root, ignore_errors=True)

    second = _grade(tmp_path / "class", out, log)
    assert second.wait(timeout=300) == 0, log.read_text()[-3000:]
    after = _graded_files(out)
    assert sorted(after) == sorted(students)
    for name, (mtime, text) in after.items():
        rec = json.loads(text)
        assert rec["status"] == "graded", (name, rec["message"])
        if name in before:  # graded before the kill: untouched
            assert (mtime, text) == before[name], name
    with open(out / "grades.csv") as fh:
        rows = [r["student"] for r in csv.DictReader(fh)]
    assert sorted(rows) == sorted(students)  # each exactly once
    info = json.loads((out / "run.json").read_text())
    assert info["complete"] is True and info["seed"] == SEED
    assert info["graded_now"] == len(students) - len(before)
    assert info["skipped_already_graded"] == len(before)
    assert not list(out.rglob("*.part")), list(out.rglob("*.part"))
    totals = {name: json.loads(text)["total"] for name, (_, text) in after.items()}
    assert all((t == 100) == n.startswith("full_marks_") for n, t in totals.items()), totals
