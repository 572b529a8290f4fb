"""Resource limits of a submission's process: typed, each with what it is for."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Defaults fit a class on a 2-core, 8 GB laptop."""

    notebook_seconds: float = 120.0
    """Wall time for the whole submission: its cells plus the harness."""
    cell_seconds: float = 60.0
    """Wall time for any single cell."""
    call_seconds: float = 20.0
    """Wall time for any single call of a student function by the harness."""
    address_space_mb: int = 8192
    """RLIMIT_AS: virtual memory. TensorFlow needs about 4 GiB of address space to run."""
    resident_mb: int = 2048
    """Resident memory watched from outside; over it the submission ends with status memory."""
    processes: int = 256
    """RLIMIT_NPROC for the submission's own user (threads count): stops fork bombs."""
    file_mb: int = 64
    """RLIMIT_FSIZE: the largest file the submission may write."""
    disk_mb: int = 256
    """All the submission may write, its folder, HOME and /tmp together (a tmpfs of this size
    inside bubblewrap; without it only file_mb applies)."""
    open_files: int = 256
    """RLIMIT_NOFILE."""
    output_kb: int = 256
    """Printed output kept per cell; the rest is dropped (a notebook may print 100 MB)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
