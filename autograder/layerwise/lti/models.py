"""The LTI tables, on their own `MetaData` so the service can create or migrate them apart."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

METADATA = MetaData()


class Base(DeclarativeBase):
    """Declarative base of the LTI tables (never the service's)."""

    metadata = METADATA


class Platform(Base):
    """An LMS registration: one issuer and the client id it gave this tool."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    auth_login_url: Mapped[str] = mapped_column(String(1000))
    token_url: Mapped[str] = mapped_column(String(1000))
    jwks_url: Mapped[str] = mapped_column(String(1000))
    deployments: Mapped[list[Deployment]] = relationship(back_populates="platform",
                                                         cascade="all, delete-orphan")


class Deployment(Base):
    """A deployment id the platform may launch with (launches from others are refused)."""

    __tablename__ = "lti_deployments"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(200))
    platform: Mapped[Platform] = relationship(back_populates="deployments")


class Nonce(Base):
    """A launch nonce, consumed once: a second insert of the same pair fails."""

    __tablename__ = "lti_nonces"
    __table_args__ = (UniqueConstraint("issuer", "nonce"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    nonce: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class LoginState(Base):
    """The OIDC `state` issued at login initiation, with the nonce it expects back."""

    __tablename__ = "lti_states"
    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(200), unique=True)
    nonce: Mapped[str] = mapped_column(String(200))
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class ToolKey(Base):
    """One of the tool's RSA key pairs: `current` signs, `previous` still verifies."""

    __tablename__ = "lti_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(100), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # current | previous | retired
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LineItem(Base):
    """The gradebook column of one resource link, as the launch's AGS claim named it."""

    __tablename__ = "lti_line_items"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id", "context_id", "resource_link_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(200))
    context_id: Mapped[str] = mapped_column(String(200))
    resource_link_id: Mapped[str] = mapped_column(String(200))
    lineitem_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    scopes: Mapped[str] = mapped_column(Text, default="")
    platform: Mapped[Platform] = relationship()


class ScoreOutbox(Base):
    """A score to post, written in the grade's own transaction; its delivery record."""

    __tablename__ = "lti_score_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    line_item_id: Mapped[int] = mapped_column(ForeignKey("lti_line_items.id", ondelete="CASCADE"))
    user_sub: Mapped[str] = mapped_column(String(200))
    score_given: Mapped[float] = mapped_column(Float)
    score_maximum: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    timestamp: Mapped[str] = mapped_column(String(40))  # ISO 8601, the grade's time
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    line_item: Mapped[LineItem] = relationship()


class ScoreAttempt(Base):
    """One try at posting an outbox row: when, and what the platform answered."""

    __tablename__ = "lti_score_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("lti_score_outbox.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
