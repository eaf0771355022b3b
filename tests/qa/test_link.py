"""Transcripts linked to their calls in the event log: agent, queue and holds filled in."""

from __future__ import annotations

from helpline.core import events as ev
from helpline.qa.link import facts, link

from .helpers import CHECKER, call, findings

T0 = 1_795_000_000_000


def test_holds_from_the_log_feed_the_hold_check() -> None:
    log = [
        ev.CallArrived(ts=T0, call_id="c1", queue="billing"),
        ev.CallAnswered(ts=T0 + 8_000, call_id="c1", agent_id="a7", queue="billing"),
        ev.CallHeld(ts=T0 + 8_000 + 10_000, call_id="c1", agent_id="a7"),
        ev.CallResumed(ts=T0 + 8_000 + 50_000, call_id="c1", agent_id="a7"),
    ]
    t = call(
        "zh",
        ("a", 0.5, 4, "您好，8号话务员为您服务。"),
        ("c", 4.5, 9, "帮我查一下宽带。"),
        ("a", 9.2, 10, "好的。"),
        ("a", 50.5, 55, "查到了，明天上门维修。感谢您的来电，再见。"),
    )
    linked = link(t, facts(log))
    assert (linked.agent_id, linked.queue, linked.ts) == ("a7", "billing", T0 + 8_000)
    assert linked.holds is not None and [(h.start_ms, h.end_ms) for h in linked.holds] == [
        (10_000, 50_000)
    ]
    (f,) = findings(CHECKER.check(linked), "hold")
    assert f.status == "fail" and f.at_ms == 10_000 and "40 s hold" in f.message
    assert findings(CHECKER.check(t), "hold")[0].status == "unknown"  # unlinked: no hold data


def test_a_call_missing_from_the_log_is_left_as_it_is() -> None:
    t = call("en", ("a", 0, 1, "Hello"), agent_id="a1")
    assert link(t, {}) is t
