"""``compute_kpis``: the event log and the center in, every KPI out.

    report = compute_kpis(events, center, interval_min=30)
    report.queues["billing"].service_level

One pass over the events (:mod:`.fold`), then arithmetic on what it counted.
Definitions and attribution rules: docs/metrics.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..core.center import AgentConfig, Center, eligible
from ..core.errors import InputError, Problem
from ..core.events import Event
from .fold import AgentRt, Fold
from .intervals import Grid
from .occupancy import QueueTime, apportion
from .report import (
    AgentKpis,
    IntervalKpis,
    KpiReport,
    QueueKpis,
    TeamKpis,
    Work,
    queue_fields,
    work_fields,
)
from .tally import Tally, total

TOTAL = "total"


def compute_kpis(
    events: Iterable[Event],
    center: Center,
    interval_min: int = 30,
    start_ms: int | None = None,
    end_ms: int | None = None,
    tz_offset_ms: int = 0,
) -> KpiReport:
    """KPIs per queue, interval, agent and team, and for the whole center.

    ``events`` in log order. The horizon runs from ``start_ms`` (default: the
    first event) to ``end_ms`` (default: the last event); what is still going
    on at ``end_ms`` is cut there. Slots of ``interval_min`` minutes are aligned
    to local time at ``tz_offset_ms`` from UTC.
    """
    grid = Grid.of_minutes(interval_min, tz_offset_ms)
    if start_ms is not None and end_ms is not None and end_ms < start_ms:
        raise InputError(
            "report window", [Problem("end_ms", f"is before start_ms ({start_ms})", end_ms)]
        )
    fold = Fold(center, grid, start_ms)
    end = fold.run(events, end_ms)
    start = (
        start_ms if start_ms is not None else (fold.first_ts if fold.first_ts is not None else end)
    )

    agent_cfg = {a.id: a for a in center.all_agents()}
    skilled = {
        a.id: tuple(q.name for q in center.queues if eligible(a, q)) for a in agent_cfg.values()
    }
    qtime = apportion(fold.handle_ms, fold.idle_ms, skilled)

    names = [q.name for q in center.queues]
    names += sorted({q for q, _ in fold.tallies} - set(names))
    targets: dict[str, float | None] = {q.name: q.sl_target.seconds for q in center.queues}
    slots = _slots(grid, start, end, fold.tallies)

    by_queue: dict[str, list[Tally]] = defaultdict(list)
    for (q, _), t in fold.tallies.items():
        by_queue[q].append(t)
    queues = {
        q: QueueKpis(**queue_fields(q, total(by_queue[q]), targets.get(q), qtime.handle.get(q, 0.0),
                                    qtime.staffed(q)))
        for q in names
    }  # fmt: skip
    intervals = {q: _series(q, slots, grid, fold, qtime, targets.get(q)) for q in names}

    busy, staffed = _center_time(fold)
    center_total = QueueKpis(
        **queue_fields(TOTAL, total(list(fold.tallies.values())), None, busy, busy + staffed)
    )
    agents, teams = _people(fold.agents, agent_cfg)
    return KpiReport(
        queues=queues,
        agents=agents,
        teams=teams,
        intervals=intervals,
        total=center_total,
        total_intervals=_total_series(slots, grid, fold),
        start_ms=start,
        end_ms=end,
        interval_min=interval_min,
        tz_offset_ms=tz_offset_ms,
    )


def _slots(grid: Grid, start: int, end: int, tallies: dict[tuple[str, int], Tally]) -> range:
    first = grid.index(start)
    last = grid.index(max(end - 1, start))
    if tallies:
        # A segment starting exactly at ``end`` opens a slot of its own.
        first = min(first, min(k for _, k in tallies))
        last = max(last, max(k for _, k in tallies))
    return range(first, last + 1)


def _series(
    queue: str, slots: range, grid: Grid, fold: Fold, qtime: QueueTime, target: float | None
) -> list[IntervalKpis]:
    out = []
    for k in slots:
        t = fold.tallies.get((queue, k)) or Tally()
        fields = queue_fields(
            queue, t, target, qtime.handle_by_slot.get((queue, k), 0.0), qtime.staffed_in(queue, k)
        )
        out.append(IntervalKpis(**fields, start_ms=grid.start(k), end_ms=grid.start(k + 1)))
    return out


def _total_series(slots: range, grid: Grid, fold: Fold) -> list[IntervalKpis]:
    per_slot: dict[int, list[Tally]] = defaultdict(list)
    for (_, k), t in fold.tallies.items():
        per_slot[k].append(t)
    busy: dict[int, float] = defaultdict(float)
    idle: dict[int, float] = defaultdict(float)
    for (_, _, k), ms in fold.handle_ms.items():
        busy[k] += ms
    for (_, k), ms in fold.idle_ms.items():
        idle[k] += ms
    return [
        IntervalKpis(
            **queue_fields(TOTAL, total(per_slot.get(k, [])), None, busy[k], busy[k] + idle[k]),
            start_ms=grid.start(k),
            end_ms=grid.start(k + 1),
        )
        for k in slots
    ]


def _center_time(fold: Fold) -> tuple[float, float]:
    """(handle, idle staffed) milliseconds of every agent, whatever their skills."""
    return float(sum(fold.handle_ms.values())), float(sum(fold.idle_ms.values()))


def _people(
    seen: dict[str, AgentRt], cfg: dict[str, AgentConfig]
) -> tuple[dict[str, AgentKpis], dict[str, TeamKpis]]:
    agents: dict[str, AgentKpis] = {}
    team_work: dict[str, Work] = defaultdict(Work)
    team_size: dict[str, int] = defaultdict(int)
    for agent_id in [*cfg, *(a for a in seen if a not in cfg)]:
        known = cfg.get(agent_id)
        team = known.team if known is not None else ""
        rt = seen.get(agent_id)
        work = _work(rt) if rt is not None else Work()
        agents[agent_id] = AgentKpis(agent_id=agent_id, team=team, **work_fields(work))
        team_work[team].add(work)
        team_size[team] += 1
    teams = {
        team: TeamKpis(team=team, agents=team_size[team], **work_fields(w))
        for team, w in team_work.items()
    }
    return agents, teams


def _work(rt: AgentRt) -> Work:
    return Work(
        answered=rt.answered,
        handled=rt.handled,
        talk_ms=rt.talk_ms,
        hold_ms=rt.hold_ms,
        wrap_ms=rt.wrap_ms,
        transfers=rt.transfers,
        rona=rt.rona,
        rejected=rt.rejected,
        state_ms=dict(rt.state_ms),
    )
