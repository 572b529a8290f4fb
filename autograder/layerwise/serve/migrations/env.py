"""Alembic's environment: runs on the connection `migrate.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from layerwise.lti.models import METADATA as LTI_METADATA
from layerwise.serve.models import Base

TARGET = [Base.metadata, LTI_METADATA]
"""The service's tables and the LTI tool's (`lti_*`)."""

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=TARGET,
                  render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
with context.begin_transaction():
    context.run_migrations()
