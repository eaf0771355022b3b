"""What-if: a schedule played through the simulator agrees with Erlang where it should."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from helpline.wfm.intervals import IntervalSeries
from helpline.wfm.whatif import Stint, on_phone, whatif

DAY = datetime(2026, 11, 23)


def _forecast(calls: float, hours: range) -> IntervalSeries:
    starts = tuple(DAY + timedelta(minutes=30 * k) for k in range(2 * hours.start, 2 * hours.stop))
    return IntervalSeries(starts, np.full(len(starts), calls), None, 1800)


def _team(n: int, start_h: int, end_h: int, meal_h: float | None = None) -> list[Stint]:
    out = []
    for i in range(n):
        a = f"a{i:03d}"
        out.append(Stint(a, "shift", DAY + timedelta(hours=start_h), DAY + timedelta(hours=end_h)))
        if meal_h is not None:
            m = DAY + timedelta(hours=meal_h)
            out.append(Stint(a, "meal", m, m + timedelta(minutes=30)))
    return out


def test_on_phone_counts_shifts_minus_pauses() -> None:
    fc = _forecast(10, range(8, 14))
    phone = on_phone(_team(4, 9, 13, meal_h=11), fc.starts, 1800)
    assert phone.tolist() == [0, 0, 4, 4, 4, 4, 0, 4, 4, 4, 0, 0]


def test_simulated_day_matches_erlang_a_and_shows_the_meal_gap() -> None:
    # 300 calls per half hour at 4 minutes: 40 erlangs; 46 agents, all out for a meal at 11:00
    fc = _forecast(300, range(8, 14))
    result = whatif(_team(46, 8, 14, meal_h=11), fc, aht_s=240, patience_s=120, seed=7)
    assert [r.start for r in result] == list(fc.starts)
    steady = [r for r in result if r.start.hour in (9, 10)]  # two hours, about 1,200 calls
    offered = sum(r.offered for r in steady)
    assert 1000 < offered < 1400
    sl = sum(r.service_level * r.offered for r in steady) / offered
    ab = sum(r.abandon_rate * r.offered for r in steady) / offered
    assert abs(sl - steady[0].erlang_service_level) < 0.08
    assert abs(ab - steady[0].erlang_abandon_rate) < 0.03
    meal = next(r for r in result if r.start == DAY + timedelta(hours=11))
    assert meal.on_phone == 0 and meal.erlang_service_level == 0
    assert meal.service_level < 0.2 and meal.abandon_rate > 0.5
