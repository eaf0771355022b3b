"""Agents required per interval from forecast volume, AHT and service targets.

Multi-skill queues use a documented approximation (see docs/wfm.md): each
queue's own Erlang requirement is an upper bound for a group of specialists;
the Erlang requirement of the pooled traffic (total rate, calls-weighted AHT)
is the lower bound reached when every agent has every skill. With a share
``flex`` of cross-skilled agents the estimate interpolates linearly between
the two and rounds up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .erlang import Targets, required_agents
from .intervals import IntervalSeries

IntArray = npt.NDArray[np.int64]


def requirement(
    series: IntervalSeries, targets: Targets, default_aht_s: float, shrinkage: float = 0.0
) -> IntArray:
    """Agents needed on the phone in each interval of ``series`` (then grossed up for shrinkage)."""
    aht = series.aht_s if series.aht_s is not None else np.full(len(series), default_aht_s)
    aht = np.where(np.isnan(aht), default_aht_s, aht)
    return required_agents(series.calls / series.interval_s, aht, targets, shrinkage)


@dataclass(frozen=True)
class QueueLoad:
    rate_per_s: npt.ArrayLike
    aht_s: npt.ArrayLike


@dataclass(frozen=True)
class MultiSkill:
    dedicated: dict[str, IntArray]  # each queue on its own
    pooled: IntArray  # all skills in every agent
    estimate: IntArray  # interpolated by the flexible share


def multi_skill(queues: Mapping[str, QueueLoad], targets: Targets, flex: float) -> MultiSkill:
    if not 0.0 <= flex <= 1.0:
        raise ValueError("flex must be in [0, 1]")
    dedicated = {
        name: required_agents(q.rate_per_s, q.aht_s, targets) for name, q in queues.items()
    }
    rates = [np.asarray(q.rate_per_s, dtype=float) for q in queues.values()]
    loads = [
        r * np.asarray(q.aht_s, dtype=float) for r, q in zip(rates, queues.values(), strict=True)
    ]
    total_rate = np.sum(rates, axis=0)
    pooled_aht = np.where(
        total_rate > 0, np.sum(loads, axis=0) / np.maximum(total_rate, 1e-300), 1.0
    )
    pooled = required_agents(total_rate, pooled_aht, targets)
    split = np.sum(list(dedicated.values()), axis=0)
    estimate = np.ceil(split - flex * (split - pooled) - 1e-9).astype(np.int64)
    return MultiSkill(dedicated, pooled, estimate)
