"""One source per fact: the questions and points a lesson's package declares (`questions.py`)
are the ones its instructor source's BEGIN QUESTION markers state; the build checks it."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode

from layerwise.assignment import Assignment
from layerwise.errors import ConfigError

from . import markers


def marked_questions(source: NotebookNode) -> dict[str, dict[str, object]]:
    """Question name -> its BEGIN QUESTION marker's settings, in the source's order."""
    found: dict[str, dict[str, object]] = {}
    for cell in source.cells:
        if markers.marker(cell) == "BEGIN QUESTION":
            settings = markers.config(cell)
            found[str(settings.get("name"))] = settings
    return found


def check_declared(source: NotebookNode, assignment: Assignment, path: Path) -> None:
    """A one-line ConfigError naming both values when the source's markers and the package
    disagree: the assignment's name, a question's points, a question one side lacks. Manual
    questions (`manual: true`) are the source's own."""
    for cell in source.cells:
        if markers.marker(cell) == "ASSIGNMENT CONFIG":
            named = markers.config(cell).get("name")
            if named != assignment.name:
                raise ConfigError(f"{path}: ASSIGNMENT CONFIG says name: {named} but the "
                                  f"package's assignment is {assignment.name}")
    marked = marked_questions(source)
    for q in assignment.questions:
        settings = marked.get(q.id)
        if settings is None:
            raise ConfigError(f"{path}: question {q.id} of the package (questions.py) has no "
                              "BEGIN QUESTION marker in the source")
        points = settings.get("points")
        if not isinstance(points, int | float) or float(points) != float(q.points):
            raise ConfigError(f"{path}: question {q.id} has points: {points} in its BEGIN "
                              f"QUESTION marker but {q.points:g} in the package (questions.py)")
    graded = set(assignment.question_ids)
    for name, settings in marked.items():
        if name not in graded and not settings.get("manual"):
            raise ConfigError(f"{path}: BEGIN QUESTION {name} is not a question of the package "
                              f"(questions.py has {', '.join(assignment.question_ids)}); mark "
                              "it manual: true if it is graded by hand")
