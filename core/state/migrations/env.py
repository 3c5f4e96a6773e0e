"""Alembic's environment: run with the connection `StateStore.migrate` hands over.

The store runs migrations on its own (async) engine through `run_sync`, so the
same code migrates SQLite (aiosqlite) and PostgreSQL (asyncpg).
"""

from __future__ import annotations

from alembic import context

from core.state.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
