"""Request bodies. Unknown fields are refused so a typo is an error, not a default."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Id = Field(min_length=1, max_length=128, pattern=r"^[^\s/]+$")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewCall(_Body):
    call_id: str | None = Field(None, min_length=1, max_length=128, pattern=r"^[^\s/]+$")
    queue: str | None = None  # None: the call waits in IVR until routed
    tier: str = "standard"
    ani: str = Field("", max_length=32)


class AgentOnly(_Body):
    agent_id: str = Id


class SetState(_Body):
    state: str
    reason: str = Field("", max_length=64)


class Transfer(_Body):
    to_queue: str | None = None
    to_agent: str | None = None
    mode: Literal["blind", "consult"] = "blind"


class Callback(_Body):
    number: str = Field("", max_length=32)
