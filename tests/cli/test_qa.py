"""`helpline qa`: checks on the example files, and the whole fair-inspection flow on a log."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from click.testing import CliRunner

from helpline.cli.main import cli as app
from helpline.core import events as ev
from helpline.store.eventlog import EventLog

from ..conftest import EXAMPLES

QA = EXAMPLES / "qa"
HELPLINE = [sys.executable, "-m", "helpline.cli.main"]
runner = CliRunner()
DAY = 86_400_000
NOV = 1_793_491_200_000  # 2026-11-01T00:00Z


def qa(*args: str) -> str:
    result = runner.invoke(app, ["qa", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_check_prints_one_json_line_per_call_with_findings_score_and_sentiment() -> None:
    lines = [
        json.loads(x) for x in qa("check", str(QA / "transcripts_zh.jsonl"), "--json").splitlines()
    ]
    assert [x["call_id"] for x in lines] == ["zh-good-001", "zh-bad-002", "zh-chat-003"]
    good, bad, chat = lines
    assert good["auto_score"] == 100 and bad["auto_score"] == 0
    assert {"banned_phrase", "hold", "dead_air", "talk_over"} <= set(bad["failed"])
    banned = [f for f in bad["findings"] if f["check"] == "banned_phrase"]
    assert {"turn": 2, "at_ms": 24000, "evidence": "不关我啥事"}.items() <= banned[1].items()
    assert good["customer_sentiment"]["start"] < 0 < good["customer_sentiment"]["end"]
    assert any(f["status"] == "unknown" for f in chat["findings"])
    en = [
        json.loads(x) for x in qa("check", str(QA / "transcripts_en.jsonl"), "--json").splitlines()
    ]
    assert [x["auto_score"] for x in en] == [100, 0]


def test_custom_rules_change_the_result(tmp_path: Path) -> None:
    rules = yaml.safe_load(
        (Path(__file__).parents[2] / "src/helpline/qa/data/rules.yaml").read_text()
    )
    rules["banned"]["phrases"] = []
    rules["talk_over"]["max_count"] = 5
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True))
    out = qa("check", str(QA / "transcripts_zh.jsonl"), "--rules", str(path), "--json")
    bad = json.loads(out.splitlines()[1])
    assert "banned_phrase" not in bad["failed"] and "talk_over" not in bad["failed"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "missing.jsonl"], "missing.jsonl: 1 problem(s)"),
        (
            [
                "report",
                "--db",
                "sqlite:///x.sqlite",
                "--scorecard",
                str(QA / "scorecard.yaml"),
                "--month",
                "2026-13",
            ],
            "--month: write YYYY-MM (got '2026-13')",
        ),
    ],
)
def test_bad_input_is_a_message_and_exit_code_2(
    args: list[str], message: str, tmp_path: Path
) -> None:
    done = subprocess.run(
        [*HELPLINE, "qa", *args], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def _calls(log: EventLog) -> None:
    events: list[ev.Event] = []
    for i in range(24):
        t = NOV + 2 * DAY + i * 3_600_000
        agent, queue = f"a{i % 3 + 1}", ("billing" if i % 4 else "broadband")
        events += [
            ev.CallArrived(ts=t, call_id=f"c{i:02d}", queue=queue, ani=f"1380000{i % 5}"),
            ev.CallAnswered(ts=t + 5_000, call_id=f"c{i:02d}", agent_id=agent, queue=queue),
            ev.CallEnded(ts=t + 200_000, call_id=f"c{i:02d}", agent_id=agent, queue=queue),
        ]
    log.append(events)


def sh(command: str) -> str:
    """Run ``helpline qa`` with a shell-like command line."""
    return qa(*shlex.split(command))


def test_the_fair_inspection_flow_end_to_end(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'log.sqlite'}"
    card = QA / "scorecard.yaml"
    seed = tmp_path / "nov.seed"
    out = sh(
        f"sample commit --db {db} --id 2026-11 --from 2026-11-01 --to 2026-12-01 --per-agent 2 "
        f"--seed-file {seed} --now 2026-10-31T12:00:00+00:00"
    )
    commitment = out.splitlines()[1].strip()
    assert len(commitment) == 64 and seed.read_text().strip() not in out
    with EventLog.open(db) as log:
        _calls(log)
    drawn = json.loads(
        sh(f"sample draw --db {db} --id 2026-11 --seed-file {seed} --json --now 2026-12-01T08:00Z")
    )
    assert sorted(set(drawn["calls"].values())) == ["a1", "a2", "a3"] and len(drawn["calls"]) == 6
    assert "verified" in sh(f"sample verify --db {db} --id 2026-11")

    # the automatic checks pre-fill the items bound to them; people answer the rest
    call = sorted(c for c, a in drawn["calls"].items() if a == "a1")[0]
    check = json.loads(sh(f"check {QA / 'transcripts_zh.jsonl'} --json").splitlines()[0])
    checks = tmp_path / "checks.jsonl"
    checks.write_text(json.dumps({**check, "call_id": call}, ensure_ascii=False) + "\n")
    human = "--answer verify=yes --answer accuracy=4 --answer empathy=3"
    signed = json.loads(
        sh(
            f"evaluate --db {db} --scorecard {card} --call {call} --evaluator inspector-1 {human} "
            f"--checks {checks} --json --now 2026-12-02T09:00:00Z"
        )
    )
    eid = signed["payload"]["evaluation_id"]
    assert signed["payload"]["answers"]["greeting"] == "yes"  # from the check
    assert signed["payload"]["score"] == 88
    sh(f"amend --db {db} --scorecard {card} --evaluation {eid} --evaluator inspector-1 "
       f"--answer closing=no --reason 'no 再见 at the end' --now 2026-12-02T09:30:00Z")  # fmt: skip
    sh(f"dispute --db {db} --evaluation {eid} --agent a1 --item closing "
       f"--reason 我在最后说了再见 --now 2026-12-02T10:00:00Z")  # fmt: skip
    sh(f"decide --db {db} --scorecard {card} --dispute '{eid}#d1' --reviewer lead-2 "
       f"--answer closing=yes --note '再见 heard at 95 s' --now 2026-12-03T10:00:00Z")  # fmt: skip
    sh(f"ack --db {db} --evaluation {eid} --agent a1 --now 2026-12-03T11:00:00Z")
    trail = json.loads(sh(f"show --db {db} --evaluation {eid} --json"))
    assert trail["intact"] is True
    kinds = [(r["type"], r["payload"].get("version")) for r in trail["trail"]]
    assert kinds == [
        ("EvaluationSigned", 1), ("EvaluationSigned", 2), ("DisputeFiled", 2),
        ("DisputeDecided", None), ("EvaluationSigned", 3), ("EvaluationAcknowledged", 3),
    ]  # fmt: skip
    assert [r["payload"]["score"] for r in trail["trail"] if r["type"] == "EvaluationSigned"] == [
        88,
        83,
        88,
    ]

    center = tmp_path / "center.yaml"
    center.write_text(
        "queues: [{name: billing}, {name: broadband}]\n"
        "agents: [{id: a1, team: 一组}, {id: a2, team: 一组}, {id: a3, team: 二组}]\n"
    )
    png = tmp_path / "rank.png"
    report = json.loads(
        sh(
            f"report --db {db} --scorecard {card} --month 2026-11 --by team --center {center} "
            f"--json --plot {png}"
        )
    )
    (line,) = report["lines"]
    assert (line["key"], line["n"], line["mean"]) == ("一组", 1, 88.0)
    assert line["most_failed"] == [
        {"item": "accuracy", "times": 1},
        {"item": "empathy", "times": 1},
    ]
    assert png.stat().st_size > 1000


def test_verify_catches_a_seed_that_was_changed_after_the_draw(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'log.sqlite'}"
    seed = tmp_path / "s.seed"
    sh(f"sample commit --db {db} --id s --from 2026-11-01 --to 2026-12-01 --seed-file {seed} "
       f"--now 2026-10-31T00:00:00Z")  # fmt: skip
    with EventLog.open(db) as log:
        _calls(log)
    sh(f"sample draw --db {db} --id s --seed-file {seed} --now 2026-12-01T00:00:00Z")
    with EventLog.open(db) as log, log.engine.begin() as conn:
        row = conn.execute(
            sa.text("select seq, payload from events where type='SampleRevealed'")
        ).one()
        payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
        payload["seed"] = "0" * 64
        conn.execute(
            sa.text("update events set payload = :p where seq = :s"),
            {"p": json.dumps(payload), "s": row.seq},
        )
    result = runner.invoke(app, ["qa", "sample", "verify", "--db", db, "--id", "s", "--json"])
    assert result.exit_code == 1
    got = json.loads(result.stdout)
    assert got["commitment_matches_seed"] is False and got["ok"] is False


def test_calibrate_reports_agreement_and_bias(tmp_path: Path) -> None:
    base = {
        "greeting": "yes",
        "self_id": "yes",
        "verify": "yes",
        "courtesy": "yes",
        "hold": "na",
        "listening": "yes",
        "accuracy": 4,
        "empathy": 4,
        "no_taboo": "yes",
        "closing": "yes",
    }
    rows = []
    for c in range(5):
        for e in ("zhang", "li", "wang"):
            rows.append(
                {"call_id": f"c{c}", "evaluator": e, "answers": {**base, "accuracy": 1 + c % 5}}
            )
        rows.append(
            {
                "call_id": f"c{c}",
                "evaluator": "zhao",
                "answers": {**base, "accuracy": 1 + c % 5, "empathy": 1},
            }
        )
    path = tmp_path / "ratings.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    got = json.loads(
        qa("calibrate", str(path), "--scorecard", str(QA / "scorecard.yaml"), "--json")
    )
    assert got["calls"] == 5 and got["item_alpha"]["accuracy"] == 1.0
    outliers = [b["evaluator"] for b in got["bias"] if b["outlier"]]
    assert outliers == ["zhao"]


def test_list_shows_each_agent_their_evaluations(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'log.sqlite'}"
    seed = tmp_path / "s.seed"
    sh(f"sample commit --db {db} --id s --from 2026-11-01 --to 2026-12-01 --seed-file {seed} "
       f"--per-agent 1 --now 2026-10-31T00:00:00Z")  # fmt: skip
    with EventLog.open(db) as log:
        _calls(log)
    drawn = json.loads(
        sh(f"sample draw --db {db} --id s --seed-file {seed} --json --now 2026-12-01T00:00Z")
    )
    answers = tmp_path / "a.yaml"
    answers.write_text((QA / "answers.yaml").read_text())
    for call in sorted(drawn["calls"]):
        sh(f"evaluate --db {db} --scorecard {QA / 'scorecard.yaml'} --call {call} "
           f"--evaluator insp --answers {answers} --now 2026-12-02T00:00Z")  # fmt: skip
    mine = json.loads(sh(f"list --db {db} --agent a2 --json"))
    assert [r["agent_id"] for r in mine] == ["a2"]
    assert mine[0]["acknowledged"] is False and mine[0]["intact"] is True
    assert mine[0]["score"] == pytest.approx(82.11)
