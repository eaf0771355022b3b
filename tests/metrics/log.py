"""Hand-built event logs for metrics tests: times in seconds, events in time order.

``Log`` keeps the events in the order they are added within one timestamp and
sorts by time, so a test can write each call's life on its own lines.
"""

from __future__ import annotations

from typing import Any

from helpline.core import events as ev
from helpline.core.center import Center, parse_center


def center(**overrides: Any) -> Center:
    data: dict[str, Any] = {
        "queues": [
            {"name": "billing", "skills": {"billing": 1}, "short_abandon_s": 5,
             "sl_target": {"percent": 80, "seconds": 20}},
            {"name": "complaints", "skills": {"complaints": 1}, "short_abandon_s": 10,
             "sl_target": {"percent": 90, "seconds": 60}},
        ],
        "agents": [
            {"id": "a1", "team": "red", "skills": {"billing": 5}},
            {"id": "a2", "team": "red", "skills": {"billing": 5, "complaints": 5}},
            {"id": "a3", "team": "blue", "skills": {"complaints": 5}},
        ],
    }  # fmt: skip
    data.update(overrides)
    return parse_center(data)


def ms(s: float) -> int:
    return round(s * 1000)


class Log:
    def __init__(self) -> None:
        self._events: list[ev.Event] = []

    @property
    def events(self) -> list[ev.Event]:
        return sorted(self._events, key=lambda e: e.ts)  # stable: order within a ts kept

    def add(self, event: ev.Event) -> Log:
        self._events.append(event)
        return self

    # --- agents --------------------------------------------------------------------

    def login(self, agent: str, at: float, ready: bool = True) -> Log:
        self.add(ev.AgentLoggedIn(ts=ms(at), agent_id=agent))
        if ready:
            self.state(agent, "ready", at)
        return self

    def state(self, agent: str, state: str, at: float, reason: str = "") -> Log:
        return self.add(ev.AgentStateChanged(ts=ms(at), agent_id=agent, state=state, reason=reason))

    def logout(self, agent: str, at: float) -> Log:
        return self.add(ev.AgentLoggedOut(ts=ms(at), agent_id=agent))

    # --- calls ---------------------------------------------------------------------

    def queued(self, call: str, queue: str, at: float, reason: str = "arrival") -> Log:
        if reason == "arrival":
            self.add(ev.CallArrived(ts=ms(at), call_id=call, queue=queue))
        return self.add(ev.CallQueued(ts=ms(at), call_id=call, queue=queue, reason=reason))

    def offered(self, call: str, agent: str, queue: str, at: float) -> Log:
        return self.add(ev.CallOffered(ts=ms(at), call_id=call, agent_id=agent, queue=queue))

    def answered(self, call: str, agent: str, queue: str, at: float, wait: float) -> Log:
        return self.add(
            ev.CallAnswered(ts=ms(at), call_id=call, agent_id=agent, queue=queue, wait_ms=ms(wait))
        )

    def held(self, call: str, agent: str, at: float) -> Log:
        return self.add(ev.CallHeld(ts=ms(at), call_id=call, agent_id=agent))

    def resumed(self, call: str, agent: str, at: float) -> Log:
        return self.add(ev.CallResumed(ts=ms(at), call_id=call, agent_id=agent))

    def ended(
        self, call: str, at: float, reason: str = "completed", agent: str | None = None,
        queue: str | None = None,
    ) -> Log:  # fmt: skip
        return self.add(
            ev.CallEnded(ts=ms(at), call_id=call, agent_id=agent, queue=queue, reason=reason)
        )

    def wrapped(self, agent: str, call: str, at: float) -> Log:
        return self.add(ev.WrapUpEnded(ts=ms(at), agent_id=agent, call_id=call))

    def abandoned(self, call: str, queue: str, at: float, wait: float) -> Log:
        self.add(ev.CallAbandoned(ts=ms(at), call_id=call, queue=queue, wait_ms=ms(wait)))
        return self.ended(call, at, "abandoned", queue=queue)

    def call(
        self, call: str, queue: str, agent: str, at: float, wait: float, talk: float,
        wrap: float = 0.0,
    ) -> Log:  # fmt: skip
        """A whole answered call: queued at ``at``, answered after ``wait``, talk, wrap-up."""
        answer = at + wait
        self.queued(call, queue, at)
        self.offered(call, agent, queue, answer)
        self.answered(call, agent, queue, answer, wait)
        self.ended(call, answer + talk, agent=agent, queue=queue)
        return self.wrapped(agent, call, answer + talk + wrap)
