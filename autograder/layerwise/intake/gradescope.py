"""Gradescope's "Export Submissions": a ``submission_metadata.yml`` next to one folder per
submission (``submission_<id>/``), the folder holding what the student uploaded.

The metadata is YAML written by Ruby, so its keys are symbols (``:submitters:``)::

    submission_409194023:
      :submitters:
      - :name: First Last
        :sid: '123456789'
        :email: first@example.edu
      :created_at: 2026-04-26 17:34:00.861687000 Z
      :score: 2.0
      :history: [...]

A group submission lists several submitters. Only the active submission of each student has a
folder; ``:history:`` lists earlier ones without files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Submitter:
    name: str
    sid: str
    email: str


@dataclass(frozen=True)
class GradescopeSubmission:
    """One ``submission_<id>`` entry of the metadata."""

    folder: str
    submitters: list[Submitter] = field(default_factory=list)
    created_at: datetime | None = None


class MetadataError(ValueError):
    """The metadata file could not be read."""


def _get(mapping: Any, key: str) -> Any:
    """A Ruby-symbol key (``:name``) or a plain one (``name``)."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(f":{key}", mapping.get(key))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        text = re.sub(r"\s*(Z|UTC)$", "+00:00", value.strip())
        text = re.sub(r"\s+([+-]\d)", r"\1", text)
        # Ruby writes nine fractional digits; Python reads at most six.
        text = re.sub(r"\.(\d{6})\d+", r".\1", text)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types
        """SafeLoader that reads unknown (Ruby) tags as plain values instead of failing."""

    def plain(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_scalar(node)

    Loader.add_multi_constructor("!", plain)
    Loader.add_multi_constructor("tag:", plain)
    return Loader


def parse_metadata(content: bytes) -> dict[str, GradescopeSubmission]:
    """Submission folder name → who submitted it and when."""
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover - PyYAML comes with jupytext
        raise MetadataError("PyYAML is not installed") from exc
    try:
        data = yaml.load(content.decode("utf-8", errors="replace"), Loader=_loader())
    except yaml.YAMLError as exc:
        raise MetadataError(f"unreadable YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MetadataError("not a mapping of submissions")
    result: dict[str, GradescopeSubmission] = {}
    for folder, entry in data.items():
        people = _get(entry, "submitters")
        submitters = [Submitter(name=_text(_get(p, "name")), sid=_text(_get(p, "sid")),
                                email=_text(_get(p, "email")))
                      for p in (people if isinstance(people, list) else [])
                      if isinstance(p, dict)]
        result[str(folder)] = GradescopeSubmission(
            folder=str(folder), submitters=submitters, created_at=_when(_get(entry, "created_at")))
    return result
