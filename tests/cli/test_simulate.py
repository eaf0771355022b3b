"""`helpline simulate` as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from ..conftest import EXAMPLES

HELPLINE = [sys.executable, "-m", "helpline.cli.main"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HELPLINE, *args], capture_output=True, text=True, timeout=300)


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
