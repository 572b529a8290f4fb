"""The harness: in the submission's process, after its cells, call each question's harvester on
its cases and keep what came back as plain data (a harvest). The same code runs on the
reference solution, so expected and given values are produced the same way. Nothing here knows
an expected value, nor any lesson: the questions and harvesters come from the assignment.

A harvest::

    {"assignment": name, "reference": bool, "functions": {function: {present, callable, ...}},
     "questions": {question id: {case id: record}}, "extras": {key: {case id: value}},
     ... and what the submission's process adds: "cells", "n_cells", "shell_escapes", "timing"}
"""

from __future__ import annotations

import difflib
import importlib
from typing import Any

from layerwise.assignment import Assignment, Case, Harvester, Record
from layerwise.harvest.values import type_name

Namespace = dict[str, Any]


class HarvestContext:
    """What a harvester may use besides the student's function and the case (`Context`)."""

    def __init__(self, ns: Namespace, reference: bool) -> None:
        self.ns = ns
        self.reference = reference
        self.extras: dict[str, dict[str, Any]] = {}

    def keep(self, key: str, case_id: str, value: Any) -> None:
        self.extras.setdefault(key, {})[case_id] = value


def harvesters(assignment: Assignment) -> dict[str, Harvester]:
    """The assignment's student side: question id -> harvester."""
    module = importlib.import_module(assignment.student_side)
    table: dict[str, Harvester] = module.HARVESTERS
    missing = [q.id for q in assignment.questions if q.id not in table]
    if missing:
        raise LookupError(f"{assignment.student_side} has no harvester for {missing}")
    return table


def functions(ns: Namespace, names: list[str]) -> dict[str, Any]:
    """Which of the graded functions exist, and what similar names exist when one is missing."""
    callables = [k for k, v in ns.items() if callable(v) and not k.startswith("_")]
    found: dict[str, Any] = {}
    for name in names:
        value = ns.get(name)
        found[name] = {
            "present": name in ns,
            "callable": callable(value),
            "type": type_name(value) if name in ns else None,
            "similar": [] if callable(value) else difflib.get_close_matches(name, callables, 3, 0.6),
        }
    return found


def harvest(assignment: Assignment, ns: Namespace, cases: dict[str, Any], *, reference: bool
            ) -> dict[str, Any]:
    """Everything the grader needs from one submission (or the reference), as plain data."""
    table = harvesters(assignment)
    ctx = HarvestContext(ns, reference)
    out: dict[str, Any] = {
        "assignment": assignment.name, "reference": reference,
        "functions": functions(ns, [q.function for q in assignment.questions]),
        "questions": {},
    }
    for q in assignment.questions:
        fn = ns.get(q.function)
        out["questions"][q.id] = {
            c["id"]: (table[q.id](fn, c, ctx) if callable(fn) else {"missing": True})
            for c in cases[q.cases]}
    out["extras"] = ctx.extras
    return out


def harvest_case(assignment: Assignment, ns: Namespace, question_id: str, case: Case) -> Record:
    """One question's record for one case, as a student's (for the in-kernel graders)."""
    question = assignment.question(question_id)
    fn = ns.get(question.function)
    if not callable(fn):
        return {"missing": True}
    return harvesters(assignment)[question_id](fn, case, HarvestContext(ns, reference=False))
