"""The kit's folder: the instructor source, the generated release and solutions, and the
autograder artefacts. Commands find it from `--kit DIR` (default: the current folder), never
from where the package is installed: a `pip install` of the kit works like a checkout."""

from __future__ import annotations

from pathlib import Path

from layerwise.errors import ConfigError

SOURCE_DIR = "source"
SOLUTIONS_DIR = "solutions"
RELEASE_DIR = "release"
AUTOGRADER_DIR = "autograder"


class KitNotFound(ConfigError):
    """The folder given (or the current one) is not a layerwise kit."""


def find_kit(given: Path | None, needs: str = SOLUTIONS_DIR) -> Path:
    """The kit's root: `given`, else the current folder; it must hold `needs` (a folder)."""
    root = (given or Path.cwd()).resolve()
    if not (root / needs).is_dir():
        where = "the current folder" if given is None else str(root)
        raise KitNotFound(f"{where} is not a layerwise kit (it has no {needs}/ folder): run the "
                          "command from the kit's folder or pass --kit DIR")
    return root
