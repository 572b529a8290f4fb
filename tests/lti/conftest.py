"""Fixtures of the LTI tests: an emulated LMS of each flavour and the test tool, on local ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from layerwise.lti import messages, outbox
from layerwise.lti.tokens import TokenCache

from .platform import Platform, Served, running
from .toolapp import Tool


@pytest.fixture(params=["moodle", "canvas"])
def lms_served(request: pytest.FixtureRequest) -> Iterator[tuple[Platform, Served]]:
    """The emulated LMS and its server (stop and start it to take the LMS down and back)."""
    platform = Platform(request.param)
    with running(platform) as served:
        yield platform, served


@pytest.fixture
def lms(lms_served: tuple[Platform, Served]) -> Platform:
    return lms_served[0]


@pytest.fixture
def tool(tmp_path: Path, lms: Platform) -> Iterator[Tool]:
    made = Tool(tmp_path / "tool.db")
    made.register(lms)
    made.start()
    yield made
    made.stop()


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no cached key set or token: a port reused by a later test's LMS
    must not meet the previous one's keys."""
    monkeypatch.setattr(messages, "_key_clients", {})
    monkeypatch.setattr(outbox, "DEFAULT_TOKENS", TokenCache())
