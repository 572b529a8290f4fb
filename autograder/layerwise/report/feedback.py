"""feedback.html: per question the score, expected vs given, the diagnosis, and the first
diverging layer drawn next to the expected one; Portuguese and English."""

from __future__ import annotations

from typing import Any

import jinja2
import numpy as np

from layerwise import __version__
from layerwise.compare import QuestionResult
from layerwise.compare.base import ATOL, RTOL
from layerwise.report.images import maps_png

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("layerwise.report", "templates"),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True)


def pictures(questions: list[QuestionResult]) -> dict[str, dict[str, Any]]:
    """For each model question, the first failing case that has layer maps to draw."""
    out: dict[str, dict[str, Any]] = {}
    for q in questions:
        case = next((c for c in q.cases if not c.passed and c.arrays), None)
        if case is None:
            continue
        expected, given = case.arrays["expected"], case.arrays["given"]
        wrong = ~np.isclose(given, expected, rtol=RTOL, atol=ATOL)
        pairs = list(zip(maps_png(expected), maps_png(given, highlight=wrong), strict=True))
        out[q.id] = {"layer": case.layer, "case": case.case, "pairs": pairs}
    return out


def render(rec: dict[str, Any], questions: list[QuestionResult] | None, seed: int) -> str:
    return _ENV.get_template("feedback.html.j2").render(
        rec=rec, lang=rec["language"], pictures=pictures(questions or []), seed=seed,
        version=__version__)
