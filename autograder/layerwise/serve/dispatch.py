"""Claims jobs and grades them on the warm worker pool, with `layerwise grade`'s own steps
(grade/run.py: make_pool, reference_harvest, assess); stores the files under the data folder and
the result in the database, in the transaction that marks the job done."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from layerwise import registry
from layerwise.assignment import Assignment
from layerwise.execute.pool import Job as PoolJob
from layerwise.execute.pool import preload_of
from layerwise.grade.reference import reference_harvest
from layerwise.grade.run import Options, assess, make_pool
from layerwise.intake.notebook import InvalidNotebook, read_notebook
from layerwise.intake.submission import Submission as Intake
from layerwise.kit import SOLUTIONS_DIR, find_kit
from layerwise.lms.gradescope_run import late_percent
from layerwise.report.feedback import render
from layerwise.serve import hooks, jobs, storage
from layerwise.serve.config import Settings
from layerwise.serve.db import writing
from layerwise.serve.models import CourseAssignment, Submission, now
from layerwise.serve.withhold import withheld
from layerwise.status import Status

log = logging.getLogger("layerwise.serve.dispatch")


@dataclass
class Prepared:
    """An assignment's cases and reference for one seed (computed once per process)."""

    assignment: Assignment
    cases: dict[str, Any]
    reference: dict[str, Any]
    inputs: dict[str, Any]
    digest: str


def owner_id() -> str:
    """This process's name in job leases."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Dispatcher:
    """`settings.workers` threads, each claiming a job and grading it on the shared pool."""

    def __init__(self, settings: Settings, factory: sessionmaker[Session]) -> None:
        self.settings, self.factory = settings, factory
        self.owner = owner_id()
        self.stopping = threading.Event()
        self.active: dict[int, jobs.Claim] = {}
        self.lock = threading.Lock()
        self.prepared: dict[tuple[str, int], Prepared] = {}
        self.prep_lock = threading.Lock()
        self.pool: Any = None
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        names = sorted(registry.registered())
        preload = tuple(dict.fromkeys(m for n in names for m in preload_of(registry.get(n))))
        options = Options(workers=self.settings.workers, limits=self.settings.limits,
                          sandbox=self.settings.sandbox)
        first = registry.get(names[0])
        self.pool = make_pool(options, self.settings.workers,
                              _with_preload(first, preload))
        # One claimer more than workers: while a thread compares and renders a result, the
        # pool already runs the next job (as `layerwise grade` keeps every worker fed).
        self.threads = [threading.Thread(target=self._loop, name=f"dispatch-{i}", daemon=True)
                        for i in range(self.settings.workers + 1)]
        self.threads.append(threading.Thread(target=self._beat, name="lease", daemon=True))
        for thread in self.threads:
            thread.start()
        threading.Thread(target=self._warm, name="warm", daemon=True).start()
        log.info("dispatcher started", extra={"owner": self.owner,
                                              "workers": self.settings.workers})

    def stop(self, grace: float = 30.0) -> None:
        """Stop claiming; wait up to `grace` s for running jobs, then give the rest back."""
        self.stopping.set()
        deadline = time.monotonic() + grace
        for thread in self.threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        with self.lock:
            left = list(self.active.values())
        for held in left:
            jobs.release(self.factory, held)
            log.info("lease released", extra={"job": held.job})
        if self.pool is not None:
            self.pool.close()

    def _warm(self) -> None:
        """Run every course-assignment's reference now, before a student waits for it."""
        with self.factory() as session:
            wanted = sorted(set(session.execute(
                select(CourseAssignment.assignment, CourseAssignment.seed)).tuples().all()))
        for name, seed in wanted:
            if self.stopping.is_set():
                return
            try:
                self.prepare(name, seed)
            except Exception:  # the first job of it retries, and records the error
                log.exception("reference failed", extra={"assignment": name, "seed": seed})

    def _beat(self) -> None:
        while not self.stopping.wait(self.settings.lease_seconds / 4):
            with self.lock:
                held = list(self.active.values())
            try:
                jobs.heartbeat(self.factory, held, self.settings.lease_seconds)
            except Exception:
                log.exception("heartbeat failed")

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                held = jobs.claim(self.factory, self.owner, self.settings.lease_seconds,
                                  self.settings.max_attempts)
            except Exception:
                log.exception("claim failed")
                held = None
            if held is None:
                self.stopping.wait(self.settings.poll_seconds)
                continue
            with self.lock:
                self.active[held.job] = held
            try:
                self.grade(held)
            except Exception:
                log.exception("grading failed", extra={"job": held.job,
                                                       "submission": held.submission})
                if not self.stopping.is_set():
                    jobs.retry(self.factory, held)
            finally:
                with self.lock:
                    self.active.pop(held.job, None)

    def prepare(self, name: str, seed: int) -> Prepared:
        """The cases and reference of (`name`, `seed`): the solution run once on the pool, then
        cached on disk like `layerwise grade`'s."""
        with self.prep_lock:
            key = (name, seed)
            if key not in self.prepared:
                assignment = registry.get(name)
                cases = assignment.make_cases(seed)
                solution = find_kit(self.settings.kit) / SOLUTIONS_DIR / f"{name}.ipynb"
                reference, digest = reference_harvest(self.pool, assignment, solution, cases,
                                                      self.settings.data / "references")
                self.prepared[key] = Prepared(assignment, cases, reference,
                                              assignment.student_inputs(cases, reference), digest)
            return self.prepared[key]

    def grade(self, held: jobs.Claim) -> None:
        started = time.monotonic()
        with self.factory() as session:
            sub = session.get(Submission, held.submission)
            if sub is None:  # deleted (privacy) while queued
                with writing(self.factory) as s:
                    jobs.finish(s, held)
                return
            ca = session.get(CourseAssignment, sub.course_assignment_id)
            assert ca is not None
            who = sub.user.student_id or f"user{sub.user.id}"  # as exports name them
            name, seed, folder = ca.assignment, ca.seed, self.settings.data / sub.folder
        prep = self.prepare(name, seed)
        intake = Intake(student=who, origin=sub.filename, file=sub.filename, size=sub.size)
        try:
            nb = read_notebook((folder / storage.NOTEBOOK).read_bytes())
        except InvalidNotebook as exc:
            done = assess(prep.assignment, intake, "pt", None, Status.invalid, str(exc),
                          prep.cases, prep.reference, seed, prep.digest)
        else:
            job = PoolJob(f"s{sub.id}", nb.cells, prep.inputs,
                          fast_predict=prep.assignment.fast_predict,
                          assignment=registry.target_of(prep.assignment))
            outcome = next(iter(self.pool.run([job])))
            done = assess(prep.assignment, intake, nb.language, outcome, outcome.status,
                          outcome.message, prep.cases, prep.reference, seed, prep.digest)
        storage.put(folder / storage.FULL, done.html)
        hidden_failed = any(c.hidden and not c.passed for q in done.questions or [] for c in q.cases)
        if hidden_failed:  # else the page lists no hidden case's values: the same page
            quiet, public_rec, public_qs = withheld(prep.assignment, done.rec, done.questions)
            storage.put(folder / storage.PUBLIC, render(quiet, public_rec, public_qs, seed))
        else:
            storage.put(folder / storage.PUBLIC, done.html)
        if done.grader_trace:
            storage.put(folder / storage.GRADER_ERROR, done.grader_trace)
        storage.put_json(folder / storage.RECORD, done.rec)
        self.store(held, done.rec, time.monotonic() - started)

    def store(self, held: jobs.Claim, rec: Mapping[str, Any], seconds: float) -> None:
        """The result into the database with the job marked done, in one transaction (or not at
        all when the lease was lost)."""
        with writing(self.factory) as session:
            if not jobs.finish(session, held):
                log.warning("lease lost: result dropped", extra={"job": held.job})
                session.rollback()
                return
            sub = session.get(Submission, held.submission)
            if sub is None:
                return
            ca = session.get(CourseAssignment, sub.course_assignment_id)
            assert ca is not None
            penalty, _ = late_percent(
                {"late_penalty": {"per_day": ca.late_per_day, "max_percent": ca.late_max}},
                {"created_at": sub.created.isoformat(),
                 "assignment": {"due_date": ca.due.isoformat() if ca.due else None}})
            raw = float(rec["total"])
            sub.status, sub.raw_total, sub.max_total = rec["status"], raw, float(rec["max_total"])
            sub.late_percent = penalty
            sub.total = round(raw * (1 - penalty / 100), 2)
            sub.summary = dict(rec.get("summary") or {})
            sub.graded_at, sub.grade_seconds = now(), round(seconds, 3)
            sub.times_graded += 1
            hooks.on_graded(session, sub)
        log.info("graded", extra={"submission": held.submission, "status": rec["status"],
                                  "seconds": round(seconds, 3), "attempt": held.attempt})


def _with_preload(assignment: Assignment, preload: tuple[str, ...]) -> Assignment:
    """`assignment` whose workers import every registered assignment's modules (one pool
    grades them all)."""
    import dataclasses

    modules = tuple(m for m in preload if m != assignment.student_side)
    return dataclasses.replace(assignment, preload=modules)

