"""How an LMS call fails, and waiting out rate limits with exponential back-off.

Clients translate their errors into the kinds below; the upload loop decides from the kind
alone: retry (`RateLimited`), skip the student (`ServerError`, `RejectedError`, `LeftAlone`)
or stop (`AuthError`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from layerwise.errors import LayerwiseError

T = TypeVar("T")


class LMSError(LayerwiseError):
    """Any failure talking to an LMS."""


class RateLimited(LMSError):
    """The LMS asked us to slow down (HTTP 429, or Canvas's 403 "Rate Limit Exceeded")."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerError(LMSError):
    """The LMS failed (HTTP 5xx) or could not be reached: this request was not applied."""


class RejectedError(LMSError):
    """The LMS refused this one request (unknown user, bad value): the others may go on."""


class LeftAlone(LMSError):
    """The LMS's own state says not to overwrite this student (excused, graded by someone
    else, resubmitted after the download); ``--force`` sends anyway."""


class AuthError(LMSError):
    """The token was refused or lacks the rights: nothing more can be sent."""


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off: ``base * factor**n`` seconds, at most ``cap``, ``attempts`` tries."""

    attempts: int = 6
    base: float = 2.0
    factor: float = 2.0
    cap: float = 60.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number `attempt` (0-based)."""
        if retry_after is not None and retry_after >= 0:
            return min(self.cap, retry_after)
        return min(self.cap, self.base * self.factor ** attempt)


def parse_retry_after(value: str | None) -> float | None:
    """The seconds of a Retry-After header (the HTTP-date form is ignored)."""
    try:
        return float(value) if value else None
    except ValueError:
        return None


def with_retry(call: Callable[[], T], backoff: Backoff,
               on_wait: Callable[[float, int], None] | None = None) -> T:
    """`call()`, tried again after a wait each time it is rate limited; the last
    `RateLimited` propagates once the attempts are used up."""
    attempt = 0
    while True:
        try:
            return call()
        except RateLimited as exc:
            attempt += 1
            if attempt >= backoff.attempts:
                raise
            wait = backoff.delay(attempt - 1, exc.retry_after)
            if on_wait:
                on_wait(wait, attempt)
            backoff.sleep(wait)
