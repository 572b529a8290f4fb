"""Registering platforms (LMS instances) and their deployments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Deployment, Platform


def register_platform(session: Session, *, issuer: str, client_id: str, auth_login_url: str,
                      token_url: str, jwks_url: str, deployments: list[str], name: str = "") -> Platform:
    """Add or update a registration (issuer, client id) and add its deployment ids."""
    platform = session.scalars(select(Platform).where(Platform.issuer == issuer,
                                                      Platform.client_id == client_id)).first()
    if platform is None:
        platform = Platform(issuer=issuer, client_id=client_id, auth_login_url=auth_login_url,
                            token_url=token_url, jwks_url=jwks_url, name=name)
        session.add(platform)
    else:
        platform.auth_login_url, platform.token_url, platform.jwks_url = auth_login_url, token_url, jwks_url
        platform.name = name or platform.name
    session.flush()
    known = {d.deployment_id for d in platform.deployments}
    for deployment_id in deployments:
        if deployment_id not in known:
            platform.deployments.append(Deployment(deployment_id=deployment_id))
    session.flush()
    return platform


def find_platforms(session: Session, issuer: str, client_id: str | None = None) -> list[Platform]:
    """Registrations of `issuer` (only the one of `client_id` when given)."""
    query = select(Platform).where(Platform.issuer == issuer)
    if client_id:
        query = query.where(Platform.client_id == client_id)
    return list(session.scalars(query.order_by(Platform.id)))
