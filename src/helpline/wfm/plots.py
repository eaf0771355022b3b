"""Charts a planner expects: history vs forecast, requirement vs coverage, schedule Gantt.

Functions build matplotlib figures (Agg backend) and return them; saving is
the caller's business, so this module stays free of I/O.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .forecast import Forecast
from .intervals import IntervalSeries
from .schedule import Schedule

_CJK = [
    f.name
    for f in font_manager.fontManager.ttflist
    if any(k in f.name for k in ("CJK", "Hei", "Ming", "Song", "Kai"))
]
if _CJK:
    plt.rcParams["font.sans-serif"] = [_CJK[0], "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False


def _t(en: str, zh: str) -> str:
    """Chinese beside English where a CJK font is installed; English alone otherwise."""
    return f"{zh} {en}" if _CJK else en


_COLORS = {"shift": "#4C72B0", "meal": "#DD8452", "break": "#55A868"}


def forecast_figure(history: IntervalSeries, fc: Forecast, history_days: int = 21) -> Figure:
    fig, ax = plt.subplots(figsize=(12, 4))
    cut = history.starts[-1] - timedelta(days=history_days)
    keep = [i for i, t in enumerate(history.starts) if t >= cut]
    past = np.array([history.starts[i] for i in keep], dtype="datetime64[m]")
    ax.plot(past, history.calls[keep], lw=0.8, label=_t("history", "历史"))
    future = np.array(fc.starts, dtype="datetime64[m]")
    ax.plot(future, fc.calls, lw=0.8, label=_t(f"forecast ({fc.model})", "预测"))
    ax.set_ylabel(_t("calls per interval", "每时段来话"))
    ax.set_title(_t("History vs forecast", "历史与预测"))
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def coverage_figure(s: Schedule) -> Figure:
    fig, ax = plt.subplots(figsize=(12, 4))
    starts = np.array(
        [s.origin + timedelta(minutes=i * s.interval_min) for i in range(len(s.requirement))],
        dtype="datetime64[m]",
    )
    ax.step(starts, s.requirement, where="post", lw=1.0, label=_t("requirement", "需求"))
    ax.step(starts, s.coverage, where="post", lw=1.0, label=_t("scheduled on phone", "在线排班"))
    ax.set_ylabel(_t("agents", "坐席"))
    ax.set_title(
        _t(f"Requirement vs coverage (under {s.under:.0f}, over {s.over:.0f})", "需求与覆盖")
    )
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def gantt_figure(s: Schedule, day: int | None = None, max_agents: int = 40) -> Figure:
    """One day's shifts, meals and breaks (by default the first day anyone works)."""
    if day is None:
        first = min((a.start_min for a in s.activities if a.kind == "shift"), default=0)
        day = first // 1440
    lo, hi = day * 1440, (day + 1) * 1440
    agents = sorted({a.agent for a in s.activities if a.kind == "shift" and lo <= a.start_min < hi})
    agents = agents[:max_agents]
    row = {a: i for i, a in enumerate(agents)}
    fig, ax = plt.subplots(figsize=(12, max(3.0, 0.25 * len(agents) + 1)))
    for a in s.activities:
        if a.agent in row and lo <= a.start_min < hi:
            width = (a.end_min - a.start_min) / 60
            ax.barh(row[a.agent], width, left=(a.start_min - lo) / 60, color=_COLORS[a.kind],
                    height=0.8 if a.kind == "shift" else 0.5)  # fmt: skip
    ax.set_yticks(range(len(agents)), agents, fontsize=6)
    ax.set_xlim(0, 24 if not agents else max(24, ax.get_xlim()[1]))
    ax.set_xlabel(_t("hours from midnight", "时刻"))
    date: datetime = s.origin + timedelta(days=day)
    ax.set_title(_t(f"Schedule {date:%Y-%m-%d}: shift / meal / break", "排班"))
    ax.invert_yaxis()
    handles = [Patch(color=c, label=k) for k, c in _COLORS.items()]
    ax.legend(handles=handles, loc="lower right", fontsize=7)
    fig.tight_layout()
    return fig
