"""The model answer cache, a numbers-only row per review for usage stats, and people's votes.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_cache",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_model_cache_person", "model_cache", ["person"])
    op.create_index("ix_model_cache_created_at", "model_cache", ["created_at"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token", sa.String(32), nullable=False, unique=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("platform", sa.String(40), nullable=False),
        sa.Column("engine", sa.String(200), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("cached", sa.Integer, nullable=False),
        sa.Column("fallback", sa.String(40), nullable=True),
        sa.Column("seconds", sa.Float, nullable=False),
    )
    op.create_index("ix_reviews_created_at", "reviews", ["created_at"])
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("review", sa.String(32), nullable=False),
        sa.Column("voter", sa.String(200), nullable=True),
        sa.Column("vote", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.UniqueConstraint("review", "voter", name="uq_votes_review_voter"),
    )
    op.create_index("ix_votes_review", "votes", ["review"])
    op.create_index("ix_votes_voter", "votes", ["voter"])
    op.create_index("ix_votes_created_at", "votes", ["created_at"])


def downgrade() -> None:
    op.drop_table("votes")
    op.drop_table("reviews")
    op.drop_table("model_cache")
