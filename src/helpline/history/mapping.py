"""How another system's per-call records map onto helpline events.

A mapping (YAML) names the CSV columns for the moments of a call and how to
read them; each row then becomes the events helpline itself would have
written: ``CallArrived``, ``CallQueued``, and either ``CallAnswered`` →
``CallEnded`` → ``WrapUpEnded`` or ``CallAbandoned`` → ``CallEnded``. Every KPI,
forecast and report then works on imported history as on live traffic.

Example::

    timezone: Asia/Shanghai          # zone of timestamps that carry none
    time_format: "%Y-%m-%d %H:%M:%S" # default: ISO 8601
    columns:
      call_id: CallID                # optional: line numbers otherwise
      arrival: StartTime             # required
      queue_entry: QueueStart        # optional: arrival
      queue_exit: QueueEnd           # optional: answer, or end
      answer: AnswerTime             # empty when never answered
      end: EndTime                   # required
      wrap_end: WrapEnd              # optional: end
      outcome: Disposition           # optional: answered if answer is set
      agent: AgentID
      call_type: Skill               # becomes the queue
    outcomes: {ANS: answered, ABN: abandoned, CB: callback, TO: max_wait}
    queues: {"Billing Inquiry": billing}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..core import events as ev
from ..core.errors import Problem

Outcome = Literal["answered", "abandoned", "callback", "max_wait", "self_service"]


class Columns(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    call_id: str | None = None
    arrival: str
    queue_entry: str | None = None
    queue_exit: str | None = None
    answer: str | None = None
    end: str
    wrap_end: str | None = None
    outcome: str | None = None
    agent: str | None = None
    call_type: str | None = None
    tier: str | None = None
    ani: str | None = None


class CallMapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "UTC"
    time_format: str | None = None  # strptime format; None means ISO 8601
    formats: dict[str, str] = Field(default_factory=dict)  # per-column overrides
    columns: Columns
    outcomes: dict[str, Outcome] = Field(default_factory=dict)
    queues: dict[str, str] = Field(default_factory=dict)
    default_queue: str = "default"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}") from None
        return v


class RowError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem


@dataclass(frozen=True)
class CallRecord:
    call_id: str
    queue: str
    arrival: int
    queue_entry: int
    queue_exit: int | None
    answer: int | None
    end: int
    wrap_end: int | None
    outcome: Outcome
    agent: str | None
    tier: str
    ani: str


def _field(row: Mapping[str, str], column: str | None) -> str:
    if column is None:
        return ""
    return (row.get(column) or "").strip()


class RowReader:
    """Turns one CSV row into a :class:`CallRecord`, or a :class:`RowError`."""

    def __init__(self, mapping: CallMapping) -> None:
        self.m = mapping
        self.tz = ZoneInfo(mapping.timezone)

    def time(self, row: Mapping[str, str], key: str, line: int, required: bool) -> int | None:
        column = getattr(self.m.columns, key)
        text = _field(row, column)
        if not text:
            if required:
                raise RowError(Problem(f"line {line}: {column}", "missing time", text))
            return None
        fmt = self.m.formats.get(key, self.m.time_format)
        try:
            dt = datetime.strptime(text, fmt) if fmt else datetime.fromisoformat(text)
        except ValueError:
            shown = fmt or "ISO 8601"
            raise RowError(
                Problem(f"line {line}: {column}", f"not a time in {shown}", text)
            ) from None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=self.tz)
        return round(dt.timestamp() * 1000)

    def record(self, row: Mapping[str, str], line: int) -> CallRecord:
        c = self.m.columns
        arrival = self.time(row, "arrival", line, True)
        end = self.time(row, "end", line, True)
        assert arrival is not None and end is not None
        entry = self.time(row, "queue_entry", line, False) or arrival
        answer = self.time(row, "answer", line, False)
        exit_ = self.time(row, "queue_exit", line, False)
        wrap_end = self.time(row, "wrap_end", line, False)
        outcome = self._outcome(row, line, answer)
        order = [("arrival", arrival), ("queue_entry", entry)]
        order += [("answer", answer)] if outcome == "answered" and answer is not None else []
        order += [("end", end)]
        for (a, ta), (b, tb) in pairwise(order):
            if tb < ta:
                raise RowError(
                    Problem(
                        f"line {line}: {getattr(c, b)}",
                        f"is before {getattr(c, a)}",
                        _field(row, getattr(c, b)),
                    )
                )
        if wrap_end is not None and wrap_end < end:
            raise RowError(
                Problem(f"line {line}: {c.wrap_end}", f"is before {c.end}", _field(row, c.wrap_end))
            )
        agent = _field(row, c.agent) or None
        if outcome == "answered" and agent is None:
            raise RowError(
                Problem(f"line {line}: {c.agent or 'agent'}", "an answered call needs an agent", "")
            )
        call_type = _field(row, c.call_type)
        queue = self.m.queues.get(call_type, call_type) or self.m.default_queue
        return CallRecord(
            call_id=_field(row, c.call_id) or f"line-{line}",
            queue=queue,
            arrival=arrival,
            queue_entry=entry,
            queue_exit=exit_,
            answer=answer if outcome == "answered" else None,
            end=end,
            wrap_end=wrap_end,
            outcome=outcome,
            agent=agent,
            tier=_field(row, c.tier) or "standard",
            ani=_field(row, c.ani),
        )

    def _outcome(self, row: Mapping[str, str], line: int, answer: int | None) -> Outcome:
        column = self.m.columns.outcome
        raw = _field(row, column)
        if not raw:
            return "answered" if answer is not None else "abandoned"
        if raw in self.m.outcomes:
            return self.m.outcomes[raw]
        if raw in ("answered", "abandoned", "callback", "max_wait", "self_service"):
            return raw  # type: ignore[return-value]
        known = ", ".join(sorted(self.m.outcomes)) or "answered, abandoned, ..."
        raise RowError(Problem(f"line {line}: {column}", f"unknown outcome (known: {known})", raw))


def to_events(r: CallRecord) -> list[ev.Event]:
    """The events helpline would have logged for this call."""
    out: list[ev.Event] = [
        ev.CallArrived(ts=r.arrival, call_id=r.call_id, queue=r.queue, tier=r.tier, ani=r.ani),
        ev.CallQueued(ts=r.queue_entry, call_id=r.call_id, queue=r.queue),
    ]
    if r.outcome == "answered" and r.answer is not None and r.agent is not None:
        wait = r.answer - r.queue_entry
        out.append(ev.CallOffered(ts=r.answer, call_id=r.call_id, agent_id=r.agent, queue=r.queue))
        out.append(
            ev.CallAnswered(
                ts=r.answer, call_id=r.call_id, agent_id=r.agent, queue=r.queue, wait_ms=wait
            )
        )
        out.append(ev.CallEnded(ts=r.end, call_id=r.call_id, agent_id=r.agent, queue=r.queue))
        out.append(ev.WrapUpEnded(ts=r.wrap_end or r.end, agent_id=r.agent, call_id=r.call_id))
        return out
    left = r.queue_exit if r.queue_exit is not None else r.end
    if r.outcome == "abandoned":
        wait = left - r.queue_entry
        out.append(ev.CallAbandoned(ts=left, call_id=r.call_id, queue=r.queue, wait_ms=wait))
    elif r.outcome == "callback":
        out.append(ev.CallbackRequested(ts=left, call_id=r.call_id, queue=r.queue, number=r.ani))
    reason = "completed" if r.outcome == "answered" else r.outcome
    out.append(ev.CallEnded(ts=left, call_id=r.call_id, queue=r.queue, reason=reason))
    return out
