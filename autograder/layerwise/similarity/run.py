"""`layerwise similarity RUN`: read a run folder (and earlier ones), score every pair, write
the report into RUN (similarity.html, similarity/*) and the fingerprints for later terms."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layerwise import registry
from layerwise.errors import LayerwiseError
from layerwise.intake.notebook import InvalidNotebook, read_notebook
from layerwise.kit import RELEASE_DIR
from layerwise.report.runfolder import read_finished_run, read_run_info
from layerwise.similarity.answers import wrong_answers
from layerwise.similarity.clusters import clusters
from layerwise.similarity.pairs import CODE_THRESHOLD, Entry, Pair, score
from layerwise.similarity.store import (
    Fingerprints,
    encodable,
    notebook_fingerprints,
    read_code,
    read_fingerprints,
    write_fingerprints,
)

REFERENCE = "reference"
"""The id of the reference solution among the notebooks compared."""


class SimilarityError(LayerwiseError):
    """The inputs of `layerwise similarity` cannot be used."""


@dataclass
class Result:
    run_dir: Path
    assignment: str
    entries: list[Entry]
    pairs: list[Pair]
    clusters: list[list[str]]
    code: dict[str, list[str]]
    """Entry id -> its code cells (for the side-by-side pages)."""
    records: dict[str, dict[str, Any]]
    warnings: list[str]
    threshold: float
    starter: set[int]
    """Fingerprints of the release notebook, subtracted from every notebook."""


def _entry(eid: str, fps: Fingerprints, kind: str, run: str = "") -> Entry:
    units = {u: {int(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in rows}
             for u, rows in fps.items()}
    return Entry(eid, kind, run, units)


def _notebook_cells(path: Path) -> list[str]:
    try:
        return encodable(read_notebook(path.read_bytes()).cells)
    except (InvalidNotebook, OSError) as exc:
        raise SimilarityError(f"{path}: cannot read this notebook ({exc})") from exc


def _graded(assignment: str) -> list[str]:
    return [q.function for q in registry.get(assignment).questions]


def _run_entries(run_dir: Path, graded: list[str], kind: str, warnings: list[str],
                 code: dict[str, list[str]], prefix: str = "") -> tuple[
                     dict[str, Fingerprints], list[Entry], dict[str, dict[str, Any]]]:
    """One run's students: fingerprints (stored ones reused when current), entries, records."""
    records = {r["student"]: dict(r) for r in read_finished_run(run_dir)}
    stored = read_fingerprints(run_dir) or {}
    fps: dict[str, Fingerprints] = {}
    entries: list[Entry] = []
    missing: list[str] = []
    for sid, rec in records.items():
        identity = rec.get("identity")
        origin = str(identity.get("origin", "")) if isinstance(identity, dict) else ""
        cells = read_code(run_dir / sid, origin)
        if cells is not None:
            code[prefix + sid] = cells
            fps[sid] = notebook_fingerprints(cells, graded)
        elif sid in stored:
            fps[sid] = stored[sid]
        elif rec["status"] != "invalid":
            missing.append(sid)
        entry = _entry(prefix + sid, fps.get(sid, {}), kind, run_dir.name)
        if kind == "student":
            entry.wrong = wrong_answers(rec)
        entries.append(entry)
    if missing:
        warnings.append(f"{run_dir}: no code kept for {len(missing)} notebook(s) "
                        f"({', '.join(missing[:5])}): compared by their answers only "
                        "(grade them again with this version to keep their code)")
    return fps, entries, records


def compare(run_dir: Path, previous: list[Path] | None = None, staff: list[Path] | None = None,
            kit: Path | None = None, threshold: float = CODE_THRESHOLD) -> Result:
    """Score every pair of this run (and against earlier runs, the reference and staff)."""
    info = read_run_info(run_dir) or {}
    records_list = read_finished_run(run_dir)
    assignment = str(info.get("assignment") or records_list[0].get("assignment") or "")
    if not assignment:
        raise SimilarityError(f"{run_dir}/run.json names no assignment: grade it again with "
                              "this version of layerwise")
    graded = _graded(assignment)
    warnings: list[str] = []
    code: dict[str, list[str]] = {}
    fps, entries, records = _run_entries(run_dir, graded, "student", warnings, code)
    write_fingerprints(run_dir, assignment, info.get("seed"), fps)

    solution = Path(str(info.get("solution", "")))
    kit_dir = kit or (solution.resolve().parent.parent if solution.suffix == ".ipynb" else None)
    release = sorted((kit_dir / RELEASE_DIR / assignment).glob("*.ipynb")) if kit_dir else []
    starter = starter_fingerprints([_notebook_cells(p) for p in release], graded)
    if not release:
        warnings.append(f"no release notebook found ({kit_dir}/{RELEASE_DIR}/{assignment}/): "
                        "the starter code is not subtracted (pass --kit DIR)")
    if solution.suffix == ".ipynb" and solution.is_file():
        cells = _notebook_cells(solution)
        code[REFERENCE] = cells
        entries.append(_entry(REFERENCE, notebook_fingerprints(cells, graded), "reference"))
    for path in staff or []:
        cells = _notebook_cells(path)
        sid = f"staff:{path.stem}"
        code[sid] = cells
        entries.append(_entry(sid, notebook_fingerprints(cells, graded), "staff"))
    for prev in previous or []:
        prev_info = read_run_info(prev) or {}
        if prev_info.get("assignment") not in (None, assignment):
            raise SimilarityError(f"{prev} is a run of {prev_info.get('assignment')}, not "
                                  f"{assignment}")
        prefix = f"{prev.resolve().name}/"
        entries += _run_entries(prev, graded, "previous", warnings, code, prefix)[1]
    pairs = score(entries, starter, threshold)
    return Result(run_dir, assignment, entries, pairs, clusters(pairs), code, records, warnings,
                  threshold, starter)


def starter_fingerprints(notebooks: list[list[str]], graded: list[str]) -> set[int]:
    """Every fingerprint of the release notebooks (the starter code)."""
    return {int(r[0]) for cells in notebooks
            for rows in notebook_fingerprints(cells, graded).values() for r in rows}


def compare_notebooks(notebooks: dict[str, list[str]], graded: list[str],
                      starter: list[list[str]], threshold: float = CODE_THRESHOLD) -> list[Pair]:
    """The code signal of notebooks given as code cells (no run folder): for benchmarks."""
    entries = [_entry(i, notebook_fingerprints(c, graded), "student")
               for i, c in notebooks.items()]
    return score(entries, starter_fingerprints(starter, graded), threshold)
