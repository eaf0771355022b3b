"""Call volume forecasts per interval, with the model chosen by backtest.

Planners think in two layers: how many calls the *day* brings, and how they
spread over the day (the intraday shape, different on a Monday than on a
Saturday). The models here work that way on a (days x intervals) matrix:

- ``seasonal_naive``: every interval as on the same weekday last week;
- ``weekly_mean``: the mean of the same interval over the last four same weekdays;
- ``holt_winters``: additive Holt-Winters (ETS with damped trend and a weekly
  season, statsmodels) on daily totals, spread by the day-of-week x intraday
  shape of the last eight same weekdays.

Special days (holidays, billing dates, outages) are adjustments: in the
history the day is replaced by its usual value (the same weekday a week
before or after) so it does not distort the fit; in the horizon the usual
forecast is multiplied by the day's factor (0.3 for a holiday, 1.5 for a
billing date). Each model is backtested on rolling origins; WAPE and MAPE are
reported per interval and per day, and the lowest interval WAPE wins.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from .intervals import IntervalSeries, day_grid

FloatArray = npt.NDArray[np.float64]
Model = Callable[[FloatArray, list[datetime], int], FloatArray]


@dataclass(frozen=True)
class SpecialDay:
    day: date
    factor: float
    name: str = ""


@dataclass(frozen=True)
class Accuracy:
    """Backtest errors of one model (fractions, 0.1 = 10 %)."""

    model: str
    wape_interval: float
    mape_interval: float
    wape_day: float
    mape_day: float


@dataclass(frozen=True)
class Forecast:
    starts: list[datetime]
    calls: FloatArray
    aht_s: FloatArray | None
    model: str
    backtest: list[Accuracy] = field(default_factory=list)


def seasonal_naive(history: FloatArray, days: list[datetime], horizon: int) -> FloatArray:
    n = history.shape[0]
    idx = [n - 7 + (i % 7) if n >= 7 else n - 1 for i in range(horizon)]
    return history[idx].copy()


def weekly_mean(
    history: FloatArray, days: list[datetime], horizon: int, weeks: int = 4
) -> FloatArray:
    n = history.shape[0]
    out = np.empty((horizon, history.shape[1]))
    for i in range(horizon):
        same = [d for d in range(n - 7 + (i % 7), -1, -7)][:weeks] or [n - 1]
        out[i] = history[same].mean(axis=0)
    return out


def holt_winters(history: FloatArray, days: list[datetime], horizon: int) -> FloatArray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    totals = history.sum(axis=1)
    if len(totals) < 14:  # two weekly seasons are the least Holt-Winters can fit
        return weekly_mean(history, days, horizon)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short series
        fit = ExponentialSmoothing(
            totals, trend="add", damped_trend=True, seasonal="add", seasonal_periods=7
        ).fit()
        daily = np.maximum(np.asarray(fit.forecast(horizon), dtype=np.float64), 0.0)
    shape = _intraday_shape(history, horizon)
    return daily[:, None] * shape


def _intraday_shape(history: FloatArray, horizon: int, weeks: int = 8) -> FloatArray:
    """Share of the day's calls per interval, by weekday; closed weekdays get zeros."""
    n = history.shape[0]
    out = np.zeros((horizon, history.shape[1]))
    for i in range(horizon):
        same = list(range(n - 7 + (i % 7), -1, -7))[:weeks]
        total = history[same].sum()
        if total > 0:
            out[i] = history[same].sum(axis=0) / total
    return out


MODELS: dict[str, Model] = {
    "seasonal_naive": seasonal_naive,
    "weekly_mean": weekly_mean,
    "holt_winters": holt_winters,
}


def _clean_history(
    calls: FloatArray, days: list[datetime], special: dict[date, SpecialDay]
) -> FloatArray:
    """Replace special days by the same weekday a week before (or after)."""
    out = calls.copy()
    marked = [i for i, d in enumerate(days) if d.date() in special]
    normal = set(range(len(days))) - set(marked)
    for i in marked:
        for j in (i - 7, i + 7, i - 14, i + 14):
            if j in normal:
                out[i] = calls[j]
                break
    return out


def _adjust(fc: FloatArray, days: list[datetime], special: dict[date, SpecialDay]) -> FloatArray:
    out = fc.copy()
    for i, d in enumerate(days):
        if d.date() in special:
            out[i] *= special[d.date()].factor
    return out


def backtest(
    calls: FloatArray,
    days: list[datetime],
    special: dict[date, SpecialDay],
    horizon_days: int,
    folds: int = 4,
    models: Sequence[str] = tuple(MODELS),
) -> list[Accuracy]:
    """Rolling-origin backtest: for each fold, fit on what came before, forecast the next days."""
    h = max(1, min(horizon_days, 7))
    results: list[Accuracy] = []
    clean = _clean_history(calls, days, special)
    origins = [len(days) - (f + 1) * h for f in range(folds)]
    origins = [o for o in origins if o >= 14]
    for name in models:
        preds, actual = [], []
        for o in origins:
            fc = MODELS[name](clean[:o], days[:o], h)
            fc = _adjust(fc, days[o : o + h], special)
            preds.append(fc)
            actual.append(calls[o : o + h])
        if not preds:
            continue
        p, a = np.concatenate(preds), np.concatenate(actual)
        results.append(
            Accuracy(
                name,
                wape(p.ravel(), a.ravel()),
                mape(p.ravel(), a.ravel()),
                wape(p.sum(axis=1), a.sum(axis=1)),
                mape(p.sum(axis=1), a.sum(axis=1)),
            )
        )
    return results


def wape(forecast: FloatArray, actual: FloatArray) -> float:
    total = float(np.abs(actual).sum())
    return float(np.abs(forecast - actual).sum()) / total if total > 0 else float("nan")


def mape(forecast: FloatArray, actual: FloatArray) -> float:
    """Mean absolute percentage error over the periods that had calls."""
    m = actual > 0
    if not m.any():
        return float("nan")
    return float(np.mean(np.abs(forecast[m] - actual[m]) / actual[m]))


def forecast(
    series: IntervalSeries,
    horizon_days: int,
    model: str = "auto",
    special_days: Sequence[SpecialDay] = (),
    folds: int = 4,
) -> Forecast:
    """Forecast ``horizon_days`` whole days after the last day of the history."""
    if horizon_days < 1:
        raise ValueError("horizon_days must be >= 1")
    if model != "auto" and model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose from {', '.join(MODELS)} or auto")
    special = {s.day: s for s in special_days}
    days, calls, aht = day_grid(series)
    scores = backtest(calls, days, special, horizon_days, folds)
    if model == "auto":
        model = min(scores, key=lambda a: a.wape_interval).model if scores else "seasonal_naive"
    clean = _clean_history(calls, days, special)
    future_days = [days[-1] + timedelta(days=i + 1) for i in range(horizon_days)]
    fc = _adjust(MODELS[model](clean, days, horizon_days), future_days, special)
    fc = np.maximum(fc, 0.0)
    aht_fc = _aht_profile(calls, aht, horizon_days) if aht is not None else None
    # only the opening hours seen in the history: a closed night stays out of the file
    open_slots = sorted({series.slot_of(t) for t in series.starts})
    step = timedelta(seconds=series.interval_s)
    starts = [d + k * step for d in future_days for k in open_slots]
    return Forecast(
        starts,
        fc[:, open_slots].ravel(),
        aht_fc[:, open_slots].ravel() if aht_fc is not None else None,
        model,
        scores,
    )


def _aht_profile(calls: FloatArray, aht: FloatArray, horizon: int, weeks: int = 4) -> FloatArray:
    """Calls-weighted AHT per weekday and interval over recent weeks, falling back to the mean."""
    n = calls.shape[0]
    have = ~np.isnan(aht) & (calls > 0)
    w = np.where(have, calls, 0.0)
    a = np.where(have, aht, 0.0)
    overall = float((w * a).sum() / w.sum()) if w.sum() > 0 else float("nan")
    slot_w = w.sum(axis=0)
    slot_mean = np.where(slot_w > 0, (w * a).sum(axis=0) / np.maximum(slot_w, 1e-12), overall)
    out = np.empty((horizon, calls.shape[1]))
    for i in range(horizon):
        same = list(range(n - 7 + (i % 7), -1, -7))[:weeks]
        sw = w[same].sum(axis=0)
        recent = (w[same] * a[same]).sum(axis=0) / np.maximum(sw, 1e-12)
        out[i] = np.where(sw > 0, recent, slot_mean)
    return out
