"""Where a submission's files live under the data folder, written atomically."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

NOTEBOOK = "notebook.ipynb"
RECORD = "grading.json"
FULL = "feedback.html"
"""The feedback page with every case's details."""
PUBLIC = "feedback-public.html"
"""The same page with hidden cases' details withheld (until the release policy shows them)."""
GRADER_ERROR = "grader_error.txt"


def folder_of(course_assignment: int, submission: int) -> str:
    """A submission's folder, relative to the data folder."""
    return f"submissions/{course_assignment}/{submission}"


def put(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` atomically and durably (a reader never sees half a file; a
    receipt is given only once the bytes are on disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with open(tmp, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def put_json(path: Path, value: Any) -> None:
    put(path, json.dumps(value, indent=1, ensure_ascii=False, default=str))


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def remove(data: Path, folder: str) -> None:
    """Delete a submission's folder (privacy: a student's data erased)."""
    target = (data / folder).resolve()
    if data.resolve() in target.parents:
        shutil.rmtree(target, ignore_errors=True)
