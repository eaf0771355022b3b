"""A small driver for engine tests: inputs at times in seconds, events collected."""

from __future__ import annotations

from typing import Any

from helpline.core import events as ev
from helpline.core.center import parse_center
from helpline.engine import inputs as inp
from helpline.engine.acd import Engine, Output


def center(**overrides: Any) -> Any:
    data: dict[str, Any] = {
        "tiers": [{"name": "standard", "priority": 0}, {"name": "vip", "priority": 2}],
        "routing": {"aging_s": 30, "rona_s": 10},
        "queues": [{"name": "billing", "skills": {"billing": 1}}],
        "agents": [
            {"id": "a1", "team": "t1", "skills": {"billing": 5}},
            {"id": "a2", "team": "t1", "skills": {"billing": 5}},
        ],
    }
    data.update(overrides)
    return parse_center(data)


class Rig:
    def __init__(self, c: Any) -> None:
        self.center = c
        self.engine = Engine(c)
        self.log: list[ev.Event] = []
        self.now = 0

    def do(self, request: Any, at_s: float | None = None) -> Output:
        if at_s is not None:
            self.advance(at_s)
        out = self.engine.handle(request, self.now)
        self.log.extend(out.events)
        return out

    def advance(self, to_s: float) -> list[ev.Event]:
        """Move time to ``to_s``, firing due timers on the way."""
        target = round(to_s * 1000)
        fired: list[ev.Event] = []
        while (t := self.engine.next_wakeup()) is not None and t <= target:
            self.now = t
            out = self.engine.handle(inp.Tick(), t)
            self.log.extend(out.events)
            fired.extend(out.events)
        self.now = target
        return fired

    def ready(self, *agents: str, at_s: float | None = None) -> None:
        for a in agents:
            self.do(inp.Login(a), at_s)
            self.do(inp.SetState(a, "ready"))


def brief(events: list[ev.Event]) -> list[tuple[Any, ...]]:
    """Events as short tuples: (type, call, agent/queue, ts in s)."""
    out = []
    for e in events:
        who = getattr(e, "agent_id", None) or getattr(e, "queue", None)
        out.append((e.TYPE, getattr(e, "call_id", None), who, e.ts / 1000))
    return out
