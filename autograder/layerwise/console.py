"""The commands' consoles: tables at least 140 columns wide, so a TA's log file (or a pipe) keeps
each message on its line instead of breaking it at 80."""

from __future__ import annotations

from rich.console import Console

err = Console(stderr=True)
out = Console(width=max(140, Console().width))
