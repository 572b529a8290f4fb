"""Hostile and broken submissions, graded in one run: each gets the status and score a TA would
expect, honest neighbours are not affected, and nothing outside the run folder changes."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from adversarial_cases import (
    BROKEN,
    FULL,
    HONEST_TOTALS,
    ODD_STUDENTS,
    TOKEN,
    Hostile,
    Places,
    hostile,
)
from layerwise.execute.sandbox import bwrap_sizes_tmpfs

NAMES = [c.name for c in hostile(Places(0, 0, *[Path("/nowhere")] * 4))]
BROKEN_NAMES = [Path(n).stem for n in BROKEN]


def _case(run: dict[str, Any], name: str) -> Hostile:
    return next(c for c in run["expected"]["hostile"] if c.name == name)


def _graded(rec: dict[str, Any]) -> tuple[Any, ...]:
    """Everything a grade is made of: status, total, and per question the score and which
    cases passed with which diagnosis."""
    return (rec["status"], rec["total"],
            [(q["id"], q["score"], [(c["case"], c["passed"], c["diagnosis"])
                                    for c in q["case_results"]]) for q in rec["questions"]])


def test_table(hostile_run: dict[str, Any]) -> None:
    """Prints the table of outcomes (pytest -s) and that the run used bubblewrap if present."""
    rows = sorted(hostile_run["records"].values(), key=lambda r: r["student"])
    for rec in rows:
        print(f"{rec['student']:24} {rec['status']:8} {rec['total']:6g}  {rec['message'][:90]}")
    print(f"{len(rows)} graded in {hostile_run['seconds']:.0f} s")
    sandbox = json.loads((hostile_run["out"] / "run.json").read_text())["sandbox"]
    assert sandbox["sandbox"] == "bubblewrap", sandbox
    assert sandbox["filesystem_isolated"] and sandbox["network_isolated"]
    assert sandbox["disk_quota"] == bwrap_sizes_tmpfs(), sandbox


@pytest.mark.parametrize("name", NAMES)
def test_hostile_submission(hostile_run: dict[str, Any], name: str) -> None:
    case = _case(hostile_run, name)
    rec = hostile_run["records"][name]
    assert rec["status"] == case.status, (rec["status"], rec["message"], rec["cell_errors"])
    if callable(case.score):
        assert case.score(rec["total"]), rec["total"]
    else:
        assert rec["total"] == case.score, [(q["id"], q["score"]) for q in rec["questions"]]
    assert case.message in rec["message"], rec["message"]
    if rec["status"] != "graded":
        assert rec["message"], "a submission that was not graded must say why"
    # The Gradescope file says the same as grading.json, whatever the submission wrote.
    results = json.loads((hostile_run["out"] / name / "results.json").read_text())
    assert results["score"] == rec["total"]


@pytest.mark.parametrize("name", BROKEN_NAMES)
def test_broken_notebook_is_invalid_with_a_clear_message(hostile_run: dict[str, Any],
                                                        name: str) -> None:
    rec = hostile_run["records"][name]
    assert rec["status"] == "invalid" and rec["total"] == 0
    assert hostile_run["expected"]["broken"][name] in rec["message"], rec["message"]


@pytest.mark.parametrize("student", sorted(ODD_STUDENTS.values()))
def test_odd_but_valid_files_are_graded(hostile_run: dict[str, Any], student: str) -> None:
    """A byte-order mark, odd metadata, or a file named like the run's own files."""
    rec = hostile_run["records"][student]
    assert (rec["status"], rec["total"]) == ("graded", FULL), rec["message"]


def test_run_files_are_the_runs(hostile_run: dict[str, Any]) -> None:
    """Students named run.json / grades.csv did not take the place of the run's own files."""
    out = hostile_run["out"]
    assert json.loads((out / "run.json").read_text())["complete"] is True
    with open(out / "grades.csv") as fh:
        rows = list(csv.DictReader(fh))
    students = [r["student"] for r in rows]
    assert sorted(students) == sorted(set(students)) == sorted(hostile_run["records"])
    fake = next(r for r in rows if r["student"] == "fake_results")
    assert float(fake["total"]) == 85


def test_unsafe_archive_entries_are_reported_and_the_rest_graded(hostile_run: dict[str, Any]
                                                                 ) -> None:
    skipped = hostile_run["info"]["skipped_inputs"]
    for entry, reason in hostile_run["expected"]["unsafe"].items():
        match = [s for s in skipped if s["origin"].endswith(":" + entry)]
        assert match and reason in match[0]["reason"], (entry, match)
    link = [s for s in skipped if s["origin"].endswith("sneaky_link.ipynb")]
    assert link and "symbolic link" in link[0]["reason"]
    rec = hostile_run["records"]["zipped_good"]
    assert (rec["status"], rec["total"]) == ("graded", FULL)
    assert not (hostile_run["places"].parent / "escaped.ipynb").exists()


def test_nothing_outside_the_run_changed(hostile_run: dict[str, Any]) -> None:
    """solutions/, the run folder's parent (submissions, canaries), and a canary in /tmp."""
    before, after = hostile_run["before"], hostile_run["after"]
    assert after == before, {k: (before.get(k), after.get(k)) for k in set(before) | set(after)
                             if before.get(k) != after.get(k)}
    assert not hostile_run["places"].marker.exists(), "a pickle from a submission was loaded"


def test_no_connection_reached_the_host(hostile_run: dict[str, Any]) -> None:
    assert hostile_run["arrived"] == []
    errors = " ".join(e["evalue"] for e in hostile_run["records"]["network"]["cell_errors"])
    assert "network:" in errors and "CONNECTED" not in errors, errors


def test_no_secret_reached_any_output(hostile_run: dict[str, Any]) -> None:
    """CANVAS_TOKEN was in the grader's environment; the submissions looked everywhere."""
    errors = " ".join(e["evalue"] for e in hostile_run["records"]["env_tokens"]["cell_errors"])
    assert "tokens:" in errors and TOKEN not in errors
    leaked = [str(p) for p in hostile_run["out"].rglob("*")
              if p.is_file() and TOKEN.encode() in p.read_bytes()]
    assert leaked == []
    message = hostile_run["records"]["symlink_results"]["message"]
    assert "PATH=" not in message and "HOME=" not in message, message


def test_honest_grades_equal_their_grades_alone(hostile_run: dict[str, Any],
                                                honest_alone: dict[str, Any]) -> None:
    """Graded after every hostile submission (in the same workers), the honest notebooks get
    exactly what they get in a run of their own."""
    for name, total in HONEST_TOTALS.items():
        among_hostile = hostile_run["records"][name]
        assert among_hostile["total"] == total
        assert _graded(among_hostile) == _graded(honest_alone["records"][name])


def test_auto_sandbox_is_bubblewrap_when_installed(honest_alone: dict[str, Any]) -> None:
    if Path("/usr/bin/bwrap").exists():
        assert honest_alone["info"]["sandbox"]["sandbox"] == "bubblewrap"
