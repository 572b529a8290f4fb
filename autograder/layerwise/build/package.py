"""The part of the `layerwise` package the in-kernel checks import, copied into the otter zip and
the nbgrader assignment. Only these modules ship, so editing the rest (cli, lms, report, grade,
build, execute) changes neither artefact."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import layerwise

SHIPPED: tuple[str, ...] = (
    "__init__.py", "native.py", "cases.py", "plain.py", "messages.py", "questions.py",
    "errors.py",
    "harvest", "compare",
)
"""Files and subpackages (every `*.py` in them) that `layerwise.native.check_case` and
`score_cases` need in the student's kernel."""
BUILD_TIME: frozenset[str] = frozenset({"layerwise.execute.limits", "layerwise.execute.pool",
                                        "layerwise.grade.reference"})
"""Imported by `layerwise.native` only while building (to run the reference), never in a kernel."""


def package_dir() -> Path:
    """The directory of the imported `layerwise` package."""
    return Path(layerwise.__file__).resolve().parent


def shipped_files(src: Path | None = None) -> list[Path]:
    """The package's shipped `*.py` files, relative to the package directory, sorted."""
    src = src or package_dir()
    files: list[Path] = []
    for name in SHIPPED:
        path = src / name
        if path.is_dir():
            files += [p.relative_to(src) for p in path.rglob("*.py") if "__pycache__" not in p.parts]
        elif path.is_file():
            files.append(path.relative_to(src))
        else:
            raise FileNotFoundError(f"shipped module missing: {path}")
    return sorted(files)


def _module(rel: Path) -> str:
    parts = ["layerwise", *rel.with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(module: str, src: Path) -> bool:
    """Whether `module` (layerwise.x.y) is a module or package of the tree at `src`."""
    rel = Path(*module.split(".")[1:])
    return (src / rel).with_suffix(".py").is_file() or (src / rel / "__init__.py").is_file()


def imported_modules(path: Path, src: Path | None = None) -> set[str]:
    """Every `layerwise.*` module a file imports, at any depth (module level or in functions);
    `from m import n` counts `m.n` when that is a module of the package at `src`."""
    src = src or package_dir()
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "layerwise"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "layerwise":
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names
                      if _exists(f"{node.module}.{a.name}", src)}
    return found


def missing_imports(src: Path | None = None) -> dict[str, set[str]]:
    """Shipped file -> the `layerwise` modules it imports that do not ship (build-time ones
    excepted)."""
    src = src or package_dir()
    files = shipped_files(src)
    modules = {_module(rel) for rel in files}
    out = {rel.as_posix(): missing for rel in files
           if (missing := imported_modules(src / rel, src) - modules - BUILD_TIME)}
    return out


def copy_package(dest: Path, src: Path | None = None) -> list[Path]:
    """Copy the shipped modules to `dest` (checked: they import nothing that is not shipped);
    returns the written files."""
    src = src or package_dir()
    if missing := missing_imports(src):
        raise RuntimeError(f"shipped modules import modules that do not ship: {missing}; "
                           "add them to layerwise.build.package.SHIPPED")
    written = []
    for rel in shipped_files(src):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / rel, target)
        written.append(target)
    return written
