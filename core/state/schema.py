"""The tables, as SQLAlchemy Core metadata (the migrations in migrations/versions/ create them).

Plain columns hold ids, times and numbers only; everything textual (resume text,
findings that quote it, the structure, the job description, file names) is in
`payload`, encrypted (see vault.py), or NULL when no STATE_KEY is set.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

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

# issue 17: the model answer cache, one row per review for the usage stats, people's votes

model_cache = Table(
    "model_cache",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),  # sha256 of what was asked
    Column("person", String(200), nullable=False, index=True),  # whose review filled it
    Column("created_at", Float, nullable=False, index=True),
    Column("payload", LargeBinary, nullable=True),  # the model's answer, sealed
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token", String(32), nullable=False, unique=True),  # what the vote buttons carry
    Column("created_at", Float, nullable=False, index=True),
    Column("platform", String(40), nullable=False),
    Column("engine", String(200), nullable=False),  # 'offline' or 'huggingface:<model>'
    Column("score", Integer, nullable=False),
    Column("cached", Integer, nullable=False),  # 1: the model's answer came from the cache
    Column("fallback", String(40), nullable=True),  # why the model's rewrite is missing
    Column("seconds", Float, nullable=False),  # from the upload to the answer
)

votes = Table(
    "votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("review", String(32), nullable=False, index=True),
    Column("voter", String(200), nullable=True, index=True),  # NULL once past retention
    Column("vote", Integer, nullable=False),  # +1 or -1
    Column("created_at", Float, nullable=False, index=True),
    UniqueConstraint("review", "voter", name="uq_votes_review_voter"),
)
