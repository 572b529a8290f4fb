"""Where submissions run: the choices of `layerwise grade --executor`."""

from __future__ import annotations

from enum import StrEnum


class Executor(StrEnum):
    """local: forking workers on this machine (TensorFlow imported once per worker); fresh: a
    new process and TensorFlow import per submission (the slow path, for comparison); single:
    one sandboxed process per submission and no pool, for a single submission (what the
    Gradescope zip runs); dask: a dask.distributed cluster (`--scheduler`)."""

    local = "local"
    fresh = "fresh"
    single = "single"
    dask = "dask"
