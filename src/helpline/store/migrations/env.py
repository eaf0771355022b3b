"""Alembic environment: always handed a live connection by ``helpline.store.migrate``."""

from __future__ import annotations

from alembic import context

from helpline.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through helpline.store.migrate, which passes a connection")

# Batch mode lets later migrations alter columns on SQLite, which lacks most ALTER TABLE.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
