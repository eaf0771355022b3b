"""Figures of a KPI report: what a planner would rather see than read.

Builds matplotlib figures (no file I/O here); the CLI saves them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from matplotlib.figure import Figure  # a bare Figure needs no GUI backend

from .report import KpiReport


def interval_figure(report: KpiReport, title: str = "") -> Figure:
    """Offered calls and service level per interval, one line per queue."""
    tz = timedelta(milliseconds=report.tz_offset_ms)
    fig = Figure(figsize=(12, 7), constrained_layout=True)
    ax_calls, ax_sl = fig.subplots(2, 1, sharex=True)
    for name, rows in report.intervals.items():
        if not any(r.offered for r in rows):
            continue
        when = [datetime.fromtimestamp(r.start_ms / 1000, UTC) + tz for r in rows]
        ax_calls.step(when, [r.offered for r in rows], where="post", label=name)
        sl = [r.service_level * 100 if r.service_level is not None else None for r in rows]
        ax_sl.plot(when, sl, marker=".", label=name)
    ax_calls.set_ylabel(f"offered / {report.interval_min} min")
    ax_sl.set_ylabel("service level %")
    ax_sl.set_ylim(0, 105)
    ax_sl.axhline(80, color="grey", linestyle="--", linewidth=0.8)
    ax_calls.legend(loc="upper left", ncols=3, fontsize="small")
    ax_calls.set_title(title or "Offered calls and service level per interval")
    ax_sl.set_xlabel(f"local time (UTC{'+' if report.tz_offset_ms >= 0 else '-'}"
                     f"{abs(report.tz_offset_ms) // 3_600_000:02d})")  # fmt: skip
    for ax in (ax_calls, ax_sl):
        ax.grid(alpha=0.3)
    return fig
