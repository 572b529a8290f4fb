"""otter-assign raw-cell markers: recognise them, read their YAML, write new ones."""

from __future__ import annotations

import re
from typing import Any

import nbformat
import yaml
from nbformat import NotebookNode

_MARKER = re.compile(
    r"^\s*#\s*(ASSIGNMENT\s+CONFIG|(?:BEGIN|END)\s+(?:QUESTION|SOLUTION|TESTS|PROMPT))\b",
    re.IGNORECASE,
)


def marker(cell: NotebookNode) -> str | None:
    """The marker of a raw cell, normalised ("BEGIN QUESTION", "ASSIGNMENT CONFIG"...), or None."""
    if cell.cell_type != "raw":
        return None
    match = _MARKER.match(cell.source)
    return " ".join(match.group(1).upper().split()) if match else None


def config(cell: NotebookNode) -> dict[str, Any]:
    """The YAML below a marker's first line (empty dict when there is none)."""
    body = "\n".join(cell.source.splitlines()[1:])
    loaded = yaml.safe_load(body) if body.strip() else None
    return dict(loaded) if isinstance(loaded, dict) else {}


def raw_cell(name: str, settings: dict[str, Any] | None = None) -> NotebookNode:
    """A raw marker cell `# <name>` followed by `settings` as YAML."""
    source = f"# {name}"
    if settings:
        dumped = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)
        source += "\n" + dumped.rstrip("\n")
    return nbformat.v4.new_raw_cell(source)
