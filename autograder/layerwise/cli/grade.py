"""`layerwise grade`: a class graded by `layerwise.grade.run`, with a progress display."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from layerwise.cli.options import AssignmentOption, KitOption
from layerwise.console import err, out
from layerwise.execute.executor import Executor
from layerwise.execute.sandbox import SandboxMode
from layerwise.report.words import Lang


def grade_command(
    paths: Annotated[list[Path], typer.Argument(help=".ipynb files, folders or .zip archives")],
    out_dir: Annotated[Path, typer.Option("--out", help="the run folder")],
    workers: Annotated[int, typer.Option(help="parallel workers (default: the cores)")] = 0,
    seed: Annotated[int | None, typer.Option(help="hidden cases' seed (default: recorded "
                                             "in the run folder, else random)")] = None,
    timeout: Annotated[float, typer.Option(help="seconds per notebook")] = 120.0,
    cell_timeout: Annotated[float, typer.Option(help="seconds per cell")] = 60.0,
    force: Annotated[bool, typer.Option(help="regrade what is already graded")] = False,
    kit: KitOption = None,
    assignment: AssignmentOption = None,
    solution: Annotated[Path | None, typer.Option(
        help="the executed reference solution (default: the kit's "
             "solutions/<assignment>.ipynb)")] = None,
    sandbox: Annotated[SandboxMode, typer.Option(help="how submissions are confined")] =
        SandboxMode.auto,
    executor: Annotated[Executor, typer.Option(help="where submissions run")] = Executor.local,
    scheduler: Annotated[str | None, typer.Option(help="dask scheduler, tcp://HOST:PORT")] =
        None,
    lang: Annotated[Lang | None, typer.Option(
        "--lang", help="language of the dashboard and the exports (default: the run folder's "
                       "earlier choice, else the class's majority)")] = None,
) -> None:
    """Grade a class against the reference solution, each submission in its own sandbox."""
    import os

    from layerwise.execute.limits import Limits
    from layerwise.grade.run import Options
    from layerwise.grade.run import grade as run_grade
    from layerwise.progress import RunProgress, summary_table
    from layerwise.report.runfolder import read_records

    limits = Limits(notebook_seconds=timeout, cell_seconds=min(cell_timeout, timeout))
    options = Options(solution=solution, assignment=assignment, kit=kit,
                      workers=workers or os.cpu_count() or 1, seed=seed,
                      limits=limits, force=force, sandbox=sandbox, executor=executor,
                      scheduler=scheduler, lang=lang.value if lang else None)
    progress = RunProgress(err)
    try:
        info = run_grade(paths, out_dir, options, progress)
    finally:
        progress.stop()
    out.print(summary_table(read_records(out_dir)))
    t = info.get("timings", {})
    out.print(f"seed {info['seed']} · {info['students']} students · {t.get('total_s')} s · "
              f"results in {out_dir}")
