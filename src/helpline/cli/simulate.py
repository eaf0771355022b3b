"""`helpline simulate`: run a scenario through the engine and print its KPIs."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ..config import read_yaml
from ..core.clock import tz_offset_ms
from ..core.errors import InputError, Problem
from ..metrics.kpis import compute_kpis
from ..metrics.render import queue_table
from ..sim.driver import SimResult
from ..sim.driver import simulate as run_simulation
from ..sim.scenario import Scenario, parse_scenario
from ..sim.traffic import Interval, profile_from_volumes
from ..wfm.intervals import parse_intervals

out = Console()
if not out.is_terminal:
    out = Console(width=170)  # piped or captured: keep the KPI table on one line per queue
err = Console(stderr=True)


def _interval_profile(scenario: Scenario, scenario_file: Path) -> list[Interval] | None:
    """Traffic from an interval CSV (``start, calls[, aht_s]``), relative to the scenario."""
    name = scenario.traffic.intervals_csv
    if name is None:
        return None
    path = (scenario_file.parent / name).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problem = Problem("traffic.intervals_csv", f"cannot read {path}: {exc.strerror}", name)
        raise InputError(str(scenario_file), [problem]) from None
    series = parse_intervals(text, str(path))
    return profile_from_volumes(
        series.starts, list(series.calls), series.interval_s, scenario.center.timezone
    )


def _run(
    scenario: Scenario,
    seed: int | None,
    hours: float | None,
    profile: list[Interval] | None,
    quiet: bool,
) -> SimResult:
    with Progress(
        TextColumn("[bold]simulating[/]"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}% of the horizon"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("sim", total=1.0)
        return run_simulation(
            scenario,
            seed=seed,
            hours=hours,
            profile=profile,
            progress=lambda done: progress.update(task, completed=done),
        )


def _check_options(hours: float | None, interval: int | None) -> None:
    problems = []
    if hours is not None and not 0 < hours <= 24 * 366:
        problems.append(Problem("--hours", "must be more than 0 and at most a year", hours))
    if interval is not None and interval not in (15, 30, 60):
        problems.append(Problem("--interval", "must be 15, 30 or 60 minutes", interval))
    if problems:
        raise InputError("helpline simulate", problems)


def simulate(
    scenario_file: Path = typer.Argument(..., help="scenario YAML (center, traffic, shifts)"),
    seed: int | None = typer.Option(None, help="random seed (default: the scenario's)"),
    hours: float | None = typer.Option(None, help="hours to simulate (default: the scenario's)"),
    interval: int | None = typer.Option(None, help="KPI interval in minutes: 15, 30 or 60"),
    events: Path | None = typer.Option(None, help="also write every event to .parquet or .csv"),
    db: str | None = typer.Option(None, help="also append the events to this event log URL"),
    plot: Path | None = typer.Option(None, help="save a PNG of offered calls and SL per interval"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object instead of tables"),
) -> None:
    """Simulate a day (or more) of a center and print KPIs per queue."""
    _check_options(hours, interval)
    if events is not None:
        from ..store.export import check_path

        check_path(events, writing=True)  # fail now, not after the run
    scenario = parse_scenario(read_yaml(scenario_file), str(scenario_file))
    profile = _interval_profile(scenario, scenario_file)
    result = _run(scenario, seed, hours, profile, quiet=as_json)
    report = compute_kpis(
        result.events,
        scenario.center,
        interval_min=interval or scenario.simulation.interval_min,
        start_ms=result.start_ms,
        tz_offset_ms=tz_offset_ms(scenario.center.timezone, result.start_ms),
    )
    if events is not None:
        from ..store.export import write_events

        write_events(result.events, events)
    if db is not None:
        from ..store.eventlog import EventLog

        with EventLog.open(db) as log:
            log.append(result.events)
    if plot is not None:
        from ..metrics.plots import interval_figure

        interval_figure(report, scenario.center.name).savefig(plot, dpi=110)
    if as_json:
        doc = {
            "scenario": str(scenario_file),
            "seed": scenario.simulation.seed if seed is None else seed,
            "hours": scenario.simulation.hours if hours is None else hours,
            "calls": result.calls,
            "events": len(result.events),
            "queues": {k: v.to_dict() for k, v in report.queues.items()},
            "total": report.total.to_dict(),
            "teams": {k: v.to_dict() for k, v in report.teams.items()},
        }
        print(json.dumps(doc, ensure_ascii=False))
        return
    out.print(queue_table(report, f"{scenario.center.name} · {result.calls} calls"))
    written = [str(p) for p in (events, plot) if p is not None]
    if written:
        err.print(f"wrote {', '.join(written)}")
