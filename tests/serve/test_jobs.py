"""The job table's leases on SQLite and PostgreSQL: concurrent claimers never share a job, an
expired lease is claimed again, a lost lease cannot store a result, attempts are capped and end
as the grader's error (never the student's)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from layerwise.serve import jobs, migrate
from layerwise.serve.db import make_engine, sessions, writing
from layerwise.serve.models import Course, CourseAssignment, Job, JobState, Submission, User
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker


@pytest.fixture(params=["sqlite", "postgresql"])
def factory(request: pytest.FixtureRequest, tmp_path: Path) -> sessionmaker[Session]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    migrate.upgrade(engine)
    request.addfinalizer(engine.dispose)
    return sessions(engine)


def _queue(factory: sessionmaker[Session], n: int) -> list[int]:
    with factory.begin() as session:
        user = User(name="s")
        course = Course(title="c")
        session.add_all([user, course])
        session.flush()
        ca = CourseAssignment(course_id=course.id, assignment="cnn_keras", title="t", seed=1)
        session.add(ca)
        session.flush()
        ids = []
        for _ in range(n):
            sub = Submission(course_assignment_id=ca.id, user_id=user.id, filename="a.ipynb",
                             size=1, sha256="0", folder="x")
            session.add(sub)
            session.flush()
            ids.append(jobs.enqueue(session, sub).id)
        return ids


def test_concurrent_claims_never_share_a_job(factory: sessionmaker[Session]) -> None:
    ids = _queue(factory, 40)
    got: list[int] = []
    lock = threading.Lock()

    def claimer(k: int) -> None:
        while (held := jobs.claim(factory, f"owner-{k}", 60, 3)) is not None:
            with lock:
                got.append(held.job)

    threads = [threading.Thread(target=claimer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(ids)  # each exactly once


def test_expired_lease_is_claimed_again_and_fences_the_old_owner(
        factory: sessionmaker[Session]) -> None:
    [job_id] = _queue(factory, 1)
    first = jobs.claim(factory, "dead-server", 0.2, 3)
    assert first is not None and first.attempt == 1
    assert jobs.claim(factory, "other", 60, 3) is None  # leased: nobody else gets it
    time.sleep(0.4)
    second = jobs.claim(factory, "other", 60, 3)
    assert second is not None and second.job == job_id and second.attempt == 2
    with writing(factory) as session:
        assert not jobs.finish(session, first)  # the old owner cannot store a result
    with writing(factory) as session:
        assert jobs.finish(session, second)
    with factory() as session:
        assert session.get(Job, job_id).state == JobState.done  # type: ignore[union-attr]


def test_release_does_not_count_an_attempt(factory: sessionmaker[Session]) -> None:
    _queue(factory, 1)
    held = jobs.claim(factory, "a", 60, 3)
    assert held is not None
    jobs.release(factory, held)
    again = jobs.claim(factory, "b", 60, 3)
    assert again is not None and again.attempt == 1


def test_attempts_are_capped_as_grader_error(factory: sessionmaker[Session]) -> None:
    [job_id] = _queue(factory, 1)
    for attempt in (1, 2):
        held = jobs.claim(factory, "crashing", 60, 2)
        assert held is not None and held.attempt == attempt
        jobs.retry(factory, held)
    assert jobs.claim(factory, "crashing", 60, 2) is None
    with factory() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.state == JobState.done
        sub = session.scalars(select(Submission).where(Submission.id == job.submission_id)).one()
        assert sub.status == "grader_error" and sub.total is None
        assert "grader" in (sub.summary or {})["en"]


def test_queue_position(factory: sessionmaker[Session]) -> None:
    ids = _queue(factory, 3)
    with factory() as session:
        assert [jobs.position(session, session.get(Job, i)) for i in ids] == [1, 2, 3]  # type: ignore[arg-type]
