"""Linking transcripts to the calls in the event log.

A transcript names its call; the log knows who answered it, in which queue,
and when the agent put the caller on hold. :func:`link` fills what the
transcript left out (``agent_id``, ``queue``, ``ts``, ``holds``), holds made
relative to the answer, the moment transcripts count from. What the transcript
states itself is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core import events as ev
from .transcript import Transcript

LINK_TYPES = ("CallAnswered", "CallHeld", "CallResumed")


@dataclass
class CallFacts:
    agent_id: str | None = None
    queue: str | None = None
    answered_ts: int | None = None
    holds: list[tuple[int, int]] = field(default_factory=list)
    _held_at: int | None = None


def facts(events: Iterable[ev.Event]) -> dict[str, CallFacts]:
    out: dict[str, CallFacts] = {}
    for e in events:
        if isinstance(e, ev.CallAnswered):
            f = out.setdefault(e.call_id, CallFacts())
            if f.answered_ts is None:  # the first agent's answer starts the recording
                f.agent_id, f.queue, f.answered_ts = e.agent_id, e.queue, e.ts
        elif isinstance(e, ev.CallHeld):
            out.setdefault(e.call_id, CallFacts())._held_at = e.ts
        elif isinstance(e, ev.CallResumed):
            f = out.setdefault(e.call_id, CallFacts())
            if f._held_at is not None:
                f.holds.append((f._held_at, e.ts))
                f._held_at = None
    return out


def link(t: Transcript, known: dict[str, CallFacts]) -> Transcript:
    f = known.get(t.call_id)
    if f is None or f.answered_ts is None:
        return t
    start = f.answered_ts
    update: dict[str, object] = {}
    if t.agent_id is None:
        update["agent_id"] = f.agent_id
    if t.queue is None:
        update["queue"] = f.queue
    if t.ts is None:
        update["ts"] = start
    if t.holds is None:
        update["holds"] = [
            {"start_ms": max(0, s - start), "end_ms": max(0, e - start)} for s, e in f.holds
        ]
    return Transcript.model_validate({**t.model_dump(), **update}) if update else t
