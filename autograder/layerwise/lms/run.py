"""A finished run folder read back as one result per student: what goes to an LMS."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUESTION_IDS = ("kernel_layout", "dense_size", "sequential_model", "functional_model",
                "layer_outputs", "param_count")


class RunFolderError(ValueError):
    """The folder is not a grading run."""


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

    def comment(self) -> str:
        """The feedback comment, in the notebook's language."""
        text = self.summary.get(self.language) or self.summary.get("en") or self.summary.get(
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


def _from_json(data: dict[str, Any]) -> StudentResult:
    who = data.get("identity") or {}
    summary = data.get("summary") or {}
    return StudentResult(
        student=str(data.get("student") or who.get("student") or ""),
        status=str(data.get("status") or ""),
        total=_number(data.get("total")), max_total=_number(data.get("max_total")),
        name=str(who.get("name") or ""), lms=str(who.get("lms") or ""),
        lms_user_id=str(who.get("lms_user_id") or ""), late=bool(who.get("late")),
        language=str(data.get("language") or "pt"),
        summary={str(k): str(v) for k, v in summary.items()} if isinstance(summary, dict) else {},
        message=str(data.get("message") or ""),
        questions={str(q.get("id")): float(q.get("score") or 0.0)
                   for q in data.get("questions") or [] if isinstance(q, dict)},
        file=str(who.get("file") or ""), size=int(_number(who.get("size")) or 0),
        lms_file_id=str(who.get("lms_file_id") or ""))


def _from_row(row: dict[str, str]) -> StudentResult:
    return StudentResult(
        student=row.get("student", ""), status=row.get("status", ""),
        total=_number(row.get("total")), max_total=_number(row.get("max_total")),
        questions={q: v for q in QUESTION_IDS if (v := _number(row.get(q))) is not None})


def load_results(run_dir: Path) -> list[StudentResult]:
    """Every student of the run, sorted by id: grading.json where there is one, else the
    grades.csv row."""
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir} is not a folder")
    results: dict[str, StudentResult] = {}
    for path in sorted(run_dir.glob("*/grading.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise RunFolderError(f"{path} is unreadable: {exc}") from exc
        result = _from_json(data)
        result.student = result.student or path.parent.name
        results[result.student] = result
    table = run_dir / "grades.csv"
    if table.is_file():
        with open(table, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("student") and row["student"] not in results:
                    results[row["student"]] = _from_row(row)
    if not results:
        raise RunFolderError(f"{run_dir} holds no grades.csv nor */grading.json: "
                             "not a grading run folder")
    return [results[k] for k in sorted(results)]
