"""Bring the database to the models' schema with the Alembic migrations (at every start; safe
to run from several processes at once on PostgreSQL: an advisory lock serialises them)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

HERE = Path(__file__).resolve().parent
LOCK_KEY = 0x6C617965
"""PostgreSQL advisory lock id held while migrating."""


def config(connection: object) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> None:
    """Run every migration not yet applied."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        command.upgrade(config(conn), "head")
