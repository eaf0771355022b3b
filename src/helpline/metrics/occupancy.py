"""Occupancy per queue: whose idle time belongs to which queue.

An agent's handle time (on a call or in wrap-up) belongs to the queue of the
call. Their idle staffed time (ready or ringing) belongs to no call, so it is
shared among queues in proportion to the agent's handle time for each queue in
the same period; if they handled nothing in that period, by their share over the
whole report; if they handled nothing at all, equally among the queues they are
skilled for (``eligible``). With a single queue every idle millisecond lands on
it, so the queue's occupancy equals the center's handle / staffed time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class QueueTime:
    """Handle and apportioned idle milliseconds per queue, per slot and in total."""

    handle: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    idle: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    handle_by_slot: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))
    idle_by_slot: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))

    def staffed(self, queue: str) -> float:
        return self.handle.get(queue, 0.0) + self.idle.get(queue, 0.0)

    def staffed_in(self, queue: str, slot: int) -> float:
        key = (queue, slot)
        return self.handle_by_slot.get(key, 0.0) + self.idle_by_slot.get(key, 0.0)


def apportion(
    handle_ms: dict[tuple[str, str, int], int],
    idle_ms: dict[tuple[str, int], int],
    eligible: dict[str, tuple[str, ...]],
) -> QueueTime:
    out = QueueTime()
    per_agent: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    per_agent_slot: dict[tuple[str, int], dict[str, float]] = defaultdict(
        lambda: defaultdict(float)
    )
    for (agent, queue, slot), ms in handle_ms.items():
        per_agent[agent][queue] += ms
        per_agent_slot[(agent, slot)][queue] += ms
        out.handle[queue] += ms
        out.handle_by_slot[(queue, slot)] += ms

    idle_per_agent: dict[str, float] = defaultdict(float)
    for (agent, slot), ms in idle_ms.items():
        idle_per_agent[agent] += ms
        shares = per_agent_slot.get((agent, slot)) or per_agent.get(agent)
        for queue, part in _split(ms, shares, eligible.get(agent, ())):
            out.idle_by_slot[(queue, slot)] += part
    for agent, idle in idle_per_agent.items():
        for queue, part in _split(idle, per_agent.get(agent), eligible.get(agent, ())):
            out.idle[queue] += part
    return out


def _split(
    ms: float, shares: dict[str, float] | None, fallback: tuple[str, ...]
) -> list[tuple[str, float]]:
    if shares:
        whole = sum(shares.values())
        if whole > 0:
            return [(q, ms * part / whole) for q, part in shares.items()]
    if fallback:
        return [(q, ms / len(fallback)) for q in fallback]
    return []
