"""Speech recognition behind a small protocol, so recorded calls can become transcripts.

helpline ships no recogniser (no model downloads): a deployment plugs in its
own (a vendor API, a local Whisper or FunASR server) by implementing
:class:`Recognizer`. What a recogniser returns is one transcript line as data,
the same shape as the JSON Lines file ``helpline qa check`` reads (see
docs/qa.md), so the checks cannot tell typed text from recognised speech.
Adapters depend only on ``core``; ``helpline.qa.transcript`` validates the
result. :class:`FixtureRecognizer` is a real, complete implementation over
already-transcribed text, used by tests and by imports of existing transcripts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Recording:
    call_id: str
    language: str  # zh | en
    uri: str  # where the audio is: file path, object-store key
    agent_channel: int = 0  # stereo recordings keep agent and customer apart


class Recognizer(Protocol):
    def transcribe(self, recording: Recording) -> dict[str, Any]:
        """``{call_id, language, turns: [{speaker, start_ms, end_ms, text}]}``."""
        ...


class FixtureRecognizer:
    """Returns turns known in advance, keyed by audio URI."""

    def __init__(self, turns: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        self._turns = {k: [dict(t) for t in v] for k, v in turns.items()}

    def transcribe(self, recording: Recording) -> dict[str, Any]:
        if recording.uri not in self._turns:
            raise KeyError(f"no transcript for {recording.uri}")
        return {
            "call_id": recording.call_id,
            "language": recording.language,
            "turns": [dict(t) for t in self._turns[recording.uri]],
        }
