"""The single pass over the event log that every KPI is read from.

One handler per event type, picked by ``type(event)`` from a dict; the handlers
touch plain dicts and a few slotted records, so a day of a large center (millions
of events) folds in seconds. What the pass leaves behind is raw: tallies per
(queue, slot), and per agent the time spent in each state plus counts of the
calls they handled. :mod:`helpline.metrics.kpis` turns that into KPIs.

Attribution (docs/events.md): a queue *segment* starts at ``CallQueued`` with
reason ``arrival`` or ``transfer`` and belongs to that queue and to the slot it
started in, whatever happens next (overflow, requeue after a no-answer). A
``consult`` queueing is an agent looking for help while the caller is on hold
with them: the caller is not waiting anew, so it opens no segment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..core import events as ev
from ..core.center import Center, QueueConfig
from .intervals import Grid
from .tally import Tally

HANDLING = frozenset({"on_call", "wrap_up"})
IDLE = frozenset({"ready", "reserved"})  # staffed but not handling
_FAR_PAST = -(2**62)
_DEFAULT_QUEUE = QueueConfig(name="?")

# A segment is a list for speed: [queue, start_ts, tally | None, sl_ms, short_ms, overflowed]
Segment = list[Any]


class Handling:
    """One agent's work on one call: from answer to the end of wrap-up."""

    __slots__ = ("answered", "call_id", "held_since", "hold_ms", "queue", "talk_end", "tally")

    def __init__(self, call_id: str, queue: str, tally: Tally | None, answered: int) -> None:
        self.call_id = call_id
        self.queue = queue
        self.tally = tally
        self.answered = answered
        self.talk_end: int | None = None
        self.hold_ms = 0
        self.held_since: int | None = None


class AgentRt:
    """An agent's place on their state timeline, and what they did in the report window."""

    __slots__ = (
        "answered", "handle_ms", "handled", "handling", "hold_ms", "id", "idle_ms", "queue",
        "rejected", "rona", "since", "state", "state_ms", "talk_ms", "transfers", "wrap_ms",
    )  # fmt: skip

    def __init__(self, agent_id: str) -> None:
        self.id = agent_id
        self.state = "offline"
        self.since = _FAR_PAST
        self.queue = ""  # the queue whose call the agent is handling
        self.handling: Handling | None = None
        self.state_ms: dict[str, int] = {}
        self.handle_ms: dict[tuple[str, int], int] = {}  # (queue, slot): on a call or wrapping up
        self.idle_ms: dict[int, int] = {}  # slot: ready or ringing
        self.answered = 0
        self.handled = 0
        self.talk_ms = 0
        self.hold_ms = 0
        self.wrap_ms = 0
        self.transfers = 0
        self.rona = 0
        self.rejected = 0


class Fold:
    """Run it, then read ``tallies``, ``agents``, ``handle_ms``, ``idle_ms``."""

    def __init__(self, center: Center, grid: Grid, start_ms: int | None = None) -> None:
        self.grid = grid
        self.length = grid.length_ms
        self.off = grid.offset_ms
        self.start = _FAR_PAST if start_ms is None else start_ms
        self.limits: dict[str, tuple[int, int]] = {
            q.name: (round(q.sl_target.seconds * 1000), round(q.short_abandon_s * 1000))
            for q in center.queues
        }
        self.default_limits = (
            round(_DEFAULT_QUEUE.sl_target.seconds * 1000),
            round(_DEFAULT_QUEUE.short_abandon_s * 1000),
        )
        self.tallies: dict[tuple[str, int], Tally] = {}
        self.segments: dict[str, Segment] = {}
        self.consulting: set[str] = set()
        self.agents: dict[str, AgentRt] = {}
        self.handle_ms: dict[tuple[str, str, int], int] = {}  # (agent, queue, slot), after run
        self.idle_ms: dict[tuple[str, int], int] = {}  # (agent, slot), after run
        self.first_ts: int | None = None
        self.last_ts: int | None = None
        self.dispatch: dict[type, Callable[[Any], None]] = {
            ev.CallQueued: self._queued, ev.CallOffered: self._offered,
            ev.OfferRejected: self._rejected, ev.CallAnswered: self._answered,
            ev.CallHeld: self._held, ev.CallResumed: self._resumed,
            ev.CallTransferred: self._transferred, ev.CallAbandoned: self._abandoned,
            ev.CallEnded: self._ended, ev.WrapUpEnded: self._wrap_ended,
            ev.CallbackRequested: self._callback, ev.AgentLoggedIn: self._logged_in,
            ev.AgentStateChanged: self._state, ev.AgentLoggedOut: self._logged_out,
        }  # fmt: skip

    # --- driving -------------------------------------------------------------------

    def run(self, events: Iterable[ev.Event], end_ms: int | None = None) -> int:
        """Fold every event up to ``end_ms`` (inclusive); return the end of the horizon."""
        get = self.dispatch.get
        stop = 2**62 if end_ms is None else end_ms
        last: int | None = None
        it = iter(events)
        for e in it:
            if e.ts <= stop:
                self.first_ts = last = e.ts
                handler = get(type(e))
                if handler is not None:
                    handler(e)
            break
        for e in it:
            ts = e.ts
            if ts > stop:
                break
            last = ts
            handler = get(type(e))
            if handler is not None:
                handler(e)
        self.last_ts = last
        if end_ms is not None:
            end = end_ms
        elif last is not None:
            end = last
        else:
            end = 0 if self.start == _FAR_PAST else self.start  # nothing happened
        self._close(end)
        return end

    def _close(self, end: int) -> None:
        # Whatever is still going on at the end of the horizon is cut there.
        for a in self.agents.values():
            self._span(a, end)
            for (queue, k), ms in a.handle_ms.items():
                self.handle_ms[(a.id, queue, k)] = ms
            for k, ms in a.idle_ms.items():
                self.idle_ms[(a.id, k)] = ms
        for seg in self.segments.values():
            t = seg[2]
            if t is not None:
                t.waiting_at_end += 1
                t.note_wait(end - seg[1])

    # --- helpers -------------------------------------------------------------------

    def _tally(self, queue: str, ts: int) -> Tally | None:
        if ts < self.start:
            return None  # the segment belongs to an earlier report
        key = (queue, (ts + self.off) // self.length)
        t = self.tallies.get(key)
        if t is None:
            t = self.tallies[key] = Tally()
        return t

    def _agent(self, agent_id: str) -> AgentRt:
        a = self.agents.get(agent_id)
        if a is None:
            a = self.agents[agent_id] = AgentRt(agent_id)
        return a

    def _span(self, a: AgentRt, ts: int) -> None:
        """Book the time since the agent's last change to their current state."""
        t0 = a.since
        a.since = ts
        if t0 < self.start:
            t0 = self.start
        state = a.state
        if ts <= t0 or state == "offline":
            return
        booked = a.state_ms
        booked[state] = booked.get(state, 0) + ts - t0
        if state in HANDLING:
            book: dict[Any, int] = a.handle_ms
            queue: str | None = a.queue
        elif state in IDLE:
            book = a.idle_ms
            queue = None
        else:
            return
        length, off = self.length, self.off
        k = (t0 + off) // length
        if (ts - 1 + off) // length == k:  # nearly always: one slot
            key = k if queue is None else (queue, k)
            book[key] = book.get(key, 0) + ts - t0
            return
        for k, ms in self.grid.split(t0, ts):
            key = k if queue is None else (queue, k)
            book[key] = book.get(key, 0) + ms

    def _enter(self, a: AgentRt, state: str, ts: int) -> None:
        self._span(a, ts)
        a.state = state

    def _open(self, call_id: str, queue: str, ts: int) -> None:
        sl_ms, short_ms = self.limits.get(queue, self.default_limits)
        t = self._tally(queue, ts)
        if t is not None:
            t.offered += 1
        self.segments[call_id] = [queue, ts, t, sl_ms, short_ms, False]

    def _end_talk(self, a: AgentRt, ts: int) -> Handling | None:
        h = a.handling
        if h is None or h.talk_end is not None:
            return None
        if h.held_since is not None:
            h.hold_ms += ts - h.held_since
            h.held_since = None
        h.talk_end = ts
        self._enter(a, "wrap_up", ts)
        return h

    def _finish(self, a: AgentRt, ts: int) -> None:
        """Wrap-up is over: the handled segment is complete and counts."""
        self._end_talk(a, ts)
        h = a.handling
        if h is None or h.talk_end is None:
            return
        a.handling = None
        talk = h.talk_end - h.answered - h.hold_ms
        wrap = ts - h.talk_end
        t = h.tally
        if t is not None:
            t.handled += 1
            t.talk_ms += talk
            t.hold_ms += h.hold_ms
            t.wrap_ms += wrap
        if h.answered >= self.start:
            a.handled += 1
            a.talk_ms += talk
            a.hold_ms += h.hold_ms
            a.wrap_ms += wrap

    # --- calls ---------------------------------------------------------------------

    def _queued(self, e: ev.CallQueued) -> None:
        reason = e.reason
        call_id = e.call_id
        if reason == "arrival" or reason == "transfer":
            self._open(call_id, e.queue, e.ts)
        elif reason == "consult" or reason == "consult_agent":
            self.consulting.add(call_id)
        elif call_id in self.consulting:
            return  # a consult target did not answer: still the same consult
        elif reason == "overflow":
            seg = self.segments.get(call_id)
            if seg is None:
                self._open(call_id, e.queue, e.ts)
                return
            t = seg[2]
            if t is not None and not seg[5]:
                t.overflowed_out += 1
            seg[5] = True
            t_in = self._tally(e.queue, e.ts)
            if t_in is not None:
                t_in.overflowed_in += 1
        elif call_id not in self.segments:
            # Waiting again with no wait open: a direct transfer to an agent who
            # did not answer. The caller waits anew, so it is a new segment.
            self._open(call_id, e.queue, e.ts)

    def _offered(self, e: ev.CallOffered) -> None:
        self._enter(self._agent(e.agent_id), "reserved", e.ts)

    def _rejected(self, e: ev.OfferRejected) -> None:
        if e.ts < self.start:
            return
        a = self._agent(e.agent_id)
        if e.reason == "no_answer":
            a.rona += 1
        else:
            a.rejected += 1

    def _answered(self, e: ev.CallAnswered) -> None:
        ts = e.ts
        call_id = e.call_id
        seg = self.segments.pop(call_id, None)
        self.consulting.discard(call_id)
        if seg is not None:
            queue: str = seg[0]
            t: Tally | None = seg[2]
            if t is not None:
                w = e.wait_ms
                t.answered += 1
                t.wait_answered_ms += w
                t.waits.append(w)
                t.note_wait(w)
                if w <= seg[3]:
                    t.answered_in_sl += 1
        else:
            # The target of a consult or of a direct transfer: work for the agent,
            # not a new answered segment (the caller was already answered).
            queue = e.queue
            t = self._tally(queue, ts)
        a = self._agent(e.agent_id)
        self._span(a, ts)
        a.state = "on_call"
        a.queue = queue
        a.handling = Handling(call_id, queue, t, ts)
        if ts >= self.start:
            a.answered += 1

    def _held(self, e: ev.CallHeld) -> None:
        a = self.agents.get(e.agent_id)
        h = a.handling if a is not None else None
        if h is not None and h.held_since is None and h.talk_end is None:
            h.held_since = e.ts

    def _resumed(self, e: ev.CallResumed) -> None:
        self.consulting.discard(e.call_id)
        a = self.agents.get(e.agent_id)
        h = a.handling if a is not None else None
        if h is not None and h.held_since is not None:
            h.hold_ms += e.ts - h.held_since
            h.held_since = None

    def _transferred(self, e: ev.CallTransferred) -> None:
        a = self.agents.get(e.from_agent)
        if a is None:
            return
        h = self._end_talk(a, e.ts)
        if h is None:
            return
        if h.tally is not None:
            h.tally.transfers += 1
        if h.answered >= self.start:
            a.transfers += 1

    def _abandoned(self, e: ev.CallAbandoned) -> None:
        seg = self.segments.pop(e.call_id, None)
        if seg is not None:
            self._abandon(seg, e.wait_ms)

    def _abandon(self, seg: Segment, wait_ms: int) -> None:
        t: Tally | None = seg[2]
        if t is None:
            return
        t.abandoned += 1
        if wait_ms < seg[4]:
            t.short_abandoned += 1
        t.waits.append(wait_ms)
        t.note_wait(wait_ms)

    def _ended(self, e: ev.CallEnded) -> None:
        call_id = e.call_id
        self.consulting.discard(call_id)
        seg = self.segments.pop(call_id, None)
        if seg is not None:
            t: Tally | None = seg[2]
            reason = e.reason
            wait = e.ts - seg[1]
            if reason == "abandoned":
                self._abandon(seg, wait)  # no CallAbandoned came first
            elif t is not None:
                if reason == "max_wait":
                    t.timed_out += 1
                elif reason == "callback":
                    t.callback_chosen += 1
                else:
                    t.ended_other += 1
                t.note_wait(wait)
        if e.agent_id is not None:
            a = self.agents.get(e.agent_id)
            if a is not None and a.handling is not None and a.handling.call_id == call_id:
                self._end_talk(a, e.ts)

    def _callback(self, e: ev.CallbackRequested) -> None:
        seg = self.segments.get(e.call_id)
        if seg is not None:
            t = seg[2]
        elif e.queue is not None:
            t = self._tally(e.queue, e.ts)
        else:
            t = None
        if t is not None:
            t.callbacks += 1

    def _wrap_ended(self, e: ev.WrapUpEnded) -> None:
        a = self._agent(e.agent_id)
        self._finish(a, e.ts)
        self._enter(a, "ready", e.ts)

    # --- agents --------------------------------------------------------------------

    def _logged_in(self, e: ev.AgentLoggedIn) -> None:
        self._enter(self._agent(e.agent_id), "not_ready", e.ts)

    def _state(self, e: ev.AgentStateChanged) -> None:
        a = self._agent(e.agent_id)
        if a.handling is not None:
            self._finish(a, e.ts)  # a log without WrapUpEnded: the new state ends the work
        self._enter(a, e.state, e.ts)

    def _logged_out(self, e: ev.AgentLoggedOut) -> None:
        a = self._agent(e.agent_id)
        if a.handling is not None:
            self._finish(a, e.ts)
        self._enter(a, "offline", e.ts)
