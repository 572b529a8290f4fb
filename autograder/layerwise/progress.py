"""Progress bar with ETA on stderr, and the summary table at the end of a run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from layerwise.intake.collect import describe
from layerwise.intake.entries import Skipped
from layerwise.report.runfolder import question_ids
from layerwise.status import Status


class RunProgress:
    """What `grade` reports as it goes."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                            TextColumn("{task.fields[last]}"), console=console, transient=False)
        self.task: Any = None

    def warn(self, text: str) -> None:
        self.console.print(f"[bold yellow]WARNING[/]: {text}")

    def start(self, total: int, skipped: list[Skipped],
              intake: dict[str, Any] | None = None) -> None:
        for s in skipped:
            self.console.print(f"[yellow]skipped[/] {s.origin}: {s.reason}")
        if intake:
            self.console.print(describe(intake), markup=False, highlight=False)
        self.bar.start()
        self.task = self.bar.add_task("grading", total=total, last="")

    def advance(self, rec: Mapping[str, Any]) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=1,
                            last=f"{rec['student']}: {rec['status']} {rec['total']:g}")

    def stop(self) -> None:
        self.bar.stop()


def summary_table(records: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(title="layerwise grade")
    ids = question_ids(records)
    for col in ("student", "status", "total", *ids):
        table.add_column(col, justify="left" if col in ("student", "status") else "right")
    for rec in sorted(records, key=lambda r: r["student"]):
        scores = {q["id"]: q["score"] for q in rec["questions"]}
        style = "" if rec["status"] == Status.graded else "red"
        table.add_row(rec["student"], rec["status"], f"{rec['total']:g}",
                      *(f"{scores.get(q, 0):g}" for q in ids), style=style)
    return table
