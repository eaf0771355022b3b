"""`helpline erlang` commands: Erlang C and Erlang A for one interval.

排队论计算 / queueing numbers for one interval: how many calls arrive in the
period, how long they take, how many agents answer.
"""

from __future__ import annotations

import json
import math

import typer
from rich.console import Console
from rich.table import Table

from ..core.errors import InputError, Problem
from ..wfm.erlang import ErlangResult, erlang_a, erlang_c

app = typer.Typer(
    help="Erlang C / Erlang A 话务计算 (queueing numbers for one interval).",
    no_args_is_help=True,
)

_FIELDS = ("p_wait", "service_level", "asa_s", "abandon_rate", "occupancy")
_LABELS = {
    "p_wait": "等待概率 probability of waiting",
    "service_level": "服务水平 service level",
    "asa_s": "平均应答速度 ASA (s)",
    "abandon_rate": "放弃率 abandonment",
    "occupancy": "占用率 occupancy",
}


def _check(
    calls: float,
    period_s: float,
    aht_s: float,
    agents: int,
    sl_target_s: float,
    patience_s: float | None = None,
) -> None:
    problems: list[Problem] = []

    def need(ok: bool, option: str, message: str, value: float) -> None:
        if not ok:
            problems.append(Problem(option, message, value))

    need(math.isfinite(calls) and calls >= 0, "--calls", "must be a number >= 0", calls)
    need(math.isfinite(period_s) and period_s > 0, "--period-s", "must be > 0", period_s)
    need(math.isfinite(aht_s) and aht_s > 0, "--aht-s", "must be > 0", aht_s)
    need(agents >= 0, "--agents", "must be >= 0", agents)
    sl_ok = math.isfinite(sl_target_s) and sl_target_s >= 0
    need(sl_ok, "--sl-target-s", "must be >= 0", sl_target_s)
    if patience_s is not None:
        need(patience_s > 0, "--patience-s", "must be > 0 (inf: nobody abandons)", patience_s)
    if problems:
        raise InputError("helpline erlang", problems)


def _show(result: ErlangResult, as_json: bool, title: str) -> None:
    values = {f: getattr(result, f) for f in _FIELDS}
    if as_json:
        # JSON has no infinity: an unstable queue's endless wait is null.
        clean = {k: (v if math.isfinite(v) else None) for k, v in values.items()}
        typer.echo(json.dumps(clean))
        return
    table = Table(title=title)
    table.add_column("指标 measure")
    table.add_column("值 value", justify="right")
    for f in _FIELDS:
        v = values[f]
        shown = f"{v:.1f}" if f == "asa_s" and math.isfinite(v) else f"{v:.4f}"
        table.add_row(f"{_LABELS[f]} [dim]{f}[/]", shown if math.isfinite(v) else "∞")
    Console().print(table)


_CALLS = typer.Option(..., "--calls", help="来话量 calls offered in the period")
_PERIOD = typer.Option(1800.0, "--period-s", help="时段长度 length of the period, seconds")
_AHT = typer.Option(..., "--aht-s", help="平均处理时长 average handling time, seconds")
_AGENTS = typer.Option(..., "--agents", help="坐席数 agents answering")
_SL_T = typer.Option(20.0, "--sl-target-s", help="服务水平时限 answer-within target, seconds")
_JSON = typer.Option(False, "--json", help="one JSON object instead of a table")


@app.command("c")
def c_command(
    calls: float = _CALLS,
    period_s: float = _PERIOD,
    aht_s: float = _AHT,
    agents: int = _AGENTS,
    sl_target_s: float = _SL_T,
    as_json: bool = _JSON,
) -> None:
    """Erlang C: callers never hang up (M/M/c)."""
    _check(calls, period_s, aht_s, agents, sl_target_s)
    r = erlang_c(calls / period_s, aht_s, agents, sl_target_s)
    _show(r, as_json, f"Erlang C — {agents} 坐席 agents, {calls:g} 来话 calls / {period_s:g} s")


@app.command("a")
def a_command(
    calls: float = _CALLS,
    period_s: float = _PERIOD,
    aht_s: float = _AHT,
    agents: int = _AGENTS,
    patience_s: float = typer.Option(
        ..., "--patience-s", help="平均耐心时长 mean patience before hanging up, seconds"
    ),
    sl_target_s: float = _SL_T,
    as_json: bool = _JSON,
) -> None:
    """Erlang A: callers hang up after an exponential patience (M/M/c+M)."""
    _check(calls, period_s, aht_s, agents, sl_target_s, patience_s)
    r = erlang_a(calls / period_s, aht_s, agents, patience_s, sl_target_s)
    _show(r, as_json, f"Erlang A — {agents} 坐席 agents, {calls:g} 来话 calls / {period_s:g} s")
