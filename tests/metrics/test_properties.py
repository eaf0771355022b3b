"""Properties over many logs: outcomes add up to offered, intervals add up to the day.

Two sources of logs: calls written by hand from drawn numbers, and the real ACD
engine driven by drawn requests (so the fold is checked against the event order
the engine actually produces: RONA, transfers, consults, hangups while ringing).
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.engine import inputs as inp
from helpline.engine.acd import Engine
from helpline.metrics.kpis import compute_kpis
from helpline.metrics.report import KpiReport, QueueKpis

from .log import Log, center, ms

OUTCOMES = ("answered", "abandoned", "max_wait", "callback", "overflow", "waiting")
QUEUES = ("billing", "complaints")
COUNTS = (
    "offered", "answered", "abandoned", "short_abandoned", "timed_out", "callback_chosen",
    "ended_other", "waiting_at_end", "callbacks", "overflowed_out", "overflowed_in",
    "transfers", "handled", "answered_in_sl",
)  # fmt: skip

call_script = st.tuples(
    st.sampled_from(QUEUES),
    st.integers(0, 4 * 3600),  # queued at, s
    st.sampled_from(OUTCOMES),
    st.integers(0, 120),  # wait, s
    st.integers(1, 600),  # talk, s
    st.integers(0, 60),  # hold, s
    st.integers(0, 60),  # wrap-up, s
)


def _scripted_log(calls: list[tuple[Any, ...]]) -> Log:
    log = Log()
    for i, (queue, at, outcome, wait, talk, hold, wrap) in enumerate(calls):
        cid, agent = f"c{i}", f"x{i}"  # one agent per call: no overlaps to arrange
        if outcome in ("answered", "overflow"):
            log.login(agent, at)
            log.queued(cid, queue, at)
            where = queue
            if outcome == "overflow":
                where = QUEUES[1 - QUEUES.index(queue)]
                log.queued(cid, where, at + wait / 2, reason="overflow")
            log.offered(cid, agent, where, at + wait).answered(cid, agent, where, at + wait, wait)
            log.held(cid, agent, at + wait + 1).resumed(cid, agent, at + wait + 1 + hold)
            end = at + wait + 1 + hold + talk
            log.ended(cid, end, agent=agent, queue=where).wrapped(agent, cid, end + wrap)
            log.logout(agent, end + wrap + 1)
        elif outcome == "abandoned":
            log.queued(cid, queue, at).abandoned(cid, queue, at + wait, wait)
        elif outcome in ("max_wait", "callback"):
            log.queued(cid, queue, at)
            log.add(ev.CallbackRequested(ts=ms(at + wait), call_id=cid, queue=queue))
            log.ended(cid, at + wait, outcome, queue=queue)
        else:
            log.queued(cid, queue, at)
    return log


def _outcomes_add_up(q: QueueKpis) -> None:
    assert (
        q.answered + q.abandoned + q.timed_out + q.callback_chosen + q.ended_other
        + q.waiting_at_end == q.offered
    )  # fmt: skip
    assert q.short_abandoned <= q.abandoned
    assert q.answered_in_sl <= q.answered
    for ratio in (q.service_level, q.abandon_rate, q.occupancy):
        assert ratio is None or 0.0 <= ratio <= 1.0 + 1e-9


def _intervals_add_up(r: KpiReport) -> None:
    for name, q in r.queues.items():
        for count in COUNTS:
            assert sum(getattr(s, count) for s in r.intervals[name]) == getattr(q, count), count
    for count in COUNTS:
        assert sum(getattr(s, count) for s in r.total_intervals) == getattr(r.total, count)
        assert sum(getattr(q, count) for q in r.queues.values()) == getattr(r.total, count)


@settings(max_examples=60, deadline=None)
@given(st.lists(call_script, max_size=25), st.sampled_from([15, 30, 60]))
def test_scripted_calls_outcomes_and_intervals_add_up(
    calls: list[tuple[Any, ...]], minutes: int
) -> None:
    log = _scripted_log(calls)
    r = compute_kpis(log.events, center(), interval_min=minutes, tz_offset_ms=8 * 3_600_000)
    for q in [*r.queues.values(), r.total]:
        _outcomes_add_up(q)
    _intervals_add_up(r)
    assert r.total.offered == len(calls)
    handle = sum(a.state_s["on_call"] + a.state_s["wrap_up"] for a in r.agents.values())
    per_call = sum((q.aht_s or 0) * q.handled for q in r.queues.values())
    assert abs(handle - per_call) < 1e-6  # the timeline and the per-call sums agree


# --- the engine ----------------------------------------------------------------------

ENGINE_CENTER = center(
    routing={"rona_s": 60},
    queues=[
        {"name": "billing", "skills": {"billing": 1}, "wrap_up_s": 10, "max_wait_s": 240,
         "overflow": {"queue": "complaints", "after_s": 60}, "callback_offer_ewt_s": 0},
        {"name": "complaints", "skills": {"complaints": 1}, "wrap_up_s": 0},
    ],
)  # fmt: skip
AGENTS = ("a1", "a2", "a3")

action = st.one_of(
    st.tuples(st.just("call"), st.sampled_from(QUEUES)),
    st.tuples(st.just("answer"), st.integers(0, 30)),
    st.tuples(st.just("answer"), st.integers(0, 30)),  # twice: more talking calls to work on
    st.tuples(st.just("complete"), st.integers(0, 30)),
    st.tuples(st.just("no_answer"), st.integers(0, 30)),
    st.tuples(st.just("hangup"), st.integers(0, 30)),
    st.tuples(st.just("complete"), st.integers(0, 30)),
    st.tuples(st.just("hold"), st.integers(0, 30)),
    st.tuples(st.just("resume"), st.integers(0, 30)),
    st.tuples(st.just("transfer"), st.integers(0, 30), st.sampled_from(QUEUES),
              st.sampled_from(["blind", "consult"])),
    st.tuples(st.just("callback"), st.integers(0, 30)),
    st.tuples(st.just("state"), st.sampled_from(AGENTS),
              st.sampled_from(["ready", "ready", "break", "not_ready", "offline"])),
    st.tuples(st.just("wait"), st.integers(1, 90)),
)  # fmt: skip


# Which calls a request makes sense for: drawing among those keeps most requests valid.
_WANTS = {
    "answer": ("ringing",), "no_answer": ("ringing",), "hangup": ("queued", "ringing", "talking"),
    "complete": ("talking", "held", "consulting"), "hold": ("talking",),
    "resume": ("held", "consulting"), "transfer": ("talking", "held"), "callback": ("queued",),
}  # fmt: skip


def _request(step: tuple[Any, ...], engine: Engine, n: int) -> Any:
    kind = step[0]
    if kind == "call":
        return inp.NewCall(f"c{n}", step[1])
    if kind == "state":
        agent, state = step[1], step[2]
        if state == "offline":
            return inp.Logout(agent)
        if not engine.agents[agent].logged_in:
            return inp.Login(agent)
        return inp.SetState(agent, state)
    calls = sorted(c.id for c in engine.calls.values() if c.state in _WANTS[kind])
    if not calls:
        return None
    call = engine.calls[calls[step[1] % len(calls)]]
    agent = call.agent or ""
    return {
        "answer": lambda: inp.Answer(call.id, agent),
        "no_answer": lambda: inp.NoAnswer(call.id, agent),
        "hangup": lambda: inp.CallerHangup(call.id),
        "complete": lambda: inp.Complete(call.id),
        "hold": lambda: inp.Hold(call.id),
        "resume": lambda: inp.Resume(call.id),
        "transfer": lambda: inp.Transfer(call.id, to_queue=step[2], mode=step[3]),
        "callback": lambda: inp.AcceptCallback(call.id),
    }[kind]()


def _run_engine(steps: list[tuple[Any, ...]]) -> list[ev.Event]:
    engine = Engine(ENGINE_CENTER)
    log: list[ev.Event] = []
    now = 0
    for agent in AGENTS:
        log.extend(engine.handle(inp.Login(agent), now).events)
        log.extend(engine.handle(inp.SetState(agent, "ready"), now).events)
    for n, step in enumerate(steps):
        if step[0] == "wait":
            target = now + step[1] * 1000
            while (t := engine.next_wakeup()) is not None and t <= target:
                log.extend(engine.handle(inp.Tick(), t).events)
            now = target
            continue
        request = _request(step, engine, n)
        if request is None:
            continue
        # A request not possible in this state is refused and changes nothing.
        with suppress(InputError):
            log.extend(engine.handle(request, now).events)
    return log


@settings(max_examples=80, deadline=None)
@given(st.lists(action, min_size=10, max_size=80))
def test_engine_logs_outcomes_add_up_to_the_segments_the_engine_opened(
    steps: list[tuple[Any, ...]],
) -> None:
    log = _run_engine(steps)
    r = compute_kpis(log, ENGINE_CENTER, interval_min=15)
    for q in [*r.queues.values(), r.total]:
        _outcomes_add_up(q)
    _intervals_add_up(r)
    segments = [
        e for e in log if isinstance(e, ev.CallQueued) and e.reason in ("arrival", "transfer")
    ]
    assert r.total.offered == len(segments)
    answers = sum(isinstance(e, ev.CallAnswered) for e in log)
    assert sum(a.answered for a in r.agents.values()) == answers
    for a in r.agents.values():
        assert a.occupancy is None or 0.0 <= a.occupancy <= 1.0
        assert abs(sum(a.state_s.values()) - a.logged_in_s) < 1e-6
