"""Evaluations and disputes: signed versions, audit trail, fair disputes, nothing rewritten."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.qa.ledger import Ledger
from helpline.qa.sampling import Plan, PoolCall
from helpline.qa.scorecard import parse_scorecard

from ..conftest import EXAMPLES

DAY = 86_400_000
CARD = parse_scorecard(yaml.safe_load((EXAMPLES / "qa" / "scorecard.yaml").read_text()), "card")
ALL_YES = {i.id: ("5" if i.type == "scale" else "yes") for i in CARD.items()}
PLAN = Plan(start_ms=10 * DAY, end_ms=40 * DAY, per_agent=2, agents=["a1", "a2"])


def ledger_with_sample() -> tuple[Ledger, list[str]]:
    led = Ledger()
    led.apply(led.commit_sample("nov", "seed", PLAN, "lead", now=DAY))
    pool = [PoolCall(f"c{i}", f"a{i % 2 + 1}", "billing", 11 * DAY + i) for i in range(10)]
    for e in led.reveal_and_lock("nov", "seed", pool, "lead", now=41 * DAY):
        led.apply(e)
    locked = led.samples["nov"].locked
    assert locked is not None
    return led, sorted(c for c, a in locked.calls.items() if a == "a1")


def signed(led: Ledger, call_id: str, **answers: str) -> ev.EvaluationSigned:
    e = led.sign("e1", CARD, call_id, "inspector-1", {**ALL_YES, **answers}, now=42 * DAY)
    led.apply(e)
    return e


def test_only_calls_of_a_locked_sample_are_evaluated_once() -> None:
    led, calls = ledger_with_sample()
    with pytest.raises(InputError, match="not in any locked sample"):
        led.sign("e0", CARD, "c-not-drawn", "inspector-1", ALL_YES, now=42 * DAY)
    e = signed(led, calls[0], accuracy="3")
    assert (e.agent_id, e.sample_id, e.score, e.version) == ("a1", "nov", 88.0, 1)
    with pytest.raises(InputError, match="already evaluated"):
        led.sign("e2", CARD, calls[0], "inspector-2", ALL_YES, now=42 * DAY)
    with pytest.raises(InputError, match="own calls"):
        led.sign("e3", CARD, calls[1], "a1", ALL_YES, now=42 * DAY)


def test_a_change_is_a_new_version_with_a_reason_chained_by_hash() -> None:
    led, calls = ledger_with_sample()
    first = signed(led, calls[0], accuracy="3")
    with pytest.raises(InputError, match="needs a reason"):
        led.amend("e1", CARD, "inspector-1", ALL_YES, "  ", now=43 * DAY)
    second = led.amend(
        "e1", CARD, "inspector-1", ALL_YES, "re-listened: answer was right", 43 * DAY
    )
    led.apply(second)
    assert second.version == 2 and second.prev_hash == first.content_hash
    assert second.call_id == first.call_id and second.score == 100
    assert led.verify("e1") == []
    # tampering with a stored version is detected
    first.answers["accuracy"] = "5"
    assert led.verify("e1") == ["version 1: content does not match its hash"]


def test_the_agent_acknowledges_the_latest_version() -> None:
    led, calls = ledger_with_sample()
    signed(led, calls[0])
    with pytest.raises(InputError, match="only a1"):
        led.acknowledge("e1", "a2", now=43 * DAY)
    ack = led.acknowledge("e1", "a1", now=43 * DAY, note="收到")
    assert (ack.version, ack.agent_id) == (1, "a1")


def test_a_dispute_is_decided_by_someone_else_and_only_raises_disputed_items() -> None:
    led, calls = ledger_with_sample()
    signed(led, calls[0], closing="no", accuracy="3")  # 83
    with pytest.raises(InputError, match="only a1 can dispute"):
        led.file_dispute("d1", "e1", "a2", ["closing"], "I said 再见", now=43 * DAY)
    filed = led.file_dispute("d1", "e1", "a1", ["closing"], "我说了再见, 在 95 s", now=43 * DAY)
    led.apply(filed)
    with pytest.raises(InputError, match="is open"):
        led.amend("e1", CARD, "inspector-1", {**ALL_YES, "empathy": "1"}, "re-check", 44 * DAY)
    for who in ("a1", "inspector-1"):
        with pytest.raises(InputError, match="neither the agent nor an evaluator"):
            led.decide_dispute("d1", CARD, who, {"closing": "yes"}, now=44 * DAY)
    with pytest.raises(InputError, match="only disputed items"):
        led.decide_dispute("d1", CARD, "reviewer", {"closing": "yes", "empathy": "0"}, 44 * DAY)
    decision, new = led.decide_dispute("d1", CARD, "reviewer", {"closing": "yes"}, 44 * DAY)
    assert isinstance(decision, ev.DisputeDecided) and isinstance(new, ev.EvaluationSigned)
    assert (decision.outcome, decision.upheld, decision.score_change) == (
        "upheld",
        ["closing"],
        5.0,
    )
    assert new.call_id == calls[0] and new.version == 2 and new.evaluator == "reviewer"
    for e in (decision, new):
        led.apply(e)
    # after a dispute nobody can lower the evaluation, whatever the reason
    with pytest.raises(InputError, match="can no longer be lowered"):
        led.amend(
            "e1", CARD, "inspector-1", {**ALL_YES, "accuracy": "3", "empathy": "0"}, "x", 45 * DAY
        )


def test_a_rejected_dispute_changes_nothing() -> None:
    led, calls = ledger_with_sample()
    signed(led, calls[0], closing="no")
    led.apply(led.file_dispute("d1", "e1", "a1", ["closing", "accuracy"], "unfair", 43 * DAY))
    with pytest.raises(InputError, match="never lower"):
        led.decide_dispute("d1", CARD, "reviewer", {"closing": "no", "accuracy": "1"}, 44 * DAY)
    (decision,) = led.decide_dispute("d1", CARD, "reviewer", {}, 44 * DAY, note="no 再见 heard")
    assert isinstance(decision, ev.DisputeDecided)
    assert (decision.outcome, decision.new_version, decision.score_change) == ("rejected", 0, 0.0)


ANSWER = st.sampled_from(["yes", "no"])
SCALE = st.sampled_from(["0", "1", "2", "3", "4", "5"])
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("amend"), SCALE, ANSWER),
        st.tuples(st.just("dispute"), st.sampled_from(["closing", "accuracy", "greeting"])),
        st.tuples(st.just("decide"), SCALE, ANSWER),
        st.tuples(st.just("ack")),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(ops=OPS)
def test_no_operation_deletes_or_rewrites_a_signed_evaluation(ops: list[tuple[str, ...]]) -> None:
    led, calls = ledger_with_sample()
    log: list[ev.Event] = [signed(led, calls[0])]
    n = 0
    for op in ops:
        n += 1
        now = (43 + n) * DAY
        before = [ev.to_record(v) for v in led.evaluations["e1"].versions]
        try:
            if op[0] == "amend":
                out = [
                    led.amend(
                        "e1",
                        CARD,
                        "inspector-1",
                        {**ALL_YES, "accuracy": op[1], "closing": op[2]},
                        "why",
                        now,
                    )
                ]
            elif op[0] == "dispute":
                out = [led.file_dispute(f"d{n}", "e1", "a1", [op[1]], "wrong", now)]
            elif op[0] == "decide":
                open_d = led.open_dispute("e1")
                if open_d is None:
                    continue
                items = led.disputes[open_d].filed.items
                change = {i: (op[1] if i == "accuracy" else op[2]) for i in items}
                out = led.decide_dispute(open_d, CARD, "reviewer", change, now)
            else:
                out = [led.acknowledge("e1", "a1", now)]
        except InputError:
            continue
        for e in out:
            led.apply(e)
            log.append(e)
        after = [ev.to_record(v) for v in led.evaluations["e1"].versions]
        assert after[: len(before)] == before  # nothing removed or changed, only appended
        versions = led.evaluations["e1"].versions
        assert {v.call_id for v in versions} == {calls[0]}  # never another call
        assert led.verify("e1") == []
        if isinstance(out[0], ev.DisputeDecided) and len(out) == 2:
            old, new = before[-1]["payload"], after[-1]["payload"]
            disputed = set(led.disputes[out[0].dispute_id].filed.items)
            for item, pts in old["item_scores"].items():
                if item not in disputed:
                    assert new["item_scores"][item] == pts
                else:
                    assert new["item_scores"][item] >= pts
    # the fold of the log gives back the same ledger
    assert (
        Ledger.fold(log_with_sample(led) + log).evaluations["e1"].versions
        == led.evaluations["e1"].versions
    )


def log_with_sample(led: Ledger) -> list[ev.Event]:
    s = led.samples["nov"]
    assert s.revealed is not None and s.locked is not None
    return [s.committed, s.revealed, s.locked]
