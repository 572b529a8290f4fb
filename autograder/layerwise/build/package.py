"""A clean copy of the `layerwise` package (only `*.py`) to ship inside the autograder zip."""

from __future__ import annotations

import shutil
from pathlib import Path

import layerwise


def package_dir() -> Path:
    """The directory of the imported `layerwise` package."""
    return Path(layerwise.__file__).resolve().parent


def copy_package(dest: Path, src: Path | None = None) -> list[Path]:
    """Copy every `*.py` of the package (no `__pycache__`) to `dest`; returns the written files."""
    src = src or package_dir()
    written = []
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if "__pycache__" in rel.parts:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(target)
    return written
