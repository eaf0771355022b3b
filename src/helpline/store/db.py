"""Database URLs and engines: the one place that knows SQLite from PostgreSQL.

SQLite is the embedded default, so its settings carry the durability promise:
WAL with ``synchronous=FULL`` makes every committed append survive a SIGKILL or
a power cut, and ``busy_timeout`` lets a second writer wait instead of failing.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ..core.errors import InputError, Problem

BUSY_TIMEOUT_MS = 10_000
SOURCE = "db"


def bad_url(url: str, message: str) -> InputError:
    return InputError(SOURCE, [Problem("url", message, url)])


def parse_url(url: str) -> URL:
    """Check a database URL and pin the drivers helpline ships with."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise bad_url(
            url, "not a database URL; use sqlite:///path.sqlite or postgresql+psycopg://..."
        ) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite":
        return _sqlite_url(url, parsed, driver)
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise bad_url(url, f"unsupported PostgreSQL driver {driver!r}; use postgresql+psycopg")
        # psycopg 3 is the driver installed with helpline; plain postgresql:// means it too.
        return parsed.set(drivername="postgresql+psycopg")
    raise bad_url(
        _shown(parsed),
        f"unsupported database {backend!r}; use sqlite:///path.sqlite or postgresql+psycopg://...",
    )


def _sqlite_url(url: str, parsed: URL, driver: str) -> URL:
    if driver not in ("", "pysqlite"):
        raise bad_url(url, f"unsupported SQLite driver {driver!r}")
    path = parsed.database or ""
    if path in ("", ":memory:") or path.startswith("file:"):
        # An in-memory log would silently lose every event at exit.
        raise bad_url(url, "the event log needs a file: sqlite:///path/to/helpline.sqlite")
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise bad_url(url, f"directory {parent} does not exist")
    if Path(path).is_dir():
        raise bad_url(url, f"{path} is a directory, not a database file")
    return parsed


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def is_sqlite(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite"


# Chinese payloads stay readable in the database and take a third of the bytes.
_dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def create_engine(url: str) -> sa.Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(
            parsed, json_serializer=_dumps, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(
        parsed, json_serializer=_dumps, pool_pre_ping=True, connect_args={"connect_timeout": 10}
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def connect_error(url: str, exc: Exception) -> InputError:
    """A database that cannot be reached or read, as a message naming the URL."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    shown = _shown(make_url(url)) if _parses(url) else url
    first = reason[0] if reason else type(exc).__name__
    return bad_url(shown, f"cannot open the database: {first}")


def _parses(url: str) -> bool:
    try:
        make_url(url)
    except ArgumentError:
        return False
    return True
