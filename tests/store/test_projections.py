"""Projections: current call and agent state, folded incrementally and rebuilt from the log."""

from __future__ import annotations

from helpline.config import read_yaml
from helpline.core import events as ev
from helpline.engine.acd import Engine
from helpline.sim.driver import simulate
from helpline.sim.scenario import parse_scenario, single_queue
from helpline.store.eventlog import EventLog

from ..conftest import EXAMPLES


def simulated_log() -> tuple[Engine, list[ev.Event]]:
    scenario = single_queue(calls_per_hour=240, aht_s=120, agents=6, patience_s=60, hours=0.5)
    events = simulate(scenario, seed=7).events
    return Engine.replay(scenario.center, events), events


def test_rebuild_gives_the_rows_kept_batch_by_batch(url: str) -> None:
    _, events = simulated_log()
    with EventLog.open(url) as log:
        # Uneven batches: a call's life spans many appends, as on a live server.
        i, size = 0, 1
        while i < len(events):
            log.append(events[i : i + size])
            i += size
            size = size % 37 + 1
        calls, agents = log.calls(), log.agents()
        log.rebuild_projections()
        assert log.calls() == calls
        assert log.agents() == agents
    assert len(calls) == sum(isinstance(e, ev.CallArrived) for e in events)


def test_projected_states_match_the_engine_as_the_day_goes(url: str) -> None:
    # The example center's morning: tiers, overflow, transfers, holds, callbacks, RONA.
    scenario = parse_scenario(read_yaml(EXAMPLES / "10086.yaml"))
    events = simulate(scenario, hours=9.5).events[:12_000]
    engine = Engine(scenario.center)
    with EventLog.open(url) as log:
        for cut in range(0, len(events), 2_000):
            batch = events[cut : cut + 2_000]
            log.append(batch)
            for e in batch:
                engine.apply(e)
            assert_matches(engine, log)


def assert_matches(engine: Engine, log: EventLog) -> None:
    snap = engine.snapshot()
    agents = {r["agent_id"]: r for r in log.agents()}
    for agent_id, row in agents.items():
        a = snap["agents"][agent_id]
        assert (row["state"], row["calls"]) == (a["state"], a["calls"]), agent_id
    calls = {r["call_id"]: r for r in log.calls()}
    for call_id, c in snap["calls"].items():
        assert (calls[call_id]["state"], calls[call_id]["agent_id"]) == (c["state"], c["agent"])
    ended = {k for k, row in calls.items() if row["state"] == "ended"}
    assert ended == set(calls) - set(snap["calls"])


def test_a_call_through_its_life(url: str) -> None:
    with EventLog.open(url) as log:
        log.append(
            [
                ev.AgentLoggedIn(ts=0, agent_id="a1"),
                ev.AgentStateChanged(ts=5, agent_id="a1", state="ready"),
                ev.CallArrived(ts=10, call_id="c1", queue="billing", tier="vip"),
                ev.CallQueued(ts=10, call_id="c1", queue="billing"),
                ev.CallOffered(ts=11, call_id="c1", agent_id="a1", queue="billing"),
            ]
        )
        assert _pick(log.agent("a1"), "state", "call_id", "since_ts") == ("reserved", "c1", 11)
        log.append([ev.CallAnswered(ts=20, call_id="c1", agent_id="a1", queue="billing")])
        assert _pick(log.call("c1"), "state", "agent_id", "answered_ts") == ("talking", "a1", 20)
        log.append(
            [
                ev.CallEnded(ts=90, call_id="c1", agent_id="a1", queue="billing"),
                ev.WrapUpEnded(ts=100, call_id="c1", agent_id="a1"),
            ]
        )
        row = log.call("c1")
        assert _pick(row, "state", "end_reason", "ended_ts", "tier") == (
            "ended", "completed", 90, "vip",
        )  # fmt: skip
        assert _pick(log.agent("a1"), "state", "calls", "since_ts") == ("ready", 1, 100)
        assert log.call("nope") is None
        # QA and surveys name calls without moving them, even calls this log never saw.
        log.append(
            [
                ev.SurveyAnswered(ts=200, call_id="c1", score=5, agent_id="a1"),
                ev.EvaluationSigned(
                    ts=300, evaluation_id="e1", call_id="imported-7", agent_id="a1",
                    evaluator="qa1", score=92.5,
                ),
            ]
        )  # fmt: skip
        assert _pick(log.call("c1"), "state", "updated_ts") == ("ended", 90)
        assert log.call("imported-7") is None
        # A log imported from elsewhere may reuse an id: the new call starts a clean row.
        log.append([ev.CallArrived(ts=500, call_id="c1", queue="billing")])
        assert _pick(log.call("c1"), "state", "ended_ts", "tier") == ("arrived", None, "standard")


def _pick(row: dict[str, object] | None, *keys: str) -> tuple[object, ...]:
    assert row is not None
    return tuple(row[k] for k in keys)
