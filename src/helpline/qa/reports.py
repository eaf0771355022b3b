"""QA reports: score per agent, team and month, trend, most-failed items, ranking.

An evaluation counts in the month holding the middle of its sample's period (a
November sample scored on 2 December is November's, in any time zone), at its
latest version. Ranks come with
their uncertainty: each agent's mean has a 95 % t-interval using the pooled
within-agent standard deviation (so an agent with one or two evaluations still
gets an honest, wide interval), and ``rank_range`` is the best and worst rank
compatible with the intervals: ranks 3 and 4 with overlapping intervals are a
tie, not a verdict. With a single evaluation per agent there is no spread
to estimate, and every rank is reported as possible.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from scipy import stats

from .ledger import Ledger
from .sampling import parse_plan
from .scorecard import Scorecard


@dataclass(frozen=True)
class Scored:
    evaluation_id: str
    agent_id: str
    team: str
    month: str  # YYYY-MM
    score: float
    failed_items: tuple[str, ...]


@dataclass
class Line:
    key: str  # agent or team
    team: str
    n: int
    mean: float
    low: float | None = None
    high: float | None = None
    previous: float | None = None
    rank: int = 0
    rank_range: tuple[int, int] = (0, 0)
    most_failed: list[tuple[str, int]] = field(default_factory=list)

    @property
    def trend(self) -> float | None:
        return None if self.previous is None else round(self.mean - self.previous, 2)

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "team": self.team,
            "n": self.n,
            "mean": round(self.mean, 2),
            "ci95": None if self.low is None else [round(self.low, 2), round(self.high or 0, 2)],
            "previous_month": None if self.previous is None else round(self.previous, 2),
            "trend": self.trend,
            "rank": self.rank,
            "rank_range": list(self.rank_range),
            "most_failed": [{"item": i, "times": k} for i, k in self.most_failed],
        }


def scored(
    ledger: Ledger,
    cards: Mapping[tuple[str, int], Scorecard],
    team_of: Callable[[str], str],
    month_of: Callable[[int], str],
) -> list[Scored]:
    """Latest version of every evaluation, with the items that missed points."""
    out = []
    for eid, state in sorted(ledger.evaluations.items()):
        v = state.latest
        sample = ledger.samples.get(v.sample_id)
        if sample is not None:
            plan = parse_plan(sample.committed.plan, v.sample_id)
            # the middle of the period: a month sampled in Beijing time is still that
            # month when the report is read in UTC
            when = (plan.start_ms + plan.end_ms) // 2
        else:
            when = v.ts
        card = cards.get((v.scorecard, v.scorecard_version))
        failed: tuple[str, ...] = ()
        if card is not None:
            earned = v.item_scores
            failed = tuple(i.id for i in card.items() if earned.get(i.id, i.weight) < i.weight)
        out.append(Scored(eid, v.agent_id, team_of(v.agent_id), month_of(when), v.score, failed))
    return out


def report(rows: Sequence[Scored], month: str, by: str = "agent", top_items: int = 3) -> list[Line]:
    """One line per agent (or team) for ``month``, ranked, with the previous month's mean."""
    key: Callable[[Scored], str] = (lambda r: r.agent_id) if by == "agent" else (lambda r: r.team)
    now = [r for r in rows if r.month == month]
    prev_month = _previous(month)
    before: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r.month == prev_month:
            before[key(r)].append(r.score)
    groups: dict[str, list[Scored]] = defaultdict(list)
    for r in now:
        groups[key(r)].append(r)
    lines = []
    for k, rs in groups.items():
        xs = [r.score for r in rs]
        failed = Counter(i for r in rs for i in r.failed_items)
        prev = before.get(k)
        lines.append(
            Line(
                k, rs[0].team, len(xs), sum(xs) / len(xs),
                previous=sum(prev) / len(prev) if prev else None,
                most_failed=sorted(failed.items(), key=lambda kv: (-kv[1], kv[0]))[:top_items],
            )
        )  # fmt: skip
    _intervals(lines, groups)
    _rank(lines)
    return lines


def _intervals(lines: list[Line], groups: Mapping[str, list[Scored]]) -> None:
    ss = sum(sum((r.score - line.mean) ** 2 for r in groups[line.key]) for line in lines)
    df = sum(line.n for line in lines) - len(lines)
    if df < 1:
        return
    sd = math.sqrt(ss / df)
    t = float(stats.t.ppf(0.975, df))
    for line in lines:
        half = t * sd / math.sqrt(line.n)
        line.low, line.high = max(0.0, line.mean - half), min(100.0, line.mean + half)


def _rank(lines: list[Line]) -> None:
    lines.sort(key=lambda x: (-x.mean, x.key))
    for i, line in enumerate(lines, start=1):
        line.rank = i
        if line.low is None or line.high is None:
            line.rank_range = (1, len(lines))  # no spread known: any order is possible
            continue
        surely_above = sum(1 for o in lines if o is not line and (o.low or 0) > line.high)
        maybe_above = sum(1 for o in lines if o is not line and (o.high or 0) >= line.low)
        line.rank_range = (1 + surely_above, 1 + maybe_above)


def _previous(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"
