"""The single writer when the database fails under it: nothing half-done survives."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from helpline.api.live import Live, StoreUnavailable
from helpline.core.center import parse_center
from helpline.core.clock import VirtualClock
from helpline.engine import inputs as inp
from helpline.engine.acd import Engine
from helpline.store.eventlog import EventLog

CENTER = parse_center(
    {
        "queues": [{"name": "billing", "skills": {"billing": 1}}],
        "agents": [{"id": f"a{i}", "team": "t", "skills": {"billing": 3}} for i in (1, 2)],
    }
)


def test_a_refused_append_leaves_the_engine_as_the_log_says(sqlite_url: str) -> None:
    log = EventLog.open(sqlite_url)
    live = Live(CENTER, log, VirtualClock(1_000))
    live.submit(inp.Login("a1"))
    live.submit(inp.SetState("a1", "ready"))
    with log.engine.begin() as conn:  # the table goes away, as on a broken disk or a bad restore
        conn.execute(sa.text("alter table events rename to events_away"))
    with pytest.raises(StoreUnavailable):
        live.submit(inp.NewCall("c1", "billing"))
    assert live.stale
    with pytest.raises(StoreUnavailable):
        _ = live.engine  # cannot replay either: refuse rather than serve unlogged state
    with log.engine.begin() as conn:
        conn.execute(sa.text("alter table events_away rename to events"))

    snap = live.engine.snapshot()  # recovered from the log: the call never happened
    assert snap["calls"] == {}
    assert snap["agents"]["a1"]["state"] == "ready"
    assert snap == Engine.replay(CENTER, log.read()).snapshot()
    out = live.submit(inp.NewCall("c1", "billing"))
    assert [e.seq for e in out.events] == [3, 4, 5]
    live.stop()
    log.close()
