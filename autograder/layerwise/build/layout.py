"""Where the build reads its source and writes every artefact (paths relative to the repo root)."""

from __future__ import annotations

from pathlib import Path

NAME = "cnn_keras"
LANGS: tuple[str, ...] = ("pt", "en")
SOURCE = Path("source") / f"{NAME}.py"
RELEASE = Path("release")
SOLUTIONS = Path("solutions")
OTTER_ZIP = Path("autograder") / "otter" / f"{NAME}-autograder.zip"
NBGRADER = Path("autograder") / "nbgrader"
NBGRADER_CONFIG = NBGRADER / "nbgrader_config.py"
NBGRADER_SOURCE = NBGRADER / "source" / NAME / f"{NAME}.ipynb"
NBGRADER_PACKAGE = NBGRADER / "source" / NAME / "layerwise"
"""The checks next to the notebook: nbgrader copies them into release/ and autograded/ folders."""


def notebook_name(lang: str) -> str:
    """File name of an edition's notebook: the Portuguese one is the default edition."""
    return f"{NAME}.ipynb" if lang == "pt" else f"{NAME}_{lang}.ipynb"
