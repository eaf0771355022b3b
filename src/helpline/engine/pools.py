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

    __slots__ = ("_agents", "_compact_at", "_heap", "_key", "_queue")

    def __init__(self, queue: str, key: KeyFn, agents: dict[str, Agent]) -> None:
        self._queue = queue
        self._key = key
        self._agents = agents
        self._heap: list[tuple[int, int, int, str]] = []
        self._compact_at = 64

    def add(self, agent: Agent) -> None:
        k1, k2 = self._key(agent)
        heapq.heappush(self._heap, (k1, k2, agent.version, agent.id))
        if len(self._heap) > self._compact_at:
            # A queue rarely routed to never pops its stale entries: drop them now and then.
            agents = self._agents
            self._heap = [e for e in self._heap if _valid(agents, e[3], e[2])]
            heapq.heapify(self._heap)
            self._compact_at = 2 * len(self._heap) + 64

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

    __slots__ = ("_agents", "_compact_at", "_queue", "_random", "_sl", "last")

    def __init__(self, queue: str, agents: dict[str, Agent], random: bool) -> None:
        self._queue = queue
        self._agents = agents
        self._random = random
        self._sl: SortedList = SortedList()
        self.last = -1  # member index offered last (rrmemory)
        self._compact_at = 64

    def add(self, agent: Agent) -> None:
        self._sl.add((agent.member_index[self._queue], agent.version, agent.id))
        if len(self._sl) > self._compact_at:
            agents = self._agents
            self._sl = SortedList(e for e in self._sl if _valid(agents, e[2], e[1]))
            self._compact_at = 2 * len(self._sl) + 64

    def best(self, call: Call, min_prof: int) -> str | None:
        sl = self._sl
        agents = self._agents
        if self._random:
            # Only valid entries may count, or a replayed engine (with other stale
            # entries) would pick a different agent for the same call.
            for entry in [e for e in sl if not _valid(agents, e[2], e[1])]:
                sl.remove(entry)
            if not sl:
                return None
            entry = sl[zlib.crc32(f"{call.id}/{call.offers}".encode()) % len(sl)]
        else:
            entry = None
            while sl:
                candidate = sl[sl.bisect_left((self.last + 1, -1, "")) % len(sl)]
                if _valid(agents, candidate[2], candidate[1]):
                    entry = candidate
                    break
                sl.remove(candidate)  # stale entries met on the way are dropped
            if entry is None:
                return None
        agent_id: str = entry[2]
        return agent_id if agents[agent_id].prof[self._queue] >= min_prof else None

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
