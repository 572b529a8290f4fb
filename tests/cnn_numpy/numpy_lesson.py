"""Shared by the second lesson's tests: its solved notebooks and the functions they define."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[2]


def solution(edition: str = "cnn_numpy") -> nbformat.NotebookNode:
    """An edition's executed solution (solutions/<edition>.ipynb)."""
    return nbformat.read(ROOT / "solutions" / f"{edition}.ipynb", as_version=4)


def functions(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """A notebook's NumPy import and function definitions: not its demo cells, nor the Keras
    comparison."""
    env: dict[str, Any] = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(("import numpy", "def ")):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(cell.source, "<cell>", "exec"), env)
    return env
