"""Grades and feedback comments to one Moodle assignment, through its REST web services.

Every call is a POST to ``/webservice/rest/server.php`` with ``wstoken`` (in the body, never
the URL), ``wsfunction`` and ``moodlewsrestformat=json``. Moodle reports most errors as HTTP 200
with ``{"exception": …, "errorcode": …}``.

A Moodle download names students by *participant id*, not user id, and
``mod_assign_save_grade`` wants the user id, so `connect` lists the assignment's participants
(``mod_assign_list_participants``) and each student is found by that list's full name (or
``Participant <id>`` under blind marking). A name that matches no one, or several people, is
refused for that student, never guessed.
"""

from __future__ import annotations

import html
import unicodedata
from typing import Any

import requests

from layerwise.lms.retry import (
    AuthError,
    Backoff,
    RateLimited,
    RejectedError,
    ServerError,
    parse_retry_after,
    with_retry,
)
from layerwise.lms.upload import Planned

TOKEN_ENV = "MOODLE_TOKEN"
ENDPOINT = "/webservice/rest/server.php"
REQUEST_TIMEOUT = 60.0
AUTH_ERRORS = {"invalidtoken", "accessexception", "invalidlogin", "requireloginerror",
               "servicenotavailable", "usernotfullysetup", "restoredaccountresetpassword",
               "sitemaintenance", "nopermissions", "requirecapability"}
FORMAT_HTML = 1


def target(url: str, assignment: str) -> str:
    """The ledger's name for one Moodle assignment."""
    return f"{url.rstrip('/')}/mod/assign/{assignment}"


def _key(name: str) -> str:
    """A full name compared without case, accents or extra spaces."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.casefold().split())


def as_html(text: str) -> str:
    """Plain feedback text as the HTML the comments editor holds."""
    return html.escape(text).replace("\n", "<br>\n")


class MoodleSender:
    """One Moodle assignment, ready to take grades."""

    def __init__(self, url: str, token: str, assignment_id: str,
                 backoff: Backoff | None = None, session: requests.Session | None = None,
                 timeout: float = REQUEST_TIMEOUT) -> None:
        self.endpoint = url.rstrip("/") + ENDPOINT
        self._token = token
        self.assignment_id = assignment_id
        self.backoff = backoff or Backoff()
        self.session = session or requests.Session()
        self.timeout = timeout
        self.users: dict[str, list[str]] | None = None

    def _post(self, function: str, params: dict[str, Any]) -> Any:
        data = {"wstoken": self._token, "wsfunction": function, "moodlewsrestformat": "json",
                **params}
        try:
            response = self.session.post(self.endpoint, data=data, timeout=self.timeout)
        except requests.RequestException as exc:
            raise ServerError(f"could not reach Moodle: {type(exc).__name__}") from exc
        status, text = response.status_code, response.text
        if status == 429 or (status == 403 and "rate limit" in text.lower()):
            raise RateLimited(f"Moodle: rate limited ({status})",
                              parse_retry_after(response.headers.get("Retry-After")))
        if status in (401, 403):
            raise AuthError(f"Moodle refused the token ({status}): check {TOKEN_ENV}")
        if status >= 500:
            raise ServerError(f"Moodle server error ({status})")
        if status >= 400:
            raise RejectedError(f"Moodle: HTTP {status}")
        try:
            body = response.json() if text.strip() else None
        except ValueError as exc:
            raise ServerError("Moodle answered something that is not JSON") from exc
        if isinstance(body, dict) and "exception" in body:
            code = str(body.get("errorcode") or "")
            message = f"Moodle {function}: {body.get('message') or code}"
            if code in AUTH_ERRORS:
                raise AuthError(f"{message} (check {TOKEN_ENV} and the service's functions)")
            raise RejectedError(message)
        return body

    def call(self, function: str, params: dict[str, Any]) -> Any:
        """One web-service call, rate limits waited out."""
        return with_retry(lambda: self._post(function, params), self.backoff)

    def connect(self) -> str:
        """Check the token and learn the assignment's participants."""
        people = self.call("mod_assign_list_participants", {
            "assignid": self.assignment_id, "groupid": 0, "filter": ""})
        if not isinstance(people, list):
            raise RejectedError("Moodle: mod_assign_list_participants gave no list")
        self.users = {}
        for person in people:
            if isinstance(person, dict) and "id" in person:
                key = _key(str(person.get("fullname") or ""))
                self.users.setdefault(key, []).append(str(person["id"]))
        return f"{len(people)} participants"

    def user_id(self, item: Planned) -> str:
        """The Moodle user id of the student `item` is for."""
        if self.users is None:
            self.connect()
        assert self.users is not None
        for key in (_key(f"Participant {item.ref}"), _key(item.name)):
            found = self.users.get(key, [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise RejectedError(f"{len(found)} Moodle participants are named "
                                    f"{item.name!r}; grade them by hand")
        raise RejectedError(f"no participant of this assignment is named {item.name!r} "
                            f"(participant {item.ref})")

    def send(self, item: Planned) -> str:
        user = self.user_id(item)
        self.call("mod_assign_save_grade", {
            "assignmentid": self.assignment_id, "userid": user, "grade": f"{item.score:g}",
            "attemptnumber": -1, "addattempt": 0, "workflowstate": "graded", "applytoall": 0,
            "plugindata[assignfeedbackcomments_editor][text]": as_html(item.comment),
            "plugindata[assignfeedbackcomments_editor][format]": FORMAT_HTML,
        })
        return user
