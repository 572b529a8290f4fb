"""What the intake hands on: one student's submission, read on demand, under a safe id."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from layerwise.intake.entries import Reader, UnreadableEntry
from layerwise.intake.notebook import MAX_NOTEBOOK_BYTES, InvalidNotebook


@dataclass(frozen=True)
class Choice:
    """How the notebook graded was chosen among one student's several files."""

    kept: str
    """The origin of the notebook graded."""
    why: str
    candidates: tuple[tuple[str, str], ...]
    """Every one of the student's notebooks (origin, what was found in it), the kept one
    first."""

    def as_dict(self) -> dict[str, Any]:
        return {"kept": self.kept, "why": self.why,
                "candidates": [{"origin": o, "found": f} for o, f in self.candidates]}


@dataclass
class Submission:
    """One student's notebook (read when asked for), with who they are."""

    student: str
    origin: str
    name: str = ""
    lms: str = ""
    lms_user_id: str = ""
    """The LMS's reference for the student: Canvas user id or ``anon_<id>``, Moodle
    participant id, team group id or ``default_team``, Gradescope sid or email."""
    late: bool = False
    notes: list[str] = field(default_factory=list)
    file: str = ""
    """The notebook's file name as the student uploaded it."""
    size: int = 0
    """Its size in bytes, from the archive or the disk."""
    lms_file_id: str = ""
    """The LMS's id of that file (Canvas attachment id), to notice a resubmission."""
    unidentified: bool = False
    """True when the LMS download's name for this entry could not be read: graded under a
    unique id made from its path, and reported."""
    choice: Choice | None = field(default=None, repr=False, compare=False)
    """Set when the student handed in several notebooks: which one is graded, and why."""
    source: Reader | None = field(default=None, repr=False, compare=False)

    @property
    def content(self) -> bytes:
        """The notebook's bytes (at most one more than `MAX_NOTEBOOK_BYTES`), read now."""
        if self.source is None:
            return b""
        try:
            return self.source(MAX_NOTEBOOK_BYTES + 1)
        except UnreadableEntry as exc:
            raise InvalidNotebook(str(exc)) from exc

    def identity(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("source", "choice")}


RUN_FILE_SUFFIXES = (".json", ".csv", ".html", ".part", ".txt", ".log", ".zip", ".npz")
"""A student folder must never take the name of a file of the run folder (run.json, grades.csv,
index.html...): ids ending like one get their last dot replaced."""


def safe_id(text: str) -> str:
    """A student id usable as a folder name, never the name of one of the run's own files."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._")[:80].strip("._")
    if cleaned.lower().endswith(RUN_FILE_SUFFIXES):
        head, _, tail = cleaned.rpartition(".")
        cleaned = f"{head}_{tail}"
    return cleaned or "student"
