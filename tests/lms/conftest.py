"""Fixtures for the LMS tests (the fakes live in `lms_fakes`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lms_fakes import FakeCanvas, FakeMoodle, serve, student_record, write_run


@pytest.fixture
def canvas_server() -> Iterator[tuple[FakeCanvas, str]]:
    app = FakeCanvas({"101", "102", "103", "104"})
    with serve(app) as url:
        yield app, url


@pytest.fixture
def moodle_server() -> Iterator[tuple[FakeMoodle, str]]:
    app = FakeMoodle({"501": "Alice Silva", "502": "Bruno Souza", "503": "Carla Lima",
                      "504": "Davi Rocha"})
    with serve(app) as url:
        yield app, url


@pytest.fixture
def canvas_run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", [
        student_record("silvaalice_101", 85, lms="canvas", user_id="101", name="silvaalice"),
        student_record("souzabruno_102", 70.5, lms="canvas", user_id="102", name="souzabruno"),
        student_record("limacarla_103", 100, lms="canvas", user_id="103", name="limacarla"),
        student_record("rochadavi_104", 0, lms="canvas", user_id="104", name="rochadavi",
                       status="timeout"),
        student_record("plainfile", 50),
    ])


@pytest.fixture
def moodle_run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", [
        student_record("Alice_Silva_301", 85, lms="moodle", user_id="301", name="Alice Silva"),
        student_record("Bruno_Souza_302", 70.5, lms="moodle", user_id="302",
                       name="Bruno Souza"),
        student_record("Carla_Lima_303", 100, lms="moodle", user_id="303", name="Carla Lima",
                       language="en"),
        student_record("Nobody_Here_399", 40, lms="moodle", user_id="399", name="Nobody Here"),
    ])
