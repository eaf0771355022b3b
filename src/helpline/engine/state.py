"""The engine's mutable records of calls and agents."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.states import AgentState

# Call life cycle inside the engine.
ARRIVED = "arrived"  # in IVR, not yet in a queue
QUEUED = "queued"
RINGING = "ringing"
TALKING = "talking"
HELD = "held"
CONSULTING = "consulting"  # caller on hold while a transfer target is sought


@dataclass(slots=True)
class Call:
    id: str
    tier: str
    ani: str
    arrived: int
    number: int  # arrival order, the FIFO tie-break
    state: str = ARRIVED
    queue: str | None = None
    priority: int = 0
    seg_start: int = 0  # when the caller started waiting in the current segment
    enq_ts: int = 0  # when it entered the current queue (overflow clock)
    key: tuple[int, int, int] | None = None  # place in the queue, smaller is served first
    agent: str | None = None  # ringing at, or talking to
    consult_from: str | None = None  # agent holding the caller during a consult transfer
    consult_home: str | None = None  # the queue the call came from, if the consult is cancelled
    consult_direct: bool = False  # the consult rings one named agent, not a queue
    answered_at: int = 0
    offers: int = 0


@dataclass(slots=True)
class Agent:
    id: str
    team: str
    prof: dict[str, int]  # proficiency per eligible queue (the agent's weakest required skill)
    queues: tuple[str, ...]
    member_index: dict[str, int]  # position in each queue's member list, for round robin
    supervisor: bool = False
    logged_in: bool = False
    state: AgentState = AgentState.OFFLINE
    reason: str = ""
    call: str | None = None
    idle_since: int = 0
    calls: int = 0
    talk_ms: int = 0
    version: int = 0  # bumped whenever the agent becomes ready; stale pool entries are skipped
    wrap_until: int | None = None
    wrap_call: str | None = None
    pending: tuple[str, str] | None = None  # (state, reason) asked for while busy
    staffed: bool = False
