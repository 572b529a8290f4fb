"""A finished run folder read back as one result per student: what goes to an LMS (a view of
`report.runfolder.GradingRecord`, the one record, flattened for the gradebooks)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layerwise.report.runfolder import GradingRecord, RunFolderError, read_finished_run
from layerwise.status import Status

__all__ = ["RunFolderError", "StudentResult", "comment_hash", "load_results"]


@dataclass
class StudentResult:
    """One student's grade and feedback, and who they are in the LMS."""

    student: str
    status: str
    total: float | None
    max_total: float | None
    name: str = ""
    lms: str = ""
    lms_user_id: str = ""
    late: bool = False
    language: str = "pt"
    summary: dict[str, str] = field(default_factory=dict)
    message: str = ""
    questions: dict[str, float] = field(default_factory=dict)
    file: str = ""
    """The graded notebook's name and size as the LMS had it, and its LMS file id (Canvas
    attachment): to notice a resubmission made after the download."""
    size: int = 0
    lms_file_id: str = ""
    assignment: str = ""
    """The assignment graded (its registered name)."""

    def left_out(self, graded_only: bool) -> str | None:
        """Why this result must not reach the LMS, or None: no total; a grader bug (never a
        student's grade); with `graded_only`, any status but graded."""
        if self.total is None:
            return f"no total (status {self.status})"
        if self.status == Status.grader_error:
            return "the grader failed on this notebook: fix the kit and rerun, it is regraded"
        if graded_only and self.status != Status.graded:
            return f"status {self.status}"
        return None

    def comment(self, lang: str | None = None) -> str:
        """The feedback comment, in `lang` (default: the notebook's language)."""
        text = self.summary.get(lang or self.language) or self.summary.get("en") or self.summary.get(
            "pt") or ""
        if not text and self.total is not None:
            text = f"{self.total:g}/{self.max_total:g}" if self.max_total else f"{self.total:g}"
        return text.strip()


def comment_hash(text: str) -> str:
    """What the ledger keeps of a comment."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _from_record(record: GradingRecord) -> StudentResult:
    """The LMS's view of a checked record (`runfolder.read_record`: the fields it requires are
    there and typed); the identity's LMS fields are optional."""
    who = record["identity"]
    return StudentResult(
        student=record["student"] or str(who.get("student") or ""),
        status=record["status"], total=float(record["total"]),
        max_total=float(record["max_total"]),
        name=str(who.get("name") or ""), lms=str(who.get("lms") or ""),
        lms_user_id=str(who.get("lms_user_id") or ""), late=bool(who.get("late")),
        language=record["language"] or "pt",
        summary={str(k): str(v) for k, v in record["summary"].items()},
        message=record["message"],
        questions={q["id"]: float(q["score"]) for q in record["questions"]},
        file=str(who.get("file") or ""), size=int(_number(who.get("size")) or 0),
        lms_file_id=str(who.get("lms_file_id") or ""),
        assignment=str(record.get("assignment") or ""))


def load_results(run_dir: Path) -> list[StudentResult]:
    """Every student of the run, sorted by id (from the run folder's one reader)."""
    return [_from_record(record) for record in read_finished_run(run_dir)]
