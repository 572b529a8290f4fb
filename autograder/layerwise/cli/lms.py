"""`layerwise export` and `layerwise upload canvas|moodle`: a run's grades out to an LMS, by
`layerwise.lms`.

Tokens come from the environment (``CANVAS_TOKEN``, ``MOODLE_TOKEN``) and are never printed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from layerwise.console import err, out
from layerwise.lms import canvas, moodle
from layerwise.lms.export import DEFAULT_FILE, ExportFormat, export
from layerwise.lms.ledger import Ledger, LedgerError, ledger_path
from layerwise.lms.retry import Backoff, LMSError
from layerwise.lms.run import RunFolderError, StudentResult, load_results
from layerwise.lms.upload import Outcome, Plan, Planned, Sender, plan, send_all
from layerwise.report.runfolder import read_run_info
from layerwise.report.words import Lang

upload_app = typer.Typer(help="Send a run's grades and comments to an LMS through its API.",
                         no_args_is_help=True, add_completion=False)

RunDir = Annotated[Path, typer.Argument(help="the run folder (`layerwise grade --out`)")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="show what would be sent; send nothing")]
GradedOnly = Annotated[bool, typer.Option(
    "--graded-only", help="leave out notebooks that were invalid, timed out or crashed")]
RetryWait = Annotated[float, typer.Option(
    help="seconds to wait after a first rate limit (doubles on each retry)")]
Force = Annotated[bool, typer.Option(
    "--force", help="send even where the LMS says to leave the grade alone: excused, graded "
                    "by someone else, resubmitted after the download")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(Text("error: ", style="bold red") + Text(message), highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _results(run_dir: Path) -> list[StudentResult]:
    try:
        return load_results(run_dir)
    except RunFolderError as exc:
        raise _fail(str(exc)) from exc


def _left_out(rows: list[tuple[str, str]], title: str) -> None:
    if not rows:
        return
    table = Table(title=title, title_justify="left")
    table.add_column("student")
    table.add_column("why")
    for student, why in rows:
        table.add_row(Text(student), Text(why))
    out.print(table)


def export_command(
    run_dir: RunDir,
    to: Annotated[ExportFormat, typer.Option("--to", help="the LMS's import format")],
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="file to write (default: a file named after the format in RUN_DIR)")]
        = None,
    assignment_name: Annotated[str, typer.Option(
        help="Canvas: the assignment column's name (default: the run's assignment)")] = "",
    assignment_id: Annotated[str, typer.Option(
        help="Canvas: the assignment's id, so the import updates it instead of creating a "
             "new assignment")] = "",
    graded_only: GradedOnly = False,
    max_grade: Annotated[float | None, typer.Option(
        help="the LMS assignment's maximum (Canvas points possible, Moodle maximum grade): "
             "totals are scaled to it (default: the run's, out of 100)", min=0.01)] = None,
    lang: Annotated[Lang | None, typer.Option(
        "--lang", help="language of the comments (and of the plain csv's words); default: "
                       "the run's `grade --lang`, else each student's notebook's")] = None,
) -> None:
    """Write the run's grades as a file to import in an LMS's gradebook page."""
    results = _results(run_dir)
    path = out_file or run_dir / DEFAULT_FILE[to]
    chosen = lang.value if lang else (read_run_info(run_dir) or {}).get("lang")
    done = export(results, to, path, assignment_name=assignment_name,
                  assignment_id=assignment_id, graded_only=graded_only, max_grade=max_grade,
                  lang=chosen)
    _left_out(done.left_out, "left out")
    out.print(f"wrote {done.rows} students to {done.path}, out of {done.maximum:g}")
    if max_grade is None and to is not ExportFormat.csv:
        out.print(f"note: grades are out of {done.maximum:g}; pass --max-grade if the LMS "
                  "assignment's maximum differs (Moodle skips grades above it, Canvas takes "
                  "them as extra credit)")
    if to is ExportFormat.canvas_csv and not assignment_id:
        out.print("note: without --assignment-id Canvas creates a new assignment on import")
    if to is ExportFormat.moodle_csv:
        out.print("note: Moodle matches these English column names against the importing "
                  "user's language: import with your Moodle language set to English")


def _plan_table(the_plan: Plan, label: str) -> Table:
    table = Table(title=f"to send to {label}", title_justify="left")
    for column in ("student", f"{label} id", "score", "comment", "change"):
        table.add_column(column)
    for item in the_plan.to_send:
        comment = item.comment if len(item.comment) <= 60 else item.comment[:59] + "…"
        table.add_row(Text(item.student), Text(item.ref), f"{item.score:g}",
                      Text(comment) if item.send_comment else "(unchanged)", Text(item.change))
    return table


def _outcome(outcome: Outcome, label: str) -> None:
    if outcome.left_alone:
        _left_out(outcome.left_alone, f"left alone in {label} (--force sends them)")
    if outcome.failed:
        _left_out(outcome.failed, f"not sent to {label} (a rerun will retry)")
    if outcome.stopped:
        err.print(Text(outcome.stopped, style="bold red"), highlight=False)
    if outcome.not_attempted:
        out.print(f"{len(outcome.not_attempted)} students not attempted: rerun the same "
                  "command to send them")
    out.print(f"sent {len(outcome.sent)} · left alone {len(outcome.left_alone)} · "
              f"failed {len(outcome.failed)} · not attempted {len(outcome.not_attempted)}")


def _upload(run_dir: Path, lms: str, label: str, target: str, token_env: str,
            make_sender: Callable[[str], Sender], dry_run: bool, graded_only: bool,
            release: bool = False) -> None:
    results = _results(run_dir)
    token = os.environ.get(token_env, "").strip()
    if not token and not dry_run:
        raise _fail(f"set the {token_env} environment variable to your {label} API token")
    try:
        ledger = Ledger(ledger_path(run_dir, lms), lms, target)
    except LedgerError as exc:
        raise _fail(str(exc)) from exc
    the_plan = plan(results, ledger, lms, label, graded_only, release=release)
    _left_out(the_plan.left_out, f"not for {label}")
    if the_plan.unchanged:
        out.print(f"{len(the_plan.unchanged)} students unchanged since the last upload")
    if not the_plan.to_send and (dry_run or not the_plan.unchanged):
        out.print("nothing to send")
        return
    if the_plan.to_send:
        out.print(_plan_table(the_plan, label))
    if dry_run:
        out.print(f"dry run: nothing sent ({len(the_plan.to_send)} would be)")
        out.print(f"scores are the run's; they go out scaled to the {label} assignment's "
                  "maximum, read when connecting")
        return
    # connect even when nothing changed in the run: the LMS's scale may have
    sender = make_sender(token)

    def report(item: Planned, verdict: str) -> None:
        out.print(f"{item.student}: {verdict}", markup=False, highlight=False)

    try:
        with ledger.locked():
            try:
                out.print(f"{label}: {sender.connect()}", markup=False, highlight=False)
            except LMSError as exc:
                raise _fail(f"{exc}; nothing was sent") from exc
            again = plan(results, ledger, lms, label, graded_only, sender.scale, release)
            if not again.to_send:
                out.print(f"nothing to send (the {label} scale is unchanged)")
                return
            if len(again.to_send) != len(the_plan.to_send):
                out.print(_plan_table(again, label))
            the_plan = again
            outcome = send_all(the_plan.to_send, sender, ledger, report)
    except LedgerError as exc:
        raise _fail(str(exc)) from exc
    _outcome(outcome, label)
    if not outcome.ok:
        raise typer.Exit(1)


@upload_app.command("canvas")
def canvas_command(
    run_dir: RunDir,
    course: Annotated[str, typer.Option(help="the Canvas course id")],
    assignment: Annotated[str, typer.Option(help="the Canvas assignment id")],
    url: Annotated[str, typer.Option(help="the Canvas address", envvar="CANVAS_URL")]
        = canvas.DEFAULT_URL,
    dry_run: DryRun = False,
    graded_only: GradedOnly = False,
    force: Force = False,
    retry_wait: RetryWait = 2.0,
) -> None:
    """Post grades (on the assignment's points) and comments to a Canvas assignment
    (token: CANVAS_TOKEN)."""
    backoff = Backoff(base=retry_wait)

    def make(token: str) -> Sender:
        return canvas.CanvasSender(url, token, course, assignment, backoff, force=force)

    _upload(run_dir, "canvas", "Canvas", canvas.target(url, course, assignment),
            canvas.TOKEN_ENV, make, dry_run, graded_only)


@upload_app.command("moodle")
def moodle_command(
    run_dir: RunDir,
    url: Annotated[str, typer.Option(help="the Moodle address", envvar="MOODLE_URL")],
    assignment: Annotated[str, typer.Option(help="the assignment's instance id (assignid)")],
    course: Annotated[str, typer.Option(
        help="the course id, when the token's user is not enrolled in it")] = "",
    dry_run: DryRun = False,
    graded_only: GradedOnly = False,
    force: Force = False,
    release: Annotated[bool, typer.Option(
        "--release", help="marking workflow: release the grades to the students (default: "
                          "'marking completed', for a person to release)")] = False,
    retry_wait: RetryWait = 2.0,
) -> None:
    """Save grades (on the assignment's maximum) and feedback comments in a Moodle assignment
    (token: MOODLE_TOKEN)."""
    backoff = Backoff(base=retry_wait)

    def make(token: str) -> Sender:
        return moodle.MoodleSender(url, token, assignment, backoff, force=force,
                                   release=release, course_id=course)

    _upload(run_dir, "moodle", "Moodle", moodle.target(url, assignment), moodle.TOKEN_ENV,
            make, dry_run, graded_only, release)
