"""`layerwise assignments`: the lessons the registry finds."""

from __future__ import annotations

from layerwise.console import out


def assignments_command() -> None:
    """The assignments registered (entry-point group layerwise.assignments)."""
    from rich.table import Table

    from layerwise import registry

    table = Table(title="registered assignments", title_justify="left")
    for column in ("name", "title", "questions", "points", "editions", "from"):
        table.add_column(column)
    for name, target in sorted(registry.registered().items()):
        a = registry.get(name)
        table.add_row(a.name, a.title.en, ", ".join(a.question_ids), f"{a.max_total:g}",
                      ", ".join(a.editions), target)
    out.print(table)
