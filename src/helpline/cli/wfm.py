"""`helpline wfm` commands: forecast, staff, schedule (and plots of each).

预测 → 人力需求 → 排班: read CSV/YAML files, call the pure planning code in
``helpline.wfm``, write CSV and PNG files.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..config import read_yaml
from ..core.errors import InputError, Problem
from ..wfm.erlang import Targets
from ..wfm.forecast import MODELS, SpecialDay, forecast
from ..wfm.intervals import IntervalSeries, day_grid, parse_intervals, to_csv
from ..wfm.rules import parse_rules
from ..wfm.schedule import Schedule, schedule
from ..wfm.staffing import requirement
from ..wfm.whatif import Stint

app = typer.Typer(
    help="劳动力管理 workforce management: forecast, staffing, schedules.",
    no_args_is_help=True,
)
out = Console()
err = Console(stderr=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), [Problem("", "file not found", None, False)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), [Problem("", f"cannot read: {exc}", None, False)]) from None


def _save_figure(fig: object, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=110)  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]


def _special_days(path: Path | None) -> list[SpecialDay]:
    """``date,factor[,name]`` rows: 2026-12-01,1.4,billing day."""
    if path is None:
        return []
    reader = csv.DictReader(io.StringIO(_read(path)))
    problems: list[Problem] = []
    days: list[SpecialDay] = []
    for row in reader:
        line = reader.line_num
        try:
            d = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            problems.append(Problem(f"line {line}: date", "not an ISO date", row.get("date")))
            continue
        try:
            factor = float(row.get("factor") or "")
            if not (math.isfinite(factor) and factor >= 0):
                raise ValueError
        except ValueError:
            problems.append(
                Problem(f"line {line}: factor", "must be a number >= 0", row.get("factor"))
            )
            continue
        days.append(SpecialDay(d, factor, (row.get("name") or "").strip()))
    if problems:
        raise InputError(str(path), problems)
    return days


@app.command("forecast")
def forecast_command(
    history: Path | None = typer.Argument(None, help="interval CSV: start, calls[, aht_s]"),
    horizon_days: int = typer.Option(7, "--horizon-days", help="预测天数 days to forecast"),
    out_csv: Path = typer.Option(..., "--out", help="forecast CSV (start, calls[, aht_s])"),
    plot: Path | None = typer.Option(None, "--plot", help="PNG: history vs forecast"),
    model: str = typer.Option("auto", "--model", help=f"auto or one of {', '.join(MODELS)}"),
    special: Path | None = typer.Option(
        None, "--special-days", help="CSV date,factor[,name]: holidays, billing days, outages"
    ),
    log: str | None = typer.Option(None, "--log", help="event log URL instead of a CSV"),
    queue: str | None = typer.Option(None, "--queue", help="with --log: one queue only"),
    interval_min: int = typer.Option(30, "--interval-min", help="with --log: interval length"),
    tz_offset_h: float = typer.Option(0.0, "--tz-offset-h", help="with --log: local minus UTC"),
) -> None:
    """预测来话 Forecast calls per interval; the model is chosen by backtest."""
    src = "helpline wfm forecast"
    if horizon_days < 1:
        raise InputError(src, [Problem("--horizon-days", "must be >= 1", horizon_days)])
    if model != "auto" and model not in MODELS:
        raise InputError(src, [Problem("--model", f"choose auto or {', '.join(MODELS)}", model)])
    if (history is None) == (log is None):
        raise InputError(
            src, [Problem("HISTORY", "give an interval CSV or --log, not both", None, False)]
        )
    if interval_min <= 0 or 1440 % interval_min:
        raise InputError(src, [Problem("--interval-min", "must divide a day", interval_min)])
    if history is not None:
        series = parse_intervals(_read(history), str(history))
    else:
        from ..store.eventlog import EventLog
        from ..wfm.intervals import volumes_from_events

        types = ["CallArrived", "CallQueued", "CallAnswered", "WrapUpEnded"]
        with EventLog.open(str(log)) as store:
            series = volumes_from_events(
                store.read(types=types), interval_min * 60, int(tz_offset_h * 3_600_000), queue
            )
    with _spinner("回测模型 backtesting models"):
        fc = forecast(series, horizon_days, model, _special_days(special))
    out_csv.write_text(to_csv(fc.starts, fc.calls, fc.aht_s), encoding="utf-8")
    table = Table(title=f"回测 Backtest (选用 chosen: {fc.model})")
    for col in ("model", "WAPE interval", "MAPE interval", "WAPE day", "MAPE day"):
        table.add_column(col, justify="right")
    for a in fc.backtest:
        mark = " *" if a.model == fc.model else ""
        table.add_row(
            a.model + mark,
            *(f"{v:.1%}" for v in (a.wape_interval, a.mape_interval, a.wape_day, a.mape_day)),
        )
    out.print(table)
    if plot is not None:
        from ..wfm.plots import forecast_figure

        _save_figure(forecast_figure(series, fc), plot)
    out.print(f"wrote {out_csv} ({len(fc.starts)} intervals)" + (f" and {plot}" if plot else ""))


@app.command("staff")
def staff_command(
    forecast_csv: Path = typer.Argument(..., help="interval CSV: start, calls[, aht_s]"),
    out_csv: Path = typer.Option(
        ..., "--out", help="requirement CSV (start, calls, aht_s, agents)"
    ),
    service_level: float | None = typer.Option(0.8, "--sl", help="服务水平目标 e.g. 0.8"),
    sl_target_s: float = typer.Option(20.0, "--sl-target-s", help="answer within, seconds"),
    asa_s: float | None = typer.Option(None, "--asa-s", help="maximum ASA, seconds"),
    max_occupancy: float | None = typer.Option(None, "--max-occupancy", help="e.g. 0.85"),
    max_abandon: float | None = typer.Option(None, "--max-abandon", help="e.g. 0.05 (Erlang A)"),
    patience_s: float | None = typer.Option(None, "--patience-s", help="mean patience: Erlang A"),
    aht_s: float = typer.Option(300.0, "--aht-s", help="AHT where the CSV has none"),
    shrinkage: float = typer.Option(0.0, "--shrinkage", help="unplanned absence share, 0..1"),
) -> None:
    """人力需求 Agents required per interval (Erlang C, or Erlang A with --patience-s)."""
    try:
        targets = Targets(service_level, sl_target_s, asa_s, max_occupancy, max_abandon, patience_s)
    except ValueError as exc:
        raise InputError(
            "helpline wfm staff", [Problem("targets", str(exc), None, False)]
        ) from None
    if not 0 <= shrinkage < 1:
        raise InputError(
            "helpline wfm staff", [Problem("--shrinkage", "must be in [0, 1)", shrinkage)]
        )
    if not aht_s > 0:
        raise InputError("helpline wfm staff", [Problem("--aht-s", "must be > 0", aht_s)])
    series = parse_intervals(_read(forecast_csv), str(forecast_csv))
    agents = requirement(series, targets, aht_s, shrinkage)
    aht = series.aht_s if series.aht_s is not None else np.full(len(series), aht_s)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["start", "calls", "aht_s", "agents"])
    for i, t in enumerate(series.starts):
        w.writerow(
            [
                t.isoformat(timespec="minutes"),
                f"{series.calls[i]:.2f}",
                f"{aht[i]:.1f}",
                int(agents[i]),
            ]
        )
    out_csv.write_text(buf.getvalue(), encoding="utf-8")
    out.print(
        f"wrote {out_csv}: peak {int(agents.max())} agents, {int(agents.sum())} agent-intervals"
    )


@app.command("schedule")
def schedule_command(
    requirement_csv: Path = typer.Argument(..., help="CSV with start, agents (from wfm staff)"),
    rules_yaml: Path = typer.Option(
        ..., "--rules", help="RULES.yaml: shifts, agents, meals, breaks"
    ),
    out_csv: Path = typer.Option(..., "--out", help="SCHEDULE.csv: agent, activity, start, end"),
    plot: Path | None = typer.Option(None, "--plot", help="PNG: requirement vs coverage"),
    gantt: Path | None = typer.Option(None, "--gantt", help="PNG: first day's Gantt chart"),
    time_limit_s: float = typer.Option(60.0, "--time-limit-s", help="solver time limit"),
) -> None:
    """排班 Shifts from templates and labour rules; meals and breaks where traffic is lowest."""
    rules = parse_rules(read_yaml(rules_yaml), str(rules_yaml))
    series = parse_intervals(_read(requirement_csv), str(requirement_csv), value_column="agents")
    origin, req, interval_min = requirement_grid(series)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("排班 scheduling", total=3)
        steps = {
            "plan": "1/3 班次数量 shift counts",
            "assign": "2/3 分配坐席 agents",
            "breaks": "3/3 用餐小休 meals and breaks",
        }

        def step(name: str) -> None:
            progress.update(task, description=steps[name], advance=0 if name == "plan" else 1)

        result = schedule(rules, origin, req, interval_min, time_limit_s, progress=step)
        progress.update(task, completed=3)
    out_csv.write_text(schedule_csv(result), encoding="utf-8")
    _summary(result)
    if plot is not None or gantt is not None:
        from ..wfm.plots import coverage_figure, gantt_figure

        if plot is not None:
            _save_figure(coverage_figure(result), plot)
        if gantt is not None:
            _save_figure(gantt_figure(result), gantt)
    out.print(f"wrote {out_csv}")


def requirement_grid(series: IntervalSeries) -> tuple[datetime, np.ndarray, int]:
    """Requirement as whole days from midnight of the first day (missing intervals need 0)."""
    days, grid, _ = day_grid(series)
    return days[0], grid.ravel(), series.interval_s // 60


def schedule_csv(s: Schedule) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["agent", "activity", "start", "end", "shift"])
    for a in s.activities:
        w.writerow(
            [
                a.agent,
                a.kind,
                s.at(a.start_min).isoformat(timespec="minutes"),
                s.at(a.end_min).isoformat(timespec="minutes"),
                a.shift,
            ]
        )
    return buf.getvalue()


def _summary(s: Schedule) -> None:
    shifts = [a for a in s.activities if a.kind == "shift"]
    t = Table(title="排班结果 Schedule")
    t.add_column("指标 measure")
    t.add_column("值 value", justify="right")
    t.add_row("排班坐席 agents scheduled", str(len({a.agent for a in shifts})))
    t.add_row("班次 shifts", str(len(shifts)))
    t.add_row(
        "用餐/小休 meals / breaks",
        f"{sum(a.kind == 'meal' for a in s.activities)} / "
        f"{sum(a.kind == 'break' for a in s.activities)}",
    )
    t.add_row("覆盖不足 under-coverage (agent-intervals)", f"{s.under:.1f}")
    t.add_row("覆盖过剩 over-coverage (agent-intervals)", f"{s.over:.1f}")
    t.add_row("未分配班次 shifts without an agent", str(s.unassigned_shifts))
    t.add_row("未安排休息 pauses not placed", str(s.unplaced_breaks))
    t.add_row("求解时间 solve time", f"{sum(s.timings.values()):.1f} s")
    out.print(t)


class _spinner:
    def __init__(self, text: str) -> None:
        self.progress = Progress(
            TextColumn(f"[bold]{text}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )

    def __enter__(self) -> None:
        self.progress.__enter__()
        self.progress.add_task("work", total=None)

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)


def read_stints(path: Path) -> list[Stint]:
    """SCHEDULE.csv rows (agent, activity, start, end) as stints; bad rows by line."""
    reader = csv.DictReader(io.StringIO(_read(path)))
    missing = {"agent", "activity", "start", "end"} - set(reader.fieldnames or [])
    if missing:
        raise InputError(
            str(path),
            [Problem("header", f"missing column(s) {sorted(missing)}", reader.fieldnames)],
        )
    out: list[Stint] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
        kind = (row["activity"] or "").strip()
        if kind not in ("shift", "meal", "break"):
            problems.append(Problem(f"line {line}: activity", "must be shift, meal or break", kind))
            continue
        try:
            start, end = datetime.fromisoformat(row["start"]), datetime.fromisoformat(row["end"])
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    f"line {line}: start/end", "not ISO 8601 times", f"{row['start']} {row['end']}"
                )
            )
            continue
        if end <= start:
            problems.append(Problem(f"line {line}: end", "must be after start", row["end"]))
            continue
        out.append(
            Stint(row["agent"].strip(), kind, start.replace(tzinfo=None), end.replace(tzinfo=None))
        )
    if problems:
        raise InputError(str(path), problems)
    return out


@app.command("whatif")
def whatif_command(
    schedule_csv: Path = typer.Argument(..., help="SCHEDULE.csv (agent, activity, start, end)"),
    forecast_csv: Path = typer.Argument(..., help="FORECAST.csv (start, calls[, aht_s])"),
    aht_s: float = typer.Option(300.0, "--aht-s", help="AHT where the forecast has none"),
    patience_s: float | None = typer.Option(
        None, "--patience-s", help="mean patience (callers hang up)"
    ),
    sl_target_s: float = typer.Option(20.0, "--sl-target-s"),
    seed: int = typer.Option(1, "--seed"),
    out_csv: Path | None = typer.Option(None, "--out", help="per-interval results CSV"),
) -> None:
    """模拟验证 Simulate a schedule against a forecast with the engine that routes live calls."""
    from ..wfm.whatif import whatif

    problems = []
    if not aht_s > 0:
        problems.append(Problem("--aht-s", "must be > 0", aht_s))
    if patience_s is not None and not patience_s > 0:
        problems.append(Problem("--patience-s", "must be > 0", patience_s))
    if problems:
        raise InputError("helpline wfm whatif", problems)
    stints = read_stints(schedule_csv)
    series = parse_intervals(_read(forecast_csv), str(forecast_csv))
    with _spinner("模拟中 simulating"):
        rows = whatif(stints, series, aht_s, patience_s, sl_target_s, seed)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "start",
            "forecast_calls",
            "on_phone",
            "offered",
            "service_level",
            "abandon_rate",
            "asa_s",
            "erlang_service_level",
            "erlang_abandon_rate",
        ]
    )
    fmt = lambda v: "" if v is None else f"{v:.4f}"  # noqa: E731
    for r in rows:
        w.writerow(
            [
                r.start.isoformat(timespec="minutes"),
                f"{r.forecast_calls:.1f}",
                f"{r.on_phone:.1f}",
                r.offered,
                fmt(r.service_level),
                fmt(r.abandon_rate),
                fmt(r.asa_s),
                fmt(r.erlang_service_level),
                fmt(r.erlang_abandon_rate),
            ]
        )
    if out_csv is not None:
        out_csv.write_text(buf.getvalue(), encoding="utf-8")
    offered = sum(r.offered for r in rows)
    answered_in = sum((r.service_level or 0) * r.offered for r in rows)
    abandoned = sum((r.abandon_rate or 0) * r.offered for r in rows)
    t = Table(title="模拟结果 What-if")
    t.add_column("指标 measure")
    t.add_column("值 value", justify="right")
    t.add_row("来话 calls offered", str(offered))
    t.add_row("服务水平 service level", f"{answered_in / offered:.1%}" if offered else "-")
    t.add_row("放弃率 abandoned", f"{abandoned / offered:.1%}" if offered else "-")
    worst = [r for r in rows if r.service_level is not None and r.offered >= 10]
    worst.sort(key=lambda r: r.service_level or 0)
    for r in worst[:3]:
        t.add_row(f"最差时段 weakest interval {r.start:%m-%d %H:%M}", f"{r.service_level:.1%}")
    out.print(t)
    if out_csv is not None:
        out.print(f"wrote {out_csv}")


@app.command("adherence")
def adherence_command(
    schedule_csv: Path = typer.Argument(..., help="SCHEDULE.csv (agent, activity, start, end)"),
    log: str = typer.Option(..., "--log", help="event log URL, e.g. sqlite:///helpline.sqlite"),
    day: str = typer.Option(..., "--date", help="local date to check, YYYY-MM-DD"),
    tz_offset_h: float = typer.Option(0.0, "--tz-offset-h", help="local time minus UTC, hours"),
) -> None:
    """遵守率 Adherence and conformance: the schedule against agent states in the event log."""
    from ..store.eventlog import EventLog
    from ..wfm.adherence import adherence

    try:
        start = datetime.combine(date.fromisoformat(day), datetime.min.time())
    except ValueError:
        raise InputError(
            "helpline wfm adherence", [Problem("--date", "not YYYY-MM-DD", day)]
        ) from None
    stints = [s for s in read_stints(schedule_csv) if s.start.date() == start.date()]
    types = [
        "AgentLoggedIn",
        "AgentStateChanged",
        "AgentLoggedOut",
        "CallOffered",
        "CallAnswered",
        "CallEnded",
        "WrapUpEnded",
    ]
    with EventLog.open(log) as store:
        rows = adherence(
            stints,
            store.read(types=types),
            start,
            start.replace(hour=23, minute=59),
            int(tz_offset_h * 3_600_000),
        )
    t = Table(title=f"遵守率 Adherence {day}")
    for col in ("坐席 agent", "排班 scheduled min", "遵守率 adherence", "符合度 conformance"):
        t.add_column(col, justify="right")
    for r in rows:
        t.add_row(r.agent, f"{r.scheduled_min:.0f}", f"{r.adherence:.1%}", f"{r.conformance:.1%}")
    sched = sum(r.scheduled_min for r in rows)
    if sched:
        total = sum(r.in_adherence_min for r in rows) / sched
        t.add_row("[bold]全部 all", f"{sched:.0f}", f"{total:.1%}", "")
    out.print(t)


@app.command("meal-delay")
def meal_delay_command(
    schedule_csv: Path = typer.Argument(..., help="SCHEDULE.csv"),
    requirement_csv: Path = typer.Option(..., "--requirement", help="CSV with start, agents"),
    agent: str = typer.Option(..., "--agent"),
    day: str = typer.Option(..., "--date", help="YYYY-MM-DD"),
    delay_min: int = typer.Option(20, "--delay-min", help="minutes to push the meal back"),
    out_csv: Path = typer.Option(..., "--out", help="the updated SCHEDULE.csv"),
) -> None:
    """推迟用餐 Move an agent's meal later (a long call ate it) and re-check coverage."""
    from ..wfm.adherence import delay_meal

    if delay_min <= 0:
        raise InputError(
            "helpline wfm meal-delay", [Problem("--delay-min", "must be > 0", delay_min)]
        )
    try:
        the_day = datetime.combine(date.fromisoformat(day), datetime.min.time())
    except ValueError:
        raise InputError(
            "helpline wfm meal-delay", [Problem("--date", "not YYYY-MM-DD", day)]
        ) from None
    stints = read_stints(schedule_csv)
    if not any(
        s.agent == agent and s.kind == "meal" and s.start.date() == the_day.date() for s in stints
    ):
        raise InputError(
            "helpline wfm meal-delay", [Problem("--agent", f"has no meal on {day}", agent)]
        )
    req = parse_intervals(_read(requirement_csv), str(requirement_csv), value_column="agents")
    move = delay_meal(
        stints, agent, the_day, delay_min, req.calls, list(req.starts), req.interval_s
    )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["agent", "activity", "start", "end"])
    for s in move.stints:
        w.writerow(
            [
                s.agent,
                s.kind,
                s.start.isoformat(timespec="minutes"),
                s.end.isoformat(timespec="minutes"),
            ]
        )
    out_csv.write_text(buf.getvalue(), encoding="utf-8")
    if move.moved is None:
        out.print(f"[yellow]无法推迟 {agent}'s meal cannot move later inside the shift[/]")
    else:
        out.print(f"{agent}: 用餐 meal now {move.moved.start:%H:%M}-{move.moved.end:%H:%M}")
    new = sorted(set(move.short_after) - set(move.short_before))
    if new:
        out.print(
            "[red]新增缺口 now under the requirement: " + ", ".join(f"{t:%H:%M}" for t in new)
        )
    else:
        out.print(
            "覆盖满足需求 coverage still meets the requirement"
            if not move.short_after
            else "无新增缺口 no new shortfall"
        )


@app.command("reforecast")
def reforecast_command(
    forecast_csv: Path = typer.Argument(..., help="FORECAST.csv (start, calls[, aht_s])"),
    out_csv: Path = typer.Option(..., "--out"),
    actuals_csv: Path | None = typer.Option(None, "--actuals", help="calls so far (start, calls)"),
    log: str | None = typer.Option(None, "--log", help="or: event log URL for the actuals"),
    until: str | None = typer.Option(None, "--until", help="with --log: local now, ISO 8601"),
    tz_offset_h: float = typer.Option(0.0, "--tz-offset-h", help="with --log: local minus UTC"),
    queue: str | None = typer.Option(None, "--queue", help="with --log: one queue only"),
) -> None:
    """日内重预测 Re-forecast the rest of today from the actuals so far."""
    from ..wfm.adherence import reforecast

    src = "helpline wfm reforecast"
    if (actuals_csv is None) == (log is None):
        raise InputError(src, [Problem("--actuals", "give --actuals or --log", None, False)])
    fc = parse_intervals(_read(forecast_csv), str(forecast_csv))
    if actuals_csv is not None:
        act = parse_intervals(_read(actuals_csv), str(actuals_csv))
        so_far_by_start = dict(zip(act.starts, act.calls, strict=True))
        where = str(actuals_csv)
    else:
        from ..store.eventlog import EventLog
        from ..wfm.intervals import volumes_from_events

        try:
            now = datetime.fromisoformat(until or "").replace(tzinfo=None)
        except ValueError:
            raise InputError(src, [Problem("--until", "not an ISO 8601 time", until)]) from None
        types = ["CallArrived", "CallQueued", "CallAnswered", "WrapUpEnded"]
        with EventLog.open(str(log)) as store:
            vol = volumes_from_events(
                store.read(types=types), fc.interval_s, int(tz_offset_h * 3_600_000), queue
            )
        step = timedelta(seconds=fc.interval_s)
        so_far_by_start = {
            t: c for t, c in zip(vol.starts, vol.calls, strict=True) if t + step <= now
        }
        where = str(log)
    if not so_far_by_start:
        raise InputError(where, [Problem("actuals", "no finished interval yet", None, False)])
    index = {t: i for i, t in enumerate(fc.starts)}
    unknown = [t for t in so_far_by_start if t not in index]
    if unknown:
        raise InputError(
            where, [Problem("start", "not an interval of the forecast", unknown[0].isoformat())]
        )
    today = max(so_far_by_start).date()
    day = [i for i, t in enumerate(fc.starts) if t.date() == today]
    seen = [i for i in day if fc.starts[i] in so_far_by_start]
    k = day.index(max(seen)) + 1
    so_far = np.array([so_far_by_start.get(fc.starts[i], 0.0) for i in day[:k]])
    new = fc.calls.astype(float).copy()
    new[day] = reforecast(fc.calls[day], so_far)
    out_csv.write_text(to_csv(list(fc.starts), new, fc.aht_s), encoding="utf-8")
    rest = day[k:]
    out.print(
        f"{today}: 实际 actual {so_far.sum():.0f} vs 预测 forecast {fc.calls[day[:k]].sum():.0f} "
        f"so far; 剩余 rest of day {fc.calls[rest].sum():.0f} -> {new[rest].sum():.0f}; "
        f"wrote {out_csv}"
    )
