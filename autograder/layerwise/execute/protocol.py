"""What crosses between the grader and its workers, as typed records checked where they arrive.

One JSON line each way: a `JobRequest` on the worker's stdin, a `WorkerReply` on its stdout.
A worker's reply is written after a child ran student code in it, so the grader reads it as
untrusted: `WorkerReply.from_json` keeps only fields of the expected types and refuses the rest.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from layerwise.execute.limits import Limits
from layerwise.status import Status

LIGHT = "--light"
"""A worker's first argument when it runs a single submission and exits (`execute/single.py`):
it imports only what the assignment names."""
MAX_REASONS = 5
MAX_EVENTS = 10


class ProtocolError(ValueError):
    """A line that is not the record it should be."""


@dataclass(frozen=True)
class JobRequest:
    """One submission for a worker to run."""

    job: str
    dir: str
    """The job's folder on the host (the worker's scratch): cells.json, inputs.json/.npz."""
    limits: Limits
    reference: bool = False
    uid: int | None = None
    """The unprivileged user the child becomes (when the grader is root)."""
    unshare_net: bool = False
    """The child leaves the host's network itself (no bubblewrap to do it)."""
    private_tmp: bool = False
    """Inside bubblewrap: run on the worker's size-limited /tmp."""
    fast_predict: bool = False
    assignment: str = ""
    """The assignment's "module:attribute" (`registry.load`): its harvesters and fields."""

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    def with_dir(self, folder: str) -> JobRequest:
        return JobRequest(**{**asdict(self), "limits": self.limits, "dir": folder})

    @classmethod
    def from_json(cls, line: str) -> JobRequest:
        try:
            data = json.loads(line)
            limits = Limits.from_dict(data.pop("limits"))
            request = cls(limits=limits, **data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ProtocolError(f"not a job request: {exc}") from exc
        if not isinstance(request.job, str) or not isinstance(request.dir, str):
            raise ProtocolError("not a job request: job and dir must be text")
        return request


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _reason(value: Any) -> dict[str, str | float] | None:
    """A reason as plain, short values ({"code": ..., "cell": ..., "seconds": ...})."""
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        return None
    kept: dict[str, str | float] = {}
    for key, item in list(value.items())[:8]:
        if isinstance(key, str) and isinstance(item, str):
            kept[key[:40]] = item[:200]
        elif isinstance(key, str) and (number := _number(item)) is not None:
            kept[key[:40]] = number
    return kept


@dataclass
class WorkerReply:
    """How a submission's run ended, as the worker watched it."""

    job: str
    status: Status
    """graded: the child ran to the end and left readable results of the harness's shape."""
    message: str = ""
    """The technical line, for the TA."""
    reasons: list[dict[str, str | float]] = field(default_factory=list)
    """Why it was stopped or interrupted, as codes and values (report/reasons.py)."""
    exit_code: int | None = None
    cell: str | None = None
    """Where it was when it ended: a cell index, "harvest", or None."""
    events: list[str] = field(default_factory=list)
    wall: float | None = None
    cpu: float | None = None
    peak_mb: float | None = None
    network_isolated: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    def stats(self) -> dict[str, Any]:
        """The measurements that go into grading.json."""
        return {"wall": self.wall, "cpu": self.cpu, "peak_mb": self.peak_mb, "cell": self.cell}

    @classmethod
    def from_json(cls, line: bytes | str) -> WorkerReply:
        """The reply in `line`, with every field checked; ProtocolError when it is none."""
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise ProtocolError(f"not JSON: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("job"), str):
            raise ProtocolError("not a worker reply")
        try:
            status = Status(str(data.get("status")))
        except ValueError:
            raise ProtocolError(f"unknown status {str(data.get('status'))[:40]!r}") from None
        reasons = data["reasons"] if isinstance(data.get("reasons"), list) else []
        events = data["events"] if isinstance(data.get("events"), list) else []
        code = data.get("exit_code")
        cell = data.get("cell")
        return cls(
            job=data["job"], status=status, message=str(data.get("message") or "")[:2000],
            reasons=[r for r in map(_reason, reasons[:MAX_REASONS]) if r is not None],
            exit_code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            cell=cell[:20] if isinstance(cell, str) else None,
            events=[e[:200] for e in events[-MAX_EVENTS:] if isinstance(e, str)],
            wall=_number(data.get("wall")), cpu=_number(data.get("cpu")),
            peak_mb=_number(data.get("peak_mb")),
            network_isolated=data.get("network_isolated") is not False)
