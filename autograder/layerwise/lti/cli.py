"""`layerwise lti …`: register LMS platforms, rotate the tool's key, see and resend scores.

The service's CLI mounts it with `app.add_typer(lti_app, name="lti")`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

import typer
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from . import keys, outbox
from .models import METADATA, Platform
from .platforms import register_platform

lti_app = typer.Typer(help="LTI 1.3: platforms (Moodle, Canvas), the tool's keys, grades sent back.",
                      no_args_is_help=True)
Data = Annotated[Path, typer.Option("--data", help="the service's data folder")]
Db = Annotated[str, typer.Option("--db", help="database URL (default: SQLite in --data)")]
CANVAS_CLOUD = "https://sso.canvaslms.com"


def _session(data: Path, db: str) -> Session:
    url = db or f"sqlite:///{(data / 'layerwise.sqlite3').resolve()}"
    engine = create_engine(url)
    METADATA.create_all(engine)  # only the lti_ tables, only when missing
    return sessionmaker(engine)()


def preset_urls(preset: str, lms_url: str) -> dict[str, str]:
    """Issuer and endpoint URLs of a Moodle site or a Canvas instance (cloud by default)."""
    base = lms_url.rstrip("/")
    if preset == "moodle":
        if not base:
            raise typer.BadParameter("--lms-url (the Moodle site's address) is needed for Moodle")
        return {"issuer": base, "auth": base + "/mod/lti/auth.php", "token": base + "/mod/lti/token.php",
                "jwks": base + "/mod/lti/certs.php"}
    if preset == "canvas":
        host = base or CANVAS_CLOUD
        # Canvas's issuer (`lti_iss` in its security.yml) is this one, hosted or self-hosted by default
        return {"issuer": "https://canvas.instructure.com",
                "auth": host + "/api/lti/authorize_redirect", "token": host + "/login/oauth2/token",
                "jwks": host + "/api/lti/security/jwks"}
    return {}


@lti_app.command()
def register(client_id: Annotated[str, typer.Option(help="the client id the LMS gave the tool")],
             deployment: Annotated[list[str], typer.Option(help="deployment id (repeat for several)")],
             preset: Annotated[str, typer.Option(help="moodle, canvas or none")] = "none",
             lms_url: Annotated[str, typer.Option(help="the LMS's address (presets)")] = "",
             issuer: Annotated[str, typer.Option()] = "", auth_url: Annotated[str, typer.Option()] = "",
             token_url: Annotated[str, typer.Option()] = "", jwks_url: Annotated[str, typer.Option()] = "",
             name: Annotated[str, typer.Option()] = "", data: Data = Path("."), db: Db = "") -> None:
    """Register (or update) a platform and its deployments."""
    urls = preset_urls(preset, lms_url)
    values = {"issuer": issuer or urls.get("issuer", ""), "auth": auth_url or urls.get("auth", ""),
              "token": token_url or urls.get("token", ""), "jwks": jwks_url or urls.get("jwks", "")}
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise typer.BadParameter(f"missing: {', '.join(missing)} (or use --preset)")
    with _session(data, db) as session, session.begin():
        platform = register_platform(session, issuer=values["issuer"], client_id=client_id,
                                     auth_login_url=values["auth"], token_url=values["token"],
                                     jwks_url=values["jwks"], deployments=deployment, name=name or preset)
        typer.echo(f"platform {platform.id}: {platform.issuer} client {client_id} "
                   f"deployments {', '.join(d.deployment_id for d in platform.deployments)}")


@lti_app.command()
def platforms(data: Data = Path("."), db: Db = "") -> None:
    """List the registered platforms."""
    with _session(data, db) as session:
        for p in session.scalars(select(Platform).order_by(Platform.id)):
            typer.echo(f"{p.id}\t{p.name}\t{p.issuer}\t{p.client_id}\t"
                       f"{','.join(d.deployment_id for d in p.deployments)}")


@lti_app.command()
def urls(base_url: Annotated[str, typer.Option(help="the service's public address")],
         registration_key: Annotated[str, typer.Option(help="the service's dynamic registration key")] = ""
         ) -> None:
    """The URLs to paste into Moodle or Canvas."""
    base = base_url.rstrip("/") + "/lti"
    for label, url in [("Login / OIDC initiation", "/login"), ("Launch / redirect / target link", "/launch"),
                       ("Public keyset (JWKS)", "/jwks"), ("Canvas JSON configuration", "/config.json")]:
        typer.echo(f"{label}: {base}{url}")
    if registration_key:
        typer.echo(f"Dynamic registration: {base}/register?{urlencode({'key': registration_key})}")


@lti_app.command("rotate-key")
def rotate_key(data: Data = Path("."), db: Db = "") -> None:
    """A new signing key; the previous one stays published until the next rotation."""
    with _session(data, db) as session, session.begin():
        typer.echo(f"current key: {keys.rotate(session).kid}")


@lti_app.command()
def scores(failed: Annotated[bool, typer.Option(help="only the failed ones")] = False,
           data: Data = Path("."), db: Db = "") -> None:
    """What was sent when: every score queued for the LMS, newest first."""
    with _session(data, db) as session:
        for row in outbox.history(session):
            if failed and row.status != "failed":
                continue
            typer.echo(f"{row.id}\t{row.status}\t{row.user_sub}\t{row.score_given:g}/{row.score_maximum:g}\t"
                       f"sent {row.sent_at or '-'}\tdelivered {row.delivered_at or '-'}\t"
                       f"{row.last_status or ''} {row.last_error}")


@lti_app.command()
def resend(outbox_id: int, data: Data = Path("."), db: Db = "") -> None:
    """Queue a score again, with a fresh timestamp."""
    with _session(data, db) as session, session.begin():
        typer.echo(f"queued as {outbox.resend(session, outbox_id).id}")
