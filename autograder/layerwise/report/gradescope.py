"""Gradescope's results.json (gradescope-autograders.readthedocs.io/en/latest/specs/), made from
one student's record: what a student sees on Gradescope within minutes of submitting.

Per question, in the assignment's order (`number` "1.1", "2.1"...): a visible test with the
question's score, its diagnoses as `tags`, and the explanation (the notebook's language, the
other one below it): the first failing *public* case, expected vs given, and the first diverging
layer drawn. Per question with hidden cases, a second test ("1.2", worth nothing) holds the hidden
cases' details, shown only once the grades are published (`after_published`). The top-level
`output` carries the run's notes (an interrupted cell, a timeout, shell escapes) in both
languages; `extra_data` the seed, the solution's hash and the kit's version.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from layerwise import __version__
from layerwise.compare import QuestionResult
from layerwise.compare.base import CaseResult
from layerwise.messages import Msg
from layerwise.report.images import maps_png
from layerwise.status import Status

HIDDEN_VISIBILITY = "after_published"
MAX_CASES_SHOWN = 3
MAX_MAPS_DRAWN = 4

TEXT: dict[str, Msg] = {
    "cases": Msg("{passed} de {total} casos passaram.", "{passed} of {total} cases passed."),
    "public": Msg("Casos do notebook", "The notebook's cases"),
    "hidden": Msg("Casos ocultos", "Hidden cases"),
    "hidden_later": Msg("{n} caso(s) oculto(s) falharam: os detalhes aparecem quando as notas "
                        "forem publicadas.",
                        "{n} hidden case(s) failed: their details show once grades are "
                        "published."),
    "expected": Msg("esperado", "expected"),
    "given": Msg("obtido", "yours"),
    "layer": Msg("Primeira camada diferente: {layer} (esperado à esquerda, o seu à direita).",
                 "First diverging layer: {layer} (expected on the left, yours on the right)."),
    "other": Msg("Em inglês", "Em português"),
}


def _t(key: str, lang: str, **values: Any) -> str:
    return TEXT[key].get(lang).format(**values)


def _picture(case: CaseResult) -> str:
    """The first diverging layer's maps, expected next to given, as inline images."""
    if "expected" not in case.arrays or "given" not in case.arrays:
        return ""
    try:
        expected = maps_png(np.asarray(case.arrays["expected"])[:MAX_MAPS_DRAWN], 24)
        given = maps_png(np.asarray(case.arrays["given"])[:MAX_MAPS_DRAWN], 24)
    except Exception:  # a picture is a help, never a reason to lose the results
        return ""
    rows = "".join(f"<tr><td><img src='{e}'/></td><td><img src='{g}'/></td></tr>"
                   for e, g in zip(expected, given, strict=False))
    return f"<table>{rows}</table>"


def _case_html(case: CaseResult, lang: str, draw: bool) -> str:
    problem = html.escape(case.problem.get(lang)) if case.problem else ""
    parts = [f"<p><b>{html.escape(case.case)}</b>: {problem}</p>",
             f"<pre>{_t('expected', lang)}: {html.escape(case.expected)}\n"
             f"{_t('given', lang)}: {html.escape(case.given)}</pre>"]
    if draw and case.layer:
        parts += [f"<p>{html.escape(_t('layer', lang, layer=case.layer))}</p>", _picture(case)]
    return "".join(parts)


def _block(cases: Sequence[CaseResult], diagnoses: Sequence[Msg], lang: str, draw: bool) -> str:
    parts = [f"<p>{html.escape(d.get(lang))}</p>" for d in diagnoses]
    parts += [_case_html(c, lang, draw) for c in cases[:MAX_CASES_SHOWN]]
    return "".join(parts)


def _bilingual(lang: str, text: Mapping[str, str]) -> str:
    """The notebook's language first, the other one below it, folded."""
    other = "en" if lang == "pt" else "pt"
    return (f"{text[lang]}<details><summary>{_t('other', lang)}</summary>{text[other]}"
            "</details>")


def _tests(rec: Mapping[str, Any], result: QuestionResult | None, q: Mapping[str, Any],
           number: int, draws: bool, known: Mapping[str, Msg]) -> list[dict[str, Any]]:
    lang = rec["language"]
    cases = result.cases if result else []
    failing = [c for c in cases if not c.passed]
    public = [c for c in failing if not c.hidden]
    hidden = [c for c in failing if c.hidden]
    diagnoses = [known[d["code"]] for d in q["diagnoses"] if d["code"] in known]
    texts = {}
    for lg in ("pt", "en"):
        texts[lg] = (f"<p>{_t('cases', lg, passed=q['passed'], total=q['cases'])}</p>"
                     + _block(public, diagnoses, lg, draws)
                     + (f"<p>{_t('hidden_later', lg, n=len(hidden))}</p>" if hidden else ""))
    tests = [{
        "name": f"{q['title'][lang]} ({q['id']})", "number": f"{number}.1",
        "score": q["score"], "max_score": q["max_score"],
        "status": "passed" if q["score"] == q["max_score"] else "failed",
        "tags": [d["code"] for d in q["diagnoses"]], "output_format": "html",
        "output": _bilingual(lang, texts), "visibility": "visible",
    }]
    secret = [c for c in cases if c.hidden]
    if secret:
        passed = sum(c.passed for c in secret)
        hidden_texts = {lg: (f"<p>{_t('cases', lg, passed=passed, total=len(secret))}</p>"
                             + _block(hidden, [], lg, draws)) for lg in ("pt", "en")}
        tests.append({
            "name": f"{q['title'][lang]} ({q['id']}) — {_t('hidden', lang)}",
            "number": f"{number}.2", "score": 0.0, "max_score": 0.0,
            "status": "failed" if hidden else "passed",
            "tags": sorted({c.diagnosis for c in hidden if c.diagnosis}), "output_format": "html",
            "output": _bilingual(lang, hidden_texts), "visibility": HIDDEN_VISIBILITY,
        })
    return tests


def results(rec: Mapping[str, Any], questions: list[QuestionResult] | None,
            diagnoses: Mapping[str, Msg], drawn: set[str], seed: int | None = None,
            solution_hash: str = "") -> dict[str, Any]:
    """results.json of one student's record (and its question results, for the pictures)."""
    lang = rec["language"]
    by_id = {r.id: r for r in questions or []}
    tests: list[dict[str, Any]] = []
    for number, q in enumerate(rec["questions"], start=1):
        tests += _tests(rec, by_id.get(q["id"]), q, number, q["id"] in drawn, diagnoses)
    notes = {lg: " ".join(n[lg] for n in rec.get("notes", [])) for lg in ("pt", "en")}
    head = {lg: rec["summary"][lg] if rec["status"] == Status.graded
            else f"{rec['status_text'][lg]} {notes[lg] or rec['message']}".strip()
            for lg in ("pt", "en")}
    output = {lg: html.escape(head[lg]) + (f"<p>{html.escape(notes[lg])}</p>"
                                          if notes[lg] and rec["status"] == Status.graded
                                          else "") for lg in ("pt", "en")}
    stats = rec.get("stats") or {}
    return {
        "score": rec["total"], "output": _bilingual(lang, output), "output_format": "html",
        "execution_time": round(float(stats.get("elapsed") or 0)),
        "extra_data": {"assignment": rec.get("assignment"), "seed": seed,
                       "solution_hash": solution_hash, "kit_version": __version__,
                       "status": rec["status"], "language": lang},
        "tests": tests,
    }
