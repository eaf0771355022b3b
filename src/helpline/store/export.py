"""Events to and from Parquet or CSV files, for analytics and WFM.

One row per event with the envelope and the subjects as columns (``seq``,
``ts``, ``tenant``, ``site``, ``type``, ``v``, ``call_id``, ``agent_id``,
``queue``) and the whole versioned payload as JSON text, so a file read back
gives the same events, and a data frame can filter without parsing JSON.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..core import events as ev
from ..core.errors import InputError, Problem

COLUMNS = ("seq", "ts", "tenant", "site", "type", "v", "call_id", "agent_id", "queue", "payload")
SUFFIXES = (".parquet", ".csv")
_BATCH = 50_000  # rows per Parquet row group: long simulations stream, not pile up

SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("ts", pa.int64()),
        ("tenant", pa.string()),
        ("site", pa.string()),
        ("type", pa.string()),
        ("v", pa.int16()),
        ("call_id", pa.string()),
        ("agent_id", pa.string()),
        ("queue", pa.string()),
        ("payload", pa.string()),
    ]
)


def write_events(events: Iterable[ev.Event], path: str | Path) -> int:
    """Write events to ``path`` (.parquet or .csv, by suffix); return how many."""
    p = check_path(path, writing=True)
    try:
        if p.suffix.lower() == ".parquet":
            return _write_parquet(events, p)
        return _write_csv(events, p)
    except OSError as exc:
        raise _error(p, f"cannot write: {exc.strerror or exc}") from None


def read_events(path: str | Path) -> list[ev.Event]:
    """Read back a file written by :func:`write_events`."""
    p = check_path(path, writing=False)
    try:
        rows = _read_parquet(p) if p.suffix.lower() == ".parquet" else _read_csv(p)
    except (OSError, pa.ArrowException) as exc:
        raise _error(p, f"cannot read: {exc}") from None
    return [_event(p, i, r) for i, r in enumerate(rows, start=1)]


def _error(path: Path, message: str, where: str = "") -> InputError:
    return InputError(str(path), [Problem(where, message, str(path) if not where else None)])


def check_path(path: str | Path, writing: bool = True) -> Path:
    """The path as a Path, or InputError if its suffix or directory will not do.

    Commands that write events at the end of a long run call it first, so a
    typo fails in a second rather than after the run.
    """
    p = Path(path)
    if p.suffix.lower() not in SUFFIXES:
        raise InputError(
            "events", [Problem("path", "unknown file type; use .parquet or .csv", str(path))]
        )
    if writing and not p.parent.is_dir():
        raise InputError(
            "events", [Problem("path", f"directory {p.parent} does not exist", str(path))]
        )
    if not writing and not p.is_file():
        raise InputError("events", [Problem("path", "file not found", str(path))])
    return p


def _record(e: ev.Event) -> dict[str, Any]:
    call_id, agent_id = ev.subject_of(e)
    return {
        "seq": e.seq, "ts": e.ts, "tenant": e.tenant, "site": e.site, "type": e.TYPE,
        "v": e.VERSION, "call_id": call_id, "agent_id": agent_id,
        "queue": getattr(e, "queue", None) or getattr(e, "to_queue", None),
        "payload": json.dumps(e.payload(), ensure_ascii=False, separators=(",", ":")),
    }  # fmt: skip


def _write_parquet(events: Iterable[ev.Event], path: Path) -> int:
    n = 0
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for e in events:
            batch.append(_record(e))
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
            n += len(batch)
    return n


def _write_csv(events: Iterable[ev.Event], path: Path) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for e in events:
            writer.writerow(_record(e))
            n += 1
    return n


def _read_parquet(path: Path) -> list[dict[str, Any]]:
    table = pq.read_table(path)
    missing = [c for c in COLUMNS if c not in table.column_names]
    if missing:
        raise _error(path, f"not an events file: missing columns {', '.join(missing)}")
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def _read_csv(path: Path) -> list[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise _error(path, f"not an events file: missing columns {', '.join(missing)}")
        return list(reader)


def _event(path: Path, line: int, row: dict[str, Any]) -> ev.Event:
    where = f"row {line}"
    try:
        record = {
            "seq": int(row["seq"]),
            "ts": int(row["ts"]),
            "tenant": row["tenant"],
            "site": row["site"],
            "type": row["type"],
            "v": int(row["v"]),
            "payload": json.loads(row["payload"]),
        }
    except (TypeError, ValueError) as exc:
        raise _error(path, f"bad value: {exc}", where) from None
    try:
        return ev.from_record(record)
    except InputError as exc:
        problems = [Problem(f"{where}.{p.path}", p.message, p.value) for p in exc.problems]
        raise InputError(str(path), problems) from None
