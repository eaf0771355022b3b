"""Small, exact statistics with ``None`` where a value is undefined."""

from __future__ import annotations

import math


def ratio(num: float, den: float) -> float | None:
    return num / den if den > 0 else None


def percentile(values: list[int], p: float) -> int | None:
    """Nearest rank: the smallest value with at least ``p`` percent of values at or below it.

    Exact and always one of the observed values, like the numbers an ACD report
    shows (no interpolation between two callers' waits).
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def seconds(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000
