"""The simulator: reproducible, shaped like the day, honouring shifts and callers."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.sim.driver import simulate
from helpline.sim.scenario import parse_scenario, single_queue


def _scenario(**traffic: Any) -> dict[str, Any]:
    return {
        "center": {
            "timezone": "Asia/Shanghai",
            "tiers": [{"name": "standard"}, {"name": "vip", "priority": 2}],
            "queues": [
                {"name": "billing", "skills": {"billing": 1}, "wrap_up_s": 10},
                {"name": "second_line", "skills": {"expert": 1}},
            ],
            "agent_groups": [
                {"prefix": "b", "count": 12, "skills": {"billing": 5}},
                {"prefix": "x", "count": 3, "skills": {"expert": 8, "billing": 3}},
            ],
        },
        "simulation": {"date": "2026-11-23", "hours": 24, "seed": 7},
        "traffic": {
            "calls_per_day": 3000,
            "mix": {"billing": 1.0},
            "tiers": {"standard": 0.9, "vip": 0.1},
            "service": {"default": {"dist": "lognormal", "mean_s": 180, "sd_s": 90}},
            "patience": {"dist": "exponential", "mean_s": 120},
            **traffic,
        },
    }


def test_same_seed_same_day_other_seed_other_day() -> None:
    sc = parse_scenario(_scenario())
    a = [ev.to_record(e) for e in simulate(sc, hours=6).events]
    b = [ev.to_record(e) for e in simulate(sc, hours=6).events]
    c = [ev.to_record(e) for e in simulate(sc, hours=6, seed=8).events]
    assert a == b
    assert a != c


def test_every_call_ends_exactly_once_and_the_day_has_its_peaks() -> None:
    sc = parse_scenario(_scenario())
    result = simulate(sc)
    arrived = [e for e in result.events if type(e) is ev.CallArrived]
    ended = Counter(e.call_id for e in result.events if type(e) is ev.CallEnded)
    assert len(arrived) == result.calls > 2500
    assert set(ended) == {e.call_id for e in arrived}
    assert set(ended.values()) == {1}
    hours = np.array([(e.ts - result.start_ms) // 3_600_000 for e in arrived])
    per_hour = np.bincount(hours, minlength=24)
    assert per_hour[9:11].mean() > 5 * per_hour[2:5].mean()  # morning peak vs night
    assert per_hour[14:16].mean() > 1.2 * per_hour[12]  # afternoon peak after the lunch dip


def test_impatient_callers_abandon_and_some_take_the_callback() -> None:
    data = _scenario(callback_accept_rate=0.5, calls_per_day=8000)
    data["center"]["queues"][0]["callback_offer_ewt_s"] = 30
    result = simulate(parse_scenario(data))
    reasons = Counter(e.reason for e in result.events if type(e) is ev.CallEnded)
    assert reasons["abandoned"] > 0
    assert reasons["callback"] > 0
    assert reasons["completed"] > reasons["abandoned"]


def test_transfers_to_second_line_happen_at_the_configured_rate() -> None:
    data = _scenario(transfers={"billing": {"to": "second_line", "probability": 0.2}})
    result = simulate(parse_scenario(data), hours=24)
    answered = sum(1 for e in result.events if type(e) is ev.CallAnswered and e.queue == "billing")
    moved = [e for e in result.events if type(e) is ev.CallTransferred]
    assert 0.15 < len(moved) / answered < 0.25
    assert all(e.to_queue == "second_line" for e in moved)


def test_shifts_log_agents_in_and_out_and_breaks_take_them_off_the_phones() -> None:
    data = _scenario()
    data["shifts"] = [
        {"prefix": "b", "count": 12, "start": "08:00", "end": "17:00",
         "breaks": [{"start": "12:00", "minutes": 40, "state": "meal"}]},
        {"prefix": "x", "start": "08:00", "end": "20:00"},
    ]  # fmt: skip
    result = simulate(parse_scenario(data))
    day = result.start_ms
    meal_start, meal_end = day + 12 * 3_600_000, day + 12 * 3_600_000 + 40 * 60_000
    on_meal = {
        e.agent_id for e in result.events
        if type(e) is ev.AgentStateChanged and e.state == "meal"
    }  # fmt: skip
    assert len(on_meal) == 12
    offered_in_meal = [
        e for e in result.events
        if type(e) is ev.CallOffered and e.agent_id.startswith("b")
        and meal_start + 60_000 < e.ts < meal_end
    ]  # fmt: skip
    assert offered_in_meal == []
    logins = [e.ts for e in result.events if type(e) is ev.AgentLoggedIn]
    assert min(logins) == day + 8 * 3_600_000
    first_offer = min(e.ts for e in result.events if type(e) is ev.CallOffered)
    assert first_offer >= day + 8 * 3_600_000  # nobody is on the phones before 08:00


def test_single_queue_helper_builds_an_mmc_center() -> None:
    sc = single_queue(1000, 240, 70, patience_s=60, hours=1)
    assert len(sc.center.all_agents()) == 70
    result = simulate(sc)
    assert 800 < result.calls < 1200


def test_bad_scenarios_name_the_field() -> None:
    data = _scenario(mix={"billing": 0.5, "nope": 0.5})
    with pytest.raises(InputError, match=r"traffic\.mix\.nope"):
        parse_scenario(data, "day.yaml")
    data = _scenario(service={"default": {"dist": "lognormal", "mean_s": 100}})
    with pytest.raises(InputError, match="lognormal needs sd_s"):
        parse_scenario(data, "day.yaml")
    data = _scenario()
    data["shifts"] = [{"prefix": "b", "start": "25:00", "end": "17:00"}]
    with pytest.raises(InputError) as err:
        parse_scenario(data, "day.yaml")
    assert err.value.problems[0].path.startswith("shifts[0].start")


def test_a_night_shift_that_began_yesterday_is_on_the_phones_at_midnight() -> None:
    data = _scenario(calls_per_day=2000)
    data["shifts"] = [
        {"prefix": "b", "start": "22:00", "end": "06:00"},
        {"prefix": "x", "start": "09:00", "end": "18:00"},
    ]
    result = simulate(parse_scenario(data))
    day = result.start_ms
    logins = sorted({e.ts - day for e in result.events if type(e) is ev.AgentLoggedIn})
    assert logins == [0, 9 * 3_600_000, 22 * 3_600_000]
    early = [e for e in result.events if type(e) is ev.CallAnswered and e.ts < day + 3_600_000]
    assert early and all(e.agent_id.startswith("b") for e in early)


def test_the_example_center_runs_a_whole_day() -> None:
    from helpline.config import read_yaml

    from ..conftest import EXAMPLES

    sc = parse_scenario(read_yaml(EXAMPLES / "10086.yaml"), "10086.yaml")
    assert len(sc.center.all_agents()) == 300
    result = simulate(sc, hours=3)
    assert result.calls > 0
    assert {q.name for q in sc.center.queues} >= {"billing", "data", "complaints", "vip"}


def test_holds_happen_at_the_configured_rate_and_lengthen_the_call() -> None:
    data = _scenario(hold={"probability": 0.3, "duration": {"dist": "fixed", "mean_s": 45}})
    result = simulate(parse_scenario(data), hours=12)
    held = [e for e in result.events if type(e) is ev.CallHeld]
    resumed = {e.call_id: e.ts for e in result.events if type(e) is ev.CallResumed}
    answered = sum(1 for e in result.events if type(e) is ev.CallAnswered)
    assert 0.25 < len(held) / answered < 0.35
    assert all(resumed[e.call_id] - e.ts == 45_000 for e in held if e.call_id in resumed)


def test_transferred_callers_can_give_up_waiting_for_second_line() -> None:
    data = _scenario(transfers={"billing": {"to": "second_line", "probability": 0.5}})
    data["shifts"] = [{"prefix": "x", "start": "20:00", "end": "21:00"}]  # second line mostly shut
    result = simulate(parse_scenario(data), hours=12)
    moved = {e.call_id for e in result.events if type(e) is ev.CallTransferred}
    gave_up = {e.call_id for e in result.events if type(e) is ev.CallAbandoned} & moved
    assert moved and gave_up


def test_an_agent_who_missed_a_call_is_back_after_the_recovery_time() -> None:
    data = _scenario(no_answer_rate=0.05, rona_recover_s=20, calls_per_day=6000)
    result = simulate(parse_scenario(data), hours=12)
    missed = [e for e in result.events if type(e) is ev.AgentStateChanged and e.reason == "rona"]
    back = {(e.agent_id, e.ts) for e in result.events
            if type(e) is ev.AgentStateChanged and e.reason == "after_rona"}  # fmt: skip
    assert missed
    assert all((e.agent_id, e.ts + 20_000) in back for e in missed)


def test_shifts_keep_their_local_times_across_a_daylight_saving_change() -> None:
    data = _scenario(calls_per_day=500)
    data["center"]["timezone"] = "Europe/Berlin"
    data["simulation"] = {"date": "2026-03-28", "hours": 48, "seed": 1}  # clocks go forward on 29th
    data["shifts"] = [{"prefix": "b", "start": "08:00", "end": "17:00"}]
    result = simulate(parse_scenario(data))
    from datetime import datetime
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    mine = [e for e in result.events if type(e) is ev.AgentLoggedIn and e.agent_id == "b001"]
    local = {datetime.fromtimestamp(e.ts / 1000, berlin) for e in mine}
    logins = sorted(t.strftime("%m-%d %H:%M") for t in local)
    assert logins == ["03-28 08:00", "03-29 08:00"]


def test_a_ring_time_longer_than_the_no_answer_timeout_is_refused() -> None:
    with pytest.raises(InputError, match="ring_s"):
        parse_scenario(_scenario(ring_s=20), "day.yaml")
