"""The answer signal's raw material: each wrong output of a student, as a bucket.

A bucket is a short stable digest of what the student's function gave on one case: arrays by
shape and by their values at the grading tolerance (4 significant digits, |x| <= atol as 0),
errors by type and normalized message (addresses, Keras' numbered names and tracebacks
dropped). Two students land in the same bucket when their wrong answers would be judged equal.

At grading time `digests` keeps one per failing case in the student's grading.json
(`answers`); a run graded before that falls back to the record's own text of the given value
(shape and a few values), a coarser bucket.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from layerwise.compare.base import ATOL

DROPPED_KEYS = frozenset({"traceback", "warnings"})
"""Record fields that say where, not what (line numbers, file names)."""
STARTER = frozenset({"function_missing", "not_implemented"})
"""Engine diagnoses of what the starter notebook itself gives: never a shared mistake."""
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_NUMBERED = re.compile(r"\b(\w+?)_\d+\b")


@dataclass(frozen=True)
class Wrong:
    """One wrong output: its bucket, the engine's diagnosis if named, and its text."""

    bucket: str
    diagnosis: str | None
    given: str


def normal_text(text: str) -> str:
    text = _NUMBERED.sub(r"\1_#", _ADDRESS.sub("0x#", text))
    return " ".join(text.split())


def _array(a: np.ndarray, h: Any) -> None:
    h.update(f"a{a.shape}{a.dtype.kind}".encode())
    if a.dtype.kind not in "biuf":
        h.update(normal_text(str(a.tolist())).encode())
        return
    v = a.astype(np.float64).ravel()
    finite, small = np.isfinite(v), np.abs(v) <= ATOL
    ok = finite & ~small
    safe = np.where(ok, np.abs(v), 1.0)
    e = np.floor(np.log10(safe))
    m = np.round(np.where(ok, v, 0.0) / 10.0 ** (e - 3))
    special = np.where(np.isnan(v), 3, np.where(np.isposinf(v), 1, np.where(np.isneginf(v), 2, 0)))
    h.update(np.stack([m, np.where(ok, e, 0), special]).astype(np.int64).tobytes())


def _feed(value: Any, h: Any) -> None:
    if isinstance(value, np.ndarray):
        _array(value, h)
    elif isinstance(value, Mapping):
        for key in sorted(map(str, value)):
            if key not in DROPPED_KEYS:
                h.update(f"k{key}:".encode())
                _feed(value[key], h)
    elif isinstance(value, list | tuple):
        h.update(f"l{len(value)}[".encode())
        for item in value:
            _feed(item, h)
        h.update(b"]")
    elif isinstance(value, bool) or value is None:
        h.update(f"c{value}".encode())
    elif isinstance(value, int | float | np.number):
        _array(np.asarray([value]), h)
    else:
        h.update(("s" + normal_text(str(value))).encode())


def bucket_of(question: str, case: str, record: Any) -> str:
    """The bucket of one harvested record (a student's output on one case)."""
    h = hashlib.blake2b(f"{question}\0{case}\0".encode(), digest_size=8)
    _feed(record, h)
    return h.hexdigest()


def digests(questions: Iterable[Any], harvest: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """At grading time: question -> case -> bucket, for each failing case with an output
    (`compare.QuestionResult`s and the student's harvest)."""
    records = harvest.get("questions") or {}
    out: dict[str, dict[str, str]] = {}
    for q in questions:
        for c in q.cases:
            record = (records.get(q.id) or {}).get(c.case)
            if c.passed or not record or record.get("missing") or c.diagnosis in STARTER:
                continue
            try:
                out.setdefault(q.id, {})[c.case] = bucket_of(q.id, c.case, record)
            except (ValueError, TypeError, OverflowError, RecursionError):
                continue  # a record the digest cannot read costs this signal, never the grade
    return out


def wrong_answers(record: Mapping[str, Any]) -> dict[tuple[str, str], Wrong]:
    """(question, case) -> the wrong output of one graded student's grading.json."""
    if record.get("status") != "graded":
        return {}
    kept = record.get("answers") if isinstance(record.get("answers"), dict) else None
    out: dict[tuple[str, str], Wrong] = {}
    for q in record.get("questions", []):
        for c in q.get("case_results", []):
            if c.get("passed") or c.get("diagnosis") in STARTER:
                continue
            given = str(c.get("given", ""))
            if kept is not None:
                bucket = (kept.get(q["id"]) or {}).get(c["case"])
                if not isinstance(bucket, str):
                    continue
            else:
                bucket = hashlib.blake2b(
                    f"{q['id']}\0{c['case']}\0{c.get('layer')}\0{normal_text(given)}".encode(),
                    digest_size=8).hexdigest()
            out[(q["id"], c["case"])] = Wrong(bucket, c.get("diagnosis"), given)
    return out
