"""The reference harvest: the solved notebook run through the same harness, cached by seed and
solution hash (the solved notebook is the single source of truth)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from layerwise import __version__, plain
from layerwise.execute.pool import Job
from layerwise.notebook import read_notebook


class ReferenceError(RuntimeError):
    """The reference solution itself did not run: nothing can be graded."""


def solution_hash(path: Path) -> str:
    cells = read_notebook(path.read_bytes()).cells
    digest = hashlib.sha256("\n\x00".join(cells).encode() + __version__.encode())
    return digest.hexdigest()[:16]


def reference_harvest(pool: Any, solution: Path, cases: dict[str, Any], cache: Path
                      ) -> tuple[dict[str, Any], str]:
    digest = solution_hash(solution)
    stem = cache / f"reference-{digest}-{cases['seed']}"
    if stem.with_suffix(".json").is_file():
        try:
            return plain.load(stem), digest
        except plain.PlainDataError:
            pass
    job = Job("__reference__", read_notebook(solution.read_bytes()).cells, cases, reference=True)
    outcome = next(iter(pool.run([job])))
    if outcome.status != "ok" or outcome.harvest is None:
        raise ReferenceError(f"the reference solution {solution} did not run: {outcome.status} "
                             f"{outcome.message}")
    missing = [k for k, v in outcome.harvest["functions"].items() if not v["callable"]]
    if missing:  # cell errors from grader.check cells (no tests/ folder here) are harmless
        errors = [f"cell {e['cell']}: {e['ename']}: {e['evalue'][:120]}"
                  for e in outcome.harvest.get("cells", [])]
        raise ReferenceError(f"the reference solution does not define {missing}: {errors}")
    cache.mkdir(parents=True, exist_ok=True)
    plain.save(stem, outcome.harvest)
    return outcome.harvest, digest
