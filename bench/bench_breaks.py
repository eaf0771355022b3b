"""A 500-agent week, shifts given to agents and meals and breaks placed, against pyworkforce.

helpline: ``helpline.wfm.schedule.schedule`` end to end (shift counts, agent
assignment under labour rules, a 40-minute meal in 11:00-13:30 or 17:00-19:00
and two 10-minute breaks per shift, none in the first or last hour). Goal:
under 60 s on 2 cores.

Peer, same requirement and shifts: pyworkforce ``MinRequiredResources`` for the
shift counts, then ``MinHoursRoster`` (OR-Tools CP-SAT) to give them to the
same 500 agents with at most 2 rest days. pyworkforce has no meal or break
placement, so its coverage is counted with everyone on the phone all shift.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/bench_breaks.py
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import datetime

import numpy as np
from pyworkforce.rostering import MinHoursRoster
from pyworkforce.scheduling import MinRequiredResources

from helpline.wfm.erlang import Targets, required_agents
from helpline.wfm.rules import parse_rules
from helpline.wfm.schedule import schedule

AGENTS = 500


def week_requirement(calls_per_day: float) -> np.ndarray:
    k = np.arange(48)
    shape = np.exp(-(((k - 20) / 4.5) ** 2)) + 0.75 * np.exp(-(((k - 30) / 5.0) ** 2))
    shape[(k < 14) | (k >= 44)] = 0  # open 07:00-22:00
    weekday = [1.15, 1.0, 0.95, 0.95, 1.0, 0.7, 0.6]
    calls = np.concatenate([shape / shape.sum() * calls_per_day * f for f in weekday])
    return required_agents(calls / 1800.0, 300.0, Targets(service_level=0.8, sl_target_s=20))


RULES = {
    "shifts": [
        {"name": "D8", "length_minutes": 510, "earliest_start": "07:00", "latest_start": "13:30"},
        {"name": "D9", "length_minutes": 570, "earliest_start": "07:00", "latest_start": "12:30"},
    ],
    "agents": AGENTS,
    "max_days_per_week": 5,
    "min_rest_hours": 11,
    "max_weekly_hours": 45,
    "meal": {"minutes": 40, "windows": [["11:00", "13:30"], ["17:00", "19:00"]]},
    "breaks": {"count": 2, "minutes": 10, "edge_minutes": 60, "min_gap_minutes": 60},
}


def peer(req: np.ndarray, time_limit_s: float) -> tuple[str, float, np.ndarray]:
    coverage = {}
    hours = []
    for t in RULES["shifts"]:
        minutes = int(t["length_minutes"])
        h0, m0 = map(int, str(t["earliest_start"]).split(":"))
        h1, m1 = map(int, str(t["latest_start"]).split(":"))
        for start in range((h0 * 60 + m0) // 30, (h1 * 60 + m1) // 30 + 1):
            cover = np.zeros(48, dtype=int)
            cover[start : start + minutes // 30] = 1
            coverage[f"{t['name']}@{start:02d}"] = cover.tolist()
            hours.append(minutes // 60)
    t0 = time.perf_counter()
    counts = MinRequiredResources(
        num_days=7, periods=48, shifts_coverage=coverage,
        required_resources=req.reshape(7, 48).astype(int).tolist(),
        max_period_concurrency=AGENTS, max_shift_concurrency=AGENTS,
        max_search_time=time_limit_s, num_search_workers=2,
    ).solve()  # fmt: skip
    required = {name: [0] * 7 for name in coverage}
    for row in counts["resources_shifts"]:
        required[row["shift"]][row["day"]] = row["resources"]
    roster = MinHoursRoster(
        num_days=7, resources=[f"A{i:03d}" for i in range(AGENTS)], shifts=list(coverage),
        shifts_hours=hours, min_working_hours=0, banned_shifts=[], max_resting=2,
        required_resources=required, max_search_time=time_limit_s, num_search_workers=2,
    ).solve()  # fmt: skip
    elapsed = time.perf_counter() - t0
    cov = np.zeros(7 * 48)
    for row in roster.get("resource_shifts", []):
        cov[row["day"] * 48 : (row["day"] + 1) * 48] += np.array(coverage[row["shift"]])
    return f"{counts['status']} / {roster['status']}", elapsed, cov


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls-per-day", type=float, default=24_000)
    ap.add_argument("--peer-time-limit-s", type=float, default=120.0)
    args = ap.parse_args()
    req = week_requirement(args.calls_per_day).astype(float)
    rules = parse_rules(RULES)

    t0 = time.perf_counter()
    s = schedule(rules, datetime(2026, 11, 23), req, 30)
    ours_s = time.perf_counter() - t0
    shifts = sum(a.kind == "shift" for a in s.activities)
    pauses = sum(a.kind != "shift" for a in s.activities)

    status, peer_s, peer_cov = peer(req, args.peer_time_limit_s)
    pu = float(np.maximum(req - peer_cov, 0).sum())
    po = float(np.maximum(peer_cov - req, 0).sum())
    print(f"python {platform.python_version()}; {AGENTS} agents; requirement peak {int(req.max())}")
    print(f"helpline: {shifts} shifts, {pauses} meals+breaks placed, under {s.under:.0f}, "
          f"over {s.over:.0f} (on the phone, pauses counted), unassigned {s.unassigned_shifts}, "
          f"{ours_s:.1f} s  {s.timings}")  # fmt: skip
    print(f"pyworkforce ({status}): under {pu:.0f}, over {po:.0f} (no pauses), {peer_s:.1f} s")
    print(f"time ratio {peer_s / ours_s:.1f}x")


if __name__ == "__main__":
    main()
