"""What happened to a submission: the one list of statuses every output uses."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A submission's status (grading.json, grades.csv, the dashboard, the LMS exports)."""

    graded = "graded"
    """It ran to the end and was compared with the reference (whatever it scored)."""
    invalid = "invalid"
    """The file is not a notebook that can be run."""
    timeout = "timeout"
    """Stopped at a time limit (a cell that ignored the interrupt, or the whole notebook)."""
    crashed = "crashed"
    """Its process ended abnormally, or its results were unreadable or forged."""
    memory = "memory"
    """Stopped at the memory limit."""
    grader_error = "grader_error"
    """The grader failed on its valid results: a bug in the kit or the assignment's checks, not
    the student's. Never sent to an LMS; a rerun into the same folder regrades it."""
