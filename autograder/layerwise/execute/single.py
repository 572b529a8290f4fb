"""One submission graded without a worker pool: what a Gradescope container, which grades a
single submission and exits, runs.

The same sandboxed worker as the pool's (bubblewrap, its own user, the same limits, watcher,
harvest and checks), with three differences that only cost time when there is one submission:
no serving threads; it imports only what the assignment names (not otter and pyplot, which
a long-lived worker warms for every student), and no garbage collection before it forks; and it
is started as soon as the pool is made, so its imports (TensorFlow's, seconds) run while the
grader loads the reference. Each job gets a fresh worker, stopped after it.

The submission still runs in a child forked by that worker: its watcher (cell and notebook
deadlines, memory, the cleanup of what the submission left running) cannot live in the process
that runs student code. Forking it costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from layerwise.execute.limits import Limits
from layerwise.execute.pool import Job, Outcome, Worker, release, scratch_root
from layerwise.execute.sandbox import enforcement, sandbox_mode, use_bubblewrap


class SinglePool:
    """The pool's interface (`enforcement`, `workers`, `run`, a context manager) over one
    worker started for each job."""

    def __init__(self, limits: Limits, *, sandbox: str = "auto",
                 preload: tuple[str, ...] = ()) -> None:
        self.use_bwrap = use_bubblewrap(sandbox_mode(sandbox))
        self.enforcement = enforcement(self.use_bwrap)
        self.root = scratch_root()
        self.workers = [Worker(0, self.root, limits, self.use_bwrap, reuse=False,
                               preload=preload, light=True)]
        self.workers[0].spawn()  # imports while the grader reads the reference

    def __enter__(self) -> SinglePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        release(self.workers, self.root)

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        for job in jobs:
            yield self.workers[0].run(job)
