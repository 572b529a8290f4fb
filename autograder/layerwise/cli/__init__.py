"""The `layerwise` command: the typer app and the console script.

Each group of verbs is a module of this package, a thin layer over the module that does the work;
this one only mounts them. Kept light: `layerwise --version` imports no TensorFlow or nbformat.
"""

from __future__ import annotations

import platform
from typing import Annotated

import typer
from rich.text import Text

from layerwise import __version__
from layerwise.cli.assignments import assignments_command
from layerwise.cli.build import build_command
from layerwise.cli.grade import grade_command
from layerwise.cli.lms import export_command, upload_app
from layerwise.cli.nbgrader import nbgrader_import_command
from layerwise.cli.new import new_command
from layerwise.cli.serve import serve_command
from layerwise.cli.similarity import similarity_command
from layerwise.console import err, out
from layerwise.errors import LayerwiseError
from layerwise.lti.cli import lti_app
from layerwise.serve.cli import admin_app

app = typer.Typer(help="layerwise: build, grade and return notebook assignments, layer by layer.",
                  no_args_is_help=True, add_completion=False)


def _print_version(asked: bool) -> None:
    if asked:
        out.print(f"layerwise {__version__} (Python {platform.python_version()})", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="print the kit's version and exit")] = False) -> None:
    """Options before any command."""


app.command("assignments")(assignments_command)
app.command("build")(build_command)
app.command("new")(new_command)
app.command("grade")(grade_command)
app.command("similarity")(similarity_command)
app.command("export")(export_command)
app.command("nbgrader-import")(nbgrader_import_command)
app.add_typer(upload_app, name="upload")
app.command("serve")(serve_command)
app.add_typer(admin_app, name="serve-admin")
app.add_typer(lti_app, name="lti")


def main() -> None:
    """The console script: the kit's own errors end in one line and exit code 2."""
    try:
        app(prog_name="layerwise", standalone_mode=True)
    except LayerwiseError as exc:
        err.print(Text("error: ", style="bold red") + Text(str(exc)), highlight=False,
                  soft_wrap=True)
        raise SystemExit(2) from None
