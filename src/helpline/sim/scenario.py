"""A simulation scenario: a center, its traffic, its agents' shifts, a horizon.

YAML layout (see examples/10086.yaml)::

    center: {...}            # helpline.core.center.Center
    simulation: {date: 2026-11-23, hours: 24, seed: 1}
    traffic:
      calls_per_day: 60000   # with curve: day (built-in morning/afternoon peaks)
      mix: {billing: 0.5, data: 0.3, ...}          # queue -> share of calls
      tiers: {vip: 0.03, gold: 0.17, standard: 0.8}
      service: {default: {dist: lognormal, mean_s: 200, sd_s: 120}}
      patience: {dist: exponential, mean_s: 150}
    shifts:
      - {prefix: bill, count: 40, start: "08:00", end: "17:00",
         breaks: [{start: "10:30", minutes: 10}, {start: "12:00", minutes: 40, state: meal}]}
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..core.center import Center
from ..core.clock import MS_PER_MIN
from ..core.errors import from_validation_error
from .distributions import Dist


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _parse_hhmm(v: Any) -> Any:
    if isinstance(v, str):
        try:
            hh, mm = v.split(":")
            return time(int(hh), int(mm))
        except ValueError:
            raise ValueError(f"expected a time of day as HH:MM, got {v!r}") from None
    return v


class Break(_Model):
    start: time
    minutes: float = Field(gt=0)
    state: Literal["break", "meal", "training", "meeting"] = "break"

    _t = field_validator("start", mode="before")(_parse_hhmm)


class Shift(_Model):
    """Agents by id list or by id prefix (``prefix`` + ``first``..``first+count-1``)."""

    agents: list[str] | None = None
    prefix: str | None = None
    first: int = Field(1, ge=1)
    count: int | None = Field(None, ge=1)
    start: time
    end: time  # an end at or before the start means the shift runs past midnight
    breaks: list[Break] = Field(default_factory=list)

    _t = field_validator("start", "end", mode="before")(_parse_hhmm)

    @model_validator(mode="after")
    def _who(self) -> Shift:
        if (self.agents is None) == (self.prefix is None):
            raise ValueError("give either agents (a list of ids) or prefix (with count)")
        return self


class Transfer(_Model):
    to: str
    probability: float = Field(ge=0, le=1)


class HoldRule(_Model):
    """Share of answered calls the agent puts on hold once, and for how long."""

    probability: float = Field(ge=0, le=1)
    duration: Dist


class Traffic(_Model):
    calls_per_day: float | None = Field(None, ge=0)
    calls_per_hour: float | None = Field(None, ge=0)
    curve: Literal["day", "flat"] = "day"
    intervals_csv: str | None = None  # start,calls CSV; read by the loader
    mix: dict[str, float] = Field(default_factory=dict)
    tiers: dict[str, float] = Field(default_factory=lambda: {"standard": 1.0})
    service: dict[str, Dist] = Field(
        default_factory=lambda: {"default": Dist(dist="exponential", mean_s=240)}
    )
    patience: Dist | None = None  # None: callers never hang up while waiting
    ring_s: float = Field(0.0, ge=0)
    no_answer_rate: float = Field(0.0, ge=0, le=1)
    rona_recover_s: float = Field(30.0, ge=0)  # an agent who missed a call is back after this
    callback_accept_rate: float = Field(0.0, ge=0, le=1)
    transfers: dict[str, Transfer] = Field(default_factory=dict)
    hold: HoldRule | None = None

    @model_validator(mode="after")
    def _volume(self) -> Traffic:
        given = [
            x is not None for x in (self.calls_per_day, self.calls_per_hour, self.intervals_csv)
        ]
        if sum(given) != 1:
            raise ValueError("give exactly one of calls_per_day, calls_per_hour, intervals_csv")
        if "default" not in self.service and not self.mix:
            raise ValueError("service needs a 'default' entry or one per queue")
        for name, share in self.mix.items():
            if share < 0:
                raise ValueError(f"mix.{name}: a share cannot be negative, got {share}")
        return self


class Simulation(_Model):
    date: dt.date = Field(default_factory=lambda: dt.date(2026, 1, 5))
    hours: float = Field(24.0, gt=0, le=24 * 366)
    seed: int = 1
    interval_min: Literal[15, 30, 60] = 30


class Scenario(_Model):
    center: Center
    simulation: Simulation = Simulation()
    traffic: Traffic
    shifts: list[Shift] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        if self.traffic.ring_s >= self.center.routing.rona_s:
            raise ValueError(
                f"traffic.ring_s ({self.traffic.ring_s}) must be shorter than "
                f"center.routing.rona_s ({self.center.routing.rona_s}): every offer would time out"
            )
        queues = {q.name for q in self.center.queues}
        agents = {a.id for a in self.center.all_agents()}
        tiers = {t.name for t in self.center.tiers}
        for name in self.traffic.mix:
            if name not in queues:
                raise ValueError(f"traffic.mix.{name}: no such queue ({', '.join(sorted(queues))})")
        for name in self.traffic.service:
            if name != "default" and name not in queues:
                raise ValueError(f"traffic.service.{name}: no such queue")
        for name in self.traffic.tiers:
            if name not in tiers:
                raise ValueError(f"traffic.tiers.{name}: no such tier ({', '.join(sorted(tiers))})")
        for name, rule in self.traffic.transfers.items():
            if name not in queues or rule.to not in queues:
                raise ValueError(f"traffic.transfers.{name}: unknown queue {name!r} or {rule.to!r}")
        for i, shift in enumerate(self.shifts):
            for agent in shift_agents(shift, agents):
                if agent not in agents:
                    raise ValueError(f"shifts[{i}]: no agent {agent!r} in the center")
        try:
            ZoneInfo(self.center.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"center.timezone: unknown time zone {self.center.timezone!r}"
            ) from None
        return self

    def start_ms(self) -> int:
        tz = ZoneInfo(self.center.timezone)
        return round(datetime.combine(self.simulation.date, time(0), tz).timestamp() * 1000)

    def service_for(self, queue: str) -> Dist:
        return self.traffic.service.get(queue) or self.traffic.service["default"]

    def shares(self) -> dict[str, float]:
        mix = self.traffic.mix or {self.center.queues[0].name: 1.0}
        total = sum(mix.values())
        return {k: v / total for k, v in mix.items()}


def shift_agents(shift: Shift, known: set[str] | None = None) -> list[str]:
    if shift.agents is not None:
        return list(shift.agents)
    prefix = shift.prefix or ""
    pool = sorted(a for a in (known or set()) if a.startswith(prefix))
    if shift.count is None:
        return pool
    return pool[shift.first - 1 : shift.first - 1 + shift.count]


def shift_windows(
    shift: Shift, day: dt.date, tz: ZoneInfo
) -> tuple[int, int, list[tuple[int, int, str]]]:
    """(login, logout, [(start, end, state), ...]) in UTC ms for the shift on a local day.

    Times are read on the local wall clock of that day, so an 08:00 start stays
    at 08:00 across a daylight-saving change.
    """

    def at(t: time, later: bool = False) -> int:
        d = day + dt.timedelta(days=1) if later else day
        return round(datetime.combine(d, t, tz).timestamp() * 1000)

    start = at(shift.start)
    end = at(shift.end, later=shift.end <= shift.start)
    breaks: list[tuple[int, int, str]] = []
    for b in shift.breaks:
        s = at(b.start, later=b.start < shift.start)
        breaks.append((s, s + round(b.minutes * MS_PER_MIN), b.state))
    return start, end, breaks


def parse_scenario(data: Any, source: str = "scenario") -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source) from None


def single_queue(
    calls_per_hour: float,
    aht_s: float,
    agents: int,
    *,
    patience_s: float | None = None,
    hours: float = 24.0,
    seed: int = 1,
    sl_target_s: float = 20.0,
) -> Scenario:
    """An M/M/c (or M/M/c+M with patience) center: one queue, identical agents."""
    center = Center.model_validate(
        {
        "queues": [
            {"name": "q", "skills": {"s": 1}, "sl_target": {"percent": 80, "seconds": sl_target_s},
             "short_abandon_s": 0, "aht_s": aht_s}
        ],
        "agent_groups": [{"prefix": "a", "count": agents, "skills": {"s": 1}}],
        "routing": {"rona_s": 3600},
        }
    )  # fmt: skip
    traffic: dict[str, Any] = {
        "calls_per_hour": calls_per_hour,
        "curve": "flat",
        "service": {"default": {"dist": "exponential", "mean_s": aht_s}},
    }
    if patience_s is not None:
        traffic["patience"] = {"dist": "exponential", "mean_s": patience_s}
    return Scenario(
        center=center,
        simulation=Simulation(hours=hours, seed=seed),
        traffic=Traffic.model_validate(traffic),
    )
