"""The reference harvest: the solved notebook run through the same harness, cached in the run
folder under a key of everything that shapes it (the solved notebook is the single source of
truth; an upgrade of the kit or a change of the cases never reuses an old reference)."""

from __future__ import annotations

import functools
import hashlib
import importlib
from pathlib import Path
from typing import Any

from layerwise import __version__, plain, registry
from layerwise.assignment import Assignment
from layerwise.errors import LayerwiseError
from layerwise.execute.pool import Job
from layerwise.intake.notebook import read_notebook
from layerwise.status import Status

PACKAGE = Path(__file__).resolve().parents[1]


class ReferenceSolutionError(LayerwiseError):
    """The reference solution itself did not run: nothing can be graded."""


def solution_hash(path: Path) -> str:
    """The solved notebook's code (what run.json names the solution by)."""
    cells = read_notebook(path.read_bytes()).cells
    digest = hashlib.sha256("\n\x00".join(cells).encode() + __version__.encode())
    return digest.hexdigest()[:16]


@functools.cache
def code_digest(package: Path = PACKAGE) -> str:
    """The content of every Python file of the kit's package: the harness, the cases, the
    checkers and everything they import."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\x00")
            digest.update(path.read_bytes() + b"\x00")
    return digest.hexdigest()


def package_of(assignment: Assignment) -> Path:
    """The folder of the assignment's package (inside the kit's, or a course's own)."""
    module = importlib.import_module(assignment.student_side.rpartition(".")[0])
    return Path(str(module.__file__)).resolve().parent


def reference_key(assignment: Assignment, solution: Path, cases: dict[str, Any],
                  package: Path = PACKAGE) -> str:
    """What the cached reference is valid for: the assignment, the solution's code, the kit's
    and the assignment's code and the cases themselves (their inputs, whatever drew them)."""
    text, npz = plain.pack(cases)
    digest = hashlib.sha256()
    for part in (assignment.name.encode(), solution_hash(solution).encode(),
                 code_digest(package).encode(), code_digest(package_of(assignment)).encode(),
                 text.encode(), npz):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:24]


def reference_harvest(pool: Any, assignment: Assignment, solution: Path, cases: dict[str, Any],
                      cache: Path) -> tuple[dict[str, Any], str]:
    """(the reference harvest, the solution's hash), from the cache when it is valid."""
    digest = solution_hash(solution)
    stem = cache / f"reference-{reference_key(assignment, solution, cases)}"
    if stem.with_suffix(".json").is_file():
        try:
            return plain.load(stem), digest
        except plain.PlainDataError:
            pass
    job = Job("__reference__", read_notebook(solution.read_bytes()).cells, cases, reference=True,
              assignment=registry.target_of(assignment))
    outcome = next(iter(pool.run([job])))
    if outcome.status is not Status.graded or outcome.harvest is None:
        raise ReferenceSolutionError(
            f"the reference solution {solution} did not run ({outcome.status}: "
            f"{outcome.message}); run it in Jupyter to see why, or rebuild it with "
            "`layerwise build`")
    missing = [k for k, v in outcome.harvest["functions"].items() if not v["callable"]]
    if missing:  # cell errors from grader.check cells (no tests/ folder here) are harmless
        errors = [f"cell {e['cell']}: {e['ename']}: {e['evalue'][:120]}"
                  for e in outcome.harvest.get("cells", [])]
        raise ReferenceSolutionError(
            f"the reference solution {solution} does not define {', '.join(missing)} "
            f"({'; '.join(errors) or 'no cell failed'}): is it the solved notebook?")
    cache.mkdir(parents=True, exist_ok=True)
    plain.save(stem, outcome.harvest)
    return outcome.harvest, digest


def shipped_reference(stem: Path, assignment: Assignment, seed: int
                      ) -> tuple[dict[str, Any], str]:
    """(the reference harvest saved at `stem`, the solution's hash), checked to be of
    `assignment` and `seed` (a reference of other cases would grade every student wrong)."""
    try:
        harvest = plain.load(stem)
    except plain.PlainDataError as exc:
        raise ReferenceSolutionError(f"the shipped reference {stem} is unreadable: {exc}") from exc
    if harvest.get("assignment") != assignment.name or harvest.get("seed") != seed:
        raise ReferenceSolutionError(
            f"the shipped reference {stem} is of {harvest.get('assignment')} seed "
            f"{harvest.get('seed')}, not {assignment.name} seed {seed}: rebuild the zip")
    return harvest, str(harvest.get("solution_hash") or "")
