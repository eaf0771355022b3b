"""Small builders for transcripts used across the QA tests."""

from __future__ import annotations

from typing import Any

from helpline.qa.checks import CallResult, Checker, Finding
from helpline.qa.rules import default_rules
from helpline.qa.transcript import Transcript

CHECKER = Checker(default_rules())


def call(
    language: str,
    *turns: tuple[str, int | None, int | None, str],
    holds: list[tuple[int, int]] | None = None,
    **extra: Any,
) -> Transcript:
    """Turns as (speaker a|c, start_s, end_s, text); times in seconds for readability."""
    return Transcript.model_validate(
        {
            "call_id": extra.pop("call_id", "c1"),
            "language": language,
            "turns": [
                {
                    "speaker": "agent" if who == "a" else "customer",
                    "start_ms": None if s is None else int(s * 1000),
                    "end_ms": None if e is None else int(e * 1000),
                    "text": text,
                }
                for who, s, e, text in turns
            ],
            "holds": None
            if holds is None
            else [{"start_ms": s * 1000, "end_ms": e * 1000} for s, e in holds],
            **extra,
        }
    )


def findings(result: CallResult, check: str, status: str | None = None) -> list[Finding]:
    return [
        f for f in result.findings if f.check == check and (status is None or f.status == status)
    ]
