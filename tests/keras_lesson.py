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
try:
    import layerwise.native as _checks
    from layerwise import registry as _registry

    _checks.check_case = lambda *args, **kwargs: None
    _checks.score_cases = lambda env, question, entries: float(
        _registry.load(_checks.decode(entries[0])["assignment"]).question(question).points)
except ImportError:
    pass
'''
"""A cell that replaces the in-kernel checks with ones that always pass: it fools otter and
nbgrader (they run the checks in the student's kernel), never `layerwise grade`."""
