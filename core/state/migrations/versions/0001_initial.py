"""Versions per conversation, reviews accepted but not yet answered, and seen platform events.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation", sa.String(400), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("breakdown", sa.Text, nullable=False),
        sa.Column("rewrite_score", sa.Integer, nullable=True),
        sa.Column("payload", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_versions_conversation", "versions", ["conversation"])
    op.create_index("ix_versions_person", "versions", ["person"])
    op.create_index("ix_versions_created_at", "versions", ["created_at"])
    op.create_table(
        "pending",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(40), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("conversation", sa.String(400), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("reply_to", sa.Text, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_pending_platform", "pending", ["platform"])
    op.create_index("ix_pending_person", "pending", ["person"])
    op.create_index("ix_pending_created_at", "pending", ["created_at"])
    op.create_table(
        "seen_events",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_seen_events_created_at", "seen_events", ["created_at"])


def downgrade() -> None:
    op.drop_table("seen_events")
    op.drop_table("pending")
    op.drop_table("versions")
