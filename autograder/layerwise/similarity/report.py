"""The similarity report, for review: RUN/similarity.html (tiers, clusters), one side-by-side
page per flagged pair (RUN/similarity/pair-*.html), similarity.json and pairs.csv. Static
pages, no script, nothing fetched. The words are "similarity" and "for review": the scores
point a person at two notebooks; they decide nothing."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from layerwise.report.runfolder import write_json
from layerwise.similarity import pairs as params
from layerwise.similarity.pairs import Entry, Pair, kept_fingerprints, labelled
from layerwise.similarity.run import Result
from layerwise.similarity.store import FOLDER

PAGE = "similarity.html"
JSON_FILE = "similarity.json"
CSV_FILE = "pairs.csv"
CSV_COLUMNS = ["tier", "a", "a_kind", "b", "b_kind", "code", "shared_fingerprints",
               "decisive_fingerprints", "functions", "answers", "questions", "shared_wrong_cases"]
PAGES = 200
"""Side-by-side pages written, for the first pairs in the order of the report (tier, then
score); the page lists as many rows per tier. Every flagged pair is in the JSON and CSV."""
_ENV = jinja2.Environment(loader=jinja2.PackageLoader("layerwise.report", "templates"),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True)


Kept = dict[str, dict[str, set[int]]]
"""Entry -> unit -> the fingerprints that count."""


@dataclass
class Fragment:
    """A run of matching code: where it is in each notebook (cell, first and last line)."""

    number: int
    a: tuple[int, int, int]
    b: tuple[int, int, int]


def pair_file(p: Pair) -> str:
    return "pair-" + re.sub(r"[^A-Za-z0-9_.-]", "_", f"{p.a}--{p.b}") + ".html"


def fragments(a: Entry, b: Entry, kept: Kept) -> list[Fragment]:
    """The shared fingerprints of two notebooks merged into numbered fragments (runs of
    neighbouring lines in both), in the order of the first notebook."""
    spots = []
    for unit, fps in kept[a.id].items():
        for h in fps & kept[b.id].get(unit, set()):
            spots.append((a.fingerprints[unit][h], b.fingerprints[unit][h]))
    spots.sort()
    merged: list[list[tuple[int, int, int]]] = []
    for sa, sb in spots:
        if merged:
            la, lb = merged[-1]
            if sa[0] == la[0] and sb[0] == lb[0] and sa[1] <= la[2] + 1 \
                    and sb[1] <= lb[2] + 2 and sb[2] >= lb[1] - 2:
                merged[-1] = [(la[0], la[1], max(la[2], sa[2])),
                              (lb[0], min(lb[1], sb[1]), max(lb[2], sb[2]))]
                continue
        merged.append([sa, sb])
    return [Fragment(i, fa, fb) for i, (fa, fb) in enumerate(merged, start=1)]


def _cells(cells: list[str], spans: list[tuple[int, tuple[int, int, int]]]) -> list[Any]:
    """Each cell's lines with the fragment marking each (0: none) and where one starts."""
    out = []
    for c, source in enumerate(cells):
        if not source.strip():
            continue
        lines = []
        for n, text in enumerate(source.splitlines(), start=1):
            mark = next((k for k, (cell, lo, hi) in spans if cell == c and lo <= n <= hi), 0)
            start = next((k for k, (cell, lo, _) in spans if cell == c and lo == n), 0)
            lines.append({"n": n, "text": text, "mark": mark, "start": start})
        out.append({"index": c + 1, "lines": lines})
    return out


def _label(entry: Entry | None) -> str:
    if entry is None:
        return ""
    return {"reference": "solução de referência · reference solution",
            "staff": "equipe · staff", "previous": f"turma anterior · earlier run {entry.run}"
            }.get(entry.kind, "")


def pair_row(p: Pair, by_id: dict[str, Entry], page: bool = True) -> dict[str, Any]:
    return {"tier": p.tier, "a": p.a, "a_kind": by_id[p.a].kind, "b": p.b,
            "b_kind": by_id[p.b].kind, "a_label": _label(by_id[p.a]),
            "b_label": _label(by_id[p.b]), "code": p.code, "code_high": p.code_high,
            "shared_fingerprints": p.shared, "decisive_fingerprints": p.decisive,
            "functions": p.units, "answers": p.answers, "answers_high": p.answers_high,
            "questions": {q: round(w, 3) for q, w in p.questions.items()},
            "shared_wrong_cases": [{"question": q, "case": c, "notebooks": n}
                                   for q, c, n in p.cases],
            "page": f"{FOLDER}/{pair_file(p)}" if page else None}


def to_json(result: Result) -> dict[str, Any]:
    by_id = {e.id: e for e in result.entries}
    flagged = [p for p in result.pairs if p.tier]
    return {
        "assignment": result.assignment, "run": str(result.run_dir),
        "notebooks": [{"id": e.id, "kind": e.kind, "run": e.run} for e in result.entries],
        "students": sum(e.kind == "student" for e in result.entries),
        "thresholds": {"code": result.threshold, "min_shared": params.MIN_SHARED,
                       "short": params.SHORT, "common_share": params.COMMON_SHARE,
                       "rare": round(params.RARE, 3), "min_questions": params.MIN_QUESTIONS,
                       "named_weight": params.NAMED_WEIGHT},
        "tiers": {"both": sum(p.tier == 1 for p in flagged),
                  "either": sum(p.tier == 2 for p in flagged)},
        "pairs": [pair_row(p, by_id, n < PAGES) for n, p in enumerate(flagged)],
        "clusters": result.clusters, "warnings": result.warnings,
    }


def to_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in data["pairs"]:
        writer.writerow(row | {
            "functions": " ".join(row["functions"]),
            "questions": " ".join(f"{q}:{w:g}" for q, w in row["questions"].items()),
            "shared_wrong_cases": len(row["shared_wrong_cases"])})
    return buffer.getvalue()


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def pair_page(result: Result, p: Pair, kept: Kept, raw: Kept) -> str:
    by_id = {e.id: e for e in result.entries}
    a, b = by_id[p.a], by_id[p.b]
    frags = fragments(a, b, raw if labelled(a, b) else kept)
    wrong = []
    for q, c, n in p.cases:
        w = a.wrong.get((q, c)) or b.wrong.get((q, c))
        wrong.append({"question": q, "case": c, "notebooks": n,
                      "diagnosis": (w.diagnosis if w else None) or "",
                      "given": w.given if w else ""})
    return _ENV.get_template("similarity_pair.html.j2").render(
        p=pair_row(p, by_id), fragments=frags, wrong=wrong,
        left=_cells(result.code.get(p.a, []), [(f.number, f.a) for f in frags]),
        right=_cells(result.code.get(p.b, []), [(f.number, f.b) for f in frags]))


def write(result: Result, json_out: Path | None = None, csv_out: Path | None = None
          ) -> dict[str, Any]:
    """Write the report into the run folder (and --json / --csv); returns the JSON."""
    data = to_json(result)
    folder = result.run_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("pair-*.html"):
        old.unlink()
    kept = kept_fingerprints(result.entries, result.starter)
    raw = kept_fingerprints(result.entries, result.starter, common=False)
    for p in [p for p in result.pairs if p.tier][:PAGES]:
        _write(folder / pair_file(p), pair_page(result, p, kept, raw))
    write_json(folder / JSON_FILE, data)
    _write(folder / CSV_FILE, to_csv(data))
    _write(result.run_dir / PAGE, _ENV.get_template("similarity.html.j2").render(
        **data, shown=PAGES))
    if json_out:
        write_json(json_out, data)
    if csv_out:
        _write(csv_out, to_csv(data))
    return data


def summary(run_dir: Path) -> dict[str, Any] | None:
    """For the class dashboard: the page and the tiers' counts, when a report exists."""
    import json

    try:
        data = json.loads((run_dir / FOLDER / JSON_FILE).read_text(encoding="utf-8"))
        return {"href": PAGE, "both": int(data["tiers"]["both"]),
                "either": int(data["tiers"]["either"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None
