"""Reporting intervals: fixed slots of 15, 30 or 60 minutes on a local-time grid.

A slot is numbered ``k = (ts + tz_offset_ms) // length_ms``, so slots line up
with the hour (and the day) in local time: with ``tz_offset_ms`` of UTC+08:00 a
60-minute slot starts on a Beijing hour, and with UTC+05:30 on an Indian one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..core.clock import MS_PER_DAY, MS_PER_MIN
from ..core.errors import InputError, Problem


@dataclass(frozen=True, slots=True)
class Grid:
    length_ms: int
    offset_ms: int = 0

    @classmethod
    def of_minutes(cls, minutes: int, tz_offset_ms: int = 0) -> Grid:
        # A length that does not divide the day would make slots drift from the
        # hour day after day, and no report across days could line up.
        if not isinstance(minutes, int) or minutes <= 0 or MS_PER_DAY % (minutes * MS_PER_MIN):
            raise InputError(
                "interval_min",
                [Problem("interval_min", "must be a whole number of minutes dividing a day "
                         "(15, 30, 60, ...)", minutes)],
            )  # fmt: skip
        return cls(minutes * MS_PER_MIN, tz_offset_ms)

    def index(self, ts: int) -> int:
        return (ts + self.offset_ms) // self.length_ms

    def start(self, k: int) -> int:
        return k * self.length_ms - self.offset_ms

    def split(self, t0: int, t1: int) -> Iterator[tuple[int, int]]:
        """``(slot, ms)`` pieces of the span ``[t0, t1)``, in order."""
        length, off = self.length_ms, self.offset_ms
        k = (t0 + off) // length
        while t0 < t1:
            edge = min((k + 1) * length - off, t1)
            yield k, edge - t0
            t0 = edge
            k += 1
