"""Where the build reads an assignment's source and writes its artefacts (relative to the kit):

    source/<name>.py                              the one instructor source
    release/<name>/<edition>.ipynb, tests/, requirements.txt      what students get
    solutions/<edition>.ipynb                     the executed reference solutions
    autograder/otter/<name>-autograder.zip        Gradescope, through otter-grader
    autograder/nbgrader/source/<edition>/         the nbgrader course (one assignment per edition)
    autograder/examples/<name>/                   the example class

An edition is `<name>` for the assignment's first language and `<name>_<lang>` for the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from layerwise.assignment import Assignment
from layerwise.kit import AUTOGRADER_DIR, RELEASE_DIR, SOLUTIONS_DIR, SOURCE_DIR

NBGRADER = Path(AUTOGRADER_DIR) / "nbgrader"
NBGRADER_CONFIG = NBGRADER / "nbgrader_config.py"


@dataclass(frozen=True)
class Layout:
    """The paths of one assignment's artefacts."""

    assignment: Assignment

    @property
    def name(self) -> str:
        return self.assignment.name

    @property
    def langs(self) -> tuple[str, ...]:
        return self.assignment.editions

    @property
    def default_lang(self) -> str:
        return self.langs[0]

    def edition(self, lang: str) -> str:
        return self.assignment.edition(lang)

    def notebook_name(self, lang: str) -> str:
        return f"{self.edition(lang)}.ipynb"

    @property
    def source(self) -> Path:
        return Path(SOURCE_DIR) / f"{self.name}.py"

    @property
    def release(self) -> Path:
        return Path(RELEASE_DIR) / self.name

    def solution(self, lang: str) -> Path:
        return Path(SOLUTIONS_DIR) / self.notebook_name(lang)

    @property
    def otter_zip(self) -> Path:
        return Path(AUTOGRADER_DIR) / "otter" / f"{self.name}-autograder.zip"

    def nbgrader_source(self, lang: str) -> Path:
        """An edition's nbgrader source notebook: source/<edition>/<edition>.ipynb."""
        return NBGRADER / "source" / self.edition(lang) / self.notebook_name(lang)

    @property
    def gradescope_zip(self) -> Path:
        """The Gradescope autograder that grades with the kit's own engine."""
        return Path(AUTOGRADER_DIR) / "gradescope" / f"{self.name}-layerwise.zip"

    @property
    def examples(self) -> Path:
        return Path(AUTOGRADER_DIR) / "examples" / self.name
