"""`helpline kpis`: KPIs folded from a stored event log or an events file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from ..config import read_yaml
from ..core.center import Center, parse_center
from ..core.clock import tz_offset_ms
from ..core.errors import InputError, Problem
from ..core.events import Event
from ..metrics.kpis import compute_kpis
from ..metrics.render import agent_table, interval_table, queue_table, team_table

out = Console()
if not out.is_terminal:
    out = Console(width=170)
err = Console(stderr=True)

VIEWS = ("queue", "interval", "agent", "team")


def load_center(path: Path) -> Center:
    """A center file, or a scenario file whose ``center`` part is used."""
    data = read_yaml(path)
    if isinstance(data, dict) and "center" in data and "queues" not in data:
        data = data["center"]
    return parse_center(data, str(path))


def _moment(option: str, text: str | None, timezone: str) -> int | None:
    if text is None:
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            "helpline kpis", [Problem(option, "not an ISO 8601 date-time", text)]
        ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(timezone))  # local time of the center
    return round(dt.timestamp() * 1000)


def _events(db: str | None, events_file: Path | None) -> list[Event]:
    if (db is None) == (events_file is None):
        raise InputError(
            "helpline kpis", [Problem("--db/--events", "give exactly one source of events", None)]
        )
    if events_file is not None:
        from ..store.export import read_events

        return read_events(events_file)
    from ..store.eventlog import EventLog

    assert db is not None
    with EventLog.open(db) as log:
        return list(log.read())


def kpis(
    center_file: Path = typer.Option(..., "--center", help="center or scenario YAML"),
    db: str | None = typer.Option(None, help="event log URL, e.g. sqlite:///helpline.sqlite"),
    events_file: Path | None = typer.Option(None, "--events", help="events .parquet or .csv"),
    interval: int = typer.Option(30, help="interval minutes: 15, 30 or 60"),
    view: str = typer.Option("queue", "--by", help="queue, interval, agent or team"),
    queue: str | None = typer.Option(None, help="with --by interval: one queue (default all)"),
    start: str | None = typer.Option(None, "--from", help="start, ISO 8601 (local if no zone)"),
    end: str | None = typer.Option(None, "--to", help="end, ISO 8601 (local if no zone)"),
    plot: Path | None = typer.Option(None, help="save a PNG of volume and SL per interval"),
    as_json: bool = typer.Option(False, "--json", help="print the whole report as JSON"),
) -> None:
    """KPIs per queue, interval, agent or team from recorded events."""
    problems = []
    if view not in VIEWS:
        problems.append(Problem("--by", f"one of {', '.join(VIEWS)}", view))
    if interval not in (15, 30, 60):
        problems.append(Problem("--interval", "must be 15, 30 or 60 minutes", interval))
    if problems:
        raise InputError("helpline kpis", problems)
    center = load_center(center_file)
    if queue is not None and queue not in {q.name for q in center.queues}:
        raise InputError("helpline kpis", [Problem("--queue", "no such queue", queue)])
    start_ms = _moment("--from", start, center.timezone)
    end_ms = _moment("--to", end, center.timezone)
    events = _events(db, events_file)
    if start_ms is not None or end_ms is not None:
        lo = start_ms if start_ms is not None else -(2**62)
        hi = end_ms if end_ms is not None else 2**62
        events = [e for e in events if lo <= e.ts <= hi]
    first = start_ms if start_ms is not None else (events[0].ts if events else 0)
    report = compute_kpis(
        events, center, interval_min=interval, start_ms=start_ms, end_ms=end_ms,
        tz_offset_ms=tz_offset_ms(center.timezone, first),
    )  # fmt: skip
    if plot is not None:
        from ..metrics.plots import interval_figure

        interval_figure(report, center.name).savefig(plot, dpi=110)
    if as_json:
        doc: dict[str, Any] = {"events": len(events), **report.to_dict()}
        print(json.dumps(doc, ensure_ascii=False))
        return
    tables = {
        "queue": lambda: queue_table(report),
        "interval": lambda: interval_table(report, queue),
        "agent": lambda: agent_table(report),
        "team": lambda: team_table(report),
    }
    out.print(tables[view]())
