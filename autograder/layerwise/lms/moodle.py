"""Grades and feedback comments to one Moodle assignment, through its REST web services.

Every call is a POST to ``/webservice/rest/server.php`` with ``wstoken`` (in the body, never
the URL), ``wsfunction`` and ``moodlewsrestformat=json``. Moodle reports most errors as HTTP 200
with ``{"exception": …, "errorcode": …}``.

`connect` reads the assignment (``mod_assign_get_assignments``: the maximum grade, a scale when
negative; team submissions; marking workflow), its participants
(``mod_assign_list_participants``), its current grades (``mod_assign_get_grades``) and its
submissions' files (``mod_assign_get_submissions``, optional). A download names students by
*participant id*, not user id, and ``mod_assign_save_grade`` wants the user id, so each student
is found by the participants' full name (``Participant <id>`` under blind marking); a name that
matches no one, or several people, is refused for that student, never guessed. A team
(``<group>_<groupid>``, or the default team of students in no group) is graded through one of
its members with ``applytoall``, which Moodle applies to every member.

``mod_assign_save_grade`` answers ``null`` even when it drops the grade (``assign::update_grade``
returns false for a grade above the maximum, off the scale, or an invalid marking-workflow
state), so every save is read back with ``mod_assign_get_grades``. Marking workflow states are
``notmarked, inmarking, readyforreview, inreview, readyforrelease, released``: grades go out as
``readyforreview`` (marking done), or ``released`` with ``release``; none without a workflow.

Left alone unless ``force``: a student graded by someone else (a grade this upload did not
send) and one who resubmitted after the download (the graded file, by name and size, is no
longer in the submission).
"""

from __future__ import annotations

import html
import unicodedata
from typing import Any

import requests

from layerwise.intake.names import DEFAULT_TEAM
from layerwise.lms.retry import (
    AuthError,
    Backoff,
    LeftAlone,
    LMSError,
    RateLimited,
    RejectedError,
    ServerError,
    parse_retry_after,
    with_retry,
)
from layerwise.lms.upload import Planned, Scale, Sent

TOKEN_ENV = "MOODLE_TOKEN"
ENDPOINT = "/webservice/rest/server.php"
REQUEST_TIMEOUT = 60.0
AUTH_ERRORS = {"invalidtoken", "accessexception", "invalidlogin", "requireloginerror",
               "servicenotavailable", "usernotfullysetup", "restoredaccountresetpassword",
               "sitemaintenance", "nopermissions", "requirecapability"}
FORMAT_HTML = 1
MARKED = "readyforreview"
RELEASED = "released"
NOT_GRADED = -1.0
"""What ``assign_grades.grade`` holds until someone grades."""


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


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class MoodleSender:
    """One Moodle assignment, ready to take grades."""

    def __init__(self, url: str, token: str, assignment_id: str,
                 backoff: Backoff | None = None, session: requests.Session | None = None,
                 timeout: float = REQUEST_TIMEOUT, force: bool = False, release: bool = False,
                 course_id: str = "") -> None:
        self.endpoint = url.rstrip("/") + ENDPOINT
        self._token = token
        self.assignment_id = assignment_id
        self.course_id = course_id
        self.backoff = backoff or Backoff()
        self.session = session or requests.Session()
        self.timeout = timeout
        self.force = force
        self.release = release
        self.scale: Scale | None = None
        self.team = False
        self.workflow = False
        self.users: dict[str, list[str]] | None = None
        self.groups: dict[str, list[str]] = {}
        self.grades: dict[str, float] = {}
        self.files: dict[str, set[tuple[str, int]]] | None = None
        self.since = 0
        """The latest grade modification time seen (the server's clock): read-backs ask only
        for grades modified since."""

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

    # -- connect ----------------------------------------------------------------------------
    def _assignment(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.course_id:
            params = {"courseids[0]": self.course_id, "includenotenrolledcourses": 1}
        body = self.call("mod_assign_get_assignments", params)
        for course in (body or {}).get("courses") or []:
            for assignment in course.get("assignments") or []:
                if str(assignment.get("id")) == str(self.assignment_id):
                    return dict(assignment)
        where = f"course {self.course_id}" if self.course_id else "the courses you are " \
            "enrolled in (pass --course for another)"
        raise RejectedError(f"Moodle: assignment {self.assignment_id} is not among the "
                            f"assignments of {where}")

    def _read_grades(self, since: int = 0) -> dict[str, float]:
        body = self.call("mod_assign_get_grades", {"assignmentids[0]": self.assignment_id,
                                                   "since": since})
        found: dict[str, float] = {}
        for assignment in (body or {}).get("assignments") or []:
            for grade in assignment.get("grades") or []:
                value = _number(grade.get("grade"))
                if value is None:
                    continue
                found[str(grade.get("userid"))] = value
                self.since = max(self.since, int(_number(grade.get("timemodified")) or 0))
        return found

    def _read_files(self) -> dict[str, set[tuple[str, int]]]:
        """User id (``group:<id>`` for a team) → the (name, size) of its latest files."""
        body = self.call("mod_assign_get_submissions", {"assignmentids[0]": self.assignment_id})
        files: dict[str, set[tuple[str, int]]] = {}
        for assignment in (body or {}).get("assignments") or []:
            for sub in assignment.get("submissions") or []:
                owner = (f"group:{sub.get('groupid')}" if self.team
                         else str(sub.get("userid")))
                found = files.setdefault(owner, set())
                for plugin in sub.get("plugins") or []:
                    for area in plugin.get("fileareas") or []:
                        for f in area.get("files") or []:
                            found.add((str(f.get("filename")), int(f.get("filesize") or 0)))
        return files

    def connect(self) -> str:
        """Check the token, read the assignment's scale, participants, grades and files."""
        info = self._assignment()
        maximum = _number(info.get("grade")) or 0.0
        name = info.get("name") or self.assignment_id
        if maximum < 0:
            raise RejectedError(f"Moodle assignment {name!r} is graded on a scale (scale "
                                f"{-maximum:g}): layerwise sends points; use 'Point' grading")
        if maximum == 0:
            raise RejectedError(f"Moodle assignment {name!r} has no grade (type 'None')")
        self.scale = Scale(maximum)
        self.team = bool(info.get("teamsubmission"))
        self.workflow = bool(info.get("markingworkflow"))
        people = self.call("mod_assign_list_participants", {
            "assignid": self.assignment_id, "groupid": 0, "filter": ""})
        if not isinstance(people, list):
            raise RejectedError("Moodle: mod_assign_list_participants gave no list")
        self.users, self.groups = {}, {}
        for person in people:
            if isinstance(person, dict) and "id" in person:
                key = _key(str(person.get("fullname") or ""))
                self.users.setdefault(key, []).append(str(person["id"]))
                group = str(person.get("groupid") or DEFAULT_TEAM)
                self.groups.setdefault(group, []).append(str(person["id"]))
        self.grades = self._read_grades()
        checks = ""
        try:
            self.files = self._read_files()
        except LMSError as exc:
            self.files, checks = None, f"; resubmissions not checked ({exc})"
        kind = "team submissions, " if self.team else ""
        state = (f"marking workflow: {RELEASED if self.release else MARKED}, "
                 if self.workflow else "")
        return (f"assignment {name!r}, out of {maximum:g}, {kind}{state}"
                f"{len(people)} participants{checks}")

    # -- one student ------------------------------------------------------------------------
    def user_id(self, item: Planned) -> str:
        """The Moodle user id the grade of `item` is saved through."""
        if self.users is None:
            self.connect()
        assert self.users is not None
        if self.team:
            members = sorted(self.groups.get(item.ref, []), key=int)
            if not members:
                where = "in no group" if item.ref == DEFAULT_TEAM else f"in group {item.ref}"
                raise RejectedError(f"no participant of this assignment is {where} "
                                    f"({item.name!r})")
            return members[0]
        for key in (_key(f"Participant {item.ref}"), _key(item.name)):
            found = self.users.get(key, [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise RejectedError(f"{len(found)} Moodle participants are named "
                                    f"{item.name!r}; grade them by hand")
        raise RejectedError(f"no participant of this assignment is named {item.name!r} "
                            f"(participant {item.ref})")

    def _check(self, item: Planned, user: str, scale: Scale) -> None:
        """Raise `LeftAlone` when Moodle's state says not to overwrite this grade."""
        current = self.grades.get(user)
        if current is not None and current != NOT_GRADED and not scale.same(
                current, item.sent_before()):
            raise LeftAlone(f"already graded in Moodle ({current:g}), not by this upload")
        if self.files is None or not item.file:
            return
        files = self.files.get(f"group:{item.ref if item.ref != DEFAULT_TEAM else 0}"
                               if self.team else user)
        if files and (item.file, item.size) not in files:
            raise LeftAlone(f"resubmitted after the download: {item.file} ({item.size} bytes) "
                            "is no longer in the submission")

    def send(self, item: Planned) -> Sent:
        if self.scale is None:
            self.connect()
        assert self.scale is not None
        user = self.user_id(item)
        if not self.force:
            self._check(item, user, self.scale)
        value = item.value(self.scale)
        text = self.scale.text(value)
        state = (RELEASED if self.release else MARKED) if self.workflow else ""
        self.call("mod_assign_save_grade", {
            "assignmentid": self.assignment_id, "userid": user, "grade": text,
            "attemptnumber": -1, "addattempt": 0, "workflowstate": state,
            "applytoall": int(self.team),
            "plugindata[assignfeedbackcomments_editor][text]": as_html(item.comment),
            "plugindata[assignfeedbackcomments_editor][format]": FORMAT_HTML,
        })
        kept = self._read_grades(self.since).get(user)
        if not self.scale.same(kept, value):
            reads = "no grade" if kept is None or kept == NOT_GRADED else f"{kept:g}"
            raise RejectedError(f"Moodle answered the save but kept {reads} instead of {text} "
                                f"(maximum {self.scale.maximum:g}; marking workflow "
                                f"{state or 'off'})")
        self.grades[user] = value
        return Sent(user, value, text, state)
