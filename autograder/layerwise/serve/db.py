"""The database: SQLite in the data folder by default (WAL, a busy timeout, foreign keys on),
PostgreSQL when a URL is given. Tables are made by the Alembic migrations, at start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_MS = 30_000
"""How long a SQLite writer waits for another one before failing."""
IMMEDIATE = "sqlite_immediate"
"""Execution option: open the transaction with BEGIN IMMEDIATE (the SQLite writer's lock at
once, so two claimers cannot both read the same queued job)."""


def make_engine(url: str) -> Engine:
    """An engine for `url`, set up for several threads (and, on PostgreSQL, processes)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_MS / 1000,
                                                  "check_same_thread": False,
                                                  "isolation_level": None})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi: Any, record: Any) -> None:
            cursor = dbapi.cursor()
            for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_MS}", "foreign_keys=ON",
                           "synchronous=NORMAL"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # pysqlite's own transaction handling is off (isolation_level None): we begin
            # ourselves, IMMEDIATE for claims.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(IMMEDIATE)
                                 else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def writing(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction takes SQLite's write lock at its start (BEGIN IMMEDIATE);
    committed at the end, rolled back on error."""
    with factory() as session:
        session.connection(execution_options={IMMEDIATE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

