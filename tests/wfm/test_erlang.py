"""Erlang C and A against an arbitrary-precision reference, and staffing targets."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from helpline.wfm.erlang import (
    ErlangResult,
    Targets,
    apply_shrinkage,
    erlang_a,
    erlang_a_vec,
    erlang_b,
    erlang_c,
    erlang_c_vec,
    evaluate,
    required_agents,
)

FIELDS = ("p_wait", "service_level", "asa_s", "abandon_rate", "occupancy")


def _inv_b(a: mp.mpf, c: int) -> mp.mpf:
    """1/B(c, A) = sum_{k<=c} A^k/k! / (A^c/c!), at 50 digits."""
    tail = mp.gammainc(c + 1, a, mp.inf, regularized=True)
    return tail * mp.exp(a - (c * mp.log(a) - mp.loggamma(c + 1)))


def ref_c(lam: float, aht: float, c: int, t: float) -> dict[str, mp.mpf]:
    with mp.workdps(50):
        a = mp.mpf(lam) * aht
        b = 1 / _inv_b(a, c)
        rho = a / c
        pw = b / (1 - rho * (1 - b))
        return {
            "p_wait": pw,
            "service_level": 1 - pw * mp.exp(-(c - a) * t / aht),
            "asa_s": pw * aht / (c - a),
            "abandon_rate": mp.mpf(0),
            "occupancy": rho,
        }


def ref_a(lam: float, aht: float, c: int, patience: float, t: float) -> dict[str, mp.mpf]:
    """Birth-death chain summed term by term at 50 digits (no overflow in mpmath)."""
    with mp.workdps(50):
        lam_, aht_, th = mp.mpf(lam), mp.mpf(aht), 1 / mp.mpf(patience)
        a, x, y = lam_ * aht_, c / (aht_ * th), lam_ / th
        inv_b = _inv_b(a, c)
        big_j = q_sum = wait_sum = harmonic = mp.mpf(0)
        term, j = mp.mpf(1), 0
        while True:
            harmonic += 1 / (x + j + 1)
            big_j += term
            q_sum += j * term
            wait_sum += term * x / (x + j + 1) * harmonic
            j += 1
            term *= y / (x + j)
            if j > y - x and term < big_j * mp.mpf(10) ** -40:
                break
        p_n = 1 / (inv_b - 1 + big_j)  # P(all busy, nobody queued)
        p_ab = p_n * q_sum / y
        in_time = x * mp.exp(y) * y ** (-x - 1) * mp.gammainc(x + 1, y * mp.exp(-th * t), y)
        return {
            "p_wait": p_n * big_j,
            "service_level": p_n * (inv_b - 1) + p_n * in_time,
            "asa_s": p_n * wait_sum / th / (1 - p_ab),
            "abandon_rate": p_ab,
            "occupancy": a * (1 - p_ab) / c,
        }


def _grid() -> list[tuple[float, float, int, float, float]]:
    """Half-hour intervals from 1 to 20,000 calls, agents from half to twice the load."""
    points = []
    for calls in (1, 7, 60, 450, 3000, 20000):
        lam = calls / 1800
        for aht in (45.0, 240.0, 600.0):
            a = lam * aht
            for factor in (0.5, 0.95, 1.0, 1.05, 1.2, 2.0):
                for extra in (0, 1, 4):
                    c = max(1, math.floor(a * factor) + extra)
                    if abs(c - a) < 1e-6:  # exactly critical: both sides are limits
                        continue
                    for patience in (30.0, 180.0, 900.0):
                        for t in (0.0, 20.0, 60.0):
                            points.append((lam, aht, c, patience, t))
    return points


GRID = _grid()
SAMPLE = [GRID[i] for i in np.random.default_rng(2026).choice(len(GRID), 60, replace=False)]


def _assert_close(mine: ErlangResult, ref: dict[str, mp.mpf], where: object) -> None:
    for f in FIELDS:
        want = float(ref[f])
        got = getattr(mine, f)
        if abs(want) < 1e-290:  # below double range: only absolute sense is left
            assert abs(got - want) < 1e-290, (where, f, got, want)
        else:
            assert abs(got - want) <= 1e-9 * abs(want), (where, f, got, want)


def test_grid_reaches_twenty_thousand_calls_and_ten_thousand_agents() -> None:
    assert max(p[0] * 1800 for p in GRID) == pytest.approx(20000)
    assert max(p[2] for p in GRID) >= 13000


@pytest.mark.parametrize("point", SAMPLE, ids=lambda p: f"{p[0] * 1800:.0f}calls-{p[2]}ag")
def test_erlang_c_matches_mpmath_to_1e9(point: tuple[float, float, int, float, float]) -> None:
    lam, aht, c, _, t = point
    if lam * aht >= c:
        r = erlang_c(lam, aht, c, t)
        assert (r.p_wait, r.service_level, r.asa_s, r.occupancy) == (1.0, 0.0, math.inf, 1.0)
        return
    _assert_close(erlang_c(lam, aht, c, t), ref_c(lam, aht, c, t), point)


@pytest.mark.parametrize("point", SAMPLE, ids=lambda p: f"{p[0] * 1800:.0f}calls-{p[2]}ag")
def test_erlang_a_matches_mpmath_to_1e9(point: tuple[float, float, int, float, float]) -> None:
    lam, aht, c, patience, t = point
    _assert_close(erlang_a(lam, aht, c, patience, t), ref_a(lam, aht, c, patience, t), point)


def _hypoexp_served(x: float, y: float, t: float, theta: float) -> tuple[mp.mpf, mp.mpf]:
    """Independent check of the closed forms: integrate the wait law directly.

    A call finding j ahead waits a sum of exponentials with rates theta*(x+k),
    k = 0..j (density by partial fractions), and is served if its exponential
    patience outlasts the wait. Returns (P(served within t | wait),
    theta*E[W; served | wait]).
    """
    with mp.workdps(40):
        weights, in_time, wait = [], [], []
        term = mp.mpf(1)
        for j in range(30):
            rates = [theta * (x + k) for k in range(j + 1)]
            coef = [r * mp.fprod(q / (q - r) for q in rates if q != r) for r in rates]
            # integral over v of coef * exp(-r v) * exp(-theta v), on [0, t] and weighted by v
            in_time.append(
                mp.fsum(
                    cf * (1 - mp.exp(-(r + theta) * t)) / (r + theta)
                    for cf, r in zip(coef, rates, strict=True)
                )
            )
            wait.append(mp.fsum(cf / (r + theta) ** 2 for cf, r in zip(coef, rates, strict=True)))
            weights.append(term)
            term *= y / (x + j + 1)
        total = mp.fsum(weights)
        served_in_time = mp.fsum(w * p for w, p in zip(weights, in_time, strict=True)) / total
        mean_wait = mp.fsum(w * m for w, m in zip(weights, wait, strict=True)) / total
        return served_in_time, theta * mean_wait


def test_erlang_a_service_level_and_asa_agree_with_direct_integration_of_the_wait() -> None:
    lam, aht, c, patience, t = 0.05, 60.0, 2, 30.0, 15.0
    theta = 1 / patience
    x, y = c / (aht * theta), lam / theta
    in_time, theta_wait = _hypoexp_served(x, y, t, theta)
    r = erlang_a(lam, aht, c, patience, t)
    ref = ref_a(lam, aht, c, patience, t)
    p_wait = ref["p_wait"]
    with mp.workdps(40):
        sl = (1 - p_wait) + p_wait * in_time
        asa = p_wait * theta_wait / theta / (1 - ref["abandon_rate"])
    assert r.service_level == pytest.approx(float(sl), rel=1e-9)
    assert r.asa_s == pytest.approx(float(asa), rel=1e-9)


def test_classic_80_20_example() -> None:
    # 360 calls an hour at 4 minutes: 24 erlangs. 28 agents miss 80/20, 29 make it.
    assert erlang_c(0.1, 240, 28, 20).service_level < 0.8 < erlang_c(0.1, 240, 29, 20).service_level
    assert required_agents(0.1, 240, Targets(service_level=0.8, sl_target_s=20)) == 29


def test_unstable_erlang_c_reports_an_endless_queue_without_crashing() -> None:
    r = erlang_c(rate_per_s=1.0, aht_s=300, agents=250, sl_target_s=20)
    assert r == ErlangResult(1.0, 0.0, math.inf, 0.0, 1.0)
    # Erlang A stays finite: callers hang up, the queue settles
    a = erlang_a(1.0, 300, 250, 120, 20)
    assert 0 < a.abandon_rate < 1 and a.occupancy < 1 and math.isfinite(a.asa_s)
    assert a.abandon_rate == pytest.approx(1 - 250 * a.occupancy / 300, rel=1e-12)


def test_tens_of_thousands_of_agents_stay_finite_and_sensible() -> None:
    lam = np.array([100.0, 100.0, 100.0])  # 100 calls a second, 5-minute calls
    agents = np.array([29_900, 30_050, 33_000])
    c = erlang_c_vec(lam, 300.0, agents, 20.0)
    assert c.p_wait[0] == 1.0 and 0 < c.p_wait[1] < 1 and c.p_wait[2] < 1e-30
    assert np.all(np.diff(c.service_level) >= 0)
    a = erlang_a_vec(lam, 300.0, agents, 180.0, 20.0)
    assert np.all(np.isfinite(a.asa_s)) and np.all(np.diff(a.abandon_rate) <= 0)


def test_vector_and_scalar_agree_and_broadcast() -> None:
    lam = np.linspace(0.0, 3.0, 7)
    agents = np.array([0, 3, 60, 150, 200, 400, 900])
    vc = erlang_c_vec(lam, 180.0, agents, 20.0)
    va = erlang_a_vec(lam, 180.0, agents, 90.0, 20.0)
    for i in range(len(lam)):
        assert vc.at(i) == erlang_c(float(lam[i]), 180.0, int(agents[i]), 20.0)
        assert va.at(i) == erlang_a(float(lam[i]), 180.0, int(agents[i]), 90.0, 20.0)


def test_no_calls_means_perfect_service_and_idle_agents() -> None:
    for r in (erlang_c(0.0, 300, 5, 20), erlang_a(0.0, 300, 5, 60, 20)):
        assert (r.p_wait, r.service_level, r.asa_s, r.abandon_rate, r.occupancy) == (0, 1, 0, 0, 0)


def test_infinite_patience_is_erlang_c_and_long_patience_approaches_it() -> None:
    assert erlang_a(0.5, 200, 110, math.inf, 20) == erlang_c(0.5, 200, 110, 20)
    near = erlang_a(0.5, 200, 110, 1e7, 20)
    exact = erlang_c(0.5, 200, 110, 20)
    assert near.service_level == pytest.approx(exact.service_level, rel=1e-4)
    assert near.abandon_rate < 1e-5


def test_erlang_b_matches_the_textbook_recursion() -> None:
    b = 1.0
    for k in range(1, 41):
        b = 30.0 * b / (k + 30.0 * b)
    assert erlang_b(30.0, 40)[()] == pytest.approx(b, rel=1e-12)


@pytest.mark.parametrize(
    "targets",
    [
        Targets(service_level=0.8, sl_target_s=20),
        Targets(service_level=0.9, sl_target_s=10, max_occupancy=0.8),
        Targets(asa_s=15),
        Targets(max_occupancy=0.85),
        Targets(service_level=0.8, sl_target_s=20, patience_s=120),
        Targets(max_abandon=0.03, patience_s=60),
        Targets(asa_s=10, patience_s=60),
    ],
)
def test_required_agents_is_the_fewest_that_meet_every_target(targets: Targets) -> None:
    lam = np.array([0.0, 0.004, 0.05, 1.0, 11.1])
    aht = np.array([300.0, 300.0, 180.0, 240.0, 300.0])
    n = required_agents(lam, aht, targets)
    assert n[0] == 0
    enough = evaluate(lam[1:], aht[1:], n[1:], targets)
    short = evaluate(lam[1:], aht[1:], n[1:] - 1, targets)

    def meets(r: object, i: int) -> bool:
        checks = {
            "service_level": lambda v, t: v >= t,
            "asa_s": lambda v, t: v <= t,
            "max_occupancy": lambda v, t: v <= t,
            "max_abandon": lambda v, t: v <= t,
        }
        fields = {"max_occupancy": "occupancy", "max_abandon": "abandon_rate"}
        ok = True
        for name, check in checks.items():
            goal = getattr(targets, name)
            if goal is not None:
                ok &= bool(check(getattr(r, fields.get(name, name))[i], goal))
        return ok

    for i in range(4):
        assert meets(enough, i)
        assert not meets(short, i)


def test_shrinkage_grosses_up_the_roster() -> None:
    base = required_agents(1.0, 240, Targets(service_level=0.8))
    assert required_agents(1.0, 240, Targets(service_level=0.8), shrinkage=0.3) == math.ceil(
        base / 0.7
    )
    assert apply_shrinkage(70, 0.3) == 100


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"service_level": 1.2}, "service_level"),
        ({"max_abandon": 0.05}, "patience_s"),
        ({}, "at least one target"),
        ({"asa_s": -3}, "asa_s"),
    ],
)
def test_impossible_targets_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Targets(**kwargs)


def test_negative_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="rate_per_s"):
        erlang_c(-1.0, 300, 5, 20)
    with pytest.raises(ValueError, match="aht_s"):
        erlang_a(1.0, 0.0, 5, 60, 20)


@pytest.mark.parametrize(
    "point",
    [
        (5.0, 300.0, 500, 300.0, 20.0),
        (11.1, 600.0, 2000, 900.0, 30.0),
        (2.0, 240.0, 30, 600.0, 20.0),
    ],
)
def test_heavily_overloaded_erlang_a_matches_mpmath(
    point: tuple[float, float, int, float, float],
) -> None:
    """Half the needed agents or fewer: the series starts near its peak, still exact."""
    lam, aht, c, patience, t = point
    _assert_close(erlang_a(lam, aht, c, patience, t), ref_a(lam, aht, c, patience, t), point)
