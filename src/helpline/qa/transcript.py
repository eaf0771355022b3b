"""Transcripts: one call per JSON Lines line.

``{"call_id": "...", "language": "zh"|"en", "turns": [{"speaker": "agent"|"customer",
"start_ms": 0, "end_ms": 2100, "text": "您好"}, ...]}``, plus optional
``agent_id``, ``queue``, ``ts`` (call start, UTC ms), ``holds`` (``[{start_ms,
end_ms}]`` relative to the call start, as told by ``CallHeld``/``CallResumed``)
and ``channel``. Timestamps may be absent (chat, SMS); the checks that need them
then report ``unknown`` instead of guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..core.errors import InputError, Problem, from_validation_error


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Turn(_Model):
    speaker: Literal["agent", "customer"]
    text: str
    start_ms: int | None = Field(None, ge=0)
    end_ms: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Turn:
        if (self.start_ms is None) != (self.end_ms is None):
            raise ValueError("give both start_ms and end_ms, or neither")
        if self.start_ms is not None and self.end_ms is not None and self.end_ms < self.start_ms:
            raise ValueError(f"end_ms {self.end_ms} is before start_ms {self.start_ms}")
        return self


class Hold(_Model):
    start_ms: int = Field(ge=0)
    end_ms: int = Field(ge=0)


class Transcript(_Model):
    call_id: str = Field(min_length=1)
    language: Literal["zh", "en"]
    turns: list[Turn]
    agent_id: str | None = None
    queue: str | None = None
    ts: int | None = None
    holds: list[Hold] | None = None
    channel: str = "voice"

    @property
    def timed(self) -> bool:
        return bool(self.turns) and all(t.start_ms is not None for t in self.turns)

    def handle_ms(self) -> int | None:
        if not self.timed:
            return None
        return max(t.end_ms or 0 for t in self.turns) - min(t.start_ms or 0 for t in self.turns)


def parse_line(text: str, source: str, line: int) -> Transcript:
    """One JSONL line; problems name the file, line and field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem(f"line {line}", f"not valid JSON: {exc.msg}", text[:80])
        raise InputError(source, [problem]) from None
    try:
        return Transcript.model_validate(data)
    except ValidationError as exc:
        err = from_validation_error(exc, source)
        raise InputError(
            source, [Problem(f"line {line}: {p.path}", p.message, p.value) for p in err.problems]
        ) from None


def parse_lines(lines: Iterable[str], source: str) -> Iterator[Transcript]:
    for i, raw in enumerate(lines, start=1):
        if raw.strip():
            yield parse_line(raw, source, i)
