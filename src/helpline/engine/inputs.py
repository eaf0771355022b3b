"""What drivers (the simulator, the live server, telephony) tell the engine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class NewCall:
    call_id: str
    queue: str | None = None  # None: the call is in IVR until routed
    tier: str = "standard"
    ani: str = ""


@dataclass(slots=True, frozen=True)
class Route:
    """Send a call that arrived without a queue (e.g. after IVR) to a queue."""

    call_id: str
    queue: str


@dataclass(slots=True, frozen=True)
class Login:
    agent_id: str


@dataclass(slots=True, frozen=True)
class Logout:
    agent_id: str


@dataclass(slots=True, frozen=True)
class SetState:
    agent_id: str
    state: str
    reason: str = ""


@dataclass(slots=True, frozen=True)
class Answer:
    call_id: str
    agent_id: str


@dataclass(slots=True, frozen=True)
class NoAnswer:
    call_id: str
    agent_id: str


@dataclass(slots=True, frozen=True)
class CallerHangup:
    call_id: str


@dataclass(slots=True, frozen=True)
class Complete:
    """The conversation ended normally (either side hung up after talking)."""

    call_id: str


@dataclass(slots=True, frozen=True)
class Hold:
    call_id: str


@dataclass(slots=True, frozen=True)
class Resume:
    call_id: str


@dataclass(slots=True, frozen=True)
class Transfer:
    call_id: str
    to_queue: str | None = None
    to_agent: str | None = None
    mode: str = "blind"  # blind | consult


@dataclass(slots=True, frozen=True)
class AcceptCallback:
    call_id: str
    number: str = ""


@dataclass(slots=True, frozen=True)
class Tick:
    """Time has passed: fire due timers (no-answer, overflow, max wait, wrap-up)."""


Input = (
    NewCall | Route | Login | Logout | SetState | Answer | NoAnswer | CallerHangup | Complete
    | Hold | Resume | Transfer | AcceptCallback | Tick
)  # fmt: skip
