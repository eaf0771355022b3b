"""Interval slots: aligned to the hour in local time, attributed where the wait started."""

from __future__ import annotations

import pytest

from helpline.core.clock import MS_PER_HOUR, MS_PER_MIN
from helpline.core.errors import InputError
from helpline.metrics.intervals import Grid
from helpline.metrics.kpis import compute_kpis

from .log import Log, center, ms

DAY0 = 1_780_000_000  # some UTC second; slots are checked relative to real hours


def test_slots_start_on_the_utc_hour_by_default_and_on_the_local_hour_with_an_offset() -> None:
    utc = Grid.of_minutes(60)
    india = Grid.of_minutes(60, tz_offset_ms=5 * MS_PER_HOUR + 30 * MS_PER_MIN)
    t = 3 * MS_PER_HOUR + 10 * MS_PER_MIN  # 03:10 UTC = 08:40 in India
    assert utc.start(utc.index(t)) == 3 * MS_PER_HOUR
    assert india.start(india.index(t)) == 2 * MS_PER_HOUR + 30 * MS_PER_MIN  # 08:00 local


def test_a_span_over_a_boundary_is_split_at_it() -> None:
    g = Grid.of_minutes(15)
    pieces = list(g.split(10 * MS_PER_MIN, 40 * MS_PER_MIN))
    assert [ms for _, ms in pieces] == [5 * MS_PER_MIN, 15 * MS_PER_MIN, 10 * MS_PER_MIN]


@pytest.mark.parametrize("minutes", [7, 0, -15])
def test_an_interval_that_does_not_divide_the_day_is_refused(minutes: int) -> None:
    with pytest.raises(InputError) as err:
        Grid.of_minutes(minutes)
    assert err.value.problems[0].path == "interval_min"


def test_a_call_queued_at_0929_and_answered_at_0930_counts_in_the_0900_slot() -> None:
    nine = 9 * 3600
    log = Log().login("a1", nine - 600)
    log.call("c1", "billing", "a1", at=nine + 29 * 60 + 50, wait=20, talk=60)
    r = compute_kpis(log.events, center(), interval_min=30)
    slots = r.intervals["billing"]
    assert [s.start_ms for s in slots] == [ms(nine - 1800), ms(nine), ms(nine + 1800)]
    assert [s.offered for s in slots] == [0, 1, 0]
    assert [s.answered for s in slots] == [0, 1, 0]
    assert slots[1].aht_s == 60.0


def test_every_slot_of_the_horizon_is_listed_even_when_quiet() -> None:
    log = Log().login("a1", 0)
    log.call("c1", "billing", "a1", at=10, wait=1, talk=10)
    log.call("c2", "billing", "a1", at=2 * 3600 + 5, wait=1, talk=10)
    r = compute_kpis(log.events, center(), interval_min=60)
    assert [s.offered for s in r.intervals["billing"]] == [1, 0, 1]
    assert [s.offered for s in r.intervals["complaints"]] == [0, 0, 0]
    assert r.intervals["billing"][1].service_level is None
    assert [s.offered for s in r.total_intervals] == [1, 0, 1]


def test_interval_occupancy_splits_an_agents_time_at_the_boundary() -> None:
    # Ready from 00:00; one call 00:20-00:40 with no wrap-up; report to 01:00.
    log = Log().login("a1", 0)
    log.call("c1", "billing", "a1", at=20 * 60, wait=0, talk=20 * 60)
    r = compute_kpis(log.events, center(), interval_min=30, end_ms=ms(3600))
    assert [s.occupancy for s in r.intervals["billing"]] == [
        pytest.approx(1 / 3),
        pytest.approx(1 / 3),
    ]
    assert r.queues["billing"].occupancy == pytest.approx(1 / 3)
    assert [s.staffed_agent_hours for s in r.total_intervals] == [0.5, 0.5]
