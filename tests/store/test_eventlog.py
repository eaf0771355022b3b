"""The event log on SQLite and PostgreSQL: order, durability, filters, bad URLs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.store import eventlog
from helpline.store.eventlog import EventLog
from helpline.store.schema import events


def sample() -> list[ev.Event]:
    return [
        ev.AgentLoggedIn(ts=1_000, agent_id="a1"),
        ev.AgentStateChanged(ts=1_500, agent_id="a1", state="ready"),
        ev.CallArrived(ts=2_000, call_id="c1", queue="billing", tier="vip", ani="13800138000"),
        ev.CallQueued(ts=2_000, call_id="c1", queue="billing", priority=3, ewt_s=12.5),
        ev.CallOffered(ts=2_001, call_id="c1", agent_id="a1", queue="billing"),
        ev.CallAnswered(ts=4_000, call_id="c1", agent_id="a1", queue="billing", wait_ms=2_000),
        ev.CallTransferred(ts=9_000, call_id="c1", from_agent="a1", to_queue="second_line"),
        ev.CaseOpened(ts=9_500, case_id="k1", owner="a1", call_id="c1", summary="话费争议 投诉"),
        ev.DisputeFiled(
            ts=9_900, dispute_id="d1", evaluation_id="e1", agent_id="a1", items=["greeting"]
        ),
        ev.CallArrived(ts=10_000, call_id="c2", queue=None, tenant="gd", site="shenzhen"),
    ]


def test_append_assigns_contiguous_seqs_and_reads_back_the_same_events(url: str) -> None:
    events = sample()
    with EventLog.open(url) as log:
        seqs = log.append(events)
        assert seqs == list(range(1, len(events) + 1))
        assert [e.seq for e in events] == seqs
        assert list(log.read()) == events
        assert log.last_seq() == len(events)
        assert log.append(sample()) == list(range(len(events) + 1, 2 * len(events) + 1))


def test_events_survive_closing_and_reopening(url: str) -> None:
    with EventLog.open(url) as log:
        log.append(sample())
    with EventLog.open(url) as log:
        back = list(log.read())
    assert back == sample_with_seqs()
    case = back[7]
    assert isinstance(case, ev.CaseOpened)
    assert case.summary == "话费争议 投诉"
    assert (back[-1].tenant, back[-1].site) == ("gd", "shenzhen")


def sample_with_seqs() -> list[ev.Event]:
    events = sample()
    for i, e in enumerate(events, start=1):
        e.seq = i
    return events


def test_read_filters_by_position_type_call_agent_and_limit(url: str) -> None:
    with EventLog.open(url) as log:
        log.append(sample())
        assert [e.seq for e in log.read(after_seq=7)] == [8, 9, 10]
        assert [e.TYPE for e in log.read(types=["CallArrived"])] == ["CallArrived"] * 2
        assert [e.seq for e in log.read(call_id="c1")] == [3, 4, 5, 6, 7, 8]
        # A transfer is filed under the agent it leaves.
        assert [e.seq for e in log.read(agent_id="a1")] == [1, 2, 5, 6, 7, 9]
        assert [e.seq for e in log.read(after_seq=2, limit=3)] == [3, 4, 5]
        assert list(log.read(limit=0)) == []
        assert list(log.read(after_seq=10)) == []


def test_long_reads_page_through_the_whole_log(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eventlog, "PAGE", 7)
    events = [ev.CallQueued(ts=i, call_id=f"c{i % 5}", queue="q") for i in range(40)]
    with EventLog.open(url) as log:
        log.append(events)
        assert [e.seq for e in log.read()] == list(range(1, 41))
        assert [e.seq for e in log.read(after_seq=5, limit=16)] == list(range(6, 22))
        assert [e.ts for e in log.read(call_id="c3")] == list(range(3, 40, 5))


def test_an_empty_log_and_an_empty_append(url: str) -> None:
    with EventLog.open(url) as log:
        assert log.last_seq() == 0
        assert list(log.read()) == []
        assert log.append([]) == []
        assert log.count() == 0


def test_unknown_event_type_in_a_read_is_named(url: str) -> None:
    with EventLog.open(url) as log, pytest.raises(InputError) as err:
        log.read(types=["CallArrived", "CallTeleported"])  # at the call, before iterating
    assert [(p.path, p.value) for p in err.value.problems] == [("types", "CallTeleported")]


def test_concurrent_writers_lose_nothing(url: str) -> None:
    logs = [EventLog.open(url) for _ in range(3)]

    def write(i: int) -> None:
        for b in range(10):
            batch = [ev.CallQueued(ts=b, call_id=f"w{i}-{b}-{k}", queue="q") for k in range(5)]
            logs[i].append(batch)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = [e.seq for e in logs[0].read()]
    assert len(seqs) == 150
    assert seqs == sorted(set(seqs))
    for log in logs:
        log.close()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("mysql://u@localhost/db", "unsupported database 'mysql'"),
        ("not a url", "not a database URL"),
        ("sqlite://", "needs a file"),
        ("sqlite:///:memory:", "needs a file"),
        ("sqlite:////no/such/dir/helpline.sqlite", "directory /no/such/dir does not exist"),
        ("postgresql+asyncpg://localhost/x", "unsupported PostgreSQL driver"),
        ("postgresql+psycopg://root:secret@127.0.0.1:1/test", "cannot open the database"),
    ],
)
def test_bad_database_urls_are_named_with_a_reason(bad: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        EventLog.open(bad)
    (problem,) = err.value.problems
    assert problem.path == "url"
    assert message in problem.message
    assert "secret" not in str(problem.value)


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"call notes, not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(InputError) as err:
        EventLog.open(f"sqlite:///{path}")
    assert "not a database" in err.value.problems[0].message
    assert path.read_bytes() == before


_WRITER = """
import sys
from helpline.core import events as ev
from helpline.store.eventlog import EventLog
log = EventLog.open(sys.argv[1])
i = 0
while True:
    seqs = log.append([ev.CallQueued(ts=i, call_id=f"c{i}-{k}", queue="q") for k in range(3)])
    print(seqs[-1], flush=True)
    i += 1
"""


def test_sqlite_keeps_every_acknowledged_append_through_sigkill(sqlite_url: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, sqlite_url], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    acked = [int(proc.stdout.readline()) for _ in range(40)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    acked += [int(line) for line in proc.stdout.read().split()]
    with EventLog.open(sqlite_url) as log:
        seqs = [e.seq for e in log.read()]
    assert seqs == list(range(1, len(seqs) + 1))
    assert seqs[-1] >= acked[-1] == 3 * len(acked)


def test_a_reader_following_after_seq_never_skips_an_event(url: str) -> None:
    writers = [EventLog.open(url) for _ in range(2)]

    def write(i: int) -> None:
        for b in range(15):
            batch = [ev.CallQueued(ts=b, call_id=f"r{i}-{b}-{k}", queue="q") for k in range(4)]
            writers[i].append(batch)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    seen: list[int] = []
    with EventLog.open(url) as reader:
        while True:
            finished = not any(t.is_alive() for t in threads)
            # Each poll continues exactly where the last one stopped: no seq appears late.
            seen += [e.seq for e in reader.read(after_seq=seen[-1] if seen else 0)]
            if finished:
                break
    for t in threads:
        t.join()
    assert seen == list(range(1, 121))
    for w in writers:
        w.close()


def test_old_payload_versions_are_upcast_on_read(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A v0 AgentLoggedIn called its field "agent"; the row stays as written.
    monkeypatch.setitem(
        ev._UPCASTERS, ("AgentLoggedIn", 0), lambda p: {"agent_id": p.pop("agent"), **p}
    )
    with EventLog.open(url) as log:
        with log.engine.begin() as conn:
            conn.execute(
                sa.insert(events),
                [{"ts": 5, "tenant": "default", "site": "main", "type": "AgentLoggedIn", "v": 0,
                  "agent_id": "a9", "payload": {"agent": "a9"}}],
            )  # fmt: skip
        assert list(log.read()) == [ev.AgentLoggedIn(ts=5, seq=1, agent_id="a9")]


def test_sqlite_runs_wal_with_full_sync_and_waits_for_a_busy_writer(sqlite_url: str) -> None:
    with EventLog.open(sqlite_url) as log, log.engine.connect() as conn:
        pragmas = [conn.exec_driver_sql(f"pragma {p}").scalar() for p in
                   ("journal_mode", "synchronous", "busy_timeout")]  # fmt: skip
    assert pragmas == ["wal", 2, 10_000]  # 2 is FULL: every commit is fsynced
