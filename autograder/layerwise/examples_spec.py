"""What a lesson's examples module declares (`Assignment.examples`): the mistakes and the
students' styles of its example class. Plain types, so a lesson declares them without importing
the build, which makes the class from them (`layerwise.build.examples`)."""

from __future__ import annotations

from dataclasses import dataclass

from layerwise.status import Status


@dataclass(frozen=True)
class Mutant:
    """A student notebook with one mistake: the edit, and what the grader must say about it."""

    name: str
    old: str
    new: str
    question: str | None
    diagnosis: str | None
    status: str = Status.graded


@dataclass(frozen=True)
class Style:
    """A correct notebook written the way some students write it: it must get full marks."""

    name: str
    edits: tuple[tuple[str, str], ...] = ()
    """(old, new) replacements in the solved notebook's code, each applied once."""
    cells_before: tuple[str, ...] = ()
    """Code cells put before the notebook's first code cell (Colab leftovers)."""
    nbformat: int = 4
    """The format the file is saved in (3: Jupyter before 4.0)."""
    metadata: tuple[tuple[str, object], ...] = ()
