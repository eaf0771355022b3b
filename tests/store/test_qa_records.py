"""QA records live in the real event log (SQLite file and PostgreSQL) and survive reopening."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import yaml

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.qa.sampling import Plan
from helpline.qa.scorecard import parse_scorecard
from helpline.store.qa_records import open_records

from ..conftest import EXAMPLES

DAY = 86_400_000
CARD = parse_scorecard(yaml.safe_load((EXAMPLES / "qa" / "scorecard.yaml").read_text()), "card")
ALL_YES = {i.id: ("5" if i.type == "scale" else "yes") for i in CARD.items()}
PLAN = Plan(start_ms=10 * DAY, end_ms=40 * DAY, per_agent=1)


def _flow(url: str) -> str:
    with open_records(url) as rec:
        rec.append([rec.ledger.commit_sample("s", "seed", PLAN, "lead", now=DAY)])
        calls: list[ev.Event] = []
        for i in range(6):
            t = 11 * DAY + i * 60_000
            calls += [
                ev.CallAnswered(ts=t, call_id=f"c{i}", agent_id=f"a{i % 2}", queue="billing"),
                ev.CallEnded(ts=t + 30_000, call_id=f"c{i}", agent_id=f"a{i % 2}", queue="billing"),
            ]
        rec.log.append(calls)
        plan = PLAN
        rec.append(rec.ledger.reveal_and_lock("s", "seed", rec.pool(plan), "lead", now=41 * DAY))
        locked = rec.ledger.samples["s"].locked
        assert locked is not None and len(locked.calls) == 2
        call = sorted(locked.calls)[0]
        rec.append(
            [rec.ledger.sign("e1", CARD, call, "insp", {**ALL_YES, "closing": "no"}, 42 * DAY)]
        )
        rec.append(
            [
                rec.ledger.file_dispute(
                    "d1", "e1", locked.calls[call], ["closing"], "said 再见", 43 * DAY
                )
            ]
        )
        rec.append(rec.ledger.decide_dispute("d1", CARD, "rev", {"closing": "yes"}, 44 * DAY))
        return call


def test_records_survive_reopening_and_tampering_is_detected(url: str) -> None:
    call = _flow(url)
    with open_records(url) as rec:
        state = rec.ledger.evaluations["e1"]
        assert [v.score for v in state.versions] == [95.0, 100.0]
        assert {v.call_id for v in state.versions} == {call}
        assert rec.ledger.verify("e1") == []
        trail = [e.TYPE for e in rec.history("e1")]
        assert trail == ["EvaluationSigned", "DisputeFiled", "DisputeDecided", "EvaluationSigned"]
        # someone with database access rewrites the first version's answers
        with rec.log.engine.begin() as conn:
            row = conn.execute(
                sa.text(
                    "select seq, payload from events where type = 'EvaluationSigned' order by seq"
                )
            ).first()
            assert row is not None
            payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
            payload["answers"]["closing"] = "yes"
            payload["score"] = 100.0
            conn.execute(
                sa.text("update events set payload = :p where seq = :s"),
                {"p": json.dumps(payload, ensure_ascii=False), "s": row.seq},
            )
    with open_records(url) as rec:
        assert rec.ledger.verify("e1") == ["version 1: content does not match its hash"]


def test_a_command_checked_against_an_outdated_ledger_is_refused(url: str) -> None:
    with open_records(url) as first, open_records(url) as second:
        first.append([first.ledger.commit_sample("s", "seed", PLAN, "lead", now=DAY)])
        # the second writer still believes there is no sample "s"
        with pytest.raises(InputError, match="changed since they were read"):
            second.append([second.ledger.commit_sample("s", "other", PLAN, "lead", now=DAY)])
    with open_records(url) as rec:
        assert list(rec.ledger.samples) == ["s"]
        assert rec.ledger.samples["s"].committed.committed_by == "lead"
