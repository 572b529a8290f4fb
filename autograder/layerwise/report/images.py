"""Layer pictures in the seed's style (gray levels, values drawn on the pixels), inline PNG."""

from __future__ import annotations

import base64
from io import BytesIO

import numpy as np
from PIL import Image, ImageDraw, ImageFont


def maps_png(maps: np.ndarray, scale: int = 36, highlight: np.ndarray | None = None) -> list[str]:
    """One data: URI per map of `maps` (maps, h, w); cells where `highlight` is true get a red
    frame (the difference from the expected output)."""
    maps = np.asarray(maps, dtype=np.float64)[:8, :16, :16]
    lo, hi = float(np.nanmin(maps)), float(np.nanmax(maps))
    gray = (255 * (maps - lo) / ((hi - lo) or 1.0)).clip(0, 255).astype(np.uint8)
    font = ImageFont.load_default()
    uris = []
    for m in range(maps.shape[0]):
        h, w = maps.shape[1:]
        img = Image.fromarray(gray[m]).resize((w * scale, h * scale), Image.NEAREST).convert("RGB")
        draw = ImageDraw.Draw(img)
        for i in range(h):
            for j in range(w):
                text = f"{maps[m, i, j]:.2f}".rstrip("0").rstrip(".")
                draw.text((j * scale + 2, i * scale + 2), text, font=font, fill=(255, 40, 40))
                if highlight is not None and highlight[m, i, j]:
                    draw.rectangle([j * scale, i * scale, (j + 1) * scale - 1,
                                    (i + 1) * scale - 1], outline=(255, 0, 0), width=3)
        buffer = BytesIO()
        img.save(buffer, "png")
        uris.append("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode())
    return uris
