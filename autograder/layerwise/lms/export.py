"""Grades as files each LMS imports through its own page.

- ``canvas-csv``: Canvas gradebook CSV (Grades → Import). A ``Student, ID, SIS User ID,
  SIS Login ID, Section`` header followed by the assignment column, named ``<name> (<id>)`` so
  Canvas matches the existing assignment (without an id Canvas creates a new one); a
  ``Points Possible`` row; one row per student, matched on the Canvas user ``ID``.
- ``moodle-csv``: Moodle's offline grading worksheet (Assignment → "Upload grading worksheet",
  with the "Offline grading worksheet" feedback type on). Rows are matched on ``Identifier``
  (``Participant <id>``); Moodle needs the ``Grade`` and ``Last modified (grade)`` columns, and
  takes ``Feedback comments`` when comment feedback is on. The modification time is the export
  time, written ISO 8601 with its offset so PHP's ``strtotime`` reads it unambiguously. Moodle
  finds the columns (and strips the ``Participant `` prefix) by the *importing user's* language
  strings, and these are the English ones: import with your Moodle language set to English.
- ``csv``: every column this tool knows, for anything else.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from layerwise.lms.run import QUESTION_IDS, StudentResult

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_POSSIBLE = "    Points Possible"
MOODLE_COLUMNS = ["Identifier", "Full name", "Email address", "Status", "Grade",
                  "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                  "Last modified (grade)", "Feedback comments"]
MOODLE_PARTICIPANT = "Participant "
PLAIN_COLUMNS = ["student", "name", "lms", "lms_user_id", "late", "status", "total",
                 "max_total", *QUESTION_IDS, "comment"]


class ExportFormat(StrEnum):
    canvas_csv = "canvas-csv"
    moodle_csv = "moodle-csv"
    csv = "csv"


DEFAULT_FILE = {ExportFormat.canvas_csv: "canvas-gradebook.csv",
                ExportFormat.moodle_csv: "moodle-grading-worksheet.csv",
                ExportFormat.csv: "grades-export.csv"}


@dataclass
class Exported:
    """What an export wrote, and who it left out and why."""

    path: Path
    rows: int
    left_out: list[tuple[str, str]] = field(default_factory=list)


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _moodle_points(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _selected(results: Iterable[StudentResult], graded_only: bool,
              left_out: list[tuple[str, str]]) -> list[StudentResult]:
    chosen = []
    for result in results:
        if result.total is None:
            left_out.append((result.student, f"no total (status {result.status})"))
        elif graded_only and result.status != "graded":
            left_out.append((result.student, f"status {result.status}"))
        else:
            chosen.append(result)
    return chosen


def _max_total(results: list[StudentResult]) -> float:
    return next((r.max_total for r in results if r.max_total is not None), 100.0)


def canvas_rows(results: list[StudentResult], assignment_name: str, assignment_id: str,
                left_out: list[tuple[str, str]]) -> list[list[str]]:
    """The Canvas gradebook import rows (header and Points Possible included)."""
    title = f"{assignment_name} ({assignment_id})" if assignment_id else assignment_name
    rows = [[*CANVAS_COLUMNS, title],
            [CANVAS_POINTS_POSSIBLE, "", "", "", "", _points(_max_total(results))]]
    for r in results:
        if r.lms != "canvas" or not r.lms_user_id:
            left_out.append((r.student, "no Canvas user id (not from a Canvas download)"))
            continue
        rows.append([r.name or r.student, r.lms_user_id, "", "", "", _points(r.total)])
    return rows


def moodle_rows(results: list[StudentResult], left_out: list[tuple[str, str]],
                now: datetime | None = None) -> list[list[str]]:
    """Moodle offline grading worksheet rows (header included)."""
    stamp = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    rows = [list(MOODLE_COLUMNS)]
    for r in results:
        if r.lms != "moodle" or not r.lms_user_id:
            left_out.append((r.student, "no Moodle participant id (not from a Moodle download)"))
            continue
        rows.append([f"{MOODLE_PARTICIPANT}{r.lms_user_id}", r.name, "",
                     "Submitted for grading", _moodle_points(r.total),
                     _moodle_points(r.max_total if r.max_total is not None else 100.0),
                     "Yes", "-", stamp, r.comment()])
    return rows


def plain_rows(results: list[StudentResult]) -> list[list[str]]:
    """Everything known, one row per student."""
    rows = [list(PLAIN_COLUMNS)]
    for r in results:
        rows.append([r.student, r.name, r.lms, r.lms_user_id, "yes" if r.late else "no",
                     r.status, _points(r.total), _points(r.max_total),
                     *[_points(r.questions.get(q)) for q in QUESTION_IDS], r.comment()])
    return rows


def export(results: list[StudentResult], fmt: ExportFormat, path: Path, *,
           assignment_name: str = "cnn_keras", assignment_id: str = "",
           graded_only: bool = False) -> Exported:
    """Write `results` to `path` in `fmt`."""
    left_out: list[tuple[str, str]] = []
    chosen = _selected(results, graded_only, left_out)
    if fmt is ExportFormat.canvas_csv:
        rows = canvas_rows(chosen, assignment_name, assignment_id, left_out)
        header_rows = 2
    elif fmt is ExportFormat.moodle_csv:
        rows = moodle_rows(chosen, left_out)
        header_rows = 1
    else:
        rows = plain_rows(chosen)
        header_rows = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    tmp.replace(path)
    return Exported(path=path, rows=len(rows) - header_rows, left_out=left_out)
