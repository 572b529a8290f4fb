"""`layerwise serve-admin`: accounts, courses, assignments, rosters and links from the shell."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from layerwise.console import out

admin_app = typer.Typer(help="Administer `layerwise serve`'s database (instructors, courses, "
                             "rosters, sign-in links).", no_args_is_help=True)
Data = Annotated[Path, typer.Option("--data", help="the service's data folder")]
Db = Annotated[str, typer.Option("--db", help="database URL (default: SQLite in --data)")]
Base = Annotated[str, typer.Option("--base-url", help="the service's public address")]


def _settings(data: Path, db: str) -> object:
    from layerwise.serve.config import Settings

    return Settings(data=data, db=db)


@admin_app.command("instructor")
def instructor(email: str, name: str, data: Data, db: Db = "",
               admin: Annotated[bool, typer.Option(help="sees every course")] = False) -> None:
    """Create an instructor (or set a new password); the password is read from the terminal or
    LAYERWISE_PASSWORD, never from the command line."""
    from layerwise.serve.admin import create_instructor, open_db
    from layerwise.serve.config import Settings

    password = os.environ.get("LAYERWISE_PASSWORD") or getpass.getpass("password: ")
    with open_db(Settings(data=data, db=db)).begin() as session:
        user = create_instructor(session, email, name, password, admin)
        out.print(f"instructor {user.id} {user.email}")


@admin_app.command("course")
def course(title: str, data: Data, db: Db = "",
           instructor_email: Annotated[str, typer.Option("--instructor")] = "") -> None:
    """Create a course (its instructor by email)."""
    from layerwise.serve.admin import create_course, open_db
    from layerwise.serve.config import Settings

    with open_db(Settings(data=data, db=db)).begin() as session:
        out.print(f"course {create_course(session, title, instructor_email or None).id}")


@admin_app.command("assignment")
def assignment(course_id: int, name: str, data: Data, db: Db = "",
               title: Annotated[str, typer.Option()] = "",
               due: Annotated[str, typer.Option(help="ISO date, UTC unless it says")] = "",
               seed: Annotated[int | None, typer.Option()] = None) -> None:
    """Give a registered assignment in a course."""
    from layerwise.serve.admin import add_assignment, open_db
    from layerwise.serve.config import Settings

    when = datetime.fromisoformat(due) if due else None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    with open_db(Settings(data=data, db=db)).begin() as session:
        out.print(f"assignment {add_assignment(session, course_id, name, title, when, seed).id}")


@admin_app.command("roster")
def roster(course_id: int, csv_file: Path, data: Data, db: Db = "") -> None:
    """Import a roster CSV into a course (student_id, name[, email, role, lms, lms_user_id])."""
    from layerwise.serve.admin import open_db, roster_file
    from layerwise.serve.config import Settings

    with open_db(Settings(data=data, db=db)).begin() as session:
        out.print(roster_file(session, course_id, csv_file))


@admin_app.command("links")
def links(course_id: int, data: Data, db: Db = "",
          base_url: Base = "http://127.0.0.1:8000") -> None:
    """Print a new personal sign-in link for every student of a course."""
    from layerwise.serve import admin, auth
    from layerwise.serve.config import Settings

    settings = Settings(data=data, db=db)
    with admin.open_db(settings).begin() as session:
        for link in admin.links(session, auth.secret(session), base_url, course_id,
                                settings.link_days):
            typer.echo(f"{link.student_id}\t{link.name}\t{link.url}")


@admin_app.command("demo")
def demo(data: Data, db: Db = "", base_url: Base = "http://127.0.0.1:8000") -> None:
    """Load the example course (both lessons, a demo roster) and print the sign-in links; the
    instructor is teacher@example.edu, password LAYERWISE_PASSWORD (default: demo-teacher)."""
    from layerwise.serve.admin import demo as load
    from layerwise.serve.config import Settings

    password = os.environ.get("LAYERWISE_PASSWORD") or "demo-teacher"
    for link in load(Settings(data=data, db=db), base_url, password):
        typer.echo(f"{link.student_id}\t{link.name}\t{link.url}")
    out.print(f"instructor: {base_url.rstrip('/')}/login  teacher@example.edu")
