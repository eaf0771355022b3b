"""KPI records: what a queue, an interval, an agent and a team report.

Every record is computed from raw counts and milliseconds (a :class:`Tally`, an
agent's state times) and has ``to_dict()`` with JSON-ready values: seconds and
ratios as floats, ``None`` where a KPI is undefined (no answered call, no
staffed time). Ratios are fractions (0.8, not 80).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ..core.clock import MS_PER_HOUR, iso
from .stats import percentile, ratio, seconds
from .tally import Tally

STAFFED_STATES = ("ready", "reserved", "on_call", "wrap_up")
ALL_STATES = (*STAFFED_STATES, "not_ready", "break", "meal", "training", "meeting")


def _json(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return {f.name: _json(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True, kw_only=True)
class QueueKpis(_Record):
    queue: str
    # outcomes of the segments that started here: they add up to ``offered``
    offered: int
    answered: int
    abandoned: int  # includes the short abandons
    timed_out: int
    callback_chosen: int
    ended_other: int
    waiting_at_end: int
    # reported apart
    short_abandoned: int
    answered_in_sl: int
    callbacks: int
    overflowed_out: int
    overflowed_in: int
    transfers: int
    handled: int
    # KPIs
    sl_target_s: float | None
    service_level: float | None
    asa_s: float | None
    avg_wait_s: float | None
    p90_wait_s: float | None
    max_wait_s: float | None
    abandon_rate: float | None
    aht_s: float | None
    talk_s: float | None
    hold_s: float | None
    wrap_s: float | None
    occupancy: float | None
    transfer_rate: float | None
    calls_per_agent_hour: float | None
    staffed_agent_hours: float


@dataclass(frozen=True, kw_only=True)
class IntervalKpis(QueueKpis):
    start_ms: int
    end_ms: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": iso(self.start_ms), **super().to_dict()}


def queue_fields(
    name: str, t: Tally, sl_target_s: float | None, handle_ms: float, staffed_ms: float
) -> dict[str, Any]:
    """Keyword arguments of a :class:`QueueKpis` for tally ``t`` and its staffed time."""
    handled = t.handled
    staffed_h = staffed_ms / MS_PER_HOUR
    handle_avg = ratio(t.talk_ms + t.hold_ms + t.wrap_ms, handled)
    return {
        "queue": name,
        "offered": t.offered,
        "answered": t.answered,
        "abandoned": t.abandoned,
        "timed_out": t.timed_out,
        "callback_chosen": t.callback_chosen,
        "ended_other": t.ended_other,
        "waiting_at_end": t.waiting_at_end,
        "short_abandoned": t.short_abandoned,
        "answered_in_sl": t.answered_in_sl,
        "callbacks": t.callbacks,
        "overflowed_out": t.overflowed_out,
        "overflowed_in": t.overflowed_in,
        "transfers": t.transfers,
        "handled": handled,
        "sl_target_s": sl_target_s,
        "service_level": ratio(t.answered_in_sl, t.offered - t.short_abandoned),
        "asa_s": seconds(ratio(t.wait_answered_ms, t.answered)),
        "avg_wait_s": seconds(ratio(sum(t.waits), len(t.waits))),
        "p90_wait_s": seconds(percentile(t.waits, 90)),
        "max_wait_s": seconds(t.max_wait_ms),
        "abandon_rate": ratio(t.abandoned, t.offered),
        "aht_s": seconds(handle_avg),
        "talk_s": seconds(ratio(t.talk_ms, handled)),
        "hold_s": seconds(ratio(t.hold_ms, handled)),
        "wrap_s": seconds(ratio(t.wrap_ms, handled)),
        "occupancy": ratio(handle_ms, staffed_ms),
        "transfer_rate": ratio(t.transfers, t.answered),
        "calls_per_agent_hour": ratio(t.answered, staffed_h),
        "staffed_agent_hours": staffed_h,
    }


@dataclass
class Work:
    """Raw numbers of one agent (or, summed, of a team) over the report window."""

    answered: int = 0
    handled: int = 0
    talk_ms: int = 0
    hold_ms: int = 0
    wrap_ms: int = 0
    transfers: int = 0
    rona: int = 0
    rejected: int = 0
    state_ms: dict[str, int] = field(default_factory=dict)

    def add(self, other: Work) -> None:
        self.answered += other.answered
        self.handled += other.handled
        self.talk_ms += other.talk_ms
        self.hold_ms += other.hold_ms
        self.wrap_ms += other.wrap_ms
        self.transfers += other.transfers
        self.rona += other.rona
        self.rejected += other.rejected
        for state, ms in other.state_ms.items():
            self.state_ms[state] = self.state_ms.get(state, 0) + ms


@dataclass(frozen=True, kw_only=True)
class WorkKpis(_Record):
    answered: int
    handled: int
    transfers: int
    rona: int  # offers not answered within routing.rona_s
    rejected: int  # offers the agent turned down
    aht_s: float | None
    talk_s: float | None
    hold_s: float | None
    wrap_s: float | None
    occupancy: float | None
    staffed_s: float
    logged_in_s: float
    calls_per_hour: float | None  # handled per staffed hour
    state_s: dict[str, float]


def work_fields(w: Work) -> dict[str, Any]:
    ms = w.state_ms
    staffed = sum(ms.get(s, 0) for s in STAFFED_STATES)
    busy = ms.get("on_call", 0) + ms.get("wrap_up", 0)
    states = {s: ms.get(s, 0) / 1000 for s in ALL_STATES}
    states.update({s: v / 1000 for s, v in ms.items() if s not in states})
    return {
        "answered": w.answered,
        "handled": w.handled,
        "transfers": w.transfers,
        "rona": w.rona,
        "rejected": w.rejected,
        "aht_s": seconds(ratio(w.talk_ms + w.hold_ms + w.wrap_ms, w.handled)),
        "talk_s": seconds(ratio(w.talk_ms, w.handled)),
        "hold_s": seconds(ratio(w.hold_ms, w.handled)),
        "wrap_s": seconds(ratio(w.wrap_ms, w.handled)),
        "occupancy": ratio(busy, staffed),
        "staffed_s": staffed / 1000,
        "logged_in_s": sum(ms.values()) / 1000,
        "calls_per_hour": ratio(w.handled, staffed / MS_PER_HOUR),
        "state_s": states,
    }


@dataclass(frozen=True, kw_only=True)
class AgentKpis(WorkKpis):
    agent_id: str
    team: str


@dataclass(frozen=True, kw_only=True)
class TeamKpis(WorkKpis):
    team: str
    agents: int


@dataclass(frozen=True)
class KpiReport:
    queues: dict[str, QueueKpis]
    agents: dict[str, AgentKpis]
    teams: dict[str, TeamKpis]
    intervals: dict[str, list[IntervalKpis]]  # per queue, every slot of the horizon
    total: QueueKpis  # the whole center
    total_intervals: list[IntervalKpis]
    start_ms: int
    end_ms: int
    interval_min: int
    tz_offset_ms: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": iso(self.start_ms),
            "end": iso(self.end_ms),
            "interval_min": self.interval_min,
            "tz_offset_ms": self.tz_offset_ms,
            "total": self.total.to_dict(),
            "queues": {k: v.to_dict() for k, v in self.queues.items()},
            "agents": {k: v.to_dict() for k, v in self.agents.items()},
            "teams": {k: v.to_dict() for k, v in self.teams.items()},
            "intervals": {k: [i.to_dict() for i in v] for k, v in self.intervals.items()},
            "total_intervals": [i.to_dict() for i in self.total_intervals],
        }
