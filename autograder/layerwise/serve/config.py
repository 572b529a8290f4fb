"""The service's settings: one frozen object built by the CLI (or a test) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from layerwise.execute.limits import Limits


@dataclass(frozen=True)
class Settings:
    """How `layerwise serve` runs."""

    data: Path
    """The data folder: notebooks, results and feedback (and the SQLite database by default)."""
    db: str = ""
    """SQLAlchemy URL (``postgresql+psycopg://user@host/db``); empty: SQLite in `data`."""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = max(1, min(2, os.cpu_count() or 1))
    """Grading workers of the warm pool (0: this process grades nothing, it only serves)."""
    kit: Path | None = None
    """The kit's folder, holding solutions/ (default: the current folder)."""
    limits: Limits = field(default_factory=lambda: Limits(notebook_seconds=120, cell_seconds=60))
    sandbox: str = "auto"
    """auto, bwrap or none, as `layerwise grade --sandbox`."""
    max_upload_bytes: int = 5 * 1024 * 1024
    """The largest notebook accepted (a lesson's notebook is a few hundred kB)."""
    lease_seconds: float = 20.0
    """How long a claimed job stays claimed without a heartbeat; a dead server's jobs are
    requeued once it passes."""
    max_attempts: int = 3
    """Grading attempts per submission before it is recorded as a grader error."""
    secure_cookies: bool = False
    """Mark cookies Secure (set it when served over HTTPS, e.g. behind a proxy)."""
    frame_ancestors: str = "'none'"
    """CSP frame-ancestors: who may embed the pages (an LMS's origin for LTI iframes)."""
    link_days: float = 120.0
    """How long a student's sign-in link stays valid."""
    session_hours: float = 12.0
    """How long a sign-in lasts."""
    base_url: str = ""
    """The public address (``https://grader.example.edu``) LMSs and browsers reach; empty:
    http://host:port. LTI's URLs are under it (``/lti/login``, ``/lti/launch``, ...)."""
    lti_registration_key: str = ""
    """The key an admin puts in the LTI dynamic-registration URL (empty: dynamic registration off)."""
    poll_seconds: float = 0.25
    """How often an idle dispatcher looks for queued jobs."""

    @property
    def url(self) -> str:
        """The database URL actually used."""
        return self.db or f"sqlite:///{(self.data / 'layerwise.sqlite3').resolve()}"
