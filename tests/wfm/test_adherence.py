"""Adherence from the event log, meal delays, intraday re-forecast."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from helpline.core import events as ev
from helpline.wfm.adherence import adherence, delay_meal, reforecast, state_timeline
from helpline.wfm.whatif import Stint

DAY = datetime(2026, 11, 23)
EPOCH = datetime(1970, 1, 1)


def at(h: float) -> datetime:
    return DAY + timedelta(hours=h)


def ms(h: float) -> int:
    return int((at(h) - EPOCH).total_seconds() * 1000)


PLAN = [
    Stint("wang", "shift", at(8), at(12)),
    Stint("wang", "meal", at(10), at(10.5)),
    Stint("li", "shift", at(8), at(12)),
    Stint("li", "meal", at(10), at(10.5)),
]


def _log() -> list[ev.Event]:
    return [
        # wang: on time, takes a call, eats exactly as planned
        ev.AgentLoggedIn(ts=ms(8), agent_id="wang"),
        ev.AgentStateChanged(ts=ms(8), agent_id="wang", state="ready"),
        ev.CallOffered(ts=ms(9), call_id="c1", agent_id="wang", queue="q"),
        ev.CallAnswered(ts=ms(9), call_id="c1", agent_id="wang", queue="q"),
        ev.CallEnded(ts=ms(9.5), call_id="c1", agent_id="wang", queue="q"),
        ev.WrapUpEnded(ts=ms(9.5), agent_id="wang", call_id="c1"),
        ev.AgentStateChanged(ts=ms(10), agent_id="wang", state="meal"),
        ev.AgentStateChanged(ts=ms(10.5), agent_id="wang", state="ready"),
        ev.AgentLoggedOut(ts=ms(12), agent_id="wang"),
        # li: 30 minutes late, meal 30 minutes late (a long call), leaves on time
        ev.AgentLoggedIn(ts=ms(8.5), agent_id="li"),
        ev.AgentStateChanged(ts=ms(8.5), agent_id="li", state="ready"),
        ev.AgentStateChanged(ts=ms(10.5), agent_id="li", state="meal"),
        ev.AgentStateChanged(ts=ms(11), agent_id="li", state="ready"),
        ev.AgentLoggedOut(ts=ms(12), agent_id="li"),
    ]


def test_states_fold_from_call_and_agent_events() -> None:
    t = state_timeline(_log())
    assert [s for _, s in t["wang"]] == [
        "not_ready", "ready", "reserved", "on_call", "wrap_up", "ready", "meal", "ready", "offline"
    ]  # fmt: skip


def test_adherence_and_conformance_per_agent() -> None:
    rows = {r.agent: r for r in adherence(PLAN, _log(), at(0), at(24))}
    assert rows["wang"].adherence == pytest.approx(1.0)
    assert rows["wang"].conformance == pytest.approx(1.0)
    li = rows["li"]
    # late 30 min, then on the phone 10:00-10:30 instead of eating, eating 10:30-11:00
    assert li.scheduled_min == 240
    assert li.in_adherence_min == 240 - 30 - 30 - 30
    assert li.adherence == pytest.approx(150 / 240)
    assert li.conformance == pytest.approx((240 - 30 - 30) / 210)


def test_meal_delay_moves_the_meal_and_reports_new_shortfalls() -> None:
    starts = [at(8 + k / 2) for k in range(8)]
    requirement = np.array([1, 1, 1, 1, 1, 2, 2, 1], dtype=float)
    plan = [
        Stint("wang", "shift", at(8), at(12)),
        Stint("wang", "meal", at(9.5), at(10)),
        Stint("li", "shift", at(8), at(12)),
        Stint("li", "meal", at(9), at(9.5)),
    ]
    move = delay_meal(plan, "wang", DAY, 60, requirement, starts, 1800)
    assert move.moved is not None and move.moved.start == at(10.5)
    assert move.short_before == [] and move.short_after == [at(10.5)]
    # the meal never slides into the last hour of the shift
    far = delay_meal(plan, "wang", DAY, 240, requirement, starts, 1800)
    assert far.moved is not None and far.moved.end <= at(11)


def test_reforecast_trusts_the_morning_more_as_the_day_goes_on() -> None:
    fc = np.full(20, 100.0)
    early = reforecast(fc, np.array([150.0]))  # 5 % of the day seen, 50 % busier
    assert early[0] == 150 and 100 < early[1] < 110
    late = reforecast(fc, np.full(10, 120.0))  # half the day seen, 20 % busier
    assert late[10:] == pytest.approx(np.full(10, 120.0))
    assert reforecast(fc, np.zeros(0)).tolist() == fc.tolist()
