"""Fixtures of the LTI tests: an emulated LMS of each flavour and the test tool, on local ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .platform import Platform, running
from .toolapp import Tool


@pytest.fixture(params=["moodle", "canvas"])
def lms(request: pytest.FixtureRequest) -> Iterator[Platform]:
    platform = Platform(request.param)
    with running(platform):
        yield platform


@pytest.fixture
def tool(tmp_path: Path, lms: Platform) -> Iterator[Tool]:
    made = Tool(tmp_path / "tool.db")
    made.register(lms)
    made.start()
    yield made
    made.stop()
