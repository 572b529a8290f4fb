"""feedback.html: per question the score, the diagnosis, the first diverging layer drawn next to
the expected one, and the failing cases; in the notebook's language, the other one collapsed.

One self-contained page (inline CSS and images, no script) that reads on a phone."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import zip_longest
from typing import Any

import jinja2
import numpy as np

from layerwise import __version__
from layerwise.assignment import Assignment
from layerwise.compare import QuestionResult
from layerwise.compare.base import ATOL, NO_OUTPUT, RTOL, CaseResult
from layerwise.messages import Msg
from layerwise.report.images import MAX_MAPS, MAX_SIDE, cell_size, crop, maps_png, value_range

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("layerwise.report", "templates"),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True,
                          undefined=jinja2.StrictUndefined)

LANGUAGES = ("pt", "en")

LABELS: dict[str, Msg] = {
    "title": Msg("Correção", "Feedback"),
    "other_language": Msg("Em inglês", "Em português"),
    "other_language_note": Msg("O mesmo texto em inglês.", "O mesmo texto em português."),
    "cases": Msg("casos", "cases"),
    "hidden": Msg("oculto", "hidden"),
    "case": Msg("Caso", "Case"),
    "expected": Msg("Esperado", "Expected"),
    "given": Msg("Obtido", "Yours"),
    "problem": Msg("Problema", "Problem"),
    "failing_cases": Msg("Casos que falharam", "Failing cases"),
    "more_cases": Msg("e mais {n} caso(s) com falha", "and {n} more failing case(s)"),
    "all_passed": Msg("Todos os casos passaram.", "Every case passed."),
    "cell_errors": Msg("Erros nas células do notebook", "Errors in the notebook's cells"),
    "cell": Msg("célula", "cell"),
    "layer": Msg("Camada", "Layer"),
    "pictures_caption": Msg(
        "Saída da camada {layer} no caso {case}, mapa a mapa: o esperado à esquerda, a sua à "
        "direita, com os valores escritos nos pixels. Os valores diferentes do esperado estão "
        "com moldura laranja ({wrong} de {total}).",
        "Output of layer {layer} in case {case}, map by map: the expected one on the left, yours "
        "on the right, with the values written on the pixels. Values that differ from the "
        "expected are framed in orange ({wrong} of {total})."),
    "pictures_shape": Msg(
        "Saída da camada {layer} no caso {case}: o esperado tem formato {expected_shape}, a sua "
        "{given_shape}. Com formatos diferentes não há valor a valor para comparar; os mapas são "
        "desenhados lado a lado para você ver o que mudou.",
        "Output of layer {layer} in case {case}: the expected one has shape {expected_shape}, "
        "yours {given_shape}. With different shapes there is no value-by-value comparison; the "
        "maps are drawn side by side so you can see what changed."),
    "cropped": Msg("Só os primeiros {maps} mapas de até {side}×{side} valores são desenhados.",
                   "Only the first {maps} maps of up to {side}×{side} values are drawn."),
    "no_map": Msg("(sem mapa)", "(no map)"),
    "why_no_pictures": Msg("Por que não há imagens das camadas", "Why there are no layer pictures"),
    "footer": Msg("tolerância", "tolerance"),
    "status": Msg("Situação", "Status"),
    "summary": Msg("Resumo", "Summary"),
    "question": Msg("Questão", "Question"),
    "score": Msg("Nota", "Score"),
}

REASONS: dict[str, Msg] = {
    NO_OUTPUT: Msg(
        "A função não devolveu um resultado utilizável (veja o erro acima), então não há saídas de "
        "camada para desenhar.",
        "The function did not return a usable result (see the error above), so there are no layer "
        "outputs to draw."),
    "not_drawable": Msg(
        "A saída da camada {layer} não pôde ser desenhada (não é um array numérico).",
        "The output of layer {layer} could not be drawn (it is not a numeric array)."),
    "not_compared": Msg(
        "As saídas não foram comparadas camada a camada (veja o problema acima), então não há "
        "imagens.",
        "The outputs were not compared layer by layer (see the problem above), so there are no "
        "pictures."),
}
"""Why a failing drawn question has no picture, for any assignment (it adds its own reasons,
`Assignment.picture_reasons`)."""


def label(key: str, lang: str, **values: Any) -> str:
    """A page text in `lang`, with `values` filled in."""
    return LABELS[key].get(lang).format(**values)


def _shape(array: np.ndarray) -> str:
    return "×".join(str(n) for n in np.shape(array))


def _reason(case: CaseResult, known: Mapping[str, Msg]) -> str:
    """Why a failing case has no pictures: a key of `known`."""
    if case.layer:
        return "not_drawable"
    return case.no_picture if case.no_picture and case.no_picture in known else "not_compared"


def _drawing(case: CaseResult) -> dict[str, Any]:
    expected = np.asarray(case.arrays["expected"], dtype=np.float64)
    given = np.asarray(case.arrays["given"], dtype=np.float64)
    same = expected.shape == given.shape
    span = value_range(expected, given)
    scale = cell_size(crop(expected).shape[2], crop(given).shape[2])
    wrong = ~np.isclose(given, expected, rtol=RTOL, atol=ATOL) if same else None
    left = maps_png(expected, scale, span=span)
    right = maps_png(given, scale, span=span, highlight=None if wrong is None else crop(wrong))
    pairs = list(zip_longest(left, right))
    cropped = crop(expected).size < expected.size or crop(given).size < given.size
    return {"case": case.case, "layer": case.layer or "?", "pairs": pairs, "same_shape": same,
            "expected_shape": _shape(expected), "given_shape": _shape(given),
            "wrong": int(wrong.sum()) if wrong is not None else None, "total": int(expected.size),
            "cropped": cropped}


def pictures(assignment: Assignment, questions: list[QuestionResult]
             ) -> dict[str, dict[str, Any]]:
    """For each failing question that draws: the drawing of its first failing case that has
    layer maps, or, when none has, the reason (a key of `reasons_of`) for its first one."""
    out: dict[str, dict[str, Any]] = {}
    known = reasons_of(assignment)
    drawn = {q.id for q in assignment.questions if q.draws}
    for q in questions:
        if q.id not in drawn:
            continue
        failing = [c for c in q.cases if not c.passed]
        if not failing:
            continue
        drawable = next((c for c in failing if "expected" in c.arrays and "given" in c.arrays), None)
        if drawable is not None:
            try:
                out[q.id] = _drawing(drawable)
                continue
            except Exception:  # a picture is a help, never a reason to lose a student's grade
                failing = [drawable]
        first = failing[0]
        out[q.id] = {"case": first.case, "layer": first.layer or "?",
                     "reason": "not_drawable" if drawable is not None else _reason(first, known)}
    return out


def reasons_of(assignment: Assignment) -> dict[str, Msg]:
    """Every reason a page of `assignment` may give for having no picture."""
    return {**REASONS, **assignment.picture_reasons}


def render(assignment: Assignment, rec: Mapping[str, Any], questions: list[QuestionResult] | None,
           seed: int) -> str:
    """The student's feedback page, in the notebook's language."""
    lang = str(rec.get("language")) if rec.get("language") in LANGUAGES else "pt"
    other = "en" if lang == "pt" else "pt"
    return _ENV.get_template("feedback.html.j2").render(
        rec=rec, lang=lang, other=other, pictures=pictures(assignment, questions or []),
        seed=seed, version=__version__, reasons=reasons_of(assignment), rtol=RTOL, atol=ATOL,
        max_maps=MAX_MAPS,
        max_side=MAX_SIDE, t=lambda key, **kw: label(key, lang, **kw),
        o=lambda key, **kw: label(key, other, **kw))
