"""`layerwise build`: a kit's artifacts, made by `layerwise.build`."""

from __future__ import annotations

from typing import Annotated

import typer

from layerwise.cli.options import AssignmentOption, KitOption
from layerwise.console import out
from layerwise.kit import SOURCE_DIR, find_kit


def build_command(kit: KitOption = None, assignment: AssignmentOption = None,
                  execute: Annotated[bool, typer.Option(help="execute the solutions")] = True
                  ) -> None:
    """Regenerate release/, solutions/, the otter and Gradescope zips, the nbgrader course and
    the example class of each assignment (default: every one whose source/<name>.py is in the
    kit). A Gradescope zip's late penalty and rate limit are the lesson's own (its
    `Assignment.gradescope`)."""
    from layerwise import registry
    from layerwise.build import build as run_build

    chosen = [registry.get(assignment)] if assignment else None
    for path in run_build(find_kit(kit, needs=SOURCE_DIR), assignments=chosen, execute=execute):
        out.print(f"wrote {path}")
