"""The simulated engine against queueing theory.

A single queue with identical agents, Poisson arrivals and exponential talk
times is an M/M/c queue (Erlang C); with exponential caller patience it is
M/M/c+M (Erlang A). Driving the real routing engine through the simulator must
reproduce the exact formulas: service level within 1 percentage point and
ASA within 5 % (Erlang C); service level and abandonment within 1 point
(Erlang A). 1,000 calls an hour, AHT 240 s, for c from the Erlang C
requirement for 80/20 minus one to plus two.

Near saturation a queue's averages converge slowly, so the horizons are long
(thousands of simulated hours at c = requirement - 1) and the events stream
through a small fold instead of being kept. Seeds are fixed, so a run is
reproducible; the assertion message reports the batch-means standard error so
a reader can see how far inside the tolerance each check is.
"""

from __future__ import annotations

from array import array

import numpy as np
import pytest

from helpline.core import events as ev
from helpline.sim.driver import simulate
from helpline.sim.scenario import single_queue
from helpline.wfm.erlang import erlang_a, erlang_c

RATE_H = 1000.0
AHT_S = 240.0
T_S = 20.0
PATIENCE_S = 120.0
LAMBDA = RATE_H / 3600


def requirement() -> int:
    c = int(LAMBDA * AHT_S) + 1
    while erlang_c(LAMBDA, AHT_S, c, T_S).service_level < 0.8:
        c += 1
    return c


class Waits:
    """Streams events into (arrival order) waits and outcomes."""

    def __init__(self) -> None:
        self.wait_ms = array("q")
        self.answered = array("b")

    def __call__(self, events: list[ev.Event]) -> None:
        for e in events:
            t = type(e)
            if t is ev.CallAnswered:
                self.wait_ms.append(e.wait_ms)  # type: ignore[attr-defined]
                self.answered.append(1)
            elif t is ev.CallAbandoned:
                self.wait_ms.append(e.wait_ms)  # type: ignore[attr-defined]
                self.answered.append(0)

    def stats(self, batches: int = 30) -> dict[str, tuple[float, float]]:
        """Each measure with its batch-means standard error."""
        w = np.frombuffer(self.wait_ms, dtype=np.int64) / 1000
        ok = np.frombuffer(self.answered, dtype=np.int8).astype(bool)

        def measures(w: np.ndarray, ok: np.ndarray) -> tuple[float, float, float]:
            return (float(((w <= T_S) & ok).mean()), float(w[ok].mean()), float(1 - ok.mean()))

        whole = measures(w, ok)
        pairs = zip(np.array_split(w, batches), np.array_split(ok, batches), strict=True)
        parts = np.array([measures(a, b) for a, b in pairs])
        se = parts.std(axis=0, ddof=1) / np.sqrt(batches)
        names = ("service_level", "asa_s", "abandon_rate")
        return {n: (whole[i], float(se[i])) for i, n in enumerate(names)}


def run(agents: int, hours: float, patience_s: float | None, seed: int) -> Waits:
    fold = Waits()
    simulate(
        single_queue(RATE_H, AHT_S, agents, patience_s=patience_s, hours=hours, seed=seed,
                     sl_target_s=T_S),
        sink=fold,
    )  # fmt: skip
    return fold


def test_the_requirement_is_where_erlang_c_crosses_80_20() -> None:
    c = requirement()
    assert erlang_c(LAMBDA, AHT_S, c - 1, T_S).service_level < 0.8
    assert erlang_c(LAMBDA, AHT_S, c, T_S).service_level >= 0.8


# Hours per case: long enough that the batch standard error is a third of the tolerance.
C_HOURS = {-1: 6000, 0: 3000, 1: 2000, 2: 1500}


@pytest.mark.slow
@pytest.mark.parametrize("offset", [-1, 0, 1, 2])
def test_simulated_mmc_matches_erlang_c(offset: int) -> None:
    c = requirement() + offset
    theory = erlang_c(LAMBDA, AHT_S, c, T_S)
    got = run(c, C_HOURS[offset], None, seed=1000 + c).stats()
    sl, sl_se = got["service_level"]
    asa, asa_se = got["asa_s"]
    assert got["abandon_rate"][0] == 0
    assert abs(sl - theory.service_level) <= 0.01, (c, sl, sl_se, theory)
    assert abs(asa - theory.asa_s) <= 0.05 * theory.asa_s, (c, asa, asa_se, theory)


@pytest.mark.slow
@pytest.mark.parametrize("offset", [-1, 0, 1, 2])
def test_simulated_mmc_with_patience_matches_erlang_a(offset: int) -> None:
    c = requirement() + offset
    theory = erlang_a(LAMBDA, AHT_S, c, PATIENCE_S, T_S)
    got = run(c, 800, PATIENCE_S, seed=2000 + c).stats()
    sl, sl_se = got["service_level"]
    ab, ab_se = got["abandon_rate"]
    assert abs(sl - theory.service_level) <= 0.01, (c, sl, sl_se, theory)
    assert abs(ab - theory.abandon_rate) <= 0.01, (c, ab, ab_se, theory)


def test_thousands_of_agents_need_no_special_case() -> None:
    """A 2,750-agent queue at 97 % occupancy: the same engine, the same formulas."""
    rate_h, agents = 40_000.0, 2750
    theory = erlang_c(rate_h / 3600, AHT_S, agents, T_S)
    got = Waits()
    simulate(single_queue(rate_h, AHT_S, agents, hours=3, seed=5), sink=got)
    sl, sl_se = got.stats()["service_level"]
    assert len(got.wait_ms) > 100_000
    assert abs(sl - theory.service_level) <= 0.01, (sl, sl_se, theory)
