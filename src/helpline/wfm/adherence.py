"""Adherence and intraday changes: the plan against what agents actually did.

- **Adherence** (遵守率): the share of scheduled minutes in which the agent was
  doing what the schedule said: on the phone (ready, ringing, on a call, in
  wrap-up) when scheduled to take calls, on meal when scheduled to eat, on
  break when scheduled for a break.
- **Conformance** (符合度): minutes actually worked (logged in, not on a
  pause) over minutes scheduled to work, whenever they fell.

Agent states are folded from the event log exactly as docs/events.md defines
them (``CallOffered`` -> reserved, ``CallAnswered`` -> on_call, ``CallEnded``
-> wrap_up, ``WrapUpEnded`` -> ready, ``AgentStateChanged`` as given).

A **meal delay** (an agent stuck on a long call before the meal) moves that
agent's meal and re-checks coverage against the requirement; an **intraday
re-forecast** scales the rest of today's forecast by how the day has run so far.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from ..core import events as ev
from .whatif import Stint, on_phone

FloatArray = npt.NDArray[np.float64]
MS_PER_MIN = 60_000

PHONE = ("ready", "reserved", "on_call", "wrap_up")
# what each state counts as when compared with the schedule
_CATEGORY = {s: "phone" for s in PHONE} | {"meal": "meal", "break": "break", "offline": "off"}


def state_timeline(
    events: Iterable[ev.Event], agents: set[str] | None = None
) -> dict[str, list[tuple[int, str]]]:
    """Per agent, the (ts, state) changes in log order."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)

    def put(agent: str | None, ts: int, state: str) -> None:
        if agent is not None and (agents is None or agent in agents):
            out[agent].append((ts, state))

    for e in events:
        if isinstance(e, ev.AgentLoggedIn):
            put(e.agent_id, e.ts, "not_ready")
        elif isinstance(e, ev.AgentStateChanged):
            put(e.agent_id, e.ts, e.state)
        elif isinstance(e, ev.AgentLoggedOut):
            put(e.agent_id, e.ts, "offline")
        elif isinstance(e, ev.CallOffered):
            put(e.agent_id, e.ts, "reserved")
        elif isinstance(e, ev.CallAnswered):
            put(e.agent_id, e.ts, "on_call")
        elif isinstance(e, ev.CallEnded) and e.agent_id is not None:
            put(e.agent_id, e.ts, "wrap_up")
        elif isinstance(e, ev.WrapUpEnded):
            put(e.agent_id, e.ts, "ready")
    return out


@dataclass(frozen=True)
class AgentAdherence:
    agent: str
    scheduled_min: float  # minutes on shift in the window
    in_adherence_min: float
    worked_min: float  # logged in and not on a pause
    scheduled_work_min: float  # shift minus pauses

    @property
    def adherence(self) -> float:
        return self.in_adherence_min / self.scheduled_min if self.scheduled_min else 1.0

    @property
    def conformance(self) -> float:
        return self.worked_min / self.scheduled_work_min if self.scheduled_work_min else 1.0


def adherence(
    stints: Sequence[Stint],
    events: Iterable[ev.Event],
    start: datetime,
    end: datetime,
    tz_offset_ms: int = 0,
) -> list[AgentAdherence]:
    """Adherence and conformance per agent over [start, end) (local times, minute steps).

    ``tz_offset_ms`` turns the events' UTC milliseconds into the schedule's
    local wall-clock time.
    """
    n = int((end - start).total_seconds() // 60)
    epoch = datetime(1970, 1, 1)
    planned: dict[str, npt.NDArray[np.str_]] = {}
    for st in sorted(stints, key=lambda s: s.kind != "shift"):  # shifts first, pauses on top
        plan = planned.setdefault(st.agent, np.full(n, "off", dtype="<U5"))
        a = max(0, int((st.start - start).total_seconds() // 60))
        b = min(n, int((st.end - start).total_seconds() // 60))
        if b > a:
            plan[a:b] = "phone" if st.kind == "shift" else st.kind
    timelines = state_timeline(events, set(planned))
    out = []
    for agent, plan in sorted(planned.items()):
        actual = np.full(n, "off", dtype="<U5")
        changes = timelines.get(agent, [])
        for i, (ts, state) in enumerate(changes):
            t0 = epoch + timedelta(milliseconds=ts + tz_offset_ms)
            t1 = (
                epoch + timedelta(milliseconds=changes[i + 1][0] + tz_offset_ms)
                if i + 1 < len(changes)
                else end
            )
            a = max(0, int((t0 - start).total_seconds() // 60))
            b = min(n, int((t1 - start).total_seconds() // 60))
            if b > a:
                actual[a:b] = _CATEGORY.get(state, "other")
        on_shift = plan != "off"
        out.append(
            AgentAdherence(
                agent,
                float(on_shift.sum()),
                float((on_shift & (plan == actual)).sum()),
                float(np.isin(actual, ("phone", "other")).sum()),
                float((plan == "phone").sum()),
            )
        )
    return out


@dataclass(frozen=True)
class MealMove:
    stints: list[Stint]
    moved: Stint | None  # the meal at its new time, None if it could not move
    short_before: list[datetime]  # intervals under the requirement before the move
    short_after: list[datetime]  # ... and after it


def delay_meal(
    stints: Sequence[Stint],
    agent: str,
    day: datetime,
    delay_min: int,
    requirement: FloatArray,
    starts: Sequence[datetime],
    interval_s: int,
    edge_min: int = 60,
) -> MealMove:
    """Move ``agent``'s meal on ``day`` later by ``delay_min`` and re-check coverage.

    The meal stays inside the shift (not in its last ``edge_min`` minutes) and
    does not overlap the agent's other pauses; if the full delay does not fit,
    it moves as far as it can. Returns the new stints and the intervals that
    fall short of the requirement before and after the move.
    """
    before = on_phone(stints, starts, interval_s)
    meal = next(
        (
            s
            for s in stints
            if s.agent == agent and s.kind == "meal" and s.start.date() == day.date()
        ),
        None,
    )
    if meal is None:
        return MealMove(list(stints), None, _short(before, requirement, starts), [])
    shift = next(s for s in stints if s.agent == agent and s.kind == "shift"
                 and s.start <= meal.start < s.end)  # fmt: skip
    length = meal.end - meal.start
    latest = shift.end - timedelta(minutes=edge_min) - length
    others = [s for s in stints if s.agent == agent and s.kind == "break"
              and shift.start <= s.start < shift.end]  # fmt: skip
    new_start = min(meal.start + timedelta(minutes=delay_min), latest)
    while new_start > meal.start and any(
        new_start < o.end and o.start < new_start + length for o in others
    ):
        new_start -= timedelta(minutes=5)
    moved = replace(meal, start=new_start, end=new_start + length)
    new = [moved if s is meal else s for s in stints]
    after = on_phone(new, starts, interval_s)
    return MealMove(
        new,
        moved if new_start > meal.start else None,
        _short(before, requirement, starts),
        _short(after, requirement, starts),
    )


def _short(cover: FloatArray, req: FloatArray, starts: Sequence[datetime]) -> list[datetime]:
    return [starts[int(i)] for i in np.nonzero(cover + 1e-9 < req)[0]]


def reforecast(forecast: FloatArray, actual_so_far: FloatArray) -> FloatArray:
    """Today's remaining intervals scaled by how the day has run so far.

    ``actual_so_far`` holds the intervals already over (a prefix of the day).
    The scaling factor is actual / forecast over that prefix, trusted in
    proportion to the share of the day's forecast volume already seen (early
    in the morning a busy first half hour says little about the afternoon).
    """
    k = len(actual_so_far)
    done = float(forecast[:k].sum())
    total = float(forecast.sum())
    if k == 0 or done <= 0 or total <= 0:
        return forecast.copy()
    ratio = float(actual_so_far.sum()) / done
    trust = done / total
    factor = 1.0 + min(1.0, 2.0 * trust) * (ratio - 1.0)  # fully trusted by mid-day
    out = forecast.astype(float).copy()
    out[:k] = actual_so_far
    out[k:] *= factor
    return out
