"""The part of the kit the in-kernel checks import, copied next to a notebook in the otter zip
and the nbgrader assignment: the engine modules `layerwise.native` needs, and the assignment's
package without its example class (which quotes the solution). Editing the rest of the kit (cli,
lms, report, grade, build, execute) changes neither artefact."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import shutil
from pathlib import Path

import layerwise
from layerwise.assignment import Assignment

ENGINE: tuple[str, ...] = (
    "__init__.py", "native.py", "plain.py", "messages.py", "errors.py", "assignment.py",
    "registry.py", "harvest/__init__.py", "harvest/engine.py", "harvest/values.py",
    "compare/__init__.py", "compare/base.py", "compare/layers.py",
)
"""Engine files (relative to the package) that `native.check_case` and `score_cases` import."""
BUILD_TIME: frozenset[str] = frozenset({"layerwise.execute.limits", "layerwise.execute.pool",
                                        "layerwise.grade.reference", "layerwise.grade.run"})
"""Imported by shipped modules only while building (to run the reference), never in a kernel."""


def package_dir() -> Path:
    """The directory of the imported `layerwise` package."""
    return Path(layerwise.__file__).resolve().parent


def assignment_root(assignment: Assignment) -> tuple[Path, str]:
    """(the folder holding the assignment's top package, that package's name)."""
    top = assignment.student_side.split(".")[0]
    module = importlib.import_module(top)
    return Path(str(module.__file__)).resolve().parent.parent, top


def _assignment_files(assignment: Assignment) -> list[tuple[Path, Path]]:
    """(source file, path in the copy) of the assignment's package, example class left out."""
    package = importlib.import_module(assignment.student_side.rpartition(".")[0])
    folder = Path(str(package.__file__)).resolve().parent
    root, _ = assignment_root(assignment)
    examples = importlib.util.find_spec(assignment.examples) if assignment.examples else None
    skip = {Path(str(examples.origin)).resolve()} if examples and examples.origin else set()
    files = [p for p in folder.rglob("*.py") if "__pycache__" not in p.parts and p not in skip]
    parents = [p / "__init__.py" for p in folder.relative_to(root).parents if str(p) != "."]
    files += [root / p for p in parents if (root / p).is_file()]
    return sorted({(p, p.relative_to(root)) for p in files})


def shipped_files(assignment: Assignment) -> list[tuple[Path, Path]]:
    """(source file, path in the copy) of everything that ships, sorted."""
    engine = package_dir()
    files = {(engine / rel, Path("layerwise") / rel) for rel in ENGINE}
    files |= set(_assignment_files(assignment))
    return sorted(files, key=lambda pair: pair[1])


def shipped_tops(assignment: Assignment) -> list[str]:
    """The top-level folders a copy holds ("layerwise", and a course's own package)."""
    return sorted({rel.parts[0] for _, rel in shipped_files(assignment)})


def _module(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module of the kit or of a course package a file imports, at any depth (module
    level or in functions), with `from m import n` counting `m.n` too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def missing_imports(assignment: Assignment) -> dict[str, set[str]]:
    """Shipped file -> the modules of the shipped packages it imports that do not ship
    (build-time ones excepted)."""
    files = shipped_files(assignment)
    shipped = {_module(rel) for _, rel in files}
    tops = {rel.parts[0] for _, rel in files}
    out: dict[str, set[str]] = {}
    for source, rel in files:
        wanted = {m for m in imported_modules(source) if m.split(".")[0] in tops}
        # `from package import name` names a module only when such a module exists
        missing = {m for m in wanted - shipped - BUILD_TIME
                   if m.rpartition(".")[0] not in shipped or _is_module(m)}
        if missing:
            out[rel.as_posix()] = missing
    return out


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def copy_package(dest: Path, assignment: Assignment) -> list[Path]:
    """Copy what ships into `dest` (`dest/layerwise/...`, and a course package beside it),
    checked: it imports nothing that does not ship; returns the written files."""
    if missing := missing_imports(assignment):
        raise RuntimeError(f"shipped modules import modules that do not ship: {missing}; "
                           "add them to layerwise.build.package.ENGINE")
    written = []
    for source, rel in shipped_files(assignment):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written
