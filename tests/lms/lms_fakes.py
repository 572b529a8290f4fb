"""Fakes for the LMS tests: Canvas and Moodle servers on 127.0.0.1, and run folders.

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


class FakeCanvas(FakeLMS):
    """Canvas: GET course, GET assignment, GET and PUT a student's submission."""

    def __init__(self, users: set[str]) -> None:
        super().__init__()
        self.users = users
        self.rate_limit_status = 403
        self.fail_put_once: set[str] = set()
        self.down = False
        self.grades: dict[str, list[str]] = {}
        self.comments: dict[str, list[str]] = {}

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
            return Reply(404, {"errors": [{"message": "The specified resource does not exist."}]})
        rest = parts[4:]
        if not rest and request.method == "GET":
            return Reply(200, {"id": int(COURSE), "name": "Deep Learning"})
        if rest[:2] == ["assignments", ASSIGNMENT]:
            if len(rest) == 2 and request.method == "GET":
                return Reply(200, {"id": int(ASSIGNMENT), "course_id": int(COURSE),
                                   "name": "cnn_keras", "points_possible": 100})
            if len(rest) == 4 and rest[2] == "submissions" and rest[3] in self.users:
                user = rest[3]
                body = {"id": 9000 + int(user), "assignment_id": int(ASSIGNMENT),
                        "user_id": int(user)}
                if request.method == "GET":
                    return Reply(200, body)
                if request.method == "PUT":
                    if user in self.fail_put_once:
                        self.fail_put_once.discard(user)
                        return Reply(500, {"errors": [{"message": "Internal server error"}]})
                    grade = request.form.get("submission[posted_grade]")
                    if grade is not None:
                        self.grades.setdefault(user, []).append(grade)
                    text = request.form.get("comment[text_comment]")
                    if text is not None:
                        self.comments.setdefault(user, []).append(text)
                    return Reply(200, {**body, "score": float(grade or 0), "grade": grade})
        return Reply(404, {"errors": [{"message": "The specified resource does not exist."}]})


class FakeMoodle(FakeLMS):
    """Moodle web services: mod_assign_list_participants and mod_assign_save_grade."""

    def __init__(self, participants: dict[str, str]) -> None:
        super().__init__()
        self.participants = participants
        """user id → full name"""
        self.fail_save_once: set[str] = set()
        self.saved: dict[str, list[dict[str, str]]] = {}

    def answer(self, request: Seen) -> Reply:
        if request.method != "POST" or request.path != "/webservice/rest/server.php":
            return Reply(404, "not found")
        if request.form.get("wstoken") != MOODLE_TOKEN:
            return Reply(200, {"exception": "moodle_exception", "errorcode": "invalidtoken",
                               "message": "Invalid token - token not found"})
        if self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            return Reply(429, "Too Many Requests", {"Retry-After": "0"})
        function = request.form.get("wsfunction")
        if function == "mod_assign_list_participants":
            if request.form.get("assignid") != MOODLE_ASSIGNMENT:
                return Reply(200, {"exception": "dml_missing_record_exception",
                                   "errorcode": "invalidrecord", "message": "Can't find it"})
            return Reply(200, [{"id": int(uid), "fullname": name, "submitted": True,
                                "requiregrading": True}
                               for uid, name in self.participants.items()])
        if function == "mod_assign_save_grade":
            user = request.form.get("userid", "")
            if user in self.fail_save_once:
                self.fail_save_once.discard(user)
                return Reply(500, "Internal Server Error")
            self.saved.setdefault(user, []).append(dict(request.form))
            return Reply(200, "null")
        return Reply(200, {"exception": "invalid_parameter_exception",
                           "errorcode": "invalidparameter", "message": "unknown function"})


def student_record(student: str, total: float, *, lms: str = "", user_id: str = "",
                   name: str = "", status: str = "graded", language: str = "pt"
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
        "student": student, "status": status, "message": "", "total": float(total),
        "max_total": 100,
        "identity": {"student": student, "origin": f"class.zip:{student}.ipynb", "name": name,
                     "lms": lms, "lms_user_id": user_id, "late": False, "notes": []},
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
