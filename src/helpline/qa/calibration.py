"""Calibration: do evaluators score the same calls the same way?

Several evaluators score the same calls. Agreement is Krippendorff's alpha
(interval metric; on yes/no items it equals the nominal alpha), per item and on
the total score: 1 is perfect agreement, 0 is what chance would give, and the
usual reading is that below 0.667 the scores should not be relied on.
Implemented here with numpy from Krippendorff's definition (observed over
expected disagreement of all pairable values) because no small maintained
package was installable offline; it is checked against the worked example of
Krippendorff (2011) in the tests.

Each evaluator's bias is their mean difference from the consensus (the median)
of the *other* evaluators on the same calls, with a 95 % t-interval; the median
keeps one harsh evaluator from making everyone else look lenient. An evaluator is
flagged as an outlier when the bias is at least ``tolerance`` points and its
interval excludes zero. Bias-adjusted scores subtract the evaluator's bias.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .scorecard import Scorecard, check_answers, total

ALPHA_RELIABLE = 0.667


def krippendorff_alpha(data: np.ndarray, metric: str = "interval") -> float | None:
    """Alpha for a coders x units array with NaN for missing; None without variation."""
    values = np.asarray(data, dtype=float)
    units = [col[~np.isnan(col)] for col in values.T]
    units = [u for u in units if len(u) >= 2]
    if not units:
        return None
    pooled = np.concatenate(units)
    n = len(pooled)
    d_o = sum(_pair_disagreement(u, metric) / (len(u) - 1) for u in units) / n
    d_e = _pair_disagreement(pooled, metric) / (n * (n - 1))
    if d_e == 0:
        return None
    return float(1 - d_o / d_e)


def _pair_disagreement(v: np.ndarray, metric: str) -> float:
    """Sum of the distance over ordered pairs i != j of values in v."""
    m = len(v)
    if metric == "interval":
        return float(2 * (m * np.sum(v * v) - np.sum(v) ** 2))
    if metric == "nominal":
        _, counts = np.unique(v, return_counts=True)
        return float(m * m - np.sum(counts * counts))
    raise ValueError(f"unknown metric {metric!r}")


@dataclass(frozen=True)
class Rating:
    call_id: str
    evaluator: str
    answers: Mapping[str, str]


@dataclass(frozen=True)
class Bias:
    evaluator: str
    calls: int
    mean: float  # points above (+) or below (-) the others' consensus
    low: float | None
    high: float | None
    outlier: bool


@dataclass(frozen=True)
class Calibration:
    calls: int
    evaluators: list[str]
    overall_alpha: float | None
    item_alpha: dict[str, float | None]
    bias: list[Bias]
    scores: dict[tuple[str, str], float]  # (call, evaluator) -> score
    adjusted: dict[tuple[str, str], float]  # bias-adjusted

    def to_dict(self) -> dict[str, object]:
        return {
            "calls": self.calls,
            "evaluators": self.evaluators,
            "overall_alpha": _r(self.overall_alpha),
            "reliable": self.overall_alpha is not None and self.overall_alpha >= ALPHA_RELIABLE,
            "item_alpha": {k: _r(v) for k, v in self.item_alpha.items()},
            "bias": [
                {
                    "evaluator": b.evaluator, "calls": b.calls, "mean": round(b.mean, 2),
                    "ci95": None if b.low is None else [round(b.low, 2), round(b.high or 0, 2)],
                    "outlier": b.outlier,
                }
                for b in self.bias
            ],
            "scores": [
                {"call_id": c, "evaluator": e, "score": s, "adjusted": self.adjusted[(c, e)]}
                for (c, e), s in sorted(self.scores.items())
            ],
        }  # fmt: skip


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def calibrate(card: Scorecard, ratings: Sequence[Rating], tolerance: float = 5.0) -> Calibration:
    evaluators = sorted({r.evaluator for r in ratings})
    calls = sorted({r.call_id for r in ratings})
    ei = {e: i for i, e in enumerate(evaluators)}
    ci = {c: i for i, c in enumerate(calls)}
    scores: dict[tuple[str, str], float] = {}
    per_item = {item.id: np.full((len(evaluators), len(calls)), np.nan) for item in card.items()}
    totals = np.full((len(evaluators), len(calls)), np.nan)
    for r in ratings:
        clean = check_answers(card, r.answers, f"rating {r.call_id}/{r.evaluator}")
        s = total(card, clean)
        scores[(r.call_id, r.evaluator)] = s
        totals[ei[r.evaluator], ci[r.call_id]] = s
        for item in card.items():
            f = item.fraction(clean[item.id])
            if f is not None:
                per_item[item.id][ei[r.evaluator], ci[r.call_id]] = f
    biases = [_bias(e, ei[e], totals, tolerance) for e in evaluators]
    by_e = {b.evaluator: b.mean for b in biases}
    adjusted = {k: round(v - by_e[k[1]], 2) for k, v in scores.items()}
    return Calibration(
        len(calls),
        evaluators,
        krippendorff_alpha(totals),
        {k: krippendorff_alpha(v) for k, v in per_item.items()},
        biases,
        scores,
        adjusted,
    )


def _bias(name: str, row: int, totals: np.ndarray, tolerance: float) -> Bias:
    diffs = []
    for j in range(totals.shape[1]):
        mine = totals[row, j]
        others = np.delete(totals[:, j], row)
        others = others[~np.isnan(others)]
        if not math.isnan(mine) and len(others):
            diffs.append(mine - float(np.median(others)))
    if not diffs:
        return Bias(name, 0, 0.0, None, None, False)
    mean = float(np.mean(diffs))
    if len(diffs) < 2:
        return Bias(name, 1, mean, None, None, False)
    half = float(stats.t.ppf(0.975, len(diffs) - 1) * np.std(diffs, ddof=1) / math.sqrt(len(diffs)))
    low, high = mean - half, mean + half
    outlier = abs(mean) >= tolerance and (low > 0 or high < 0)
    return Bias(name, len(diffs), mean, low, high, outlier)
