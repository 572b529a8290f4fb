"""Grades and comments to one Canvas assignment, through canvasapi.

`connect`: ``GET /api/v1/courses/:course`` and ``…/assignments/:id`` once, checking the token
and the ids and reading the scale (``points_possible``; ``grading_type`` must take points),
whether grades are moderated and not yet published (then Canvas refuses every grade) and
whether it is a group assignment graded as a group. Per student: ``GET …/submissions/:user_id``
(``…/anonymous_submissions/:anonymous_id`` under anonymous grading, which canvasapi has no
method for), then ``PUT`` the same path with ``submission[posted_grade]`` on the assignment's
scale and, when it changed, ``comment[text_comment]`` (Canvas adds a new comment on every PUT
that carries one), sent to the whole group with ``comment[group_comment]`` in a group
assignment (the grade reaches every member by itself).

Left alone unless ``force`` (app/controllers/submissions_api_controller.rb): an excused
submission (a grade would un-excuse it), one resubmitted after the download (the graded
attachment is no longer the submission's, or ``grade_matches_current_submission`` is false)
and one graded by someone else (a score this upload did not send).

Refusals (lib/authentication_methods.rb ``render_json_unauthorized``): a 401 *with*
``WWW-Authenticate`` is a bad token and stops the upload; a 401 without it ("user not
authorized to perform that action": the student is not assigned this assignment, or the
grades are moderated), 403, 404 and 400 refuse that one student.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from canvasapi import Canvas
from canvasapi import exceptions as cx
from canvasapi.util import combine_kwargs

from layerwise.intake.names import ANONYMOUS_PREFIX
from layerwise.lms.retry import (
    AuthError,
    Backoff,
    LeftAlone,
    LMSError,
    RateLimited,
    RejectedError,
    ServerError,
    with_retry,
)
from layerwise.lms.upload import Planned, Scale, Sent

T = TypeVar("T")
TOKEN_ENV = "CANVAS_TOKEN"
DEFAULT_URL = "https://canvas.instructure.com"
REQUEST_TIMEOUT = 60.0
POINTS_GRADING = {"points", "percent", "letter_grade", "gpa_scale"}
"""Grading types whose ``posted_grade`` takes a number of points."""


def target(url: str, course: str, assignment: str) -> str:
    """The ledger's name for one Canvas assignment."""
    return f"{url.rstrip('/')}/courses/{course}/assignments/{assignment}"


def _status(exc: Exception) -> int | None:
    match = re.search(r"status code (\d{3})", str(exc))
    return int(match[1]) if match else None


def _message(exc: Exception) -> str:
    """Canvas's own words from an error body (``{"errors": [{"message": …}]}``)."""
    text = str(exc)
    found = re.findall(r"'message': '([^']*)'|\"message\":\s*\"([^\"]*)\"", text)
    words = "; ".join(a or b for a, b in found)
    return (words or text)[:200]


def translate(exc: Exception) -> LMSError:
    """A canvasapi or requests error as one of the `retry` kinds."""
    text = str(exc)
    if isinstance(exc, cx.InvalidAccessToken):
        return AuthError(f"Canvas refused the token (401): check {TOKEN_ENV}")
    if isinstance(exc, cx.Unauthorized):
        return RejectedError(f"Canvas: not authorized for this student (401: {_message(exc)}); "
                             "not assigned to them, or grades are moderated")
    if isinstance(exc, cx.RateLimitExceeded):
        return RateLimited("Canvas: rate limit exceeded (429)")
    if isinstance(exc, cx.Forbidden):
        if "rate limit exceeded" in text.lower():
            return RateLimited("Canvas: 403 Rate Limit Exceeded")
        return RejectedError(f"Canvas: forbidden (403): {_message(exc)}")
    if isinstance(exc, cx.ResourceDoesNotExist):
        return RejectedError("Canvas: not found (404)")
    if isinstance(exc, cx.BadRequest):
        return RejectedError(f"Canvas refused the grade (400): {_message(exc)}")
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


def scale_of(assignment: Any) -> Scale:
    """The assignment's points scale, or why grades cannot be sent to it as points."""
    kind = str(getattr(assignment, "grading_type", "points") or "points")
    points = getattr(assignment, "points_possible", None)
    name = getattr(assignment, "name", "")
    if kind not in POINTS_GRADING:
        raise RejectedError(f"Canvas assignment {name!r} is graded {kind!r}, not on points: "
                            "set 'Display grade as' to points, percentage, letter grade or GPA")
    if not isinstance(points, int | float) or points <= 0:
        raise RejectedError(f"Canvas assignment {name!r} is worth {points} points: give it "
                            "points possible first")
    return Scale(float(points))


def _submission_facts(sub: Any) -> dict[str, Any]:
    """The parts of a submission's JSON the leave-alone rules read."""
    sub = sub if isinstance(sub, dict) else {}
    ids = {str(a.get("id")) for a in sub.get("attachments") or [] if isinstance(a, dict)}
    return {"excused": bool(sub.get("excused")), "score": sub.get("score"),
            "matches": sub.get("grade_matches_current_submission"), "attachments": ids,
            "user_id": sub.get("user_id")}


class CanvasSender:
    """One Canvas assignment, ready to take grades."""

    def __init__(self, url: str, token: str, course_id: str, assignment_id: str,
                 backoff: Backoff | None = None, timeout: float = REQUEST_TIMEOUT,
                 force: bool = False) -> None:
        self.backoff = backoff or Backoff()
        self.course_id = course_id
        self.assignment_id = assignment_id
        self.force = force
        self.canvas = Canvas(url.rstrip("/"), token)
        _with_timeout(self.canvas, timeout)
        self.assignment: Any = None
        self.scale: Scale | None = None
        self.group = False

    def _call(self, fn: Callable[[], T]) -> T:
        def once() -> T:
            try:
                return fn()
            except (cx.CanvasException, requests.RequestException) as exc:
                raise translate(exc) from exc

        return with_retry(once, self.backoff)

    def connect(self) -> str:
        """Check the token, find the assignment and read its scale, before anything is sent."""
        course = self._call(lambda: self.canvas.get_course(self.course_id))
        self.assignment = self._call(lambda: course.get_assignment(self.assignment_id))
        a = self.assignment
        if getattr(a, "moderated_grading", False) and not getattr(a, "grades_published", True):
            raise RejectedError("Canvas: the assignment is moderated and its grades are not "
                                "published: Canvas refuses final grades until the moderator "
                                "publishes them")
        self.scale = scale_of(a)
        self.group = bool(getattr(a, "group_category_id", None)) and not bool(
            getattr(a, "grade_group_students_individually", False))
        kind = ", group assignment (comments to the whole group)" if self.group else ""
        return (f"assignment {getattr(a, 'name', self.assignment_id)!r}, out of "
                f"{self.scale.maximum:g} points{kind}")

    def _path(self, ref: str) -> str:
        base = f"courses/{self.course_id}/assignments/{self.assignment_id}"
        if ref.startswith(ANONYMOUS_PREFIX):
            return f"{base}/anonymous_submissions/{ref[len(ANONYMOUS_PREFIX):]}"
        return f"{base}/submissions/{ref}"

    def _check(self, item: Planned, facts: dict[str, Any], scale: Scale) -> None:
        """Raise `LeftAlone` when Canvas's state says not to overwrite this grade."""
        if facts["excused"]:
            raise LeftAlone("excused in Canvas: a grade would un-excuse it")
        if item.file_id and facts["attachments"] and item.file_id not in facts["attachments"]:
            raise LeftAlone(f"resubmitted after the download: the graded file "
                            f"(attachment {item.file_id}) is no longer the submission's")
        if facts["matches"] is False:
            raise LeftAlone("resubmitted since it was last graded in Canvas")
        score = facts["score"]
        if isinstance(score, int | float) and not scale.same(float(score), item.sent_before()):
            raise LeftAlone(f"already graded in Canvas ({score:g}), not by this upload")

    def send(self, item: Planned) -> Sent:
        if self.assignment is None or self.scale is None:
            self.connect()
        assert self.scale is not None
        requester = self.assignment._requester
        path = self._path(item.ref)
        response = self._call(lambda: requester.request("GET", path))
        facts = _submission_facts(response.json())
        if not self.force:
            self._check(item, facts, self.scale)
        value = item.value(self.scale)
        text = self.scale.text(value)
        form: dict[str, Any] = {"submission": {"posted_grade": text}}
        if item.send_comment and item.comment:
            form["comment"] = {"text_comment": item.comment}
            if self.group:
                form["comment"]["group_comment"] = "true"
        self._call(lambda: requester.request("PUT", path, _kwargs=combine_kwargs(**form)))
        return Sent(str(facts["user_id"] or item.ref), value, text)
