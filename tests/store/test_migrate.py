"""Migrations: a new database reaches head, matches the code's tables, and round-trips."""

from __future__ import annotations

import subprocess
import sys

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


_OPEN = """
import sys
from helpline.store.eventlog import EventLog
with EventLog.open(sys.argv[1]) as log:
    print(log.last_seq())
"""


def test_processes_opening_a_new_database_together_migrate_it_once(url: str) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", _OPEN, url], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0]
    assert outputs == ["0", "0", "0"]
    with EventLog.open(url) as log:
        assert migrate.current(log.engine) == migrate.head()
