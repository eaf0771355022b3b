"""Properties of the ACD under random traffic and random agent behaviour.

Hypothesis drives the engine with arbitrary sequences of arrivals, answers,
no-answers, hang-ups, holds, transfers, callbacks, state changes and time
passing. After every step we check what a floor supervisor would never accept:
a call connected to two agents, an agent with two calls, a call lost or ended
twice, a caller overtaken by a later or lower-priority caller, an agent left
idle while a call they could take waits — and that replaying the log rebuilds
the same state.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpline.core import events as ev
from helpline.core.center import parse_center
from helpline.core.states import AgentState
from helpline.engine import inputs as inp
from helpline.engine.acd import Engine
from helpline.engine.state import HELD, QUEUED, RINGING, TALKING

CENTER = parse_center(
    {
        "tiers": [{"name": "standard"}, {"name": "gold", "priority": 1},
                  {"name": "vip", "priority": 3}],
        "routing": {"aging_s": 10, "rona_s": 8},
        "queues": [
            {"name": "q1", "skills": {"a": 1}},
            {"name": "q2", "skills": {"b": 1}, "overflow": {"queue": "q1", "after_s": 20},
             "max_wait_s": 90, "strategy": "fewest_calls"},
            {"name": "q3", "skills": {"c": 1}, "wrap_up_s": 5, "callback_offer_ewt_s": 1,
             "strategy": "rrmemory"},
            {"name": "q4", "skills": {"c": 1}, "strategy": "skill_level_first",
             "overflow": {"queue": "q3", "after_s": 50}, "max_wait_s": 70,
             "expansion": [{"after_s": 0, "min_proficiency": 8},
                           {"after_s": 15, "min_proficiency": 5},
                           {"after_s": 40, "min_proficiency": 1}]},
        ],
        "agents": [
            {"id": "A", "skills": {"a": 5}},
            {"id": "B", "skills": {"a": 3, "b": 5}},
            {"id": "C", "skills": {"b": 2, "c": 7}},
            {"id": "D", "skills": {"a": 1, "b": 1, "c": 1}},
            {"id": "S", "skills": {"c": 9}, "supervisor": True},
        ],
    }
)  # fmt: skip
AGING_MS = 10_000
QUEUES = ["q1", "q2", "q3", "q4"]
TIERS = {"standard": 0, "gold": 1, "vip": 3}
STATES = ["ready", "break", "meal", "not_ready", "ready", "ready"]

Step = tuple[int, int, int]  # (action, choice, milliseconds to advance)


class Shadow:
    """An independent fold of the log: who waits where, in which order."""

    def __init__(self) -> None:
        self.waiting: dict[str, dict[str, tuple[int, int, int]]] = {q: {} for q in QUEUES}
        self.where: dict[str, str] = {}
        self.seg_start: dict[str, int] = {}
        self.number: dict[str, int] = {}
        self.ended: Counter[str] = Counter()
        self.arrived: set[str] = set()

    def remove(self, call_id: str) -> None:
        q = self.where.pop(call_id, None)
        if q is not None:
            del self.waiting[q][call_id]

    def fold(self, e: ev.Event, engine: Engine) -> None:
        if isinstance(e, ev.CallArrived):
            self.arrived.add(e.call_id)
            self.number[e.call_id] = len(self.number) + 1
        elif isinstance(e, ev.CallQueued):
            self.remove(e.call_id)
            if e.reason in ("arrival", "transfer", "consult"):
                self.seg_start[e.call_id] = e.ts
            band = 0 if e.reason == "requeue" else 1
            start = self.seg_start[e.call_id] - e.priority * AGING_MS
            self.waiting[e.queue][e.call_id] = (band, start, self.number[e.call_id])
            self.where[e.call_id] = e.queue
        elif isinstance(e, ev.CallOffered):
            self.check_order(e, engine)
            self.remove(e.call_id)
        elif isinstance(e, ev.CallResumed | ev.CallEnded):
            self.remove(e.call_id)
        if isinstance(e, ev.CallEnded):
            self.ended[e.call_id] += 1

    def check_order(self, e: ev.CallOffered, engine: Engine) -> None:
        """Nobody waiting for this agent had a better place in line than the call offered."""
        key = self.waiting.get(e.queue, {}).get(e.call_id)
        if key is None:
            return  # a direct transfer to a named agent
        agent = engine.agents[e.agent_id]
        for q in agent.queues:
            rt = engine.queues[q]
            for other, other_key in self.waiting[q].items():
                fits = agent.prof[q] >= rt.min_proficiency(e.ts - self.seg_start[other])
                assert (
                    other == e.call_id
                    or other_key > key
                    or not fits  # an expanding queue does not offer it to this agent yet
                    or _consulting_with(engine, other, e.agent_id)
                ), f"{e.call_id} {key} offered to {e.agent_id} ahead of {other} {other_key}"


def _consulting_with(engine: Engine, call_id: str, agent_id: str) -> bool:
    call = engine.calls.get(call_id)
    return call is not None and call.consult_from == agent_id


def _pick(items: list[Any], choice: int) -> Any:
    return items[choice % len(items)] if items else None


def _request(engine: Engine, action: int, choice: int, n: int) -> inp.Input | None:
    calls = list(engine.calls.values())
    agents = list(engine.agents.values())
    by_state = {s: [c for c in calls if c.state == s] for s in (QUEUED, RINGING, TALKING, HELD)}
    if action == 0:
        tier = list(TIERS)[choice % 3]
        return inp.NewCall(f"c{n}", QUEUES[(choice // 3) % 4], tier, f"138{n:08d}")
    if action == 1:
        a = _pick([a for a in agents if not a.logged_in], choice)
        return inp.Login(a.id) if a else None
    if action == 2:
        a = _pick([a for a in agents if a.logged_in], choice)
        return inp.SetState(a.id, STATES[choice % len(STATES)]) if a else None
    if action == 3:
        a = _pick([a for a in agents if a.logged_in], choice)
        return inp.Logout(a.id) if a else None
    if action in (4, 5):
        c = _pick(by_state[RINGING], choice)
        if c is None:
            return None
        return inp.Answer(c.id, c.agent) if action == 4 else inp.NoAnswer(c.id, c.agent)
    if action == 6:
        c = _pick(calls, choice)
        return inp.CallerHangup(c.id) if c else None
    if action == 7:
        c = _pick(by_state[TALKING] + by_state[HELD], choice)
        return inp.Complete(c.id) if c else None
    if action == 8:
        c = _pick(by_state[TALKING], choice)
        return inp.Hold(c.id) if c else None
    if action == 9:
        c = _pick([c for c in calls if c.state == HELD or c.consult_from], choice)
        return inp.Resume(c.id) if c else None
    if action == 10:
        c = _pick(by_state[TALKING] + by_state[HELD], choice)
        if c is None:
            return None
        mode = "consult" if choice % 2 else "blind"
        ready = [a.id for a in agents if a.state is AgentState.READY]
        if choice % 3 == 0 and ready:
            return inp.Transfer(c.id, to_agent=_pick(ready, choice), mode=mode)
        return inp.Transfer(c.id, to_queue=QUEUES[choice % 4], mode=mode)
    c = _pick(by_state[QUEUED], choice)
    return inp.AcceptCallback(c.id) if c else None


def _check_state(engine: Engine, now: int) -> None:
    connected: Counter[str] = Counter()
    for a in engine.agents.values():
        if a.state in (AgentState.RESERVED, AgentState.ON_CALL):
            assert a.call is not None and a.call in engine.calls, a
        if a.state is AgentState.ON_CALL:
            connected[a.call or ""] += 1
        if a.state is AgentState.READY:
            assert a.call is None
            for q in a.queues:  # never idle while a call they could take waits
                rt = engine.queues[q]
                waiting = [
                    cid for _, cid in rt.waiting
                    if engine.calls[cid].consult_from != a.id
                    and a.prof[q] >= rt.min_proficiency(now - engine.calls[cid].seg_start)
                ]  # fmt: skip
                assert not waiting, f"{a.id} ready while {waiting} wait in {q}"
    assert all(n == 1 for n in connected.values()), connected
    holders: Counter[str] = Counter(a.call for a in engine.agents.values() if a.call)
    for call in engine.calls.values():
        places = sum(1 for q in engine.queues.values() for _, cid in q.waiting if cid == call.id)
        if call.state == QUEUED:
            assert places == 1 and holders[call.id] == 0, call
        if call.state in (TALKING, HELD):
            assert places == 0 and call.agent is not None
            assert engine.agents[call.agent].call == call.id
            assert engine.agents[call.agent].state is AgentState.ON_CALL
        if call.state == RINGING:
            assert engine.agents[call.agent or ""].state is AgentState.RESERVED


def _drive(steps: list[Step]) -> tuple[Engine, list[ev.Event], Shadow]:
    engine = Engine(CENTER)
    log: list[ev.Event] = []
    shadow = Shadow()
    now = 0

    def run(request: inp.Input, t: int) -> None:
        out = engine.handle(request, t)
        for e in out.events:
            shadow.fold(e, engine)
        log.extend(out.events)
        _check_state(engine, t)

    for agent_id in sorted(engine.agents)[: 2 + len(steps) % 4]:
        run(inp.Login(agent_id), 0)
        run(inp.SetState(agent_id, "ready"), 0)
    for n, (action, choice, advance) in enumerate(steps):
        request = _request(engine, action, choice, n)
        if request is not None:
            try:
                run(request, now)
            except Exception as exc:  # refusals are fine; they must not change state
                from helpline.core.errors import InputError

                assert isinstance(exc, InputError), exc
        target = now + advance
        while (t := engine.next_wakeup()) is not None and t <= target:
            run(inp.Tick(), t)
            now = t
        now = target
    return engine, log, shadow


steps_strategy = st.lists(
    st.tuples(
        st.integers(0, 11) | st.just(0) | st.just(4),  # arrivals and answers more often
        st.integers(0, 1000),
        st.sampled_from([0, 0, 500, 3000, 9000, 25000]),
    ),
    min_size=1,
    max_size=120,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps_strategy)
def test_random_traffic_never_breaks_the_floor_rules(steps: list[Step]) -> None:
    engine, log, shadow = _drive(steps)
    assert all(n == 1 for n in shadow.ended.values()), "a call ended twice"
    assert shadow.arrived == set(shadow.ended) | set(engine.calls), "a call was lost"
    assert not set(shadow.ended) & set(engine.calls)
    assert Engine.replay(CENTER, log).snapshot() == engine.snapshot()


@settings(max_examples=100, deadline=None)
@given(steps_strategy)
def test_when_everyone_hangs_up_every_call_has_ended_exactly_once(steps: list[Step]) -> None:
    engine, log, shadow = _drive(steps)
    now = max((e.ts for e in log), default=0) + 1
    for call_id in list(engine.calls):
        for e in engine.handle(inp.CallerHangup(call_id), now).events:
            shadow.fold(e, engine)
    while (t := engine.next_wakeup()) is not None:
        for e in engine.handle(inp.Tick(), t).events:
            shadow.fold(e, engine)
    assert engine.calls == {}
    assert shadow.arrived == set(shadow.ended)
    assert set(shadow.ended.values()) <= {1}
    for a in engine.agents.values():
        assert a.call is None and a.state is not AgentState.ON_CALL
