"""`layerwise similarity`: a run's look-alike pairs, found by `layerwise.similarity`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from layerwise.cli.options import KitOption
from layerwise.console import out
from layerwise.errors import ConfigError


def similarity_command(
    run: Annotated[Path, typer.Argument(help="the run folder of `layerwise grade`")],
    previous: Annotated[list[Path] | None, typer.Option(
        "--previous", help="an earlier run folder (another term) to compare with; repeatable")
    ] = None,
    staff: Annotated[list[Path] | None, typer.Option(
        "--staff", help="a staff notebook, labelled in the report; repeatable")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the JSON here")
                        ] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="also write the pairs' CSV here")
                       ] = None,
    kit: KitOption = None,
) -> None:
    """Pairs of notebooks whose code or rare wrong answers match, for review (writes
    RUN/similarity.html and links it from the class dashboard)."""
    try:
        from layerwise.similarity.command import run_similarity
    except ModuleNotFoundError as exc:  # networkx comes with the `similarity` extra
        raise ConfigError(f"layerwise similarity needs {exc.name}: pip install "
                          "'layerwise[similarity]'") from None
    out.print(run_similarity(run, previous or [], staff or [], json_out, csv_out, kit))
