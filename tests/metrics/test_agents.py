"""Agents and teams: time per state, occupancy, handled calls, RONA."""

from __future__ import annotations

import pytest

from helpline.core import events as ev
from helpline.metrics.kpis import compute_kpis

from .log import Log, center, ms


def test_an_agents_day_in_states_and_their_occupancy() -> None:
    log = Log().login("a1", 0)  # ready from 0
    log.call("c1", "billing", "a1", at=60, wait=0, talk=300, wrap=30)  # busy 60-390
    log.state("a1", "break", 1800).state("a1", "ready", 2700)
    log.logout("a1", 3600)
    a = compute_kpis(log.events, center()).agents["a1"]
    assert a.state_s["on_call"] == 300.0
    assert a.state_s["wrap_up"] == 30.0
    assert a.state_s["break"] == 900.0
    assert a.state_s["ready"] == 3600 - 900 - 330
    assert a.staffed_s == 2700.0  # a break is logged in but not staffed
    assert a.logged_in_s == 3600.0
    assert a.occupancy == pytest.approx(330 / 2700)
    assert (a.handled, a.aht_s, a.talk_s, a.wrap_s) == (1, 330.0, 300.0, 30.0)
    assert a.calls_per_hour == pytest.approx(1 / 0.75)


def test_login_is_not_ready_until_the_agent_asks_for_ready() -> None:
    log = Log().login("a1", 0, ready=False).state("a1", "ready", 120).logout("a1", 600)
    a = compute_kpis(log.events, center()).agents["a1"]
    assert (a.state_s["not_ready"], a.state_s["ready"]) == (120.0, 480.0)


def test_a_state_asked_for_during_a_call_starts_after_wrap_up() -> None:
    log = Log().login("a1", 0)
    log.call("c1", "billing", "a1", at=0, wait=0, talk=100, wrap=20)
    log.add(ev.AgentStatePending(ts=ms(50), agent_id="a1", state="meal"))
    log.state("a1", "meal", 120).logout("a1", 1920)
    a = compute_kpis(log.events, center()).agents["a1"]
    assert a.state_s["meal"] == 1800.0
    assert a.state_s["on_call"] == 100.0
    assert a.state_s["ready"] == 0.0  # WrapUpEnded and the meal share a timestamp
    assert a.occupancy == 1.0


def test_an_agent_still_logged_in_at_the_end_is_counted_up_to_it() -> None:
    log = Log().login("a1", 0)
    log.queued("c1", "billing", 100).offered("c1", "a1", "billing", 100)
    log.answered("c1", "a1", "billing", 100, wait=0)
    r = compute_kpis(log.events, center(), end_ms=ms(400))
    a = r.agents["a1"]
    assert (a.state_s["ready"], a.state_s["on_call"]) == (100.0, 300.0)
    assert a.answered == 1
    assert a.handled == 0  # unfinished: not in AHT
    assert r.queues["billing"].aht_s is None
    assert r.queues["billing"].occupancy == 0.75


def test_ringing_time_is_staffed_idle_time_and_an_abandon_while_ringing_frees_the_agent() -> None:
    log = Log().login("a1", 0)
    log.queued("c1", "billing", 10).offered("c1", "a1", "billing", 10)
    log.abandoned("c1", "billing", 16, wait=6)
    log.state("a1", "ready", 16, reason="offer_withdrawn").logout("a1", 100)
    r = compute_kpis(log.events, center())
    a = r.agents["a1"]
    assert (a.state_s["reserved"], a.state_s["ready"], a.occupancy) == (6.0, 94.0, 0.0)
    assert r.queues["billing"].abandoned == 1


def test_teams_add_up_their_agents() -> None:
    log = Log().login("a1", 0).login("a2", 0).login("a3", 0)
    log.call("c1", "billing", "a1", at=0, wait=0, talk=100)
    log.call("c2", "billing", "a2", at=0, wait=0, talk=300)
    log.call("c3", "complaints", "a3", at=0, wait=0, talk=50)
    log.add(ev.OfferRejected(ts=ms(500), call_id="x", agent_id="a2", queue="billing"))
    log.logout("a1", 1000).logout("a2", 1000).logout("a3", 1000)
    r = compute_kpis(log.events, center())
    red = r.teams["red"]
    assert (red.agents, red.handled, red.rona) == (2, 2, 1)
    assert red.aht_s == 200.0
    assert red.occupancy == pytest.approx(400 / 2000)
    assert r.teams["blue"].handled == 1
    assert r.total.occupancy == pytest.approx(450 / 3000)


def test_agents_of_the_center_are_listed_even_if_they_never_logged_in() -> None:
    r = compute_kpis(Log().login("a1", 0).logout("a1", 10).events, center())
    assert set(r.agents) == {"a1", "a2", "a3"}
    assert r.agents["a3"].occupancy is None
    assert r.agents["a3"].team == "blue"
