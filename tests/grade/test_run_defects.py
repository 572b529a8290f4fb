"""The run never misleads the TA (issue #14): a typo cannot turn the sandbox off, the kit's own
errors are one clear line (exit code 2), a kit installed with pip works from its folder, the
network is reported as it is, and a reference cached by an older kit is never reused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from layerwise.assignments.cnn_keras import cases as cases_module
from layerwise.errors import ConfigError, LayerwiseError
from layerwise.execute import netns
from layerwise.execute.limits import Limits
from layerwise.execute.protocol import JobRequest, ProtocolError, WorkerReply
from layerwise.execute.sandbox import enforcement
from layerwise.grade import run as run_module
from layerwise.grade.reference import code_digest
from layerwise.grade.run import GRADER_ERROR_FILE, Options, grade
from layerwise.lms.export import ExportFormat, export
from layerwise.lms.run import load_results
from layerwise.report.runfolder import read_records
from layerwise.status import Status

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "autograder" / "examples" / "cnn_keras"
SOLUTION = ROOT / "solutions" / "cnn_keras.ipynb"


def cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`layerwise ...` as a TA runs it (its console script's entry point)."""
    return subprocess.run([sys.executable, "-c", "from layerwise.cli import main; main()", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_a_sandbox_typo_is_an_error_not_an_open_sandbox(tmp_path: Path) -> None:
    result = cli("grade", str(CLASS / "full_marks.ipynb"), "--out", str(tmp_path / "run"),
                 "--sandbox", "bwarp", env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 2
    assert "'bwarp' is not one of 'auto', 'bwrap', 'none'" in result.stderr, result.stderr
    assert not (tmp_path / "run").exists()
    with pytest.raises(ConfigError, match="unknown sandbox 'bwarp'"):
        grade([CLASS / "full_marks.ipynb"], tmp_path / "api",
              Options(solution=SOLUTION, sandbox="bwarp"))


def test_a_broken_reference_solution_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "solution.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), broken)
    line = one_error_line(cli("grade", str(CLASS / "full_marks.ipynb"), "--out",
                              str(tmp_path / "run"), "--solution", str(broken), "--workers", "1"))
    assert "does not define channels_l2f" in line and "solved notebook" in line


def test_a_worker_that_does_not_start_is_one_line(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from layerwise import cli as cli_module
    from layerwise.execute import pool

    monkeypatch.setattr(pool, "STARTUP_SECONDS", 0.01)
    monkeypatch.setattr(sys, "argv", ["layerwise", "grade", str(CLASS / "full_marks.ipynb"),
                                      "--out", str(tmp_path / "run"), "--workers", "1",
                                      "--solution", str(SOLUTION)])
    with pytest.raises(SystemExit) as stopped:
        cli_module.main()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "error: grading worker 0 did not start" in err and "Traceback" not in err


def test_the_kits_errors_have_one_base() -> None:
    from layerwise.execute.pool import WorkerError
    from layerwise.grade.reference import ReferenceSolutionError
    from layerwise.grade.run import RunError
    from layerwise.kit import KitNotFound
    from layerwise.lms.ledger import LedgerError
    from layerwise.lms.retry import LMSError
    from layerwise.report.runfolder import RunFolderError

    for error in (WorkerError, ReferenceSolutionError, RunError, KitNotFound, LedgerError,
                  LMSError, RunFolderError, ConfigError):
        assert issubclass(error, LayerwiseError), error


def test_a_pip_installed_kit_grades_from_its_folder(graded_class: dict[str, Any],
                                                    tmp_path: Path) -> None:
    """`pip install .` (not editable): no path into a checkout; the kit's folder is the current
    one (or --kit) and the workers import the installed package (the same code: the session's
    cached reference serves it)."""
    wheels, site, kit = tmp_path / "wheels", tmp_path / "site", tmp_path / "kit"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(wheels), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = wheels.glob("layerwise-*.whl")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                              "--target", str(site), str(wheel)], capture_output=True, text=True,
                             timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]
    assert (site / "layerwise" / "report" / "templates" / "feedback.html.j2").is_file()
    (kit / "solutions").mkdir(parents=True)
    shutil.copy(SOLUTION, kit / "solutions")
    (kit / "class").mkdir()
    for name in ("full_marks", "reshape"):
        shutil.copy(CLASS / f"{name}.ipynb", kit / "class")
    env = {**os.environ, "PYTHONPATH": str(site)}
    for run in (kit / "run", tmp_path / "y"):
        shutil.copytree(graded_class["out"] / ".reference", run / ".reference")
    done = cli("grade", "class", "--out", "run", "--seed", "2026", "--workers", "1", cwd=kit,
               env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    info = json.loads((kit / "run" / "run.json").read_text())
    assert info["versions"]["layerwise_path"] == str(site / "layerwise")
    assert {r["student"]: r["total"] for r in read_records(kit / "run")} == \
        {"full_marks": 100, "reshape": 85}
    elsewhere = one_error_line(cli("grade", str(kit / "class"), "--out", str(tmp_path / "x"),
                                   cwd=tmp_path, env=env))
    assert "is not a layerwise kit" in elsewhere and "--kit DIR" in elsewhere
    again = cli("grade", str(kit / "class"), "--out", str(tmp_path / "y"), "--kit", str(kit),
                "--seed", "2026", "--workers", "1", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr[-3000:]


def test_network_isolation_is_reported_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """Root without bubblewrap: the private network namespace is tried, not assumed."""
    if os.geteuid() != 0:
        assert enforcement(False).network_isolated is False
        return
    assert netns.network_isolation_works()
    assert enforcement(False).network_isolated is True
    monkeypatch.setattr(netns, "CLONE_NEWNET", 0)  # unshare(0) changes nothing: still the host's
    assert not netns.network_isolation_works()
    told = enforcement(False)
    assert told.network_isolated is False
    assert any("network is NOT isolated" in w for w in told.warnings)


def test_worker_replies_are_checked_where_they_arrive() -> None:
    reply = WorkerReply("alice", Status.graded, "done", reasons=[{"code": "interrupted",
                                                                 "cell": "3", "seconds": 10.0}],
                        wall=1.5, network_isolated=False)
    assert WorkerReply.from_json(reply.to_json()) == reply
    forged = json.loads(reply.to_json()) | {"wall": "fast", "reasons": [{"code": 1}, "x"],
                                            "events": [1, "cell 2"], "exit_code": True}
    back = WorkerReply.from_json(json.dumps(forged))
    assert (back.wall, back.reasons, back.events, back.exit_code) == (None, [], ["cell 2"], None)
    for bad in ('{"job": "a", "status": "ok"}', "[1]", "not json", '{"status": "graded"}'):
        with pytest.raises(ProtocolError):
            WorkerReply.from_json(bad)
    request = JobRequest("alice", "/tmp/job", Limits(cell_seconds=5), fast_predict=True)
    assert JobRequest.from_json(request.to_json()) == request
    with pytest.raises(ProtocolError):
        JobRequest.from_json('{"job": "a", "dir": "/x", "limits": {}, "rogue": 1}')


def test_the_cache_key_follows_the_kits_code(tmp_path: Path) -> None:
    package = ROOT / "autograder" / "layerwise"
    copies = [tmp_path / name for name in ("a", "b", "upgraded")]
    for copy in copies:
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    harness = copies[2] / "harvest" / "engine.py"
    harness.write_text(harness.read_text() + "\n# a new harness\n")
    a, b, upgraded = map(code_digest, copies)
    assert a == b != upgraded


def test_a_rerun_after_the_cases_changed_computes_a_new_reference(
        graded_class: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade changes the cases: the rerun into the same folder must not reuse the old
    reference (it did: every student became "crashed ... tampered?")."""
    pick = tmp_path / "in"
    pick.mkdir()
    for name in ("full_marks", "reshape"):
        shutil.copy(CLASS / f"{name}.ipynb", pick)
    out = tmp_path / "run"
    shutil.copytree(graded_class["out"] / ".reference", out / ".reference")
    options = Options(solution=SOLUTION, workers=1, seed=2026,
                      limits=Limits(notebook_seconds=60, cell_seconds=20), force=True)
    grade([pick], out, options)
    monkeypatch.setitem(cases_module.HIDDEN_COUNTS, "kernel_layout", 7)
    grade([pick], out, options)
    records = {r["student"]: r for r in read_records(out)}
    assert {k: (r["status"], r["total"]) for k, r in records.items()} == \
        {"full_marks": ("graded", 100), "reshape": ("graded", 85)}
    layout = next(q for q in records["full_marks"]["questions"] if q["id"] == "kernel_layout")
    assert layout["cases"] == 2 + 7
    assert len(list((out / ".reference").glob("reference-*.json"))) == 2


def test_a_grader_bug_is_not_the_students_and_is_regraded(
        graded_class: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checker that raises on valid results is the kit's bug: status grader_error with the
    traceback kept (it was "crashed ... tampered?", a 0 sent to the LMS); never exported; a
    rerun into the same folder regrades it."""
    pick = tmp_path / "in"
    pick.mkdir()
    shutil.copy(CLASS / "full_marks.ipynb", pick)
    out = tmp_path / "run"
    shutil.copytree(graded_class["out"] / ".reference", out / ".reference")
    options = Options(solution=SOLUTION, workers=1, seed=2026,
                      limits=Limits(notebook_seconds=60, cell_seconds=20))

    def broken_checker(*args: Any) -> Any:
        raise ValueError("zip() argument 2 is longer than argument 1")

    with monkeypatch.context() as patch:
        patch.setattr(run_module, "grade_harvest", broken_checker)
        grade([pick], out, options)
    (rec,) = read_records(out)
    assert rec["status"] == Status.grader_error, rec["message"]
    assert "tampered" not in rec["message"] and "zip() argument 2" in rec["message"]
    assert "broken_checker" in (out / "full_marks" / GRADER_ERROR_FILE).read_text()
    exported = export(load_results(out), ExportFormat.csv, tmp_path / "grades.csv")
    assert (exported.rows, [s for s, _ in exported.left_out]) == (0, ["full_marks"])
    grade([pick], out, options)
    (rec,) = read_records(out)
    assert (rec["status"], rec["total"]) == ("graded", 100)
