"""Alembic migrations for the state database, applied at start-up (`StateStore.migrate`)."""
