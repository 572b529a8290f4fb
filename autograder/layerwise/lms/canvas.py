"""Grades and comments to one Canvas assignment, through canvasapi.

``GET /api/v1/courses/:course`` and ``…/assignments/:id`` once (checking the token and the
ids), then per student ``GET …/submissions/:user_id`` and ``PUT …/submissions/:user_id`` with
``submission[posted_grade]`` and, when it changed, ``comment[text_comment]`` (Canvas adds a
new comment on every PUT that carries one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from canvasapi import Canvas
from canvasapi import exceptions as cx

from layerwise.lms.retry import (
    AuthError,
    Backoff,
    LMSError,
    RateLimited,
    RejectedError,
    ServerError,
    with_retry,
)
from layerwise.lms.upload import Planned

T = TypeVar("T")
TOKEN_ENV = "CANVAS_TOKEN"
DEFAULT_URL = "https://canvas.instructure.com"
REQUEST_TIMEOUT = 60.0


def target(url: str, course: str, assignment: str) -> str:
    """The ledger's name for one Canvas assignment."""
    return f"{url.rstrip('/')}/courses/{course}/assignments/{assignment}"


def _status(exc: Exception) -> int | None:
    match = re.search(r"status code (\d{3})", str(exc))
    return int(match[1]) if match else None


def translate(exc: Exception) -> LMSError:
    """A canvasapi or requests error as one of the `retry` kinds."""
    text = str(exc)
    if isinstance(exc, cx.InvalidAccessToken | cx.Unauthorized):
        return AuthError(f"Canvas refused the token (401): check {TOKEN_ENV}")
    if isinstance(exc, cx.RateLimitExceeded):
        return RateLimited("Canvas: rate limit exceeded (429)")
    if isinstance(exc, cx.Forbidden):
        if "rate limit exceeded" in text.lower():
            return RateLimited("Canvas: 403 Rate Limit Exceeded")
        return RejectedError(f"Canvas: forbidden (403): {text[:200]}")
    if isinstance(exc, cx.ResourceDoesNotExist):
        return RejectedError("Canvas: not found (404)")
    if isinstance(exc, requests.RequestException):
        return ServerError(f"could not reach Canvas: {type(exc).__name__}")
    status = _status(exc)
    if status is not None and status >= 500:
        return ServerError(f"Canvas server error ({status})")
    return RejectedError(f"Canvas: {text[:200]}")


def _with_timeout(canvas: Any, seconds: float) -> None:
    """canvasapi sends without a timeout; give its requests session one."""
    requester = getattr(canvas, "_Canvas__requester", None)
    session = getattr(requester, "_session", None)
    if session is None:  # pragma: no cover - canvasapi internals changed
        return
    plain = session.request

    def request(method: str, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", seconds)
        return plain(method, url, **kwargs)

    session.request = request


class CanvasSender:
    """One Canvas assignment, ready to take grades."""

    def __init__(self, url: str, token: str, course_id: str, assignment_id: str,
                 backoff: Backoff | None = None, timeout: float = REQUEST_TIMEOUT) -> None:
        self.backoff = backoff or Backoff()
        self.course_id = course_id
        self.assignment_id = assignment_id
        self.canvas = Canvas(url.rstrip("/"), token)
        _with_timeout(self.canvas, timeout)
        self.assignment: Any = None

    def _call(self, fn: Callable[[], T]) -> T:
        def once() -> T:
            try:
                return fn()
            except (cx.CanvasException, requests.RequestException) as exc:
                raise translate(exc) from exc

        return with_retry(once, self.backoff)

    def connect(self) -> str:
        """Check the token and find the assignment, before anything is sent."""
        course = self._call(lambda: self.canvas.get_course(self.course_id))
        self.assignment = self._call(lambda: course.get_assignment(self.assignment_id))
        return f"assignment {getattr(self.assignment, 'name', self.assignment_id)!r}"

    def send(self, item: Planned) -> str:
        if self.assignment is None:
            self.connect()
        submission = self._call(lambda: self.assignment.get_submission(item.ref))
        kwargs: dict[str, Any] = {"submission": {"posted_grade": f"{item.score:g}"}}
        if item.send_comment and item.comment:
            kwargs["comment"] = {"text_comment": item.comment}
        self._call(lambda: submission.edit(**kwargs))
        return item.ref
