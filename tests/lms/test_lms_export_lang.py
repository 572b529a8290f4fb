"""`layerwise export` in the TA's language: comments (and the plain CSV's words) follow
`--lang` or the run's `grade --lang`; the columns an LMS parses never change."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from layerwise.lms.export import ExportFormat, export
from layerwise.lms.run import load_results
from lms_fakes import cli
from typer.testing import CliRunner

CANVAS_HEADER = "Student,ID,SIS User ID,SIS Login ID,Section,cnn_keras (42)"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def test_plain_csv_in_portuguese(canvas_run: Path) -> None:
    done = export(load_results(canvas_run), ExportFormat.csv, canvas_run / "p.csv", lang="pt")
    rows = {r["aluno"]: r for r in _rows(done.path)}
    assert rows["rochadavi_104"]["situação"] == "tempo esgotado"
    assert rows["limacarla_103"]["situação"] == "corrigido"
    assert rows["limacarla_103"]["atrasado"] == "não"
    assert rows["limacarla_103"]["comentário"].startswith("100/100. Resumo")
    english = export(load_results(canvas_run), ExportFormat.csv, canvas_run / "e.csv", lang="en")
    row = next(r for r in _rows(english.path) if r["student"] == "limacarla_103")
    assert row["status"] == "graded" and row["late"] == "no"
    assert row["comment"].startswith("100/100. Summary")


def test_moodle_comments_follow_the_chosen_language(moodle_run: Path) -> None:
    chosen = export(load_results(moodle_run), ExportFormat.moodle_csv, moodle_run / "m.csv",
                    lang="en")
    rows = _rows(chosen.path)
    assert next(iter(rows[0])) == "Identifier"  # Moodle's English columns, whatever the language
    assert {r["Feedback comments"].split(". ")[1].split()[0] for r in rows} == {"Summary"}
    default = export(load_results(moodle_run), ExportFormat.moodle_csv, moodle_run / "d.csv")
    words = {r["Full name"]: r["Feedback comments"].split(". ")[1].split()[0]
             for r in _rows(default.path)}
    assert words["Alice Silva"] == "Resumo" and words["Carla Lima"] == "Summary"  # each notebook's


def test_export_uses_the_runs_language_and_keeps_canvas_columns(canvas_run: Path) -> None:
    info = json.loads((canvas_run / "run.json").read_text())
    (canvas_run / "run.json").write_text(json.dumps(info | {"lang": "pt"}))
    runner = CliRunner()
    done = runner.invoke(cli(), ["export", str(canvas_run), "--to", "csv"])
    assert done.exit_code == 0, done.output
    assert (canvas_run / "grades-export.csv").read_text(encoding="utf-8").startswith("aluno,")
    done = runner.invoke(cli(), ["export", str(canvas_run), "--to", "csv", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert (canvas_run / "grades-export.csv").read_text(encoding="utf-8").startswith("student,")
    done = runner.invoke(cli(), ["export", str(canvas_run), "--to", "canvas-csv",
                                 "--assignment-id", "42"])
    assert done.exit_code == 0, done.output
    assert (canvas_run / "canvas-gradebook.csv").read_text().splitlines()[0] == CANVAS_HEADER
    bad = runner.invoke(cli(), ["export", str(canvas_run), "--to", "csv", "--lang", "fr"])
    assert bad.exit_code == 2
