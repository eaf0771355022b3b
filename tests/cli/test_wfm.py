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
    r = runner.invoke(app, ["forecast", str(DATA), "--horizon-days", "7", "--out", str(fc),
                            "--plot", str(png), "--special-days", str(special)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "WAPE" in r.stdout and "holt_winters" in r.stdout
    rows = _rows(fc)
    assert list(rows[0]) == ["start", "calls"] and len(rows) == 7 * 28
    monday = sum(float(x["calls"]) for x in rows if x["start"].startswith("2003-05-26"))
    tuesday = sum(float(x["calls"]) for x in rows if x["start"].startswith("2003-05-27"))
    assert 0 < monday < 0.35 * tuesday  # the holiday factor applied
    assert png.read_bytes()[:4] == b"\x89PNG"

    req = tmp_path / "req.csv"
    r = runner.invoke(app, ["staff", str(fc), "--out", str(req), "--aht-s", "240", "--sl", "0.8",
                            "--sl-target-s", "20", "--max-occupancy", "0.9"])  # fmt: skip
    assert r.exit_code == 0, r.output
    need = _rows(req)
    assert list(need[0]) == ["start", "calls", "aht_s", "agents"]
    peak = max(int(x["agents"]) for x in need)
    assert 150 < peak < 400

    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump({
        "shifts": [{"name": "D8", "length_minutes": 510, "earliest_start": "07:00",
                    "latest_start": "12:30", "days": ["mon", "tue", "wed", "thu", "fri"]}],
        "agents": 400,
    }))  # fmt: skip
    sch, cov, gantt = tmp_path / "s.csv", tmp_path / "cov.png", tmp_path / "g.png"
    r = runner.invoke(app, ["schedule", str(req), "--rules", str(rules), "--out", str(sch),
                            "--plot", str(cov), "--gantt", str(gantt)])  # fmt: skip
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
        [sys.executable, "-m", "helpline.cli.main", "wfm", "forecast", str(bad),
         "--out", str(tmp_path / "f.csv")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
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
    r = CliRunner().invoke(app, ["staff", str(req), "--out", str(tmp_path / "x.csv"),
                                 "--shrinkage", "1.5"])  # fmt: skip
    assert isinstance(r.exception, InputError)
