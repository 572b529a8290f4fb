"""The kit's folder: the instructor source, the generated release and solutions, and the
autograder artefacts. Commands find it from `--kit DIR`, else the current folder, else the
checkout the running `layerwise` was installed from in editable mode (the first folder above
the package holding `source/` and `solutions/`); a non-editable `pip install` has no such folder,
and then the current one must be the kit."""

from __future__ import annotations

from pathlib import Path

import layerwise
from layerwise.errors import ConfigError

SOURCE_DIR = "source"
SOLUTIONS_DIR = "solutions"
RELEASE_DIR = "release"
AUTOGRADER_DIR = "autograder"


class KitNotFound(ConfigError):
    """The folder given (or the current one) is not a layerwise kit."""


def installed_from() -> Path | None:
    """The checkout this `layerwise` package was installed from (editable), if it is one."""
    package = Path(layerwise.__file__).resolve().parent
    for folder in package.parents:
        if (folder / SOURCE_DIR).is_dir() and (folder / SOLUTIONS_DIR).is_dir():
            return folder
    return None


def find_kit(given: Path | None, needs: str = SOLUTIONS_DIR) -> Path:
    """The kit's root: `given`, else the current folder, else the checkout the package runs
    from; it must hold `needs` (a folder)."""
    root = (given or Path.cwd()).resolve()
    if (root / needs).is_dir():
        return root
    checkout = installed_from() if given is None else None
    if checkout is not None and (checkout / needs).is_dir():
        return checkout
    where = "the current folder" if given is None else str(root)
    raise KitNotFound(f"{where} is not a layerwise kit (it has no {needs}/ folder): run the "
                      "command from the kit's folder or pass --kit DIR")
