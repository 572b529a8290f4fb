"""What the adversarial tests share besides fixtures: the run's seed and limits and two small
helpers. A module of its own (not conftest) so tests import it by a name no other folder uses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from layerwise.execute.limits import Limits

SEED = 4242
LIMITS = Limits(notebook_seconds=40, cell_seconds=10, call_seconds=2, resident_mb=1000)
"""Short limits: the endless loop ends in 10 s, an endless function in 2 s, the memory bomb at
1 GB (an honest notebook's processes peak near 0.35 GB here)."""


def records_of(out: Path) -> dict[str, dict[str, Any]]:
    return {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/grading.json")}


def seeded_run_folder(folder: Path, cache: Path) -> Path:
    """A new run folder that already holds the reference harvest for SEED."""
    shutil.copytree(cache, folder / ".reference")
    return folder
