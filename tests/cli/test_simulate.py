"""`helpline simulate` as a user runs it: a real process, real files."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..conftest import EXAMPLES
from .process import run


def test_json_has_the_kpis_of_every_queue() -> None:
    done = run("simulate", str(EXAMPLES / "10086.yaml"), "--hours", "4", "--seed", "3", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert set(doc["queues"]) == {"billing", "data", "complaints", "vip", "english", "second_line"}
    for kpis in doc["queues"].values():
        assert {"offered", "answered", "abandoned", "service_level", "asa_s", "aht_s",
                "occupancy"} <= set(kpis)  # fmt: skip
    billing = doc["queues"]["billing"]
    assert billing["offered"] >= billing["answered"] + billing["abandoned"] > 0
    assert 0 <= billing["service_level"] <= 1
    again = json.loads(run("simulate", str(EXAMPLES / "10086.yaml"), "--hours", "4",
                           "--seed", "3", "--json").stdout)  # fmt: skip
    assert again["queues"] == doc["queues"]


def test_table_and_plot(tmp_path: Path) -> None:
    png = tmp_path / "day.png"
    done = run("simulate", str(EXAMPLES / "10086.yaml"), "--hours", "2", "--plot", str(png))
    assert done.returncode == 0, done.stderr
    assert "billing" in done.stdout and "SL" in done.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_scenario_names_file_field_and_value(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "10086.yaml").read_text(encoding="utf-8"))
    data["center"]["queues"][0]["sl_target"]["seconds"] = -5
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    done = run("simulate", str(bad))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert str(bad) in done.stderr
    assert "center.queues[0].sl_target.seconds" in done.stderr and "-5" in done.stderr


def test_missing_file_and_bad_options_are_clear_errors(tmp_path: Path) -> None:
    done = run("simulate", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2 and "file not found" in done.stderr
    done = run("simulate", str(EXAMPLES / "10086.yaml"), "--hours", "-1")
    assert done.returncode == 2 and "--hours" in done.stderr and "-1" in done.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("center: [unclosed\n", encoding="utf-8")
    done = run("simulate", str(broken))
    assert done.returncode == 2 and "not valid YAML" in done.stderr and "line" in done.stderr


def _small_scenario(tmp_path: Path, **traffic: object) -> Path:
    data = {
        "center": {
            "timezone": "Asia/Shanghai",
            "queues": [{"name": "billing", "skills": {"billing": 1}}],
            "agent_groups": [{"prefix": "a", "count": 8, "skills": {"billing": 5}}],
        },
        "simulation": {"date": "2026-11-23", "hours": 3},
        "traffic": {"service": {"default": {"dist": "exponential", "mean_s": 120}}, **traffic},
    }
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_interval_csv_traffic_lands_in_its_intervals(tmp_path: Path) -> None:
    (tmp_path / "volumes.csv").write_text(
        "start,calls\n2026-11-23T00:00,10\n2026-11-23T01:00,150\n2026-11-23T02:00,0\n",
        encoding="utf-8",
    )
    scenario = _small_scenario(tmp_path, intervals_csv="volumes.csv")
    done = run("simulate", str(scenario), "--json", "--interval", "60")
    assert done.returncode == 0, done.stderr
    offered = json.loads(done.stdout)["queues"]["billing"]["offered"]
    assert 120 < offered < 200


def test_bad_interval_csv_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "volumes.csv").write_text(
        "start,calls\n2026-11-23T00:00,10\n2026-11-23T01:00,lots\n", encoding="utf-8"
    )
    done = run("simulate", str(_small_scenario(tmp_path, intervals_csv="volumes.csv")))
    assert done.returncode == 2 and "lots" in done.stderr and "Traceback" not in done.stderr


def test_events_go_to_csv_parquet_and_the_sqlite_event_log(tmp_path: Path) -> None:
    from helpline.store.eventlog import EventLog
    from helpline.store.export import read_events

    scenario = _small_scenario(tmp_path, calls_per_hour=100)
    db = f"sqlite:///{tmp_path / 'log.sqlite'}"
    done = run("simulate", str(scenario), "--json", "--events", str(tmp_path / "ev.parquet"),
               "--db", db)  # fmt: skip
    assert done.returncode == 0, done.stderr
    calls = json.loads(done.stdout)["calls"]
    events = read_events(tmp_path / "ev.parquet")
    assert sum(1 for e in events if e.TYPE == "CallArrived") == calls
    with EventLog.open(db) as log:
        assert log.count() == len(events)
        assert [e.TYPE for e in log.read(limit=3)] == [e.TYPE for e in events[:3]]
    done = run("simulate", str(scenario), "--events", str(tmp_path / "ev.csv"))
    assert done.returncode == 0 and len(read_events(tmp_path / "ev.csv")) == len(events)


def test_a_bad_events_path_fails_before_the_run(tmp_path: Path) -> None:
    done = run("simulate", str(EXAMPLES / "10086.yaml"), "--events", str(tmp_path / "x.xlsx"))
    assert done.returncode == 2 and "x.xlsx" in done.stderr and "parquet" in done.stderr
    assert "Queue" not in done.stdout
