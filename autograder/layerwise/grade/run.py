"""Grade a class: intake, reference, one sandboxed process per submission, compare, report.

Each student's results are written as soon as they are graded (atomically), so a killed run
loses nothing already graded, and a rerun on the same folder skips what is done.
"""

from __future__ import annotations

import contextlib
import csv
import os
import platform
import secrets
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layerwise import __version__, registry
from layerwise.assignment import Assignment
from layerwise.compare import grade_harvest
from layerwise.errors import LayerwiseError
from layerwise.execute.executor import Executor
from layerwise.execute.limits import Limits
from layerwise.execute.pool import Job, LocalPool, Outcome, preload_of
from layerwise.execute.sandbox import sandbox_mode
from layerwise.grade.reference import reference_harvest, shipped_reference
from layerwise.intake.collect import collect, nothing_to_grade, summarize
from layerwise.intake.entries import Skipped
from layerwise.intake.notebook import InvalidNotebook, Notebook, read_notebook
from layerwise.intake.submission import Submission
from layerwise.kit import SOLUTIONS_DIR, find_kit
from layerwise.report.feedback import render
from layerwise.report.gradescope import results as gradescope_results
from layerwise.report.runfolder import (
    GradingRecord,
    read_records,
    read_run_info,
    write_json,
    write_record,
)
from layerwise.report.student import question_columns, record
from layerwise.similarity.answers import digests
from layerwise.similarity.store import keep_code
from layerwise.status import Status

CSV_COLUMNS = ["student", "status", "total", "max_total"]
"""Then a column per question of the assignment."""
GRADER_ERROR_FILE = "grader_error.txt"
"""Where a student's folder keeps the traceback of a grader bug met on their notebook."""


class RunError(LayerwiseError):
    """The run itself cannot proceed (not a student's problem)."""


@dataclass
class Options:
    """How to grade."""

    solution: Path | None = None
    """The executed reference solution (default: the kit's solutions/<assignment>.ipynb)."""
    assignment: str | None = None
    """The registered assignment (default: the one the notebooks' metadata names, else the
    only one registered)."""
    kit: Path | None = None
    """The kit's folder (default: the current folder), for the default solution."""
    reference: Path | None = None
    """A reference harvest computed beforehand (`plain.save` stem) instead of running the
    solution: what an autograder image ships instead of the solution itself."""
    workers: int = max(1, os.cpu_count() or 1)
    seed: int | None = None
    limits: Limits = field(default_factory=Limits)
    force: bool = False
    sandbox: str = "auto"
    executor: str = "local"
    """local (forking workers), fresh (a new process and TensorFlow import per submission:
    the slow path, for comparison), single (one sandboxed process per submission, no pool: for
    one submission) or dask (a dask.distributed cluster at `scheduler`)."""
    scheduler: str | Any = None
    pool: Any = None
    """A pool already started for this run (`make_pool`'s interface; the run closes it): the
    Gradescope zip starts its single worker before it even imports the grader."""
    dashboard: bool = True
    """Write the class's dashboard (index.html); a Gradescope container, grading one
    submission for its student, has no teacher to read it."""
    fast_predict: bool = True
    """Where the assignment asks for it: serve students' `model.predict` on small in-memory
    inputs by direct calls (same values, ~20x less time per call; harvest/fast_predict.py)."""
    lang: str | None = None
    """The dashboard's language, pt or en (default: the run folder's earlier choice, else the
    class's majority)."""


def make_pool(options: Options, n_jobs: int, assignment: Assignment) -> Any:
    """The executor: LocalPool, SinglePool and DaskPool share one interface (enforcement,
    workers, run); `options.pool` when one was started already."""
    if options.pool is not None:
        return options.pool
    workers = max(1, min(options.workers, n_jobs or 1))
    sandbox = sandbox_mode(options.sandbox)
    try:
        executor = Executor(options.executor)
    except ValueError:
        raise RunError(f"unknown executor {options.executor!r}: choose one of "
                       + ", ".join(e.value for e in Executor)) from None
    if executor is Executor.dask:
        from layerwise.execute.remote import DaskPool

        if options.scheduler is None:
            raise RunError("--executor dask needs --scheduler tcp://HOST:PORT")
        return DaskPool(options.scheduler, options.limits, sandbox=sandbox,
                        preload=preload_of(assignment))
    if executor is Executor.single:
        from layerwise.execute.single import SinglePool

        return SinglePool(options.limits, sandbox=sandbox, preload=preload_of(assignment))
    return LocalPool(workers, options.limits, sandbox=sandbox,
                     reuse=executor is Executor.local, preload=preload_of(assignment))


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "layerwise": __version__,
           "layerwise_path": str(Path(__file__).resolve().parents[1])}
    for name in ("tensorflow-cpu", "tensorflow", "keras", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def _choose_seed(out: Path, requested: int | None, force: bool, assignment: Assignment) -> int:
    info = read_run_info(out)
    if info is not None:
        graded = info.get("assignment")
        if graded and graded != assignment.name:
            raise RunError(f"{out} holds a run of assignment {graded}, not {assignment.name}: "
                           "grade into another --out folder")
        recorded = info.get("seed")
        if requested is not None and recorded is not None and requested != recorded and not force:
            raise RunError(f"{out} was graded with seed {recorded}; pass --seed {recorded} to "
                           "resume it, or --force to regrade everyone with the new seed")
        if requested is None and recorded is not None:
            return int(recorded)
    return requested if requested is not None else secrets.randbelow(2**31)


def write_student(out: Path, rec: GradingRecord, html: str, results: dict[str, Any]) -> None:
    folder = out / rec["student"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feedback.html.part").write_text(html)
    os.replace(folder / "feedback.html.part", folder / "feedback.html")
    write_json(folder / "results.json", results)
    write_record(folder, rec)  # last: its presence means "graded"


def write_csv(out: Path, records: list[GradingRecord], assignment: Assignment) -> None:
    tmp = out / "grades.csv.part"
    with open(tmp, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*CSV_COLUMNS, *assignment.question_ids])
        writer.writeheader()
        for rec in sorted(records, key=lambda r: r["student"]):
            writer.writerow({"student": rec["student"], "status": rec["status"],
                             "total": rec["total"], "max_total": rec["max_total"],
                             **question_columns(rec)})
    os.replace(tmp, out / "grades.csv")


@dataclass
class Assessed:
    """One submission compared and reported: its record, the per-question results (for
    pictures), and the feedback page and Gradescope results made from them."""

    rec: GradingRecord
    questions: list[Any] | None
    html: str
    results: dict[str, Any]
    grader_trace: str = ""
    """The traceback of a grader bug met on this notebook ("" when none)."""


def assess(assignment: Assignment, sub: Submission, language: str, outcome: Outcome | None,
           status: Status, message: str, cases: dict[str, Any], reference: dict[str, Any],
           seed: int, digest: str) -> Assessed:
    """Compare an outcome with the reference and make the student's record and feedback (the
    one grading step `layerwise grade` and `layerwise serve` share); writes nothing."""
    questions = None
    trace = ""
    cell_errors: list[dict[str, Any]] = []
    if outcome is not None and outcome.harvest is not None:
        try:
            questions = grade_harvest(assignment, cases, reference, outcome.harvest)
            cell_errors = [{k: e.get(k) for k in ("cell", "ename", "evalue")}
                           for e in outcome.harvest.get("cells", [])]
        except Exception as exc:  # the harvest was checked: this is the grader's own bug
            questions, cell_errors = None, []
            status = Status.grader_error
            message = (f"the grader failed on valid results ({type(exc).__name__}: {exc}); "
                       f"report it with {GRADER_ERROR_FILE}; a rerun regrades this notebook")
            trace = traceback.format_exc()
    stats = dict(outcome.stats) if outcome else {}
    harvest = (outcome.harvest or {}) if outcome else {}
    timing = harvest.get("timing")
    if isinstance(timing, dict):  # written inside the sandbox: kept only as plain numbers
        parts = {k: timing.get(k) for k in ("cells_s", "calls_s", "harness_s")}
        if all(isinstance(v, int | float) for v in parts.values()):
            stats |= {k: round(float(v), 3) for k, v in parts.items()}  # type: ignore[arg-type]
            stats["student_s"] = round(float(parts["cells_s"] + parts["calls_s"]), 3)  # type: ignore[operator]
        each = timing.get("cell_s")
        if isinstance(each, list) and all(isinstance(v, int | float) for v in each):
            stats["cell_s"] = [round(float(v), 3) for v in each]
    reasons = list(outcome.reasons) if outcome else []
    reasons += [{"code": "shell_escape", "cell": str(e["cell"]), "command": e["command"]}
                for e in harvest.get("shell_escapes") or []]
    rec = record(assignment, sub.student, status, message, sub.identity(), language, questions,
                 cell_errors, stats, reasons)
    if questions is not None:  # the wrong outputs' digests, for `layerwise similarity`
        rec["answers"] = digests(questions, harvest)
    drawn = {q.id for q in assignment.questions if q.draws}
    return Assessed(rec, questions, render(assignment, rec, questions, seed),
                    gradescope_results(rec, questions, assignment.all_diagnoses(), drawn, seed,
                                       digest), trace)


def _finish(assignment: Assignment, out: Path, sub: Submission, language: str,
            outcome: Outcome | None, status: Status, message: str, cases: dict[str, Any],
            reference: dict[str, Any], seed: int, digest: str) -> GradingRecord:
    done = assess(assignment, sub, language, outcome, status, message, cases, reference, seed,
                  digest)
    if done.grader_trace:
        folder = out / sub.student
        folder.mkdir(parents=True, exist_ok=True)
        (folder / GRADER_ERROR_FILE).write_text(done.grader_trace)
    write_student(out, done.rec, done.html, done.results)
    return done.rec


def grade(paths: list[Path], out: Path, options: Options, progress: Any = None
          ) -> dict[str, Any]:
    """Grade every submission under `paths` into `out`; returns the run summary (run.json)."""
    started = time.time()
    sandbox_mode(options.sandbox)  # a typo is an error before anything runs, never "unconfined"
    submissions, skipped = collect(paths, options.assignment)
    if not submissions:
        raise nothing_to_grade(paths, skipped)
    notebooks: dict[str, Notebook | str] = {}
    for sub in submissions:
        try:
            notebooks[sub.student] = read_notebook(sub.content)
        except InvalidNotebook as exc:
            notebooks[sub.student] = str(exc)
    readable_nbs = [nb for nb in notebooks.values() if isinstance(nb, Notebook)]
    if options.solution is not None and options.solution.is_file() and options.assignment is None:
        with contextlib.suppress(InvalidNotebook, OSError):  # the solution says which it is
            readable_nbs.append(read_notebook(options.solution.read_bytes()))
    assignment = registry.choose(options.assignment, [nb.assignment or "" for nb in readable_nbs],
                                 ["\n".join(nb.cells) for nb in readable_nbs])
    if options.reference is not None:
        solution = options.reference
    else:
        solution = (options.solution
                    or find_kit(options.kit) / SOLUTIONS_DIR / f"{assignment.name}.ipynb")
        if not solution.is_file():
            raise RunError(f"reference solution not found: {solution} (run `layerwise build` in "
                           "the kit's folder, or pass --solution)")
    out.mkdir(parents=True, exist_ok=True)
    seed = _choose_seed(out, options.seed, options.force, assignment)
    cases = assignment.make_cases(seed)
    by_student: dict[str, GradingRecord] = {r["student"]: r for r in read_records(out)}
    done = set() if options.force else {
        s for s, r in by_student.items() if r.get("status") != Status.grader_error}
    todo = [s for s in submissions if s.student not in done]
    fast_predict = options.fast_predict and assignment.fast_predict
    previous = read_run_info(out)
    lang = options.lang or (previous or {}).get("lang")
    if not todo and previous is not None and previous.get("complete"):
        return _refresh_without_grading(out, dict(previous), submissions, skipped, list(by_student.values()),
                                 assignment, started, lang, progress)

    jobs: list[Job] = []
    readable: dict[str, tuple[Submission, str]] = {}
    invalid: list[tuple[Submission, str]] = []
    for sub in todo:
        nb = notebooks[sub.student]
        if isinstance(nb, str):
            invalid.append((sub, nb))
            continue
        readable[sub.student] = (sub, nb.language)
        keep_code(out / sub.student, nb.cells)  # for `layerwise similarity`
        jobs.append(Job(sub.student, nb.cells, {}, fast_predict=fast_predict,
                        assignment=registry.target_of(assignment)))

    timings: dict[str, float] = {}
    with make_pool(options, len(jobs), assignment) as pool:
        for warning in pool.enforcement.warnings:
            if progress:
                progress.warn(warning)
        t0 = time.time()
        if options.reference is not None:
            reference, digest = shipped_reference(options.reference, assignment, seed)
        else:
            reference, digest = reference_harvest(pool, assignment, solution, cases,
                                                  out / ".reference")
        timings["reference_s"] = round(time.time() - t0, 2)
        inputs = assignment.student_inputs(cases, reference)
        for job in jobs:
            job.inputs = inputs
        run_info = {
            "assignment": assignment.name, "seed": seed, "solution": str(solution),
            "solution_hash": digest, "executor": options.executor, "fast_predict": fast_predict,
            "versions": _versions(), "workers": len(pool.workers),
            "limits": options.limits.to_dict(), "sandbox": pool.enforcement.to_dict(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "skipped_inputs": [vars(s) for s in skipped], "max_total": assignment.max_total,
            "intake": summarize(submissions, skipped), "lang": lang,
        }
        write_json(out / "run.json", run_info | {"complete": False})
        if progress:
            progress.start(len(todo), skipped, run_info["intake"])
        for sub, message in invalid:
            rec = _finish(assignment, out, sub, "pt", None, Status.invalid, message, cases,
                          reference, seed, digest)
            by_student[rec["student"]] = rec
            if progress:
                progress.advance(rec)
        t0 = time.time()
        per: list[float] = []
        open_network: list[str] = []
        for n, outcome in enumerate(pool.run(jobs), start=1):
            sub, language = readable[outcome.key]
            if not outcome.network_isolated:
                open_network.append(sub.student)
            rec = _finish(assignment, out, sub, language, outcome, outcome.status,
                          outcome.message, cases, reference, seed, digest)
            per.append(float(outcome.stats.get("elapsed") or 0))
            if progress:
                progress.advance(rec)
            by_student[rec["student"]] = rec
            if n % 10 == 0:
                write_csv(out, list(by_student.values()), assignment)
        timings["grading_s"] = round(time.time() - t0, 2)
        if open_network:  # what the sandbox promised and did not get: said, never hidden
            warning = (f"the network could not be isolated for {len(open_network)} "
                       f"submission(s): {', '.join(open_network[:10])}")
            run_info["sandbox"] |= {"network_isolated": False,
                                    "warnings": [*run_info["sandbox"]["warnings"], warning]}
            if progress:
                progress.warn(warning)
        if per:
            timings["median_per_submission_s"] = round(sorted(per)[len(per) // 2], 3)
    records = list(by_student.values())  # every record, kept as written: no second read
    write_csv(out, records, assignment)
    timings["total_s"] = round(time.time() - started, 2)
    run_info |= {"complete": True, "timings": timings, "graded_now": len(todo),
                 "skipped_already_graded": len(submissions) - len(todo),
                 "students": len(records)}
    write_json(out / "run.json", run_info)
    if options.dashboard:
        from layerwise.report.dashboard import write_dashboard  # Jinja: only when written

        write_dashboard(out, records, run_info)
    return run_info


def _refresh_without_grading(out: Path, previous: dict[str, Any], submissions: list[Submission],
                      skipped: list[Skipped], records: list[GradingRecord],
                      assignment: Assignment, started: float, lang: str | None,
                      progress: Any) -> dict[str, Any]:
    """Every submission is graded already: refresh grades.csv, run.json and the dashboard from
    the run folder without starting a worker (nor TensorFlow, nor the reference)."""
    intake = summarize(submissions, skipped)
    if progress:
        progress.start(0, skipped, intake)
    write_csv(out, records, assignment)
    run_info = previous | {
        "skipped_inputs": [vars(s) for s in skipped], "intake": intake, "lang": lang,
        "complete": True, "timings": {"total_s": round(time.time() - started, 2)},
        "graded_now": 0, "skipped_already_graded": len(submissions), "students": len(records)}
    write_json(out / "run.json", run_info)
    from layerwise.report.dashboard import write_dashboard  # Jinja: only when written

    write_dashboard(out, records, run_info)
    return run_info
