"""The discrete-event driver: simulated telephony around the real engine.

Time order is kept by a heap of pending happenings (answers, hang-ups, shift
changes) merged with the pre-drawn arrival stream and the engine's own timers
(``next_wakeup``). At equal times the engine's timers go first, then pending
happenings, then new arrivals.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import numpy as np

from ..core import events as ev
from ..core.clock import MS_PER_HOUR
from ..engine import inputs as inp
from ..engine.acd import Engine
from ..engine.commands import OfferCallback, Ring
from ..engine.state import HELD, QUEUED, RINGING, TALKING
from .scenario import Scenario, shift_agents, shift_windows
from .traffic import Interval, arrival_times, day_profile, flat_profile

_ANSWER, _END, _ABANDON, _AGENT, _ACCEPT, _HOLD, _RESUME = range(7)
_NEVER = 1 << 62

Progress = Callable[[float], None]
Sink = Callable[[list[ev.Event]], None]


@dataclass
class SimResult:
    scenario: Scenario
    events: list[ev.Event]  # empty when a sink took them
    start_ms: int
    end_ms: int  # end of the arrival horizon; calls in progress are drained after it
    calls: int


def default_profile(scenario: Scenario, start_ms: int, hours: float) -> list[Interval]:
    t = scenario.traffic
    if t.calls_per_hour is not None:
        if t.curve == "flat":
            return flat_profile(start_ms, t.calls_per_hour, hours)
        return day_profile(start_ms, t.calls_per_hour * 24, hours, scenario.center.timezone)
    if t.calls_per_day is not None:
        if t.curve == "flat":
            return flat_profile(start_ms, t.calls_per_day / 24, hours)
        return day_profile(start_ms, t.calls_per_day, hours, scenario.center.timezone)
    raise ValueError("traffic.intervals_csv given: pass the profile read from it")


class _Run:
    def __init__(
        self,
        scenario: Scenario,
        profile: list[Interval] | None,
        seed: int,
        hours: float,
        sink: Sink | None,
    ) -> None:
        self.scenario = scenario
        self.engine = Engine(scenario.center)
        self.rng = np.random.default_rng(seed)
        self.start = scenario.start_ms()
        self.end = self.start + round(hours * MS_PER_HOUR)
        profile = profile if profile is not None else default_profile(scenario, self.start, hours)
        self._draw(profile)
        self.heap: list[tuple[int, int, int, str, str, int]] = []
        self.order = 0
        self.log: list[ev.Event] = []
        self.sink: Sink = sink if sink is not None else self.log.extend
        t = scenario.traffic
        self.ring_ms = round(t.ring_s * 1000)
        self.p_no_answer = t.no_answer_rate
        self.p_callback = t.callback_accept_rate
        self.rona_recover_ms = round(t.rona_recover_s * 1000)
        self.legs: dict[str, int] = {}  # answered calls still going on: how many times answered
        self._plan_shifts()

    def _draw(self, profile: list[Interval]) -> None:
        rng = self.rng
        sc = self.scenario
        times = arrival_times(profile, rng)
        times = times[(times >= self.start) & (times < self.end)]
        n = len(times)
        shares = sc.shares()
        self.queue_names = list(shares)
        self.queue_idx = rng.choice(len(shares), n, p=np.array(list(shares.values())))
        tiers = sc.traffic.tiers
        tier_p = np.array(list(tiers.values()), dtype=float)
        self.tier_names = list(tiers)
        self.tier_idx = rng.choice(len(tiers), n, p=tier_p / tier_p.sum())
        patience = sc.traffic.patience
        self.patience = patience.sample_ms(rng, n) if patience is not None else None
        # A transferred caller waits again, with patience of their own.
        self.patience2 = patience.sample_ms(rng, n) if patience is not None else None
        hold = sc.traffic.hold
        self.hold_ms = np.zeros(n, dtype=np.int64)
        self.hold_at = np.zeros(n)
        if hold is not None:
            held = rng.random(n) < hold.probability
            self.hold_ms[held] = hold.duration.sample_ms(rng, int(held.sum()))
            self.hold_at = rng.random(n)  # how far into the talk the hold starts
        self.service = np.zeros(n, dtype=np.int64)
        self.second = np.zeros(n, dtype=np.int64)  # service of a transferred call's second leg
        self.transfer_to: list[str | None] = [None] * len(self.queue_names)
        self.transfers = np.zeros(n, dtype=bool)
        for qi, name in enumerate(self.queue_names):
            mask = self.queue_idx == qi
            self.service[mask] = sc.service_for(name).sample_ms(rng, int(mask.sum()))
            rule = sc.traffic.transfers.get(name)
            if rule is not None:
                self.transfer_to[qi] = rule.to
                self.transfers[mask] = rng.random(int(mask.sum())) < rule.probability
                self.second[mask] = sc.service_for(rule.to).sample_ms(rng, int(mask.sum()))
        self.times = times

    def _push(self, t: int, kind: int, a: str, b: str = "", n: int = 0) -> None:
        self.order += 1
        heapq.heappush(self.heap, (t, self.order, kind, a, b, n))

    def _plan_shifts(self) -> None:
        sc = self.scenario
        known = {a.id for a in sc.center.all_agents()}
        tz = ZoneInfo(sc.center.timezone)
        scheduled: set[str] = set()
        days = int(-(-(self.end - self.start) // (24 * MS_PER_HOUR))) + 1
        for shift in sc.shifts:
            for agent in shift_agents(shift, known):
                scheduled.add(agent)
                # Day -1 too: a night shift that began yesterday is still on at 00:00.
                for d in range(-1, days):
                    day = sc.simulation.date + timedelta(days=d)
                    login, logout, breaks = shift_windows(shift, day, tz)
                    if logout <= self.start or login >= self.end:
                        continue
                    self._agent_at(max(login, self.start), agent, "login")
                    for s, e, state in breaks:
                        if e > self.start:
                            self._agent_at(max(s, self.start), agent, state)
                            self._agent_at(e, agent, "ready")
                    self._agent_at(logout, agent, "logout")
        for agent in sorted(known - scheduled):
            self._agent_at(self.start, agent, "login")

    def _agent_at(self, t: int, agent: str, what: str) -> None:
        self._push(t, _AGENT, agent, what)

    def _agent(self, t: int, agent: str, what: str) -> None:
        a = self.engine.agents[agent]
        if what == "login":
            if not a.logged_in:
                self._feed(inp.Login(agent), t)
            self._feed(inp.SetState(agent, "ready"), t)
        elif what == "logout":
            if a.logged_in:
                self._feed(inp.Logout(agent), t)
        elif what == "recover":
            # Back from a missed call, unless something else was asked for meanwhile.
            if a.logged_in and a.state == "not_ready" and a.reason == "rona":
                self._feed(inp.SetState(agent, "ready", "after_rona"), t)
        elif a.logged_in:
            self._feed(inp.SetState(agent, what, "scheduled"), t)

    def _feed(self, request: inp.Input, t: int) -> None:
        out = self.engine.handle(request, t)
        self.sink(out.events)
        if self.p_no_answer:
            for e in out.events:
                if type(e) is ev.AgentStateChanged and e.reason == "rona":
                    self._push(t + self.rona_recover_ms, _AGENT, e.agent_id, "recover")
        for c in out.commands:
            if type(c) is Ring:
                if self.p_no_answer and self.rng.random() < self.p_no_answer:
                    continue  # the agent lets it ring: the engine's no-answer timer fires
                call = self.engine.calls[c.call_id]
                self._push(t + self.ring_ms, _ANSWER, c.call_id, c.agent_id, call.offers)
            elif (
                type(c) is OfferCallback and self.p_callback and self.rng.random() < self.p_callback
            ):
                self._push(t, _ACCEPT, c.call_id)

    def _arrival(self, i: int, t: int) -> None:
        call_id = f"c{i}"
        qi = int(self.queue_idx[i])
        tier = self.tier_names[int(self.tier_idx[i])]
        self._feed(inp.NewCall(call_id, self.queue_names[qi], tier, f"1{i:010d}"), t)
        if self.patience is not None and call_id in self.engine.calls:
            self._push(t + int(self.patience[i]), _ABANDON, call_id, "", 1)

    def _happen(self, t: int, kind: int, a: str, b: str, n: int) -> None:
        calls = self.engine.calls
        if kind == _AGENT:
            self._agent(t, a, b)
            return
        call = calls.get(a)
        if call is None:
            return
        if kind == _ANSWER:
            if call.state == RINGING and call.agent == b and call.offers == n:
                self._feed(inp.Answer(a, b), t)
                index = int(a[1:])
                legs = self.legs[a] = self.legs.get(a, 0) + 1
                duration = int(self.service[index] if legs == 1 else self.second[index])
                held = int(self.hold_ms[index]) if legs == 1 else 0
                if held:
                    start = t + int(duration * self.hold_at[index])
                    self._push(start, _HOLD, a, "", legs)
                    self._push(start + held, _RESUME, a, "", legs)
                self._push(t + duration + held, _END, a, "", legs)
        elif kind == _END:
            if call.state not in (TALKING, HELD):
                return
            index = int(a[1:])
            target = self.transfer_to[int(self.queue_idx[index])]
            if n == 1 and target is not None and self.transfers[index]:
                self._feed(inp.Transfer(a, to_queue=target), t)
                if self.patience2 is not None and a in calls and calls[a].state == QUEUED:
                    self._push(t + int(self.patience2[index]), _ABANDON, a, "", 2)
            else:
                self._feed(inp.Complete(a), t)
                del self.legs[a]
        elif kind == _ABANDON:
            # n: the leg the caller is waiting for (1 first, 2 after a transfer)
            if call.state in (QUEUED, RINGING) and self.legs.get(a, 0) == n - 1:
                self._feed(inp.CallerHangup(a), t)
                self.legs.pop(a, None)
        elif kind == _HOLD:
            if call.state == TALKING and self.legs.get(a) == n:
                self._feed(inp.Hold(a), t)
        elif kind == _RESUME:
            if call.state == HELD and self.legs.get(a) == n:
                self._feed(inp.Resume(a), t)
        elif kind == _ACCEPT and call.state == QUEUED:
            self._feed(inp.AcceptCallback(a), t)

    def run(self, progress: Progress | None) -> SimResult:
        times = self.times
        n = len(times)
        i = 0
        heap = self.heap
        engine = self.engine
        tick = inp.Tick()
        span = max(self.end - self.start, 1)
        next_report = 0
        while True:
            ta = int(times[i]) if i < n else _NEVER
            th = heap[0][0] if heap else _NEVER
            tw = engine.next_wakeup()
            tw = _NEVER if tw is None else tw
            t = min(ta, th, tw)
            # After the horizon: no new arrivals; finish the calls and wrap-ups under way.
            if t == _NEVER or (t >= self.end and not engine.calls and tw == _NEVER):
                break
            if t >= self.end and th == t and tw > t and not engine.calls:
                heapq.heappop(heap)  # a shift change after the horizon: nothing left to serve
                continue
            if tw == t:
                self._feed(tick, t)
            elif th == t:
                _, _, kind, a, b, k = heapq.heappop(heap)
                self._happen(t, kind, a, b, k)
            else:
                self._arrival(i, t)
                i += 1
            if progress is not None and i >= next_report:
                next_report = i + 2000
                progress(min(1.0, (t - self.start) / span))
        if progress is not None:
            progress(1.0)
        return SimResult(self.scenario, self.log, self.start, self.end, n)


def simulate(
    scenario: Scenario,
    *,
    seed: int | None = None,
    hours: float | None = None,
    profile: list[Interval] | None = None,
    progress: Progress | None = None,
    sink: Sink | None = None,
) -> SimResult:
    """Run the scenario; ``seed`` and ``hours`` override the scenario's own.

    Events are collected in the result, or handed to ``sink`` batch by batch
    (for runs too long to keep every event in memory).
    """
    run = _Run(
        scenario,
        profile,
        scenario.simulation.seed if seed is None else seed,
        scenario.simulation.hours if hours is None else hours,
        sink,
    )
    return run.run(progress)
