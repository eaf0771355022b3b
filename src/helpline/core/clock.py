"""Time for the pure layers.

Every timestamp in helpline is an ``int`` of milliseconds since the Unix epoch,
UTC. The domain code never reads the wall clock: drivers pass ``now`` in, or
hand over a :class:`Clock`. The simulator uses :class:`VirtualClock`; the live
server uses the wall clock from ``helpline.adapters.clock``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

Millis = int

MS_PER_S = 1000
MS_PER_MIN = 60_000
MS_PER_HOUR = 3_600_000
MS_PER_DAY = 86_400_000


class Clock(Protocol):
    def now(self) -> Millis: ...


class VirtualClock:
    """A clock that only moves when told to: simulation and tests."""

    __slots__ = ("_now",)

    def __init__(self, start: Millis = 0) -> None:
        self._now = start

    def now(self) -> Millis:
        return self._now

    def advance_to(self, t: Millis) -> None:
        if t < self._now:
            raise ValueError(f"time cannot go backwards: {t} < {self._now}")
        self._now = t


def to_datetime(ms: Millis) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def from_datetime(dt: datetime) -> Millis:
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt.isoformat()} has no time zone")
    return round(dt.timestamp() * 1000)


def iso(ms: Millis) -> str:
    return to_datetime(ms).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def tz_offset_ms(timezone: str, at_ms: Millis) -> int:
    """Offset of the IANA ``timezone`` from UTC at ``at_ms``, in milliseconds."""
    from zoneinfo import ZoneInfo

    offset = datetime.fromtimestamp(at_ms / 1000, ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds() * 1000) if offset is not None else 0
