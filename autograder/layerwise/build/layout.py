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


def notebook_name(lang: str) -> str:
    """File name of an edition's notebook: the Portuguese one is the default edition."""
    return f"{NAME}.ipynb" if lang == "pt" else f"{NAME}_{lang}.ipynb"


def nbgrader_assignment(lang: str) -> str:
    """The nbgrader assignment of an edition, named like its notebook (cnn_keras, cnn_keras_en)."""
    return Path(notebook_name(lang)).stem


def nbgrader_source(lang: str) -> Path:
    """An edition's nbgrader source notebook: source/<assignment>/<assignment>.ipynb."""
    return NBGRADER / "source" / nbgrader_assignment(lang) / notebook_name(lang)


def nbgrader_package(lang: str) -> Path:
    """The checks next to an edition's notebook: nbgrader copies them into release/ and
    autograded/ folders."""
    return nbgrader_source(lang).parent / "layerwise"


NBGRADER_SOURCE = nbgrader_source("pt")
NBGRADER_PACKAGE = nbgrader_package("pt")
"""The Portuguese (default) assignment's notebook and checks."""
