"""The tables, as SQLAlchemy Core metadata (the migrations in migrations/versions/ create them).

Plain columns hold ids, times and numbers only; everything textual (resume text,
findings that quote it, the structure, the job description, file names) is in
`payload`, encrypted (see vault.py), or NULL when no STATE_KEY is set.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation", String(400), nullable=False, index=True),
    Column("person", String(200), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("created_at", Float, nullable=False, index=True),
    Column("score", Integer, nullable=False),
    Column("breakdown", Text, nullable=False),  # JSON {category: 0..100}: numbers only
    Column("rewrite_score", Integer, nullable=True),
    Column("payload", LargeBinary, nullable=True),
)

pending = Table(
    "pending",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(40), nullable=False, index=True),
    Column("owner", String(64), nullable=False),  # the process that accepted it
    Column("person", String(200), nullable=False, index=True),
    Column("conversation", String(400), nullable=False),
    Column("created_at", Float, nullable=False, index=True),
    Column("reply_to", Text, nullable=False),  # JSON of platform ids: where to answer
    Column("payload", LargeBinary, nullable=True),  # the file name, sealed
)

seen_events = Table(
    "seen_events",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("created_at", Float, nullable=False, index=True),
)
