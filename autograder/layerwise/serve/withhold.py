"""The feedback a student may read before hidden cases' details are released: the same page,
scores and diagnoses, without the hidden cases' expected and given values or their pictures."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from layerwise.assignment import Assignment
from layerwise.messages import Msg

HIDDEN_LATER = "hidden_later"
WITHHELD = "—"
REASON = Msg("Os detalhes dos casos ocultos aparecem quando o professor os liberar.",
             "Hidden cases' details are shown when your instructor releases them.")


def withheld(assignment: Assignment, rec: Mapping[str, Any], questions: list[Any] | None
             ) -> tuple[Assignment, dict[str, Any], list[Any] | None]:
    """(the assignment with one more picture reason, the record and the per-question results)
    with every hidden case's values and pictures removed."""
    out: dict[str, Any] = copy.deepcopy(dict(rec))
    for q in out.get("questions", []):
        for case in q.get("case_results", []):
            if case.get("hidden"):
                case["expected"] = case["given"] = WITHHELD
    kept = None
    if questions is not None:
        kept = []
        for q in questions:
            cases = [dataclasses.replace(c, arrays={}, layer=None, no_picture=HIDDEN_LATER)
                     if c.hidden else c for c in q.cases]
            kept.append(dataclasses.replace(q, cases=cases))
    quiet = dataclasses.replace(assignment,
                                picture_reasons={**assignment.picture_reasons, HIDDEN_LATER: REASON})
    return quiet, out, kept
