"""Reasons from the worker become sentences for the student only when they are ours."""

from __future__ import annotations

from layerwise.report.reasons import REASONS, reason_text


def test_known_reason_in_both_languages() -> None:
    msg = reason_text({"code": "cell_timeout", "cell": "3", "seconds": "60"})
    assert msg is not None
    assert msg.pt.startswith("A célula 3 rodou por mais de 60 s")
    assert msg.en.startswith("Cell 3 ran longer than 60 s")


def test_every_reason_has_both_languages_and_the_same_fields() -> None:
    for code, msg in REASONS.items():
        assert msg.pt != msg.en, code
        fields = {name for name in ("cell", "seconds", "mb", "how") if "{" + name + "}" in msg.en}
        assert fields == {n for n in ("cell", "seconds", "mb", "how") if "{" + n + "}" in msg.pt}


def test_unknown_or_malformed_reasons_are_dropped() -> None:
    assert reason_text({"code": "made_up"}) is None
    assert reason_text("cell_timeout") is None
    assert reason_text({"code": "cell_timeout", "cell": "3"}) is None  # a value missing
    long = reason_text({"code": "memory", "mb": "9" * 500})
    assert long is not None and len(long.en) < 120  # values are cut short
