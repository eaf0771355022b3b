"""Queue occupancy: idle time shared among queues by the agents' handle time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.metrics.kpis import compute_kpis

from .log import Log, center


def test_one_queue_occupancy_is_handle_over_staffed_time_of_its_agents() -> None:
    c = center(
        queues=[{"name": "billing"}],
        agents=[{"id": "a1"}, {"id": "a2"}],
    )
    log = Log().login("a1", 0).login("a2", 0)
    log.call("c1", "billing", "a1", at=0, wait=0, talk=600, wrap=60)
    log.logout("a1", 1200).logout("a2", 1200)  # a2 took nothing: idle all along
    r = compute_kpis(log.events, c)
    assert r.queues["billing"].occupancy == pytest.approx(660 / 2400)
    assert r.queues["billing"].occupancy == r.total.occupancy
    assert r.queues["billing"].calls_per_agent_hour == pytest.approx(1 / (2400 / 3600))


def test_an_agents_idle_time_is_shared_by_their_handle_time_per_queue() -> None:
    log = Log().login("a2", 0)
    log.call("c1", "billing", "a2", at=0, wait=0, talk=300)
    log.call("c2", "complaints", "a2", at=300, wait=0, talk=100)
    log.logout("a2", 800)  # 400 s of handle, 400 s idle: 300 to billing, 100 to complaints
    r = compute_kpis(log.events, center())
    assert r.queues["billing"].occupancy == pytest.approx(300 / 600)
    assert r.queues["complaints"].occupancy == pytest.approx(100 / 200)
    assert r.queues["billing"].staffed_agent_hours == pytest.approx(600 / 3600)


def test_idle_time_of_an_agent_who_took_no_calls_goes_to_the_queues_they_can_serve() -> None:
    log = Log().login("a2", 0).logout("a2", 1000)  # skilled for billing and complaints
    log.login("a1", 0).call("c1", "billing", "a1", at=0, wait=0, talk=500).logout("a1", 1000)
    r = compute_kpis(log.events, center())
    assert r.queues["billing"].staffed_agent_hours == pytest.approx(1500 / 3600)
    assert r.queues["complaints"].staffed_agent_hours == pytest.approx(500 / 3600)
    assert r.queues["complaints"].occupancy == 0.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 7200), st.integers(0, 900), st.integers(1, 900),
                  st.integers(0, 120), st.integers(0, 900)),
        min_size=1, max_size=12,
    )
)  # fmt: skip
def test_with_one_queue_queue_occupancy_is_center_occupancy_in_every_interval(
    days: list[tuple[int, int, int, int, int]],
) -> None:
    c = center(queues=[{"name": "q"}], agents=[{"id": f"x{i}"} for i in range(len(days))])
    log = Log()
    for i, (login, idle, talk, wrap, after) in enumerate(days):
        agent = f"x{i}"
        log.login(agent, login).call(f"c{i}", "q", agent, at=login + idle, wait=0, talk=talk,
                                     wrap=wrap)  # fmt: skip
        log.logout(agent, login + idle + talk + wrap + after)
    r = compute_kpis(log.events, c, interval_min=15)
    assert r.queues["q"].occupancy == pytest.approx(r.total.occupancy)
    for mine, whole in zip(r.intervals["q"], r.total_intervals, strict=True):
        assert mine.staffed_agent_hours == pytest.approx(whole.staffed_agent_hours)
        assert mine.occupancy == pytest.approx(whole.occupancy)
