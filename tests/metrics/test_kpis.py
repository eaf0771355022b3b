"""Queue KPIs from hand-built logs: what a supervisor would read off the wallboard."""

from __future__ import annotations

import json

import pytest

from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.metrics.kpis import compute_kpis

from .log import Log, center, ms


def test_a_call_answered_at_21_s_misses_an_80_20_target_and_one_at_20_s_meets_it() -> None:
    log = Log().login("a1", 0).login("a2", 0)
    log.call("c1", "billing", "a1", at=10, wait=20, talk=60)
    log.call("c2", "billing", "a2", at=10, wait=21, talk=60)
    q = compute_kpis(log.events, center()).queues["billing"]
    assert (q.offered, q.answered, q.answered_in_sl) == (2, 2, 1)
    assert q.service_level == 0.5
    assert q.asa_s == 20.5
    assert q.sl_target_s == 20


def test_a_3_s_abandon_is_short_and_left_out_of_the_service_level_denominator() -> None:
    log = Log().login("a1", 0)
    log.call("c1", "billing", "a1", at=0, wait=10, talk=60)
    log.queued("c2", "billing", 20).abandoned("c2", "billing", 23, wait=3)
    q = compute_kpis(log.events, center()).queues["billing"]
    assert (q.offered, q.answered, q.abandoned, q.short_abandoned) == (2, 1, 1, 1)
    assert q.service_level == 1.0  # 1 answered in time / (2 offered - 1 short)
    assert q.abandon_rate == 0.5  # every abandon counts here, short ones too


def test_an_abandon_at_exactly_the_short_threshold_is_a_real_abandon() -> None:
    log = Log().queued("c1", "billing", 0).abandoned("c1", "billing", 5, wait=5)
    q = compute_kpis(log.events, center()).queues["billing"]
    assert (q.abandoned, q.short_abandoned) == (1, 0)
    assert q.service_level == 0.0


def test_waits_mean_and_p90_cover_answered_and_abandoned_callers() -> None:
    log = Log()
    for i in range(9):
        agent = f"x{i}"
        log.login(agent, 0).call(f"c{i}", "billing", agent, at=100, wait=i + 1, talk=30)
    log.queued("gone", "billing", 100).abandoned("gone", "billing", 200, wait=100)
    q = compute_kpis(log.events, center()).queues["billing"]
    assert q.asa_s == 5.0  # answered only: (1 + ... + 9) / 9
    assert q.avg_wait_s == (45 + 100) / 10
    assert q.p90_wait_s == 9.0  # nearest rank: 9 of 10 waits are at most 9 s
    assert q.max_wait_s == 100.0


def test_max_wait_and_callbacks_are_separate_outcomes_that_add_up_to_offered() -> None:
    log = Log().login("a1", 0)
    log.call("c1", "billing", "a1", at=0, wait=5, talk=30)
    log.queued("c2", "billing", 0)
    log.add(ev.CallbackRequested(ts=ms(300), call_id="c2", queue="billing", reason="max_wait"))
    log.ended("c2", 300, "max_wait", queue="billing")
    log.queued("c3", "billing", 10)
    log.add(ev.CallbackRequested(ts=ms(40), call_id="c3", queue="billing"))
    log.ended("c3", 40, "callback", queue="billing")
    q = compute_kpis(log.events, center()).queues["billing"]
    assert (q.offered, q.answered, q.timed_out, q.callback_chosen) == (3, 1, 1, 1)
    assert q.callbacks == 2  # both callers are promised a call back
    assert q.max_wait_s == 300.0
    assert q.service_level == pytest.approx(1 / 3)
    assert q.avg_wait_s == 5.0  # timed-out and callback waits are not in the mean


def test_an_overflowed_call_counts_in_the_queue_it_started_in_with_its_whole_wait() -> None:
    log = Log().login("a3", 0)
    log.queued("c1", "billing", 0)
    log.queued("c1", "complaints", 30, reason="overflow")
    log.offered("c1", "a3", "complaints", 40).answered("c1", "a3", "complaints", 40, wait=40)
    log.ended("c1", 100, agent="a3", queue="complaints").wrapped("a3", "c1", 110)
    r = compute_kpis(log.events, center())
    billing, complaints = r.queues["billing"], r.queues["complaints"]
    assert (billing.offered, billing.answered, billing.overflowed_out) == (1, 1, 1)
    assert billing.service_level == 0.0  # 40 s wait misses billing's 20 s
    assert billing.aht_s == 70.0
    assert (complaints.offered, complaints.answered, complaints.overflowed_in) == (0, 0, 1)


def test_a_no_answer_requeue_keeps_the_segment_and_counts_against_the_agent() -> None:
    log = Log().login("a1", 0).login("a2", 0)
    log.queued("c1", "billing", 0).offered("c1", "a1", "billing", 0)
    log.add(ev.OfferRejected(ts=ms(15), call_id="c1", agent_id="a1", queue="billing"))
    log.state("a1", "not_ready", 15, reason="rona")
    log.queued("c1", "billing", 15, reason="requeue").offered("c1", "a2", "billing", 15)
    log.answered("c1", "a2", "billing", 18, wait=18)
    log.ended("c1", 78, agent="a2", queue="billing").wrapped("a2", "c1", 78)
    r = compute_kpis(log.events, center())
    assert (r.queues["billing"].offered, r.queues["billing"].answered) == (1, 1)
    assert r.queues["billing"].asa_s == 18.0
    assert r.agents["a1"].rona == 1
    assert r.agents["a1"].state_s["reserved"] == 15.0
    assert r.agents["a2"].handled == 1


def test_a_blind_transfer_opens_a_new_segment_in_the_target_queue() -> None:
    log = Log().login("a1", 0).login("a3", 0)
    log.queued("c1", "billing", 0).offered("c1", "a1", "billing", 2)
    log.answered("c1", "a1", "billing", 2, wait=2)
    log.add(ev.CallTransferred(ts=ms(62), call_id="c1", from_agent="a1", to_queue="complaints"))
    log.queued("c1", "complaints", 62, reason="transfer")
    log.wrapped("a1", "c1", 72)
    log.offered("c1", "a3", "complaints", 92).answered("c1", "a3", "complaints", 92, wait=30)
    log.ended("c1", 192, agent="a3", queue="complaints").wrapped("a3", "c1", 192)
    r = compute_kpis(log.events, center())
    billing, complaints = r.queues["billing"], r.queues["complaints"]
    assert (billing.answered, billing.transfers, billing.transfer_rate) == (1, 1, 1.0)
    assert billing.aht_s == 70.0  # 60 s talk + 10 s wrap-up, ended by the transfer
    assert (complaints.offered, complaints.answered, complaints.asa_s) == (1, 1, 30.0)
    assert complaints.service_level == 1.0
    assert r.total.offered == 2  # two waits for one caller
    assert r.agents["a1"].transfers == 1


def test_a_consult_transfer_is_no_new_wait_but_the_target_agents_work_counts() -> None:
    log = Log().login("a1", 0).login("a3", 0)
    log.queued("c1", "billing", 0).offered("c1", "a1", "billing", 0)
    log.answered("c1", "a1", "billing", 0, wait=0)
    log.held("c1", "a1", 60).queued("c1", "complaints", 60, reason="consult")
    log.offered("c1", "a3", "complaints", 60)
    log.add(
        ev.CallTransferred(
            ts=ms(80), call_id="c1", from_agent="a1", to_queue="complaints", to_agent="a3",
            mode="consult",
        )
    )  # fmt: skip
    log.answered("c1", "a3", "complaints", 80, wait=20)
    log.wrapped("a1", "c1", 80)
    log.ended("c1", 200, agent="a3", queue="complaints").wrapped("a3", "c1", 210)
    r = compute_kpis(log.events, center())
    billing, complaints = r.queues["billing"], r.queues["complaints"]
    assert (billing.offered, billing.answered, billing.transfers) == (1, 1, 1)
    assert (billing.talk_s, billing.hold_s, billing.wrap_s) == (60.0, 20.0, 0.0)
    assert (complaints.offered, complaints.answered, complaints.handled) == (0, 0, 1)
    assert complaints.aht_s == 130.0
    assert r.agents["a3"].answered == 1


def test_aht_is_talk_plus_hold_plus_wrap_per_handled_call() -> None:
    log = Log().login("a1", 0)
    log.queued("c1", "billing", 0).offered("c1", "a1", "billing", 0)
    log.answered("c1", "a1", "billing", 0, wait=0)
    log.held("c1", "a1", 100).resumed("c1", "a1", 130)
    log.ended("c1", 200, agent="a1", queue="billing").wrapped("a1", "c1", 230)
    log.call("c2", "billing", "a1", at=300, wait=0, talk=100, wrap=30)
    q = compute_kpis(log.events, center()).queues["billing"]
    assert (q.talk_s, q.hold_s, q.wrap_s) == (135.0, 15.0, 30.0)
    assert q.aht_s == 180.0


def test_callers_still_waiting_at_the_end_are_offered_and_their_wait_is_cut_there() -> None:
    log = Log().login("a1", 0)
    log.call("c1", "billing", "a1", at=0, wait=5, talk=30)
    log.queued("c2", "billing", 100)
    r = compute_kpis(log.events, center(), end_ms=ms(400))
    q = r.queues["billing"]
    assert (q.offered, q.answered, q.waiting_at_end) == (2, 1, 1)
    assert q.max_wait_s == 300.0
    assert r.end_ms == ms(400)


def test_end_ms_drops_later_events_and_start_ms_drops_earlier_segments() -> None:
    log = Log().login("a1", 0)
    log.call("early", "billing", "a1", at=0, wait=5, talk=30)
    log.call("mid", "billing", "a1", at=100, wait=5, talk=30)
    log.call("late", "billing", "a1", at=1000, wait=5, talk=30)
    q = compute_kpis(log.events, center(), start_ms=ms(50), end_ms=ms(500)).queues["billing"]
    assert (q.offered, q.answered, q.handled) == (1, 1, 1)


def test_undefined_kpis_are_none_and_the_dict_is_json_ready() -> None:
    log = Log().login("a1", 0).queued("c1", "billing", 10).abandoned("c1", "billing", 30, wait=20)
    r = compute_kpis(log.events, center())
    d = r.queues["billing"].to_dict()
    for key in ("offered", "answered", "abandoned", "service_level", "asa_s", "aht_s", "occupancy"):
        assert key in d
    assert d["asa_s"] is None and d["aht_s"] is None
    assert d["occupancy"] == 0.0  # staffed, no handle time
    assert r.queues["complaints"].to_dict()["service_level"] is None
    json.dumps(r.to_dict())


def test_the_center_total_adds_queues_with_each_queues_own_target() -> None:
    log = Log().login("a1", 0).login("a3", 0)
    log.call("c1", "billing", "a1", at=0, wait=30, talk=60)  # misses 20 s
    log.call("c2", "complaints", "a3", at=0, wait=30, talk=60)  # meets 60 s
    t = compute_kpis(log.events, center()).total
    assert (t.offered, t.answered, t.service_level) == (2, 2, 0.5)
    assert t.sl_target_s is None


def test_a_queue_missing_from_the_center_is_still_reported_with_default_targets() -> None:
    log = Log().login("a1", 0).call("c1", "legacy", "a1", at=0, wait=19, talk=60)
    q = compute_kpis(log.events, center()).queues["legacy"]
    assert (q.offered, q.answered, q.service_level) == (1, 1, 1.0)  # default 80/20
    assert q.sl_target_s is None


def test_a_window_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InputError) as err:
        compute_kpis([], center(), start_ms=1000, end_ms=0)
    assert err.value.problems[0].path == "end_ms"


def test_an_empty_log_gives_zeros_and_nones() -> None:
    r = compute_kpis([], center())
    assert (r.total.offered, r.total.service_level, r.total.occupancy) == (0, None, None)
    assert r.agents["a1"].state_s["ready"] == 0.0
    json.dumps(r.to_dict())
