"""Sending a run's grades to an LMS, whichever: what to send, sending it, what happened.

`plan` compares the run with the ledger: a student goes out when the LMS has never had their
grade, or the score, the comment, their LMS id, the LMS's scale or (Moodle) the release state
changed since. `send_all` sends one student at a time through a `Sender` and writes the ledger
after each one the LMS accepted. Totals go out on the LMS's own scale (`Scale`, read by
`Sender.connect`). Rate limits are retried inside the sender; a student the LMS refuses
(`RejectedError`) or whose grade the LMS's state says to leave alone (`LeftAlone`: excused,
graded by someone else, resubmitted after the download) is noted in the ledger and the run goes
on; a server error fails that student too, unless several in a row say the LMS is down, when
the run stops; a refused token stops it at once. A rerun sends exactly the students still
missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from layerwise.lms.ledger import Ledger
from layerwise.lms.retry import AuthError, LeftAlone, RateLimited, RejectedError, ServerError
from layerwise.lms.run import StudentResult, comment_hash

MAX_SERVER_ERRORS_IN_A_ROW = 3
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Scale:
    """An LMS assignment's grade maximum and the decimals it keeps."""

    maximum: float
    decimals: int = 2

    def convert(self, total: float, max_total: float | None) -> float:
        """`total` out of `max_total` (the run's), on this scale, rounded as the LMS keeps it."""
        share = total / max_total if max_total else total / 100.0
        return round(share * self.maximum, self.decimals)

    def text(self, value: float) -> str:
        """`value` as sent: no trailing zeros (``17``, ``8.5``, ``8.33``)."""
        return f"{value:.{self.decimals}f}".rstrip("0").rstrip(".") or "0"

    def same(self, a: float | None, b: float | None) -> bool:
        """Whether two grades are equal as the LMS keeps them."""
        return a is not None and b is not None and abs(a - b) < 0.5 * 10 ** -self.decimals


@dataclass
class Planned:
    """One student's grade to send."""

    student: str
    ref: str
    """The student's reference in the LMS as the run knows it (Canvas user id or
    ``anon_<id>``, Moodle participant id, group id or ``default_team``)."""
    name: str
    score: float
    comment: str
    send_comment: bool
    """False when only the score changed: Canvas would add the same comment a second time."""
    change: str
    previous_score: float | None = None
    max_total: float | None = None
    """The run's maximum: `score` out of it."""
    file: str = ""
    size: int = 0
    file_id: str = ""
    previous: dict[str, Any] | None = None
    """What the ledger says was last sent (to tell this upload's grade from a hand-made one)."""

    @property
    def comment_sha256(self) -> str:
        return comment_hash(self.comment)

    def value(self, scale: Scale) -> float:
        """The grade to send, on the LMS's scale."""
        return scale.convert(self.score, self.max_total)

    def sent_before(self) -> float | None:
        """The grade the LMS last received from this upload, on the LMS's scale."""
        if not self.previous:
            return None
        sent = self.previous.get("sent", self.previous.get("score"))
        return float(sent) if isinstance(sent, int | float) else None


@dataclass(frozen=True)
class Sent:
    """What the LMS accepted for one student."""

    user_id: str
    value: float
    text: str
    state: str = ""
    """The marking-workflow state sent (Moodle), "" when there is none."""


@dataclass
class Plan:
    to_send: list[Planned] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)


class Sender(Protocol):
    """One LMS assignment, ready to take grades."""

    scale: Scale | None
    """The assignment's scale, known once connected."""

    def connect(self) -> str:
        """Check the token and the assignment (and read its scale) before anything is sent;
        describes what it found. Raises `retry` errors."""
        ...

    def send(self, item: Planned) -> Sent:
        """Send `item` on the LMS's scale. Raises `retry` errors (`LeftAlone` when the LMS's
        state says not to, unless the sender was made with ``force``)."""
        ...


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    left_alone: list[tuple[str, str]] = field(default_factory=list)
    not_attempted: list[str] = field(default_factory=list)
    stopped: str = ""
    """Why the run stopped before the end ("" when it did not)."""

    @property
    def ok(self) -> bool:
        """Everything was sent or deliberately left alone."""
        return not self.failed and not self.not_attempted and not self.stopped


def _changes(r: StudentResult, before: dict[str, Any], label: str, scale: Scale | None,
             release: bool) -> tuple[list[str], bool]:
    """What changed since `before` was sent, and whether the comment did."""
    changes = []
    if str(before.get("ref")) != r.lms_user_id:
        changes.append(f"{label} id {before.get('ref')} → {r.lms_user_id}")
    old = before.get("score")
    if old != r.total:
        changes.append(f"score {old:g} → {r.total:g}" if isinstance(old, int | float)
                       and r.total is not None else "score")
    elif scale is not None and r.total is not None:
        was_max = before.get("lms_max") or before.get("max_total") or r.max_total
        if not isinstance(was_max, int | float):
            changes.append(f"{label} scale → out of {scale.maximum:g}")
        elif abs(was_max - scale.maximum) > TOLERANCE:
            changes.append(f"{label} scale out of {was_max:g} → {scale.maximum:g}")
    if release and before.get("state") not in ("released", "", None):
        changes.append("release")
    comment_changed = before.get("comment_sha256") != comment_hash(r.comment())
    if comment_changed:
        changes.append("comment")
    return changes, comment_changed


def plan(results: list[StudentResult], ledger: Ledger, lms: str, lms_label: str,
         graded_only: bool = False, scale: Scale | None = None, release: bool = False) -> Plan:
    """What `results` would change in the LMS, given what `ledger` says was sent (and, once
    connected, the LMS's `scale`)."""
    out = Plan()
    for r in results:
        reason = r.left_out(graded_only)
        if reason or r.total is None:
            out.left_out.append((r.student, reason or "no total"))
            continue
        if r.lms != lms or not r.lms_user_id:
            out.left_out.append((r.student, f"no {lms_label} id (not from a {lms_label} "
                                            "download)"))
            continue
        before = ledger.get(r.student)
        item = Planned(r.student, r.lms_user_id, r.name, r.total, r.comment(), True, "new",
                       max_total=r.max_total, file=r.file, size=r.size, file_id=r.lms_file_id,
                       previous=before)
        notes = ledger.notes(r.student)
        if before is None:
            if notes:
                kind, note = next(iter(notes.items()))
                item.change = f"new (last time {kind.replace('_', ' ')}: {note['reason']})"
            out.to_send.append(item)
            continue
        changes, comment_changed = _changes(r, before, lms_label, scale, release)
        if not changes:
            out.unchanged.append(r.student)
            continue
        item.send_comment = comment_changed or str(before.get("ref")) != r.lms_user_id
        item.change = ", ".join(changes)
        item.previous_score = before.get("score")
        out.to_send.append(item)
    return out


def send_all(items: list[Planned], sender: Sender, ledger: Ledger,
             report: Callable[[Planned, str], None] | None = None,
             max_server_errors: int = MAX_SERVER_ERRORS_IN_A_ROW) -> Outcome:
    """Send `items` one by one, recording each accepted one in `ledger` at once."""
    outcome = Outcome()
    in_a_row = 0

    def failed(item: Planned, verdict: str, exc: Exception) -> None:
        outcome.failed.append((item.student, str(exc)))
        if report:
            report(item, f"{verdict}: {exc}")

    for index, item in enumerate(items):
        rest: list[Planned] = []
        try:
            done = sender.send(item)
        except AuthError as exc:
            outcome.stopped, rest = f"stopped: {exc}", items[index:]
        except RateLimited as exc:
            outcome.stopped = f"stopped: still rate limited after every retry ({exc})"
            rest = items[index:]
        except ServerError as exc:
            failed(item, "failed", exc)
            in_a_row += 1
            if in_a_row >= max_server_errors:
                outcome.stopped = (f"stopped: {in_a_row} server errors in a row; "
                                   "the LMS looks down")
                rest = items[index + 1:]
        except RejectedError as exc:
            failed(item, "refused", exc)
            ledger.note(item.student, "refused", str(exc))
            in_a_row = 0
        except LeftAlone as exc:
            outcome.left_alone.append((item.student, str(exc)))
            ledger.note(item.student, "left_alone", str(exc))
            in_a_row = 0
            if report:
                report(item, f"left alone: {exc}")
        else:
            in_a_row = 0
            lms_max = sender.scale.maximum if sender.scale else None
            ledger.record(item.student, ref=item.ref, user_id=done.user_id, score=item.score,
                          max_total=item.max_total, sent=done.value, lms_max=lms_max,
                          state=done.state, comment_sha256=item.comment_sha256)
            outcome.sent.append(item.student)
            if report:
                of = f"/{lms_max:g}" if lms_max is not None else ""
                run = f" ({item.score:g}/{item.max_total:g} in the run)" if item.max_total \
                    and lms_max is not None and abs(item.max_total - lms_max) > TOLERANCE else ""
                report(item, f"sent {done.text}{of}{run}")
        if outcome.stopped:
            outcome.not_attempted = [i.student for i in rest]
            break
    return outcome
