"""What the engine asks drivers to do (ring a phone, offer a callback, hang up)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Ring:
    call_id: str
    agent_id: str


@dataclass(slots=True, frozen=True)
class StopRinging:
    call_id: str
    agent_id: str


@dataclass(slots=True, frozen=True)
class OfferCallback:
    """Tell the waiting caller the expected wait and offer a call back instead."""

    call_id: str
    ewt_s: float


@dataclass(slots=True, frozen=True)
class Disconnect:
    call_id: str
    reason: str


Command = Ring | StopRinging | OfferCallback | Disconnect
