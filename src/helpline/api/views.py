"""Engine and projection state as JSON for the API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..core import events as ev
from ..engine.acd import Engine, Output
from ..engine.commands import Command
from .live import Issued

Json = dict[str, Any]


def event(e: ev.Event) -> Json:
    return ev.to_record(e)


def command(c: Command) -> Json:
    return {"type": type(c).__name__, **asdict(c)}


def issued(i: Issued) -> Json:
    return {"n": i.n, "ts": i.ts, **command(i.command)}


def output(out: Output) -> Json:
    return {
        "events": [event(e) for e in out.events],
        "commands": [command(c) for c in out.commands],
    }


def live_call(engine: Engine, call_id: str, now: int) -> Json | None:
    c = engine.calls.get(call_id)
    if c is None:
        return None
    position = engine.position(call_id)
    return {
        "call_id": c.id, "active": True, "state": c.state, "queue": c.queue,
        "agent_id": c.agent, "tier": c.tier, "ani": c.ani, "arrived_ts": c.arrived,
        "waiting_since_ts": c.seg_start if position is not None else None,
        "position": position, "ewt_s": engine.ewt_s(call_id),
        "answered_ts": c.answered_at or None, "consult_from": c.consult_from,
        "ended_ts": None, "end_reason": None,
    }  # fmt: skip


def ended_call(row: Json) -> Json:
    """A call the engine has forgotten, from the ``call_state`` projection."""
    return {
        "call_id": row["call_id"], "active": False, "state": row["state"],
        "queue": row["queue"], "agent_id": row["agent_id"], "tier": row["tier"],
        "ani": row["ani"], "arrived_ts": row["arrived_ts"], "waiting_since_ts": None,
        "position": None, "ewt_s": None, "answered_ts": row["answered_ts"],
        "consult_from": None, "ended_ts": row["ended_ts"], "end_reason": row["end_reason"],
    }  # fmt: skip


def agent(engine: Engine, agent_id: str) -> Json | None:
    a = engine.agents.get(agent_id)
    if a is None:
        return None
    pending = {"state": a.pending[0], "reason": a.pending[1]} if a.pending else None
    return {
        "agent_id": a.id, "team": a.team, "state": str(a.state), "reason": a.reason,
        "logged_in": a.logged_in, "call_id": a.call or a.wrap_call, "pending": pending,
        "calls": a.calls, "talk_ms": a.talk_ms, "queues": list(a.queues),
    }  # fmt: skip


def queues(engine: Engine, now: int) -> list[Json]:
    out = []
    for q in engine.queues.values():
        waiting = []
        for position, (_, call_id) in enumerate(q.waiting, start=1):
            c = engine.calls[call_id]
            waiting.append(
                {
                    "call_id": call_id, "position": position, "tier": c.tier,
                    "state": c.state, "waited_s": max(now - c.seg_start, 0) / 1000,
                    "ewt_s": engine.ewt_s(call_id),
                }
            )  # fmt: skip
        out.append({"queue": q.name, "staffed": q.staffed, "waiting": waiting})
    return out
