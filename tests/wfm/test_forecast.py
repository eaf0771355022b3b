"""Forecasts: backtests choose the model; special days adjust; a real bank's calls."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from helpline.wfm.forecast import SpecialDay, forecast, mape, wape
from helpline.wfm.intervals import IntervalSeries, parse_intervals

DATA = Path(__file__).resolve().parents[1] / "data" / "bank_calls_30min.csv"
# two weekdays missing from the published data: treated as special (closed) days
GAPS = [SpecialDay(date(2003, 4, 4), 0.0, "gap"), SpecialDay(date(2003, 4, 7), 0.0, "gap")]


def _synthetic(weeks: int, seed: int = 3) -> IntervalSeries:
    """A weekly pattern (quiet weekends) with a lunchtime peak and Poisson noise."""
    rng = np.random.default_rng(seed)
    start = datetime(2026, 9, 7)  # a Monday
    slots = np.arange(48)
    shape = np.exp(-(((slots - 22) / 6.0) ** 2)) + 0.05
    day_factor = [1.2, 1.0, 1.0, 1.0, 1.1, 0.5, 0.4]
    starts, calls = [], []
    for d in range(weeks * 7):
        mean = 100 * shape * day_factor[d % 7]
        for k in range(48):
            starts.append(start + timedelta(days=d, minutes=30 * k))
            calls.append(rng.poisson(mean[k]))
    return IntervalSeries(tuple(starts), np.array(calls, dtype=float), None, 1800)


def test_wape_and_mape_are_the_usual_definitions() -> None:
    f, a = np.array([110.0, 90.0, 5.0]), np.array([100.0, 100.0, 0.0])
    assert wape(f, a) == pytest.approx(25 / 200)
    assert mape(f, a) == pytest.approx(0.1)  # the interval without calls is left out


def test_forecast_keeps_the_weekly_pattern_and_reports_backtests() -> None:
    history = _synthetic(weeks=8)
    fc = forecast(history, horizon_days=7)
    assert len(fc.starts) == 7 * 48 and fc.starts[0] == datetime(2026, 11, 2)
    daily = fc.calls.reshape(7, 48).sum(axis=1)
    assert daily[0] > 1.8 * daily[6]  # Monday far busier than Sunday
    assert int(np.argmax(fc.calls[:48])) in range(20, 25)  # the lunchtime peak
    assert {a.model for a in fc.backtest} == {"seasonal_naive", "weekly_mean", "holt_winters"}
    best = min(fc.backtest, key=lambda a: a.wape_interval)
    assert fc.model == best.model
    assert all(0 < a.wape_interval < 0.2 and 0 < a.wape_day < 0.1 for a in fc.backtest)


def test_special_days_lift_the_horizon_and_do_not_distort_the_history() -> None:
    history = _synthetic(weeks=6)
    billing = date(2026, 10, 19)  # a Monday in the horizon
    plain = forecast(history, 7, model="weekly_mean")
    lifted = forecast(history, 7, model="weekly_mean", special_days=[SpecialDay(billing, 1.5)])
    assert lifted.calls[:48].sum() == pytest.approx(1.5 * plain.calls[:48].sum())
    assert lifted.calls[48:].sum() == pytest.approx(plain.calls[48:].sum())
    # an outage in the history (no calls that Wednesday) is ignored once marked
    calls = history.calls.copy()
    outage = date(2026, 10, 7)
    mask = np.array([s.date() == outage for s in history.starts])
    calls[mask] = 0
    broken = IntervalSeries(history.starts, calls, None, 1800)
    marked = forecast(broken, 7, model="weekly_mean", special_days=[SpecialDay(outage, 0.0)])
    assert marked.calls.sum() == pytest.approx(plain.calls.sum(), rel=0.03)


def test_aht_is_forecast_per_interval_when_the_history_has_it() -> None:
    h = _synthetic(weeks=3)
    aht = np.where(np.array([s.hour for s in h.starts]) < 12, 240.0, 360.0)
    fc = forecast(IntervalSeries(h.starts, h.calls, aht, 1800), 2)
    assert fc.aht_s is not None
    assert fc.aht_s[9 * 2] == pytest.approx(240) and fc.aht_s[15 * 2] == pytest.approx(360)


def test_bank_call_center_backtest_wape_per_interval_and_per_day() -> None:
    """Weinberg's US bank (fpp3::bank_calls), 12 weeks of weekdays, 30-minute intervals."""
    history = parse_intervals(DATA.read_text(), str(DATA))
    assert history.interval_s == 1800 and len(history) == 58 * 28
    fc = forecast(history, horizon_days=7, special_days=GAPS)
    scores = {a.model: a for a in fc.backtest}
    chosen = scores[fc.model]
    # a usable intraday forecast for staffing: under 8 % WAPE per interval, 6 % per day
    assert chosen.wape_interval < 0.08 and chosen.wape_day < 0.06
    assert chosen.wape_interval <= scores["seasonal_naive"].wape_interval
    # the forecast keeps the opening hours (07:00-21:00) and the weekend closure
    assert {t.hour for t in fc.starts} == set(range(7, 21))
    weekend = [c for t, c in zip(fc.starts, fc.calls, strict=True) if t.weekday() >= 5]
    assert sum(weekend) == 0


def test_bad_horizon_and_model_are_refused() -> None:
    history = _synthetic(weeks=2)
    with pytest.raises(ValueError, match="horizon_days"):
        forecast(history, 0)
    with pytest.raises(ValueError, match="unknown model"):
        forecast(history, 3, model="prophet")
