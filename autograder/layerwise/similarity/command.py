"""What `layerwise similarity` does after parsing its options: compare, write the report,
refresh the class dashboard with its link (a regrade rewrites the
dashboard without it: the report is stale then); returns the line it prints."""

from __future__ import annotations

from pathlib import Path

from layerwise.report.dashboard import write_dashboard
from layerwise.report.runfolder import read_finished_run, read_run_info
from layerwise.similarity.report import PAGE, summary, write
from layerwise.similarity.run import compare


def run_similarity(run: Path, previous: list[Path], staff: list[Path], json_out: Path | None,
                   csv_out: Path | None, kit: Path | None) -> str:
    result = compare(run, previous, staff, kit)
    data = write(result, json_out, csv_out)
    info = read_run_info(run)
    if info is not None:  # the dashboard links the report and shows the first tier's count
        write_dashboard(run, [dict(r) for r in read_finished_run(run)],
                        dict(info) | {"similarity": summary(run)})
    lines = [*(f"warning: {w}" for w in result.warnings),
             f"{data['students']} students · {data['tiers']['both']} pairs with both signals "
             f"high · {data['tiers']['either']} with one · {len(data['clusters'])} clusters · "
             f"{run / PAGE}"]
    return "\n".join(lines)
