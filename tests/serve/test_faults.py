"""Faults: the server SIGKILLed with 20 submissions queued or running, then restarted: every
submission is graded exactly once, none lost, none blamed on the student. The same on
PostgreSQL with two serve processes sharing the database, one of them killed."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
from layerwise.serve.db import make_engine, sessions
from layerwise.serve.models import Job, Submission
from serving import (
    EXAMPLES,
    Server,
    demo,
    free_port,
    signed_in,
    start,
    submission_id,
    submit,
)
from sqlalchemy import func, select

NOTEBOOKS = {"correct_predict_per_layer": 100.0, "pool_channels_last": 80.0,
             "dense_no_pooling": None}
"""What each notebook scores (None: whatever the engine says, as long as it is graded)."""
COUNT = 20


def _post(base: str, links: dict[str, str]) -> dict[int, str]:
    clients = [signed_in(base, link) for link in links.values()]
    names = list(NOTEBOOKS)
    posted = {}
    for n in range(COUNT):
        name = names[n % len(names)]
        response = submit(clients[n % len(clients)], 1, EXAMPLES / f"{name}.ipynb")
        posted[submission_id(response)] = name
    return posted


def _kill(server: Server) -> None:
    """SIGKILL the serve process alone (its sandboxed workers die with it), then make sure
    nothing of its process group is left."""
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait()
    time.sleep(1)
    try:
        os.killpg(server.proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_all(url: str, posted: dict[int, str], timeout: float = 600) -> None:
    engine = make_engine(url)
    factory = sessions(engine)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with factory() as session:
                waiting = session.scalar(select(func.count()).select_from(Job).where(
                    Job.state != "done"))
            if not waiting:
                break
            time.sleep(1)
        with factory() as session:
            subs = {s.id: s for s in session.scalars(select(Submission)).all()}
            done_jobs = session.scalars(select(Job)).all()
    finally:
        engine.dispose()
    assert set(subs) == set(posted), "a submission was lost or invented"
    assert all(j.state == "done" for j in done_jobs), [(j.id, j.state) for j in done_jobs]
    assert len(done_jobs) == COUNT  # one grading request each, none duplicated
    for sid, name in posted.items():
        sub = subs[sid]
        assert sub.times_graded == 1, (sid, sub.times_graded)  # graded exactly once
        assert sub.status == "graded", (sid, name, sub.status, sub.summary)  # not blamed
        if NOTEBOOKS[name] is not None:
            assert sub.total == NOTEBOOKS[name], (sid, name, sub.total)


def _in_flight(base: str) -> int:
    return int(httpx.get(base + "/healthz", timeout=10).json()["queued"])


def test_sigkill_with_20_submissions_then_restart(tmp_path: Path) -> None:
    port = free_port()
    links = demo(tmp_path, f"http://127.0.0.1:{port}")
    server = start(tmp_path, port)
    try:
        posted = _post(server.base, links)
        assert _in_flight(server.base) >= COUNT - 6  # most still queued: killed mid-work
        _kill(server)
    finally:
        server.stop(signal.SIGKILL)
    again = start(tmp_path, free_port())
    try:
        _wait_all(f"sqlite:///{(tmp_path / 'layerwise.sqlite3').resolve()}", posted)
    finally:
        again.stop()


def test_two_processes_on_postgresql_one_killed(tmp_path: Path, pg_url: str) -> None:
    port_a, port_b = free_port(), free_port()
    links = demo(tmp_path, f"http://127.0.0.1:{port_a}", db=pg_url)
    a = start(tmp_path, port_a, db=pg_url, workers=1)
    b = start(tmp_path, port_b, db=pg_url, workers=1)
    try:
        posted = _post(a.base, links)
        _kill(a)
        restarted = start(tmp_path, port_a, db=pg_url, workers=1)
        try:
            _wait_all(pg_url, posted)
        finally:
            restarted.stop()
        engine = make_engine(pg_url)
        with sessions(engine)() as session:
            owners = {o.rsplit(":", 1)[0] for o in session.scalars(select(Job.owner)).all()}
        engine.dispose()
        assert len(owners) >= 2, owners  # both processes graded
    finally:
        a.stop(signal.SIGKILL)
        b.stop()


def test_sigterm_finishes_or_releases_then_restart_grades_the_rest(tmp_path: Path) -> None:
    port = free_port()
    links = demo(tmp_path, f"http://127.0.0.1:{port}")
    server = start(tmp_path, port)
    url = f"sqlite:///{(tmp_path / 'layerwise.sqlite3').resolve()}"
    try:
        posted = _post(server.base, links)
        server.stop(signal.SIGTERM, timeout=120)  # graceful: uvicorn's shutdown, then ours
        assert "Application shutdown complete" in server.log.read_text()  # not killed
        engine = make_engine(url)
        with sessions(engine)() as session:
            jobs = session.scalars(select(Job)).all()
        engine.dispose()
        assert not [j.id for j in jobs if j.state == "running"]  # nothing left leased
        assert all(j.attempts == 0 for j in jobs if j.state == "queued")  # released untried
    finally:
        server.stop(signal.SIGKILL)
    again = start(tmp_path, free_port())
    try:
        _wait_all(url, posted)
    finally:
        again.stop()
