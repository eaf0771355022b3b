"""`helpline wfm forecast | staff | schedule`: files in, files and tables out."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from helpline.cli.wfm import app
from helpline.core.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "bank_calls_30min.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_forecast_staff_schedule_end_to_end(tmp_path: Path) -> None:
    runner = CliRunner()
    special = tmp_path / "special.csv"
    special.write_text(
        "date,factor,name\n2003-04-04,0,gap\n2003-04-07,0,gap\n2003-05-26,0.2,holiday\n"
    )
    fc, png = tmp_path / "fc.csv", tmp_path / "fc.png"
    r = runner.invoke(
        app,
        [
            "forecast",
            str(DATA),
            "--horizon-days",
            "7",
            "--out",
            str(fc),
            "--plot",
            str(png),
            "--special-days",
            str(special),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "WAPE" in r.stdout and "holt_winters" in r.stdout
    rows = _rows(fc)
    assert list(rows[0]) == ["start", "calls"] and len(rows) == 7 * 28
    monday = sum(float(x["calls"]) for x in rows if x["start"].startswith("2003-05-26"))
    tuesday = sum(float(x["calls"]) for x in rows if x["start"].startswith("2003-05-27"))
    assert 0 < monday < 0.35 * tuesday  # the holiday factor applied
    assert png.read_bytes()[:4] == b"\x89PNG"

    req = tmp_path / "req.csv"
    r = runner.invoke(
        app,
        [
            "staff",
            str(fc),
            "--out",
            str(req),
            "--aht-s",
            "240",
            "--sl",
            "0.8",
            "--sl-target-s",
            "20",
            "--max-occupancy",
            "0.9",
        ],
    )
    assert r.exit_code == 0, r.output
    need = _rows(req)
    assert list(need[0]) == ["start", "calls", "aht_s", "agents"]
    peak = max(int(x["agents"]) for x in need)
    assert 150 < peak < 400

    rules = tmp_path / "rules.yaml"
    rules.write_text(
        yaml.safe_dump(
            {
                "shifts": [
                    {
                        "name": "D8",
                        "length_minutes": 510,
                        "earliest_start": "07:00",
                        "latest_start": "12:30",
                        "days": ["mon", "tue", "wed", "thu", "fri"],
                    }
                ],
                "agents": 400,
            }
        )
    )
    sch, cov, gantt = tmp_path / "s.csv", tmp_path / "cov.png", tmp_path / "g.png"
    r = runner.invoke(
        app,
        [
            "schedule",
            str(req),
            "--rules",
            str(rules),
            "--out",
            str(sch),
            "--plot",
            str(cov),
            "--gantt",
            str(gantt),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "under-coverage" in r.stdout
    acts = _rows(sch)
    assert list(acts[0]) == ["agent", "activity", "start", "end", "shift"]
    kinds = {a["activity"] for a in acts}
    assert kinds == {"shift", "meal", "break"}
    assert cov.read_bytes()[:4] == b"\x89PNG" and gantt.read_bytes()[:4] == b"\x89PNG"


def test_bad_interval_rows_exit_2_with_line_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("start,calls\n2026-11-23T08:00,10\n2026-11-23T08:30,lots\n")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpline.cli.main",
            "wfm",
            "forecast",
            str(bad),
            "--out",
            str(tmp_path / "f.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert "line 3: calls" in out.stderr and "lots" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_rules_and_options_are_input_errors(tmp_path: Path) -> None:
    req = tmp_path / "req.csv"
    req.write_text("start,agents\n2026-11-23T08:00,3\n2026-11-23T08:30,4\n")
    rules = tmp_path / "rules.yaml"
    rules.write_text("shifts:\n  - {name: D8, length_minutes: -5}\n")
    r = CliRunner().invoke(
        app, ["schedule", str(req), "--rules", str(rules), "--out", str(tmp_path / "s.csv")]
    )
    assert isinstance(r.exception, InputError)
    assert r.exception.problems[0].path == "shifts[0].length_minutes"
    r = CliRunner().invoke(
        app, ["staff", str(req), "--out", str(tmp_path / "x.csv"), "--shrinkage", "1.5"]
    )
    assert isinstance(r.exception, InputError)


SCHEDULE = """agent,activity,start,end
wang,shift,2026-11-23T08:00,2026-11-23T12:00
wang,meal,2026-11-23T10:00,2026-11-23T10:30
li,shift,2026-11-23T08:00,2026-11-23T12:00
li,meal,2026-11-23T09:00,2026-11-23T09:30
"""


def test_whatif_reports_service_per_interval(tmp_path: Path) -> None:
    sch, fc, res = tmp_path / "s.csv", tmp_path / "f.csv", tmp_path / "r.csv"
    sch.write_text(SCHEDULE)
    fc.write_text(
        "start,calls\n"
        + "".join(f"2026-11-23T{h:02d}:{m:02d},6\n" for h in range(8, 12) for m in (0, 30))
    )
    r = CliRunner().invoke(
        app,
        ["whatif", str(sch), str(fc), "--aht-s", "300", "--patience-s", "120", "--out", str(res)],
    )
    assert r.exit_code == 0, r.output
    rows = _rows(res)
    assert len(rows) == 8 and "erlang_service_level" in rows[0]
    assert float(rows[2]["on_phone"]) == 1.0  # 09:00, li at lunch
    assert "服务水平" in r.stdout


def test_adherence_reads_the_event_log(tmp_path: Path, sqlite_url: str) -> None:
    from datetime import datetime

    from helpline.core import events as ev
    from helpline.store.eventlog import EventLog

    def ms(h: float) -> int:
        return int(
            (datetime(2026, 11, 23) - datetime(1970, 1, 1)).total_seconds() * 1000 + h * 3_600_000
        )

    with EventLog.open(sqlite_url) as log:
        log.append(
            [
                ev.AgentLoggedIn(ts=ms(8), agent_id="wang"),
                ev.AgentStateChanged(ts=ms(8), agent_id="wang", state="ready"),
                ev.AgentStateChanged(ts=ms(10), agent_id="wang", state="meal"),
                ev.AgentStateChanged(ts=ms(10.5), agent_id="wang", state="ready"),
                ev.AgentLoggedOut(ts=ms(12), agent_id="wang"),
                ev.AgentLoggedIn(ts=ms(9), agent_id="li"),
                ev.AgentStateChanged(ts=ms(9), agent_id="li", state="ready"),
                ev.AgentLoggedOut(ts=ms(12), agent_id="li"),
            ]
        )
    sch = tmp_path / "s.csv"
    sch.write_text(SCHEDULE)
    r = CliRunner().invoke(
        app,
        ["adherence", str(sch), "--log", sqlite_url, "--date", "2026-11-23"],
        terminal_width=150,
    )
    assert r.exit_code == 0, r.output
    lines = {ln.split()[1]: ln for ln in r.stdout.splitlines() if "wang" in ln or " li " in ln}
    assert "100.0%" in lines["wang"]
    # an hour late, then on the phone through the 09:00 meal: 150 of 240 minutes as planned;
    # worked 180 of the 210 scheduled phone minutes
    assert "62.5%" in lines["li"] and "85.7%" in lines["li"]


def test_meal_delay_and_reforecast(tmp_path: Path) -> None:
    sch, req, new = tmp_path / "s.csv", tmp_path / "q.csv", tmp_path / "n.csv"
    sch.write_text(SCHEDULE)
    req.write_text(
        "start,agents\n"
        + "".join(f"2026-11-23T{h:02d}:{m:02d},1\n" for h in range(8, 12) for m in (0, 30))
    )
    r = CliRunner().invoke(
        app,
        [
            "meal-delay",
            str(sch),
            "--requirement",
            str(req),
            "--agent",
            "wang",
            "--date",
            "2026-11-23",
            "--delay-min",
            "30",
            "--out",
            str(new),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "10:30-11:00" in r.stdout
    meal = next(x for x in _rows(new) if x["agent"] == "wang" and x["activity"] == "meal")
    assert meal["start"] == "2026-11-23T10:30"

    fc, act, out = tmp_path / "fc.csv", tmp_path / "a.csv", tmp_path / "o.csv"
    fc.write_text("start,calls\n" + "".join(f"2026-11-23T{h:02d}:00,100\n" for h in range(8, 18)))
    act.write_text("start,calls\n2026-11-23T08:00,130\n2026-11-23T09:00,130\n")
    r = CliRunner().invoke(app, ["reforecast", str(fc), "--actuals", str(act), "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = _rows(out)
    assert float(rows[0]["calls"]) == 130 and 100 < float(rows[5]["calls"]) < 130


def test_forecast_from_the_event_log_of_a_simulated_week(tmp_path: Path, sqlite_url: str) -> None:
    from helpline.sim.driver import simulate
    from helpline.sim.scenario import single_queue
    from helpline.store.eventlog import EventLog

    week = simulate(single_queue(calls_per_hour=20, aht_s=180, agents=5, hours=24 * 14))
    with EventLog.open(sqlite_url) as log:
        log.append(week.events)
    fc = tmp_path / "fc.csv"
    r = CliRunner().invoke(
        app,
        [
            "forecast",
            "--log",
            sqlite_url,
            "--horizon-days",
            "2",
            "--interval-min",
            "60",
            "--out",
            str(fc),
        ],
    )
    assert r.exit_code == 0, r.output
    rows = _rows(fc)
    assert list(rows[0]) == ["start", "calls", "aht_s"] and len(rows) == 48
    mean = sum(float(x["calls"]) for x in rows) / 48
    assert 15 < mean < 25  # 20 calls an hour
    assert 120 < sum(float(x["aht_s"]) for x in rows) / 48 < 240  # 180 s handling


def test_reforecast_from_the_event_log_scales_only_today(tmp_path: Path, sqlite_url: str) -> None:
    from helpline.sim.driver import simulate
    from helpline.sim.scenario import single_queue
    from helpline.store.eventlog import EventLog

    # 2026-01-05 (the simulator's default date), 60 calls an hour, 6 hours so far
    day = simulate(single_queue(calls_per_hour=60, aht_s=120, agents=4, hours=6))
    with EventLog.open(sqlite_url) as log:
        log.append(day.events)
    fc, out = tmp_path / "fc.csv", tmp_path / "o.csv"
    rows = [f"2026-01-0{d}T{h:02d}:00,40\n" for d in (5, 6) for h in range(24)]
    fc.write_text("start,calls\n" + "".join(rows))
    r = CliRunner().invoke(
        app,
        [
            "reforecast",
            str(fc),
            "--log",
            sqlite_url,
            "--until",
            "2026-01-05T06:00",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    new = [float(x["calls"]) for x in _rows(out)]
    assert 40 < sum(new[:6]) / 6 < 80  # the actuals, about 60 an hour
    assert 44 < new[12] < 60  # busier than forecast, the afternoon is lifted (trust 25 %)
    assert new[24:] == [40.0] * 24  # tomorrow untouched
