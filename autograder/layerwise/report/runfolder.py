"""The run folder, read back and written: the one reader every command uses (resuming `grade`, the summary
table, `export`, `upload`, `nbgrader-import`), with one policy: a record that cannot be read or
is not of the shape `layerwise grade` writes stops the command, naming the file and what to do.
The grading record's one type (`GradingRecord`), built by `report.student.record` and written
by `write_record`.

    RUN_DIR/run.json                  the run: seed, versions, sandbox, timings (RunInfo)
    RUN_DIR/<student>/grading.json    one student's record (GradingRecord); written last, so
                                      its presence means "graded"
    RUN_DIR/<student>/code.json       the code cells graded (for `layerwise similarity`)
    RUN_DIR/grades.csv, index.html,   made from the records; never read back
    <student>/results.json, feedback.html
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from layerwise.errors import LayerwiseError
from layerwise.status import Status

RUN_FILE = "run.json"
RECORD_FILE = "grading.json"


class RunFolderError(LayerwiseError):
    """The folder is not a grading run, or one of its records is unreadable."""


class Bilingual(TypedDict):
    pt: str
    en: str


class DiagnosisRecord(TypedDict):
    code: str
    pt: str
    en: str


class CaseRecord(TypedDict):
    case: str
    hidden: bool
    passed: bool
    expected: str
    given: str
    layer: str | None
    diagnosis: str | None
    problem: Bilingual | None


class QuestionRecord(TypedDict):
    id: str
    title: Bilingual
    score: float
    max_score: float
    passed: int
    cases: int
    diagnoses: list[DiagnosisRecord]
    case_results: list[CaseRecord]


class GradingRecord(TypedDict):
    """One student's grading.json."""

    student: str
    status: str
    """A `Status` value."""
    message: str
    total: float
    max_total: float
    identity: dict[str, Any]
    """Who they are (`intake.Submission.identity()`: LMS, ids, file, notes)."""
    language: str
    status_text: Bilingual
    questions: list[QuestionRecord]
    notes: list[Bilingual]
    cell_errors: list[dict[str, Any]]
    summary: Bilingual
    stats: dict[str, Any]
    assignment: NotRequired[str]
    answers: NotRequired[dict[str, dict[str, str]]]
    """Question -> case -> bucket of each wrong output (`similarity.answers`)."""


class RunInfo(TypedDict, total=False):
    """run.json (only what readers rely on is listed; the rest is for people)."""

    seed: int
    solution_hash: str
    max_total: float
    complete: bool
    students: int
    sandbox: dict[str, Any]
    assignment: str
    lang: str | None
    """The TA's language for the dashboard and exports (`grade --lang`); None: not chosen."""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def record_problem(data: Any) -> str | None:
    """Why `data` is not a grading.json this version reads, or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    for key, kind in (("student", str), ("message", str), ("language", str),
                      ("identity", dict), ("questions", list), ("summary", dict)):
        if not isinstance(data.get(key), kind):
            return f"{key!r} is missing or not a {kind.__name__}"
    if data.get("status") not in {s.value for s in Status}:
        return f"unknown status {data.get('status')!r}"
    if not _number(data.get("total")) or not _number(data.get("max_total")):
        return "total or max_total is not a number"
    for q in data["questions"]:
        if not isinstance(q, dict) or not isinstance(q.get("id"), str) \
                or not _number(q.get("score")) or not _number(q.get("max_score")):
            return "a question lacks its id, score or max_score"
    return None


def question_ids(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """The questions of a run's records, in the assignment's order (the first record's)."""
    ids: list[str] = []
    for record in records:
        ids += [q["id"] for q in record["questions"] if q["id"] not in ids]
    return ids


def write_json(path: Path, value: Any) -> None:
    """Atomic JSON write: a reader never sees half a file."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(value, indent=1, ensure_ascii=False, default=str))
    os.replace(tmp, path)


def write_record(folder: Path, record: GradingRecord) -> Path:
    """A student's grading.json, written whole (after everything else of the student: its
    presence means "graded")."""
    path = folder / RECORD_FILE
    write_json(path, record)
    return path


def read_record(path: Path) -> GradingRecord:
    """One grading.json, checked."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunFolderError(f"{path} is unreadable ({exc}): delete it to grade that student "
                             "again") from exc
    problem = record_problem(data)
    if problem:
        raise RunFolderError(f"{path} is not a grading record of this layerwise ({problem}): "
                             "delete it to grade that student again")
    return data


def read_records(run_dir: Path) -> list[GradingRecord]:
    """Every student's record in the run folder, sorted by student id ([] for a new folder)."""
    return sorted((read_record(p) for p in run_dir.glob(f"*/{RECORD_FILE}")),
                  key=lambda r: r["student"])


def read_run_info(run_dir: Path) -> RunInfo | None:
    """run.json, or None when there is none yet."""
    path = run_dir / RUN_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunFolderError(f"{path} is unreadable ({exc})") from exc
    if not isinstance(data, dict):
        raise RunFolderError(f"{path} is not a run summary")
    return data  # type: ignore[return-value]


def read_finished_run(run_dir: Path) -> list[GradingRecord]:
    """The records of a run folder that must hold some (for export, upload, import)."""
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir} is not a folder")
    records = read_records(run_dir)
    if not records:
        raise RunFolderError(f"{run_dir} holds no */{RECORD_FILE}: not a `layerwise grade` run "
                             "folder (pass the --out folder of a grading run)")
    return records
