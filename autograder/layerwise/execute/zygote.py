"""A worker that imports TensorFlow, Keras and IPython once, then forks a fresh child for every
submission. Protocol: one JSON job per line on stdin, one JSON outcome per line on stdout.

The zygote never runs a TensorFlow op itself (forking after one is unsafe). It watches each
child: per-cell and whole-notebook deadlines, resident memory (of all its processes), exit
status; after each child it kills everything the child left behind, and only then checks what the
child left in its folder: the child ran student code, so its files and its progress lines are
untrusted.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import importlib
import json
import os
import select
import shutil
import signal
import stat
import sys
import time
from math import inf
from pathlib import Path
from typing import Any

from layerwise.execute.child import NETWORK_OPEN
from layerwise.execute.jobdisk import (
    JOB_FILES,
    PRIVATE_TMP,
    copy_regular,
    disk_full,
    mount_points,
    wipe,
)
from layerwise.execute.protocol import LIGHT, JobRequest, ProtocolError, WorkerReply
from layerwise.status import Status

PR_SET_CHILD_SUBREAPER = 36
RESULT_FILES = ("child_error.txt", "harvest.json", "harvest.npz")
"""What the grader reads from a job's folder after the child: only ever as regular files."""
MAX_HARVEST_NPZ = 64 * 1024 * 1024
INTERRUPT_GRACE_SECONDS = 3.0
"""How long a cell past its time limit has to stop after KeyboardInterrupt before it is killed."""


class StartError(Exception):
    """The worker cannot serve: what it could not import."""


WARM = ("otter", "matplotlib.pyplot")
"""Not every submission imports these (otter for grader.check, pyplot to plot layers, ~1 s):
a long-lived worker imports them once for all; a one-submission worker leaves them to the
submission that imports them."""


def _import(module: str) -> None:
    if module.split(".")[0] == "matplotlib":
        import matplotlib

        matplotlib.use("Agg")  # before pyplot: no display in a sandbox
    importlib.import_module(module)


def _preload(modules: list[str], light: bool = False) -> None:
    """Import what every submission imports (and the assignment's `modules`), so children start
    warm. None of them may run a TensorFlow op (forking after one is unsafe). `light`: only
    those, for a worker that runs a single submission."""
    from layerwise import tfenv

    tfenv.apply()
    import IPython.core.interactiveshell  # noqa: F401
    import numpy  # noqa: F401

    import layerwise.harvest.engine
    import layerwise.plain  # noqa: F401

    for module in modules:
        try:
            _import(module)
        except Exception as exc:  # said at once, in the worker's first line
            raise StartError(f"could not import {module}: {type(exc).__name__}: {exc}") from exc
    if light:
        gc.freeze()  # the child's collections skip the imports; nothing to share, no collect
        return
    for module in WARM:
        try:
            _import(module)
        except ImportError:
            pass
    _freeze_heap()


def _freeze_heap() -> None:
    """Keep what was preloaded out of every child's garbage collections.

    TensorFlow, Keras, IPython and pyplot leave ~500,000 objects behind. A child's first full
    collection walks all of them: ~0.26 s charged to every submission (measured on the realistic
    class), and it writes to every page it walks, undoing the sharing fork gave. Frozen objects
    are never collected, so this is done once, after the imports, with the garbage gone first."""
    gc.collect()
    gc.freeze()


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _processes(pid: int, uid: int | None) -> list[int]:
    """The submission's processes: every process of its own user, else its session's."""
    if uid is None:
        return [pid, *(p for p in _session_members(pid) if p != pid)]
    found = [pid]
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != pid:
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    found.append(int(name))
            except OSError:
                continue
    return found


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:  # not yet its own group leader
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _session_members(sid: int) -> list[int]:
    members = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            pid = int(name)
            try:
                if pid != os.getpid() and os.getsid(pid) == sid:
                    members.append(pid)
            except OSError:
                continue
    return members


def _ancestors() -> set[int]:
    """This process and every process above it (as this PID namespace numbers them)."""
    found, pid = set(), os.getpid()
    while pid > 0 and pid not in found:
        found.add(pid)
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            break
    return found


@functools.cache
def _in_private_namespace() -> bool:
    """Started by bubblewrap as the first process of a new PID namespace (bubblewrap is PID 1)."""
    try:
        return os.getppid() == 1 and b"bwrap" in Path("/proc/1/cmdline").read_bytes()
    except OSError:
        return False


def _kill_namespace() -> None:
    """In the worker's own PID namespace every other process is a submission's leftover (a
    daemon that left its session): kill them all. This is what stops them when submissions
    cannot run as their own user (the grader is not root). Never outside such a namespace."""
    if not _in_private_namespace():
        return
    keep = _ancestors()
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in keep:
            try:
                os.kill(int(name), signal.SIGKILL)
            except OSError:
                pass


def _kill_all(pid: int, uid: int | None) -> None:
    """Kill the child's session; when it ran as its own user, every process of that user; in
    the worker's private PID namespace, every process but the worker and its parents."""
    for member in _session_members(pid):
        try:
            os.kill(member, signal.SIGKILL)
        except OSError:
            pass
    _kill_namespace()
    if uid is not None:
        reaper = os.fork()
        if reaper == 0:
            try:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
                if os.getuid() == uid and os.geteuid() == uid:  # never kill(-1) as root
                    os.kill(-1, signal.SIGKILL)
            except BaseException as exc:
                sys.stderr.write(f"reaper: {exc}\n")
            finally:
                os._exit(0)
        os.waitpid(reaper, 0)
    while True:  # reap orphans handed to us as subreaper
        try:
            done, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if done == 0:
            break


def _watch(job: JobRequest, pid: int, progress: int) -> WorkerReply:
    limits = job.limits
    start = time.monotonic()
    cell_start, cell, events, buffer = start, None, [], b""
    network_open = bool(job.unshare_net) and os.geteuid() != 0
    status: Status | None = None
    message = ""
    reasons: list[dict[str, str | float]] = []  # for the student, in words: see report/reasons.py
    interrupted: list[str] = []
    exit_info: tuple[int, int, Any] | None = None
    peak = 0.0
    while exit_info is None:
        now = time.monotonic()
        # The harness is no cell: each call it makes has its own limit (call_seconds), and the
        # whole notebook's limit covers it.
        cell_end = inf if cell == "harvest" else cell_start + limits.cell_seconds
        deadline = min(start + limits.notebook_seconds, cell_end)
        if now >= deadline:
            whole = now - start >= limits.notebook_seconds
            if (not whole and status is None and cell not in (None, "harvest")
                    and cell not in interrupted):
                # What Jupyter's Interrupt does: KeyboardInterrupt in the cell, then the next
                # cells run. A cell that swallows it is stopped for good after the grace.
                interrupted.append(cell)
                try:
                    os.kill(pid, signal.SIGINT)
                except OSError:
                    pass
                cell_start = now - limits.cell_seconds + INTERRUPT_GRACE_SECONDS
                continue
            where = "the harness" if cell == "harvest" else f"cell {cell}"
            if status is None:
                total = f"{limits.notebook_seconds:g}"
                reasons.append(
                    {"code": "harness_timeout", "seconds": total} if cell == "harvest" else
                    {"code": "notebook_timeout", "seconds": total} if whole else
                    {"code": "cell_timeout", "cell": cell or "0",
                     "seconds": f"{limits.cell_seconds:g}"})
            status = Status.timeout
            message = (f"stopped after {limits.notebook_seconds:g} s in total"
                       + (f", during {where}" if cell == "harvest" else "") if whole
                       else f"{where} ran longer than {limits.cell_seconds:g} s")
            _kill_group(pid)
        ready, _, _ = select.select([progress], [], [], min(0.2, max(0.0, deadline - now)))
        if ready:
            chunk = os.read(progress, 65536)
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines[-50:]:
                line = raw.decode(errors="replace")[:200]
                events.append(line)
                network_open = network_open or line == NETWORK_OPEN
                number = line[5:]
                if line.startswith("cell ") and number.isdigit() and len(number) < 7:
                    cell, cell_start = number, time.monotonic()
                elif line == "harvest":
                    cell, cell_start = "harvest", time.monotonic()
            events = events[-20:]
        processes = _processes(pid, job.uid)
        rss = sum(_rss_mb(p) for p in processes)  # its forks count too
        peak = max(peak, rss)
        if status is None and rss > limits.resident_mb:
            status, message = Status.memory, f"used more than {limits.resident_mb} MB of memory"
            reasons.append({"code": "memory", "mb": limits.resident_mb})
            if len(processes) > 1:
                message += f" (its {len(processes)} processes together)"
            _kill_group(pid)
            for other in processes[1:]:
                _kill_group(other)
        done, wait_status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            exit_info = (done, wait_status, usage)
    _, wait_status, usage = exit_info
    _kill_all(pid, job.uid)
    code = os.waitstatus_to_exitcode(wait_status)
    if status is None:
        if code == 0 and "done" in events:
            status = Status.graded
            if interrupted:
                message = (f"{_cells(interrupted)} ran longer than {limits.cell_seconds:g} s "
                           "and was interrupted (as Jupyter's Interrupt does); the cells after "
                           "it ran and were graded")
                reasons.append({"code": "interrupted", "cell": ", ".join(interrupted),
                                "seconds": f"{limits.cell_seconds:g}"})
        elif code > 0 and any(e.startswith("memory") for e in events):
            # A MemoryError (its address-space limit) it could not get past; a signal, even
            # SIGKILL, is never taken for memory: only the watcher's own kill above is.
            status, message = Status.memory, "ran out of memory (MemoryError at its address-space limit)"
            reasons.append({"code": "memory_error"})
        else:
            how = f"signal {-code} ({_signal_name(-code)})" if code < 0 else f"code {code}"
            where = "the harness" if cell == "harvest" else f"cell {cell}"
            status, message = Status.crashed, f"the process ended with {how} during {where}"
            if code == -signal.SIGKILL:
                message += " (killed by itself or another process: not by the memory watcher)"
            reasons.append({"code": "crashed_harness" if cell == "harvest" else "crashed_cell",
                            "how": how, "cell": cell or "0"})
    return WorkerReply(
        job=job.job, status=status, message=message, reasons=reasons, exit_code=code,
        network_isolated=not network_open, cell=cell, events=events[-10:],
        wall=round(time.monotonic() - start, 3), cpu=round(usage.ru_utime + usage.ru_stime, 3),
        peak_mb=round(max(peak, usage.ru_maxrss / 1024), 1))


def _cells(indices: list[str]) -> str:
    return ("cell " if len(indices) == 1 else "cells ") + ", ".join(indices)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unnamed"


def _keep_regular_results(workdir: Path) -> None:
    """Remove result files that are not regular files: a symlink there would make the grader
    read a file of the host (and show it to the student). Only once no process of the
    submission is left."""
    for name in RESULT_FILES:
        path = workdir / name
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            shutil.rmtree(path, ignore_errors=True)
        elif not stat.S_ISREG(mode):
            path.unlink(missing_ok=True)


def _harvest_problem(workdir: Path, assignment: str) -> str | None:
    """Why the harvest cannot be used: not plain data, or not of the harness's shape (the
    submission may have forged it, and the grader must never crash on it). None when fine."""
    from layerwise import plain, registry
    from layerwise.harvest.values import check_harvest

    try:
        specs = dict(registry.load(assignment).fields)
        return check_harvest(plain.load(workdir / "harvest", max_npz=MAX_HARVEST_NPZ), specs)
    except Exception as exc:  # PlainDataError, RecursionError on deep JSON, MemoryError...
        return f"{type(exc).__name__}: {str(exc)[:200]}"


def run_job(job: JobRequest) -> WorkerReply:
    """Run one submission. Inside bubblewrap it runs on the worker's size-limited /tmp: its
    inputs are copied there and only its result files are copied back to the job's folder."""
    if not job.private_tmp:
        return _run_in(job)
    host_dir = Path(job.dir)
    mounts = mount_points(PRIVATE_TMP)
    wipe(PRIVATE_TMP, mounts)
    work = PRIVATE_TMP / "job"
    work.mkdir(mode=0o755)
    copy_regular(host_dir, work, JOB_FILES)
    for name in RESULT_FILES:
        (host_dir / name).unlink(missing_ok=True)
    try:
        reply = _run_in(job.with_dir(str(work)), copy_back=host_dir)
        disk_mb = job.limits.disk_mb
        if reply.status is not Status.graded and disk_mb and disk_full(PRIVATE_TMP, disk_mb):
            reply.message += f" (it filled its {disk_mb} MB of disk space)"
            reply.reasons.append({"code": "disk_full", "mb": disk_mb})
    finally:
        wipe(PRIVATE_TMP, mounts)
    return reply


def _run_in(job: JobRequest, copy_back: Path | None = None) -> WorkerReply:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        from layerwise.execute.child import run_child

        run_child(job, write_end)
    os.close(write_end)
    try:
        reply = _watch(job, pid, read_end)
    except BaseException:  # never leave a submission running unwatched
        _kill_group(pid)
        _kill_all(pid, job.uid)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        raise
    finally:
        os.close(read_end)
    results = Path(job.dir)
    _keep_regular_results(results)
    if copy_back is not None:
        copy_regular(results, copy_back, RESULT_FILES)
        results = copy_back
    problem = (_harvest_problem(results, job.assignment) if reply.status is Status.graded
               else None)
    if problem:
        reply.status = Status.crashed
        reply.message = f"its results are unreadable or were tampered with ({problem})"
    return reply


def main() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    args = sys.argv[1:]
    light = args[:1] == [LIGHT]
    out = sys.stdout
    try:
        _preload(args[1:] if light else args, light)
    except StartError as exc:
        out.write(json.dumps({"ready": False, "error": str(exc)[:500]}) + "\n")
        out.flush()
        raise SystemExit(1) from None
    out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            job = JobRequest.from_json(line)
        except ProtocolError as exc:
            reply = WorkerReply("?", Status.crashed, f"worker error: {exc}")
        else:
            try:
                reply = run_job(job)
            except Exception as exc:
                reply = WorkerReply(job.job, Status.crashed,
                                    f"worker error: {type(exc).__name__}: {exc}")
        out.write(reply.to_json() + "\n")
        out.flush()


if __name__ == "__main__":
    main()
