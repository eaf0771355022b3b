"""The ACD, scenario by scenario: inputs at given times, the exact events out."""

from __future__ import annotations

import pytest

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.engine import commands as cmd
from helpline.engine import inputs as inp
from helpline.engine.acd import Engine

from .rig import Rig, brief, center


def test_call_goes_to_longest_idle_agent_and_runs_its_whole_life() -> None:
    rig = Rig(center(queues=[{"name": "billing", "skills": {"billing": 1}, "wrap_up_s": 5}]))
    rig.ready("a2", at_s=0)
    rig.ready("a1", at_s=3)
    out = rig.do(inp.NewCall("c1", "billing"), at_s=10)
    assert out.commands == [cmd.Ring("c1", "a2")]
    rig.do(inp.Answer("c1", "a2"), at_s=12)
    rig.do(inp.Complete("c1"), at_s=100)
    rig.advance(200)
    assert brief(rig.log[-6:]) == [
        ("CallArrived", "c1", "billing", 10.0),
        ("CallQueued", "c1", "billing", 10.0),
        ("CallOffered", "c1", "a2", 10.0),
        ("CallAnswered", "c1", "a2", 12.0),
        ("CallEnded", "c1", "a2", 100.0),
        ("WrapUpEnded", "c1", "a2", 105.0),
    ]
    answered = next(e for e in rig.log if isinstance(e, ev.CallAnswered))
    assert answered.wait_ms == 2000
    assert rig.engine.snapshot()["agents"]["a2"]["state"] == "ready"
    assert rig.engine.calls == {}


def test_fifo_within_a_tier_and_vip_ahead_until_the_standard_caller_has_aged() -> None:
    rig = Rig(center())
    rig.do(inp.NewCall("old", "billing"), at_s=0)
    rig.do(inp.NewCall("newer", "billing"), at_s=1)
    rig.do(inp.NewCall("vip1", "billing", tier="vip"), at_s=50)  # 2 levels x 30 s = 60 s ahead
    rig.do(inp.NewCall("vip2", "billing", tier="vip"), at_s=70)
    assert rig.engine.snapshot()["queues"]["billing"]["waiting"] == [
        "vip1",  # effective start -10 s
        "old",  # 0 s
        "newer",  # 1 s
        "vip2",  # 10 s: the standard callers have waited long enough to go first
    ]
    assert rig.engine.position("newer") == 3
    rig.ready("a1", at_s=80)
    offered = [e for e in rig.log if isinstance(e, ev.CallOffered)]
    assert [e.call_id for e in offered] == ["vip1"]


def test_no_answer_sets_agent_not_ready_and_puts_the_call_back_at_the_head() -> None:
    rig = Rig(center())
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)  # rings a1
    rig.do(inp.NewCall("c2", "billing"), at_s=2)  # waits
    fired = rig.advance(11.5)  # rona_s = 10
    assert brief(fired) == [
        ("OfferRejected", "c1", "a1", 11.0),
        ("AgentStateChanged", None, "a1", 11.0),
        ("CallQueued", "c1", "billing", 11.0),
    ]
    assert fired[1].state == "not_ready" and fired[1].reason == "rona"
    assert rig.engine.snapshot()["queues"]["billing"]["waiting"] == ["c1", "c2"]
    out = rig.do(inp.Login("a2"))
    out = rig.do(inp.SetState("a2", "ready"))
    assert out.commands == [cmd.Ring("c1", "a2")]
    answered = rig.do(inp.Answer("c1", "a2")).events[0]
    assert isinstance(answered, ev.CallAnswered) and answered.wait_ms == 10_500


def test_overflow_moves_the_call_after_the_delay_keeping_its_wait() -> None:
    rig = Rig(
        center(
            queues=[
                {"name": "billing", "skills": {"billing": 1},
                 "overflow": {"queue": "general", "after_s": 30}},
                {"name": "general", "skills": {"general": 1}},
            ],
            agents=[
                {"id": "a1", "skills": {"billing": 5}},
                {"id": "g1", "skills": {"general": 3}},
            ],
        )
    )  # fmt: skip
    rig.do(inp.NewCall("c1", "billing"), at_s=0)
    rig.ready("g1", at_s=5)  # not eligible for billing: the call keeps waiting
    fired = rig.advance(31)
    assert brief(fired) == [
        ("CallQueued", "c1", "general", 30.0),
        ("CallOffered", "c1", "g1", 30.0),
    ]
    assert fired[0].reason == "overflow"
    answered = rig.do(inp.Answer("c1", "g1"), at_s=32).events[0]
    assert answered.wait_ms == 32_000  # measured from the first queue


def test_max_wait_ends_the_call_and_asks_for_a_callback_where_offered() -> None:
    rig = Rig(
        center(
            queues=[{"name": "billing", "skills": {"billing": 1}, "max_wait_s": 120,
                     "callback_offer_ewt_s": 60}]
        )
    )  # fmt: skip
    rig.do(inp.NewCall("c1", "billing", ani="13800138000"), at_s=0)
    fired = rig.advance(500)
    assert brief(fired) == [
        ("CallbackRequested", "c1", "billing", 120.0),
        ("CallEnded", "c1", "billing", 120.0),
    ]
    assert fired[0].number == "13800138000" and fired[1].reason == "max_wait"


def test_callback_offered_when_expected_wait_is_long_and_accepting_ends_the_wait() -> None:
    rig = Rig(
        center(queues=[{"name": "billing", "skills": {"billing": 1}, "aht_s": 300,
                        "callback_offer_ewt_s": 200}])
    )  # fmt: skip
    rig.ready("a1", at_s=0)
    first = rig.do(inp.NewCall("c1", "billing"))  # takes a1
    assert first.events[1].ewt_s == 0  # an agent was free: no wait announced
    rig.do(inp.Answer("c1", "a1"))
    out = rig.do(inp.NewCall("c2", "billing"))
    assert out.events[1].ewt_s == 300.0
    assert out.commands == [cmd.OfferCallback("c2", 300.0)]  # 1 ahead x 300 s / 1 agent
    out = rig.do(inp.AcceptCallback("c2", "13900000000"), at_s=20)
    assert [e.TYPE for e in out.events] == ["CallbackRequested", "CallEnded"]
    assert out.events[1].reason == "callback"
    assert rig.engine.snapshot()["queues"]["billing"]["waiting"] == []


def test_a_break_asked_for_during_a_call_starts_after_wrap_up() -> None:
    rig = Rig(center(queues=[{"name": "billing", "skills": {"billing": 1}, "wrap_up_s": 10}]))
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.Answer("c1", "a1"), at_s=2)
    out = rig.do(inp.SetState("a1", "break", "coffee"), at_s=30)
    assert [e.TYPE for e in out.events] == ["AgentStatePending"]
    rig.do(inp.NewCall("c2", "billing"), at_s=40)
    rig.do(inp.Complete("c1"), at_s=60)
    fired = rig.advance(80)
    assert brief(fired) == [
        ("WrapUpEnded", "c1", "a1", 70.0),
        ("AgentStateChanged", None, "a1", 70.0),
    ]
    assert rig.engine.snapshot()["agents"]["a1"]["state"] == "break"
    assert rig.engine.snapshot()["queues"]["billing"]["waiting"] == ["c2"]


def test_ready_during_wrap_up_ends_it_early_and_takes_the_next_call() -> None:
    rig = Rig(center(queues=[{"name": "billing", "skills": {"billing": 1}, "wrap_up_s": 60}]))
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.Answer("c1", "a1"), at_s=2)
    rig.do(inp.NewCall("c2", "billing"), at_s=3)
    rig.do(inp.Complete("c1"), at_s=20)
    out = rig.do(inp.SetState("a1", "ready"), at_s=25)
    assert [e.TYPE for e in out.events][-1] == "CallOffered"
    assert out.commands == [cmd.Ring("c2", "a1")]


def test_blind_transfer_to_second_line_keeps_the_call_and_starts_a_new_segment() -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1}},
                {"name": "second_line", "skills": {"expert": 1}}],
        agents=[{"id": "a1", "skills": {"billing": 5}}, {"id": "x1", "skills": {"expert": 9}}],
    )  # fmt: skip
    rig = Rig(c)
    rig.ready("a1", "x1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.Answer("c1", "a1"), at_s=2)
    out = rig.do(inp.Transfer("c1", to_queue="second_line"), at_s=60)
    assert brief(out.events) == [
        ("CallTransferred", "c1", None, 60.0),
        ("CallQueued", "c1", "second_line", 60.0),
        ("CallOffered", "c1", "x1", 60.0),
        ("WrapUpEnded", "c1", "a1", 60.0),
    ]
    assert out.events[1].reason == "transfer"
    rig.do(inp.Answer("c1", "x1"), at_s=65)
    history = [e.TYPE for e in rig.log if getattr(e, "call_id", None) == "c1"]
    assert history.count("CallAnswered") == 2 and history[0] == "CallArrived"


def test_consult_transfer_holds_the_caller_until_the_supervisor_answers() -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1}}],
        agents=[{"id": "a1", "skills": {"billing": 5}},
                {"id": "sup", "skills": {"billing": 9}, "supervisor": True}],
    )  # fmt: skip
    rig = Rig(c)
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.Answer("c1", "a1"), at_s=2)
    rig.ready("sup", at_s=3)
    out = rig.do(inp.Transfer("c1", to_agent="sup", mode="consult"), at_s=30)
    assert [e.TYPE for e in out.events] == ["CallHeld", "CallQueued", "CallOffered"]
    snap = rig.engine.snapshot()
    assert snap["agents"]["a1"]["state"] == "on_call"  # still holding the caller
    assert snap["calls"]["c1"]["consult_from"] == "a1"
    out = rig.do(inp.Answer("c1", "sup"), at_s=35)
    assert [e.TYPE for e in out.events] == ["CallTransferred", "WrapUpEnded", "CallAnswered"]
    snap = rig.engine.snapshot()
    assert snap["agents"]["a1"]["state"] == "ready"
    assert snap["agents"]["sup"]["state"] == "on_call"
    assert snap["calls"]["c1"]["agent"] == "sup"


def test_cancelled_consult_returns_the_caller_to_the_first_agent() -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1}},
                {"name": "second_line", "skills": {"expert": 1}}],
        agents=[{"id": "a1", "skills": {"billing": 5}}, {"id": "x1", "skills": {"expert": 9}}],
    )  # fmt: skip
    rig = Rig(c)
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.Answer("c1", "a1"), at_s=2)
    rig.do(inp.Transfer("c1", to_queue="second_line", mode="consult"), at_s=30)
    assert rig.engine.snapshot()["queues"]["second_line"]["waiting"] == ["c1"]
    rig.do(inp.Resume("c1"), at_s=50)
    snap = rig.engine.snapshot()
    assert snap["queues"]["second_line"]["waiting"] == []
    assert snap["calls"]["c1"] | {"position": None} == snap["calls"]["c1"]
    assert (snap["calls"]["c1"]["state"], snap["calls"]["c1"]["agent"]) == ("talking", "a1")
    assert snap["calls"]["c1"]["queue"] == "billing"


def test_abandon_while_ringing_frees_the_agent_for_the_next_caller() -> None:
    rig = Rig(center())
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.NewCall("c2", "billing"), at_s=2)
    out = rig.do(inp.CallerHangup("c1"), at_s=4)
    assert [e.TYPE for e in out.events] == [
        "CallAbandoned", "CallEnded", "AgentStateChanged", "CallOffered",
    ]  # fmt: skip
    assert out.events[0].wait_ms == 3000
    assert out.commands == [cmd.StopRinging("c1", "a1"), cmd.Ring("c2", "a1")]


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("longest_idle", ["a1", "a2", "a3", "a1"]),
        ("fewest_calls", ["a1", "a2", "a3", "a1"]),
        ("rrmemory", ["a1", "a2", "a3", "a1"]),
    ],
)
def test_strategies_spread_calls(strategy: str, expected: list[str]) -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1}, "strategy": strategy}],
        agents=[{"id": f"a{i}", "skills": {"billing": 5}} for i in (1, 2, 3)],
    )
    rig = Rig(c)
    rig.ready("a1", "a2", "a3", at_s=0)
    got = []
    for i, t in enumerate([10, 20, 30, 40]):
        out = rig.do(inp.NewCall(f"c{i}", "billing"), at_s=t)
        agent = out.commands[0].agent_id
        got.append(agent)
        rig.do(inp.Answer(f"c{i}", agent), at_s=t + 1)
        rig.do(inp.Complete(f"c{i}"), at_s=t + 2)
    assert got == expected


def test_least_talk_time_prefers_the_agent_who_talked_least() -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1}, "strategy": "least_talk_time"}],
        agents=[{"id": "a1", "skills": {"billing": 5}}, {"id": "a2", "skills": {"billing": 5}}],
    )
    rig = Rig(c)
    rig.ready("a1", "a2", at_s=0)
    for call, agent, talk in [("c1", "a1", 300), ("c2", "a2", 20)]:
        rig.do(inp.NewCall(call, "billing"))
        rig.do(inp.Answer(call, agent))
        rig.advance(rig.now / 1000 + talk)
        rig.do(inp.Complete(call))
    out = rig.do(inp.NewCall("c3", "billing"), at_s=1000)
    assert out.commands == [cmd.Ring("c3", "a2")]


def test_random_strategy_is_reproducible_and_uses_every_agent() -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1}, "strategy": "random"}],
        agents=[{"id": f"a{i}", "skills": {"billing": 5}} for i in range(5)],
    )

    def run() -> list[str]:
        rig = Rig(c)
        rig.ready(*[f"a{i}" for i in range(5)], at_s=0)
        picks = []
        for i in range(60):
            agent = rig.do(inp.NewCall(f"c{i}", "billing"), at_s=i + 1).commands[0].agent_id
            picks.append(agent)
            rig.do(inp.CallerHangup(f"c{i}"))
        return picks

    first = run()
    assert first == run()
    assert set(first) == {f"a{i}" for i in range(5)}


def test_skill_level_first_widens_to_less_skilled_agents_as_the_caller_waits() -> None:
    c = center(
        queues=[{"name": "vip", "skills": {"billing": 1}, "strategy": "skill_level_first",
                 "expansion": [{"after_s": 0, "min_proficiency": 8},
                               {"after_s": 20, "min_proficiency": 4}]}],
        agents=[{"id": "expert", "skills": {"billing": 9}},
                {"id": "junior", "skills": {"billing": 5}},
                {"id": "novice", "skills": {"billing": 2}}],
    )  # fmt: skip
    rig = Rig(c)
    rig.ready("junior", "novice", "expert", at_s=0)
    assert rig.do(inp.NewCall("c1", "vip"), at_s=1).commands == [cmd.Ring("c1", "expert")]
    rig.do(inp.Answer("c1", "expert"))
    assert rig.do(inp.NewCall("c2", "vip"), at_s=2).commands == []  # experts only, for now
    fired = rig.advance(23)
    assert brief(fired) == [("CallOffered", "c2", "junior", 22.0)]


def test_bad_requests_are_refused_with_the_field_and_leave_state_alone() -> None:
    rig = Rig(center())
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    before = rig.engine.snapshot()
    bad = [
        (inp.NewCall("c1", "billing"), "call_id"),
        (inp.NewCall("c9", "nope"), "queue"),
        (inp.NewCall("c9", "billing", tier="platinum"), "tier"),
        (inp.Answer("c1", "a2"), "agent_id"),
        (inp.SetState("a1", "on_call"), "state"),
        (inp.Login("a1"), "agent_id"),
        (inp.Transfer("c1", to_queue="billing"), "call_id"),
        (inp.Hold("zz"), "call_id"),
    ]
    for request, field in bad:
        with pytest.raises(InputError) as err:
            rig.engine.handle(request, rig.now)
        assert err.value.problems[0].path == field, request
    assert rig.engine.snapshot() == before


def test_replaying_the_log_rebuilds_the_same_state() -> None:
    c = center(queues=[{"name": "billing", "skills": {"billing": 1}, "wrap_up_s": 30}])
    rig = Rig(c)
    rig.ready("a1", "a2", at_s=0)
    for i in range(6):
        rig.do(inp.NewCall(f"c{i}", "billing", tier="vip" if i % 3 == 0 else "standard"), at_s=i)
    rig.do(inp.Answer("c0", "a1"), at_s=7)
    rig.do(inp.SetState("a1", "meal", "lunch"), at_s=8)
    rig.advance(18)  # a2 did not answer: rona
    replayed = Engine.replay(c, rig.log)
    assert replayed.snapshot() == rig.engine.snapshot()
    assert replayed.next_wakeup() == rig.engine.next_wakeup()


# --- found in review: each test is the reviewer's reproduction ---------------------


EXPANDING = {"name": "cx", "skills": {"c": 1}, "strategy": "skill_level_first",
             "expansion": [{"after_s": 0, "min_proficiency": 7},
                           {"after_s": 30, "min_proficiency": 5}]}  # fmt: skip


def test_expansion_reaches_a_caller_behind_a_vip_who_does_not_fit_yet() -> None:
    c = center(
        tiers=[{"name": "standard", "priority": 0}, {"name": "vip", "priority": 3}],
        queues=[EXPANDING],
        agents=[{"id": "a1", "skills": {"c": 5}}, {"id": "a2", "skills": {"c": 5}}],
    )
    rig = Rig(c)
    rig.ready("a1", "a2", at_s=0)
    rig.do(inp.NewCall("S", "cx", "standard"), at_s=0)
    rig.do(inp.NewCall("V", "cx", "vip"), at_s=20)  # 90 s ahead of S, but only 20 s waited
    fired = rig.advance(31)
    assert brief(fired) == [("CallOffered", "S", "a1", 30.0)]  # S fits level 5 now; V not yet
    rig.do(inp.Answer("S", "a1"))
    fired = rig.advance(51)
    assert brief(fired) == [("CallOffered", "V", "a2", 50.0)]


def test_timers_that_came_due_while_ringing_still_fire_after_a_no_answer() -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1},
                 "overflow": {"queue": "other", "after_s": 58}},
                {"name": "other", "skills": {"x": 1}, "max_wait_s": 60}],
    )  # fmt: skip
    rig = Rig(c)
    rig.do(inp.NewCall("c1", "billing"), at_s=0)
    rig.ready("a1", at_s=55)  # rings 55..65: the overflow (58) falls inside
    fired = rig.advance(3600)
    kinds = [(e.TYPE, getattr(e, "reason", None), e.ts // 1000) for e in fired]
    assert ("CallQueued", "overflow", 65) in kinds  # as soon as the no-answer frees it
    assert ("CallEnded", "max_wait", 65) in kinds  # 60 s since it began waiting, in "other"
    assert rig.engine.calls == {} and rig.engine.next_wakeup() is None


def test_a_logout_asked_for_while_ringing_survives_a_no_answer() -> None:
    rig = Rig(center())
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.Logout("a1"), at_s=2)
    rig.advance(30)
    agent = rig.engine.snapshot()["agents"]["a1"]
    assert (agent["logged_in"], agent["state"], agent["pending"]) == (False, "offline", None)


def test_a_consult_to_a_supervisor_who_does_not_answer_returns_to_the_first_agent() -> None:
    c = center(
        agents=[{"id": "a1", "skills": {"billing": 5}}, {"id": "a2", "skills": {"billing": 5}},
                {"id": "sup", "skills": {"billing": 9}, "supervisor": True}]
    )  # fmt: skip
    rig = Rig(c)
    rig.ready("a1", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.Answer("c1", "a1"), at_s=2)
    rig.ready("sup", at_s=3)
    rig.do(inp.Transfer("c1", to_agent="sup", mode="consult"), at_s=4)
    rig.ready("a2", at_s=5)
    rig.advance(20)  # sup lets it ring out at 14 s
    assert not [e for e in rig.log if isinstance(e, ev.CallOffered) and e.agent_id == "a2"]
    snap = rig.engine.snapshot()
    assert (snap["calls"]["c1"]["state"], snap["calls"]["c1"]["agent"]) == ("talking", "a1")
    assert snap["agents"]["sup"]["reason"] == "rona"


def test_a_consult_into_an_expanding_queue_widens_like_any_caller() -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1}}, EXPANDING],
        agents=[{"id": "a1", "skills": {"billing": 5}}, {"id": "x", "skills": {"c": 5}}],
    )
    rig = Rig(c)
    rig.ready("a1", "x", at_s=0)
    rig.do(inp.NewCall("c1", "billing"), at_s=1)
    rig.do(inp.Answer("c1", "a1"), at_s=2)
    rig.do(inp.Transfer("c1", to_queue="cx", mode="consult"), at_s=3)
    fired = rig.advance(40)
    assert brief(fired) == [("CallOffered", "c1", "x", 33.0)]


def test_random_pick_is_the_same_after_a_replay() -> None:
    c = center(
        queues=[{"name": "billing", "skills": {"billing": 1}, "strategy": "random"}],
        agents=[{"id": f"a{i}", "skills": {"billing": 5}} for i in range(5)],
    )
    rig = Rig(c)
    rig.ready(*[f"a{i}" for i in range(5)], at_s=0)
    for i in range(40):
        agent = rig.do(inp.NewCall(f"c{i}", "billing"), at_s=i + 1).commands[0].agent_id
        rig.do(inp.Answer(f"c{i}", agent))
        rig.do(inp.Complete(f"c{i}"))
    replayed = Engine.replay(c, rig.log)
    for i in range(40, 46):
        live = rig.engine.handle(inp.NewCall(f"c{i}", "billing"), rig.now).commands
        again = replayed.handle(inp.NewCall(f"c{i}", "billing"), rig.now).commands
        assert live == again


def test_asking_for_ready_again_keeps_the_agents_place_in_line() -> None:
    rig = Rig(center())
    rig.ready("a1", at_s=0)
    rig.ready("a2", at_s=5)
    rig.do(inp.SetState("a1", "ready", "still here"), at_s=10)
    assert rig.do(inp.NewCall("c1", "billing"), at_s=11).commands == [cmd.Ring("c1", "a1")]
    assert rig.engine.ewt_s("no-such-call") is None


def test_expansion_steps_must_widen_and_the_first_step_holds_until_reached() -> None:
    from helpline.core.errors import InputError as Bad

    narrowing = dict(EXPANDING, expansion=[{"after_s": 0, "min_proficiency": 3},
                                           {"after_s": 30, "min_proficiency": 8}])  # fmt: skip
    with pytest.raises(Bad, match="must widen"):
        center(queues=[narrowing])
    late = dict(EXPANDING, expansion=[{"after_s": 10, "min_proficiency": 7}])
    rig = Rig(center(queues=[late], agents=[{"id": "a1", "skills": {"c": 3}}]))
    rig.ready("a1", at_s=0)
    assert rig.do(inp.NewCall("c1", "cx"), at_s=1).commands == []  # not before the first step
