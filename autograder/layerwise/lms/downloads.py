"""From the entries of a class download to one submission per student, with who they are.

Recognized layouts: Canvas "Download Submissions" (individual, anonymous, groups), Moodle
"Download all submissions" (3.x and 4.x, in folders and flat, blind marking, teams) and
Gradescope "Export Submissions" (see `names` and `gradescope`), and nbgrader's
``submitted/<student>/<assignment>/``. Two notebooks are one student's only when the LMS
identity says so; the newest then wins (Canvas attachment id, Gradescope ``created_at``, else
the order the files were read in) and the kept submission's notes say so. A notebook with no
LMS identity is a student of its own: its file stem, or, when other folders hold a notebook of
the same name, its folder. One inside an LMS download whose name the LMS did not write is
graded the same way, flagged `unidentified`, and reported. Every student id is unique (compared
without case). Only the kept notebooks are ever read.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from layerwise.intake import (
    GRADESCOPE_METADATA,
    MAX_ENTRY_BYTES,
    NOTEBOOK_SUFFIX,
    Entry,
    Skipped,
    Submission,
    UnreadableEntry,
    safe_id,
)
from layerwise.lms.gradescope import GradescopeSubmission, MetadataError
from layerwise.lms.gradescope import parse_metadata as parse_gradescope
from layerwise.lms.names import parse_canvas, parse_moodle
from layerwise.registry import nbgrader_assignments

LMS_LABELS = {"canvas": "Canvas", "moodle": "Moodle", "gradescope": "Gradescope",
              "nbgrader": "nbgrader"}


@dataclass
class _Who:
    """Who one file belongs to, and how new it is among that student's files."""

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
    basis: str = "file order"
    notes: list[str] = field(default_factory=list)
    unidentified: bool = False


@dataclass
class _Candidate:
    who: _Who
    entry: Entry
    order: int


@dataclass
class _Export:
    container: str
    """The zip archive (or the folder given) the metadata came from."""
    root: tuple[str, ...]
    submissions: dict[str, GradescopeSubmission]


def _ascii_id(text: str) -> str:
    """`safe_id` after folding accents (``João`` → ``Joao``)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return safe_id(folded)


def _noise(path: PurePosixPath) -> str | None:
    """Why a file is archive or editor debris, if it is."""
    if "__MACOSX" in path.parts or path.name.startswith("._"):
        return "macOS archive metadata"
    if ".ipynb_checkpoints" in path.parts:
        return "Jupyter checkpoint copy"
    if path.name in {".DS_Store", "Thumbs.db", "desktop.ini"}:
        return "system file"
    return None


def _gradescope(entry: Entry, exports: list[_Export]) -> list[_Who] | None:
    path = entry.path
    for export in exports:
        n = len(export.root)
        if (export.container != entry.container or len(path.parts) <= n + 1
                or path.parts[:n] != export.root):
            continue
        folder = path.parts[n]
        listed = export.submissions.get(folder)
        if listed is None:
            if not folder.startswith("submission_"):
                continue
            return [_Who(key=("gradescope", "folder", folder), student=_ascii_id(folder),
                         lms="gradescope", file=path.name, unidentified=True,
                         notes=[f"Gradescope folder {folder} is not in {GRADESCOPE_METADATA}"])]
        when = listed.created_at.timestamp() if listed.created_at else float("-inf")
        people = listed.submitters
        if not people:
            return [_Who(key=("gradescope", "folder", folder), student=_ascii_id(folder),
                         lms="gradescope", file=path.name, rank=when,
                         basis="Gradescope created_at", unidentified=True,
                         notes=[f"Gradescope {folder} lists no submitters"])]
        common = [f"submitted {listed.created_at.isoformat()} (Gradescope)"] \
            if listed.created_at else []
        if len(people) > 1:
            common.append("group submission: "
                          + ", ".join(p.name or p.sid or p.email for p in people))
        whos = []
        for person in people:
            ref = person.sid or person.email or folder
            whos.append(_Who(
                key=("gradescope", ref), student=_ascii_id(
                    f"{person.name}_{ref}" if person.name else ref),
                lms="gradescope", name=person.name, user_id=person.sid or person.email,
                file=path.name, rank=when, basis="Gradescope created_at", notes=list(common)))
        return whos
    return None


def _recognize(entry: Entry, exports: list[_Export]) -> list[_Who] | None:
    """Everyone a file belongs to by its LMS's naming (several for a Gradescope group), or
    None when no layout names it."""
    found = _gradescope(entry, exports)
    if found is not None:
        return found
    path = entry.path
    moodle = parse_moodle(path)
    if moodle:
        if moodle.default_team:
            student = _ascii_id(moodle.full_name)
            notes = ["Moodle team submission of the students in no group"]
        else:
            student = _ascii_id(f"{moodle.full_name}_{moodle.participant_id}")
            notes = []
        return [_Who(key=("moodle", moodle.full_name.casefold(), moodle.participant_id),
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
        return [_Who(key=("canvas", canvas.ref), student=_ascii_id(student), lms="canvas",
                     name=canvas.login, user_id=canvas.ref, late=canvas.late,
                     file=canvas.file, file_id=str(canvas.attachment_id),
                     rank=float(canvas.attachment_id), basis="Canvas attachment id",
                     notes=notes)]
    parts = path.parts
    if len(parts) >= 3 and parts[-2] in nbgrader_assignments() and path.stem.startswith(parts[-2]):
        # nbgrader's submitted/<student>/<assignment>/<assignment>.ipynb, for an assignment
        # `layerwise build` wrote (any edition)
        return [_Who(key=("nbgrader", parts[-3]), student=safe_id(parts[-3]), lms="nbgrader",
                     name=parts[-3], file=path.name)]
    return None


def _plain_ids(entries: list[Entry], notebooks_in: dict[tuple[str, PurePosixPath], int]
               ) -> dict[str, str]:
    """Origin → id for notebooks without LMS identity: the stem, unless another folder holds a
    notebook of the same stem; then the folder (when it holds only that notebook) or
    ``<folder>_<stem>``, with as many parent folders as it takes to tell them apart."""
    by_stem: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_stem[safe_id(entry.path.stem).casefold()].append(entry)
    ids: dict[str, str] = {}
    for group in by_stem.values():
        if len(group) == 1:
            ids[group[0].origin] = safe_id(group[0].path.stem)
            continue
        # one notebook per folder (a folder per student): the folders are the students
        alone = all(notebooks_in[(e.container, e.path.parent)] == 1 and e.path.parent.parts
                    for e in group)
        depth = 1
        while True:
            labels = {}
            for entry in group:
                parents = entry.path.parent.parts[-depth:]
                words = [*parents] if alone else [*parents, entry.path.stem]
                labels[entry.origin] = safe_id("_".join(words))
            distinct = len({v.casefold() for v in labels.values()}) == len(labels)
            deepest = max(len(e.path.parent.parts) for e in group)
            if distinct or depth >= deepest:
                ids.update(labels)
                break
            depth += 1
    return ids


def _choose(candidates: list[_Candidate], skipped: list[Skipped], student: str
            ) -> tuple[_Candidate, list[str]]:
    """The newest candidate, and notes telling what was set aside."""
    ordered = sorted(candidates, key=lambda c: (c.who.rank, c.order))
    kept = ordered[-1]
    notes = list(kept.who.notes)
    if len(ordered) > 1:
        runner = ordered[-2]
        basis = kept.who.basis if kept.who.rank != runner.who.rank else "file order"
        others = ", ".join(c.entry.origin for c in ordered[:-1])
        notes.append(f"{len(ordered)} notebooks for {student}: kept {kept.entry.origin} "
                     f"(newest by {basis}); not graded: {others}")
        for older in ordered[:-1]:
            skipped.append(Skipped(older.entry.origin,
                                   f"older notebook of {student} (kept {kept.entry.path.name})"))
    return kept, notes


def _metadata(entries: list[Entry], skipped: list[Skipped]) -> list[_Export]:
    exports = []
    for entry in entries:
        if entry.path.name != GRADESCOPE_METADATA or _noise(entry.path) is not None:
            continue
        try:
            listed = parse_gradescope(entry.read(MAX_ENTRY_BYTES))
        except (MetadataError, UnreadableEntry) as exc:
            skipped.append(Skipped(entry.origin, f"Gradescope metadata not read: {exc}"))
            listed = {}  # its submission_<id> folders still name the students
        exports.append(_Export(entry.container, entry.path.parent.parts, listed))
    return exports


def identify(entries: list[Entry], skipped: list[Skipped]
             ) -> tuple[list[Submission], list[Skipped]]:
    """Turn the input's entries into submissions, one per student (LMS identity)."""
    exports = _metadata(entries, skipped)
    by_key: dict[tuple[str, ...], list[_Candidate]] = {}
    plain: list[tuple[int, Entry]] = []
    lms_in: dict[str, set[str]] = defaultdict(set)
    for order, entry in enumerate(entries):
        if entry.path.name == GRADESCOPE_METADATA:
            continue
        noise = _noise(entry.path)
        if noise:
            skipped.append(Skipped(entry.origin, noise))
            continue
        whos = _recognize(entry, exports)
        if entry.path.suffix.lower() != NOTEBOOK_SUFFIX:
            suffix = entry.path.suffix.lower() or "no extension"
            owner = f" ({whos[0].lms} submission of {whos[0].student})" if whos else ""
            skipped.append(Skipped(entry.origin, f"not a notebook ({suffix}){owner}"))
            continue
        if whos is None:
            plain.append((order, entry))
            continue
        lms_in[entry.container].add(whos[0].lms)
        for who in whos:
            by_key.setdefault(who.key, []).append(_Candidate(who, entry, order))
    notebooks_in: dict[tuple[str, PurePosixPath], int] = defaultdict(int)
    for _, entry in plain:
        notebooks_in[(entry.container, entry.path.parent)] += 1
    ids = _plain_ids([e for _, e in plain], notebooks_in)
    for order, entry in plain:
        who = _Who(key=("file", entry.origin), student=ids[entry.origin], file=entry.path.name)
        known = sorted(lms_in.get(entry.container, set()) - {"nbgrader"})
        if known:
            label = "/".join(LMS_LABELS.get(k, k) for k in known)
            who.unidentified = True
            who.notes.append(f"identity not read: {entry.origin} is in a {label} download but "
                             f"{label} did not name it; graded as {who.student}")
        elif who.student != safe_id(entry.path.stem):
            who.notes.append(f"other folders also hold {entry.path.name}: graded as "
                             f"{who.student}, apart from them")
        by_key[who.key] = [_Candidate(who, entry, order)]
    return _submissions(by_key, skipped), skipped


def _submissions(by_key: dict[tuple[str, ...], list[_Candidate]], skipped: list[Skipped]
                 ) -> list[Submission]:
    """One submission per identity, in reading order, each under a unique id."""
    taken: set[str] = set()
    out = []
    for candidates in sorted(by_key.values(), key=lambda cs: min(c.order for c in cs)):
        wanted = candidates[0].who.student
        student, n = wanted, 1
        while student.casefold() in taken:
            n += 1
            student = f"{wanted}_{n}"
        taken.add(student.casefold())
        kept, notes = _choose(candidates, skipped, student)
        if student != wanted:
            notes.append(f"another submission is graded as {wanted}: this one is {student}")
        who = kept.who
        out.append(Submission(
            student=student, origin=kept.entry.origin, name=who.name, lms=who.lms,
            lms_user_id=who.user_id, late=who.late, notes=notes, file=who.file,
            size=kept.entry.size, lms_file_id=who.file_id, unidentified=who.unidentified,
            source=kept.entry.read))
    return out
