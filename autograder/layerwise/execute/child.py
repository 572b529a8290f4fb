"""The submission's own process: forked from the zygote, limited, then runs the notebook's code
cells in an IPython shell and the harness after them. It reports progress as lines on a pipe and
leaves its results as plain data in its scratch folder. Never returns."""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn

from layerwise.execute.netns import isolate_network
from layerwise.execute.protocol import JobRequest
from layerwise.execute.shell import OFFLINE_ENV
from layerwise.tfenv import TF_ENV

NETWORK_OPEN = "network-not-isolated"
"""The line the child writes when it could not leave the host's network."""
MAX_TIMED_CELLS = 500
"""Cells whose time is kept one by one (a notebook rarely has more than a hundred)."""


def _event(fd: int, text: str) -> None:
    try:
        os.write(fd, (text + "\n").encode())
    except OSError:
        pass


def _limit(kind: int, value: int) -> None:
    try:
        resource.setrlimit(kind, (value, value))
    except (ValueError, OSError):
        soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY and value > hard:
            resource.setrlimit(kind, (hard, hard))


def _confine(job: JobRequest, progress: int) -> None:
    """New session, private network when possible, limits, an unprivileged user, its folder."""
    os.setsid()
    limits = job.limits
    workdir = Path(job.dir)
    uid = job.uid
    if job.unshare_net and os.geteuid() == 0 and not isolate_network():
        _event(progress, NETWORK_OPEN)  # the grader reports it: never claimed isolated
    if uid is not None:
        for path in [workdir, *workdir.rglob("*")]:
            os.chown(path, uid, uid, follow_symlinks=False)
    mb = 1024 * 1024
    _limit(resource.RLIMIT_AS, limits.address_space_mb * mb)
    _limit(resource.RLIMIT_CPU, int(limits.notebook_seconds) + 5)
    _limit(resource.RLIMIT_FSIZE, limits.file_mb * mb)
    _limit(resource.RLIMIT_NOFILE, limits.open_files)
    _limit(resource.RLIMIT_CORE, 0)
    if uid is not None:
        _limit(resource.RLIMIT_NPROC, limits.processes)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    os.chdir(workdir)
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", *TF_ENV) if k in os.environ}
    os.environ.clear()
    os.environ.update(keep, HOME=str(home), TMPDIR=str(home), MPLBACKEND="Agg",
                      KERAS_HOME=str(home / ".keras"), IPYTHONDIR=str(home / ".ipython"),
                      **OFFLINE_ENV)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - printed output is not graded
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115


def _interrupt_handler(seconds: float) -> Any:
    """SIGINT from the worker: a cell ran past its limit. Raise what Jupyter's Interrupt raises,
    saying why (the cell's error is recorded and the next cells run)."""
    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"interrompida após {seconds:g} s / interrupted after {seconds:g} s")
    return interrupt


def run_child(job: JobRequest, progress: int) -> NoReturn:
    """Execute the job's cells, then the harness; exit 0 only when results are written."""
    code = 70
    workdir = Path(job.dir)  # absolute: a cell may chdir elsewhere
    try:
        limits = job.limits
        _confine(job, progress)
        from layerwise import plain, registry
        from layerwise.execute.shell import ShellEscapes, make_shell
        from layerwise.harvest import fast_predict, values
        from layerwise.harvest.engine import harvest
        from layerwise.harvest.values import error_record

        assignment = registry.load(job.assignment)

        values.CALL_SECONDS = limits.call_seconds
        cells: list[str] = json.loads((workdir / "cells.json").read_text())
        cases = plain.load(workdir / "inputs")  # before any student code can touch the files
        if job.fast_predict:
            import keras

            fast_predict.install(keras)
        escapes = ShellEscapes()
        shell = make_shell(escapes)
        signal.signal(signal.SIGINT, _interrupt_handler(limits.cell_seconds))
        cell_errors: list[dict[str, Any]] = []
        cell_seconds: list[float] = []
        started = time.perf_counter()
        for index, source in enumerate(cells):
            _event(progress, f"cell {index}")
            escapes.cell = index
            began = time.perf_counter()
            try:
                result = shell.run_cell(source, store_history=False)
                error = result.error_before_exec or result.error_in_exec
            except KeyboardInterrupt as exc:  # landed outside the cell's own code
                error = exc
            cell_seconds.append(round(time.perf_counter() - began, 4))
            if error is not None:
                cell_errors.append({"cell": index, **error_record(error)})
                if isinstance(error, MemoryError):
                    _event(progress, f"memory {index}")
        _event(progress, "harvest")
        cells_s, started = time.perf_counter() - started, time.perf_counter()
        values.STUDENT_SECONDS[0] = 0.0
        data = harvest(assignment, shell.user_ns, cases, reference=job.reference)
        data["cells"] = cell_errors
        data["n_cells"] = len(cells)
        data["shell_escapes"] = escapes.seen
        data["timing"] = {"cells_s": round(cells_s, 4),
                          "calls_s": round(values.STUDENT_SECONDS[0], 4),
                          "harness_s": round(time.perf_counter() - started, 4),
                          "cell_s": cell_seconds[:MAX_TIMED_CELLS]}
        plain.save(workdir / "harvest", data)
        _event(progress, "done")
        code = 0
    except MemoryError:
        _event(progress, "memory harness")
    except BaseException:
        try:
            (workdir / "child_error.txt").write_text(traceback.format_exc()[-4000:])
        except OSError:
            pass
    os._exit(code)
