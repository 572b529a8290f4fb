"""Alembic migrations of the service's database (run by `migrate.upgrade` at every start)."""
