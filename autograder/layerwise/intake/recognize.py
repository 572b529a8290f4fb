"""Whose a file is, from the LMS's naming alone: Canvas and Moodle file and folder names
(`names`), Gradescope's ``submission_metadata.yml`` (`gradescope`), nbgrader's
``submitted/<student>/<assignment>/``; and which files are archive or editor debris."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from layerwise.intake.entries import (
    GRADESCOPE_METADATA,
    MAX_ENTRY_BYTES,
    Entry,
    Skipped,
    UnreadableEntry,
)
from layerwise.intake.gradescope import GradescopeSubmission, MetadataError
from layerwise.intake.gradescope import parse_metadata as parse_gradescope
from layerwise.intake.names import parse_canvas, parse_moodle
from layerwise.intake.submission import safe_id
from layerwise.registry import nbgrader_assignments

LMS_LABELS = {"canvas": "Canvas", "moodle": "Moodle", "gradescope": "Gradescope",
              "nbgrader": "nbgrader"}


@dataclass
class Who:
    """Who one file belongs to, and how new the LMS says it is among that student's files."""

    key: tuple[str, ...]
    """The LMS identity: entries with equal keys are one student's."""
    student: str
    lms: str = ""
    name: str = ""
    user_id: str = ""
    late: bool = False
    file: str = ""
    file_id: str = ""
    rank: float = 0.0
    """How new the file is by the LMS's own data (`basis`); equal ranks say nothing."""
    basis: str = ""
    """The LMS data `rank` comes from ("Canvas attachment id"), "" when there is none."""
    notes: list[str] = field(default_factory=list)
    unidentified: bool = False


@dataclass
class Export:
    """One Gradescope export found in the input: where, and its metadata."""

    container: str
    """The zip archive (or the folder given) the metadata came from."""
    root: tuple[str, ...]
    submissions: dict[str, GradescopeSubmission]


def ascii_id(text: str) -> str:
    """`safe_id` after folding accents (``João`` → ``Joao``)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return safe_id(folded)


def noise(path: PurePosixPath) -> str | None:
    """Why a file is archive or editor debris, if it is."""
    if "__MACOSX" in path.parts or path.name.startswith("._"):
        return "macOS archive metadata"
    if ".ipynb_checkpoints" in path.parts:
        return "Jupyter checkpoint copy"
    if path.name in {".DS_Store", "Thumbs.db", "desktop.ini"}:
        return "system file"
    return None


def exports(entries: list[Entry], skipped: list[Skipped]) -> list[Export]:
    """The Gradescope exports among `entries` (their metadata read)."""
    found = []
    for entry in entries:
        if entry.path.name != GRADESCOPE_METADATA or noise(entry.path) is not None:
            continue
        try:
            listed = parse_gradescope(entry.read(MAX_ENTRY_BYTES))
        except (MetadataError, UnreadableEntry) as exc:
            skipped.append(Skipped(entry.origin, f"Gradescope metadata not read: {exc}"))
            listed = {}  # its submission_<id> folders still name the students
        found.append(Export(entry.container, entry.path.parent.parts, listed))
    return found


def _gradescope(entry: Entry, found: list[Export]) -> list[Who] | None:
    path = entry.path
    for export in found:
        n = len(export.root)
        if (export.container != entry.container or len(path.parts) <= n + 1
                or path.parts[:n] != export.root):
            continue
        folder = path.parts[n]
        listed = export.submissions.get(folder)
        if listed is None:
            if not folder.startswith("submission_"):
                continue
            return [Who(key=("gradescope", "folder", folder), student=ascii_id(folder),
                        lms="gradescope", file=path.name, unidentified=True,
                        notes=[f"Gradescope folder {folder} is not in {GRADESCOPE_METADATA}"])]
        when = listed.created_at.timestamp() if listed.created_at else float("-inf")
        basis = "Gradescope created_at" if listed.created_at else ""
        people = listed.submitters
        if not people:
            return [Who(key=("gradescope", "folder", folder), student=ascii_id(folder),
                        lms="gradescope", file=path.name, rank=when, basis=basis,
                        unidentified=True, notes=[f"Gradescope {folder} lists no submitters"])]
        common = [f"submitted {listed.created_at.isoformat()} (Gradescope)"] \
            if listed.created_at else []
        if len(people) > 1:
            common.append("group submission: "
                          + ", ".join(p.name or p.sid or p.email for p in people))
        whos = []
        for person in people:
            ref = person.sid or person.email or folder
            whos.append(Who(
                key=("gradescope", ref), student=ascii_id(
                    f"{person.name}_{ref}" if person.name else ref),
                lms="gradescope", name=person.name, user_id=person.sid or person.email,
                file=path.name, rank=when, basis=basis, notes=list(common)))
        return whos
    return None


def recognize(entry: Entry, found: list[Export]) -> list[Who] | None:
    """Everyone a file belongs to by its LMS's naming (several for a Gradescope group), or
    None when no layout names it."""
    gradescope = _gradescope(entry, found)
    if gradescope is not None:
        return gradescope
    path = entry.path
    moodle = parse_moodle(path)
    if moodle:
        if moodle.default_team:
            student = ascii_id(moodle.full_name)
            notes = ["Moodle team submission of the students in no group"]
        else:
            student = ascii_id(f"{moodle.full_name}_{moodle.participant_id}")
            notes = []
        return [Who(key=("moodle", moodle.full_name.casefold(), moodle.participant_id),
                    student=student, lms="moodle", name=moodle.full_name,
                    user_id=moodle.participant_id, file=PurePosixPath(moodle.file).name,
                    notes=notes)]
    canvas = parse_canvas(path.name)
    if canvas:
        notes = ["submitted late (Canvas)"] if canvas.late else []
        if not canvas.user_id:
            notes.append("anonymous grading: Canvas gave the anonymous id, not the user id")
            student = canvas.login
        else:
            student = f"{canvas.login}_{canvas.user_id}"
        return [Who(key=("canvas", canvas.ref), student=ascii_id(student), lms="canvas",
                    name=canvas.login, user_id=canvas.ref, late=canvas.late,
                    file=canvas.file, file_id=str(canvas.attachment_id),
                    rank=float(canvas.attachment_id), basis="Canvas attachment id",
                    notes=notes)]
    parts = path.parts
    if len(parts) >= 3 and parts[-2] in nbgrader_assignments() and path.stem.startswith(parts[-2]):
        # nbgrader's submitted/<student>/<assignment>/<assignment>.ipynb, for an assignment
        # `layerwise build` wrote (any edition)
        return [Who(key=("nbgrader", parts[-3]), student=safe_id(parts[-3]), lms="nbgrader",
                    name=parts[-3], file=path.name)]
    return None
