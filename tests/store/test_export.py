"""Parquet and CSV export of events: the same events come back; bad paths are named."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.store.export import COLUMNS, check_path, read_events, write_events


def sample() -> list[ev.Event]:
    return [
        ev.CallArrived(ts=1, seq=1, call_id="c1", queue="billing", tier="vip", ani="10086"),
        ev.CallQueued(ts=1, seq=2, call_id="c1", queue="billing", ewt_s=3.5),
        ev.CallTransferred(ts=5, seq=3, call_id="c1", from_agent="a1", to_queue="second_line"),
        ev.CaseOpened(ts=6, seq=4, case_id="k1", owner="a1", summary='套餐, "加急"\n回访'),
        ev.DisputeFiled(ts=7, seq=5, dispute_id="d", evaluation_id="e", agent_id="a1", items=[]),
        ev.CallArrived(ts=8, seq=6, call_id="c2", tenant="gd", site="sz"),
    ]


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".PARQUET"])
def test_events_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"events{suffix}"
    assert write_events(iter(sample()), path) == 6
    assert read_events(path) == sample()


def test_parquet_columns_let_analysts_filter_without_parsing_json(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    write_events(sample(), path)
    table = pq.read_table(path)
    assert tuple(table.column_names) == COLUMNS
    assert table.column("queue").to_pylist()[:3] == ["billing", "billing", "second_line"]
    assert table.column("agent_id").to_pylist()[2] is None
    assert table.column("call_id").to_pylist()[3] is None


def test_an_empty_export_is_a_readable_file(tmp_path: Path) -> None:
    for name in ("e.parquet", "e.csv"):
        assert write_events([], tmp_path / name) == 0
        assert read_events(tmp_path / name) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [("events.json", "unknown file type"), ("missing/events.csv", "does not exist")],
)
def test_bad_export_paths_are_named(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        write_events(sample(), tmp_path / name)
    (problem,) = err.value.problems
    with pytest.raises(InputError):
        check_path(tmp_path / name)  # the same answer before any event exists
    assert (problem.path, problem.value) == ("path", str(tmp_path / name))
    assert message in problem.message


def test_reading_a_missing_or_foreign_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_events(tmp_path / "nope.parquet")
    other = tmp_path / "calls.csv"
    other.write_text("call_id,started\nc1,2026-11-23\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns seq, ts"):
        read_events(other)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet")
    with pytest.raises(InputError, match="cannot read"):
        read_events(broken)


def test_a_bad_row_is_named_by_number(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    write_events(sample(), path)
    text = path.read_text(encoding="utf-8").replace("CallQueued", "CallTeleported")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_events(path)
    assert err.value.problems[0].path == "row 2.type"
    assert err.value.problems[0].value == "CallTeleported"
