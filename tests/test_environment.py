"""The environment the tests run in is the lock (constraints.txt): what CI tests is what the
Gradescope zip pins and what `make install` gives a TA."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from packaging.requirements import Requirement

LOCK = Path(__file__).resolve().parents[1] / "constraints.txt"


def test_installed_versions_are_the_locked_ones() -> None:
    pins = [Requirement(line) for line in LOCK.read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(pins) > 100
    wrong = {}
    for pin in pins:
        (locked,) = [s.version for s in pin.specifier]
        try:
            installed = importlib.metadata.version(pin.name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != locked:
            wrong[pin.name] = (installed, locked)
    assert not wrong, f"(installed, locked): {wrong}; run `make install` (or `make lock`)"
