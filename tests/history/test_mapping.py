"""Foreign call records become the events helpline would have written."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from helpline.core import events as ev
from helpline.history.mapping import CallMapping, RowError, RowReader, to_events

MAPPING = CallMapping.model_validate(
    {
        "timezone": "Asia/Shanghai",
        "time_format": "%Y-%m-%d %H:%M:%S",
        "columns": {"call_id": "id", "arrival": "start", "answer": "answered", "end": "end",
                    "agent": "agent", "call_type": "skill", "outcome": "result",
                    "wrap_end": "wrap"},
        "outcomes": {"ANS": "answered", "ABN": "abandoned", "CB": "callback"},
        "queues": {"话费": "billing"},
    }
)  # fmt: skip
BEIJING_0900 = round(
    datetime(2026, 11, 30, 9, 0, tzinfo=timezone(timedelta(hours=8))).timestamp() * 1000
)


def row(**over: str) -> dict[str, str]:
    base = {"id": "x1", "start": "2026-11-30 09:00:00", "answered": "2026-11-30 09:00:25",
            "end": "2026-11-30 09:04:25", "agent": "a7", "skill": "话费", "result": "ANS",
            "wrap": "2026-11-30 09:04:40"}  # fmt: skip
    return base | over


def test_an_answered_call_becomes_its_whole_life_in_local_time() -> None:
    events = to_events(RowReader(MAPPING).record(row(), 2))
    assert [e.TYPE for e in events] == [
        "CallArrived", "CallQueued", "CallOffered", "CallAnswered", "CallEnded", "WrapUpEnded",
    ]  # fmt: skip
    assert events[0].ts == BEIJING_0900
    answered = events[3]
    assert isinstance(answered, ev.CallAnswered)
    assert (answered.queue, answered.agent_id, answered.wait_ms) == ("billing", "a7", 25_000)
    assert events[-1].ts - events[-2].ts == 15_000  # wrap-up


def test_an_abandoned_call_and_a_callback() -> None:
    abandoned = to_events(RowReader(MAPPING).record(row(result="ABN", answered="", agent=""), 3))
    assert [e.TYPE for e in abandoned] == [
        "CallArrived",
        "CallQueued",
        "CallAbandoned",
        "CallEnded",
    ]
    assert abandoned[2].wait_ms == 265_000  # type: ignore[attr-defined]
    callback = to_events(RowReader(MAPPING).record(row(result="CB", answered=""), 4))
    assert [e.TYPE for e in callback][-2:] == ["CallbackRequested", "CallEnded"]


@pytest.mark.parametrize(
    ("over", "column", "value"),
    [
        ({"start": "30/11/2026 09:00"}, "start", "30/11/2026 09:00"),
        ({"end": "2026-11-30 08:00:00"}, "end", "2026-11-30 08:00:00"),
        ({"result": "WEIRD"}, "result", "WEIRD"),
        ({"agent": ""}, "agent", ""),
        ({"start": ""}, "start", ""),
    ],
)
def test_bad_rows_name_line_column_and_value(over: dict[str, str], column: str, value: str) -> None:
    with pytest.raises(RowError) as err:
        RowReader(MAPPING).record(row(**over), 17)
    assert err.value.problem.path == f"line 17: {column}"
    assert err.value.problem.value == value
