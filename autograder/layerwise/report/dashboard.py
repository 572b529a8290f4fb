"""index.html: the class at a glance for the teacher. Score histogram (inline SVG), per-question
mean and pass rate, the most frequent diagnoses and who hit them, submissions that were not
graded and why, a link to every feedback page, the run's seed and sandbox warnings.

A static, self-contained page: no script, no server, nothing fetched from the network. It holds
the class twice, in Portuguese and in English; the TA's language (`grade --lang`, else the
class's majority) shows first, and a link switches to the other through the URL's fragment
(`index.html#en`, CSS `:target`), so the switch works from a file opened anywhere."""

from __future__ import annotations

import os
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from layerwise import __version__
from layerwise.messages import Msg
from layerwise.report.words import LANGS, language_name, status_name
from layerwise.status import Status

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("layerwise.report", "templates"),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True,
                          undefined=jinja2.ChainableUndefined)
"""Lenient: a field missing from an older grading.json leaves a blank, not a failed run."""

BINS = 10

LABELS: dict[str, Msg] = {
    "title": Msg("Turma", "Class"),
    "students": Msg("alunos", "students"),
    "students_one": Msg("aluno", "student"),
    "graded": Msg("alunos corrigidos", "students graded"),
    "graded_one": Msg("aluno corrigido", "student graded"),
    "not_graded": Msg("não corrigidos (veja abaixo)", "not graded (see below)"),
    "not_graded_one": Msg("não corrigido (veja abaixo)", "not graded (see below)"),
    "mean": Msg("nota média, de {max}", "mean score, out of {max}"),
    "median": Msg("nota mediana, de {max}", "median score, out of {max}"),
    "full_marks": Msg("alunos com nota máxima ({max})", "students with full marks ({max})"),
    "full_marks_one": Msg("aluno com nota máxima ({max})", "student with full marks ({max})"),
    "histogram": Msg("Distribuição das notas", "Score distribution"),
    "similarity": Msg("Similaridade, para revisão", "Similarity, for review"),
    "similarity_pairs": Msg("{both} pares com os dois sinais altos", "{both} pairs with both "
                            "signals high"),
    "similarity_either": Msg("{either} com um dos sinais", "{either} with one of them"),
    "histogram_alt": Msg("Histograma das notas totais, de 0 a {max}", "Histogram of total scores, "
                         "0 to {max}"),
    "axis": Msg("nota total → · ↑ alunos", "total score → · ↑ students"),
    "questions": Msg("Questões", "Questions"),
    "question": Msg("Questão", "Question"),
    "mean_score": Msg("Média", "Mean"),
    "pass_rate": Msg("Acertaram tudo", "Full marks"),
    "over_graded": Msg("Sobre os {n} alunos corrigidos.", "Over the {n} graded students."),
    "diagnoses": Msg("Erros mais frequentes", "Most frequent mistakes"),
    "diagnosis": Msg("Diagnóstico", "Diagnosis"),
    "count": Msg("Alunos", "Students"),
    "who": Msg("Quem", "Who"),
    "no_diagnoses": Msg("Nenhum erro reconhecido.", "No recognized mistake."),
    "statuses": Msg("Submissões não corrigidas", "Submissions not graded"),
    "no_statuses": Msg("Todas as submissões foram corrigidas.", "Every submission was graded."),
    "technical": Msg("detalhe técnico (em inglês)", "technical detail"),
    "student": Msg("Aluno", "Student"),
    "status": Msg("Situação", "Status"),
    "message": Msg("Mensagem", "Message"),
    "all_students": Msg("Todos os alunos", "All students"),
    "total": Msg("Total", "Total"),
    "run": Msg("Execução", "Run"),
    "seed": Msg("Semente", "Seed"),
    "started": Msg("Início", "Started"),
    "solution": Msg("Solução", "Solution"),
    "versions": Msg("Versões", "Versions"),
    "workers": Msg("Processos", "Workers"),
    "limits": Msg("Limites", "Limits"),
    "sandbox": Msg("Isolamento", "Sandbox"),
    "sandbox_warnings": Msg("Avisos do isolamento (em inglês)", "Sandbox warnings"),
    "skipped_inputs": Msg("Arquivos ignorados", "Skipped files"),
    "language": Msg("Idioma", "Language"),
    "switch": Msg("Idioma desta página", "This page's language"),
}
"""Every word of the page, in both languages; a key ending in `_one` is the singular of its
key (`count_label`)."""


def _histogram(totals: list[float], max_total: float) -> list[dict[str, Any]]:
    """BINS equal bins over [0, max_total], the last one closed: label, count, low, high."""
    width = (max_total or 1) / BINS
    counts = [0] * BINS
    for total in totals:
        counts[min(BINS - 1, max(0, int(total // width)))] += 1
    return [{"low": round(i * width, 2), "high": round((i + 1) * width, 2), "count": n,
             "label": f"{i * width:g}–{(i + 1) * width:g}"} for i, n in enumerate(counts)]


def _chart(bins: list[dict[str, Any]], width: int = 480, height: int = 230) -> dict[str, Any]:
    """Geometry of the histogram's SVG: bars (x, y, w, h) and horizontal grid lines."""
    left, right, top, bottom = 34, 14, 18, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((b["count"] for b in bins), default=0) or 1
    step = max(1, -(-peak // 5))
    ticks = [{"value": v, "y": round(top + plot_h - plot_h * v / peak, 1)}
             for v in range(0, peak + 1, step)]
    slot = plot_w / len(bins)
    bars = [b | {"x": round(left + i * slot + 2, 1), "w": round(slot - 4, 1),
                 "h": round(plot_h * b["count"] / peak, 1),
                 "y": round(top + plot_h - plot_h * b["count"] / peak, 1),
                 "cx": round(left + (i + .5) * slot, 1)} for i, b in enumerate(bins)]
    return {"width": width, "height": height, "left": left, "right": width - right,
            "base": top + plot_h, "bars": bars, "ticks": ticks}


def _questions(graded: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if not graded:
        return rows
    for q in graded[0]["questions"]:
        scores = [next(x for x in r["questions"] if x["id"] == q["id"]) for r in graded]
        mean = statistics.fmean(s["score"] for s in scores)
        full = sum(s["score"] >= s["max_score"] for s in scores)
        rows.append({"id": q["id"], "title": q["title"][lang], "max_score": q["max_score"],
                     "mean": round(mean, 2),
                     "mean_pct": round(100 * mean / q["max_score"], 1) if q["max_score"] else 0.0,
                     "full": full, "pass_pct": round(100 * full / len(scores), 1)})
    return rows


def _diagnoses(records: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Each diagnosis once per student: how many students, which questions, who."""
    found: dict[str, dict[str, Any]] = {}
    for rec in records:
        for q in rec["questions"]:
            for d in q["diagnoses"]:
                entry = found.setdefault(d["code"], {"code": d["code"], "text": d[lang],
                                                     "other": d["en" if lang == "pt" else "pt"],
                                                     "questions": [], "students": []})
                if q["id"] not in entry["questions"]:
                    entry["questions"].append(q["id"])
                if rec["student"] not in entry["students"]:
                    entry["students"].append(rec["student"])
    return sorted(found.values(), key=lambda e: (-len(e["students"]), e["code"]))


def page_language(records: Sequence[Mapping[str, Any]], run_info: dict[str, Any]) -> str:
    """The TA's choice recorded in run.json (`grade --lang`), else the class's majority."""
    chosen = run_info.get("lang")
    if chosen in LANGS:
        return str(chosen)
    languages = Counter(r.get("language", "pt") for r in records)
    return "en" if languages["en"] > languages["pt"] else "pt"


def label(key: str, lang: str, count: int | None = None, **values: Any) -> str:
    """LABELS[key] in `lang`, singular when `count` is 1, with `values` filled in."""
    chosen = LABELS.get(f"{key}_one") if count == 1 else None
    return (chosen or LABELS[key]).get(lang).format(**values)


def context(records: Sequence[Mapping[str, Any]], run_info: dict[str, Any]) -> dict[str, Any]:
    """Everything the dashboard shows, computed from the grading.json records and run.json, in
    the page's first language."""
    records = sorted(records, key=lambda r: r["student"])
    lang = page_language(records, run_info)
    max_total = float(run_info.get("max_total")
                      or next((r["max_total"] for r in records), 0) or 100)
    totals = [float(r["total"]) for r in records]
    graded = [r for r in records if r["status"] == Status.graded]
    sandbox = run_info.get("sandbox") or {}
    return {
        "lang": lang, "other": "en" if lang == "pt" else "pt", "records": records,
        "max_total": max_total, "chart": _chart(_histogram(totals, max_total)),
        "mean": round(statistics.fmean(totals), 2) if totals else 0.0,
        "median": round(statistics.median(totals), 2) if totals else 0.0,
        "full_marks": sum(t >= max_total for t in totals), "graded": graded,
        "not_graded": [r for r in records if r["status"] != "graded"],
        "statuses": Counter(r["status"] for r in records),
        "questions": _questions(graded, lang), "diagnoses": _diagnoses(records, lang),
        "question_ids": [q["id"] for q in records[0]["questions"]] if records else [],
        "run": run_info, "sandbox": sandbox, "warnings": list(sandbox.get("warnings") or []),
        "version": __version__,
    }


def _page(ctx: dict[str, Any], lang: str) -> dict[str, Any]:
    """What differs between the two languages of the page."""
    return {"lang": lang, "default": lang == ctx["lang"],
            "other": next(x for x in LANGS if x != lang),
            "questions": _questions(ctx["graded"], lang),
            "diagnoses": _diagnoses(ctx["records"], lang),
            "t": lambda key, count=None, **kw: label(key, lang, count, **kw),
            "status": lambda code: status_name(code, lang),
            "language": lambda code: language_name(code, lang)}


def render(records: Sequence[Mapping[str, Any]], run_info: dict[str, Any]) -> str:
    """The dashboard's HTML: the page's language first, the other one behind the switch."""
    ctx = context(records, run_info)
    order = [ctx["lang"], *(x for x in LANGS if x != ctx["lang"])]
    return _ENV.get_template("dashboard.html.j2").render(
        **ctx, pages=[_page(ctx, lang) for lang in order],
        title=label("title", ctx["lang"]), students=label("students", ctx["lang"]),
        switch_names={x: language_name(x, x) for x in LANGS})


def write_dashboard(out: Path, records: Sequence[Mapping[str, Any]], run_info: dict[str, Any]) -> Path:
    """Write `out/index.html` (atomically) and return its path."""
    path = out / "index.html"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(render(records, run_info), encoding="utf-8")
    os.replace(tmp, path)
    return path
