"""Crash recovery: SIGKILL ``helpline serve`` mid-traffic and restart it on the same log.

What the client saw acknowledged is what the restarted server holds: every
acknowledged event is in the log (seqs contiguous and in order), every call and
agent is in the state last shown, and the server's state equals a replay of the
log. The PostgreSQL variant checks that a replay over a PG-backed log gives the
live engine's snapshot, before and after a kill.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from helpline.core.center import parse_center
from helpline.engine.acd import Engine
from helpline.store.eventlog import EventLog

from .server import Server, write_center

# Long ring, wrap-up and no max wait: nothing changes by itself while the server is down.
CENTER: dict[str, Any] = {
    "name": "crash test",
    "tiers": [{"name": "standard", "priority": 0}, {"name": "vip", "priority": 2}],
    "routing": {"aging_s": 30, "rona_s": 3600},
    "queues": [
        {"name": "billing", "skills": {"billing": 1}, "aht_s": 150, "wrap_up_s": 3600},
        {"name": "second_line", "skills": {"expert": 1}, "aht_s": 600, "wrap_up_s": 3600},
        {"name": "overflow", "skills": {"nobody": 1}, "aht_s": 150},
    ],
    "agents": [{"id": f"a{i}", "team": "t1", "skills": {"billing": 5}} for i in range(1, 9)]
    + [{"id": "e1", "team": "t2", "skills": {"expert": 5}}],
}
CALLS = [f"c{i}" for i in range(1, 10)]
AGENTS = [f"a{i}" for i in range(1, 9)] + ["e1"]


class Client:
    """Drives a server and remembers every event it was told is durable."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.acked: dict[int, dict[str, Any]] = {}

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        out = self.server.post(path, body)
        for e in out["events"]:
            self.acked[e["seq"]] = e
        return out


def day_so_far(c: Client) -> None:
    """Calls queued, ringing, talking, held, transferred, ended; agents in every state."""
    for a in ["a1", "a2", "a3", "a4", "a5", "a6", "e1"]:
        c.post(f"/agents/{a}/login")
        c.post(f"/agents/{a}/state", {"state": "ready"})
    c.post("/agents/a7/login")
    c.post("/agents/a8/login")
    c.post("/agents/a8/state", {"state": "meal", "reason": "午餐"})
    for i, call in enumerate(CALLS, start=1):
        c.post(
            "/calls", {"call_id": call, "queue": "billing", "tier": "vip" if i == 8 else "standard"}
        )
    for call, agent in [("c1", "a1"), ("c2", "a2"), ("c3", "a3"), ("c4", "a4")]:
        c.post(f"/calls/{call}/answer", {"agent_id": agent})
    c.post("/calls/c1/complete")
    c.post("/calls/c2/complete")
    c.post("/calls/c3/hold")
    c.post("/calls/c4/transfer", {"to_queue": "second_line"})
    c.post("/calls/c4/answer", {"agent_id": "e1"})
    c.post("/calls/c9/hangup")
    c.post("/agents/a3/state", {"state": "break"})


def _tier(call: str) -> str:
    return "vip" if call == "c8" else "standard"


def views(server: Server) -> dict[str, Any]:
    return {
        "calls": {k: server.get(f"/calls/{k}") for k in CALLS},
        "agents": {k: server.get(f"/agents/{k}") for k in AGENTS},
        "queues": server.get("/queues")["queues"],
    }


def all_events(server: Server) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while page := server.get("/events", after=out[-1]["seq"] if out else 0, limit=500)["events"]:
        out += page
    return out


def replayed(db: str) -> dict[str, Any]:
    with EventLog.open(db) as log:
        snap = Engine.replay(parse_center(CENTER), log.read()).snapshot()
    canonical: dict[str, Any] = json.loads(json.dumps(snap))
    return canonical


def live_snapshot(server: Server) -> dict[str, Any]:
    snap = server.get("/snapshot")
    snap.pop("last_seq")
    return snap


def flood(c: Client, stop: threading.Event, count: list[int]) -> None:
    """New callers keep arriving until the server dies under them."""
    n = 0
    while not stop.is_set():
        try:
            c.post("/calls", {"call_id": f"f{n}", "queue": "overflow"})
        except Exception:  # the kill: whatever was not acknowledged does not count
            return
        n += 1
        count[0] = n


def test_sigkill_mid_traffic_loses_nothing_acknowledged(tmp_path: Path) -> None:
    center = write_center(tmp_path / "center.yaml", CENTER)
    db = f"sqlite:///{tmp_path / 'helpline.sqlite'}"
    server = Server(center, db).start()
    try:
        client = Client(server)
        day_so_far(client)
        seen = views(server)
        states = {k: v["state"] for k, v in seen["calls"].items()}
        assert states == {
            "c1": "ended", "c2": "ended", "c3": "held", "c4": "talking", "c5": "ringing",
            "c6": "ringing", "c7": "queued", "c8": "queued", "c9": "ended",
        }  # fmt: skip
        assert seen["calls"]["c7"]["position"] == 2  # behind the VIP c8

        stop, count = threading.Event(), [0]
        flooder = threading.Thread(target=flood, args=(client, stop, count))
        flooder.start()
        deadline = time.monotonic() + 30
        while count[0] < 30 and flooder.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()  # SIGKILL while requests are in flight
    finally:
        server.stop()
    stop.set()
    flooder.join()
    flooded = count[0]
    assert flooded >= 30

    with Server(center, db) as again:
        events = all_events(again)
        seqs = [e["seq"] for e in events]
        assert seqs == list(range(1, len(seqs) + 1))
        by_seq = {e["seq"]: e for e in events}
        assert all(by_seq.get(s) == e for s, e in client.acked.items())
        assert views(again)["calls"] == seen["calls"]
        assert views(again)["agents"] == seen["agents"]
        waiting = [w["call_id"] for w in _queue(again, "overflow")["waiting"]]
        assert waiting[:flooded] == [f"f{n}" for n in range(flooded)]
        assert live_snapshot(again) == replayed(db)


def test_postgresql_log_replays_to_the_live_engine(tmp_path: Path, pg_url: str) -> None:
    center = write_center(tmp_path / "center.yaml", CENTER)
    server = Server(center, pg_url).start()
    try:
        client = Client(server)
        day_so_far(client)
        live = live_snapshot(server)
        assert live["agents"]["a4"]["state"] == "wrap_up"
        assert replayed(pg_url) == live
    finally:
        server.kill()
    with Server(center, pg_url) as again:
        assert live_snapshot(again) == live
        assert [e["seq"] for e in all_events(again)] == sorted(client.acked)


def _queue(server: Server, name: str) -> dict[str, Any]:
    queues: list[dict[str, Any]] = server.get("/queues")["queues"]
    (queue,) = [q for q in queues if q["queue"] == name]
    return queue
