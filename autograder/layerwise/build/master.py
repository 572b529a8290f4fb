"""The otter master of one edition: hidden tests inserted and the assignment config completed."""

from __future__ import annotations

import copy

import nbformat
from nbformat import NotebookNode

from . import markers
from .hidden import HiddenSource, checked

REQUIREMENTS = "requirements.txt"
PYTHON_VERSION = "3.11"
"""Python of the Gradescope image's conda environment: the version the kit is tested on."""
GENERATE: dict[str, object] = {"show_hidden": True}
"""Autograder settings: results of hidden tests (one entry per question, with the kit's
explanations of each failed case) are shown to students once grades are published."""


def _configured(cell: NotebookNode, packages: list[str]) -> NotebookNode:
    """The ASSIGNMENT CONFIG cell with the grader requirements, the packages the hidden tests
    import and the autograder's settings."""
    settings = markers.config(cell)
    settings["requirements"] = REQUIREMENTS
    settings["python_version"] = PYTHON_VERSION
    generate = settings.get("generate")
    settings["generate"] = {**(generate if isinstance(generate, dict) else {}), **GENERATE}
    files = [f for f in settings.get("autograder_files", []) if f not in packages]
    settings["autograder_files"] = [*files, *packages]
    return markers.raw_cell("ASSIGNMENT CONFIG", settings)


def otter_master(nb: NotebookNode, hidden_cells: HiddenSource, packages: list[str]
                 ) -> NotebookNode:
    """A copy of edition `nb` with each question's hidden tests at the end of its TESTS block."""
    out = copy.deepcopy(nb)
    cells: list[NotebookNode] = []
    question: str | None = None
    for cell in out.cells:
        kind = markers.marker(cell)
        if kind == "ASSIGNMENT CONFIG":
            cell = _configured(cell, packages)
        elif kind == "BEGIN QUESTION":
            question = str(markers.config(cell)["name"])
        elif kind == "END QUESTION":
            question = None
        elif kind == "END TESTS":
            if question is None:
                raise ValueError("A TESTS block outside any question")
            for source in checked(question, list(hidden_cells(question))):
                cells.append(nbformat.v4.new_code_cell(source))
        cells.append(cell)
    if not any(markers.marker(c) == "ASSIGNMENT CONFIG" for c in cells):
        raise ValueError("The source has no ASSIGNMENT CONFIG cell")
    out.cells = cells
    return out
