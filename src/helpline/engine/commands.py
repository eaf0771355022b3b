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


@dataclass(slots=True, frozen=True)
class ConsultFailed:
    """The named colleague did not answer a consult; the caller is back with ``holder``."""

    call_id: str
    holder: str
    target: str


Command = Ring | StopRinging | OfferCallback | Disconnect | ConsultFailed
