"""Options more than one command takes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

KitOption = Annotated[Path | None, typer.Option(
    "--kit", help="the kit's folder, holding source/ and solutions/ (default: the current "
                  "folder)")]
AssignmentOption = Annotated[str | None, typer.Option(
    "--assignment", help="a registered assignment (see `layerwise assignments`)")]
