"""A worker that imports TensorFlow, Keras and IPython once, then forks a fresh child for every
submission. Protocol: one JSON job per line on stdin, one JSON outcome per line on stdout.

The zygote never runs a TensorFlow op itself (forking after one is unsafe). It watches each
child: per-cell and whole-notebook deadlines, resident memory, exit status; and after each child
it kills everything the child left behind.
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import sys
import time
from typing import Any

PR_SET_CHILD_SUBREAPER = 36


def _preload() -> None:
    """Import what every submission imports, so children start warm."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import IPython.core.interactiveshell  # noqa: F401
    import keras  # noqa: F401
    import numpy  # noqa: F401
    import PIL.Image
    import PIL.ImageDraw
    import PIL.ImageFont  # noqa: F401

    import layerwise.harvest.harness
    import layerwise.plain  # noqa: F401

    try:
        import otter  # noqa: F401  - the student notebook imports it for grader.check
    except ImportError:
        pass


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


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


def _kill_all(pid: int, uid: int | None) -> None:
    """Kill the child's session and, when it ran as its own user, every process of that user."""
    for member in _session_members(pid):
        try:
            os.kill(member, signal.SIGKILL)
        except OSError:
            pass
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


def _watch(job: dict[str, Any], pid: int, progress: int) -> dict[str, Any]:
    limits = job["limits"]
    start = time.monotonic()
    cell_start, cell, events, buffer = start, None, [], b""
    status, message = None, ""
    exit_info: tuple[int, int, Any] | None = None
    peak = 0.0
    while exit_info is None:
        now = time.monotonic()
        deadline = min(start + limits["notebook_seconds"], cell_start + limits["cell_seconds"])
        if now >= deadline:
            whole = now - start >= limits["notebook_seconds"]
            where = "the harness" if cell == "harvest" else f"cell {cell}"
            status = "timeout"
            message = (f"stopped after {limits['notebook_seconds']:g} s in total" if whole
                       else f"{where} ran longer than {limits['cell_seconds']:g} s")
            os.killpg(pid, signal.SIGKILL)
        ready, _, _ = select.select([progress], [], [], min(0.2, max(0.0, deadline - now)))
        if ready:
            chunk = os.read(progress, 65536)
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines[-50:]:
                line = raw.decode(errors="replace")[:200]
                events.append(line)
                if line.startswith("cell "):
                    cell, cell_start = line.split()[1], time.monotonic()
                elif line == "harvest":
                    cell, cell_start = "harvest", time.monotonic()
            events = events[-20:]
        rss = _rss_mb(pid)
        peak = max(peak, rss)
        if status is None and rss > limits["resident_mb"]:
            status, message = "memory", f"used more than {limits['resident_mb']} MB of memory"
            os.killpg(pid, signal.SIGKILL)
        done, wait_status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            exit_info = (done, wait_status, usage)
    _, wait_status, usage = exit_info
    _kill_all(pid, job.get("uid"))
    code = os.waitstatus_to_exitcode(wait_status)
    if status is None:
        if code == 0 and "done" in events:
            status = "ok"
        elif any(e.startswith("memory") for e in events) or code == -signal.SIGKILL:
            status, message = "memory", "ran out of memory"
        else:
            how = f"signal {-code} ({signal.Signals(-code).name})" if code < 0 else f"code {code}"
            where = "the harness" if cell == "harvest" else f"cell {cell}"
            status, message = "crashed", f"the process ended with {how} during {where}"
    return {
        "job": job["job"], "status": status, "message": message, "exit_code": code,
        "cell": cell, "events": events[-10:], "wall": round(time.monotonic() - start, 3),
        "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(max(peak, usage.ru_maxrss / 1024), 1),
    }


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        from layerwise.execute.child import run_child

        run_child(job, write_end)
    os.close(write_end)
    try:
        return _watch(job, pid, read_end)
    finally:
        os.close(read_end)


def main() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    _preload()
    out = sys.stdout
    out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            outcome = run_job(job)
        except Exception as exc:
            outcome = {"job": job.get("job"), "status": "crashed",
                       "message": f"worker error: {type(exc).__name__}: {exc}"}
        out.write(json.dumps(outcome) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
