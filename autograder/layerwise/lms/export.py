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
- ``csv``: every column this tool knows, for anything else; with ``lang="pt"`` its header,
  statuses and yes/no are in Portuguese (no LMS parses it).

``lang`` (the TA's choice, `grade --lang` or `export --lang`) picks the comments' language;
without it each comment is in its student's notebook's language. The Canvas and Moodle headers
stay as those LMSs parse them, whatever the language.

Totals are written on the LMS assignment's own scale (``max_grade``: Canvas points possible,
Moodle maximum grade), rounded to 2 decimals; without it, on the run's (out of 100). Moodle's
worksheet import skips a row whose grade is above the assignment's maximum, and Canvas takes
points above points possible as extra credit, so the scale must be the LMS's.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from layerwise.intake.names import DEFAULT_TEAM
from layerwise.lms.run import StudentResult
from layerwise.lms.upload import Scale
from layerwise.report.words import YES_NO, status_name

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_POSSIBLE = "    Points Possible"
MOODLE_COLUMNS = ["Identifier", "Full name", "Email address", "Status", "Grade",
                  "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                  "Last modified (grade)", "Feedback comments"]
MOODLE_PARTICIPANT = "Participant "
PLAIN_COLUMNS = ["student", "name", "lms", "lms_user_id", "late", "status", "total",
                 "max_total", "lms_grade", "lms_max"]
"""Then a column per question of the run's assignment, and the comment."""
PLAIN_COLUMNS_PT = ["aluno", "nome", "lms", "id_no_lms", "atrasado", "situação", "total",
                    "total_máximo", "nota_no_lms", "máximo_no_lms"]
"""PLAIN_COLUMNS for a Portuguese export, in the same order."""
COMMENT_COLUMN = {"pt": "comentário", "en": "comment"}


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
    maximum: float = 100.0
    """The scale the grades were written on."""


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _selected(results: Iterable[StudentResult], graded_only: bool,
              left_out: list[tuple[str, str]]) -> list[StudentResult]:
    chosen = []
    for result in results:
        reason = result.left_out(graded_only)
        if reason:
            left_out.append((result.student, reason))
        else:
            chosen.append(result)
    return chosen


def run_scale(results: list[StudentResult]) -> Scale:
    """The run's own scale (its maximum total, 100 when unknown)."""
    return Scale(next((r.max_total for r in results if r.max_total), 100.0))


def _grade(r: StudentResult, scale: Scale) -> float | None:
    return None if r.total is None else scale.convert(r.total, r.max_total)


def canvas_rows(results: list[StudentResult], assignment_name: str, assignment_id: str,
                left_out: list[tuple[str, str]], scale: Scale | None = None
                ) -> list[list[str]]:
    """The Canvas gradebook import rows (header and Points Possible included)."""
    scale = scale or run_scale(results)
    title = f"{assignment_name} ({assignment_id})" if assignment_id else assignment_name
    rows = [[*CANVAS_COLUMNS, title],
            [CANVAS_POINTS_POSSIBLE, "", "", "", "", _points(scale.maximum)]]
    for r in results:
        if r.lms != "canvas" or not r.lms_user_id or not r.lms_user_id.isdigit():
            why = ("anonymous grading: the gradebook import needs the user id"
                   if r.lms == "canvas" and r.lms_user_id else
                   "no Canvas user id (not from a Canvas download)")
            left_out.append((r.student, why))
            continue
        rows.append([r.name or r.student, r.lms_user_id, "", "", "", _points(_grade(r, scale))])
    return rows


def moodle_rows(results: list[StudentResult], left_out: list[tuple[str, str]],
                now: datetime | None = None, scale: Scale | None = None,
                lang: str | None = None) -> list[list[str]]:
    """Moodle offline grading worksheet rows (header included)."""
    scale = scale or run_scale(results)
    stamp = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    rows = [list(MOODLE_COLUMNS)]
    # A team folder's id is a group id, not a participant's: with the default team's folder
    # in the run, every Moodle id is one, and the worksheet (one row per person) cannot take it.
    teams = any(r.lms == "moodle" and r.lms_user_id == DEFAULT_TEAM for r in results)
    for r in results:
        if r.lms != "moodle" or not r.lms_user_id:
            left_out.append((r.student, "no Moodle participant id (not from a Moodle download)"))
            continue
        if teams or not r.lms_user_id.isdigit():
            left_out.append((r.student, "a team submission: the worksheet has a row per "
                                        "person; upload teams with `layerwise upload moodle`"))
            continue
        grade = _grade(r, scale)
        rows.append([f"{MOODLE_PARTICIPANT}{r.lms_user_id}", r.name, "",
                     "Submitted for grading", "" if grade is None else f"{grade:.2f}",
                     f"{scale.maximum:.2f}", "Yes", "-", stamp, r.comment(lang)])
    return rows


def plain_rows(results: list[StudentResult], scale: Scale | None = None,
               lang: str | None = None) -> list[list[str]]:
    """Everything known, one row per student; in Portuguese words when `lang` is pt (else the
    English column names and status codes)."""
    scale = scale or run_scale(results)
    questions = list(dict.fromkeys(q for r in results for q in r.questions))
    words = "pt" if lang == "pt" else "en"
    columns = PLAIN_COLUMNS_PT if words == "pt" else PLAIN_COLUMNS
    rows = [[*columns, *questions, COMMENT_COLUMN[words]]]
    for r in results:
        rows.append([r.student, r.name, r.lms, r.lms_user_id, YES_NO[r.late].get(words),
                     status_name(r.status, "pt") if words == "pt" else r.status,
                     _points(r.total), _points(r.max_total),
                     _points(_grade(r, scale)), _points(scale.maximum),
                     *[_points(r.questions.get(q)) for q in questions], r.comment(lang)])
    return rows


def export(results: list[StudentResult], fmt: ExportFormat, path: Path, *,
           assignment_name: str = "", assignment_id: str = "",
           graded_only: bool = False, max_grade: float | None = None,
           lang: str | None = None) -> Exported:
    """Write `results` to `path` in `fmt`, on the scale `max_grade` (default: the run's), the
    comments (and the plain CSV's words) in `lang` (default: each notebook's language)."""
    if max_grade is not None and max_grade <= 0:
        raise ValueError(f"the LMS's maximum grade must be positive, not {max_grade:g}")
    left_out: list[tuple[str, str]] = []
    chosen = _selected(results, graded_only, left_out)
    scale = Scale(max_grade) if max_grade is not None else run_scale(results)
    assignment_name = assignment_name or next((r.assignment for r in results if r.assignment),
                                              "grades")
    if fmt is ExportFormat.canvas_csv:
        rows = canvas_rows(chosen, assignment_name, assignment_id, left_out, scale)
        header_rows = 2
    elif fmt is ExportFormat.moodle_csv:
        rows = moodle_rows(chosen, left_out, scale=scale, lang=lang)
        header_rows = 1
    else:
        rows = plain_rows(chosen, scale, lang)
        header_rows = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    tmp.replace(path)
    return Exported(path=path, rows=len(rows) - header_rows, left_out=left_out,
                    maximum=scale.maximum)
