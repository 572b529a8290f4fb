"""The part of the kit the in-kernel checks import: the engine modules `layerwise.native` needs,
and the assignment's package without its example class (which quotes the solution). It ships
beside the notebook in the otter zip (grader side: Gradescope's image) and inside the hidden
cells of the nbgrader course (`hidden_checks.py`), never beside a notebook nbgrader releases.
Editing the rest of the kit (cli, lms, report, grade, build, execute) changes neither artefact."""

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


def _origin(module: str) -> Path | None:
    """The file a module is loaded from (None for builtins and what cannot be found)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin).resolve()


def _root_of(path: Path, module: str) -> Path:
    """The folder on sys.path that `module`'s file `path` was found in."""
    depth = module.count(".") + (1 if path.name == "__init__.py" else 0)
    return path.parents[depth]


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (module level or in functions), with
    `from m import n` counting `m.n` too (when that is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def assignment_root(assignment: Assignment) -> tuple[Path, str]:
    """(the folder on sys.path holding the assignment's top package, that package's name)."""
    top = assignment.student_side.split(".")[0]
    init = _origin(top)
    assert init is not None, top
    return init.parent.parent, top


def _examples(assignment: Assignment) -> set[str]:
    return {assignment.examples} if assignment.examples else set()


def _closure(assignment: Assignment) -> dict[str, Path]:
    """Module -> file of everything the in-kernel checks of `assignment` import: the engine
    modules, the assignment's package, and what those import from the kit or from a course's
    packages (its example class and the kit's build-time modules left out)."""
    package = assignment.student_side.rpartition(".")[0]
    start = [".".join(["layerwise", _module(Path(rel))]).rstrip(".") for rel in ENGINE]
    init = _origin(package)
    assert init is not None, package
    start += [".".join([package, _module(p.relative_to(init.parent))]).rstrip(".")
              for p in init.parent.rglob("*.py") if "__pycache__" not in p.parts]
    tops = {"layerwise", package.split(".")[0]}
    skip = BUILD_TIME | _examples(assignment)
    found: dict[str, Path] = {}
    todo = list(start)
    while todo:
        module = todo.pop()
        if module in found or module in skip or module.split(".")[0] not in tops:
            continue
        origin = _origin(module)
        if origin is None:
            continue
        found[module] = origin
        parent = module.rpartition(".")[0]
        todo += [parent] if parent else []
        todo += [m for m in imported_modules(origin) if not m.startswith(FORBIDDEN)]
    return found


FORBIDDEN: tuple[str, ...] = ("layerwise.cli", "layerwise.lms", "layerwise.report",
                              "layerwise.build", "layerwise.grade", "layerwise.execute",
                              "layerwise.native_paths")
"""What the in-kernel checks must never import (outside the build-time modules)."""


def shipped_files(assignment: Assignment) -> list[tuple[Path, Path]]:
    """(source file, path in the copy) of everything that ships, sorted by the copy's path."""
    files = {}
    for module, origin in _closure(assignment).items():
        files[origin] = origin.relative_to(_root_of(origin, module))
    return sorted(files.items(), key=lambda pair: pair[1])


def shipped_tops(assignment: Assignment) -> list[str]:
    """The top-level folders a copy holds ("layerwise", and a course's own package)."""
    return sorted({rel.parts[0] for _, rel in shipped_files(assignment)})


def _module(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def missing_imports(assignment: Assignment) -> dict[str, set[str]]:
    """Shipped file -> the kit's modules it imports that must not ship (the command line, the
    LMS, the reports, the build, the grader's run, the sandbox), build-time ones excepted."""
    out: dict[str, set[str]] = {}
    for source, rel in shipped_files(assignment):
        bad = {m for m in imported_modules(source)
               if m.startswith(FORBIDDEN) and m not in BUILD_TIME}
        if bad:
            out[rel.as_posix()] = bad
    return out


def copy_package(dest: Path, assignment: Assignment) -> list[Path]:
    """Copy what ships into `dest` (`dest/layerwise/...`, and a course package beside it),
    checked: it imports nothing that does not ship; returns the written files."""
    if missing := missing_imports(assignment):
        raise RuntimeError(f"in-kernel modules import parts of the kit that must not ship: "
                           f"{missing}")
    written = []
    for source, rel in shipped_files(assignment):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written
