"""From the entries of a class download to one submission per student, with who they are.

Recognized layouts: Canvas "Download Submissions" (individual, anonymous, groups), Moodle
"Download all submissions" (3.x and 4.x, in folders and flat, blind marking, teams) and
Gradescope "Export Submissions" (see `recognize`), and nbgrader's
``submitted/<student>/<assignment>/``. Two notebooks are one student's only when the LMS
identity says so; `choose` then picks the one graded and says why. A notebook with no LMS
identity is a student of its own: its file stem, or, when other folders hold a notebook of the
same name, its folder. One inside an LMS download whose name the LMS did not write is graded the
same way, flagged `unidentified`, and reported. Every student id is unique (compared without
case).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from layerwise.intake.choose import Candidate, choose
from layerwise.intake.entries import GRADESCOPE_METADATA, NOTEBOOK_SUFFIX, Entry, Skipped
from layerwise.intake.recognize import LMS_LABELS, Who, exports, noise, recognize
from layerwise.intake.submission import Submission, safe_id


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


def identify(entries: list[Entry], skipped: list[Skipped], assignment: str | None = None
             ) -> tuple[list[Submission], list[Skipped]]:
    """Turn the input's entries into submissions, one per student (LMS identity); among one
    student's notebooks, the one that names `assignment` (None: any) wins."""
    found = exports(entries, skipped)
    by_key: dict[tuple[str, ...], list[Candidate]] = {}
    plain: list[tuple[int, Entry]] = []
    lms_in: dict[str, set[str]] = defaultdict(set)
    for order, entry in enumerate(entries):
        if entry.path.name == GRADESCOPE_METADATA:
            continue
        debris = noise(entry.path)
        if debris:
            skipped.append(Skipped(entry.origin, debris))
            continue
        whos = recognize(entry, found)
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
            by_key.setdefault(who.key, []).append(Candidate(who, entry, order))
    notebooks_in: dict[tuple[str, PurePosixPath], int] = defaultdict(int)
    for _, entry in plain:
        notebooks_in[(entry.container, entry.path.parent)] += 1
    ids = _plain_ids([e for _, e in plain], notebooks_in)
    for order, entry in plain:
        who = Who(key=("file", entry.origin), student=ids[entry.origin], file=entry.path.name)
        known = sorted(lms_in.get(entry.container, set()) - {"nbgrader"})
        if known:
            label = "/".join(LMS_LABELS.get(k, k) for k in known)
            who.unidentified = True
            who.notes.append(f"identity not read: {entry.origin} is in a {label} download but "
                             f"{label} did not name it; graded as {who.student}")
        elif who.student != safe_id(entry.path.stem):
            who.notes.append(f"other folders also hold {entry.path.name}: graded as "
                             f"{who.student}, apart from them")
        by_key[who.key] = [Candidate(who, entry, order)]
    return _submissions(by_key, skipped, assignment), skipped


def _submissions(by_key: dict[tuple[str, ...], list[Candidate]], skipped: list[Skipped],
                 assignment: str | None) -> list[Submission]:
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
        kept, choice = choose(candidates, student, assignment, skipped)
        notes = list(kept.who.notes)
        if choice is not None:
            notes.append(f"{len(candidates)} notebooks for {student}: graded {choice.kept} "
                         f"({choice.why})")
        if student != wanted:
            notes.append(f"another submission is graded as {wanted}: this one is {student}")
        who = kept.who
        out.append(Submission(
            student=student, origin=kept.entry.origin, name=who.name, lms=who.lms,
            lms_user_id=who.user_id, late=who.late, notes=notes, file=who.file,
            size=kept.entry.size, lms_file_id=who.file_id, unidentified=who.unidentified,
            choice=choice, source=kept.entry.read))
    return out
