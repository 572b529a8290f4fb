"""Layer pictures in the seed's style (gray levels, values drawn on the pixels in red), inline PNG.

The expected and the student's maps are drawn on one gray scale so equal values look equal;
values that differ from the expected are framed in orange."""

from __future__ import annotations

import base64
from functools import cache
from io import BytesIO

import numpy as np
from PIL import Image, ImageDraw, ImageFont

TEXT = (255, 0, 0)
"""The seed notebook writes the values in red."""
HALO = (255, 255, 255)
"""A thin white outline keeps the red values readable on dark pixels."""
DIFF = (255, 140, 0)
"""Frame of a value that differs from the expected one."""
MAX_MAPS = 8
MAX_SIDE = 16


def cell_size(*widths: int) -> int:
    """Screen pixels per value: big for small maps, so the values stay readable when shrunk."""
    return max(40, min(72, 576 // max(1, *widths)))


@cache
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def value_range(*arrays: np.ndarray) -> tuple[float, float]:
    """The finite (min, max) over all `arrays`, for one gray scale shared by the pictures."""
    values = [np.asarray(a, dtype=np.float64).ravel() for a in arrays]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    if finite.size == 0:
        return 0.0, 1.0
    return float(finite.min()), float(finite.max())


def _label(value: float) -> str:
    if not np.isfinite(value):
        return str(value)
    return f"{value:.3f}".rstrip("0").rstrip(".")


def crop(maps: np.ndarray) -> np.ndarray:
    """At most MAX_MAPS maps of at most MAX_SIDE x MAX_SIDE values, as float64 (maps, h, w)."""
    a = np.asarray(maps, dtype=np.float64)
    if a.ndim == 2:
        a = a[None]
    elif a.ndim != 3:
        a = a.reshape(1, 1, -1)
    return a[:MAX_MAPS, :MAX_SIDE, :MAX_SIDE]


def maps_png(maps: np.ndarray, scale: int | None = None, highlight: np.ndarray | None = None,
             span: tuple[float, float] | None = None) -> list[str]:
    """One data: URI per map of `maps` (maps, h, w), cropped to MAX_MAPS maps of MAX_SIDE²;
    cells where `highlight` is true get an orange frame (the difference from the expected);
    `span` is the (min, max) mapped to black and white, by default the maps' own."""
    maps = crop(maps)
    scale = scale or cell_size(maps.shape[2])
    lo, hi = span if span is not None else value_range(maps)
    gray = np.nan_to_num(255 * (maps - lo) / ((hi - lo) or 1.0), nan=0.0, posinf=255, neginf=0)
    gray = gray.clip(0, 255).astype(np.uint8)
    font = _font(max(9, round(scale * 0.26)))
    frame = max(2, scale // 24)
    uris = []
    for m in range(maps.shape[0]):
        h, w = maps.shape[1:]
        img = Image.fromarray(gray[m]).resize((w * scale, h * scale), Image.Resampling.NEAREST).convert("RGB")
        draw = ImageDraw.Draw(img)
        for i in range(h):
            for j in range(w):
                if highlight is not None and highlight[m, i, j]:
                    draw.rectangle([j * scale, i * scale, (j + 1) * scale - 1, (i + 1) * scale - 1],
                                   outline=DIFF, width=frame)
                draw.text((j * scale + frame + 1, i * scale + frame + 1), _label(maps[m, i, j]),
                          font=font, fill=TEXT, stroke_width=1, stroke_fill=HALO)
        buffer = BytesIO()
        img.save(buffer, "png")
        uris.append("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode())
    return uris

