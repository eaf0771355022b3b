"""Interval volumes: the ``start, calls[, aht_s]`` table every planning step reads.

``start`` is the ISO 8601 local start of the interval (``2026-11-23T08:30`` or
``2026-11-23 08:30:00``); ``calls`` the calls offered; ``aht_s`` the average
handling time in seconds, optional. The interval length is inferred from the
starts (the smallest gap between them) and every start must sit on that grid.
Parsing takes text, not a file, so this module stays free of I/O.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from ..core import events as ev
from ..core.errors import InputError, Problem
from ..core.events import Event

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class IntervalSeries:
    """Volumes on a regular grid of local interval starts (sorted, no duplicates)."""

    starts: tuple[datetime, ...]
    calls: FloatArray
    aht_s: FloatArray | None
    interval_s: int

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def slots_per_day(self) -> int:
        return 86_400 // self.interval_s

    def slot_of(self, t: datetime) -> int:
        return (t.hour * 3600 + t.minute * 60 + t.second) // self.interval_s


def parse_start(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:  # planning is in local wall-clock time
        value = value.replace(tzinfo=None)
    return value


def parse_intervals(text: str, source: str, value_column: str = "calls") -> IntervalSeries:
    """Parse an interval CSV; every bad row is reported with its line number.

    ``value_column`` names the per-interval number (``calls``, or ``agents`` for a
    requirement file); it lands in ``IntervalSeries.calls``.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("start", value_column) if c not in header]
    if missing:
        raise InputError(
            source, [Problem("header", f"missing column(s) {', '.join(missing)}", header)]
        )
    reader.fieldnames = header
    has_aht = "aht_s" in header
    problems: list[Problem] = []
    rows: list[tuple[datetime, float, float]] = []
    seen: dict[datetime, int] = {}
    for row in reader:
        line = reader.line_num
        start_text = (row.get("start") or "").strip()
        try:
            start = parse_start(start_text)
        except ValueError:
            problems.append(Problem(f"line {line}: start", "not an ISO 8601 time", start_text))
            continue
        calls = _number(row.get(value_column), f"line {line}: {value_column}", problems)
        aht = _number(row.get("aht_s"), f"line {line}: aht_s", problems, positive=True)
        if calls is None or (has_aht and aht is None):
            continue
        if start in seen:
            problems.append(
                Problem(f"line {line}: start", f"duplicate of line {seen[start]}", start_text)
            )
            continue
        seen[start] = line
        rows.append((start, calls, aht if aht is not None else math.nan))
    if not rows and not problems:
        problems.append(Problem("rows", "no intervals", None, has_value=False))
    if problems:
        raise InputError(source, problems)
    rows.sort()
    starts = [r[0] for r in rows]
    interval_s = infer_interval_s(starts, source, seen)
    return IntervalSeries(
        tuple(starts),
        np.array([r[1] for r in rows]),
        np.array([r[2] for r in rows]) if has_aht else None,
        interval_s,
    )


def _number(
    text: str | None, path: str, problems: list[Problem], positive: bool = False
) -> float | None:
    if text is None or text.strip() == "":
        if positive:  # optional column left empty on this row
            return None
        problems.append(Problem(path, "missing", text))
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(path, "not a number", text))
        return None
    ok = math.isfinite(value) and (value > 0 if positive else value >= 0)
    if not ok:
        problems.append(Problem(path, "must be > 0" if positive else "must be >= 0", text))
        return None
    return value


def infer_interval_s(starts: Sequence[datetime], source: str, lines: dict[datetime, int]) -> int:
    """The smallest gap between starts; every start must be a multiple of it past midnight."""
    if len(starts) < 2:
        return 1800  # one row: the classic half hour
    gaps = {int((b - a).total_seconds()) for a, b in itertools.pairwise(starts)}
    step = math.gcd(min(gaps), 86_400)  # a closed night or weekend is not an interval
    if step <= 0 or 86_400 % step:
        raise InputError(source, [Problem("start", "interval must divide a day", step)])
    off = [
        Problem(f"line {lines[s]}: start", f"not on the {step // 60}-minute grid", s.isoformat())
        for s in starts
        if (s.hour * 3600 + s.minute * 60 + s.second) % step
    ]
    if off:
        raise InputError(source, off[:20])
    return step


def to_csv(starts: Sequence[datetime], calls: FloatArray, aht_s: FloatArray | None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["start", "calls"] + (["aht_s"] if aht_s is not None else []))
    for i, s in enumerate(starts):
        row = [s.isoformat(timespec="minutes"), f"{calls[i]:.2f}"]
        if aht_s is not None:
            row.append(f"{aht_s[i]:.1f}")
        w.writerow(row)
    return out.getvalue()


def day_grid(series: IntervalSeries) -> tuple[list[datetime], FloatArray, FloatArray | None]:
    """Calls as a (days x slots) matrix over every calendar day of the history.

    Days and slots with no row count as closed (zero calls): a center that
    does not open on Sundays sends no Sunday rows. AHT cells without calls are NaN.
    """
    first = series.starts[0].replace(hour=0, minute=0, second=0)
    last = series.starts[-1].replace(hour=0, minute=0, second=0)
    n_days = (last - first).days + 1
    days = [first + timedelta(days=d) for d in range(n_days)]
    calls = np.zeros((n_days, series.slots_per_day))
    aht = np.full((n_days, series.slots_per_day), np.nan) if series.aht_s is not None else None
    for i, s in enumerate(series.starts):
        d, k = (s - first).days, series.slot_of(s)
        calls[d, k] = series.calls[i]
        if aht is not None and series.aht_s is not None:
            aht[d, k] = series.aht_s[i]
    return days, calls, aht


def volumes_from_events(
    events: Iterable[Event], interval_s: int = 1800, tz_offset_ms: int = 0, queue: str | None = None
) -> IntervalSeries:
    """Interval volumes folded from the event log: calls offered and their handling time.

    A call counts in the interval of its arrival (local time at ``tz_offset_ms``);
    with ``queue``, only calls that queued there. AHT is answer to end of
    wrap-up, averaged over the calls of the interval that were answered.
    Intervals between the first and last arrival with no calls appear as 0.
    """
    arrived: dict[str, int] = {}
    in_queue: set[str] = set()
    answered: dict[str, int] = {}
    handle: dict[str, int] = {}
    for e in events:
        if isinstance(e, ev.CallArrived):
            arrived[e.call_id] = e.ts
            if e.queue is not None and e.queue == queue:
                in_queue.add(e.call_id)
        elif isinstance(e, ev.CallQueued) and e.queue == queue:
            in_queue.add(e.call_id)
        elif isinstance(e, ev.CallAnswered):
            answered[e.call_id] = e.ts
        elif isinstance(e, ev.WrapUpEnded) and e.call_id in answered:
            handle[e.call_id] = e.ts - answered[e.call_id]
    calls = [c for c in arrived if queue is None or c in in_queue]
    if not calls:
        raise InputError("event log", [Problem("events", "no calls in the log", None, False)])
    step_ms = interval_s * 1000
    slot = {c: (arrived[c] + tz_offset_ms) // step_ms for c in calls}
    first, last = min(slot.values()), max(slot.values())
    n = last - first + 1
    count = np.zeros(n)
    work = np.zeros(n)
    done = np.zeros(n)
    for c in calls:
        k = slot[c] - first
        count[k] += 1
        if c in handle:
            work[k] += handle[c] / 1000
            done[k] += 1
    epoch = datetime(1970, 1, 1)
    starts = tuple(epoch + timedelta(milliseconds=int((first + k) * step_ms)) for k in range(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(done > 0, work / np.maximum(done, 1), np.nan)
    return IntervalSeries(starts, count, aht if done.any() else None, interval_s)
