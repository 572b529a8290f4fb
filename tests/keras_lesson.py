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
