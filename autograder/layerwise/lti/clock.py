"""Naive-UTC times, as every LTI table stores them (SQLite keeps no time zone)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc(moment: datetime | None = None) -> datetime:
    """`moment` (or now) as a naive UTC datetime."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def iso(moment: datetime) -> str:
    """ISO 8601 with microseconds and an explicit offset, as the score service wants."""
    return utc(moment).replace(tzinfo=UTC).isoformat(timespec="microseconds")
