"""The ACD engine: skills-based routing as a pure, event-sourced state machine.

``handle(input, now)`` validates the request, decides what happens, and emits
events; each emitted event goes through ``apply``, the only code that changes
state. Replaying a log through ``apply`` therefore rebuilds the live state,
timers included (they are derived from the events that start them).

Routing in one paragraph: a queued call waits in its queue ordered by
``(band, effective_start, arrival_number)``. The effective start is the moment
it began waiting minus ``priority x aging_s``: a VIP two levels up is served as
if it had waited ``2 x aging_s`` longer. Priority thus ages — a standard caller
who has waited long enough goes ahead of a newly arrived VIP — and FIFO holds
within equal priority. A call put back after a no-answer goes to band 0, the
head of the queue. The invariant that makes routing cheap: a call never waits
in a queue while an agent able to take it is ready, so a new call only looks
at ready agents, and an agent who becomes ready only looks at queue heads.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sortedcontainers import SortedList

from ..core import events as ev
from ..core.center import Center, eligible
from ..core.errors import InputError, Problem
from ..core.states import REQUESTABLE, STAFFED, AgentState
from . import inputs as inp
from .commands import Command, ConsultFailed, Disconnect, OfferCallback, Ring, StopRinging
from .pools import Pool, make_pool
from .state import ARRIVED, CONSULTING, HELD, QUEUED, RINGING, TALKING, Agent, Call

# Timer kinds, in the order they fire when due at the same millisecond.
_RONA, _WRAP, _OVERFLOW, _MAX_WAIT, _EXPAND = range(5)

_NEW_SEGMENT = frozenset({"arrival", "transfer", "consult", "consult_agent"})
_BUSY = frozenset({AgentState.RESERVED, AgentState.ON_CALL, AgentState.WRAP_UP})


@dataclass(slots=True)
class Output:
    events: list[ev.Event]
    commands: list[Command]


class QueueRt:
    """A queue's run-time state: waiting calls and ready agents."""

    __slots__ = (
        "aht_ms", "callback_ms", "expansion", "max_wait_ms", "name", "overflow", "overflow_ms",
        "pool", "priority", "staffed", "waiting", "wrap_ms",
    )  # fmt: skip

    def __init__(self, cfg: Any, pool: Pool) -> None:
        self.name: str = cfg.name
        self.priority: int = cfg.priority
        self.wrap_ms = round(cfg.wrap_up_s * 1000)
        self.max_wait_ms = None if cfg.max_wait_s is None else round(cfg.max_wait_s * 1000)
        self.overflow: str | None = cfg.overflow.queue if cfg.overflow else None
        self.overflow_ms = round(cfg.overflow.after_s * 1000) if cfg.overflow else 0
        self.callback_ms = (
            None if cfg.callback_offer_ewt_s is None else cfg.callback_offer_ewt_s * 1000
        )
        self.expansion: list[tuple[int, int]] = [
            (round(s.after_s * 1000), s.min_proficiency) for s in cfg.expansion
        ]
        self.aht_ms: float = cfg.aht_s * 1000 + self.wrap_ms
        self.waiting: SortedList = SortedList()
        self.pool = pool
        self.staffed = 0

    def min_proficiency(self, waited_ms: int) -> int:
        """Lowest proficiency allowed after this wait; the first step's until it is reached."""
        if not self.expansion:
            return 0
        level = self.expansion[0][1]
        for after, prof in self.expansion:
            if waited_ms < after:
                break
            level = prof
        return level


def _reject(path: str, message: str, value: Any) -> InputError:
    return InputError("request", [Problem(path, message, value)])


class Engine:
    def __init__(self, center: Center) -> None:
        self.center = center
        self.tiers = center.tier_priority()
        self.aging_ms = round(center.routing.aging_s * 1000)
        self.rona_ms = round(center.routing.rona_s * 1000)
        self.agents: dict[str, Agent] = {}
        self.queues: dict[str, QueueRt] = {}
        self.calls: dict[str, Call] = {}
        self.timers: list[tuple[int, int, str, Any]] = []
        self.arrivals = 0
        self.ended = 0
        self._out: list[ev.Event] = []
        self._cmds: list[Command] = []
        self._build()
        self._handlers: dict[type, Callable[[Any, int], None]] = {
            inp.NewCall: self._new_call, inp.Route: self._route, inp.Login: self._login,
            inp.Logout: self._logout, inp.SetState: self._set_state, inp.Answer: self._answer,
            inp.NoAnswer: self._no_answer, inp.CallerHangup: self._caller_hangup,
            inp.Complete: self._complete, inp.Hold: self._hold, inp.Resume: self._resume,
            inp.Transfer: self._transfer, inp.AcceptCallback: self._accept_callback,
            inp.Tick: self._tick,
        }  # fmt: skip
        self._appliers: dict[type, Callable[[Any], None]] = {
            ev.CallArrived: self._a_arrived, ev.CallQueued: self._a_queued,
            ev.CallOffered: self._a_offered, ev.OfferRejected: self._a_rejected,
            ev.CallAnswered: self._a_answered, ev.CallHeld: self._a_held,
            ev.CallResumed: self._a_resumed, ev.CallTransferred: self._a_transferred,
            ev.CallEnded: self._a_ended, ev.WrapUpEnded: self._a_wrap_ended,
            ev.AgentLoggedIn: self._a_logged_in, ev.AgentStateChanged: self._a_state,
            ev.AgentStatePending: self._a_pending, ev.AgentLoggedOut: self._a_logged_out,
        }  # fmt: skip

    def _build(self) -> None:
        configs = self.center.all_agents()
        members: dict[str, list[str]] = {q.name: [] for q in self.center.queues}
        for a in configs:
            for q in self.center.queues:
                if eligible(a, q):
                    members[q.name].append(a.id)
        for a in configs:
            prof: dict[str, int] = {}
            index: dict[str, int] = {}
            for q in self.center.queues:
                if eligible(a, q):
                    levels = [a.skills[s] for s in q.skills]
                    prof[q.name] = min(levels) if levels else 10
                    index[q.name] = members[q.name].index(a.id)
            self.agents[a.id] = Agent(
                id=a.id, team=a.team, prof=prof, queues=tuple(prof), member_index=index,
                supervisor=a.supervisor,
            )  # fmt: skip
        for q in self.center.queues:
            self.queues[q.name] = QueueRt(q, make_pool(q.name, q.strategy, self.agents))

    # --- public API --------------------------------------------------------------

    def handle(self, request: inp.Input, now: int) -> Output:
        """Decide what ``request`` leads to at ``now``; state changes only through events."""
        self._out = []
        self._cmds = []
        handler = self._handlers.get(type(request))
        if handler is None:
            raise _reject("type", "unknown request", type(request).__name__)
        handler(request, now)
        return Output(self._out, self._cmds)

    def apply(self, event: ev.Event) -> None:
        fn = self._appliers.get(type(event))
        if fn is not None:
            fn(event)

    @classmethod
    def replay(cls, center: Center, events: Iterable[ev.Event]) -> Engine:
        engine = cls(center)
        for e in events:
            engine.apply(e)
        return engine

    def next_wakeup(self) -> int | None:
        timers = self.timers
        while timers and not self._timer_live(timers[0]):
            heapq.heappop(timers)
        return timers[0][0] if timers else None

    def position(self, call_id: str) -> int | None:
        call = self.calls.get(call_id)
        if call is None or call.key is None or call.queue is None:
            return None
        index: int = self.queues[call.queue].waiting.index((call.key, call_id))
        return index + 1

    def ewt_s(self, call_id: str) -> float | None:
        pos = self.position(call_id)
        call = self.calls.get(call_id)
        if pos is None or call is None or call.queue is None:
            return None
        return self._ewt_ms(self.queues[call.queue], pos) / 1000

    def snapshot(self) -> dict[str, Any]:
        """Canonical, JSON-ready state: equal for a live engine and its replay."""
        return {
            "calls": {
                c.id: {
                    "state": c.state, "queue": c.queue, "agent": c.agent, "tier": c.tier,
                    "arrived": c.arrived, "wait_start": c.seg_start,
                    "consult_from": c.consult_from, "position": self.position(c.id),
                }
                for c in self.calls.values()
            },
            "agents": {
                a.id: {
                    "state": str(a.state), "reason": a.reason, "call": a.call,
                    "logged_in": a.logged_in, "pending": list(a.pending) if a.pending else None,
                    "calls": a.calls, "talk_ms": a.talk_ms,
                }
                for a in self.agents.values()
            },
            "queues": {
                q.name: {"waiting": [cid for _, cid in q.waiting], "staffed": q.staffed}
                for q in self.queues.values()
            },
            "arrivals": self.arrivals,
            "ended": self.ended,
        }  # fmt: skip

    # --- helpers -------------------------------------------------------------------

    def _emit(self, event: ev.Event) -> None:
        fn = self._appliers.get(type(event))
        if fn is not None:
            fn(event)
        self._out.append(event)

    def _call(self, call_id: str, *states: str) -> Call:
        call = self.calls.get(call_id)
        if call is None:
            raise _reject("call_id", "no such active call", call_id)
        if states and call.state not in states:
            expected = " or ".join(states)
            raise _reject("call_id", f"call is {call.state}, expected {expected}", call_id)
        return call

    def _ringing(self, call_id: str, agent_id: str) -> Call:
        call = self._call(call_id, RINGING)
        if call.agent != agent_id:
            raise _reject("agent_id", f"call is ringing at {call.agent}, not this agent", agent_id)
        return call

    def _agent(self, agent_id: str, logged_in: bool = True) -> Agent:
        agent = self.agents.get(agent_id)
        if agent is None:
            raise _reject("agent_id", "no such agent in the center", agent_id)
        if logged_in and not agent.logged_in:
            raise _reject("agent_id", "agent is not logged in", agent_id)
        return agent

    def _queue(self, name: str, path: str = "queue") -> QueueRt:
        q = self.queues.get(name)
        if q is None:
            raise _reject(path, f"no such queue (queues: {', '.join(self.queues)})", name)
        return q

    def _key(self, call: Call, priority: int, seg_start: int, reason: str) -> tuple[int, int, int]:
        band = 0 if reason == "requeue" else 1
        return (band, seg_start - priority * self.aging_ms, call.number)

    def _ewt_ms(self, q: QueueRt, position: int) -> float:
        return position * q.aht_ms / max(q.staffed, 1)

    # --- decisions ---------------------------------------------------------------

    def _enqueue(self, call: Call, q: QueueRt, now: int, reason: str) -> None:
        priority = self.tiers.get(call.tier, 0) + q.priority
        seg_start = now if reason in _NEW_SEGMENT else call.seg_start
        key = self._key(call, priority, seg_start, reason)
        position = q.waiting.bisect_left((key, call.id)) + 1
        agent_id = self._available(call, q, now - seg_start)
        ewt = 0.0 if agent_id is not None else self._ewt_ms(q, position)
        self._emit(
            ev.CallQueued(
                ts=now, call_id=call.id, queue=q.name, priority=priority, position=position,
                ewt_s=round(ewt / 1000, 3), reason=reason,
            )
        )  # fmt: skip
        if agent_id is not None:
            self._offer(call, agent_id, q.name, now)
        elif reason == "arrival" and q.callback_ms is not None and ewt > q.callback_ms:
            self._cmds.append(OfferCallback(call.id, round(ewt / 1000, 3)))

    def _available(self, call: Call, q: QueueRt, waited_ms: int) -> str | None:
        """The agent the queue's strategy picks for this call now, if any is free."""
        min_prof = q.min_proficiency(waited_ms) if q.expansion else 0
        agent_id = q.pool.best(call, min_prof)
        return None if agent_id == call.consult_from else agent_id

    def _try_route(self, call: Call, q: QueueRt, now: int) -> bool:
        agent_id = self._available(call, q, now - call.seg_start)
        if agent_id is None:
            return False
        self._offer(call, agent_id, q.name, now)
        return True

    def _offer(self, call: Call, agent_id: str, queue: str, now: int) -> None:
        self._emit(ev.CallOffered(ts=now, call_id=call.id, agent_id=agent_id, queue=queue))
        self._cmds.append(Ring(call.id, agent_id))

    def _route_agent(self, agent: Agent, now: int) -> None:
        """A ready agent takes the call first in line, among the queues they serve."""
        best: tuple[tuple[int, int, int], str, QueueRt] | None = None
        for name in agent.queues:
            q = self.queues[name]
            for key, call_id in q.waiting:
                if best is not None and key >= best[0]:
                    break
                if self._may_take(agent, self.calls[call_id], q, now):
                    best = (key, call_id, q)
                    break
        if best is not None:
            self._offer(self.calls[best[1]], agent.id, best[2].name, now)

    def _may_take(self, agent: Agent, call: Call, q: QueueRt, now: int) -> bool:
        """Usually the head; with expansion, a caller further back may already fit this agent."""
        if call.consult_from == agent.id:
            return False
        return not q.expansion or agent.prof[q.name] >= q.min_proficiency(now - call.seg_start)

    def _become(self, agent: Agent, state: str, reason: str, now: int) -> None:
        if state == "offline":
            self._emit(ev.AgentLoggedOut(ts=now, agent_id=agent.id))
            return
        self._emit(ev.AgentStateChanged(ts=now, agent_id=agent.id, state=state, reason=reason))
        if agent.state is AgentState.READY:
            self._route_agent(agent, now)

    def _end_wrap(self, agent: Agent, now: int) -> None:
        call_id = agent.wrap_call or ""
        pending = agent.pending
        self._emit(ev.WrapUpEnded(ts=now, agent_id=agent.id, call_id=call_id))
        if pending is not None:
            self._become(agent, pending[0], pending[1], now)
        else:
            self._route_agent(agent, now)

    def _after_handling(self, agent: Agent, now: int) -> None:
        if agent.state is AgentState.WRAP_UP and agent.wrap_until == now:
            self._end_wrap(agent, now)

    def _release_ringing(self, agent_id: str, call_id: str, now: int) -> None:
        agent = self.agents[agent_id]
        self._cmds.append(StopRinging(call_id, agent_id))
        pending = agent.pending
        if pending is not None:
            self._become(agent, pending[0], pending[1], now)
        else:
            self._become(agent, "ready", "offer_withdrawn", now)

    def _rona(self, call: Call, reason: str, now: int) -> None:
        agent = self.agents[call.agent or ""]
        queue = call.queue or ""
        pending = agent.pending
        self._emit(
            ev.OfferRejected(ts=now, call_id=call.id, agent_id=agent.id, queue=queue, reason=reason)
        )
        self._cmds.append(StopRinging(call.id, agent.id))
        if pending is not None and pending[0] != "ready":
            self._become(agent, pending[0], pending[1], now)  # the logout or break asked for
        else:
            self._emit(
                ev.AgentStateChanged(ts=now, agent_id=agent.id, state="not_ready", reason="rona")
            )
        if call.consult_direct and call.consult_from is not None:
            # The named colleague did not pick up: the caller goes back to the first agent.
            self._emit(ev.CallResumed(ts=now, call_id=call.id, agent_id=call.consult_from))
            self._cmds.append(ConsultFailed(call.id, call.consult_from, agent.id))
            return
        self._enqueue(call, self.queues[queue], now, "requeue")

    # --- request handlers --------------------------------------------------------

    def _new_call(self, r: inp.NewCall, now: int) -> None:
        if r.call_id in self.calls:
            raise _reject("call_id", "a call with this id is already active", r.call_id)
        if r.tier not in self.tiers:
            raise _reject("tier", f"unknown tier (tiers: {', '.join(self.tiers)})", r.tier)
        q = self._queue(r.queue) if r.queue is not None else None
        self._emit(ev.CallArrived(ts=now, call_id=r.call_id, queue=r.queue, tier=r.tier, ani=r.ani))
        if q is not None:
            self._enqueue(self.calls[r.call_id], q, now, "arrival")

    def _route(self, r: inp.Route, now: int) -> None:
        call = self._call(r.call_id, ARRIVED)
        self._enqueue(call, self._queue(r.queue), now, "arrival")

    def _login(self, r: inp.Login, now: int) -> None:
        agent = self._agent(r.agent_id, logged_in=False)
        if agent.logged_in:
            raise _reject("agent_id", "agent is already logged in", r.agent_id)
        self._emit(ev.AgentLoggedIn(ts=now, agent_id=agent.id))

    def _logout(self, r: inp.Logout, now: int) -> None:
        agent = self._agent(r.agent_id)
        self._request_state(agent, "offline", "logout", now)

    def _set_state(self, r: inp.SetState, now: int) -> None:
        agent = self._agent(r.agent_id)
        if r.state not in REQUESTABLE:
            allowed = ", ".join(sorted(REQUESTABLE))
            raise _reject("state", f"not a state an agent can ask for ({allowed})", r.state)
        self._request_state(agent, r.state, r.reason, now)

    def _request_state(self, agent: Agent, state: str, reason: str, now: int) -> None:
        if agent.state in (AgentState.RESERVED, AgentState.ON_CALL):
            self._emit(ev.AgentStatePending(ts=now, agent_id=agent.id, state=state, reason=reason))
        elif agent.state is AgentState.WRAP_UP:
            # Asking for any state ends wrap-up early: the agent is done with the call.
            self._emit(ev.AgentStatePending(ts=now, agent_id=agent.id, state=state, reason=reason))
            self._end_wrap(agent, now)
        elif agent.state != state or (agent.reason != reason and state != "ready"):
            self._become(agent, state, reason, now)

    def _answer(self, r: inp.Answer, now: int) -> None:
        call = self._ringing(r.call_id, r.agent_id)
        queue = call.queue or ""
        holder = call.consult_from
        if holder is not None:
            self._emit(
                ev.CallTransferred(
                    ts=now, call_id=call.id, from_agent=holder, to_queue=call.queue,
                    to_agent=r.agent_id, mode="consult",
                )
            )  # fmt: skip
            self._after_handling(self.agents[holder], now)
        self._emit(
            ev.CallAnswered(
                ts=now, call_id=call.id, agent_id=r.agent_id, queue=queue,
                wait_ms=now - call.seg_start,
            )
        )  # fmt: skip

    def _no_answer(self, r: inp.NoAnswer, now: int) -> None:
        self._rona(self._ringing(r.call_id, r.agent_id), "rejected", now)

    def _caller_hangup(self, r: inp.CallerHangup, now: int) -> None:
        call = self._call(r.call_id)
        if call.state in (TALKING, HELD) or call.consult_from is not None:
            self._end_talk(call, now)
            return
        ringing_at = call.agent if call.state == RINGING else None
        wait = now - call.seg_start if call.state != ARRIVED else 0
        self._emit(ev.CallAbandoned(ts=now, call_id=call.id, queue=call.queue, wait_ms=wait))
        self._emit(ev.CallEnded(ts=now, call_id=call.id, queue=call.queue, reason="abandoned"))
        if ringing_at is not None:
            self._release_ringing(ringing_at, call.id, now)

    def _complete(self, r: inp.Complete, now: int) -> None:
        call = self._call(r.call_id, TALKING, HELD, CONSULTING, RINGING)
        if call.state == RINGING and call.consult_from is None:
            raise _reject("call_id", "call is ringing, not yet answered", r.call_id)
        self._end_talk(call, now)

    def _end_talk(self, call: Call, now: int) -> None:
        handler = call.consult_from or call.agent
        ringing_at = call.agent if call.state == RINGING else None
        self._emit(
            ev.CallEnded(
                ts=now, call_id=call.id, agent_id=handler, queue=call.queue, reason="completed"
            )
        )
        if ringing_at is not None:
            self._release_ringing(ringing_at, call.id, now)
        if handler is not None:
            self._after_handling(self.agents[handler], now)

    def _hold(self, r: inp.Hold, now: int) -> None:
        call = self._call(r.call_id, TALKING)
        self._emit(ev.CallHeld(ts=now, call_id=call.id, agent_id=call.agent or ""))

    def _resume(self, r: inp.Resume, now: int) -> None:
        call = self._call(r.call_id, HELD, CONSULTING, RINGING)
        if call.state == RINGING and call.consult_from is None:
            raise _reject("call_id", "call is ringing, not on hold", r.call_id)
        ringing_at = call.agent if call.state == RINGING else None
        holder = call.consult_from or call.agent or ""
        self._emit(ev.CallResumed(ts=now, call_id=call.id, agent_id=holder))
        if ringing_at is not None:
            self._release_ringing(ringing_at, call.id, now)

    def _transfer(self, r: inp.Transfer, now: int) -> None:
        call = self._call(r.call_id, TALKING, HELD)
        if (r.to_queue is None) == (r.to_agent is None):
            raise _reject("to_queue", "give exactly one of to_queue and to_agent", r.to_queue)
        if r.mode not in ("blind", "consult"):
            raise _reject("mode", "transfer mode is blind or consult", r.mode)
        target_q = self._queue(r.to_queue, "to_queue") if r.to_queue is not None else None
        target_a = None
        if r.to_agent is not None:
            target_a = self._agent(r.to_agent)
            if target_a.state is not AgentState.READY:
                raise _reject("to_agent", f"agent is {target_a.state}, not ready", r.to_agent)
        agent = self.agents[call.agent or ""]
        if r.mode == "blind":
            self._emit(
                ev.CallTransferred(
                    ts=now, call_id=call.id, from_agent=agent.id, to_queue=r.to_queue,
                    to_agent=r.to_agent, mode="blind",
                )
            )  # fmt: skip
            if target_q is not None:
                self._enqueue(call, target_q, now, "transfer")
            elif target_a is not None:
                self._offer(call, target_a.id, call.queue or "", now)
            self._after_handling(agent, now)
            return
        if call.state == TALKING:
            self._emit(ev.CallHeld(ts=now, call_id=call.id, agent_id=agent.id))
        if target_q is not None:
            self._enqueue(call, target_q, now, "consult")
        elif target_a is not None:
            home = call.queue or ""
            self._emit(
                ev.CallQueued(
                    ts=now, call_id=call.id, queue=home, reason="consult_agent", position=1
                )
            )
            self._offer(call, target_a.id, home, now)

    def _accept_callback(self, r: inp.AcceptCallback, now: int) -> None:
        call = self._call(r.call_id, QUEUED)
        number = r.number or call.ani
        self._emit(
            ev.CallbackRequested(
                ts=now, call_id=call.id, queue=call.queue, number=number, reason="caller_choice"
            )
        )
        self._emit(ev.CallEnded(ts=now, call_id=call.id, queue=call.queue, reason="callback"))

    def _tick(self, r: inp.Tick, now: int) -> None:
        timers = self.timers
        while timers and timers[0][0] <= now:
            entry = heapq.heappop(timers)
            if self._timer_live(entry):
                self._fire(entry, now)

    # --- timers ------------------------------------------------------------------

    def _timer_live(self, entry: tuple[int, int, str, Any]) -> bool:
        t, kind, subject, token = entry
        if kind == _WRAP:
            agent = self.agents[subject]
            return agent.state is AgentState.WRAP_UP and agent.wrap_until == t
        call = self.calls.get(subject)
        if call is None:
            return False
        if kind == _RONA:
            return call.state == RINGING and call.offers == token
        if call.state not in (QUEUED, CONSULTING) or call.key is None:
            return False
        started = call.enq_ts if kind == _OVERFLOW else call.seg_start
        return bool((call.queue, started) == token)

    def _fire(self, entry: tuple[int, int, str, Any], now: int) -> None:
        _, kind, subject, _ = entry
        if kind == _WRAP:
            self._end_wrap(self.agents[subject], now)
            return
        call = self.calls[subject]
        if kind == _RONA:
            self._rona(call, "no_answer", now)
            return
        q = self.queues[call.queue or ""]
        if kind == _OVERFLOW and q.overflow is not None:
            self._enqueue(call, self.queues[q.overflow], now, "overflow")
        elif kind == _MAX_WAIT:
            if q.callback_ms is not None:
                self._emit(
                    ev.CallbackRequested(
                        ts=now, call_id=call.id, queue=q.name, number=call.ani, reason="max_wait"
                    )
                )
            self._emit(ev.CallEnded(ts=now, call_id=call.id, queue=q.name, reason="max_wait"))
            self._cmds.append(Disconnect(call.id, "max_wait"))
        elif kind == _EXPAND and call.key is not None:
            # Callers ahead of it that the free agents could take would have been offered already.
            self._try_route(call, q, now)

    def _timer(self, t: int, kind: int, subject: str, token: Any) -> None:
        heapq.heappush(self.timers, (t, kind, subject, token))

    # --- state changes (apply) ---------------------------------------------------

    def _set_agent_state(self, agent: Agent, state: AgentState) -> None:
        staffed = state in STAFFED and agent.logged_in
        if staffed != agent.staffed:
            delta = 1 if staffed else -1
            for name in agent.queues:
                self.queues[name].staffed += delta
            agent.staffed = staffed
        agent.state = state

    def _make_ready(self, agent: Agent, ts: int) -> None:
        self._set_agent_state(agent, AgentState.READY)
        agent.version += 1
        agent.idle_since = ts
        for name in agent.queues:
            self.queues[name].pool.add(agent)

    def _start_wrap(self, agent: Agent, call: Call, ts: int) -> None:
        agent.talk_ms += ts - call.answered_at
        agent.call = None
        agent.wrap_call = call.id
        q = self.queues.get(call.consult_home or call.queue or "")
        wrap_ms = q.wrap_ms if q is not None else 0
        agent.wrap_until = ts + wrap_ms
        self._set_agent_state(agent, AgentState.WRAP_UP)
        if q is not None:
            q.aht_ms += 0.05 * ((ts - call.answered_at + wrap_ms) - q.aht_ms)
        if wrap_ms > 0:
            self._timer(ts + wrap_ms, _WRAP, agent.id, None)

    def _unqueue(self, call: Call) -> None:
        if call.key is not None and call.queue is not None:
            self.queues[call.queue].waiting.remove((call.key, call.id))
            call.key = None

    def _a_arrived(self, e: ev.CallArrived) -> None:
        self.arrivals += 1
        self.calls[e.call_id] = Call(
            id=e.call_id, tier=e.tier, ani=e.ani, arrived=e.ts, number=self.arrivals
        )

    def _a_queued(self, e: ev.CallQueued) -> None:
        call = self.calls[e.call_id]
        self._unqueue(call)
        q = self.queues[e.queue]
        if e.reason in ("consult", "consult_agent"):
            if call.consult_from is None:
                call.consult_from = call.agent
                call.consult_home = call.queue
            call.consult_direct = e.reason == "consult_agent"
            call.agent = None
        if e.reason in _NEW_SEGMENT:
            call.seg_start = e.ts
        call.queue = q.name
        call.priority = e.priority
        if e.reason != "requeue":  # a requeue keeps its overflow clock running
            call.enq_ts = e.ts
        call.key = self._key(call, e.priority, call.seg_start, e.reason)
        call.state = CONSULTING if call.consult_from is not None else QUEUED
        q.waiting.add((call.key, call.id))
        self._arm(call, q, e.ts)

    def _arm(self, call: Call, q: QueueRt, now: int) -> None:
        """Timers of a queued call. After a requeue they are set again with the same tokens
        (a timer that came due while the call was ringing was dropped then); one already due
        fires at ``now``, and a duplicate of a live one is harmless."""
        token = (q.name, call.seg_start)
        for after, _ in q.expansion:
            if call.seg_start + after > now:
                self._timer(call.seg_start + after, _EXPAND, call.id, token)
        if call.consult_from is not None:
            return  # the caller is on hold with an agent: no overflow or maximum wait
        if q.overflow is not None:
            due = max(call.enq_ts + q.overflow_ms, now)
            self._timer(due, _OVERFLOW, call.id, (q.name, call.enq_ts))
        if q.max_wait_ms is not None:
            self._timer(max(call.seg_start + q.max_wait_ms, now), _MAX_WAIT, call.id, token)

    def _a_offered(self, e: ev.CallOffered) -> None:
        call = self.calls[e.call_id]
        self._unqueue(call)
        call.state = RINGING
        call.agent = e.agent_id
        call.offers += 1
        agent = self.agents[e.agent_id]
        agent.call = call.id
        self._set_agent_state(agent, AgentState.RESERVED)
        q = self.queues.get(e.queue)
        if q is not None and e.queue in agent.member_index:
            q.pool.offered(agent)
        self._timer(e.ts + self.rona_ms, _RONA, call.id, call.offers)

    def _a_rejected(self, e: ev.OfferRejected) -> None:
        call = self.calls[e.call_id]
        call.agent = None
        call.state = QUEUED
        self.agents[e.agent_id].call = None

    def _a_answered(self, e: ev.CallAnswered) -> None:
        call = self.calls[e.call_id]
        call.state = TALKING
        call.agent = e.agent_id
        call.answered_at = e.ts
        call.consult_from = None
        call.consult_home = None
        call.consult_direct = False
        agent = self.agents[e.agent_id]
        agent.call = call.id
        agent.calls += 1
        self._set_agent_state(agent, AgentState.ON_CALL)

    def _a_held(self, e: ev.CallHeld) -> None:
        self.calls[e.call_id].state = HELD

    def _a_resumed(self, e: ev.CallResumed) -> None:
        call = self.calls[e.call_id]
        if call.consult_from is not None:
            self._unqueue(call)
            call.queue = call.consult_home
            call.agent = call.consult_from
            call.consult_from = None
            call.consult_home = None
            call.consult_direct = False
        call.state = TALKING

    def _a_transferred(self, e: ev.CallTransferred) -> None:
        call = self.calls[e.call_id]
        self._start_wrap(self.agents[e.from_agent], call, e.ts)
        if e.mode == "blind":
            call.agent = None
            call.state = ARRIVED
            call.seg_start = e.ts
            call.enq_ts = e.ts
        else:
            call.consult_from = None

    def _a_ended(self, e: ev.CallEnded) -> None:
        call = self.calls.pop(e.call_id)
        self.ended += 1
        self._unqueue(call)
        if call.state == RINGING and call.agent is not None:
            self.agents[call.agent].call = None
        handler = call.consult_from or (call.agent if call.state in (TALKING, HELD) else None)
        if handler is not None:
            self._start_wrap(self.agents[handler], call, e.ts)

    def _a_wrap_ended(self, e: ev.WrapUpEnded) -> None:
        agent = self.agents[e.agent_id]
        agent.wrap_until = None
        agent.wrap_call = None
        self._make_ready(agent, e.ts)

    def _a_logged_in(self, e: ev.AgentLoggedIn) -> None:
        agent = self.agents[e.agent_id]
        agent.logged_in = True
        agent.reason = "login"
        self._set_agent_state(agent, AgentState.NOT_READY)

    def _a_state(self, e: ev.AgentStateChanged) -> None:
        agent = self.agents[e.agent_id]
        agent.pending = None
        agent.reason = e.reason
        agent.call = None
        if e.state == AgentState.READY:
            self._make_ready(agent, e.ts)
        else:
            self._set_agent_state(agent, AgentState(e.state))

    def _a_pending(self, e: ev.AgentStatePending) -> None:
        self.agents[e.agent_id].pending = (e.state, e.reason)

    def _a_logged_out(self, e: ev.AgentLoggedOut) -> None:
        agent = self.agents[e.agent_id]
        agent.pending = None
        agent.reason = "logout"
        agent.call = None
        self._set_agent_state(agent, AgentState.OFFLINE)
        agent.logged_in = False
