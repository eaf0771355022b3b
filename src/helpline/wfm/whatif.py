"""What-if: play a schedule against a forecast through the simulator that drives the live engine.

Each day of the schedule becomes a one-queue scenario: the agents working that
day, each with their own shift, meal and breaks, and Poisson arrivals at the
forecast's interval volumes. The same engine that routes live calls answers
them; the KPIs come from the same fold that reports on live traffic. Beside
each simulated interval stands the Erlang A (or C) figure for the agents
scheduled on the phone, so a planner sees both the theory and the run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import numpy as np

from ..metrics.kpis import compute_kpis
from ..sim.driver import simulate
from ..sim.scenario import parse_scenario
from ..sim.traffic import profile_from_volumes
from .erlang import erlang_a_vec, erlang_c_vec
from .intervals import IntervalSeries


@dataclass(frozen=True)
class Stint:
    """One scheduled stretch of one agent: a shift, meal or break (local wall-clock times)."""

    agent: str
    kind: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class IntervalOutcome:
    start: datetime
    forecast_calls: float
    on_phone: float  # scheduled agents on the phone, averaged over the interval
    offered: int
    service_level: float | None
    abandon_rate: float | None
    asa_s: float | None
    erlang_service_level: float
    erlang_abandon_rate: float


def on_phone(stints: Sequence[Stint], starts: Sequence[datetime], interval_s: int) -> np.ndarray:
    """Average number of agents on the phone (on shift, not on a pause) per interval."""
    if not starts:
        return np.zeros(0)
    origin = starts[0]
    step = 60  # minute resolution is plenty for 10-minute breaks
    n = len(starts)
    minutes = np.zeros(n * interval_s // step + 1)
    index = {s: i for i, s in enumerate(starts)}
    slot_of_minute = np.full(len(minutes), -1)
    for s, i in index.items():
        m0 = int((s - origin).total_seconds()) // step
        if 0 <= m0 < len(minutes):
            slot_of_minute[m0 : m0 + interval_s // step] = i
    for st in stints:
        a = max(0, int((st.start - origin).total_seconds()) // step)
        b = min(len(minutes), int((st.end - origin).total_seconds()) // step)
        if b > a:
            minutes[a:b] += 1 if st.kind == "shift" else -1
    out = np.zeros(n)
    ok = slot_of_minute >= 0
    np.add.at(out, slot_of_minute[ok], minutes[ok])
    return out / (interval_s // step)


def whatif(
    stints: Sequence[Stint],
    forecast: IntervalSeries,
    aht_s: float,
    patience_s: float | None,
    sl_target_s: float = 20.0,
    seed: int = 1,
) -> list[IntervalOutcome]:
    """Simulate every day of the forecast with the agents the schedule puts on it."""
    by_day: dict[datetime, list[Stint]] = defaultdict(list)
    for st in stints:
        by_day[datetime.combine(st.start.date(), time(0))].append(st)
    phone = on_phone(stints, forecast.starts, forecast.interval_s)
    aht = forecast.aht_s if forecast.aht_s is not None else np.full(len(forecast), aht_s)
    aht = np.where(np.isnan(aht), aht_s, aht)
    rate = forecast.calls / forecast.interval_s
    agents = np.floor(phone + 1e-9)
    if patience_s is None:
        theory = erlang_c_vec(rate, aht, agents, sl_target_s)
    else:
        theory = erlang_a_vec(rate, aht, agents, patience_s, sl_target_s)
    days = sorted({datetime.combine(s.date(), time(0)) for s in forecast.starts})
    simulated: dict[datetime, tuple[int, float | None, float | None, float | None]] = {}
    for day in days:
        idx = [i for i, s in enumerate(forecast.starts) if s.date() == day.date()]
        mean_aht = float(np.average(aht[idx], weights=np.maximum(forecast.calls[idx], 1e-9)))
        simulated.update(
            _simulate_day(
                day, by_day.get(day, []), forecast, idx, mean_aht, patience_s, sl_target_s, seed
            )
        )
    out = []
    for i, s in enumerate(forecast.starts):
        offered, sl, ab, asa = simulated.get(s, (0, None, None, None))
        out.append(
            IntervalOutcome(s, float(forecast.calls[i]), float(phone[i]), offered, sl, ab, asa,
                            float(theory.service_level[i]), float(theory.abandon_rate[i]))
        )  # fmt: skip
    return out


def _simulate_day(
    day: datetime,
    stints: list[Stint],
    forecast: IntervalSeries,
    idx: list[int],
    aht_s: float,
    patience_s: float | None,
    sl_target_s: float,
    seed: int,
) -> dict[datetime, tuple[int, float | None, float | None, float | None]]:
    shifts = [s for s in stints if s.kind == "shift"]
    pauses: dict[str, list[Stint]] = defaultdict(list)
    for s in stints:
        if s.kind != "shift":
            pauses[s.agent].append(s)
    if not shifts:  # nobody on: every call waits until it gives up (or the day ends)
        shifts = []
    agent_ids = sorted({s.agent for s in shifts}) or ["nobody"]
    scenario_shifts: list[dict[str, Any]] = [
        {
            "agents": [s.agent],
            "start": s.start.strftime("%H:%M"),
            "end": s.end.strftime("%H:%M"),
            "breaks": [
                {
                    "start": p.start.strftime("%H:%M"),
                    "minutes": (p.end - p.start).total_seconds() / 60,
                    "state": "meal" if p.kind == "meal" else "break",
                }
                for p in pauses[s.agent]
                if s.start <= p.start < s.end
            ],
        }
        for s in shifts
    ]
    if not shifts:  # an empty center still needs its one agent logged out all day
        scenario_shifts = [{"agents": ["nobody"], "start": "00:00", "end": "00:01"}]
    traffic: dict[str, Any] = {
        "calls_per_day": 0,
        "service": {"default": {"dist": "exponential", "mean_s": aht_s}},
    }
    if patience_s is not None:
        traffic["patience"] = {"dist": "exponential", "mean_s": patience_s}
    interval_min = forecast.interval_s // 60
    scenario = parse_scenario(
        {
            "center": {
                "queues": [{"name": "q", "skills": {"s": 1}, "aht_s": aht_s, "short_abandon_s": 0,
                            "sl_target": {"percent": 80, "seconds": sl_target_s}}],
                "agents": [{"id": a, "skills": {"s": 1}} for a in agent_ids],
                "routing": {"rona_s": 3600},
            },
            "simulation": {"date": day.date().isoformat(), "hours": 24, "seed": seed,
                           "interval_min": interval_min if interval_min in (15, 30, 60) else 30},
            "traffic": traffic,
            "shifts": scenario_shifts,
        },
        "what-if scenario",
    )  # fmt: skip
    profile = profile_from_volumes(
        [forecast.starts[i] for i in idx],
        [float(forecast.calls[i]) for i in idx],
        forecast.interval_s,
        "UTC",
    )
    result = simulate(scenario, profile=profile)
    report = compute_kpis(
        result.events, scenario.center, interval_min, result.start_ms, result.end_ms
    )
    out: dict[datetime, tuple[int, float | None, float | None, float | None]] = {}
    for iv in report.intervals.get("q", []):
        start = datetime(1970, 1, 1) + timedelta(milliseconds=iv.start_ms)
        out[start] = (iv.offered, iv.service_level, iv.abandon_rate, iv.asa_s)
    return out
