"""`run_autograder` of the kit's Gradescope zip: grade the submission in /autograder/submission
with the kit's engine (its own sandboxed process, compared outside it against the shipped
reference harvest) and write /autograder/results/results.json.

Reads /autograder/submission_metadata.json for the late penalty (`created_at` against the
assignment's `due_date`) and the rate limit (graded submissions counted in
`previous_submissions`, as Gradescope recommends: a submission past the limit keeps the last
graded result and says so). Whatever fails, a results.json that says it in both languages is
written, so a student is never left without an answer.

    python -m layerwise.lms.gradescope_run /autograder
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from layerwise.messages import Msg

CONFIG = "layerwise-gradescope.json"
REFERENCE = "reference/reference"

TEXT: dict[str, Msg] = {
    "late": Msg("Entregue {days} dia(s) depois do prazo: menos {percent:g}% ({before:g} → "
                "{after:g}).",
                "Submitted {days} day(s) after the due date: {percent:g}% off ({before:g} → "
                "{after:g})."),
    "limited": Msg("Você já teve {used} envios corrigidos nas últimas {hours:g} h (o limite é "
                   "{limit}): este não foi corrigido e a nota do último corrigido continua. O "
                   "próximo envio será corrigido a partir de {when}.",
                   "You already had {used} graded submissions in the last {hours:g} h (the limit "
                   "is {limit}): this one was not graded and your last graded result stands. "
                   "Your next submission is graded from {when}."),
    "remaining": Msg("Envios corrigidos restantes nas próximas {hours:g} h: {left}.",
                     "Graded submissions left in the next {hours:g} h: {left}."),
    "no_notebook": Msg("Nenhum notebook (.ipynb) foi enviado.", "No notebook (.ipynb) was "
                       "submitted."),
    "failed": Msg("O corretor não conseguiu rodar ({error}); avise o professor.",
                  "The autograder could not run ({error}); please tell your instructor."),
}


def _when(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def late_percent(config: dict[str, Any], metadata: dict[str, Any]) -> tuple[float, int]:
    """(percent off, days late) of this submission under the configured late penalty."""
    penalty = config.get("late_penalty") or {}
    per_day = float(penalty.get("per_day") or 0)
    created = _when(metadata.get("created_at"))
    due = _when((metadata.get("assignment") or {}).get("due_date"))
    if per_day <= 0 or created is None or due is None:
        return 0.0, 0
    late = created - due - timedelta(minutes=float(penalty.get("grace_minutes") or 0))
    if late <= timedelta(0):
        return 0.0, 0
    days = math.ceil(late / timedelta(days=1))
    return min(float(penalty.get("max_percent", 100)), per_day * days), days


def _graded(previous: dict[str, Any]) -> bool:
    results = previous.get("results") or {}
    return not (results.get("extra_data") or {}).get("rate_limited")


def rate_limit(config: dict[str, Any], metadata: dict[str, Any]
               ) -> tuple[dict[str, Any] | None, list[datetime]]:
    """(the previous graded results to keep when this submission is past the limit, else None;
    the times of the graded submissions in the period)."""
    limit = config.get("rate_limit") or {}
    allowed, hours = int(limit.get("submissions") or 0), float(limit.get("hours") or 24)
    created = _when(metadata.get("created_at"))
    if allowed <= 0 or created is None:
        return None, []
    window = created - timedelta(hours=hours)
    graded = sorted((t, p) for p in metadata.get("previous_submissions") or []
                    if isinstance(p, dict) and _graded(p)
                    and (t := _when(p.get("submission_time"))) is not None and window <= t < created)
    times = [t for t, _ in graded]
    if len(graded) < allowed or not graded:
        return None, times
    return dict(graded[-1][1].get("results") or {}), times


def _bilingual(lang: str, msg: Msg, **values: Any) -> str:
    other = "en" if lang == "pt" else "pt"
    return f"{msg.get(lang).format(**values)}\n\n{msg.get(other).format(**values)}"


def _prefix(results: dict[str, Any], text: str) -> None:
    output = results.get("output") or ""
    results["output"] = f"<p>{text}</p>{output}" if results.get("output_format") == "html" \
        else f"{text}\n\n{output}"


def _notebook(submission: Path, names: set[str]) -> Path | None:
    found = sorted(p for p in submission.rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts and not p.name.startswith("._"))
    named = [p for p in found if p.stem in names]
    chosen = named or found
    return chosen[0] if chosen else None


def grade_submission(root: Path, config: dict[str, Any], metadata: dict[str, Any]
                     ) -> dict[str, Any]:
    """The results of this submission (rate limit, grading, late penalty)."""
    from layerwise import registry
    from layerwise.execute.limits import Limits

    assignment = registry.get(config["assignment"])
    lang = assignment.editions[0]
    kept, times = rate_limit(config, metadata)
    limit = config.get("rate_limit") or {}
    if kept is not None:
        hours, allowed = float(limit.get("hours") or 24), int(limit["submissions"])
        when = (times[-allowed] + timedelta(hours=hours)).isoformat(timespec="minutes")
        lang = (kept.get("extra_data") or {}).get("language") or lang
        _prefix(kept, _bilingual(lang, TEXT["limited"], used=len(times), hours=hours,
                                 limit=allowed, when=when))
        kept["extra_data"] = {**(kept.get("extra_data") or {}), "rate_limited": True}
        return kept
    notebook = _notebook(root / "submission", {assignment.edition(x)
                                               for x in assignment.editions})
    if notebook is None:
        return {"score": 0.0, "output": _bilingual(lang, TEXT["no_notebook"]), "tests": [],
                "extra_data": {"assignment": assignment.name, "status": "no notebook"}}
    from layerwise.execute.pool import preload_of
    from layerwise.execute.single import SinglePool

    limits = Limits.from_dict(config.get("limits") or {})
    # Started first: the worker imports TensorFlow while this process imports the grader.
    with SinglePool(limits, preload=preload_of(assignment)) as pool:
        from layerwise.grade.run import Options, grade

        out = Path(tempfile.mkdtemp(prefix="layerwise-gradescope-"))
        os.chmod(out, 0o700)
        options = Options(assignment=config["assignment"], seed=int(config["seed"]),
                          reference=root / "source" / REFERENCE, workers=1, executor="single",
                          pool=pool, dashboard=False, limits=limits)
        info = grade([notebook], out, options)
    from layerwise.report.runfolder import read_records

    [record] = read_records(out)
    results: dict[str, Any] = json.loads((out / record["student"] / "results.json").read_text())
    percent, days = late_percent(config, metadata)
    if percent:
        before = float(results["score"])
        results["score"] = round(before * (1 - percent / 100), 2)
        _prefix(results, _bilingual(record["language"], TEXT["late"], days=days, percent=percent,
                                    before=before, after=results["score"]))
    if limit.get("submissions"):
        left = max(0, int(limit["submissions"]) - len(times) - 1)
        _prefix(results, _bilingual(record["language"], TEXT["remaining"],
                                    hours=float(limit.get("hours") or 24), left=left))
    sandbox = info.get("sandbox") or {}
    results["extra_data"] = {**results.get("extra_data", {}), "late_percent": percent,
                             "graded_in_period": len(times) + 1,
                             "sandbox": {k: sandbox.get(k) for k in (
                                 "sandbox", "own_user", "network_isolated",
                                 "filesystem_isolated")}}
    return results


def main(root: Path) -> int:
    """Grade /autograder's submission; 0 when results.json says what happened."""
    started = time.monotonic()
    target = root / "results" / "results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        config = json.loads((root / "source" / CONFIG).read_text())
        meta_path = root / "submission_metadata.json"
        metadata = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
        results = grade_submission(root, config, metadata)
        code = 0
    except Exception as exc:  # the student still gets an answer; the log gets the traceback
        import traceback

        traceback.print_exc()
        results = {"score": 0.0, "tests": [], "output": _bilingual(
            "pt", TEXT["failed"], error=f"{type(exc).__name__}: {str(exc)[:200]}")}
        code = 1
    results["execution_time"] = round(time.monotonic() - started)
    target.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return code


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/autograder")))
