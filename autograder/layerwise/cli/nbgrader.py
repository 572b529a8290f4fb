"""`layerwise nbgrader-import`: a run's scores into an nbgrader gradebook, by
`layerwise.native_paths.nbgrader_gradebook`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from layerwise.console import err, out
from layerwise.native_paths.nbgrader_gradebook import (
    GradebookImportError,
    import_run,
    read_student_map,
)


def nbgrader_import_command(
    run_dir: Annotated[Path, typer.Argument(help="the run folder (`layerwise grade --out`)")],
    course_dir: Annotated[Path, typer.Option("--course-dir", help="the nbgrader course folder "
                                             "(holds nbgrader_config.py and source/)")],
    db_url: Annotated[str | None, typer.Option(help="gradebook's SQLAlchemy URL (default: "
                                               "sqlite:///COURSE_DIR/gradebook.db)")] = None,
    assignment: Annotated[str | None, typer.Option(
        help="the nbgrader assignment (default: the run's; its English edition is "
             "<name>_en)")] = None,
    student_map: Annotated[Path | None, typer.Option(
        help="CSV student,nbgrader_id: the run's ids to the hub's user names")] = None,
) -> None:
    """Put a run's per-question grades in the nbgrader gradebook (formgrader, `nbgrader export`)."""
    try:
        mapping = read_student_map(student_map) if student_map else None
        summary = import_run(run_dir, course_dir, assignment=assignment, db_url=db_url,
                             student_map=mapping)
    except GradebookImportError as exc:
        err.print(f"[bold red]error[/]: {exc}")
        raise typer.Exit(2) from exc
    table = Table(title=f"{summary.assignment} → {summary.db_url}", title_justify="left")
    table.add_column("student")
    table.add_column("score", justify="right")
    for student, score in sorted(summary.imported.items()):
        table.add_row(student, f"{score:g}")
    out.print(table)
    if summary.created_assignment:
        out.print(f"recorded assignment {summary.assignment} from {course_dir / 'source'}")
