"""What was sent to an LMS, per student, so a rerun sends only what changed.

``RUN_DIR/.ledger-<lms>.json``::

    {"version": 1, "lms": "canvas",
     "targets": {"https://canvas.example.edu/courses/7/assignments/42": {
         "alice_12345": {"ref": "12345", "user_id": "12345", "score": 85.0, "max_total": 100,
                         "sent": 17.0, "lms_max": 20.0, "state": "",
                         "comment_sha256": "…", "sent_at": "2025-01-31T10:00:00+00:00"},
         "bruno_12346": {"refused": {"reason": "…", "at": "…"}}}}}

``score``/``max_total`` are the run's total, ``sent``/``lms_max`` what the LMS received and on
which scale, ``state`` the marking-workflow state sent (Moodle). A target is one LMS
assignment, so uploading the same run to another assignment starts clean. The file is
rewritten (atomically) after every student the LMS accepted, and only then: it holds exactly
what was sent, whatever stops the run. A student the LMS refused, or whose grade was left
alone, gets a ``refused`` or ``left_alone`` note next to what was last sent (if anything).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from layerwise.errors import LayerwiseError


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class LedgerError(LayerwiseError):
    """The ledger cannot be trusted (unreadable) or is in use by another upload."""


def ledger_path(run_dir: Path, lms: str) -> Path:
    return run_dir / f".ledger-{lms}.json"


class Ledger:
    """One LMS's ledger in a run folder, seen for one target (assignment)."""

    def __init__(self, path: Path, lms: str, target: str) -> None:
        self.path = path
        self.lms = lms
        self.target = target
        self._data: dict[str, Any] = {}
        self.load()

    def load(self) -> None:
        """(Re)read the file; a missing file is an empty ledger."""
        self._data = {"version": 1, "lms": self.lms, "targets": {}}
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LedgerError(f"{self.path} is unreadable ({exc}); move it away only if you "
                              "know what was sent") from exc
        if not isinstance(data, dict) or not isinstance(data.get("targets"), dict):
            raise LedgerError(f"{self.path} is not a layerwise ledger")
        self._data = data

    @property
    def students(self) -> dict[str, dict[str, Any]]:
        return self._data["targets"].setdefault(self.target, {})

    def get(self, student: str) -> dict[str, Any] | None:
        """What was last sent for `student` to this target (None if nothing ever was)."""
        entry = self.students.get(student)
        return entry if entry and "score" in entry else None

    def notes(self, student: str) -> dict[str, Any]:
        """The ``refused`` / ``left_alone`` notes of the last upload that did not send."""
        entry = self.students.get(student) or {}
        return {k: entry[k] for k in ("refused", "left_alone") if k in entry}

    def record(self, student: str, *, ref: str, user_id: str, score: float,
               comment_sha256: str, max_total: float | None = None,
               sent: float | None = None, lms_max: float | None = None,
               state: str = "") -> None:
        """Note that the LMS accepted `sent` (out of `lms_max`; the run's `score`) and the
        comment for `student`, and save."""
        self.students[student] = {"ref": ref, "user_id": user_id, "score": score,
                                  "max_total": max_total, "sent": sent, "lms_max": lms_max,
                                  "state": state, "comment_sha256": comment_sha256,
                                  "sent_at": _now()}
        self.save()

    def note(self, student: str, kind: str, reason: str) -> None:
        """Note why nothing was sent for `student` (``refused`` or ``left_alone``), keeping
        what was sent before, and save."""
        entry = self.students.setdefault(student, {})
        entry.pop("refused", None)
        entry.pop("left_alone", None)
        entry[kind] = {"reason": reason, "at": _now()}
        self.save()

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + ".part")
        tmp.write_text(json.dumps(self._data, indent=1, ensure_ascii=False, sort_keys=True),
                       encoding="utf-8")
        os.replace(tmp, self.path)

    @contextlib.contextmanager
    def locked(self) -> Iterator[Ledger]:
        """Hold the ledger for one upload (re-read once held): a second upload of the same run
        at the same time fails instead of sending twice."""
        lock = self.path.with_name(self.path.name + ".lock")
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            yield self
            return
        with open(lock, "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                raise LedgerError(f"another upload is using {self.path}") from exc
            try:
                self.load()
                yield self
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
