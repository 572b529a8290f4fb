"""Parent side of execution: a pool of zygote workers, each in its own sandbox, fed jobs."""

from __future__ import annotations

import json
import os
import queue
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layerwise import plain
from layerwise.errors import LayerwiseError
from layerwise.execute.limits import Limits
from layerwise.execute.protocol import LIGHT, JobRequest, ProtocolError, WorkerReply
from layerwise.execute.sandbox import (
    bwrap_argv,
    clean_env,
    enforcement,
    run_uid,
    sandbox_mode,
    switch_user,
    use_bubblewrap,
)
from layerwise.status import Status

if TYPE_CHECKING:
    from layerwise.assignment import Assignment

STARTUP_SECONDS = 180.0


def preload_of(assignment: Assignment) -> tuple[str, ...]:
    """What the assignment's workers import once: its modules and its student side."""
    return (*assignment.preload, assignment.student_side)


class WorkerError(LayerwiseError):
    """A grading worker could not start (the environment cannot run TensorFlow, or the sandbox
    cannot start)."""


@dataclass
class Job:
    """One notebook to run: its code cells and the cases it receives."""

    key: str
    cells: list[str]
    inputs: dict[str, Any]
    reference: bool = False
    fast_predict: bool = False
    """Serve `keras.Model.predict` on small in-memory inputs by direct calls (harvest/
    fast_predict.py)."""
    assignment: str = ""
    """The assignment's "module:attribute" (`registry.target_of`)."""


@dataclass
class Outcome:
    """What running a job gave: a status, a message, and the harvest when it completed."""

    key: str
    status: Status
    """graded: it ran to the end and its harvest is readable (still to be compared)."""
    message: str = ""
    reasons: list[dict[str, str | float]] = field(default_factory=list)
    """Why it was stopped or interrupted, as codes and values (see report/reasons.py)."""
    harvest: dict[str, Any] | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    network_isolated: bool = True
    """False when the submission's process could not leave the host's network."""


class Worker:
    """One zygote process (optionally inside bubblewrap) with its own scratch folder."""

    def __init__(self, index: int, root: Path, limits: Limits, use_bwrap: bool,
                 reuse: bool = True, preload: tuple[str, ...] = (), light: bool = False) -> None:
        self.index, self.limits, self.use_bwrap, self.reuse = index, limits, use_bwrap, reuse
        self.preload, self.light = preload, light
        self.ready = False
        self.scratch = root / f"worker-{index}"
        self.scratch.mkdir(parents=True, exist_ok=True)
        os.chmod(self.scratch, 0o755)
        self.uid = run_uid(index) if switch_user(use_bwrap) else None
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = open(root / f"worker-{index}.log", "ab")  # noqa: SIM115

    def spawn(self) -> None:
        """Start the worker's process (it then imports its modules); `start` waits for it."""
        self.stop()
        light = [LIGHT] if self.light else []
        command = [sys.executable, "-m", "layerwise.execute.zygote", *light, *self.preload]
        if self.use_bwrap:
            argv = bwrap_argv(self.scratch, command, root=self.uid is not None,
                              disk_mb=self.limits.disk_mb)
            env = None
        else:
            argv, env = command, clean_env(self.scratch)
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, env=env, cwd=self.scratch,
                                     start_new_session=True)

    def start(self) -> None:
        """The worker's process started (or restarted) and ready for a job: its first line says
        it is ready, or (or its log says) why not, at once; only a worker that says nothing is
        waited for, STARTUP_SECONDS."""
        if self.proc is None or self.proc.poll() is not None:
            self.spawn()
        assert self.proc is not None and self.proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            answered = bool(selector.select(STARTUP_SECONDS))
        finally:
            selector.close()
        line = self.proc.stdout.readline() if answered else b""
        try:
            hello = json.loads(line) if line else None
        except json.JSONDecodeError:
            hello = None
        if isinstance(hello, dict) and hello.get("ready"):
            self.ready = True
            return
        self.stop()
        self.log.flush()
        told = hello.get("error") if isinstance(hello, dict) else None
        said = str(told or _last_line(Path(self.log.name)))
        if not answered:
            raise WorkerError(
                f"grading worker {self.index} did not start within {STARTUP_SECONDS:g} s"
                + (f" ({said})" if said else "") + ": the machine may be overloaded; try "
                "fewer --workers, or --sandbox none to rule out bubblewrap")
        what = said if told else "could not start: " + (said or "it ended without a word")
        hint = (" (inside bubblewrap: is a folder the grader imports from invisible there?)"
                if self.use_bwrap and "ModuleNotFoundError" in said else "")
        raise WorkerError(f"grading worker {self.index} {what}{hint}")

    def _read_raw(self, seconds: float) -> bytes | None:
        """The worker's next line, or None when it says nothing within `seconds`."""
        assert self.proc is not None and self.proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            if not selector.select(seconds):
                return None
            return self.proc.stdout.readline() or None
        finally:
            selector.close()

    def stop(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, 9)
            except OSError:
                pass
            self.proc.wait()
            self.proc = None
        self.ready = False

    def run(self, job: Job) -> Outcome:
        if not self.ready or self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        workdir = self.scratch / "job"
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir()
        (workdir / "cells.json").write_text(json.dumps(job.cells))
        plain.save(workdir / "inputs", job.inputs)
        request = JobRequest(job=job.key, dir=str(workdir), limits=self.limits,
                             reference=job.reference, uid=self.uid,
                             unshare_net=not self.use_bwrap, private_tmp=self.use_bwrap,
                             fast_predict=job.fast_predict, assignment=job.assignment)
        started = time.monotonic()
        try:
            self.proc.stdin.write((request.to_json() + "\n").encode())
            self.proc.stdin.flush()
            line = self._read_raw(self.limits.notebook_seconds + 60)
            reply = WorkerReply.from_json(line) if line else None
        except (OSError, ProtocolError):
            reply = None
        if reply is None or reply.job != job.key:  # the worker died or hung: restart it
            self.stop()
            outcome = Outcome(job.key, Status.crashed, "the grading worker stopped answering")
        else:
            outcome = Outcome(job.key, reply.status, reply.message, reasons=reply.reasons,
                              stats=reply.stats(), network_isolated=reply.network_isolated)
            detail = workdir / "child_error.txt"
            if outcome.status is not Status.graded and detail.is_file():
                last = detail.read_text(errors="replace").strip().splitlines()[-1:]
                outcome.message += f" ({last[0][:300]})" if last else ""
            if outcome.status is Status.graded:
                try:
                    outcome.harvest = plain.load(workdir / "harvest")
                except (plain.PlainDataError, RecursionError, TypeError) as exc:
                    outcome.status = Status.crashed
                    outcome.message = f"no readable results: {exc}"[:300]
        outcome.stats["elapsed"] = round(time.monotonic() - started, 3)
        shutil.rmtree(workdir, ignore_errors=True)
        if not self.reuse:  # the slow path: a new Python and TensorFlow import per submission
            self.stop()
        return outcome


def _last_line(log: Path) -> str:
    """The last line a worker wrote to its log (what it died of), shortened."""
    try:
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1].strip()[:200] if lines else ""


def remove_stale_scratch() -> None:
    """Scratch folders left by grading runs that were killed (their owner process is gone)."""
    for folder in Path(tempfile.gettempdir()).glob("layerwise-*"):
        try:
            owner = int((folder / "owner.pid").read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue


def scratch_root() -> Path:
    """A fresh folder for a pool's workers (stale ones of dead graders removed first), marked
    with this process's id."""
    remove_stale_scratch()
    root = Path(tempfile.mkdtemp(prefix="layerwise-"))
    os.chmod(root, 0o755)
    (root / "owner.pid").write_text(str(os.getpid()))
    return root


def release(workers: list[Worker], root: Path) -> None:
    """Stop `workers` and remove their folder."""
    for worker in workers:
        worker.stop()
        worker.log.close()
    shutil.rmtree(root, ignore_errors=True)


class LocalPool:
    """N workers on this machine; `run` yields outcomes as they finish.

    Each worker is served by one thread for the pool's whole life: bubblewrap's
    --die-with-parent is tied to the thread that started it, so a worker must never be
    (re)started from a short-lived thread.
    """

    def __init__(self, workers: int, limits: Limits, *, sandbox: str = "auto",
                 reuse: bool = True, preload: tuple[str, ...] = ()) -> None:
        self.use_bwrap = use_bubblewrap(sandbox_mode(sandbox))
        self.enforcement = enforcement(self.use_bwrap)
        self.root = scratch_root()
        self.workers = [Worker(i, self.root, limits, self.use_bwrap, reuse, preload)
                        for i in range(workers)]
        self._todo: queue.Queue[tuple[Job, queue.Queue[Any]] | None] = queue.Queue()
        self._threads = [threading.Thread(target=self._serve, args=(w,), daemon=True)
                         for w in self.workers]
        for thread in self._threads:
            thread.start()

    def _serve(self, worker: Worker) -> None:
        if worker.reuse:
            try:
                worker.start()
            except WorkerError:
                pass  # retried on the first job, whose outcome then says why
        while True:
            item = self._todo.get()
            if item is None:
                worker.stop()
                return
            job, done = item
            try:
                done.put(worker.run(job))
            except BaseException as exc:
                done.put(exc)

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for _ in self._threads:
            self._todo.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        release(self.workers, self.root)

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        done: queue.Queue[Outcome | BaseException] = queue.Queue()
        count = 0
        for job in jobs:
            self._todo.put((job, done))
            count += 1
        for _ in range(count):
            item = done.get()
            if isinstance(item, BaseException):
                raise item
            yield item
