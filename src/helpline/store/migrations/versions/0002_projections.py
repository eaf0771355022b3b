"""Projections: current call and agent state, folded from the log.

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
        "call_state",
        sa.Column("call_id", sa.String(128), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("site", sa.String(64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("queue", sa.String(128)),
        sa.Column("agent_id", sa.String(128)),
        sa.Column("tier", sa.String(64)),
        sa.Column("ani", sa.String(64)),
        sa.Column("arrived_ts", sa.BigInteger),
        sa.Column("answered_ts", sa.BigInteger),
        sa.Column("ended_ts", sa.BigInteger),
        sa.Column("end_reason", sa.String(32)),
        sa.Column("offers", sa.Integer, nullable=False),
        sa.Column("transfers", sa.Integer, nullable=False),
        sa.Column("updated_ts", sa.BigInteger, nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_call_state_state", "call_state", ["state"])
    op.create_table(
        "agent_state",
        sa.Column("agent_id", sa.String(128), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("site", sa.String(64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("call_id", sa.String(128)),
        sa.Column("logged_in", sa.Boolean, nullable=False),
        sa.Column("since_ts", sa.BigInteger, nullable=False),
        sa.Column("calls", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("agent_state")
    op.drop_table("call_state")
