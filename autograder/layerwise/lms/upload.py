"""Sending a run's grades to an LMS, whichever: what to send, sending it, what happened.

`plan` compares the run with the ledger: a student goes out when the LMS has never had their
grade, or the score, the comment or their LMS id changed since. `send_all` sends one student at
a time through a `Sender` and writes the ledger after each one the LMS accepted. Rate limits
are retried inside the sender; a server error fails that student and the run goes on, unless
several in a row say the LMS is down, when the run stops; a refused token stops it at once.
A rerun then sends exactly the students still missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from layerwise.lms.ledger import Ledger
from layerwise.lms.retry import AuthError, RateLimited, RejectedError, ServerError
from layerwise.lms.run import StudentResult, comment_hash

MAX_SERVER_ERRORS_IN_A_ROW = 3


@dataclass
class Planned:
    """One student's grade to send."""

    student: str
    ref: str
    """The student's id in the LMS as the run knows it (Canvas user id, Moodle participant)."""
    name: str
    score: float
    comment: str
    send_comment: bool
    """False when only the score changed: Canvas would add the same comment a second time."""
    change: str
    previous_score: float | None = None

    @property
    def comment_sha256(self) -> str:
        return comment_hash(self.comment)


@dataclass
class Plan:
    to_send: list[Planned] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)


class Sender(Protocol):
    """One LMS assignment, ready to take grades."""

    def connect(self) -> str:
        """Check the token and the assignment before anything is sent; describes what it
        found. Raises `retry` errors."""
        ...

    def send(self, item: Planned) -> str:
        """Send `item`; returns the LMS user id it went to. Raises `retry` errors."""
        ...


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    not_attempted: list[str] = field(default_factory=list)
    stopped: str = ""
    """Why the run stopped before the end ("" when it did not)."""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_attempted and not self.stopped


def plan(results: list[StudentResult], ledger: Ledger, lms: str, lms_label: str,
         graded_only: bool = False) -> Plan:
    """What `results` would change in the LMS, given what `ledger` says was sent."""
    out = Plan()
    for r in results:
        if r.total is None:
            out.left_out.append((r.student, f"no total (status {r.status})"))
            continue
        if graded_only and r.status != "graded":
            out.left_out.append((r.student, f"status {r.status}"))
            continue
        if r.lms != lms or not r.lms_user_id:
            out.left_out.append((r.student, f"no {lms_label} id (not from a {lms_label} "
                                            "download)"))
            continue
        comment = r.comment()
        sha = comment_hash(comment)
        before = ledger.get(r.student)
        if before is None:
            out.to_send.append(Planned(r.student, r.lms_user_id, r.name, r.total, comment,
                                       True, "new"))
            continue
        changes = []
        same_user = str(before.get("ref")) == r.lms_user_id
        if not same_user:
            changes.append(f"{lms_label} id {before.get('ref')} → {r.lms_user_id}")
        if before.get("score") != r.total:
            changes.append(f"score {before.get('score'):g} → {r.total:g}"
                           if isinstance(before.get("score"), int | float) else "score")
        comment_changed = before.get("comment_sha256") != sha
        if comment_changed:
            changes.append("comment")
        if not changes:
            out.unchanged.append(r.student)
            continue
        out.to_send.append(Planned(
            r.student, r.lms_user_id, r.name, r.total, comment,
            send_comment=comment_changed or not same_user, change=", ".join(changes),
            previous_score=before.get("score")))
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
            user_id = sender.send(item)
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
            in_a_row = 0
        else:
            in_a_row = 0
            ledger.record(item.student, ref=item.ref, user_id=user_id, score=item.score,
                          comment_sha256=item.comment_sha256)
            outcome.sent.append(item.student)
            if report:
                report(item, "sent")
        if outcome.stopped:
            outcome.not_attempted = [i.student for i in rest]
            break
    return outcome
