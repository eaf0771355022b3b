"""Sampling no one can cherry-pick: a committed seed, a deterministic draw, a locked sample.

Before the period the QA lead draws a secret random seed and publishes only
``commitment = sha256("helpline-qa-sample-v1" \\n plan \\n seed)``, where ``plan``
is the canonical JSON of the sampling plan (period, calls per agent, strata,
agents, targeted rules). After the period the seed is revealed; anyone can
check it against the commitment and re-draw the sample from the event log.

The draw (algorithm ``helpline-sha256-rank-v1``): for each agent, their
completed calls in the period are split by queue (the strata); the ``per_agent``
draws are shared among the queues in proportion to their call counts (largest
remainder, ties to the queue name); inside a queue, calls are ranked by
``sha256(seed \\n agent \\n queue \\n call_id)`` and the lowest ranks are taken.

Why SHA-256 ranks rather than ``random.Random`` or numpy's ``PCG64``: the
result depends only on SHA-256 and on sorting, both fixed by standards, so no
Python or numpy upgrade can change a past draw (numpy documents that
``Generator`` methods may change their streams between versions), the
procedure fits in one sentence for an auditor re-implementing it in another
language, and a call's rank does not depend on which other calls are in the
pool, so one late-logged call cannot reshuffle everyone else's draw. Ranking
by a hash modelled as a random function makes every subset of the same size in
a stratum equally likely: the sample is uniform within strata.

Targeted rules then add calls that deserve a listen (complaint, low survey
score, failed automatic check, long call, repeat caller), at most
``max_targeted`` per agent, chosen among the eligible calls by the same ranks.
They are reported apart and never replace a random draw.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..core import events as ev
from ..core.clock import iso
from ..core.errors import InputError, from_validation_error

ALGORITHM = "helpline-sha256-rank-v1"


class Targeted(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    max_targeted: int = Field(2, ge=0)  # per agent
    complaint_categories: list[str] = Field(default_factory=lambda: ["complaint", "投诉"])
    survey_at_most: int | None = 2  # survey score at or below this
    auto_score_below: float | None = 60.0  # automatic checks' score below this
    long_call_s: float | None = 900.0
    repeat_within_h: float | None = 24.0  # same caller number again within this many hours


class Plan(BaseModel):
    """What will be sampled; its canonical JSON is part of the commitment."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start_ms: int = Field(ge=0)
    end_ms: int
    per_agent: int = Field(ge=1, le=1000)
    agents: list[str] | None = None  # None: every agent with calls in the period
    strata: str = "queue"
    targeted: Targeted = Targeted()
    algorithm: str = ALGORITHM

    @model_validator(mode="after")
    def _ordered(self) -> Plan:
        if self.end_ms <= self.start_ms:
            raise ValueError(f"end {iso(self.end_ms)} is not after start {iso(self.start_ms)}")
        if self.algorithm != ALGORITHM:
            raise ValueError(f"unknown algorithm {self.algorithm!r}; this version has {ALGORITHM}")
        return self

    def canonical(self) -> str:
        data = self.model_dump()
        if data["agents"] is not None:
            data["agents"] = sorted(set(data["agents"]))
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def parse_plan(text: str, source: str) -> Plan:
    try:
        return Plan.model_validate_json(text)
    except ValidationError as exc:
        raise from_validation_error(exc, source) from None


def commitment(seed: str, plan: Plan) -> str:
    return hashlib.sha256(f"{ALGORITHM}\n{plan.canonical()}\n{seed}".encode()).hexdigest()


@dataclass(frozen=True)
class PoolCall:
    """A completed call as the sampler sees it, folded from the event log."""

    call_id: str
    agent_id: str
    queue: str
    ts: int  # when it was answered
    handle_ms: int = 0
    ani: str = ""
    complaint: bool = False
    survey: int | None = None
    auto_score: float | None = None


@dataclass(frozen=True)
class Sample:
    calls: dict[str, str]  # call -> agent, random draws
    targeted: dict[str, str]  # call -> "agent reason"
    strata: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    # agent -> queue -> (drawn, calls in the stratum)


def pool_from_events(
    events: Iterable[ev.Event],
    plan: Plan,
    auto_scores: Mapping[str, float] | None = None,
) -> list[PoolCall]:
    """Calls answered in the plan's period and completed, with what targeted rules need."""
    answered: dict[str, tuple[str, str, int]] = {}
    ended: dict[str, int] = {}
    ani: dict[str, str] = {}
    complaints: set[str] = set()
    surveys: dict[str, int] = {}
    cats = set(plan.targeted.complaint_categories)
    for e in events:
        if isinstance(e, ev.CallAnswered):
            answered.setdefault(e.call_id, (e.agent_id, e.queue, e.ts))
        elif isinstance(e, ev.CallEnded) and e.reason == "completed":
            ended[e.call_id] = e.ts
        elif isinstance(e, ev.CallArrived):
            ani[e.call_id] = e.ani
        elif isinstance(e, ev.CaseOpened) and e.call_id and e.category in cats:
            complaints.add(e.call_id)
        elif isinstance(e, ev.SurveyAnswered):
            surveys[e.call_id] = e.score
    wanted = set(plan.agents) if plan.agents is not None else None
    out = []
    for call_id, (agent, queue, ts) in answered.items():
        if call_id not in ended or not plan.start_ms <= ts < plan.end_ms:
            continue
        if wanted is not None and agent not in wanted:
            continue
        out.append(
            PoolCall(
                call_id, agent, queue, ts, ended[call_id] - ts, ani.get(call_id, ""),
                call_id in complaints, surveys.get(call_id),
                (auto_scores or {}).get(call_id),
            )
        )  # fmt: skip
    return out


def rank(seed: str, agent: str, stratum: str, call_id: str) -> bytes:
    return hashlib.sha256(f"{seed}\n{agent}\n{stratum}\n{call_id}".encode()).digest()


def allocate(n: int, sizes: Mapping[str, int]) -> dict[str, int]:
    """``n`` draws shared in proportion to stratum sizes (largest remainder), capped by size."""
    total = sum(sizes.values())
    n = min(n, total)
    if n == 0:
        return {k: 0 for k in sizes}
    exact = {k: n * v / total for k, v in sizes.items()}
    out = {k: int(x) for k, x in exact.items()}
    left = n - sum(out.values())
    for k in sorted(sizes, key=lambda k: (-(exact[k] - out[k]), k))[:left]:
        out[k] += 1
    return out


def draw(seed: str, plan: Plan, pool: Sequence[PoolCall]) -> Sample:
    by_agent: dict[str, dict[str, list[PoolCall]]] = defaultdict(lambda: defaultdict(list))
    for c in pool:
        by_agent[c.agent_id][c.queue].append(c)
    calls: dict[str, str] = {}
    strata: dict[str, dict[str, tuple[int, int]]] = {}
    for agent in sorted(by_agent):
        queues = by_agent[agent]
        share = allocate(plan.per_agent, {q: len(cs) for q, cs in queues.items()})
        strata[agent] = {}
        for q in sorted(queues):
            ranked = sorted(queues[q], key=lambda c: rank(seed, agent, q, c.call_id))
            for c in ranked[: share[q]]:
                calls[c.call_id] = agent
            strata[agent][q] = (share[q], len(queues[q]))
    targeted = _targeted(seed, plan, pool, calls)
    return Sample(calls, targeted, strata)


def _reasons(plan: Plan, pool: Sequence[PoolCall]) -> dict[str, list[str]]:
    rules = plan.targeted
    out: dict[str, list[str]] = defaultdict(list)
    last_seen: dict[str, int] = {}
    window = None if rules.repeat_within_h is None else rules.repeat_within_h * 3_600_000
    for c in sorted(pool, key=lambda c: (c.ts, c.call_id)):
        if c.complaint:
            out[c.call_id].append("complaint")
        low = rules.survey_at_most
        if low is not None and c.survey is not None and c.survey <= low:
            out[c.call_id].append(f"survey {c.survey}")
        bar = rules.auto_score_below
        if bar is not None and c.auto_score is not None and c.auto_score < bar:
            out[c.call_id].append(f"auto score {c.auto_score:g}")
        if rules.long_call_s is not None and c.handle_ms > rules.long_call_s * 1000:
            out[c.call_id].append(f"long call {c.handle_ms // 1000} s")
        if window is not None and c.ani:
            if c.ani in last_seen and c.ts - last_seen[c.ani] <= window:
                out[c.call_id].append("repeat caller")
            last_seen[c.ani] = c.ts
    return out


def _targeted(
    seed: str, plan: Plan, pool: Sequence[PoolCall], drawn: Mapping[str, str]
) -> dict[str, str]:
    reasons = _reasons(plan, pool)
    by_agent: dict[str, list[PoolCall]] = defaultdict(list)
    for c in pool:
        if c.call_id in reasons and c.call_id not in drawn:
            by_agent[c.agent_id].append(c)
    out = {}
    for agent in sorted(by_agent):
        ranked = sorted(by_agent[agent], key=lambda c: rank(seed, agent, "targeted", c.call_id))
        for c in ranked[: plan.targeted.max_targeted]:
            out[c.call_id] = f"{agent} {', '.join(reasons[c.call_id])}"
    return out


def same_sample(a: Sample, locked: ev.SampleLocked) -> bool:
    return a.calls == locked.calls and a.targeted == locked.targeted


__all__ = ["InputError", "Plan", "PoolCall", "Sample", "commitment", "draw", "pool_from_events"]
