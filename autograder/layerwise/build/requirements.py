"""The two requirements files of a lesson: its students' (any OS) and its otter grader
image's, each from what the lesson declares (`Assignment.requirements`)."""

from __future__ import annotations

from layerwise.assignment import Assignment

OTTER = "otter-grader>=7,<8"
"""The students' notebook calls `grader.check`."""


def student(assignment: Assignment) -> tuple[str, ...]:
    """release/<name>/requirements.txt: the lesson's requirements and otter-grader."""
    return tuple(dict.fromkeys([*assignment.requirements, OTTER]))


def grader(assignment: Assignment) -> tuple[str, ...]:
    """The otter zip's environment: the lesson's grader requirements (or its students')."""
    declared = assignment.grader_requirements
    return assignment.requirements if declared is None else declared


def text(lines: tuple[str, ...]) -> str:
    """A requirements file's content, one requirement a line."""
    return "\n".join(lines) + "\n"
