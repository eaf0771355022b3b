"""Arrival profiles: how many calls are expected in each interval of the day.

Arrivals within an interval are a Poisson process at that interval's rate
(piecewise-constant non-homogeneous Poisson), drawn exactly: a Poisson count
per interval, then uniform times within it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from ..core.clock import MS_PER_HOUR

# Share of a day's calls per hour on a provincial 10086-style line: quiet at
# night, a morning peak at 9-11, a dip at lunch, an afternoon peak at 14-16 and
# a smaller evening rise when people are home.
DAY_CURVE: tuple[float, ...] = (
    0.6, 0.35, 0.25, 0.2, 0.25, 0.5,  # 00-06
    1.2, 3.0, 5.6, 7.4, 7.8, 6.6,  # 06-12
    5.2, 5.6, 7.2, 7.5, 6.8, 5.9,  # 12-18
    4.8, 4.9, 5.1, 4.2, 2.9, 1.6,  # 18-24
)  # fmt: skip


@dataclass(frozen=True)
class Interval:
    start_ms: int
    length_ms: int
    calls: float  # expected calls in the interval


def day_profile(
    day_start_ms: int, calls_per_day: float, hours: float, timezone: str = "UTC"
) -> list[Interval]:
    """Hourly intervals following :data:`DAY_CURVE` by local hour, for ``hours``."""
    tz = ZoneInfo(timezone)
    total = sum(DAY_CURVE)
    horizon = int(hours * MS_PER_HOUR)
    out = []
    for h in range(int(np.ceil(hours))):
        start = day_start_ms + h * MS_PER_HOUR
        local_hour = datetime.fromtimestamp(start / 1000, tz).hour
        length = min(MS_PER_HOUR, horizon - h * MS_PER_HOUR)
        calls = calls_per_day * DAY_CURVE[local_hour] / total * length / MS_PER_HOUR
        out.append(Interval(start, length, calls))
    return out


def flat_profile(start_ms: int, calls_per_hour: float, hours: float) -> list[Interval]:
    return [Interval(start_ms, int(hours * MS_PER_HOUR), calls_per_hour * hours)]


def profile_from_volumes(
    starts: Sequence[datetime], calls: Sequence[float], interval_s: int, timezone: str
) -> list[Interval]:
    """Intervals from local (naive) interval starts and their expected calls."""
    tz = ZoneInfo(timezone)
    length = interval_s * 1000
    return [
        Interval(round(start.replace(tzinfo=tz).timestamp() * 1000), length, float(n))
        for start, n in zip(starts, calls, strict=True)
    ]


def arrival_times(profile: list[Interval], rng: np.random.Generator) -> np.ndarray:
    """Sorted arrival times (ms) for the profile."""
    chunks = []
    for iv in profile:
        n = rng.poisson(iv.calls)
        chunks.append(iv.start_ms + np.floor(rng.random(n) * iv.length_ms).astype(np.int64))
    if not chunks:
        return np.zeros(0, dtype=np.int64)
    times = np.concatenate(chunks)
    times.sort(kind="stable")
    return times
