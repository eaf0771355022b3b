"""The fold reads the event order the real engine emits (consults, direct transfers).

The inputs are requests at given seconds; the engine writes the log; the KPIs
are checked against what happened to the caller.
"""

from __future__ import annotations

from typing import Any

from helpline.core import events as ev
from helpline.engine import inputs as inp
from helpline.engine.acd import Engine
from helpline.metrics.kpis import compute_kpis

from .log import center

CENTER = center(
    queues=[
        {"name": "billing", "skills": {"billing": 1}, "wrap_up_s": 10},
        {"name": "complaints", "skills": {"complaints": 1}, "wrap_up_s": 30},
    ],
)


def _log(*steps: tuple[float, Any]) -> list[ev.Event]:
    engine = Engine(CENTER)
    log: list[ev.Event] = []
    for at_s, request in steps:
        now = round(at_s * 1000)
        while (t := engine.next_wakeup()) is not None and t <= now:
            log.extend(engine.handle(inp.Tick(), t).events)
        log.extend(engine.handle(request, now).events)
    return log


def _ready(agent: str) -> list[tuple[float, Any]]:
    return [(0, inp.Login(agent)), (0, inp.SetState(agent, "ready"))]


def test_a_consult_transfer_through_the_engine() -> None:
    log = _log(
        *_ready("a1"),
        (10, inp.NewCall("c1", "billing")),
        (12, inp.Answer("c1", "a1")),
        (100, inp.Transfer("c1", to_queue="complaints", mode="consult")),
        (130, inp.Login("a3")),
        (130, inp.SetState("a3", "ready")),  # the call rings at a3 at once
        (133, inp.Answer("c1", "a3")),
        (400, inp.Complete("c1")),
        (1000, inp.Logout("a1")),
    )
    r = compute_kpis(log, CENTER)
    billing, complaints = r.queues["billing"], r.queues["complaints"]
    assert (billing.offered, billing.answered, billing.asa_s) == (1, 1, 2.0)
    assert (billing.talk_s, billing.hold_s, billing.wrap_s) == (88.0, 33.0, 10.0)
    assert billing.transfer_rate == 1.0
    assert (complaints.offered, complaints.answered, complaints.handled) == (0, 0, 1)
    assert complaints.aht_s == 267.0 + 30.0
    assert r.agents["a1"].state_s["on_call"] == 121.0  # talking and holding the caller
    assert r.agents["a3"].state_s["reserved"] == 3.0


def test_a_consult_the_caller_hangs_up_on_ends_the_first_agents_call() -> None:
    log = _log(
        *_ready("a1"),
        (10, inp.NewCall("c1", "billing")),
        (10, inp.Answer("c1", "a1")),
        (60, inp.Transfer("c1", to_queue="complaints", mode="consult")),
        (90, inp.CallerHangup("c1")),
        (200, inp.Logout("a1")),
    )
    q = compute_kpis(log, CENTER).queues["billing"]
    assert (q.offered, q.answered, q.abandoned, q.transfers) == (1, 1, 0, 0)
    assert (q.talk_s, q.hold_s, q.wrap_s) == (50.0, 30.0, 10.0)
    assert compute_kpis(log, CENTER).queues["complaints"].offered == 0


def test_a_blind_transfer_to_an_agent_is_their_work_but_no_new_wait() -> None:
    log = _log(
        *_ready("a1"),
        *_ready("a2"),
        (10, inp.NewCall("c1", "billing")),  # rings a1 (longest idle)
        (11, inp.Answer("c1", "a1")),
        (50, inp.Transfer("c1", to_agent="a2")),
        (55, inp.Answer("c1", "a2")),
        (155, inp.Complete("c1")),
        (500, inp.Logout("a1")),
    )
    r = compute_kpis(log, CENTER)
    q = r.queues["billing"]
    assert (q.offered, q.answered, q.handled, q.transfers) == (1, 1, 2, 1)
    assert q.aht_s == ((39 + 10) + (100 + 10)) / 2
    assert (r.agents["a1"].transfers, r.agents["a2"].handled) == (1, 1)
