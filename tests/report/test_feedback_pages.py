"""feedback.html: in the notebook's language (the other one collapsed), layer pictures for a
model question's failure, a reason when there is nothing to draw, everything escaped."""

from __future__ import annotations

import base64
import re
from io import BytesIO
from typing import Any

import numpy as np
from keras_lesson import ASSIGNMENT, QUESTIONS
from layerwise.compare import QuestionResult
from layerwise.compare.base import CaseResult
from layerwise.messages import Msg
from layerwise.report.feedback import REASONS, render
from layerwise.report.images import DIFF, maps_png
from layerwise.report.student import record
from PIL import Image

COLLAPSED = re.compile(r'<details class="other".*?</details>', re.S)


def _main_text(html: str) -> str:
    """The page without its collapsed other-language blocks."""
    return COLLAPSED.sub("", html)


def _pngs(html: str) -> list[Image.Image]:
    return [Image.open(BytesIO(base64.b64decode(b64))).convert("RGB")
            for b64 in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def _has(img: Image.Image, colour: tuple[int, int, int]) -> bool:
    return any(c == colour for _, c in img.getcolors(maxcolors=1 << 20) or [])


def test_english_notebook_gets_english_feedback(graded_class: dict[str, Any]) -> None:
    html = (graded_class["out"] / "full_marks_en" / "feedback.html").read_text()
    assert '<html lang="en">' in html
    assert "Every case passed." in html and "Kernel layout" in html
    assert "Todos os casos passaram" not in html and "Formato do kernel" not in html


def test_portuguese_mutant_gets_portuguese_feedback_english_collapsed(
        graded_class: dict[str, Any]) -> None:
    html = (graded_class["out"] / "pool_channels_last" / "feedback.html").read_text()
    main = _main_text(html)
    assert '<html lang="pt">' in html
    assert "nada avisa" in main and "Modelo Sequential" in main
    assert "nothing warns you" not in main  # English only in the collapsed block
    assert "nothing warns you" in html and '<details class="other" lang="en">' in html


def test_model_failures_show_pictures_or_say_why_not(graded_class: dict[str, Any]) -> None:
    """The example class's model mutants fail on structure (no outputs compared) or on the
    dict's keys: each failing model question shows layer pictures or explains their absence."""
    for student, question in [("pool_channels_last", "sequential_model"),
                              ("bias_ignored", "sequential_model"),
                              ("layer_missing", "layer_outputs"),
                              ("includes_input_layer", "layer_outputs"),
                              ("keras2_api", "functional_model")]:
        html = (graded_class["out"] / student / "feedback.html").read_text()
        section = html.split(f'<section id="q-{question}">', 1)[1].split("</section>", 1)[0]
        pictures = "<figure>" in section and "data:image/png;base64," in section
        reason = '<div class="why">' in section
        assert pictures or reason, student
        # The diagnosis comes first, above the pictures or the reason.
        assert section.index('class="diag"') < section.index("<figure>" if pictures else "why")
    keys = (graded_class["out"] / "layer_missing" / "feedback.html").read_text()
    assert ASSIGNMENT.picture_reasons["keys"].pt in keys


def _questions(failing: CaseResult, question: str = "sequential_model") -> list[QuestionResult]:
    ok = CaseResult("c0", False, True)
    return [QuestionResult(q.id, 0.0 if q.id == question else q.points, q.points,
                           [failing] if q.id == question else [ok],
                           ["pooling_channels_last"] if q.id == question else [])
            for q in QUESTIONS]


def test_pictures_for_a_layer_that_differs() -> None:
    expected = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4) / 10
    given = expected.copy()
    given[1, 2, 3] += 1.0  # one value off, in the second map
    case = CaseResult("seed-1", False, False, "conv_1: …", "conv_1: …",
                      Msg("Primeira camada com saída diferente: conv_1", "First layer: conv_1"),
                      None, "conv_1", {"expected": expected, "given": given})
    questions = _questions(case)
    rec = record(ASSIGNMENT, "ana", "graded", "", {}, "pt", questions, [], {})
    html = render(ASSIGNMENT, rec, questions, seed=1)
    section = html.split('<section id="q-sequential_model">', 1)[1].split("</section>", 1)[0]
    images = _pngs(section)
    assert len(images) == 4  # two maps, expected and given side by side
    exp1, got1, exp2, got2 = images
    assert exp1.size == got1.size and exp1.width > 100
    assert not _has(exp1, DIFF) and not _has(got1, DIFF) and not _has(exp2, DIFF)
    assert _has(got2, DIFF)  # the one different value is framed
    assert _has(exp1, (255, 0, 0))  # values written in red on the pixels, as in the seed
    assert "(1 de 24)" in section and "conv_1" in section
    assert section.index('class="diag"') < section.index("<figure>")


def test_pictures_when_the_shapes_differ() -> None:
    expected = np.ones((4, 2, 2))
    given = np.ones((2, 2, 4))
    case = CaseResult("seed-2", False, False, arrays={"expected": expected, "given": given},
                      layer="max_pool_1", problem=Msg("formato", "shape"))
    questions = _questions(case)
    rec = record(ASSIGNMENT, "bob", "graded", "", {}, "en", questions, [], {})
    html = render(ASSIGNMENT, rec, questions, seed=1)
    assert len(_pngs(html)) == 6  # 4 expected maps, 2 given ones
    assert "expected one has shape 4×2×2, yours 2×2×4" in html
    assert "(no map)" in html


def test_feedback_escapes_what_the_student_wrote() -> None:
    evil = "<script>alert(1)</script>"
    case = CaseResult("c1", False, False, "x", evil, Msg(evil, evil), None, evil)
    questions = _questions(case)
    rec = record(ASSIGNMENT, evil, "graded", evil, {}, "en", questions,
                 [{"cell": 1, "ename": evil, "evalue": evil}], {})
    html = render(ASSIGNMENT, rec, questions, seed=1)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_image_maps_follow_the_seed_style() -> None:
    uri = maps_png(np.array([[[0.0, 1.0], [2.0, 3.0]]]))[0]
    img = Image.open(BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")
    assert img.width == img.height >= 80
    assert img.getpixel((img.width - 2, img.height - 2)) == (255, 255, 255)  # the max is white
    assert img.getpixel((1, 1)) == (0, 0, 0)  # the min is black
    assert _has(img, (255, 0, 0))


def test_a_picture_that_cannot_be_drawn_does_not_break_the_page() -> None:
    case = CaseResult("c1", False, False, layer="dense_2",
                      arrays={"expected": np.ones((2, 2, 2)), "given": np.array([["x"]], dtype=object)})
    questions = _questions(case)
    rec = record(ASSIGNMENT, "eve", "graded", "", {}, "pt", questions, [], {})
    html = render(ASSIGNMENT, rec, questions, seed=1)
    assert REASONS["not_drawable"].pt.format(layer="dense_2") in html
