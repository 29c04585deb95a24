"""Alembic environment: always run with a connection handed in by netassist.core.migrate."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import netassist.core.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("run migrations through netassist.core.migrate.upgrade()")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite needs batch mode for ALTER TABLE
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
