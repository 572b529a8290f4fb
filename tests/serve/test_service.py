"""The service end to end over HTTP, graded for real: a student's submissions and feedback,
every route tried with another student's ids, CSRF, headers, upload checks, rate limit, the
hidden-details release policy, exports, revocation, privacy, and logs free of secrets."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

import httpx
import pytest
from conftest import Live
from layerwise.serve.app import create_app
from layerwise.serve.config import Settings
from serving import (
    EXAMPLES,
    PASSWORD,
    ROOT,
    csrf_of,
    signed_in,
    submission_id,
    submit,
    teacher,
    wait_done,
)

KERAS, NUMPY, COURSE = 1, 2, 1
ANA, BRUNO, CARLA = "2026001", "2026002", "2026003"


@pytest.fixture(scope="module")
def graded(live: Live) -> dict[str, Any]:
    """Ana's correct notebook and her pooling mistake, graded."""
    ana = signed_in(live.base, live.links[ANA])
    ids = {}
    for name in ("correct_predict_per_layer", "pool_channels_last"):
        ids[name] = submission_id(submit(ana, KERAS, EXAMPLES / f"{name}.ipynb"))
    states = {name: wait_done(ana, sid) for name, sid in ids.items()}
    me = ana.get("/").text
    return {"ana": ana, "ids": ids, "states": states, "home": me}


def test_student_gets_graded_feedback(graded: dict[str, Any]) -> None:
    good, bad = graded["states"]["correct_predict_per_layer"], graded["states"][
        "pool_channels_last"]
    assert good["status"] == "graded" and good["total"] == good["max_total"] == 100
    assert bad["status"] == "graded" and bad["total"] < 100
    assert "data_format" in bad["summary"]["en"] and "data_format" in bad["summary"]["pt"]
    page = graded["ana"].get(f"/submission/{graded['ids']['pool_channels_last']}/feedback")
    assert page.status_code == 200 and "data:image/png;base64," in page.text
    history = graded["ana"].get(f"/assignment/{KERAS}").text
    assert all(f"/submission/{sid}" in history for sid in graded["ids"].values())


def _routes() -> set[tuple[str, str]]:
    app = create_app(Settings(data=ROOT / "unused"), grade=False)
    found = set()
    routes = list(app.routes)
    while routes:
        route = routes.pop()
        included = getattr(route, "original_router", None)  # FastAPI keeps routers included
        if included is not None:
            routes.extend(included.routes)
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                found.add((method, route.path))  # type: ignore[attr-defined]
    return found


PUBLIC = {("GET", "/healthz"), ("GET", "/login"), ("POST", "/login"), ("GET", "/"),
          ("POST", "/logout"), ("GET", "/signin/{token}"),
          ("GET", "/assignment/{aid}"), ("POST", "/assignment/{aid}/submit")}
"""Routes a student may use on their own (their own data only: checked below)."""


def test_every_route_refuses_another_students_ids(live: Live, graded: dict[str, Any]) -> None:
    bruno = signed_in(live.base, live.links[BRUNO])
    csrf = csrf_of(bruno.get(f"/assignment/{KERAS}").text)
    sid = graded["ids"]["pool_channels_last"]
    ana_uid = 2
    values = {"sid": sid, "aid": KERAS, "cid": COURSE, "uid": ana_uid, "fmt": "moodle-csv", "oid": 1,
              "student": ANA}
    routes = _routes()
    guarded = {r for r in routes if r not in PUBLIC and not r[1].startswith("/static")}
    assert len(guarded) >= 19, routes  # every staff route and every submission route
    for method, path in sorted(guarded):
        url = path.format(**values)
        response = bruno.request(method, url, data={"csrf": csrf, "confirm": "yes"}
                                 if method == "POST" else None)
        assert response.status_code in (403, 404), (method, url, response.status_code)
        assert "Ana" not in response.text and "pool_channels_last" not in response.text
    own = bruno.get(f"/assignment/{KERAS}").text
    assert f"/submission/{sid}" not in own and "pool_channels_last" not in own
    # Ana still has her data: nothing was deleted or regraded by Bruno's attempts
    assert graded["ana"].get(f"/submission/{sid}/status.json").json()["total"] < 100


def test_staff_routes_need_staff(live: Live, graded: dict[str, Any]) -> None:
    ana = graded["ana"]
    for url in (f"/assignment/{KERAS}/class", "/queue", f"/course/{COURSE}",
                f"/assignment/{KERAS}/export/moodle-csv"):
        assert ana.get(url).status_code == 404, url
    anonymous = httpx.Client(base_url=live.base)
    assert anonymous.get(f"/submission/{graded['ids']['pool_channels_last']}").status_code == 401


def test_csrf_is_required(live: Live, graded: dict[str, Any]) -> None:
    ana = graded["ana"]
    files = {"notebook": ("a.ipynb", (EXAMPLES / "blank.ipynb").read_bytes())}
    assert ana.post(f"/assignment/{KERAS}/submit", files=files).status_code == 403
    assert ana.post(f"/assignment/{KERAS}/submit", files=files,
                    data={"csrf": "forged"}).status_code == 403
    other = signed_in(live.base, live.links[BRUNO])
    stolen = csrf_of(other.get(f"/assignment/{KERAS}").text)  # another session's token
    assert ana.post(f"/assignment/{KERAS}/submit", files=files,
                    data={"csrf": stolen}).status_code == 403
    login = httpx.Client(base_url=live.base)
    assert login.post("/login", data={"email": "teacher@example.edu",
                                      "password": PASSWORD}).status_code == 403


def test_security_headers_and_cookie(live: Live) -> None:
    client = httpx.Client(base_url=live.base)
    response = client.get(live.links[ANA].replace(live.base, ""))
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = client.get("/login")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-frame-options"] == "DENY"


def test_uploads_are_checked_before_queuing(live: Live, graded: dict[str, Any]) -> None:
    ana = graded["ana"]
    before = ana.get(f"/assignment/{KERAS}").text.count("/submission/")
    csrf = csrf_of(ana.get(f"/assignment/{KERAS}").text)
    cases = [(("notes.txt", b"{}"), 400), (("x.ipynb", (EXAMPLES / "not_a_notebook.ipynb")
                                            .read_bytes()), 400),
             (("big.ipynb", b"{" + b" " * (6 * 2**20) + b"}"), 413)]
    for (name, content), status in cases:
        response = ana.post(f"/assignment/{KERAS}/submit", data={"csrf": csrf},
                            files={"notebook": (name, content)})
        assert response.status_code == status, (name, response.status_code)
        assert "·" in response.text  # both languages
    assert ana.get(f"/assignment/{KERAS}").text.count("/submission/") == before


def _settings(client: httpx.Client, aid: int, **values: str) -> None:
    csrf = csrf_of(client.get(f"/assignment/{aid}/class").text)
    form = {"csrf": csrf, "due": "", "late_per_day": "0", "late_max": "100", "rate_count": "0",
            "rate_hours": "24", "counts": "last", "release": "immediately"} | values
    assert client.post(f"/assignment/{aid}/settings", data=form).status_code == 200


def test_rate_limit(live: Live) -> None:
    staff = teacher(live.base)
    _settings(staff, NUMPY, rate_count="1", rate_hours="1")
    carla = signed_in(live.base, live.links[CARLA])
    blank = ROOT / "autograder" / "examples" / "cnn_numpy" / "blank.ipynb"
    first = submit(carla, NUMPY, blank)
    assert first.status_code == 200
    second = submit(carla, NUMPY, blank)
    assert second.status_code == 429 and "UTC" in second.text
    wait_done(carla, submission_id(first))
    _settings(staff, NUMPY)


def _hidden_failure(live: Live, sid: int) -> str:
    path = next(live.data.glob(f"submissions/{KERAS}/{sid}/grading.json"))
    rec = json.loads(path.read_text())
    for q in rec["questions"]:
        for case in q["case_results"]:
            if case["hidden"] and not case["passed"] and len(case["expected"]) > 8:
                return str(case["expected"])
    raise AssertionError("no failing hidden case with a value")


def test_hidden_details_follow_the_release_policy(live: Live, graded: dict[str, Any]) -> None:
    sid = graded["ids"]["pool_channels_last"]
    secret_value = _hidden_failure(live, sid)
    escaped = secret_value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    staff = teacher(live.base)
    _settings(staff, KERAS, release="released")
    hidden = graded["ana"].get(f"/submission/{sid}/feedback").text
    assert escaped.replace("'", "&#39;") not in hidden and secret_value not in hidden
    assert "<code>—</code>" in hidden  # the hidden case is listed, its values withheld
    assert escaped.replace("'", "&#39;") in staff.get(f"/submission/{sid}/feedback").text \
        or secret_value in staff.get(f"/submission/{sid}/feedback").text
    _settings(staff, KERAS, release="released", released="on")
    shown = graded["ana"].get(f"/submission/{sid}/feedback").text
    assert escaped.replace("'", "&#39;") in shown or secret_value in shown
    _settings(staff, KERAS)


def test_moodle_export(live: Live, graded: dict[str, Any]) -> None:
    staff = teacher(live.base)
    response = staff.get(f"/assignment/{KERAS}/export/moodle-csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    ana = next(r for r in rows if r["Identifier"] == "Participant 101")
    last = graded["states"]["pool_channels_last"]["total"]  # "last" counts by default
    assert float(ana["Grade"]) == pytest.approx(last)
    table = staff.get(f"/assignment/{KERAS}/class/table").text
    assert "Ana Souza" in table and f"/submission/{graded['ids']['pool_channels_last']}" in table


def test_revoked_link_and_session_stop_working(live: Live) -> None:
    bruno = signed_in(live.base, live.links[BRUNO])
    staff = teacher(live.base)
    page = staff.get(f"/course/{COURSE}/student/3")
    assert "Bruno" in page.text
    assert staff.post(f"/course/{COURSE}/student/3/revoke",
                      data={"csrf": csrf_of(page.text)}).status_code == 200
    assert bruno.get(f"/assignment/{KERAS}").status_code == 401
    again = httpx.Client(base_url=live.base).get(live.links[BRUNO].replace(live.base, ""))
    assert again.status_code == 401
    page = staff.get(f"/course/{COURSE}/student/3")
    fresh = staff.post(f"/course/{COURSE}/student/3/link", data={"csrf": csrf_of(page.text)})
    link = re.search(r'id="signin-link">([^<]+)<', fresh.text)
    assert link is not None
    assert signed_in(live.base, link.group(1)).get(f"/assignment/{KERAS}").status_code == 200


def test_student_data_export_and_erasure(live: Live) -> None:
    staff = teacher(live.base)
    carla_uid = 4
    archive = staff.get(f"/course/{COURSE}/student/{carla_uid}/export")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        profile = json.loads(zf.read("profile.json"))
        assert profile["name"] == "Carla Dias" and profile["submissions"]
        assert any(n.endswith("notebook.ipynb") for n in zf.namelist())
    folders = [live.data / s["assignment"].__str__() for s in profile["submissions"]]
    assert folders
    page = staff.get(f"/course/{COURSE}/student/{carla_uid}")
    gone = staff.post(f"/course/{COURSE}/student/{carla_uid}/delete",
                      data={"csrf": csrf_of(page.text), "confirm": "yes"})
    assert gone.status_code == 200 and "Carla" not in gone.text
    for s in profile["submissions"]:
        assert not (live.data / "submissions" / str(s["assignment"]) / str(s["id"])).exists()
    again = httpx.Client(base_url=live.base).get(live.links[CARLA].replace(live.base, ""))
    assert again.status_code == 401


def test_logs_hold_no_secret(live: Live, graded: dict[str, Any]) -> None:
    text = live.server.log.read_text()
    assert '"path": "/signin/<token>"' in text
    for link in live.links.values():
        assert link.rsplit("/", 1)[1] not in text
    assert PASSWORD not in text
    for cookie in graded["ana"].cookies.values():
        assert cookie not in text


def test_healthz(live: Live) -> None:
    health = httpx.get(live.base + "/healthz").json()
    assert health["ok"] and health["grading_threads"] == 2 + 1 + 1  # claimers and the lease


def test_roster_upload_and_a_ta_sees_the_class_but_not_instructor_actions(live: Live) -> None:
    import sqlite3

    staff = teacher(live.base)
    page = staff.get(f"/course/{COURSE}")
    done = staff.post(f"/course/{COURSE}/roster", data={"csrf": csrf_of(page.text)},
                      files={"roster": ("r.csv", b"student_id,name,role\nT1,Tia Tutora,ta\n")})
    assert done.status_code == 200 and "+1" in done.text and "Tia Tutora" in done.text
    with sqlite3.connect(live.data / "layerwise.sqlite3") as db:
        (uid,) = db.execute("SELECT id FROM users WHERE student_id='T1'").fetchone()
    page = staff.get(f"/course/{COURSE}/student/{uid}")
    made = staff.post(f"/course/{COURSE}/student/{uid}/link", data={"csrf": csrf_of(page.text)})
    link = re.search(r'id="signin-link">([^<]+)<', made.text)
    assert link is not None
    ta = signed_in(live.base, link.group(1))
    table = ta.get(f"/assignment/{KERAS}/class")
    assert table.status_code == 200 and "Ana Souza" in table.text
    csrf = csrf_of(table.text)
    assert ta.post(f"/assignment/{KERAS}/settings", data={"csrf": csrf}).status_code == 404
    assert ta.get(f"/course/{COURSE}/student/2/export").status_code == 404
    assert ta.post(f"/course/{COURSE}/student/2/delete",
                   data={"csrf": csrf, "confirm": "yes"}).status_code == 404
    assert ta.get(f"/assignment/{KERAS}/export/csv").status_code == 200
