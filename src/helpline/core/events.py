"""The event catalog: everything that happens, as one ordered log.

Event names and payload fields are a public contract (see DESIGN.md). Each
event class carries ``TYPE`` (its catalog name) and ``VERSION`` (the payload
version). Payloads written by an older version are brought up to date by the
upcasters registered with :func:`upcaster`, so the log never has to be
rewritten.

Envelope fields common to all events: ``ts`` (UTC milliseconds), ``seq``
(assigned by the store when appended; 0 before), ``tenant`` and ``site``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from .errors import InputError, Problem

Payload = dict[str, Any]


@dataclass(slots=True, kw_only=True)
class Event:
    TYPE: ClassVar[str] = "Event"
    VERSION: ClassVar[int] = 1
    ENVELOPE: ClassVar[frozenset[str]] = frozenset({"ts", "seq", "tenant", "site"})

    ts: int
    seq: int = 0
    tenant: str = "default"
    site: str = "main"

    def payload(self) -> Payload:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in Event.ENVELOPE}


# --- contact -----------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class CallArrived(Event):
    TYPE = "CallArrived"
    call_id: str
    queue: str | None = None  # entry queue; None when the call goes to IVR first
    tier: str = "standard"
    ani: str = ""  # caller number
    dnis: str = ""  # number dialled
    customer_id: str | None = None
    channel: str = "voice"


@dataclass(slots=True, kw_only=True)
class IvrEntered(Event):
    TYPE = "IvrEntered"
    call_id: str
    flow: str


@dataclass(slots=True, kw_only=True)
class IvrStep(Event):
    TYPE = "IvrStep"
    call_id: str
    node: str
    input: str | None = None


@dataclass(slots=True, kw_only=True)
class SelfServiceCompleted(Event):
    TYPE = "SelfServiceCompleted"
    call_id: str
    service: str


@dataclass(slots=True, kw_only=True)
class CallQueued(Event):
    TYPE = "CallQueued"
    call_id: str
    queue: str
    priority: int = 0
    position: int = 1
    ewt_s: float = 0.0
    reason: str = "arrival"  # arrival | overflow | transfer | consult | requeue


@dataclass(slots=True, kw_only=True)
class CallOffered(Event):
    TYPE = "CallOffered"
    call_id: str
    agent_id: str
    queue: str


@dataclass(slots=True, kw_only=True)
class OfferRejected(Event):
    TYPE = "OfferRejected"
    call_id: str
    agent_id: str
    queue: str
    reason: str = "no_answer"  # no_answer | rejected


@dataclass(slots=True, kw_only=True)
class CallAnswered(Event):
    TYPE = "CallAnswered"
    call_id: str
    agent_id: str
    queue: str
    wait_ms: int = 0


@dataclass(slots=True, kw_only=True)
class CallHeld(Event):
    TYPE = "CallHeld"
    call_id: str
    agent_id: str


@dataclass(slots=True, kw_only=True)
class CallResumed(Event):
    TYPE = "CallResumed"
    call_id: str
    agent_id: str


@dataclass(slots=True, kw_only=True)
class CallTransferred(Event):
    TYPE = "CallTransferred"
    call_id: str
    from_agent: str
    to_queue: str | None = None
    to_agent: str | None = None
    mode: str = "blind"  # blind | consult


@dataclass(slots=True, kw_only=True)
class CallAbandoned(Event):
    TYPE = "CallAbandoned"
    call_id: str
    queue: str | None
    wait_ms: int = 0


@dataclass(slots=True, kw_only=True)
class CallEnded(Event):
    TYPE = "CallEnded"
    call_id: str
    agent_id: str | None = None
    queue: str | None = None
    # completed | abandoned | max_wait | callback | self_service | rejected
    reason: str = "completed"


@dataclass(slots=True, kw_only=True)
class WrapUpEnded(Event):
    TYPE = "WrapUpEnded"
    agent_id: str
    call_id: str


@dataclass(slots=True, kw_only=True)
class CallbackRequested(Event):
    TYPE = "CallbackRequested"
    call_id: str
    queue: str | None
    number: str = ""
    reason: str = "caller_choice"  # caller_choice | max_wait | abandoned | after_hours


@dataclass(slots=True, kw_only=True)
class CallbackAttempted(Event):
    TYPE = "CallbackAttempted"
    call_id: str
    attempt: int
    outcome: str  # answered | no_answer | busy | failed
    agent_id: str | None = None


@dataclass(slots=True, kw_only=True)
class CallbackCompleted(Event):
    TYPE = "CallbackCompleted"
    call_id: str
    agent_id: str | None = None


@dataclass(slots=True, kw_only=True)
class SmsReplySent(Event):
    TYPE = "SmsReplySent"
    call_id: str
    number: str
    template: str = ""
    text: str = ""


# --- agent -------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class AgentLoggedIn(Event):
    TYPE = "AgentLoggedIn"
    agent_id: str


@dataclass(slots=True, kw_only=True)
class AgentStateChanged(Event):
    TYPE = "AgentStateChanged"
    agent_id: str
    state: str  # see helpline.core.states.AgentState
    reason: str = ""


@dataclass(slots=True, kw_only=True)
class AgentStatePending(Event):
    """A state asked for while busy; it takes effect when wrap-up ends."""

    TYPE = "AgentStatePending"
    agent_id: str
    state: str
    reason: str = ""


@dataclass(slots=True, kw_only=True)
class AgentLoggedOut(Event):
    TYPE = "AgentLoggedOut"
    agent_id: str


# --- work --------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class CaseOpened(Event):
    TYPE = "CaseOpened"
    case_id: str
    owner: str
    category: str = ""
    call_id: str | None = None
    customer_id: str | None = None
    due_ts: int | None = None
    summary: str = ""


@dataclass(slots=True, kw_only=True)
class CaseAssigned(Event):
    TYPE = "CaseAssigned"
    case_id: str
    assignee: str
    by: str = ""


@dataclass(slots=True, kw_only=True)
class CaseEscalated(Event):
    TYPE = "CaseEscalated"
    case_id: str
    to: str
    reason: str = ""


@dataclass(slots=True, kw_only=True)
class CaseResolved(Event):
    TYPE = "CaseResolved"
    case_id: str
    by: str
    resolution: str = ""


@dataclass(slots=True, kw_only=True)
class CaseReopened(Event):
    TYPE = "CaseReopened"
    case_id: str
    by: str
    reason: str = ""


@dataclass(slots=True, kw_only=True)
class SurveyAnswered(Event):
    TYPE = "SurveyAnswered"
    call_id: str
    score: int
    agent_id: str | None = None
    comment: str = ""


@dataclass(slots=True, kw_only=True)
class EvaluationSigned(Event):
    """One version of a QA evaluation; versions are chained by ``prev_hash``.

    ``content_hash`` is the SHA-256 of the canonical payload without it (see
    ``helpline.qa.ledger``), so a rewritten version no longer matches its hash
    and breaks the chain of every later one.
    """

    TYPE = "EvaluationSigned"
    evaluation_id: str
    call_id: str
    agent_id: str
    evaluator: str
    score: float
    version: int = 1
    scorecard: str = ""
    reason: str = ""
    scorecard_version: int = 1
    sample_id: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # item -> yes | no | na | number
    item_scores: dict[str, float] = field(default_factory=dict)  # item -> points earned
    comments: dict[str, str] = field(default_factory=dict)
    prev_hash: str = ""
    content_hash: str = ""


@dataclass(slots=True, kw_only=True)
class DisputeFiled(Event):
    TYPE = "DisputeFiled"
    dispute_id: str
    evaluation_id: str
    agent_id: str
    items: list[str]
    reason: str = ""
    version: int = 1  # the evaluation version disputed


@dataclass(slots=True, kw_only=True)
class DisputeDecided(Event):
    TYPE = "DisputeDecided"
    dispute_id: str
    reviewer: str
    outcome: str  # upheld | rejected | partly_upheld
    score_change: float = 0.0
    note: str = ""
    evaluation_id: str = ""
    upheld: list[str] = field(default_factory=list)  # items changed in the agent's favour
    new_version: int = 0  # the evaluation version the decision made; 0 when rejected


@dataclass(slots=True, kw_only=True)
class SampleCommitted(Event):
    """Before a period: the hash of a secret seed and of the sampling plan."""

    TYPE = "SampleCommitted"
    sample_id: str
    commitment: str  # sha256 hex, see helpline.qa.sampling.commitment
    plan: str  # canonical JSON of the sampling plan
    committed_by: str = ""


@dataclass(slots=True, kw_only=True)
class SampleRevealed(Event):
    TYPE = "SampleRevealed"
    sample_id: str
    seed: str
    revealed_by: str = ""


@dataclass(slots=True, kw_only=True)
class SampleLocked(Event):
    """The drawn calls; an evaluation may only score these, and none can be swapped."""

    TYPE = "SampleLocked"
    sample_id: str
    calls: dict[str, str] = field(default_factory=dict)  # call -> agent, random draws
    targeted: dict[str, str] = field(default_factory=dict)  # call -> "agent reason"


@dataclass(slots=True, kw_only=True)
class EvaluationAcknowledged(Event):
    TYPE = "EvaluationAcknowledged"
    evaluation_id: str
    agent_id: str
    version: int
    note: str = ""


# --- registry and JSON round trip ---------------------------------------------

CATALOG: dict[str, type[Event]] = {
    cls.TYPE: cls
    for cls in (
        CallArrived, IvrEntered, IvrStep, SelfServiceCompleted, CallQueued, CallOffered,
        OfferRejected, CallAnswered, CallHeld, CallResumed, CallTransferred, CallAbandoned,
        CallEnded, WrapUpEnded, CallbackRequested, CallbackAttempted, CallbackCompleted,
        SmsReplySent, AgentLoggedIn, AgentStateChanged, AgentStatePending, AgentLoggedOut,
        CaseOpened, CaseAssigned, CaseEscalated, CaseResolved, CaseReopened, SurveyAnswered,
        EvaluationSigned, DisputeFiled, DisputeDecided, SampleCommitted, SampleRevealed,
        SampleLocked, EvaluationAcknowledged,
    )
}  # fmt: skip

Upcaster = Callable[[Payload], Payload]
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function turning a ``from_version`` payload into the next version."""

    def register(fn: Upcaster) -> Upcaster:
        _UPCASTERS[(type_name, from_version)] = fn
        return fn

    return register


def to_record(event: Event) -> dict[str, Any]:
    """The event as a JSON-ready dict: envelope plus versioned payload."""
    return {
        "seq": event.seq,
        "ts": event.ts,
        "tenant": event.tenant,
        "site": event.site,
        "type": event.TYPE,
        "v": event.VERSION,
        "payload": event.payload(),
    }


def from_record(record: dict[str, Any]) -> Event:
    type_name = record.get("type")
    cls = CATALOG.get(type_name) if isinstance(type_name, str) else None
    if cls is None:
        raise InputError("event", [Problem("type", "unknown event type", type_name)])
    payload = dict(record.get("payload") or {})
    version = int(record.get("v", 1))
    while version < cls.VERSION:
        step = _UPCASTERS.get((cls.TYPE, version))
        if step is None:
            raise InputError(
                "event", [Problem("v", f"no upcaster for {cls.TYPE} v{version}", version)]
            )
        payload = step(payload)
        version += 1
    try:
        return cls(
            ts=int(record["ts"]),
            seq=int(record.get("seq", 0)),
            tenant=str(record.get("tenant", "default")),
            site=str(record.get("site", "main")),
            **payload,
        )
    except (TypeError, KeyError) as exc:
        raise InputError("event", [Problem(f"{type_name}.payload", str(exc), payload)]) from None


def subject_of(event: Event) -> tuple[str | None, str | None]:
    """(call_id, agent_id) an event is about, for the store's indexes."""
    return getattr(event, "call_id", None), getattr(event, "agent_id", None)
