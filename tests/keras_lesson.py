"""The first lesson as the tests see it: its assignment, questions and files in the kit."""

from __future__ import annotations

from pathlib import Path

from layerwise import registry
from layerwise.build.layout import Layout

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = registry.get("cnn_keras")
LAYOUT = Layout(ASSIGNMENT)
QUESTIONS = ASSIGNMENT.questions
QUESTION_IDS = ASSIGNMENT.question_ids
BY_ID = {q.id: q for q in QUESTIONS}
MAX_TOTAL = ASSIGNMENT.max_total
DIAGNOSES = ASSIGNMENT.all_diagnoses()
CLASS = ROOT / LAYOUT.examples
RELEASE = ROOT / LAYOUT.release
SOLUTION = ROOT / LAYOUT.solution("pt")
SOLUTION_EN = ROOT / LAYOUT.solution("en")

TAMPER_CODE = '''\
# Um "atalho": troca as verificações do corretor / a "shortcut": replaces the grader's checks
import builtins as _builtins


def _always_pass(checks):
    from layerwise import registry

    checks["check_case"] = lambda *args, **kwargs: None
    checks["score_cases"] = lambda env, question, entries: float(
        registry.load(checks["decode"](entries[0])["assignment"]).question(question).points)


try:  # otter: the checks sit beside the notebook
    import layerwise.native as _checks

    _always_pass(vars(_checks))
except ImportError:
    pass
_real_exec = _builtins.exec


def _exec(*args, **kwargs):  # nbgrader: the checks come inside a hidden cell; catch them loading
    result = _real_exec(*args, **kwargs)
    namespace = args[1] if len(args) > 1 else kwargs.get("globals")
    if isinstance(namespace, dict) and namespace.get("__name__") == "layerwise.native":
        _always_pass(namespace)
    return result


_builtins.exec = _exec
'''
"""A cell that replaces the in-kernel checks with ones that always pass, as they are imported
beside the notebook (otter) or loaded from a hidden cell (nbgrader): it fools both in-kernel
graders, by their nature, and never `layerwise grade`, which compares outside the student's
process."""
