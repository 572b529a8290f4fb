"""The two scores of every pair of notebooks, side by side, and the tiers.

**Code**: fingerprints of the starter (the release notebook) are removed first, so they count
neither as shared nor in the denominator; so are fingerprints that a large share of the class
holds (`COMMON_SHARE`: idioms everyone writes). The score is the share of the smaller notebook's
remaining fingerprints that the other one holds, unit by unit (a function's fingerprints only
match the same function's). A unit with fewer than `SHORT` fingerprints (a one-line function)
counts in the score but not in `MIN_SHARED`, so it never flags a pair on its own.

**Answers**: each shared wrong bucket weighs -log(its share of the class); a named mistake (a
diagnosis of the engine or the lesson) weighs `NAMED_WEIGHT` as much, being what students
reach independently. Per question the rarest shared bucket counts; a pair is high when at
least `MIN_QUESTIONS` questions each weigh `RARE` or more.

Tiers: 1 = both signals high, 2 = one of them. Never one verdict: both scores are shown.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from layerwise.similarity.answers import Wrong

CODE_THRESHOLD = 0.5
"""Default: a pair's code is high from this score up (share of fingerprints in common)."""
MIN_SHARED = 10
"""... and with at least this many fingerprints shared outside short units."""
SHORT = 4
"""A unit with fewer fingerprints than this is too short to tell on its own."""
COMMON_SHARE = 0.25
"""Code (a fingerprint) or a wrong answer (a bucket) held by more than this share of the class
(and by at least `COMMON_MIN` notebooks) is ignored."""
COMMON_MIN = 4
RARE = math.log(5)
"""A question's shared wrong answers count toward "high" from this weight (share <= 1/5)."""
MIN_QUESTIONS = 2
NAMED_WEIGHT = 0.5


@dataclass
class Entry:
    """One notebook in the comparison: a student of this run, of an earlier run, the reference
    solution or a staff notebook."""

    id: str
    kind: str = "student"
    """student | previous | reference | staff."""
    run: str = ""
    fingerprints: dict[str, dict[int, tuple[int, int, int]]] = field(default_factory=dict)
    """Unit -> hash -> (cell, first line, last line)."""
    wrong: dict[tuple[str, str], Wrong] = field(default_factory=dict)


@dataclass
class Pair:
    a: str
    b: str
    code: float = 0.0
    shared: int = 0
    """Fingerprints in common (all units)."""
    decisive: int = 0
    """... of them in units long enough to tell."""
    units: list[str] = field(default_factory=list)
    answers: float = 0.0
    questions: dict[str, float] = field(default_factory=dict)
    """Question -> weight of the rarest wrong answer both gave."""
    cases: list[tuple[str, str, int]] = field(default_factory=list)
    """(question, case, how many notebooks gave that same wrong answer)."""
    code_high: bool = False
    answers_high: bool = False

    @property
    def tier(self) -> int:
        """1: both high; 2: either; 0: neither."""
        return 1 if self.code_high and self.answers_high else 2 if self.code_high or \
            self.answers_high else 0


def _common_limit(n: int) -> float:
    return max(COMMON_MIN, COMMON_SHARE * n)


LABELLED = ("reference", "staff")
"""Kinds compared with every student without the common-code filter: if much of the class
started from the solution, that is what the report must show, not hide as "common"."""


def kept_fingerprints(entries: list[Entry], starter: set[int], common: bool = True
                      ) -> dict[str, dict[str, set[int]]]:
    """Per entry and unit, the fingerprints that count: minus the starter's and (unless
    `common` is False) those a large share of the class holds."""
    students = [e for e in entries if e.kind == "student"]
    held = Counter(h for e in students for h in {h for u in e.fingerprints.values() for h in u})
    limit = _common_limit(len(students))
    dropped = starter | ({h for h, n in held.items() if n > limit} if common else set())
    return {e.id: {u: set(fps) - dropped for u, fps in e.fingerprints.items()}
            for e in entries}


def labelled(a: Entry, b: Entry) -> bool:
    """A pair with the reference or a staff notebook: compared without the common filter."""
    return a.kind in LABELLED or b.kind in LABELLED


def _wanted(a: Entry, b: Entry) -> bool:
    """Pairs worth scoring: at least one student of this run, never two earlier students."""
    return "student" in (a.kind, b.kind)


def score(entries: list[Entry], starter: set[int], code_threshold: float = CODE_THRESHOLD
          ) -> list[Pair]:
    """Every pair with anything in common, scored on both signals."""
    by_id = {e.id: e for e in entries}
    kept = kept_fingerprints(entries, starter)
    raw = kept_fingerprints(entries, starter, common=False)
    pairs: dict[tuple[str, str], Pair] = {}

    def pair(a: str, b: str) -> Pair:
        key = (a, b) if a < b else (b, a)
        if key not in pairs:
            pairs[key] = Pair(*key)
        return pairs[key]

    postings: dict[tuple[str, int], list[str]] = defaultdict(list)
    for i, units in kept.items():
        if by_id[i].kind not in LABELLED:
            for u, fps in units.items():
                for h in fps:
                    postings[(u, h)].append(i)
    inter: Counter[tuple[str, str, str]] = Counter()
    for (u, _), ids in postings.items():
        for a, b in combinations(sorted(ids), 2):
            if _wanted(by_id[a], by_id[b]):
                inter[(a, b, u)] += 1
    for ref in (e for e in entries if e.kind in LABELLED):
        for other in (e for e in entries if e.kind == "student"):
            a, b = sorted((ref.id, other.id))
            for u, fps in raw[ref.id].items():
                if fps & raw[other.id].get(u, set()):
                    inter[(a, b, u)] = len(fps & raw[other.id][u])
    for (a, b, u), n in inter.items():
        p = pair(a, b)
        counted = raw if labelled(by_id[a], by_id[b]) else kept
        p.shared += n
        if min(len(counted[a][u]), len(counted[b][u])) >= SHORT:
            p.decisive += n
            p.units.append(u)
    sizes = {i: sum(len(f) for f in units.values()) for i, units in kept.items()}
    raw_sizes = {i: sum(len(f) for f in units.values()) for i, units in raw.items()}
    for p in pairs.values():
        size = raw_sizes if labelled(by_id[p.a], by_id[p.b]) else sizes
        smaller = min(size[p.a], size[p.b])
        p.code = round(p.shared / smaller, 3) if smaller else 0.0
        p.code_high = p.code >= code_threshold and p.decisive >= MIN_SHARED
        p.units.sort()

    _answers(entries, by_id, pair)
    return sorted((p for p in pairs.values()), key=lambda p: (p.tier or 9, -p.code - p.answers))


def _answers(entries: list[Entry], by_id: dict[str, Entry], pair: Callable[[str, str], Pair]) -> None:
    students = [e for e in entries if e.kind == "student" and e.wrong]
    n = len([e for e in entries if e.kind == "student"])
    holders: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    named: dict[tuple[str, str, str], bool] = {}
    for e in entries:
        for (q, c), w in e.wrong.items():
            holders[(q, c, w.bucket)].append(e.id)
            named[(q, c, w.bucket)] = named.get((q, c, w.bucket), False) or bool(w.diagnosis)
    limit = _common_limit(n)
    touched: set[tuple[str, str]] = set()
    for key, ids in holders.items():
        count = sum(by_id[i].kind == "student" for i in ids)
        if len(ids) < 2 or count > limit or not students:
            continue
        weight = -math.log(max(count, 1) / max(n, 1)) * (NAMED_WEIGHT if named[key] else 1.0)
        q, c, _ = key
        for a, b in combinations(sorted(ids), 2):
            if not _wanted(by_id[a], by_id[b]):
                continue
            p = pair(a, b)
            p.questions[q] = max(p.questions.get(q, 0.0), weight)
            p.cases.append((q, c, count))
            touched.add((p.a, p.b))
    for a, b in touched:
        p = pair(a, b)
        p.answers = round(sum(p.questions.values()), 3)
        p.answers_high = sum(w >= RARE for w in p.questions.values()) >= MIN_QUESTIONS
        p.cases.sort()
