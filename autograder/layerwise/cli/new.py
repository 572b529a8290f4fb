"""`layerwise new`: a course's own lesson, written by `layerwise.scaffold`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from layerwise.console import out


def new_command(name: Annotated[str, typer.Argument(help="the lesson's name: a Python package name")],
                folder: Annotated[Path | None, typer.Option(
                    "--dir", help="where to write the course folder (default: ./NAME)")] = None
                ) -> None:
    """Write a minimal, working lesson a course owns: its instructor source, its package, an
    example class, a pyproject.toml registering it and a test (docs/new-lesson.md)."""
    from layerwise.scaffold import write_lesson

    target = folder or Path(name)
    for path in write_lesson(name, target):
        out.print(f"wrote {path}")
    out.print(f"next: cd {target} && pip install -e . && layerwise build && layerwise grade "
              f"autograder/examples/{name} --out run")
