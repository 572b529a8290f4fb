"""One language edition of the instructor source: markdown cells filtered by their `lang`."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import jupytext
from nbformat import NotebookNode

_HTML_COMMENT_ONLY = re.compile(r"\A\s*<!--(?:(?!-->).)*-->\s*\Z", re.DOTALL)
_SOURCE_ONLY_KEYS = ("lang", "lines_to_next_cell", "cell_marker", "title")


def read_source(path: Path) -> NotebookNode:
    """The jupytext percent source as a notebook."""
    return jupytext.read(path, fmt="py:percent")


def is_instructor_note(cell: NotebookNode) -> bool:
    """A markdown cell that is only an HTML comment: notes for whoever edits the source."""
    return cell.cell_type == "markdown" and bool(_HTML_COMMENT_ONLY.match(cell.source))


def edition(source: NotebookNode, lang: str, assignment: str) -> NotebookNode:
    """Cells of `lang` plus untagged cells, without jupytext metadata or instructor notes; its
    metadata names the assignment and the language (what `layerwise grade` reads back)."""
    nb = copy.deepcopy(source)
    kept = []
    for cell in nb.cells:
        if cell.metadata.get("lang", lang) != lang or is_instructor_note(cell):
            continue
        for key in _SOURCE_ONLY_KEYS:
            cell.metadata.pop(key, None)
        kept.append(cell)
    nb.cells = kept
    nb.metadata.pop("jupytext", None)
    nb.metadata["layerwise"] = {"assignment": assignment, "lang": lang}
    return nb
