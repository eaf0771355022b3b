"""Ready agents of one queue, ordered by the queue's strategy.

Strategies (Asterisk ``app_queue`` names in brackets):
- ``longest_idle`` [leastrecent]: the agent ready the longest;
- ``fewest_calls`` [fewestcalls]: fewest calls taken, then longest idle;
- ``least_talk_time``: least talk time so far, then longest idle;
- ``round_robin`` [rrmemory]: the next member after the last one offered;
- ``random``: uniform among ready members, reproducible (hash of the call);
- ``skill_level_first``: highest proficiency first, then longest idle; the
  lowest proficiency allowed widens as the caller waits (``expansion``).

Entries are removed lazily: an entry is valid while its agent is ready with
the same ``version`` it had when added, so an agent leaving the ready state
costs nothing here.
"""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Callable

from sortedcontainers import SortedList

from ..core.states import AgentState
from .state import Agent, Call

KeyFn = Callable[[Agent], tuple[int, int]]

_KEYS: dict[str, KeyFn] = {
    "longest_idle": lambda a: (a.idle_since, 0),
    "fewest_calls": lambda a: (a.calls, a.idle_since),
    "least_talk_time": lambda a: (a.talk_ms, a.idle_since),
}


def _valid(agents: dict[str, Agent], agent_id: str, version: int) -> bool:
    a = agents[agent_id]
    return a.state is AgentState.READY and a.version == version


class HeapPool:
    """Strategies whose order is a key fixed while the agent stays ready."""

    __slots__ = ("_agents", "_heap", "_key", "_queue")

    def __init__(self, queue: str, key: KeyFn, agents: dict[str, Agent]) -> None:
        self._queue = queue
        self._key = key
        self._agents = agents
        self._heap: list[tuple[int, int, int, str]] = []

    def add(self, agent: Agent) -> None:
        k1, k2 = self._key(agent)
        heapq.heappush(self._heap, (k1, k2, agent.version, agent.id))

    def best(self, call: Call, min_prof: int) -> str | None:
        heap = self._heap
        agents = self._agents
        while heap:
            _, _, version, agent_id = heap[0]
            if _valid(agents, agent_id, version):
                if agents[agent_id].prof[self._queue] < min_prof:
                    return None
                return agent_id
            heapq.heappop(heap)
        return None

    def offered(self, agent: Agent) -> None:
        """Only round robin remembers who was offered last."""

    def __len__(self) -> int:
        return sum(1 for _, _, v, a in self._heap if _valid(self._agents, a, v))


class SkillFirstPool(HeapPool):
    def __init__(self, queue: str, agents: dict[str, Agent]) -> None:
        super().__init__(queue, lambda a: (-a.prof[queue], a.idle_since), agents)


class OrderedPool:
    """Round robin with memory, and random: both index ready members by position."""

    __slots__ = ("_agents", "_queue", "_random", "_sl", "last")

    def __init__(self, queue: str, agents: dict[str, Agent], random: bool) -> None:
        self._queue = queue
        self._agents = agents
        self._random = random
        self._sl: SortedList = SortedList()
        self.last = -1  # member index offered last (rrmemory)

    def add(self, agent: Agent) -> None:
        self._sl.add((agent.member_index[self._queue], agent.version, agent.id))

    def best(self, call: Call, min_prof: int) -> str | None:
        sl = self._sl
        # Reproducible "random": a hash of the call and how often it was offered.
        call_hash = zlib.crc32(f"{call.id}/{call.offers}".encode()) if self._random else 0
        agents = self._agents
        # Stale entries met on the way are dropped, so the list stays small and a
        # random pick stays uniform over the valid entries (rejection sampling).
        while sl:
            if self._random:
                entry = sl[call_hash % len(sl)]
            else:
                entry = sl[sl.bisect_left((self.last + 1, -1, "")) % len(sl)]
            if _valid(agents, entry[2], entry[1]):
                agent_id: str = entry[2]
                return agent_id if agents[agent_id].prof[self._queue] >= min_prof else None
            sl.remove(entry)
        return None

    def offered(self, agent: Agent) -> None:
        self.last = agent.member_index[self._queue]

    def __len__(self) -> int:
        return sum(1 for e in self._sl if _valid(self._agents, e[2], e[1]))


Pool = HeapPool | OrderedPool


def make_pool(queue: str, strategy: str, agents: dict[str, Agent]) -> Pool:
    if strategy in _KEYS:
        return HeapPool(queue, _KEYS[strategy], agents)
    if strategy == "skill_level_first":
        return SkillFirstPool(queue, agents)
    if strategy in ("round_robin", "random"):
        return OrderedPool(queue, agents, random=strategy == "random")
    raise ValueError(f"unknown strategy {strategy!r}")
