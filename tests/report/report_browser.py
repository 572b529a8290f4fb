"""Helpers for the browser tests (the fixtures are in conftest.py)."""

from __future__ import annotations

from io import BytesIO


def not_blank(png: bytes) -> tuple[int, float]:
    """(distinct colours, share of non-white pixels) of a screenshot."""
    from PIL import Image

    img = Image.open(BytesIO(png)).convert("RGB")
    img.thumbnail((800, 800))
    colours = img.getcolors(maxcolors=1 << 20) or []
    pixels = img.width * img.height
    white = sum(n for n, c in colours if min(c) >= 245)
    return len(colours), 1 - white / pixels
