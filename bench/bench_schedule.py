"""Shift scheduling, 7 days x 48 half-hours, 8- and 9-hour shifts, against pyworkforce.

Both sides get the same requirement (Erlang C, 80/20, from a two-peak hotline
day with quieter weekends) and the same shifts: every start on the half hour
that ends by midnight, lengths 8 h and 9 h. pyworkforce's ``MinAbsDifference``
(OR-Tools CP-SAT) minimises |coverage - requirement|; ours
(``helpline.wfm.schedule.plan_counts``, HiGHS) minimises under-coverage first,
then over-coverage. Reported: total under- and over-coverage in agent
half-hours, and solve time.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/bench_schedule.py
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
from pyworkforce.scheduling import MinAbsDifference, MinRequiredResources

from helpline.wfm.erlang import Targets, required_agents
from helpline.wfm.rules import parse_rules
from helpline.wfm.schedule import options_for, plan_counts


def week_requirement(calls_per_day: float) -> np.ndarray:
    k = np.arange(48)
    shape = np.exp(-(((k - 20) / 4.5) ** 2)) + 0.75 * np.exp(-(((k - 30) / 5.0) ** 2)) + 0.03
    weekday = [1.15, 1.0, 0.95, 0.95, 1.0, 0.7, 0.6]
    calls = np.concatenate([shape / shape.sum() * calls_per_day * f for f in weekday])
    return required_agents(calls / 1800.0, 300.0, Targets(service_level=0.8, sl_target_s=20))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls-per-day", type=float, default=20_000)
    ap.add_argument("--peer-time-limit-s", type=float, default=120.0)
    args = ap.parse_args()
    req = week_requirement(args.calls_per_day).astype(float)
    lengths = {"8h": 480, "9h": 540}

    shifts_coverage = {}
    for name, minutes in lengths.items():
        for start in range(0, 48 - minutes // 30 + 1):
            cover = np.zeros(48, dtype=int)
            cover[start : start + minutes // 30] = 1
            shifts_coverage[f"{name}@{start:02d}"] = cover.tolist()
    peers = {}
    for peer_cls in (MinAbsDifference, MinRequiredResources):
        t0 = time.perf_counter()
        peer = peer_cls(
            num_days=7,
            periods=48,
            shifts_coverage=shifts_coverage,
            required_resources=req.reshape(7, 48).astype(int).tolist(),
            max_period_concurrency=int(req.max() * 3),
            max_shift_concurrency=int(req.max() * 2),
            max_search_time=args.peer_time_limit_s,
            num_search_workers=2,
        ).solve()
        peer_s = time.perf_counter() - t0
        peer_cov = np.zeros(7 * 48)
        for row in peer["resources_shifts"]:
            cover = np.array(shifts_coverage[row["shift"]], dtype=float)
            peer_cov[row["day"] * 48 : (row["day"] + 1) * 48] += row["resources"] * cover
        peers[peer_cls.__name__] = (peer, peer_s, peer_cov)

    rules = parse_rules({
        "shifts": [
            {"name": name, "length_minutes": minutes, "earliest_start": "00:00",
             "latest_start": f"{(1440 - minutes) // 60:02d}:{(1440 - minutes) % 60:02d}"}
            for name, minutes in lengths.items()
        ],
        "agents": 100_000, "max_weekly_hours": 168, "max_days_per_week": 7,
        "meal": None, "breaks": None,
    })  # fmt: skip
    options = options_for(rules, list(range(7)))
    options = [o for o in options if o.end_min <= (o.day + 1) * 1440]  # same shifts as the peer
    t0 = time.perf_counter()
    counts, ours_cov = plan_counts(rules, req, 30, options, [10**6] * 7, 10**7, 1e12,
                                   with_breaks=False)  # fmt: skip
    ours_s = time.perf_counter() - t0

    def under_over(cov: np.ndarray) -> tuple[float, float]:
        return float(np.maximum(req - cov, 0).sum()), float(np.maximum(cov - req, 0).sum())

    ou, oo = under_over(ours_cov)
    print(f"python {platform.python_version()}; requirement peak {int(req.max())}, "
          f"{int(req.sum())} agent-half-hours; {len(options)} shift options")  # fmt: skip
    for name, (peer, peer_s, peer_cov) in peers.items():
        pu, po = under_over(peer_cov)
        n = sum(r["resources"] for r in peer["resources_shifts"])
        print(f"pyworkforce {name} ({peer['status']}): under {pu:.0f}, over {po:.0f}, "
              f"shifts {n}, {peer_s:.2f} s, time ratio {peer_s / ours_s:.1f}x")  # fmt: skip
    print(f"helpline plan_counts (HiGHS): under {ou:.0f}, over {oo:.0f}, "
          f"shifts {int(counts.sum())}, {ours_s:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
