"""The live API over real HTTP: a real ``helpline serve`` process and a SQLite file.

One server serves the whole module; each test takes its own *lane* (a queue,
its second-line queue and their agents) so tests never route to each other's
agents.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from .server import Server, write_center

LANES = 10


def lane_center() -> dict[str, Any]:
    queues: list[dict[str, Any]] = []
    agents: list[dict[str, Any]] = []
    for i in range(LANES):
        queues.append({"name": f"l{i}", "skills": {f"s{i}": 1}, "aht_s": 120, "wrap_up_s": 600})
        queues.append({"name": f"l{i}x", "skills": {f"x{i}": 1}, "aht_s": 300, "wrap_up_s": 600})
        agents += [{"id": f"l{i}a{k}", "team": f"t{i}", "skills": {f"s{i}": 5}} for k in (1, 2)]
        agents.append({"id": f"l{i}e", "team": f"t{i}", "skills": {f"x{i}": 5}})
    queues.append({"name": "night", "skills": {"night": 1}, "max_wait_s": 1})
    return {
        "name": "测试中心 test center",
        "tiers": [{"name": "standard", "priority": 0}, {"name": "vip", "priority": 2}],
        "routing": {"aging_s": 30, "rona_s": 600},
        "queues": queues,
        "agents": agents,
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("api")
    center = write_center(tmp / "center.yaml", lane_center())
    with Server(center, f"sqlite:///{tmp / 'helpline.sqlite'}") as s:
        yield s


_free_lanes = list(range(LANES))


@pytest.fixture
def lane() -> int:
    return _free_lanes.pop()


def types(out: dict[str, Any]) -> list[str]:
    return [e["type"] for e in out["events"]]


def test_health_names_the_center_and_the_log(server: Server) -> None:
    health = server.get("/health")
    assert health["status"] == "ok"
    assert health["center"] == "测试中心 test center"
    assert health["db"] == "sqlite"


def test_a_call_from_arrival_to_wrap_up(server: Server, lane: int) -> None:
    a1 = f"l{lane}a1"
    server.ready(a1)
    out = server.post("/calls", {"call_id": f"c{lane}", "queue": f"l{lane}", "ani": "13800138000"})
    call = out["call_id"]
    assert types(out) == ["CallArrived", "CallQueued", "CallOffered"]
    assert out["commands"] == [{"type": "Ring", "call_id": call, "agent_id": a1}]
    assert server.get(f"/agents/{a1}")["state"] == "reserved"

    assert types(server.post(f"/calls/{call}/answer", {"agent_id": a1})) == ["CallAnswered"]
    assert types(server.post(f"/calls/{call}/hold")) == ["CallHeld"]
    assert server.get(f"/calls/{call}")["state"] == "held"
    assert types(server.post(f"/calls/{call}/resume")) == ["CallResumed"]
    assert types(server.post(f"/calls/{call}/complete")) == ["CallEnded"]

    ended = server.get(f"/calls/{call}")
    assert (ended["active"], ended["state"], ended["end_reason"]) == (False, "ended", "completed")
    assert (ended["agent_id"], ended["ani"]) == (a1, "13800138000")
    agent = server.get(f"/agents/{a1}")
    assert (agent["state"], agent["calls"], agent["call_id"]) == ("wrap_up", 1, call)

    again = server.client.post("/calls", json={"call_id": call, "queue": f"l{lane}"})
    assert (again.status_code, problems(again)) == (422, [("call_id", call)])

    history = server.get("/events", call_id=call)["events"]
    assert [e["type"] for e in history] == [
        "CallArrived", "CallQueued", "CallOffered", "CallAnswered", "CallHeld", "CallResumed",
        "CallEnded",
    ]  # fmt: skip
    seqs = [e["seq"] for e in history]
    assert seqs == sorted(seqs)


def test_waiting_callers_see_their_position_and_expected_wait(server: Server, lane: int) -> None:
    q = f"l{lane}"
    server.ready(f"l{lane}a1")
    busy = server.post("/calls", {"queue": q})["call_id"]
    server.post(f"/calls/{busy}/answer", {"agent_id": f"l{lane}a1"})
    first = server.post("/calls", {"queue": q})["call_id"]
    second = server.post("/calls", {"queue": q})["call_id"]
    vip = server.post("/calls", {"queue": q, "tier": "vip"})["call_id"]

    (queue,) = [x for x in server.get("/queues")["queues"] if x["queue"] == q]
    assert [(w["call_id"], w["position"]) for w in queue["waiting"]] == [
        (vip, 1), (first, 2), (second, 3),
    ]  # fmt: skip
    ewts = [w["ewt_s"] for w in queue["waiting"]]
    assert 0 < ewts[0] < ewts[1] < ewts[2]
    assert server.get(f"/calls/{second}")["position"] == 3

    hung = server.post(f"/calls/{first}/hangup")
    assert types(hung) == ["CallAbandoned", "CallEnded"]
    assert server.get(f"/calls/{second}")["position"] == 2
    assert server.get(f"/calls/{first}")["end_reason"] == "abandoned"


def test_a_blind_transfer_to_second_line(server: Server, lane: int) -> None:
    a1, expert = f"l{lane}a1", f"l{lane}e"
    server.ready(a1, expert)
    call = server.post("/calls", {"queue": f"l{lane}"})["call_id"]
    server.post(f"/calls/{call}/answer", {"agent_id": a1})
    out = server.post(f"/calls/{call}/transfer", {"to_queue": f"l{lane}x"})
    assert types(out) == ["CallTransferred", "CallQueued", "CallOffered"]
    assert out["commands"] == [{"type": "Ring", "call_id": call, "agent_id": expert}]
    assert server.get(f"/agents/{a1}")["state"] == "wrap_up"
    server.post(f"/calls/{call}/answer", {"agent_id": expert})
    view = server.get(f"/calls/{call}")
    assert (view["state"], view["agent_id"], view["queue"]) == ("talking", expert, f"l{lane}x")


def test_a_waiting_caller_takes_a_callback(server: Server, lane: int) -> None:
    call = server.post("/calls", {"queue": f"l{lane}", "ani": "13912345678"})["call_id"]
    out = server.post(f"/calls/{call}/callback", {})
    assert types(out) == ["CallbackRequested", "CallEnded"]
    assert out["events"][0]["payload"]["number"] == "13912345678"
    assert server.get(f"/calls/{call}")["end_reason"] == "callback"


def test_a_break_asked_for_on_a_call_waits_for_wrap_up(server: Server, lane: int) -> None:
    a1 = f"l{lane}a1"
    server.ready(a1)
    call = server.post("/calls", {"queue": f"l{lane}"})["call_id"]
    server.post(f"/calls/{call}/answer", {"agent_id": a1})
    out = server.post(f"/agents/{a1}/state", {"state": "break", "reason": "洗手间"})
    assert types(out) == ["AgentStatePending"]
    agent = server.get(f"/agents/{a1}")
    assert agent["state"] == "on_call"
    assert agent["pending"] == {"state": "break", "reason": "洗手间"}


def test_timers_fire_without_any_request(server: Server) -> None:
    call = server.post("/calls", {"queue": "night"})["call_id"]
    deadline = time.monotonic() + 10
    while server.get(f"/calls/{call}")["active"] and time.monotonic() < deadline:
        time.sleep(0.1)
    view = server.get(f"/calls/{call}")
    assert (view["state"], view["end_reason"]) == ("ended", "max_wait")
    # Telephony hears the timer's hang-up on the command feed.
    feed = server.get("/commands")["commands"]
    (hangup,) = [c for c in feed if c["call_id"] == call]
    assert (hangup["type"], hangup["reason"]) == ("Disconnect", "max_wait")
    assert [c["n"] for c in feed] == sorted(c["n"] for c in feed)
    assert server.get("/commands", after=feed[-1]["n"])["commands"] == []


def test_events_page_by_seq(server: Server, lane: int) -> None:
    server.ready(f"l{lane}a2")
    last = server.get("/health")["last_seq"]
    assert last >= 2
    page = server.get("/events", after=last - 2, limit=1)
    assert [e["seq"] for e in page["events"]] == [last - 1]
    assert page["last_seq"] == last
    logins = server.get("/events", type="AgentLoggedIn", agent_id=f"l{lane}a2")["events"]
    assert [e["payload"]["agent_id"] for e in logins] == [f"l{lane}a2"]


def problems(r: Any) -> list[tuple[str, Any]]:
    return [(p["path"], p["value"]) for p in r.json()["problems"]]


def test_bad_requests_name_the_field_and_change_nothing(server: Server, lane: int) -> None:
    c = server.client
    before = server.get("/health")["last_seq"]
    r = c.post("/calls", json={"queue": f"l{lane}", "teir": "vip"})
    assert (r.status_code, problems(r)) == (422, [("teir", "vip")])
    r = c.post("/calls", json={"queue": "billling"})
    assert r.status_code == 422
    assert problems(r) == [("queue", "billling")]
    assert "no such queue" in r.json()["problems"][0]["message"]
    r = c.post("/calls", json={"queue": 7})
    assert (r.status_code, problems(r)) == (422, [("queue", 7)])
    r = c.post("/calls", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    r = c.post(f"/agents/l{lane}a1/state", json={"state": "asleep"})
    assert r.status_code == 422
    assert r.json()["problems"][0]["path"] == "agent_id"  # not logged in
    server.post(f"/agents/l{lane}a1/login")
    r = c.post(f"/agents/l{lane}a1/state", json={"state": "asleep"})
    assert (r.status_code, problems(r)) == (422, [("state", "asleep")])
    r = c.post("/calls/nope/answer", json={"agent_id": f"l{lane}a1"})
    assert (r.status_code, problems(r)) == (422, [("call_id", "nope")])
    r = c.post("/calls/nope/answer", json={})
    assert (r.status_code, r.json()["problems"][0]["path"]) == (422, "agent_id")
    r = c.post("/agents/ghost/login")
    assert (r.status_code, problems(r)) == (422, [("agent_id", "ghost")])
    r = c.post("/calls/x/transfer", json={"to_queue": "l1x", "mode": "warm"})
    assert (r.status_code, problems(r)) == (422, [("mode", "warm")])
    r = c.get("/events", params={"after": -1})
    assert (r.status_code, problems(r)) == (422, [("after", "-1")])
    r = c.get("/events", params={"type": "CallTeleported"})
    assert (r.status_code, problems(r)) == (422, [("type", "CallTeleported")])
    r = c.get("/calls/never-seen")
    assert (r.status_code, problems(r)) == (404, [("call_id", "never-seen")])
    r = c.get("/agents/ghost")
    assert (r.status_code, problems(r)) == (404, [("agent_id", "ghost")])
    assert server.get("/health")["last_seq"] == before + 1  # only the one good login
