"""`helpline kpis`: the same KPIs from the stored log as from the simulation itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import EXAMPLES
from .process import run

SCENARIO = str(EXAMPLES / "10086.yaml")


def _simulate_into(db: str) -> dict[str, dict[str, object]]:
    done = run("simulate", SCENARIO, "--hours", "10", "--seed", "4", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    queues: dict[str, dict[str, object]] = json.loads(done.stdout)["queues"]
    return queues


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_kpis_from_the_event_log_equal_the_simulation_report(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = (
        f"sqlite:///{tmp_path / 'log.sqlite'}" if store == "sqlite"
        else request.getfixturevalue("pg_url")
    )  # fmt: skip
    simulated = _simulate_into(db)
    done = run("kpis", "--center", SCENARIO, "--db", db, "--from", "2026-11-23T00:00", "--json")
    assert done.returncode == 0, done.stderr
    stored = json.loads(done.stdout)["queues"]
    for name, kpis in simulated.items():
        for key in ("offered", "answered", "abandoned", "service_level", "asa_s", "aht_s"):
            assert stored[name][key] == kpis[key], (name, key)


def test_views_and_bad_options(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'log.sqlite'}"
    _simulate_into(db)
    for view in ("queue", "interval", "agent", "team"):
        done = run("kpis", "--center", SCENARIO, "--db", db, "--by", view)
        assert done.returncode == 0, done.stderr
    done = run("kpis", "--center", SCENARIO, "--db", db, "--by", "interval", "--queue", "vip")
    assert "vip" in done.stdout and "08:00" in done.stdout
    done = run("kpis", "--center", SCENARIO, "--db", db, "--by", "week")
    assert done.returncode == 2 and "--by" in done.stderr and "week" in done.stderr
    done = run("kpis", "--center", SCENARIO, "--db", db, "--from", "yesterday")
    assert done.returncode == 2 and "--from" in done.stderr and "yesterday" in done.stderr
    done = run("kpis", "--center", SCENARIO)
    assert done.returncode == 2 and "--db/--events" in done.stderr
