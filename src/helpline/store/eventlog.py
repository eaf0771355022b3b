"""The event log: one ordered, append-only table every view is folded from.

``append`` writes a batch in one transaction and returns only after the commit,
so an acknowledged event survives a crash (SQLite runs WAL with
``synchronous=FULL``). The database assigns ``seq``: strictly increasing in
commit order on SQLite (one writer at a time) and increasing per writer on
PostgreSQL. Projections (``call_state``, ``agent_state``) are folded in the
same transaction, so they never disagree with the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from ..core import events as ev
from ..core.errors import InputError, Problem
from . import db, migrate, projections
from .schema import PROJECTIONS, agent_state, call_state, events

PAGE = 5_000  # rows per read query: memory stays flat however long the log is
_KEYS_PER_QUERY = 500  # keeps IN lists far below SQLite's bound-parameter limit


class EventLog:
    def __init__(self, engine: sa.Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str) -> EventLog:
        """Open (creating or migrating the schema) the log at a database URL."""
        engine = db.create_engine(url)
        try:
            migrate.upgrade(engine)
        except DBAPIError as exc:
            engine.dispose()
            raise db.connect_error(url, exc) from None
        return cls(engine, url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------

    def append(self, batch: Sequence[ev.Event]) -> list[int]:
        """Append events in order, durably; set and return their seqs."""
        if not batch:
            return []
        rows = [_row(e) for e in batch]
        before = [e.seq for e in batch]
        try:
            with self.engine.begin() as conn:
                seqs = _insert_events(conn, rows)
                for e, s in zip(batch, seqs, strict=True):
                    e.seq = s  # the projections need them before the commit
                _project(conn, batch)
        except BaseException:
            for e, s in zip(batch, before, strict=True):
                e.seq = s  # not appended: the events keep the seqs they came with
            raise
        return seqs

    def rebuild_projections(self) -> None:
        """Refold the projection tables from the whole log, in one transaction."""
        calls: dict[str, projections.Row] = {}
        agents: dict[str, projections.Row] = {}
        with self.engine.begin() as conn:
            for e in self._read(conn, 0, None, None, None, None):
                projections.fold(calls, agents, e)
            for table in PROJECTIONS:
                conn.execute(sa.delete(table))
            _insert(conn, call_state, list(calls.values()))
            _insert(conn, agent_state, list(agents.values()))

    # --- reading -------------------------------------------------------------------

    def read(
        self,
        after_seq: int = 0,
        types: Iterable[str] | None = None,
        call_id: str | None = None,
        agent_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[ev.Event]:
        """Events after ``after_seq`` in seq order, upcast to the current payload versions.

        Bad arguments raise here, not at the first ``next``; rows are fetched a page
        at a time while the caller iterates.
        """
        wanted = _check_types(types)
        if limit is not None and limit < 0:
            raise InputError("read", [Problem("limit", "must be 0 or more", limit)])
        return self._stream(after_seq, wanted, call_id, agent_id, limit)

    def _stream(
        self,
        after_seq: int,
        types: list[str] | None,
        call_id: str | None,
        agent_id: str | None,
        limit: int | None,
    ) -> Iterator[ev.Event]:
        with self.engine.connect() as conn:
            yield from self._read(conn, after_seq, types, call_id, agent_id, limit)

    def _read(
        self,
        conn: sa.Connection,
        after_seq: int,
        types: list[str] | None,
        call_id: str | None,
        agent_id: str | None,
        limit: int | None,
    ) -> Iterator[ev.Event]:
        base = sa.select(events).order_by(events.c.seq)
        if types is not None:
            base = base.where(events.c.type.in_(types))
        if call_id is not None:
            base = base.where(events.c.call_id == call_id)
        if agent_id is not None:
            base = base.where(events.c.agent_id == agent_id)
        left = limit
        last = after_seq
        while left is None or left > 0:
            page = PAGE if left is None else min(PAGE, left)
            rows = conn.execute(base.where(events.c.seq > last).limit(page)).mappings().all()
            for r in rows:
                yield ev.from_record(dict(r))
            if len(rows) < page:
                return
            last = rows[-1]["seq"]
            if left is not None:
                left -= len(rows)

    def last_seq(self) -> int:
        with self.engine.connect() as conn:
            top = conn.execute(sa.select(sa.func.max(events.c.seq))).scalar_one()
        return int(top or 0)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one())

    # --- projections ---------------------------------------------------------------

    def call(self, call_id: str) -> dict[str, Any] | None:
        return self._one(call_state, call_state.c.call_id == call_id)

    def agent(self, agent_id: str) -> dict[str, Any] | None:
        return self._one(agent_state, agent_state.c.agent_id == agent_id)

    def calls(self) -> list[dict[str, Any]]:
        return self._all(call_state, call_state.c.call_id)

    def agents(self) -> list[dict[str, Any]]:
        return self._all(agent_state, agent_state.c.agent_id)

    def _one(self, table: sa.Table, where: sa.ColumnElement[bool]) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(where)).mappings().first()
        return dict(row) if row is not None else None

    def _all(self, table: sa.Table, key: sa.Column[Any]) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.select(table).order_by(key)).mappings()]


_FIELDS: dict[str, tuple[str, ...]] = {}


def _payload_fields(cls: type[ev.Event]) -> tuple[str, ...]:
    # Event.payload() looks the dataclass fields up on every call; bulk appends feel it.
    names = _FIELDS.get(cls.TYPE)
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.name not in ev.Event.ENVELOPE)
        _FIELDS[cls.TYPE] = names
    return names


def _row(e: ev.Event) -> dict[str, Any]:
    call_id = getattr(e, "call_id", None)
    # A transfer is filed under the agent it leaves.
    agent_id = getattr(e, "agent_id", None) or getattr(e, "from_agent", None)
    return {
        "ts": e.ts, "tenant": e.tenant, "site": e.site, "type": e.TYPE, "v": e.VERSION,
        "call_id": call_id, "agent_id": agent_id,
        "payload": {name: getattr(e, name) for name in _payload_fields(type(e))},
    }  # fmt: skip


# Transaction advisory-lock keys: this namespace plus the events table's OID, so
# logs in different schemas of one database do not wait for each other.
_PG_APPEND_NS = 0x4845_4C41_0000_0000
_append_lock = sa.text("select pg_advisory_xact_lock(:ns + 'events'::regclass::oid::bigint)")


def _insert_events(conn: sa.Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in order; return their seqs, increasing in commit order."""
    if conn.dialect.name == "sqlite":
        # The first INSERT takes SQLite's single write lock (waiting up to busy_timeout),
        # so the rest can take the next seqs without asking, in one executemany.
        first = int(conn.execute(sa.insert(events).returning(events.c.seq), rows[0]).scalar_one())
    else:
        # One appender at a time: a reader following ``after_seq`` must never see seq
        # n+1 committed before seq n, which concurrent sequence users would allow.
        conn.execute(_append_lock, {"ns": _PG_APPEND_NS})
        first = int(conn.execute(_reserve_seqs, {"n": len(rows)}).scalar_one())
        rows[0]["seq"] = first
        conn.execute(sa.insert(events), rows[:1])
    seqs = list(range(first, first + len(rows)))
    for row, s in zip(rows[1:], seqs[1:], strict=True):
        row["seq"] = s
    if len(rows) > 1:
        _insert(conn, events, rows[1:])
    return seqs


# Moves the identity sequence past n values at once and returns the first; the
# advisory lock makes the n values consecutive.
_reserve_seqs = sa.text(
    "select setval(pg_get_serial_sequence('events', 'seq'),"
    " nextval(pg_get_serial_sequence('events', 'seq')) + :n - 1) - :n + 1"
)


def _check_types(types: Iterable[str] | None) -> list[str] | None:
    if types is None:
        return None
    wanted = [types] if isinstance(types, str) else list(types)
    unknown = [t for t in wanted if t not in ev.CATALOG]
    if unknown:
        raise InputError("read", [Problem("types", "unknown event type", t) for t in unknown])
    return wanted


def _project(conn: sa.Connection, batch: Sequence[ev.Event]) -> None:
    call_ids, agent_ids = projections.touched(batch)
    calls = _load(conn, call_state, call_state.c.call_id, call_ids)
    agents = _load(conn, agent_state, agent_state.c.agent_id, agent_ids)
    for e in batch:
        projections.fold(calls, agents, e)
    _replace(conn, call_state, call_state.c.call_id, calls)
    _replace(conn, agent_state, agent_state.c.agent_id, agents)


def _chunks(keys: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(keys)
    for i in range(0, len(ordered), _KEYS_PER_QUERY):
        yield ordered[i : i + _KEYS_PER_QUERY]


def _load(
    conn: sa.Connection, table: sa.Table, key: sa.Column[Any], ids: set[str]
) -> dict[str, projections.Row]:
    out: dict[str, projections.Row] = {}
    for chunk in _chunks(ids):
        for r in conn.execute(sa.select(table).where(key.in_(chunk))).mappings():
            out[r[key.name]] = dict(r)
    return out


def _replace(
    conn: sa.Connection, table: sa.Table, key: sa.Column[Any], rows: dict[str, projections.Row]
) -> None:
    # Delete-then-insert is one portable upsert for SQLite and PostgreSQL alike.
    for chunk in _chunks(rows):
        conn.execute(sa.delete(table).where(key.in_(chunk)))
    _insert(conn, table, list(rows.values()))


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(sa.insert(table), rows)
