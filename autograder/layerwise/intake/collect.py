"""The intake's entry point: paths in, one submission per student out, and what was found.

What matters is decided from names and sizes alone (``stat``, the zip's central directory):
only notebooks and Gradescope's ``submission_metadata.yml`` are ever read, a notebook when it is
graded or when it must be told apart from a sibling of the same student (`choose`), and never
more than `MAX_NOTEBOOK_BYTES` + 1 of it. Identity (student id, and LMS name, id and late flag
where an LMS layout is recognized) travels with each submission into every output.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from layerwise.intake.entries import NOTEBOOK_SUFFIX, Entry, IntakeError, Skipped, path_entries
from layerwise.intake.identify import identify
from layerwise.intake.submission import Submission


def collect(paths: list[Path], assignment: str | None = None
            ) -> tuple[list[Submission], list[Skipped]]:
    """Every notebook under `paths`, one submission per student; among one student's
    notebooks, one that names `assignment` (None: any) is preferred. A path that cannot be
    graded at all is an `IntakeError`."""
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for path in paths:
        entries += path_entries(path, skipped, seen)
    return identify(entries, skipped, assignment)


def nothing_to_grade(paths: list[Path], skipped: list[Skipped]) -> IntakeError:
    """The error for paths that hold no notebook at all, saying what they hold instead."""
    found = Counter(Path(s.origin.rpartition(":")[2]).suffix.lower() or "no extension"
                    for s in skipped)
    held = ", ".join(f"{n} {suffix}" for suffix, n in found.most_common(5))
    where = ", ".join(map(str, paths))
    detail = f" (found only: {held})" if held else " (no files at all)"
    return IntakeError(f"no notebooks ({NOTEBOOK_SUFFIX}) in {where}{detail}: pass the "
                       "students' notebooks, or the folder or zip the LMS exported")


def summarize(submissions: list[Submission], skipped: list[Skipped]) -> dict[str, Any]:
    """What the intake found: students per LMS, entries graded under a made-up id, how the
    notebook was chosen for students with several, skips."""
    by_lms = Counter(s.lms or "plain files" for s in submissions)
    chosen = sum(len(s.choice.candidates) - 1 for s in submissions if s.choice)
    return {"students": len(submissions), "by_lms": dict(sorted(by_lms.items())),
            "unidentified": sorted(s.origin for s in submissions if s.unidentified),
            "set_aside": chosen,
            "choices": {s.student: s.choice.as_dict() for s in submissions if s.choice},
            "skipped": len(skipped)}


def describe(summary: dict[str, Any]) -> str:
    """The intake summary for the terminal: one line, then one per student with several
    notebooks."""
    by_lms = ", ".join(f"{name} {n}" for name, n in summary.get("by_lms", {}).items())
    text = f"intake: {summary.get('students', 0)} students ({by_lms or 'none'})"
    if summary.get("set_aside"):
        text += f"; {summary['set_aside']} other notebooks of the same students set aside"
    if summary.get("skipped"):
        text += f"; {summary['skipped']} files skipped (listed above)"
    unidentified = summary.get("unidentified") or []
    if unidentified:
        text += (f"; {len(unidentified)} graded under an id made from the path (the LMS name "
                 "was not readable): " + ", ".join(unidentified))
    for student, choice in (summary.get("choices") or {}).items():
        listed = "; ".join(f"{c['origin']}: {c['found']}" for c in choice["candidates"])
        text += f"\n  {student}: graded {choice['kept']} ({choice['why']}). Candidates: {listed}"
    return text
