"""The `layerwise` command: verbs only; each one calls the module that does the work."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from layerwise.console import err, out
from layerwise.errors import LayerwiseError
from layerwise.execute.executor import Executor
from layerwise.execute.sandbox import SandboxMode
from layerwise.kit import SOURCE_DIR, find_kit
from layerwise.report.words import Lang

app = typer.Typer(help="layerwise: build, grade and return notebook assignments, layer by layer.",
                  no_args_is_help=True, add_completion=False)

KitOption = Annotated[Path | None, typer.Option(
    "--kit", help="the kit's folder, holding source/ and solutions/ (default: the current "
                  "folder)")]
AssignmentOption = Annotated[str | None, typer.Option(
    "--assignment", help="a registered assignment (see `layerwise assignments`)")]


@app.command()
def assignments() -> None:
    """The assignments registered (entry-point group layerwise.assignments)."""
    from rich.table import Table

    from layerwise import registry

    table = Table(title="registered assignments", title_justify="left")
    for column in ("name", "title", "questions", "points", "editions", "from"):
        table.add_column(column)
    for name, target in sorted(registry.registered().items()):
        a = registry.get(name)
        table.add_row(a.name, a.title.en, ", ".join(a.question_ids), f"{a.max_total:g}",
                      ", ".join(a.editions), target)
    out.print(table)


@app.command()
def build(kit: KitOption = None, assignment: AssignmentOption = None,
          execute: Annotated[bool, typer.Option(help="execute the solutions")] = True) -> None:
    """Regenerate release/, solutions/, the otter and Gradescope zips, the nbgrader course and
    the example class of each assignment (default: every one whose source/<name>.py is in the
    kit). A Gradescope zip's late penalty and rate limit are the lesson's own (its
    `Assignment.gradescope`)."""
    from layerwise import registry
    from layerwise.build import build as run_build

    chosen = [registry.get(assignment)] if assignment else None
    for path in run_build(find_kit(kit, needs=SOURCE_DIR), assignments=chosen, execute=execute):
        out.print(f"wrote {path}")


@app.command()
def new(name: Annotated[str, typer.Argument(help="the lesson's name: a Python package name")],
        folder: Annotated[Path | None, typer.Option(
            "--dir", help="where to write the course folder (default: ./NAME)")] = None) -> None:
    """Write a minimal, working lesson a course owns: its instructor source, its package, an
    example class, a pyproject.toml registering it and a test (docs/new-lesson.md)."""
    from layerwise.scaffold import write_lesson

    target = folder or Path(name)
    for path in write_lesson(name, target):
        out.print(f"wrote {path}")
    out.print(f"next: cd {target} && pip install -e . && layerwise build && layerwise grade "
              f"autograder/examples/{name} --out run")


@app.command()
def grade(
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


@app.command()
def similarity(
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
    from layerwise.errors import ConfigError

    try:
        from layerwise.similarity.command import run_similarity
    except ModuleNotFoundError as exc:  # networkx comes with the `similarity` extra
        raise ConfigError(f"layerwise similarity needs {exc.name}: pip install "
                          "'layerwise[similarity]'") from None
    out.print(run_similarity(run, previous or [], staff or [], json_out, csv_out, kit))


@app.command()
def serve(
    data: Annotated[Path, typer.Option("--data", help="data folder: notebooks, results, and "
                                       "the SQLite database unless --db")],
    db: Annotated[str, typer.Option("--db", help="database URL, e.g. "
                                    "postgresql+psycopg://user@host/db")] = "",
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="grading workers in this process (0: serve "
                                         "pages only)")] = 2,
    kit: KitOption = None,
    sandbox: Annotated[SandboxMode, typer.Option(help="how submissions are confined")] =
        SandboxMode.auto,
    frame_ancestors: Annotated[str, typer.Option(help="CSP frame-ancestors (LMS iframes)")] =
        "'none'",
    secure_cookies: Annotated[bool, typer.Option(help="Secure cookies (behind HTTPS)")] = False,
    timeout: Annotated[float, typer.Option(help="seconds per notebook")] = 120.0,
    cell_timeout: Annotated[float, typer.Option(help="seconds per cell")] = 60.0,
    base_url: Annotated[str, typer.Option("--base-url", help="public address, for LTI "
                                          "(default http://HOST:PORT)")] = "",
    lti_registration_key: Annotated[str, typer.Option(
        envvar="LAYERWISE_LTI_KEY", help="key of the LTI dynamic-registration URL (docs/lti.md)")] = "",
) -> None:
    """Students submit notebooks and read the feedback in seconds (docs/serve.md)."""
    from layerwise.execute.limits import Limits
    from layerwise.serve.config import Settings
    from layerwise.serve.run import serve as run_serve

    limits = Limits(notebook_seconds=timeout, cell_seconds=min(cell_timeout, timeout))
    run_serve(Settings(data=data, db=db, host=host, port=port, workers=workers, kit=kit,
                       sandbox=sandbox, frame_ancestors=frame_ancestors,
                       secure_cookies=secure_cookies, limits=limits, base_url=base_url,
                       lti_registration_key=lti_registration_key))


from layerwise.lms.cli import export_command, upload_app  # noqa: E402
from layerwise.lti.cli import lti_app  # noqa: E402
from layerwise.native_paths.nbgrader_gradebook import nbgrader_import_command  # noqa: E402
from layerwise.serve.cli import admin_app  # noqa: E402

app.command("export")(export_command)
app.command("nbgrader-import")(nbgrader_import_command)
app.add_typer(upload_app, name="upload")
app.add_typer(admin_app, name="serve-admin")
app.add_typer(lti_app, name="lti")


def main() -> None:
    """The console script: the kit's own errors end in one line and exit code 2."""
    try:
        app(prog_name="layerwise", standalone_mode=True)
    except LayerwiseError as exc:
        err.print(Text("error: ", style="bold red") + Text(str(exc)), highlight=False,
                  soft_wrap=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
