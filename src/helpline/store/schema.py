"""Table definitions (SQLAlchemy Core), shared by the code and the migrations.

The migrations under ``migrations/versions`` create exactly these tables; a
test compares the migrated database with this metadata so the two cannot drift.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
SeqType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PayloadType = sa.JSON().with_variant(JSONB(), "postgresql")

events = sa.Table(
    "events",
    metadata,
    # AUTOINCREMENT on SQLite: a seq is never reused, even after the newest row is deleted.
    sa.Column("seq", SeqType, sa.Identity(), primary_key=True),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("site", sa.String(64), nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("v", sa.SmallInteger, nullable=False),
    sa.Column("call_id", sa.String(128)),
    sa.Column("agent_id", sa.String(128)),
    sa.Column("payload", PayloadType, nullable=False),
    sa.Index("ix_events_call_id", "call_id", "seq"),
    sa.Index("ix_events_agent_id", "agent_id", "seq"),
    sa.Index("ix_events_type", "type", "seq"),
    sqlite_autoincrement=True,
)

call_state = sa.Table(
    "call_state",
    metadata,
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
    sa.Index("ix_call_state_state", "state"),
)

agent_state = sa.Table(
    "agent_state",
    metadata,
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

PROJECTIONS = (call_state, agent_state)
