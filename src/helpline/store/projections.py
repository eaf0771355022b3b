"""Current call and agent state, folded from the log into two tables.

``call_state`` has one row per call ever seen (state ``ended`` once it is over,
with the reason); ``agent_state`` one row per agent. ``EventLog.append`` folds
each batch into them in the same transaction as the events, so they are never
behind the log, and ``EventLog.rebuild_projections`` refolds them from seq 1.
Both paths use the pure fold below, so they give identical rows.

Agent states implied by call events follow docs/events.md: an offer reserves
the agent, an answer puts them on call, the end of their call (or their
transfer) starts wrap-up, and ``WrapUpEnded`` makes them ready.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core import events as ev

Row = dict[str, Any]


def touched(events: Iterable[ev.Event]) -> tuple[set[str], set[str]]:
    """The call ids and agent ids whose rows a batch of events may change."""
    calls: set[str] = set()
    agents: set[str] = set()
    for e in events:
        if isinstance(e, _CALL_EVENTS):
            calls.add(e.call_id)
        for attr in ("agent_id", "from_agent"):
            agent_id = getattr(e, attr, None)
            if agent_id is not None:
                agents.add(agent_id)
    return calls, agents


def fold(calls: dict[str, Row], agents: dict[str, Row], e: ev.Event) -> None:
    """Apply one event (with its seq) to the call and agent rows, in place."""
    if isinstance(e, _CALL_EVENTS):
        call_id = e.call_id
        row = calls.get(call_id)
        if row is None or isinstance(e, ev.CallArrived):  # an arrival starts a fresh row
            row = _new_call(call_id, e)
        calls[call_id] = row
        _fold_call(row, e)
        row["updated_ts"] = e.ts
        row["last_seq"] = e.seq
    for agent_id in _agents_of(e):
        arow = agents.get(agent_id) or _new_agent(agent_id, e)
        agents[agent_id] = arow
        before = arow["state"]
        _fold_agent(arow, e)
        if arow["state"] != before:
            arow["since_ts"] = e.ts
        arow["last_seq"] = e.seq


# The events that move a call; others that name one (surveys, evaluations, cases,
# callbacks made later) say nothing about where it is, and may name a call this
# log never saw arrive.
_CALL_EVENTS = (
    ev.CallArrived, ev.CallQueued, ev.CallOffered, ev.OfferRejected, ev.CallAnswered,
    ev.CallHeld, ev.CallResumed, ev.CallTransferred, ev.CallEnded,
)  # fmt: skip


def _agents_of(e: ev.Event) -> list[str]:
    if isinstance(e, ev.CallTransferred):
        return [e.from_agent]
    if isinstance(e, _AGENT_EVENTS):
        agent_id = getattr(e, "agent_id", None)
        return [agent_id] if agent_id is not None else []
    return []


_AGENT_EVENTS = (
    ev.AgentLoggedIn, ev.AgentStateChanged, ev.AgentLoggedOut, ev.CallOffered,
    ev.OfferRejected, ev.CallAnswered, ev.CallEnded, ev.WrapUpEnded,
)  # fmt: skip


def _new_call(call_id: str, e: ev.Event) -> Row:
    return {
        "call_id": call_id, "tenant": e.tenant, "site": e.site, "state": "arrived",
        "queue": None, "agent_id": None, "tier": None, "ani": None, "arrived_ts": None,
        "answered_ts": None, "ended_ts": None, "end_reason": None, "offers": 0,
        "transfers": 0, "updated_ts": e.ts, "last_seq": e.seq,
    }  # fmt: skip


def _new_agent(agent_id: str, e: ev.Event) -> Row:
    return {
        "agent_id": agent_id, "tenant": e.tenant, "site": e.site, "state": "offline",
        "reason": "", "call_id": None, "logged_in": False, "since_ts": e.ts, "calls": 0,
        "last_seq": e.seq,
    }  # fmt: skip


def _fold_call(row: Row, e: ev.Event) -> None:
    match e:
        case ev.CallArrived():
            row.update(state="arrived", queue=e.queue, tier=e.tier, ani=e.ani, arrived_ts=e.ts)
        case ev.CallQueued():
            # A consult keeps the caller on hold with the agent who asked for it.
            consult = e.reason in ("consult", "consult_agent")
            row.update(state="consulting" if consult else "queued", queue=e.queue)
            if not consult:
                row["agent_id"] = None
        case ev.CallOffered():
            row.update(state="ringing", agent_id=e.agent_id, queue=e.queue)
            row["offers"] += 1
        case ev.OfferRejected():
            row.update(state="queued", agent_id=None)
        case ev.CallAnswered():
            row.update(state="talking", agent_id=e.agent_id, queue=e.queue)
            if row["answered_ts"] is None:
                row["answered_ts"] = e.ts
        case ev.CallHeld():
            row["state"] = "held"
        case ev.CallResumed():
            row.update(state="talking", agent_id=e.agent_id)
        case ev.CallTransferred():
            row["transfers"] += 1
            if e.mode == "blind":  # between queues, as the engine says, until queued or offered
                row.update(state="arrived", agent_id=None)
        case ev.CallEnded():
            row.update(state="ended", ended_ts=e.ts, end_reason=e.reason)
            if e.agent_id is not None:
                row["agent_id"] = e.agent_id
        case _:
            pass


def _fold_agent(row: Row, e: ev.Event) -> None:
    match e:
        case ev.AgentLoggedIn():
            row.update(state="not_ready", reason="login", logged_in=True, call_id=None)
        case ev.AgentStateChanged():
            row.update(state=e.state, reason=e.reason, call_id=None)
        case ev.AgentLoggedOut():
            row.update(state="offline", reason="logout", logged_in=False, call_id=None)
        case ev.CallOffered():
            row.update(state="reserved", reason="", call_id=e.call_id)
        case ev.OfferRejected():
            row["call_id"] = None
        case ev.CallAnswered():
            row.update(state="on_call", reason="", call_id=e.call_id)
            row["calls"] += 1
        case ev.CallEnded():
            if row["call_id"] == e.call_id and row["state"] == "on_call":
                row.update(state="wrap_up", reason="")
            elif row["call_id"] == e.call_id:
                row["call_id"] = None  # the caller hung up while it rang here
        case ev.CallTransferred():
            row.update(state="wrap_up", reason="")
        case ev.WrapUpEnded():
            row.update(state="ready", reason="", call_id=None)
        case _:
            pass
