"""The append-only event log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(),
            primary_key=True,
        ),
        sa.Column("ts", sa.BigInteger, nullable=False),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("site", sa.String(64), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("v", sa.SmallInteger, nullable=False),
        sa.Column("call_id", sa.String(128)),
        sa.Column("agent_id", sa.String(128)),
        sa.Column("payload", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_call_id", "events", ["call_id", "seq"])
    op.create_index("ix_events_agent_id", "events", ["agent_id", "seq"])
    op.create_index("ix_events_type", "events", ["type", "seq"])


def downgrade() -> None:
    op.drop_table("events")
