"""Interval CSVs: the grid is inferred, and every bad row is named by line."""

from __future__ import annotations

from datetime import datetime

import pytest

from helpline.core.errors import InputError
from helpline.wfm.intervals import day_grid, parse_intervals, to_csv


def test_quarter_hours_with_aht_are_read_and_the_length_inferred() -> None:
    text = "start,calls,aht_s\n2026-11-23T08:15,12,310\n2026-11-23T08:00,10,300\n"
    s = parse_intervals(text, "v.csv")
    assert s.interval_s == 900
    assert s.starts == (datetime(2026, 11, 23, 8, 0), datetime(2026, 11, 23, 8, 15))
    assert list(s.calls) == [10, 12] and s.aht_s is not None and list(s.aht_s) == [300, 310]


def test_utc_offsets_are_dropped_for_local_wall_clock() -> None:
    s = parse_intervals("start,calls\n2026-11-23 08:00:00+08:00,5\n", "v.csv")
    assert s.starts[0] == datetime(2026, 11, 23, 8, 0)
    assert s.interval_s == 1800


def test_every_bad_row_is_reported_with_its_line_and_value() -> None:
    text = (
        "start,calls,aht_s\n"
        "2026-11-23T08:00,10,300\n"
        "yesterday,5,300\n"
        "2026-11-23T09:00,-3,300\n"
        "2026-11-23T09:30,abc,300\n"
        "2026-11-23T08:00,4,300\n"
        "2026-11-23T10:00,4,0\n"
    )
    with pytest.raises(InputError) as e:
        parse_intervals(text, "v.csv")
    found = {(p.path, str(p.value)) for p in e.value.problems}
    assert ("line 3: start", "yesterday") in found
    assert ("line 4: calls", "-3") in found
    assert ("line 5: calls", "abc") in found
    assert ("line 6: start", "2026-11-23T08:00") in found  # duplicate
    assert ("line 7: aht_s", "0") in found
    assert "v.csv" in e.value.render()


def test_missing_column_and_off_grid_starts_are_refused() -> None:
    with pytest.raises(InputError, match="missing column"):
        parse_intervals("begin,calls\n2026-11-23T08:00,1\n", "v.csv")
    with pytest.raises(InputError, match="line 4: start"):
        parse_intervals(
            "start,calls\n2026-11-23T08:00,1\n2026-11-23T08:30,1\n2026-11-23T09:10,1\n", "v.csv"
        )


def test_days_without_rows_are_closed_days_in_the_grid_and_csv_round_trips() -> None:
    text = "start,calls\n2026-11-20T09:00,7\n2026-11-23T09:00,9\n2026-11-23T09:30,2\n"
    s = parse_intervals(text, "v.csv")
    days, calls, aht = day_grid(s)
    assert len(days) == 4 and calls.shape == (4, 48) and aht is None
    assert calls[:, 18].tolist() == [7, 0, 0, 9] and calls[3, 19] == 2
    again = parse_intervals(to_csv(s.starts, s.calls, None), "again.csv")
    assert again.starts == s.starts and list(again.calls) == list(s.calls)


def test_volumes_fold_from_call_events_in_local_time() -> None:
    from helpline.core import events as ev
    from helpline.wfm.intervals import volumes_from_events

    h = 3_600_000
    base = int((datetime(2026, 11, 23) - datetime(1970, 1, 1)).total_seconds() * 1000)
    log = [
        ev.CallArrived(ts=base + 1 * h, call_id="a", queue="billing"),
        ev.CallAnswered(ts=base + 1 * h + 10_000, call_id="a", agent_id="x", queue="billing"),
        ev.WrapUpEnded(ts=base + 1 * h + 250_000, agent_id="x", call_id="a"),
        ev.CallArrived(ts=base + 1 * h + 60_000, call_id="b", queue="data"),
        ev.CallArrived(ts=base + 3 * h, call_id="c", queue="billing"),
    ]
    s = volumes_from_events(log, 3600, tz_offset_ms=8 * h)  # Beijing time
    assert s.starts[0] == datetime(2026, 11, 23, 9) and list(s.calls) == [2, 0, 1]
    assert s.aht_s is not None and s.aht_s[0] == 240
    billing = volumes_from_events(log, 3600, 8 * h, queue="billing")
    assert list(billing.calls) == [1, 0, 1]
    with pytest.raises(InputError, match="no calls"):
        volumes_from_events([], 3600)
