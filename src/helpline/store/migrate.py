"""Alembic, run from code: ``EventLog.open`` brings any database to the head revision."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    head_rev = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head_rev is not None, "no migrations packaged"
    return head_rev


# Alembic keeps its running context in module globals: one migration per process at a time.
_ALEMBIC = threading.Lock()
_PG_MIGRATE_KEY = 0x4845_4C4D  # session-independent: any constant shared by helpline processes


def current(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Migrate to ``revision``; processes opening a new database together migrate it once."""
    if revision == "head" and current(engine) == head():
        return
    with _ALEMBIC, engine.begin() as conn:
        _exclusive(conn)
        if revision == "head" and _revision(conn) == head():
            return  # another process migrated while we waited
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    with _ALEMBIC, engine.begin() as conn:
        _exclusive(conn)
        command.downgrade(alembic_config(conn), revision)


def _exclusive(conn: sa.Connection) -> None:
    """Hold the database's migration lock until this transaction ends."""
    if conn.dialect.name == "sqlite":
        # The sqlite3 module would run the DDL outside any transaction; take the write
        # lock first so a second process waits (busy_timeout) and then sees head.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATE_KEY)))
