"""One student's record built from the verdicts: the plain JSON every other output (CSV,
Gradescope, LMS) is made from. Its type, and its one reader and writer, are `report.runfolder`'s."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layerwise.assignment import Assignment
from layerwise.compare import QuestionResult
from layerwise.messages import Msg
from layerwise.report.reasons import reason_text
from layerwise.report.runfolder import (
    Bilingual,
    CaseRecord,
    GradingRecord,
    QuestionRecord,
)
from layerwise.status import Status

STATUS_TEXT: dict[Status, Msg] = {
    Status.graded: Msg("Corrigido.", "Graded."),
    Status.invalid: Msg("O arquivo não é um notebook legível.",
                        "The file is not a readable notebook."),
    Status.timeout: Msg("O notebook passou do tempo limite.",
                        "The notebook ran past its time limit."),
    Status.crashed: Msg("O processo do notebook terminou de forma anormal.",
                        "The notebook's process ended abnormally."),
    Status.memory: Msg("O notebook passou do limite de memória.",
                       "The notebook ran out of memory."),
    Status.grader_error: Msg("A correção falhou por um erro do corretor, não do seu notebook; "
                             "ela será refeita.",
                             "Grading failed because of a bug in the grader, not in your "
                             "notebook; it will be redone."),
}


def _case(c: Any) -> CaseRecord:
    return {"case": c.case, "hidden": c.hidden, "passed": c.passed, "expected": c.expected,
            "given": c.given, "layer": c.layer, "diagnosis": c.diagnosis,
            "problem": {"pt": c.problem.pt, "en": c.problem.en} if c.problem else None}


def record(assignment: Assignment, student: str, status: str, message: str,
           identity: dict[str, Any], language: str, questions: list[QuestionResult] | None,
           cell_errors: list[dict[str, Any]], stats: dict[str, Any],
           reasons: list[dict[str, Any]] | None = None) -> GradingRecord:
    """The grading.json of one student. `notes` say in both languages why the notebook was
    stopped or interrupted; `message` is the technical line for the TA."""
    notes: list[Bilingual] = [{"pt": m.pt, "en": m.en} for m in map(reason_text, reasons or [])
                              if m]
    known = assignment.all_diagnoses()
    qs: list[QuestionRecord] = []
    for q in assignment.questions:
        result = next((r for r in questions or [] if r.id == q.id), None)
        qs.append({
            "id": q.id, "title": {"pt": q.title.pt, "en": q.title.en},
            "score": result.score if result else 0.0, "max_score": q.points,
            "passed": result.passed if result else 0, "cases": len(result.cases) if result else 0,
            "diagnoses": [{"code": d, "pt": known[d].pt, "en": known[d].en}
                          for d in (result.diagnoses if result else []) if d in known],
            "case_results": [_case(c) for c in result.cases] if result else [],
        })
    total = round(sum(q["score"] for q in qs), 2)
    lost = [q for q in qs if q["score"] < q["max_score"]]
    status_msg = STATUS_TEXT[Status(status)]
    summary: dict[str, str] = {
        lang: (f"{total:g}/{assignment.max_total:g}. "
               + (status_msg.get(lang) + " " if status != Status.graded else "")
               + "".join(n[lang] + " " for n in notes)
               + " ".join(f"{q['id']}: {q['score']:g}/{q['max_score']}"
                          + (f" ({q['diagnoses'][0][lang]})" if q["diagnoses"] else "")
                          for q in lost)).strip()
        for lang in ("pt", "en")
    }
    return {"student": student, "assignment": assignment.name, "status": status,
            "message": message, "total": total, "max_total": assignment.max_total,
            "identity": identity, "language": language,
            "status_text": {"pt": status_msg.pt, "en": status_msg.en}, "questions": qs,
            "notes": notes, "cell_errors": cell_errors[:20],
            "summary": {"pt": summary["pt"], "en": summary["en"]}, "stats": stats}


def question_columns(rec: Mapping[str, Any]) -> dict[str, float]:
    return {q["id"]: q["score"] for q in rec["questions"]}
