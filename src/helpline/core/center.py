"""A contact center described as data: tiers, queues, agents and routing rules.

Loaded from YAML (``helpline.config``) and validated here with pydantic, so a
bad value is reported with its path (``queues[3].sl_target.seconds``) and the
value itself. Vocabulary follows Asterisk ``app_queue`` where it means the same
thing: strategies accept ``leastrecent``, ``fewestcalls`` and ``rrmemory`` as
aliases; wrap-up time is per queue; RONA is the no-answer timeout.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputError, from_validation_error

Strategy = Literal[
    "longest_idle", "fewest_calls", "least_talk_time", "round_robin", "random", "skill_level_first"
]
STRATEGY_ALIASES = {
    "leastrecent": "longest_idle",
    "fewestcalls": "fewest_calls",
    "rrmemory": "round_robin",
    "roundrobin": "round_robin",
}
Proficiency = Annotated[int, Field(ge=1, le=10)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlTarget(_Model):
    """Service-level target: ``percent`` of calls answered within ``seconds``."""

    percent: float = Field(80.0, gt=0, le=100)
    seconds: float = Field(20.0, gt=0)


class Overflow(_Model):
    queue: str
    after_s: float = Field(ge=0)


class ExpansionStep(_Model):
    """From ``after_s`` seconds of waiting, agents with ``min_proficiency`` may take the call."""

    after_s: float = Field(ge=0)
    min_proficiency: Proficiency


class QueueConfig(_Model):
    name: str = Field(min_length=1)
    skills: dict[str, Proficiency] = Field(default_factory=dict)
    strategy: Strategy = "longest_idle"
    sl_target: SlTarget = SlTarget()
    max_wait_s: float | None = Field(None, gt=0)
    overflow: Overflow | None = None
    callback_offer_ewt_s: float | None = Field(None, ge=0)
    wrap_up_s: float = Field(0.0, ge=0)
    short_abandon_s: float = Field(5.0, ge=0)
    aht_s: float = Field(240.0, gt=0)  # starting estimate for expected wait time
    expansion: list[ExpansionStep] = Field(default_factory=list)
    priority: int = 0  # added to the caller's tier priority

    @field_validator("strategy", mode="before")
    @classmethod
    def _alias(cls, v: Any) -> Any:
        return STRATEGY_ALIASES.get(v, v) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _expansion_sorted(self) -> QueueConfig:
        times = [s.after_s for s in self.expansion]
        if times != sorted(times):
            raise ValueError(f"expansion steps must be in order of after_s, got {times}")
        levels = [s.min_proficiency for s in self.expansion]
        if levels != sorted(levels, reverse=True):
            raise ValueError(f"expansion must widen: min_proficiency may only fall, got {levels}")
        return self


class Tier(_Model):
    name: str = Field(min_length=1)
    priority: int = Field(0, ge=0)


class AgentConfig(_Model):
    id: str = Field(min_length=1)
    name: str = ""
    team: str = ""
    skills: dict[str, Proficiency] = Field(default_factory=dict)
    supervisor: bool = False


class AgentGroup(_Model):
    """``count`` agents alike but for their id: ``prefix`` + number, in teams of ``team_size``."""

    prefix: str = Field(min_length=1)
    count: int = Field(ge=1, le=100_000)
    team_size: int = Field(15, ge=1)
    team_prefix: str | None = None
    skills: dict[str, Proficiency] = Field(default_factory=dict)

    def expand(self) -> list[AgentConfig]:
        width = max(3, len(str(self.count)))
        team_prefix = self.team_prefix or f"{self.prefix}-team"
        return [
            AgentConfig(
                id=f"{self.prefix}{i + 1:0{width}d}",
                team=f"{team_prefix}{i // self.team_size + 1}",
                skills=dict(self.skills),
            )
            for i in range(self.count)
        ]


class Routing(_Model):
    # Seconds of waiting worth one tier priority level: a caller one level lower
    # who has waited this much longer is served first, so nobody waits forever.
    aging_s: float = Field(30.0, gt=0)
    rona_s: float = Field(15.0, gt=0)  # ring time before an offer counts as no answer


class Center(_Model):
    name: str = "helpline"
    timezone: str = "UTC"
    tiers: list[Tier] = Field(default_factory=lambda: [Tier(name="standard", priority=0)])
    routing: Routing = Routing()
    queues: list[QueueConfig] = Field(min_length=1)
    agents: list[AgentConfig] = Field(default_factory=list)
    agent_groups: list[AgentGroup] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Center:
        _unique("tiers", [t.name for t in self.tiers])
        queue_names = [q.name for q in self.queues]
        _unique("queues", queue_names)
        for i, q in enumerate(self.queues):
            if q.overflow and q.overflow.queue not in queue_names:
                raise ValueError(
                    f"queues[{i}].overflow.queue: no queue named {q.overflow.queue!r} "
                    f"(queues: {', '.join(queue_names)})"
                )
            if q.overflow and q.overflow.queue == q.name:
                raise ValueError(f"queues[{i}].overflow.queue: a queue cannot overflow to itself")
            if q.expansion and q.strategy != "skill_level_first":
                raise ValueError(
                    f"queues[{i}].expansion: only used with strategy skill_level_first, "
                    f"not {q.strategy!r}"
                )
        _unique("agents", [a.id for a in self.all_agents()])
        return self

    def all_agents(self) -> list[AgentConfig]:
        out = list(self.agents)
        for g in self.agent_groups:
            out.extend(g.expand())
        return out

    def queue(self, name: str) -> QueueConfig:
        for q in self.queues:
            if q.name == name:
                return q
        raise KeyError(name)

    def tier_priority(self) -> dict[str, int]:
        return {t.name: t.priority for t in self.tiers}


def eligible(agent: AgentConfig, queue: QueueConfig) -> bool:
    """An agent may take a queue's calls when they hold every required skill at its level."""
    skills = agent.skills
    return all(skills.get(skill, 0) >= level for skill, level in queue.skills.items())


def _unique(what: str, names: list[str]) -> None:
    seen: set[str] = set()
    for i, n in enumerate(names):
        if n in seen:
            raise ValueError(f"{what}[{i}]: duplicate name {n!r}")
        seen.add(n)


def parse_center(data: Any, source: str = "center") -> Center:
    try:
        return Center.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source) from None


__all__ = [
    "AgentConfig",
    "AgentGroup",
    "Center",
    "ExpansionStep",
    "InputError",
    "Overflow",
    "QueueConfig",
    "Routing",
    "SlTarget",
    "Tier",
    "eligible",
    "parse_center",
]
