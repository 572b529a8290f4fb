"""`layerwise serve`: the web service (`layerwise.serve`), where students submit and read their
feedback in seconds; `serve-admin` and `lti` are its sub-apps, mounted by the package."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from layerwise.cli.options import KitOption
from layerwise.execute.sandbox import SandboxMode


def serve_command(
    data: Annotated[Path, typer.Option("--data", help="data folder: notebooks, results, and "
                                       "the SQLite database unless --db")],
    db: Annotated[str, typer.Option("--db", help="database URL, e.g. "
                                    "postgresql+psycopg://user@host/db")] = "",
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="grading workers in this process (0: serve "
                                         "pages only)")] = 2,
    kit: KitOption = None,
    sandbox: Annotated[SandboxMode, typer.Option(help="how submissions are confined")] =
        SandboxMode.auto,
    frame_ancestors: Annotated[str, typer.Option(help="CSP frame-ancestors (LMS iframes)")] =
        "'none'",
    secure_cookies: Annotated[bool, typer.Option(help="Secure cookies (behind HTTPS)")] = False,
    timeout: Annotated[float, typer.Option(help="seconds per notebook")] = 120.0,
    cell_timeout: Annotated[float, typer.Option(help="seconds per cell")] = 60.0,
    base_url: Annotated[str, typer.Option("--base-url", help="public address, for LTI "
                                          "(default http://HOST:PORT)")] = "",
    lti_registration_key: Annotated[str, typer.Option(
        envvar="LAYERWISE_LTI_KEY", help="key of the LTI dynamic-registration URL (docs/lti.md)")] = "",
) -> None:
    """Students submit notebooks and read the feedback in seconds (docs/serve.md)."""
    from layerwise.execute.limits import Limits
    from layerwise.serve.config import Settings
    from layerwise.serve.run import serve as run_serve

    limits = Limits(notebook_seconds=timeout, cell_seconds=min(cell_timeout, timeout))
    run_serve(Settings(data=data, db=db, host=host, port=port, workers=workers, kit=kit,
                       sandbox=sandbox, frame_ancestors=frame_ancestors,
                       secure_cookies=secure_cookies, limits=limits, base_url=base_url,
                       lti_registration_key=lti_registration_key))
