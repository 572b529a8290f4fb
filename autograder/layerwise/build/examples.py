"""The example class of an assignment (`autograder/examples/<name>/`): the solution, a blank
release, the English edition, one notebook per known mistake (`Mutant`) and correct notebooks in
students' styles (`Style`, both in `layerwise.examples_spec`), from the assignment's examples
module. Used by `make demo`, `make bench` and the tests; written by `layerwise build` after the
solutions."""

from __future__ import annotations

import copy
import importlib
from pathlib import Path

import nbformat

from layerwise.assignment import Assignment
from layerwise.build.layout import Layout
from layerwise.examples_spec import Mutant, Style


def _edit(nb: nbformat.NotebookNode, old: str, new: str, what: str) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code" and old in cell.source:
            cell.source = cell.source.replace(old, new, 1)
            cell.outputs, cell.execution_count = [], None
            return
    raise ValueError(f"{what}: text not found in the solution: {old[:60]!r}")


def apply(nb: nbformat.NotebookNode, mutant: Mutant) -> nbformat.NotebookNode:
    out = copy.deepcopy(nb)
    _edit(out, mutant.old, mutant.new, f"mutant {mutant.name}")
    return out


def styled(nb: nbformat.NotebookNode, style: Style) -> nbformat.NotebookNode:
    """The solved notebook written in `style`."""
    out = copy.deepcopy(nb)
    for old, new in style.edits:
        _edit(out, old, new, f"style {style.name}")
    first = next(i for i, c in enumerate(out.cells) if c.cell_type == "code")
    added = [nbformat.v4.new_code_cell(src, id=f"{style.name}-{i}"[:64])  # stable: no churn
             for i, src in enumerate(style.cells_before)]
    out.cells[first:first] = added
    out.metadata.update(dict(style.metadata))
    return out


def examples_of(assignment: Assignment) -> tuple[tuple[Mutant, ...], tuple[Style, ...]]:
    """The assignment's mutants and styles (none when it has no examples module)."""
    if not assignment.examples:
        return (), ()
    module = importlib.import_module(assignment.examples)
    return tuple(getattr(module, "MUTANTS", ())), tuple(getattr(module, "STYLES", ()))


def _cleared(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def write_example_class(root: Path, assignment: Assignment) -> list[Path]:
    """autograder/examples/<name>/: full marks (every edition), blank, one per mistake, one per
    style, and a file that is not a notebook."""
    layout = Layout(assignment)
    target = root / layout.examples
    target.mkdir(parents=True, exist_ok=True)
    solution = _cleared(root / layout.solution(layout.default_lang))
    mutants, styles = examples_of(assignment)
    notebooks = {"full_marks": solution}
    for lang in layout.langs[1:]:
        path = root / layout.solution(lang)
        if path.is_file():
            notebooks[f"full_marks_{lang}"] = _cleared(path)
    notebooks["blank"] = nbformat.read(root / layout.release / layout.notebook_name(
        layout.default_lang), as_version=4)
    notebooks.update({m.name: apply(solution, m) for m in mutants})
    versions = {s.name: s.nbformat for s in styles}
    notebooks.update({s.name: styled(solution, s) for s in styles})
    written = []
    for name, nb in notebooks.items():
        path = target / f"{name}.ipynb"
        version = versions.get(name, 4)
        if version == 4:
            nbformat.write(nb, path)
        else:
            for cell in nb.cells:
                cell.pop("id", None)  # nbformat 3 cells have no ids
            nbformat.write(nbformat.convert(copy.deepcopy(nb), version), path, version=version)
        written.append(path)
    broken = target / "not_a_notebook.ipynb"
    broken.write_text('{"cells": [ this is not JSON')
    written.append(broken)
    return written
