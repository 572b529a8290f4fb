"""Hidden test cells: fetch them from `build/native_tests.py`, check they really are hidden."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from layerwise.assignment import Assignment

_BEGIN_CONFIG = re.compile(r'^(?:.\s*=\s*)?"{1,3}\s*#\s*BEGIN\s*TEST\s*CONFIG', re.IGNORECASE)
_END_CONFIG = re.compile(r'^"{1,3}\s*#\s*END\s*TEST\s*CONFIG', re.IGNORECASE)

HiddenSource = Callable[[str], list[str]]
NbgraderSource = Callable[[str], str]


def default_source(assignment: Assignment, source: Path) -> HiddenSource:
    """The otter hidden test cells of `assignment`, from its instructor source at `source`."""
    from layerwise.build import native_tests

    return functools.partial(native_tests.hidden_test_cells, assignment, source=source)


def default_nbgrader_source(assignment: Assignment, source: Path) -> NbgraderSource:
    """The hidden code of each nbgrader test cell of `assignment` (its value is the partial
    score), from its instructor source at `source`."""
    from layerwise.build import native_tests

    return functools.partial(native_tests.nbgrader_test_source, assignment, source=source)


def split_config(source: str) -> tuple[dict[str, object], str]:
    """(TEST CONFIG as a dict, the code below it) of a test cell; ({}, source) without a config."""
    lines = source.splitlines()
    if not lines or not _BEGIN_CONFIG.match(lines[0]):
        return {}, source
    for end, line in enumerate(lines):
        if end and _END_CONFIG.match(line):
            loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
            return dict(loaded), "\n".join(lines[end + 1 :]).strip("\n")
    raise ValueError(f"Unterminated TEST CONFIG block in hidden test cell:\n{source}")


def checked(question_id: str, cells: list[str]) -> list[str]:
    """`cells`, after checking each is a hidden, valid otter exception-based test cell."""
    for source in cells:
        settings, code = split_config(source)
        if settings.get("hidden") is not True:
            raise ValueError(f"{question_id}: a hidden test cell lacks `hidden: true`:\n{source}")
        body = ast.parse(code).body
        if not body or not isinstance(body[0], ast.FunctionDef) or len(body) > 2:
            raise ValueError(f"{question_id}: a test cell must be one def (+ its call):\n{source}")
    return cells


def with_call(code: str) -> str:
    """Test code that also calls its test function (args named like the notebook's globals)."""
    body = ast.parse(code).body
    function = body[0]
    assert isinstance(function, ast.FunctionDef)
    if len(body) == 2:
        return code
    # otter passes its global environment to a parameter named `env`, globals by name otherwise
    args = ", ".join("globals()" if a.arg == "env" else a.arg for a in function.args.args)
    return f"{code.rstrip()}\n\n{function.name}({args})"


def is_hidden(source: str) -> bool:
    """otter's rule: a TEST CONFIG `hidden:` wins, else a first comment line saying "hidden"."""
    settings, _ = split_config(source)
    if "hidden" in settings:
        return bool(settings["hidden"])
    first = source.lstrip("\n").splitlines()[0] if source.strip() else ""
    return first.lstrip().startswith("#") and bool(re.search(r"\bhidden\b", first, re.IGNORECASE))
