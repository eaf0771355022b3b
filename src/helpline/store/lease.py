"""The writer lease: at most one live engine writes a given log.

Two ``helpline serve`` processes on one log would each decide from their own
memory and interleave contradictory events. The lease is an OS-level lock that
the operating system or the database drops when the holder dies, even by
SIGKILL, so a crashed server can be restarted at once: an exclusive ``flock``
on ``<file>.writer`` next to a SQLite log, a session advisory lock on PostgreSQL
(one per ``events`` table, so schemas do not contend).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from ..core.errors import InputError, Problem
from .eventlog import EventLog

# Session advisory-lock keys: this namespace plus the events table's OID.
PG_LEASE_NS = 0x4845_4C50_0000_0000
_try_lock = sa.text("select pg_try_advisory_lock(:ns + 'events'::regclass::oid::bigint)")


class WriterLease:
    def __init__(self, file: IO[str] | None, conn: sa.Connection | None) -> None:
        self._file = file
        self._conn = conn

    @classmethod
    def acquire(cls, log: EventLog) -> WriterLease:
        """Take the lease or raise InputError naming the log (and the holder's pid)."""
        if log.engine.dialect.name == "sqlite":
            return cls(_lock_file(log), None)
        return cls(None, _lock_pg(log))

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._conn is not None:
            # A pooled connection outlives close(): end the session so the lock goes with it.
            self._conn.invalidate()
            self._conn.close()
            self._conn = None


def _taken(log: EventLog, holder: str) -> InputError:
    shown = log.engine.url.render_as_string(hide_password=True)
    message = f"another helpline server is already writing this event log{holder}"
    return InputError("db", [Problem("url", message, shown)])


def _lock_file(log: EventLog) -> IO[str]:
    path = Path(str(log.engine.url.database) + ".writer")
    f = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        pid = f.read().strip()
        f.close()
        raise _taken(log, f" (pid {pid})" if pid else "") from None
    f.seek(0)
    f.truncate()
    f.write(str(os.getpid()))
    f.flush()
    return f


def _lock_pg(log: EventLog) -> sa.Connection:
    conn = log.engine.connect()
    got = conn.execute(_try_lock, {"ns": PG_LEASE_NS}).scalar()
    conn.commit()  # the lock is the session's; end the transaction that took it
    if not got:
        conn.close()
        raise _taken(log, "")
    return conn
