"""Transcript lines: what is accepted, and errors that name the line and field."""

from __future__ import annotations

import pytest

from helpline.core.errors import InputError
from helpline.qa.rules import default_rules, parse_rules
from helpline.qa.transcript import parse_lines


def test_a_line_without_timestamps_is_accepted_for_text_channels() -> None:
    (t,) = parse_lines(
        ['{"call_id": "x", "language": "zh", "turns": [{"speaker": "agent", "text": "您好"}]}'],
        "f.jsonl",
    )
    assert not t.timed and t.handle_ms() is None


@pytest.mark.parametrize(
    ("line", "where", "value"),
    [
        ('{"call_id": "x", "language": "fr", "turns": []}', "line 2: language", "'fr'"),
        (
            '{"call_id": "x", "language": "en", "turns": [{"speaker": "bot", "text": "hi"}]}',
            "line 2: turns[0].speaker",
            "'bot'",
        ),
        (
            '{"call_id": "x", "language": "en", "turns": '
            '[{"speaker": "agent", "text": "hi", "start_ms": 5000, "end_ms": 10}]}',
            "line 2: turns[0]",
            "before start_ms",
        ),
        ('{"call_id": "x", ', "line 2", "not valid JSON"),
    ],
)
def test_bad_lines_name_line_field_and_value(line: str, where: str, value: str) -> None:
    good = '{"call_id": "ok", "language": "zh", "turns": []}'
    with pytest.raises(InputError) as exc:
        list(parse_lines([good, line], "calls.jsonl"))
    text = exc.value.render()
    assert "calls.jsonl" in text and where in text and value in text


def test_bad_rules_name_the_field_and_value() -> None:
    data = default_rules().model_dump()
    data["banned"]["phrases"][2]["severity"] = "fatal"
    data["self_identification"]["patterns"]["zh"] = ["工号(("]
    with pytest.raises(InputError) as exc:
        parse_rules(data, "rules.yaml")
    text = exc.value.render()
    assert "banned.phrases.2.severity" in text.replace("[2]", ".2") and "'fatal'" in text
    assert "self_identification.patterns" in text and "工号((" in text


def test_the_asr_adapter_returns_lines_the_checks_accept() -> None:
    from helpline.adapters.asr import FixtureRecognizer, Recording
    from helpline.qa.transcript import Transcript

    asr = FixtureRecognizer(
        {"s3://rec/1.wav": [{"speaker": "agent", "start_ms": 0, "end_ms": 900, "text": "您好"}]}
    )
    t = Transcript.model_validate(asr.transcribe(Recording("c9", "zh", "s3://rec/1.wav")))
    assert t.call_id == "c9" and t.turns[0].text == "您好" and t.timed
