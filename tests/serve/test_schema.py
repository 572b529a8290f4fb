"""The Alembic migrations make exactly the models' schema (SQLite and PostgreSQL), and the LTI
identity functions find and update instead of duplicating."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from layerwise.lti.models import METADATA as LTI_METADATA
from layerwise.serve import migrate
from layerwise.serve.db import make_engine, sessions
from layerwise.serve.identity import enrol, role_in, upsert_lti_course, upsert_lti_user
from layerwise.serve.models import Base, Role, User


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    migrate.upgrade(engine)  # a second start changes nothing
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                [Base.metadata, LTI_METADATA])
    engine.dispose()
    return list(diff)


def test_sqlite_migrations_equal_models(tmp_path: Path) -> None:
    assert _diff(f"sqlite:///{tmp_path / 'db.sqlite3'}") == []


def test_postgresql_migrations_equal_models(pg_url: str) -> None:
    assert _diff(pg_url) == []


def test_lti_tables_made_before_the_first_start(tmp_path: Path) -> None:
    """`layerwise lti register` before the service ever ran made the lti_ tables: the
    migrations keep them and still end equal to the models."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = make_engine(url)
    LTI_METADATA.create_all(engine)
    engine.dispose()
    assert _diff(url) == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_lti_identity_upserts(backend: str, tmp_path: Path, request: pytest.FixtureRequest
                              ) -> None:
    url = (f"sqlite:///{tmp_path / 'db.sqlite3'}" if backend == "sqlite"
           else request.getfixturevalue("pg_url"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = sessions(engine)
    with factory.begin() as session:
        rostered = User(name="Ana", email=f"ana-{backend}-{tmp_path.name}@x.edu")
        session.add(rostered)
        session.flush()
        user = upsert_lti_user(session, "https://lms.x", f"sub-{tmp_path.name}", "Ana S.",
                               rostered.email)
        assert user.id == rostered.id and user.name == "Ana S."  # taken over, not duplicated
        again = upsert_lti_user(session, "https://lms.x", f"sub-{tmp_path.name}", "", None)
        assert again.id == user.id and again.name == "Ana S."
        course = upsert_lti_course(session, "https://lms.x", "d1", f"ctx-{tmp_path.name}", "CNN")
        same = upsert_lti_course(session, "https://lms.x", "d1", f"ctx-{tmp_path.name}", "CNN 2")
        assert same.id == course.id and same.title == "CNN 2"
        enrol(session, user, course, Role.student)
        enrol(session, user, course, "ta")
        assert role_in(session, user, course.id) is Role.ta
        assert role_in(session, user, course.id + 999) is None
    engine.dispose()
