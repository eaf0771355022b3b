"""The KPI tables the CLI prints: what a supervisor reads on screen."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from helpline.metrics.kpis import compute_kpis
from helpline.metrics.render import agent_table, interval_table, queue_table, team_table
from helpline.metrics.report import KpiReport

from .log import Log, center


def _text(table: Table) -> str:
    console = Console(width=250, record=True, color_system=None)
    console.print(table)
    return console.export_text()


def _report() -> KpiReport:
    log = Log().login("a1", 0).login("a2", 0)
    log.call("c1", "billing", "a1", at=0, wait=10, talk=100, wrap=20)
    log.call("c2", "billing", "a2", at=5, wait=25, talk=200)
    log.queued("c3", "billing", 10).abandoned("c3", "billing", 13, wait=3)
    log.logout("a1", 1800).logout("a2", 1800)
    return compute_kpis(log.events, center(), interval_min=30, tz_offset_ms=8 * 3_600_000)


def test_queue_table_shows_each_queue_and_a_total_with_sl_against_its_target() -> None:
    text = _text(queue_table(_report()))
    billing = next(line for line in text.splitlines() if "billing" in line)
    assert "50.0% /20s" in billing  # 1 of 2 in 20 s; the 3 s abandon is out
    assert "1 (1)" in billing  # abandoned (short)
    assert "160.0" in billing  # AHT (120 + 200) / 2
    complaints = next(line for line in text.splitlines() if "complaints" in line)
    assert "—" in complaints  # no calls: no SL, not 0 %
    assert "合计 Total" in text
    assert "服务水平" in text and "SL" in text


def test_interval_table_labels_slots_in_local_time() -> None:
    text = _text(interval_table(_report(), "billing"))
    assert "08:00" in text  # 00:00 UTC at UTC+8


def test_agent_and_team_tables_list_everyone() -> None:
    report = _report()
    agents = _text(agent_table(report))
    assert "a1" in agents and "a3" in agents and "red" in agents
    teams = _text(team_table(report))
    assert "red" in teams and "blue" in teams
