"""Contact-center KPIs folded from the event log: service level, ASA, abandons,
AHT, occupancy and the rest, per queue, interval, agent and team.

Pure: events and the center in, a :class:`~helpline.metrics.report.KpiReport`
out. Definitions: docs/metrics.md.
"""

from .kpis import compute_kpis
from .report import AgentKpis, IntervalKpis, KpiReport, QueueKpis, TeamKpis

__all__ = ["AgentKpis", "IntervalKpis", "KpiReport", "QueueKpis", "TeamKpis", "compute_kpis"]
