"""What a run folder keeps for similarity, and where.

    RUN/<student>/code.json               the notebook's code cells, written at grading time
    RUN/similarity/fingerprints.json      every notebook's fingerprints (written by
                                          `layerwise similarity`; a later term's run reads it)

Why the code is kept at grading time rather than read back from the submission path that
grading.json records: that path is often a zip member or an LMS download folder that is gone by
the time someone looks at similarity, and the side-by-side page needs the code text, not only
fingerprints. The cells are the ones graded (already read, upgraded from nbformat 3, otter's
check cells blanked), a few kilobytes per student, next to the student's other grader-side
files; nothing in a student folder is sent to an LMS but results.json and feedback.html.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from layerwise.report.runfolder import write_json
from layerwise.similarity.code import units
from layerwise.similarity.winnow import WINDOW, K, fingerprints

CODE_FILE = "code.json"
FOLDER = "similarity"
FINGERPRINTS_FILE = "fingerprints.json"
VERSION = 1
"""Of the token normalization and winnowing: fingerprints of another version are recomputed."""

Fingerprints = dict[str, list[list[int]]]
"""Unit -> [hash, cell, first line, last line] of each fingerprint."""


def encodable(cells: Iterable[str]) -> list[str]:
    """Cells as UTF-8 can hold them: a notebook's JSON may carry lone surrogates (`\\ud800`),
    which no file, page or parser takes; each becomes `?`."""
    return [c.encode("utf-8", "replace").decode("utf-8") for c in cells]


def keep_code(folder: Path, cells: list[str]) -> None:
    """At grading time: the notebook's code cells, for similarity (called by `grade.run`)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / CODE_FILE, {"cells": encodable(cells)})


def read_code(folder: Path, origin: str = "") -> list[str] | None:
    """A student's code cells: code.json, else the notebook at `origin` when it is still there
    (runs graded before code.json existed); None when neither is readable."""
    try:
        data = json.loads((folder / CODE_FILE).read_text(encoding="utf-8"))
        cells = data.get("cells") if isinstance(data, dict) else None
        if isinstance(cells, list) and all(isinstance(c, str) for c in cells):
            return encodable(cells)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        pass
    path = Path(origin) if origin else None
    if path is not None and path.suffix == ".ipynb" and path.is_file():
        from layerwise.intake.notebook import InvalidNotebook, read_notebook

        try:
            return encodable(read_notebook(path.read_bytes()).cells)
        except (InvalidNotebook, OSError):
            return None
    return None


def notebook_fingerprints(cells: Iterable[str], graded: Iterable[str]) -> Fingerprints:
    """Each unit's fingerprints with the lines they cover."""
    out: Fingerprints = {}
    for name, unit in units(cells, graded).items():
        rows = []
        for h, pos in fingerprints(unit.tokens):
            span = unit.where[pos:pos + K]
            cell = span[0][0]
            lines = [line for c, line in span if c == cell]
            rows.append([h, cell, min(lines), max(lines)])
        out[name] = rows
    return out


def write_fingerprints(run_dir: Path, assignment: str, seed: Any,
                       entries: dict[str, Fingerprints]) -> Path:
    folder = run_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FINGERPRINTS_FILE
    write_json(path, {"version": VERSION, "k": K, "window": WINDOW, "assignment": assignment,
                      "seed": seed, "students": entries})
    return path


def read_fingerprints(run_dir: Path) -> dict[str, Fingerprints] | None:
    """A run's stored fingerprints, or None when absent or of another version."""
    try:
        data = json.loads((run_dir / FOLDER / FINGERPRINTS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or (data.get("version"), data.get("k"), data.get("window")) \
            != (VERSION, K, WINDOW) or not isinstance(data.get("students"), dict):
        return None
    students: dict[str, Fingerprints] = data["students"]
    return students
