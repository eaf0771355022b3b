"""Agent states and the reason codes that go with them."""

from __future__ import annotations

from enum import StrEnum


class AgentState(StrEnum):
    OFFLINE = "offline"
    READY = "ready"
    RESERVED = "reserved"  # a call is ringing at the agent
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    NOT_READY = "not_ready"  # e.g. after a no-answer (RONA)
    BREAK = "break"
    MEAL = "meal"
    TRAINING = "training"
    MEETING = "meeting"


# States an agent may ask for; the others are set by the engine.
REQUESTABLE = frozenset(
    {
        AgentState.READY,
        AgentState.NOT_READY,
        AgentState.BREAK,
        AgentState.MEAL,
        AgentState.TRAINING,
        AgentState.MEETING,
    }
)

# Logged-in time that counts towards occupancy (handling or available).
STAFFED = frozenset({AgentState.READY, AgentState.RESERVED, AgentState.ON_CALL, AgentState.WRAP_UP})
