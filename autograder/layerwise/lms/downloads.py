"""From the files of a class download to one submission per student, with who they are.

Recognized layouts: Canvas "Download Submissions", Moodle "Download all submissions" and
Gradescope "Export Submissions" (see `names` and `gradescope`); any other file is a plain
notebook whose student id is its file stem. When a student has several notebooks the newest
wins (Canvas re-upload number then attachment id, Gradescope ``created_at``, else the order the
files were read in) and the kept submission's notes say so.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from layerwise.intake import Skipped, Submission, safe_id
from layerwise.lms.gradescope import METADATA_NAME, GradescopeSubmission, MetadataError
from layerwise.lms.gradescope import parse_metadata as parse_gradescope
from layerwise.lms.names import parse_canvas, parse_moodle
from layerwise.questions import ASSIGNMENT

NOTEBOOK_SUFFIX = ".ipynb"
NBGRADER_ASSIGNMENTS: tuple[str, ...] = (ASSIGNMENT, f"{ASSIGNMENT}_en")
"""The nbgrader assignments `layerwise build` writes, one per edition (Portuguese, English)."""


@dataclass
class _Who:
    """Who one file belongs to, and how new it is among that student's files."""

    student: str
    lms: str = ""
    name: str = ""
    user_id: str = ""
    late: bool = False
    rank: tuple[float, float] = (0.0, 0.0)
    basis: tuple[str, str] = ("file order", "file order")
    notes: list[str] = field(default_factory=list)


@dataclass
class _Candidate:
    who: _Who
    origin: str
    path: PurePosixPath
    content: bytes
    order: int

    def key(self) -> tuple[float, float, int]:
        return (*self.who.rank, self.order)


@dataclass
class _Export:
    container: str
    """The zip archive the metadata came from ("" for a folder on disk)."""
    root: tuple[str, ...]
    submissions: dict[str, GradescopeSubmission]


def _ascii_id(text: str) -> str:
    """`safe_id` after folding accents (``João`` → ``Joao``)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return safe_id(folded)


def _path(origin: str, name: str) -> PurePosixPath:
    """The file's path as the layouts need it: inside the zip, or on disk for a folder."""
    name = name.replace("\\", "/")
    if origin == name or origin.endswith(":" + name) or "/" in name:
        return PurePosixPath(name)
    return PurePosixPath(origin.replace("\\", "/"))


def _container(origin: str, name: str) -> str:
    """The zip archive a file was read from ("" when it was read from disk)."""
    name = name.replace("\\", "/")
    suffix = ":" + name
    return origin[:-len(suffix)] if origin.endswith(suffix) else ""


def _noise(path: PurePosixPath) -> str | None:
    """Why a file is archive or editor debris, if it is."""
    if "__MACOSX" in path.parts or path.name.startswith("._"):
        return "macOS archive metadata"
    if ".ipynb_checkpoints" in path.parts:
        return "Jupyter checkpoint copy"
    if path.name in {".DS_Store", "Thumbs.db", "desktop.ini"}:
        return "system file"
    return None


def _gradescope(container: str, path: PurePosixPath, exports: list[_Export]
                ) -> list[_Who] | None:
    for export in exports:
        n = len(export.root)
        if (export.container != container or len(path.parts) <= n + 1
                or path.parts[:n] != export.root):
            continue
        folder = path.parts[n]
        entry = export.submissions.get(folder)
        if entry is None:
            if not folder.startswith("submission_"):
                continue
            return [_Who(student=_ascii_id(folder), lms="gradescope",
                         notes=[f"Gradescope folder {folder} is not in {METADATA_NAME}"])]
        when = entry.created_at.timestamp() if entry.created_at else float("-inf")
        basis = ("Gradescope created_at", "file order")
        people = entry.submitters
        if not people:
            return [_Who(student=_ascii_id(folder), lms="gradescope", rank=(when, 0.0),
                         basis=basis, notes=[f"Gradescope {folder} lists no submitters"])]
        common = [f"submitted {entry.created_at.isoformat()} (Gradescope)"] \
            if entry.created_at else []
        if len(people) > 1:
            common.append("group submission: "
                          + ", ".join(p.name or p.sid or p.email for p in people))
        whos = []
        for person in people:
            key = person.sid or person.email or folder
            whos.append(_Who(
                student=_ascii_id(f"{person.name}_{key}" if person.name else key),
                lms="gradescope", name=person.name, user_id=person.sid or person.email,
                rank=(when, 0.0), basis=basis, notes=list(common)))
        return whos
    return None


def _recognize(container: str, path: PurePosixPath, exports: list[_Export]) -> list[_Who]:
    """Everyone a file belongs to (several for a Gradescope group submission)."""
    found = _gradescope(container, path, exports)
    if found is not None:
        return found
    moodle = parse_moodle(path)
    if moodle:
        return [_Who(student=_ascii_id(f"{moodle.full_name}_{moodle.participant_id}"),
                     lms="moodle", name=moodle.full_name, user_id=moodle.participant_id)]
    canvas = parse_canvas(path.name)
    if canvas:
        student = canvas.login if not canvas.user_id else f"{canvas.login}_{canvas.user_id}"
        notes = ["submitted late (Canvas)"] if canvas.late else []
        if not canvas.user_id:
            notes.append("anonymous grading: Canvas did not give the user id")
        return [_Who(student=_ascii_id(student), lms="canvas", name=canvas.login,
                     user_id=canvas.user_id, late=canvas.late,
                     rank=(float(canvas.resubmission), float(canvas.attachment_id)),
                     basis=("Canvas re-upload number", "Canvas attachment id"), notes=notes)]
    parts = path.parts
    if len(parts) >= 3 and parts[-2] in NBGRADER_ASSIGNMENTS and path.stem.startswith(parts[-2]):
        # nbgrader's submitted/<student>/<assignment>/<assignment>.ipynb, either edition
        return [_Who(student=safe_id(parts[-3]), lms="nbgrader", name=parts[-3])]
    return [_Who(student=safe_id(path.stem))]


def _choose(student: str, candidates: list[_Candidate], skipped: list[Skipped]) -> Submission:
    """The newest candidate, as a submission whose notes tell what was set aside."""
    ordered = sorted(candidates, key=_Candidate.key)
    kept = ordered[-1]
    who = kept.who
    notes = list(who.notes)
    if len(ordered) > 1:
        runner = ordered[-2]
        if kept.who.rank[0] != runner.who.rank[0]:
            basis = who.basis[0]
        elif kept.who.rank[1] != runner.who.rank[1]:
            basis = who.basis[1]
        else:
            basis = "file order"
        others = ", ".join(c.origin for c in ordered[:-1])
        notes.append(f"{len(ordered)} notebooks for {student}: kept {kept.origin} "
                     f"(newest by {basis}); not graded: {others}")
        for older in ordered[:-1]:
            skipped.append(Skipped(older.origin,
                                   f"older notebook of {student} (kept {kept.path.name})"))
    return Submission(student=student, content=kept.content, origin=kept.origin, name=who.name,
                      lms=who.lms, lms_user_id=who.user_id, late=who.late, notes=notes)


def identify(found: list[tuple[str, str, bytes]], skipped: list[Skipped]
             ) -> tuple[list[Submission], list[Skipped]]:
    """Turn (origin, file name, content) triples into submissions, one per student."""
    entries = [(origin, _container(origin, name), _path(origin, name), content)
               for origin, name, content in found]
    exports: list[_Export] = []
    for origin, container, path, content in entries:
        if path.name == METADATA_NAME and _noise(path) is None:
            try:
                listed = parse_gradescope(content)
            except MetadataError as exc:
                skipped.append(Skipped(origin, f"Gradescope metadata not read: {exc}"))
                listed = {}  # its submission_<id> folders still name the students
            exports.append(_Export(container, path.parent.parts, listed))
    by_student: dict[str, list[_Candidate]] = {}
    for order, (origin, container, path, content) in enumerate(entries):
        if path.name == METADATA_NAME:
            continue
        noise = _noise(path)
        if noise:
            skipped.append(Skipped(origin, noise))
            continue
        whos = _recognize(container, path, exports)
        if path.suffix.lower() != NOTEBOOK_SUFFIX:
            suffix = path.suffix.lower() or "no extension"
            owner = f" ({whos[0].lms} submission of {whos[0].student})" if whos[0].lms else ""
            skipped.append(Skipped(origin, f"not a notebook ({suffix}){owner}"))
            continue
        for who in whos:
            by_student.setdefault(who.student, []).append(
                _Candidate(who=who, origin=origin, path=path, content=content, order=order))
    submissions = [_choose(student, candidates, skipped)
                   for student, candidates in by_student.items()]
    return submissions, skipped
