"""`helpline erlang c|a`: the numbers a planner types in, the numbers they read back."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from helpline.cli.erlang import app
from helpline.core.errors import InputError
from helpline.wfm.erlang import erlang_a, erlang_c

KEYS = {"p_wait", "service_level", "asa_s", "abandon_rate", "occupancy"}


def _helpline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "helpline.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_erlang_c_json_has_exactly_the_five_measures() -> None:
    out = _helpline(
        "erlang", "c", "--calls", "360", "--period-s", "3600", "--aht-s", "240",
        "--agents", "29", "--sl-target-s", "20", "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert set(got) == KEYS
    want = erlang_c(0.1, 240, 29, 20)
    assert got["service_level"] == pytest.approx(want.service_level, rel=1e-12)
    assert got["abandon_rate"] == 0.0


def test_erlang_a_json_matches_the_library() -> None:
    result = CliRunner().invoke(
        app,
        ["a", "--calls", "900", "--period-s", "1800", "--aht-s", "300", "--agents", "140",
         "--patience-s", "90", "--sl-target-s", "15", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    want = erlang_a(0.5, 300, 140, 90, 15)
    assert set(got) == KEYS
    for k in KEYS:
        assert got[k] == pytest.approx(getattr(want, k), rel=1e-12)


def test_table_shows_every_measure_in_chinese_and_english() -> None:
    result = CliRunner().invoke(
        app, ["c", "--calls", "100", "--aht-s", "180", "--agents", "14"], terminal_width=120
    )
    assert result.exit_code == 0, result.output
    for word in ("服务水平", "service_level", "p_wait", "asa_s", "abandon_rate", "占用率"):
        assert word in result.stdout


def test_overloaded_erlang_c_says_the_wait_is_endless() -> None:
    result = CliRunner().invoke(
        app, ["c", "--calls", "1000", "--aht-s", "300", "--agents", "100", "--json"]
    )
    got = json.loads(result.stdout)
    assert got == {
        "p_wait": 1.0, "service_level": 0.0, "asa_s": None, "abandon_rate": 0.0, "occupancy": 1.0
    }  # fmt: skip


def test_bad_values_exit_2_naming_the_option_and_value() -> None:
    out = _helpline("erlang", "c", "--calls", "-5", "--period-s", "0", "--aht-s", "180",
                    "--agents", "10")  # fmt: skip
    assert out.returncode == 2
    assert "--calls" in out.stderr and "-5" in out.stderr
    assert "--period-s" in out.stderr and "Traceback" not in out.stderr


def test_bad_patience_is_an_input_error() -> None:
    result = CliRunner().invoke(
        app, ["a", "--calls", "10", "--aht-s", "180", "--agents", "3", "--patience-s", "0"]
    )
    assert isinstance(result.exception, InputError)
    assert result.exception.problems[0].path == "--patience-s"
