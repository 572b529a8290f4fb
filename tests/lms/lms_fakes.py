"""Fakes for the LMS tests: Canvas and Moodle servers on 127.0.0.1, run folders, and the
commands invoked as a TA types them.

The servers implement only the endpoints layerwise uses and record every request, so a test
can count what the LMS really accepted.
"""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import typer
from layerwise.cli import app
from typer.testing import CliRunner

CANVAS_TOKEN = "canvas-secret-token-123"
MOODLE_TOKEN = "moodle-secret-token-456"
COURSE = "7"
ASSIGNMENT = "42"
MOODLE_ASSIGNMENT = "9"
QUESTIONS = [("kernel_layout", 15), ("dense_size", 10), ("sequential_model", 20),
             ("functional_model", 20), ("layer_outputs", 25), ("param_count", 10)]


@dataclass
class Seen:
    method: str
    path: str
    form: dict[str, str]
    headers: dict[str, str]
    status: int = 0


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class FakeLMS:
    """Base: records requests; subclasses answer them."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.rate_limit_next = 0
        """How many of the next requests get a rate-limit answer."""

    def answer(self, request: Seen) -> Reply:  # pragma: no cover - overridden
        raise NotImplementedError

    def handle(self, request: Seen) -> Reply:
        with self.lock:
            self.seen.append(request)
            reply = self.answer(request)
            request.status = reply.status
            return reply


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        form.update({k: v[-1] for k, v in parse_qs(parts.query).items()})
        request = Seen(self.command, parts.path, form, dict(self.headers.items()))
        reply = self.server.app.handle(request)
        body = reply.body if isinstance(reply.body, bytes) else (
            reply.body.encode() if isinstance(reply.body, str) else json.dumps(reply.body).encode())
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(app: FakeLMS) -> Iterator[str]:
    """Run `app` on 127.0.0.1 (a free port) for the duration of the block."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.app = app  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@dataclass
class CanvasSubmission:
    """One student's submission as ``GET …/submissions/:user_id`` shows it."""

    score: float | None = None
    excused: bool = False
    grade_matches_current_submission: bool = True
    attachments: list[int] = field(default_factory=list)
    anonymous_id: str = ""
    group: str = ""


UNAUTHORIZED = {"status": "unauthorized",
                "errors": [{"message": "user not authorized to perform that action"}]}
NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}


class FakeCanvas(FakeLMS):
    """Canvas: GET course, GET assignment, GET and PUT a submission by user id or anonymous id.

    Copies canvas-lms:
    - lib/authentication_methods.rb ``render_json_unauthorized``: a bad token gets 401 *with*
      ``WWW-Authenticate: Bearer realm="canvas-lms"``; a good token refused for one action
      gets 401 without it, ``{"status": "unauthorized", "errors": [{"message": "user not
      authorized to perform that action"}]}``.
    - app/controllers/submissions_api_controller.rb ``update``: a student the assignment is not
      assigned to, and a posted grade on a moderated assignment whose grades are not published,
      get that 401 (``render_unauthorized_action``); ``update_anonymous`` finds the submission
      by ``anonymous_id``; a posted grade clears ``excused`` (``grade_student``); points above
      ``points_possible`` are kept (extra credit); a pass_fail assignment takes only 0 or
      points_possible, else 400 ``{"error": …}`` (``Assignment::GradeError``);
      ``comment[group_comment]`` sends the comment to every member of a group assignment, and a
      grade on a group graded as a group reaches every member.
    - 403 ``Rate Limit Exceeded`` (and 429) for throttling.
    """

    def __init__(self, users: set[str]) -> None:
        super().__init__()
        self.users = users
        self.submissions: dict[str, CanvasSubmission] = {}
        """user id → the state of their submission (a fresh one when not set)"""
        self.assignment: dict[str, Any] = {
            "id": int(ASSIGNMENT), "course_id": int(COURSE), "name": "cnn_keras",
            "points_possible": 100, "grading_type": "points", "group_category_id": None,
            "grade_group_students_individually": False, "moderated_grading": False,
            "grades_published": True}
        self.not_assigned: set[str] = set()
        self.refuse: dict[str, Reply] = {}
        """user id → the answer every request about that student gets."""
        self.rate_limit_status = 403
        self.fail_put_once: set[str] = set()
        self.down = False
        self.grades: dict[str, list[str]] = {}
        self.comments: dict[str, list[str]] = {}

    def sub(self, user: str) -> CanvasSubmission:
        return self.submissions.setdefault(user, CanvasSubmission())

    def _user(self, kind: str, key: str) -> str | None:
        if kind == "submissions":
            return key if key in self.users else None
        return next((u for u, s in self.submissions.items() if s.anonymous_id == key), None)

    def _members(self, user: str) -> list[str]:
        group = self.sub(user).group
        if not group or not self.assignment["group_category_id"]:
            return [user]
        return sorted(u for u, s in self.submissions.items() if s.group == group)

    def _json(self, user: str) -> dict[str, Any]:
        sub = self.sub(user)
        return {"id": 9000 + int(user), "assignment_id": int(ASSIGNMENT), "user_id": int(user),
                "score": sub.score, "grade": None if sub.score is None else f"{sub.score:g}",
                "excused": sub.excused,
                "grade_matches_current_submission": sub.grade_matches_current_submission,
                "attachments": [{"id": a, "display_name": "cnn_keras.ipynb"}
                                for a in sub.attachments],
                "workflow_state": "graded" if sub.score is not None else "submitted"}

    def _put(self, user: str, form: dict[str, str]) -> Reply:
        a = self.assignment
        grade = form.get("submission[posted_grade]")
        if grade is not None and a["moderated_grading"] and not a["grades_published"]:
            return Reply(401, UNAUTHORIZED)
        if user in self.not_assigned:
            return Reply(401, UNAUTHORIZED)
        if user in self.fail_put_once:
            self.fail_put_once.discard(user)
            return Reply(500, {"errors": [{"message": "Internal server error"}]})
        members = self._members(user)
        if grade is not None:
            score = float(grade)
            if a["grading_type"] == "pass_fail" and score not in (0, a["points_possible"]):
                return Reply(400, {"error": "Grade must be complete or incomplete"})
            graded = members if not a["grade_group_students_individually"] else [user]
            for member in graded:
                self.sub(member).score = score
                self.sub(member).excused = False
                self.sub(member).grade_matches_current_submission = True
                self.grades.setdefault(member, []).append(grade)
        text = form.get("comment[text_comment]")
        if text is not None:
            to_all = form.get("comment[group_comment]", "").lower() in ("true", "1")
            for member in (members if to_all else [user]):
                self.comments.setdefault(member, []).append(text)
        return Reply(200, self._json(user))

    def answer(self, request: Seen) -> Reply:
        if request.headers.get("Authorization") != f"Bearer {CANVAS_TOKEN}":
            return Reply(401, {"errors": [{"message": "Invalid access token."}]},
                         {"WWW-Authenticate": 'Bearer realm="canvas-lms"'})
        if self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            if self.rate_limit_status == 429:
                return Reply(429, {"errors": [{"message": "Too many requests"}]})
            return Reply(403, "403 Forbidden (Rate Limit Exceeded)\n")
        if self.down:
            return Reply(503, {"errors": [{"message": "down"}]})
        parts = request.path.strip("/").split("/")
        if parts[:3] != ["api", "v1", "courses"] or len(parts) < 4 or parts[3] != COURSE:
            return Reply(404, NOT_FOUND)
        rest = parts[4:]
        if not rest and request.method == "GET":
            return Reply(200, {"id": int(COURSE), "name": "Deep Learning"})
        if rest[:2] == ["assignments", ASSIGNMENT]:
            if len(rest) == 2 and request.method == "GET":
                return Reply(200, dict(self.assignment))
            if len(rest) == 4 and rest[2] in ("submissions", "anonymous_submissions"):
                user = self._user(rest[2], rest[3])
                if user is None:
                    return Reply(404, NOT_FOUND)
                if user in self.refuse:
                    return self.refuse[user]
                if request.method == "GET":
                    return Reply(200, self._json(user))
                if request.method == "PUT":
                    return self._put(user, request.form)
        return Reply(404, NOT_FOUND)


MARKING_STATES = ("notmarked", "inmarking", "readyforreview", "inreview", "readyforrelease",
                  "released")


@dataclass
class MoodleGrade:
    grade: float
    timemodified: int
    grader: int = 2


class FakeMoodle(FakeLMS):
    """Moodle web services for one assignment (``MOODLE_ASSIGNMENT``, in course 3).

    Copies moodle/moodle mod/assign:
    - externallib.php ``get_assignments``: only the courses the token's user is enrolled in
      unless ``courseids`` and ``includenotenrolledcourses``; each assignment's ``grade``
      (maximum, or minus a scale id), ``teamsubmission``, ``markingworkflow``, ``blindmarking``.
    - ``list_participants``: ``fullname`` ("Participant <id>" under blind marking, set by the
      assignment), ``groupid``/``groupname`` for team submissions.
    - ``get_grades``: the latest attempt's grades with ``timemodified >= since``, ``grade`` as
      text (``"85.00000"``; ``-1`` until graded).
    - ``get_submissions``: each submission's files (``filename``, ``filesize``); team
      submissions carry ``groupid`` and ``userid`` 0.
    - ``save_grade`` → locallib.php ``assign::save_grade``/``update_grade``: the answer is
      ``null`` always; the grade is silently *not* saved when above the maximum or below 0,
      when the assignment uses a scale, or when ``workflowstate`` is not one of the marking
      workflow states the user may set (``get_marking_workflow_states_for_current_user``:
      ``released`` needs mod/assign:releasegrades); ``applytoall`` on a team submission saves
      it for every member of the user's group (the default team: everyone in no group).
    - Errors as HTTP 200 ``{"exception", "errorcode", "message"}``; 429 with Retry-After for
      throttling.
    """

    def __init__(self, participants: dict[str, str]) -> None:
        super().__init__()
        self.participants = participants
        """user id → full name"""
        self.info: dict[str, Any] = {"id": int(MOODLE_ASSIGNMENT), "cmid": 77, "course": 3,
                                     "name": "cnn_keras", "grade": 100, "teamsubmission": 0,
                                     "markingworkflow": 0, "blindmarking": 0}
        self.enrolled = True
        self.can_release = True
        self.groups: dict[str, tuple[int, str]] = {}
        """user id → (group id, group name), team submissions only"""
        self.files: dict[str, list[tuple[str, int]]] = {}
        """user id (``group:<id>`` for a team) → its submission's (file name, size)"""
        self.grades: dict[str, MoodleGrade] = {}
        self.workflow: dict[str, str] = {}
        self.clock = 1_700_000_000
        self.fail_save_once: set[str] = set()
        self.saved: dict[str, list[dict[str, str]]] = {}

    def _tick(self) -> int:
        self.clock += 1
        return self.clock

    def _assignments(self, form: dict[str, str]) -> Any:
        asked = form.get("courseids[0]")
        visible = self.enrolled or (asked == str(self.info["course"])
                                    and form.get("includenotenrolledcourses") in ("1", "true"))
        courses = [{"id": self.info["course"], "fullname": "Deep Learning",
                    "shortname": "DL", "timemodified": 0, "assignments": [dict(self.info)]}]
        return {"courses": courses if visible else [], "warnings": []}

    def _participants(self) -> list[dict[str, Any]]:
        out = []
        for uid, name in self.participants.items():
            person: dict[str, Any] = {"id": int(uid), "submitted": True, "requiregrading": True,
                                      "fullname": name}
            if uid in self.groups:
                person["groupid"], person["groupname"] = self.groups[uid]
            out.append(person)
        return out

    def _members(self, user: str) -> list[str]:
        group = self.groups.get(user, (0, ""))[0]
        return [u for u in self.participants if self.groups.get(u, (0, ""))[0] == group]

    def _save(self, form: dict[str, str]) -> None:
        """assign::save_grade → update_grade: silent on every refusal."""
        maximum = float(self.info["grade"])
        state = form.get("workflowstate", "")
        allowed = MARKING_STATES[1:-1] + (("released",) if self.can_release else ())
        if self.info["markingworkflow"] and state and state not in allowed:
            return
        grade = float(form.get("grade", "nan"))
        if maximum <= 0 or not 0 <= grade <= maximum:
            return
        team = self.info["teamsubmission"] and form.get("applytoall") in ("1", "true")
        user = form.get("userid", "")
        for member in self._members(user) if team else [user]:
            self.grades[member] = MoodleGrade(grade, self._tick())
            if self.info["markingworkflow"]:
                self.workflow[member] = state

    def _grades(self, since: int) -> Any:
        grades = [{"id": n, "userid": int(u), "attemptnumber": 0, "timecreated": g.timemodified,
                   "timemodified": g.timemodified, "grader": g.grader, "grade": f"{g.grade:.5f}"}
                  for n, (u, g) in enumerate(sorted(self.grades.items()))
                  if g.timemodified >= since]
        return {"assignments": [{"assignmentid": int(MOODLE_ASSIGNMENT), "grades": grades}],
                "warnings": []}

    def _submissions(self) -> Any:
        subs = []
        for owner, files in self.files.items():
            group = owner.startswith("group:")
            subs.append({"id": len(subs) + 1, "userid": 0 if group else int(owner),
                         "groupid": int(owner.split(":")[1]) if group else 0, "attemptnumber": 0,
                         "status": "submitted", "plugins": [{"type": "file", "name": "File",
                                                             "fileareas": [{
                             "area": "submission_files",
                             "files": [{"filename": n, "filepath": "/", "filesize": size}
                                       for n, size in files]}]}]})
        return {"assignments": [{"assignmentid": int(MOODLE_ASSIGNMENT), "submissions": subs}],
                "warnings": []}

    def answer(self, request: Seen) -> Reply:
        if request.method != "POST" or request.path != "/webservice/rest/server.php":
            return Reply(404, "not found")
        form = request.form
        if form.get("wstoken") != MOODLE_TOKEN:
            return Reply(200, {"exception": "moodle_exception", "errorcode": "invalidtoken",
                               "message": "Invalid token - token not found"})
        if self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            return Reply(429, "Too Many Requests", {"Retry-After": "0"})
        function = form.get("wsfunction")
        if function == "mod_assign_get_assignments":
            return Reply(200, self._assignments(form))
        assignment = form.get("assignid") or form.get("assignmentid") or form.get(
            "assignmentids[0]")
        if assignment != MOODLE_ASSIGNMENT:
            return Reply(200, {"exception": "dml_missing_record_exception",
                               "errorcode": "invalidrecord", "message": "Can't find it"})
        if function == "mod_assign_list_participants":
            return Reply(200, self._participants())
        if function == "mod_assign_get_grades":
            return Reply(200, self._grades(int(form.get("since") or 0)))
        if function == "mod_assign_get_submissions":
            return Reply(200, self._submissions())
        if function == "mod_assign_save_grade":
            user = form.get("userid", "")
            if user in self.fail_save_once:
                self.fail_save_once.discard(user)
                return Reply(500, "Internal Server Error")
            self.saved.setdefault(user, []).append(dict(form))
            self._save(form)
            return Reply(200, "null")
        return Reply(200, {"exception": "invalid_parameter_exception",
                           "errorcode": "invalidparameter", "message": "unknown function"})


def student_record(student: str, total: float, *, lms: str = "", user_id: str = "",
                   name: str = "", status: str = "graded", language: str = "pt",
                   file: str = "cnn_keras.ipynb", size: int = 0, file_id: str = ""
                   ) -> dict[str, Any]:
    """A grading.json as `layerwise grade` writes it."""
    scores = []
    left = total
    for qid, points in QUESTIONS:
        score = min(points, left)
        left -= score
        scores.append({"id": qid, "score": float(score), "max_score": points, "passed": 1,
                       "cases": 1, "diagnoses": []})
    return {
        "student": student, "assignment": "cnn_keras", "status": status, "message": "",
        "total": float(total), "max_total": 100,
        "identity": {"student": student, "origin": f"class.zip:{student}.ipynb", "name": name,
                     "lms": lms, "lms_user_id": user_id, "late": False, "notes": [],
                     "file": file, "size": size, "lms_file_id": file_id,
                     "unidentified": False},
        "language": language, "questions": scores,
        "summary": {"pt": f"{total:g}/100. Resumo de {student}.",
                    "en": f"{total:g}/100. Summary for {student}."},
    }


def write_run(run_dir: Path, records: list[dict[str, Any]]) -> Path:
    """A run folder with grades.csv and per-student grading.json."""
    run_dir.mkdir(parents=True, exist_ok=True)
    columns = ["student", "status", "total", "max_total", *[q for q, _ in QUESTIONS]]
    with open(run_dir / "grades.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for rec in records:
            writer.writerow({"student": rec["student"], "status": rec["status"],
                             "total": rec["total"], "max_total": rec["max_total"],
                             **{q["id"]: q["score"] for q in rec["questions"]}})
            folder = run_dir / rec["student"]
            folder.mkdir(exist_ok=True)
            (folder / "grading.json").write_text(json.dumps(rec, ensure_ascii=False))
    (run_dir / "run.json").write_text(json.dumps({"students": len(records)}))
    return run_dir


def cli() -> typer.Typer:
    """The `layerwise` command, as the console script mounts it."""
    return app


def _invoke(args: list[str], env: dict[str, str], secret: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli(), args, env={**env, "COLUMNS": "220"})
    assert secret not in result.output  # tokens are never printed
    return result.exit_code, result.output


def upload_canvas(run: Path, url: str, *extra: str, token: str = CANVAS_TOKEN
                  ) -> tuple[int, str]:
    """``layerwise upload canvas RUN`` against the fake at `url`: exit code and output."""
    return _invoke(["upload", "canvas", str(run), "--course", COURSE, "--assignment",
                    ASSIGNMENT, "--url", url, "--retry-wait", "0.001", *extra],
                   {"CANVAS_TOKEN": token}, CANVAS_TOKEN)


def upload_moodle(run: Path, url: str, *extra: str, token: str = MOODLE_TOKEN,
                  assignment: str = MOODLE_ASSIGNMENT) -> tuple[int, str]:
    """``layerwise upload moodle RUN`` against the fake at `url`: exit code and output."""
    return _invoke(["upload", "moodle", str(run), "--url", url, "--assignment", assignment,
                    "--retry-wait", "0.001", *extra], {"MOODLE_TOKEN": token}, MOODLE_TOKEN)
