"""Committed-seed sampling: re-drawable, uniform within strata, proportional, locked."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.qa import sampling
from helpline.qa.ledger import Ledger
from helpline.qa.sampling import Plan, PoolCall, Targeted, allocate, commitment, draw

DAY = 86_400_000
PLAN = Plan(start_ms=10 * DAY, end_ms=40 * DAY, per_agent=4)


def pool(
    n_agents: int, calls: int, queues: tuple[str, ...] = ("billing", "broadband")
) -> list[PoolCall]:
    rng = random.Random(n_agents * 1000 + calls)
    return [
        PoolCall(f"c{i}", f"a{i % n_agents}", rng.choice(queues), 10 * DAY + i * 60_000)
        for i in range(calls)
    ]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.text(min_size=1, max_size=40),
    n_agents=st.integers(1, 6),
    n_calls=st.integers(0, 120),
    per_agent=st.integers(1, 8),
    order=st.randoms(use_true_random=False),
)
def test_the_revealed_seed_redraws_exactly_the_locked_sample(
    seed: str, n_agents: int, n_calls: int, per_agent: int, order: random.Random
) -> None:
    plan = Plan(start_ms=10 * DAY, end_ms=40 * DAY, per_agent=per_agent)
    calls = pool(n_agents, n_calls)
    led = Ledger()
    committed = led.commit_sample("s1", seed, plan, "qa-lead", now=9 * DAY)
    led.apply(committed)
    _revealed, locked = led.reveal_and_lock("s1", seed, calls, "qa-lead", now=41 * DAY)
    assert isinstance(locked, ev.SampleLocked)
    # anyone, with the seed and the calls in any order, gets the same sample
    shuffled = list(calls)
    order.shuffle(shuffled)
    again = draw(seed, sampling.parse_plan(committed.plan, "plan"), shuffled)
    assert sampling.same_sample(again, locked)
    assert commitment(seed, plan) == committed.commitment
    per = Counter(locked.calls.values())
    assert all(v == min(per_agent, sum(c.agent_id == a for c in calls)) for a, v in per.items())


def test_a_wrong_seed_or_a_changed_plan_does_not_match_the_commitment() -> None:
    c = commitment("s3cret", PLAN)
    assert commitment("s3cret!", PLAN) != c
    assert commitment("s3cret", PLAN.model_copy(update={"per_agent": 5})) != c
    led = Ledger()
    led.apply(led.commit_sample("s1", "s3cret", PLAN, "lead", now=0))
    with pytest.raises(InputError, match="commitment"):
        led.reveal_and_lock("s1", "guess", pool(2, 20), "lead", now=41 * DAY)
    with pytest.raises(InputError, match="period has not ended"):
        led.reveal_and_lock("s1", "s3cret", pool(2, 20), "lead", now=20 * DAY)


def test_commit_must_come_before_the_period_and_a_locked_sample_cannot_be_redrawn() -> None:
    led = Ledger()
    with pytest.raises(InputError, match="before the period"):
        led.commit_sample("s1", "x", PLAN, "lead", now=11 * DAY)
    led.apply(led.commit_sample("s1", "x", PLAN, "lead", now=0))
    for e in led.reveal_and_lock("s1", "x", pool(2, 20), "lead", now=41 * DAY):
        led.apply(e)
    with pytest.raises(InputError, match="cannot be drawn again"):
        led.reveal_and_lock("s1", "x", pool(2, 30), "lead", now=42 * DAY)


def test_samples_are_uniform_within_strata() -> None:
    # one agent, one queue of 12 calls, 3 drawn: every call has chance 1/4
    calls = pool(1, 12, ("billing",))
    plan = PLAN.model_copy(update={"per_agent": 3})
    counts: Counter[str] = Counter()
    seeds = 4000
    for s in range(seeds):
        counts.update(list(draw(f"seed-{s}", plan, calls).calls))
    observed = [counts[c.call_id] for c in calls]
    assert sum(observed) == 3 * seeds
    assert chisquare(observed).pvalue > 0.001
    # and every pair of calls is drawn together equally often (not only the margins)
    pairs: Counter[tuple[str, str]] = Counter()
    for s in range(seeds):
        drawn = sorted(draw(f"p-{s}", plan, calls).calls)
        pairs.update((a, b) for i, a in enumerate(drawn) for b in drawn[i + 1 :])
    assert len(pairs) == 66 and chisquare(list(pairs.values())).pvalue > 0.001


def test_draws_are_shared_among_queues_in_proportion() -> None:
    assert allocate(4, {"billing": 30, "broadband": 10}) == {"billing": 3, "broadband": 1}
    assert allocate(5, {"a": 1, "b": 1}) == {"a": 1, "b": 1}
    calls = [PoolCall(f"b{i}", "a1", "billing", 10 * DAY + i) for i in range(30)] + [
        PoolCall(f"n{i}", "a1", "broadband", 10 * DAY + i) for i in range(10)
    ]
    s = draw("seed", PLAN, calls)
    assert s.strata["a1"] == {"billing": (3, 30), "broadband": (1, 10)}


def test_targeted_rules_add_calls_apart_from_the_random_draw() -> None:
    calls = [
        PoolCall(f"c{i}", "a1", "billing", 10 * DAY + i * 3_600_000, 120_000, f"1380{i}")
        for i in range(20)
    ]
    calls[5] = PoolCall("c5", "a1", "billing", 10 * DAY + 5 * 3_600_000, 120_000, complaint=True)
    calls[6] = PoolCall("c6", "a1", "billing", 10 * DAY + 6 * 3_600_000, 1_200_000)
    calls[7] = PoolCall("c7", "a1", "billing", 10 * DAY + 7 * 3_600_000, 60_000, survey=1)
    plan = PLAN.model_copy(update={"per_agent": 2, "targeted": Targeted(max_targeted=5)})
    s = draw("seed", plan, calls)
    reasons = {c: r.split(" ", 1)[1] for c, r in s.targeted.items()}
    expected = {"c5": "complaint", "c6": "long call 1200 s", "c7": "survey 1"}
    assert {c: reasons[c] for c in expected if c in reasons} == {
        c: r for c, r in expected.items() if c not in s.calls
    }
    assert not set(s.targeted) & set(s.calls)


def test_the_pool_comes_from_the_event_log() -> None:
    t0 = 10 * DAY
    log = [
        ev.CallArrived(ts=t0, call_id="x1", queue="billing", ani="138"),
        ev.CallAnswered(ts=t0 + 5_000, call_id="x1", agent_id="a1", queue="billing"),
        ev.CallEnded(ts=t0 + 65_000, call_id="x1", agent_id="a1", queue="billing"),
        ev.CaseOpened(ts=t0 + 70_000, case_id="k1", owner="a1", category="投诉", call_id="x1"),
        ev.CallArrived(ts=t0, call_id="x2", queue="billing"),
        ev.CallAbandoned(ts=t0 + 9_000, call_id="x2", queue="billing"),
        ev.CallEnded(ts=t0 + 9_000, call_id="x2", queue="billing", reason="abandoned"),
    ]
    (c,) = sampling.pool_from_events(log, PLAN)
    assert (c.call_id, c.agent_id, c.queue, c.handle_ms, c.ani, c.complaint) == (
        "x1", "a1", "billing", 60_000, "138", True,
    )  # fmt: skip


@given(
    n=st.integers(0, 50),
    sizes=st.dictionaries(st.sampled_from("abcdefg"), st.integers(1, 40), min_size=1),
)
def test_allocation_is_proportional_and_never_exceeds_a_stratum(
    n: int, sizes: dict[str, int]
) -> None:
    got = allocate(n, sizes)
    total = sum(sizes.values())
    assert sum(got.values()) == min(n, total)
    for k, size in sizes.items():
        assert 0 <= got[k] <= size
        assert abs(got[k] - min(n, total) * size / total) < 1 + 1e-9  # largest remainder
