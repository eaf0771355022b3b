"""`helpline import calls`: history from another system, then KPIs on it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .process import run

CSV = """CallID,Start,Answer,End,Agent,Skill,Result
1,2026-11-30 09:00:00,2026-11-30 09:00:10,2026-11-30 09:03:10,a1,Billing,ANS
2,2026-11-30 09:01:00,,2026-11-30 09:01:40,,Billing,ABN
3,2026-11-30 09:02:00,2026-11-30 09:02:30,2026-11-30 09:06:00,a2,Billing,ANS
4,2026-11-30 09:03:00,2026-11-30 09:03:02,2026-11-30 09:05:00,a1,Data,ANS
5,not a time,,2026-11-30 09:05:00,,Data,ABN
6,2026-11-30 09:04:00,,2026-11-30 09:04:03,,Data,ABN
"""

MAPPING = {
    "timezone": "Asia/Shanghai",
    "time_format": "%Y-%m-%d %H:%M:%S",
    "columns": {"call_id": "CallID", "arrival": "Start", "answer": "Answer", "end": "End",
                "agent": "Agent", "call_type": "Skill", "outcome": "Result"},
    "outcomes": {"ANS": "answered", "ABN": "abandoned"},
    "queues": {"Billing": "billing", "Data": "data"},
}  # fmt: skip

CENTER = {
    "timezone": "Asia/Shanghai",
    "queues": [{"name": "billing", "skills": {"billing": 1}},
               {"name": "data", "skills": {"data": 1}}],
    "agents": [{"id": "a1", "team": "t1", "skills": {"billing": 5, "data": 5}},
               {"id": "a2", "team": "t1", "skills": {"billing": 5}}],
}  # fmt: skip


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    (tmp_path / "calls.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(MAPPING), encoding="utf-8")
    (tmp_path / "center.yaml").write_text(yaml.safe_dump(CENTER), encoding="utf-8")
    return tmp_path / "calls.csv", tmp_path / "map.yaml", tmp_path / "center.yaml"


def test_import_skips_bad_rows_by_line_and_kpis_work_on_the_history(tmp_path: Path) -> None:
    csv_file, mapping, center = _files(tmp_path)
    db = f"sqlite:///{tmp_path / 'h.sqlite'}"
    done = run("import", "calls", str(csv_file), "--mapping", str(mapping), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "line 6: Start" in done.stderr and "not a time" in done.stderr
    assert "imported 5 calls" in done.stderr
    done = run("kpis", "--center", str(center), "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    q = json.loads(done.stdout)["queues"]
    assert (q["billing"]["offered"], q["billing"]["answered"], q["billing"]["abandoned"]) == (
        3,
        2,
        1,
    )
    assert q["billing"]["asa_s"] == 20.0  # (10 s + 30 s) / 2
    assert (q["data"]["offered"], q["data"]["answered"], q["data"]["abandoned"]) == (2, 1, 1)


def test_reject_keeps_the_log_untouched(tmp_path: Path) -> None:
    csv_file, mapping, _ = _files(tmp_path)
    db = f"sqlite:///{tmp_path / 'h.sqlite'}"
    done = run("import", "calls", str(csv_file), "--mapping", str(mapping), "--db", db,
               "--on-error", "reject")  # fmt: skip
    assert done.returncode == 2 and "line 6: Start" in done.stderr
    assert not (tmp_path / "h.sqlite").exists() or "imported" not in done.stderr


def test_a_mapping_naming_a_missing_column_is_refused(tmp_path: Path) -> None:
    csv_file, mapping, _ = _files(tmp_path)
    bad = dict(MAPPING, columns={**MAPPING["columns"], "agent": "AgentName"})  # type: ignore[dict-item]
    mapping.write_text(yaml.safe_dump(bad), encoding="utf-8")
    done = run("import", "calls", str(csv_file), "--mapping", str(mapping),
               "--db", f"sqlite:///{tmp_path / 'h.sqlite'}")  # fmt: skip
    assert done.returncode == 2 and "columns.agent" in done.stderr and "AgentName" in done.stderr
