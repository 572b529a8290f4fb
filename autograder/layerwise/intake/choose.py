"""Which of one student's notebooks is graded, and why, in words the TA can check.

A notebook that can be read and names the assignment wins over one that can be read but names
none (or another), which wins over one that cannot be read. Among equals, the newest by the
LMS's own data wins (Canvas attachment id, Gradescope ``created_at``); only then is one called
"older". When the LMS says nothing (Moodle, plain folders), the last in the download's order is
kept and every candidate is listed with what was found in it. Notebooks are read only when a
student has several; one the LMS calls older than a good one is never read.
"""

from __future__ import annotations

from dataclasses import dataclass

from layerwise.intake.entries import Entry, Skipped, UnreadableEntry
from layerwise.intake.notebook import MAX_NOTEBOOK_BYTES, InvalidNotebook, read_notebook
from layerwise.intake.recognize import LMS_LABELS, Who
from layerwise.intake.submission import Choice

NAMED, READABLE, BROKEN = 2, 1, 0
"""How usable a notebook is, best first."""


@dataclass
class Candidate:
    """One of a student's files, with its place in the input."""

    who: Who
    entry: Entry
    order: int


@dataclass(frozen=True)
class Verdict:
    level: int
    found: str
    """What the notebook is, in a few words ("a notebook of <assignment>")."""


def judge(entry: Entry, wanted: str | None) -> Verdict:
    """Read one notebook and say how usable it is for the assignment `wanted` (None: any)."""
    try:
        notebook = read_notebook(entry.read(MAX_NOTEBOOK_BYTES + 1))
    except (InvalidNotebook, UnreadableEntry) as exc:
        return Verdict(BROKEN, f"cannot be read ({exc})")
    named = notebook.assignment
    if named and (wanted is None or named == wanted):
        return Verdict(NAMED, f"a notebook of {named}")
    if named:
        return Verdict(READABLE, f"a notebook of {named}, not of {wanted}")
    return Verdict(READABLE, "a notebook that names no assignment")


def _judged(candidates: list[Candidate], wanted: str | None
            ) -> tuple[Candidate, dict[int, Verdict]]:
    """The best candidate and the verdicts read (by index into `candidates`): in the LMS's
    order, newest first; once one names the assignment, those the LMS calls older are left
    unread."""
    verdicts: dict[int, Verdict] = {}
    best: int | None = None
    for index in sorted(range(len(candidates)), reverse=True,
                        key=lambda i: (candidates[i].who.rank, candidates[i].order)):
        if (best is not None and verdicts[best].level == NAMED
                and candidates[index].who.rank < candidates[best].who.rank):
            continue
        verdicts[index] = judge(candidates[index].entry, wanted)
        if best is None or verdicts[index].level > verdicts[best].level:
            best = index
    assert best is not None
    return candidates[best], verdicts


def choose(candidates: list[Candidate], student: str, wanted: str | None,
           skipped: list[Skipped]) -> tuple[Candidate, Choice | None]:
    """The candidate to grade; with several, the choice explained and the others set aside
    (in `skipped`, each with its reason)."""
    if len(candidates) == 1:
        return candidates[0], None
    kept, verdicts = _judged(candidates, wanted)
    mine = verdicts[candidates.index(kept)]
    label = LMS_LABELS.get(kept.who.lms, kept.who.lms) or "nothing"
    basis = kept.who.basis
    listed = [(kept.entry.origin, mine.found)]
    ties = False
    for index, other in enumerate(candidates):
        if other is kept:
            continue
        verdict = verdicts.get(index)
        if verdict is None:
            listed.append((other.entry.origin, f"not read: older by {basis}"))
            reason = f"older notebook of {student} by {basis} (kept {kept.entry.path.name})"
        elif verdict.level < mine.level:
            listed.append((other.entry.origin, verdict.found))
            reason = (f"not graded: {verdict.found}; {student}'s {kept.entry.path.name} is "
                      f"{mine.found} and was graded instead")
        elif other.who.rank < kept.who.rank:
            listed.append((other.entry.origin, verdict.found))
            reason = f"older notebook of {student} by {basis} (kept {kept.entry.path.name})"
        else:
            ties = True
            listed.append((other.entry.origin, verdict.found))
            reason = (f"not graded: {student} handed in several notebooks and {label} does not "
                      f"say which is newer; {kept.entry.path.name} was graded (the last in the "
                      "download's order)")
        skipped.append(Skipped(other.entry.origin, reason))
    if ties:
        why = (f"{mine.found}; {label} does not say which of {student}'s notebooks is newer: "
               "the last in the download's order was graded")
    elif any(i not in verdicts or verdicts[i].level == mine.level
             for i, c in enumerate(candidates) if c is not kept):
        why = f"{mine.found}, the newest by {basis}"
    else:
        why = f"the only one that is {mine.found}"
    return kept, Choice(kept.entry.origin, why, tuple(listed))
