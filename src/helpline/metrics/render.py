"""KPI tables for the terminal: a report in, a ``rich`` Table out (no printing here).

Headers are Chinese first, English second, as the floor reads them. Undefined
KPIs show as an em dash, never as 0.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table

from ..core.clock import MS_PER_HOUR, MS_PER_MIN
from .report import AgentKpis, IntervalKpis, KpiReport, QueueKpis, TeamKpis, WorkKpis

DASH = "—"


def pct(x: float | None) -> str:
    return DASH if x is None else f"{x * 100:.1f}%"


def secs(x: float | None) -> str:
    return DASH if x is None else f"{x:.1f}"


def _sl(q: QueueKpis) -> str:
    if q.service_level is None:
        return DASH
    target = f" /{q.sl_target_s:g}s" if q.sl_target_s is not None else ""
    return f"{pct(q.service_level)}{target}"


_QUEUE_COLUMNS = (
    "来电\nOffered", "接通\nAnswered", "放弃(短)\nAband.(short)", "服务水平\nSL",
    "平均应答\nASA s", "平均等待\nAvg wait s", "P90等待\nP90 wait s", "平均处理\nAHT s",
    "占用率\nOcc.", "转接率\nTransfer",
)  # fmt: skip


def _queue_cells(q: QueueKpis) -> list[str]:
    return [
        str(q.offered),
        str(q.answered),
        f"{q.abandoned} ({q.short_abandoned})",
        _sl(q),
        secs(q.asa_s),
        secs(q.avg_wait_s),
        secs(q.p90_wait_s),
        secs(q.aht_s),
        pct(q.occupancy),
        pct(q.transfer_rate),
    ]


def _numeric_table(title: str, first: str, columns: Iterable[str]) -> Table:
    table = Table(title=title)
    table.add_column(first, no_wrap=True)
    for c in columns:
        table.add_column(c, justify="right")
    return table


def queue_table(report: KpiReport, title: str = "队列指标 Queue KPIs") -> Table:
    """One row per queue and a total row: the table ``helpline simulate`` prints."""
    table = _numeric_table(title, "队列\nQueue", _QUEUE_COLUMNS)
    for name, q in report.queues.items():
        table.add_row(name, *_queue_cells(q))
    table.add_section()
    table.add_row("合计 Total", *_queue_cells(report.total), style="bold")
    return table


def interval_table(report: KpiReport, queue: str | None = None) -> Table:
    """One row per slot for ``queue`` (the whole center when None); times in UTC+offset."""
    rows: list[IntervalKpis] = report.total_intervals if queue is None else report.intervals[queue]
    title = f"{queue or '合计 Total'} · {report.interval_min} min"
    table = _numeric_table(title, "时段\nStart", _QUEUE_COLUMNS)
    for s in rows:
        table.add_row(_clock(s.start_ms, report), *_queue_cells(s))
    return table


def _clock(ms: int, report: KpiReport) -> str:
    # Slot starts are shown as the local wall time their grid was aligned to.
    local = ms + report.tz_offset_ms
    day_ms = local % (24 * MS_PER_HOUR)
    return f"{day_ms // MS_PER_HOUR:02d}:{day_ms % MS_PER_HOUR // MS_PER_MIN:02d}"


_WORK_COLUMNS = (
    "处理\nHandled", "平均处理\nAHT s", "通话\nTalk s", "保持\nHold s", "话后\nWrap s",
    "占用率\nOcc.", "每小时\nCalls/h", "在岗小时\nStaffed h", "未接\nRONA", "转接\nTransfers",
)  # fmt: skip


def _work_cells(w: WorkKpis) -> list[str]:
    return [
        str(w.handled),
        secs(w.aht_s),
        secs(w.talk_s),
        secs(w.hold_s),
        secs(w.wrap_s),
        pct(w.occupancy),
        DASH if w.calls_per_hour is None else f"{w.calls_per_hour:.1f}",
        f"{w.staffed_s / 3600:.2f}",
        str(w.rona),
        str(w.transfers),
    ]


def agent_table(report: KpiReport, agents: Iterable[AgentKpis] | None = None) -> Table:
    table = _numeric_table("坐席指标 Agent KPIs", "坐席\nAgent", ("班组\nTeam", *_WORK_COLUMNS))
    for a in report.agents.values() if agents is None else agents:
        table.add_row(a.agent_id, a.team or DASH, *_work_cells(a))
    return table


def team_table(report: KpiReport) -> Table:
    table = _numeric_table("班组指标 Team KPIs", "班组\nTeam", ("人数\nAgents", *_WORK_COLUMNS))
    teams: Iterable[TeamKpis] = report.teams.values()
    for t in teams:
        table.add_row(t.team or DASH, str(t.agents), *_work_cells(t))
    return table
