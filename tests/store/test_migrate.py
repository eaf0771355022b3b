"""Migrations: a new database reaches head, matches the code's tables, and round-trips."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from helpline.core import events as ev
from helpline.store import migrate
from helpline.store.eventlog import EventLog
from helpline.store.schema import metadata


def test_open_migrates_to_head_and_the_tables_match_the_code(url: str) -> None:
    with EventLog.open(url) as log:
        assert migrate.current(log.engine) == migrate.head()
        with log.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_downgrade_and_upgrade_keep_the_log(url: str) -> None:
    with EventLog.open(url) as log:
        log.append([ev.AgentLoggedIn(ts=1, agent_id="a1")])
        migrate.downgrade(log.engine, "0001")
        names = set(sa.inspect(log.engine).get_table_names())
        assert "events" in names and "agent_state" not in names
    with EventLog.open(url) as log:
        assert [e.TYPE for e in log.read()] == ["AgentLoggedIn"]
        assert migrate.current(log.engine) == migrate.head()
        log.rebuild_projections()
        assert [a["agent_id"] for a in log.agents()] == ["a1"]
