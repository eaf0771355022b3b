"""Erlang C (M/M/c) and Erlang A (M/M/c+M) for staffing a queue of calls.

One implementation, shared by the planner (staffing per interval), the
``helpline erlang`` command and the engine's theory tests, which compare the
simulator's measurements with these numbers. Definitions match what the
simulator measures:

- ``p_wait``: probability that an arriving call has to wait (finds all agents busy);
- ``service_level``: fraction of *all* arriving calls answered with a wait of
  at most ``sl_target_s`` (in Erlang A an abandoned call is never "in time");
- ``asa_s``: mean wait of the *answered* calls;
- ``abandon_rate``: fraction of arriving calls that abandon (0 in Erlang C);
- ``occupancy``: carried load per agent, ``lambda * (1 - P_ab) * AHT / c``.

Numerics. Hotlines such as 10086 staff thousands of agents on one queue, so
nothing here uses factorials or powers that overflow:

- Erlang B comes from the Poisson ratio ``pmf(c; A) / cdf(c; A)`` in log space
  (``gammaincc`` for the cdf) when ``c > A``, and from the convergent series
  ``1/B = sum_j prod_{i<j} (c - i) / A`` when ``c <= A``, where the cdf could
  underflow.
- Erlang A follows Garnett, Mandelbaum and Reiman (2002): with ``x = c*mu/theta``
  and ``y = lambda/theta``, the queue part is ``J = x e^y y^-x gamma(x, y)``.
  Where the arrival rate exceeds the service capacity (``y >= x``) the
  regularised incomplete gamma functions are used; below it the hypergeometric
  series ``J = sum_j y^j / (x+1)_j`` converges quickly and avoids the
  cancellation the closed form suffers there. An arriving call that finds ``j``
  calls ahead is served with probability ``x/(x+j+1)``; ``exp(-theta W)`` is
  Beta(x, j+1) distributed, which gives the service level in closed form and the
  mean wait of served calls as a digamma series.

Every function takes numpy arrays (one element per interval) as well as
scalars; the ``*_vec`` variants return arrays, the plain ones an
:class:`ErlangResult` of floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

_TINY_TERM = 1e-18  # series stop once a term no longer moves a double
_RESCALE_AT = 1e250  # keep series partial sums finite in overloaded queues


@dataclass(frozen=True)
class ErlangResult:
    """Steady-state measures of one queue in one interval."""

    p_wait: float
    service_level: float
    asa_s: float
    abandon_rate: float
    occupancy: float


@dataclass(frozen=True)
class ErlangArrays:
    """The same measures for many intervals at once (numpy arrays)."""

    p_wait: FloatArray
    service_level: FloatArray
    asa_s: FloatArray
    abandon_rate: FloatArray
    occupancy: FloatArray

    def at(self, i: int) -> ErlangResult:
        return ErlangResult(
            float(self.p_wait.flat[i]),
            float(self.service_level.flat[i]),
            float(self.asa_s.flat[i]),
            float(self.abandon_rate.flat[i]),
            float(self.occupancy.flat[i]),
        )


def _arrays(*values: ArrayLike) -> list[FloatArray]:
    return [np.asarray(a, dtype=np.float64) for a in np.broadcast_arrays(*values)]


def log_erlang_b(load: ArrayLike, agents: ArrayLike) -> FloatArray:
    """Natural log of the Erlang B blocking probability B(c, A), elementwise."""
    return -np.logaddexp(0.0, _log_inv_b_minus_one(load, agents))


def _log_inv_b_minus_one(load: ArrayLike, agents: ArrayLike) -> FloatArray:
    """log(1/B(c, A) - 1): the weight of "an agent is free" relative to "all c busy".

    Kept separate from B because in overloaded Erlang A queues the probability
    of not waiting is this small number, and ``1 - B`` would lose it.
    """
    a, c = _arrays(load, agents)
    out = np.full_like(a, np.inf)  # no load: an agent is always free
    out[c <= 0] = -np.inf  # no agents: never free
    pos = (a > 0) & (c > 0)
    above = pos & (c > a)
    if above.any():
        aa, cc = a[above], c[above]
        log_pmf = cc * np.log(aa) - aa - special.gammaln(cc + 1.0)
        # 1/B - 1 = P(X <= c-1) / P(X = c) for X ~ Poisson(A); with c > A that
        # cdf is about one half or more, so it cannot underflow.
        out[above] = np.log(special.gammaincc(cc, aa)) - log_pmf
    below = pos & ~above
    if below.any():
        out[below] = np.log(_inverse_b_series_tail(a[below], c[below]))
    return out


def _inverse_b_series_tail(a: FloatArray, c: FloatArray) -> FloatArray:
    """1/B(c, A) - 1 = sum_{j>=1} prod_{i<j} (c-i)/A for c <= A (shrinking terms)."""
    total = np.zeros_like(a)
    term = np.ones_like(a)
    live = np.ones(a.shape, dtype=bool)
    j = 0
    while live.any():
        term = np.where(live, term * np.maximum(c - j, 0.0) / a, 0.0)
        total += term
        j += 1
        live &= term > _TINY_TERM * total
    return total


def erlang_b(load: ArrayLike, agents: ArrayLike) -> FloatArray:
    """Erlang B blocking probability, elementwise."""
    return np.exp(log_erlang_b(load, agents))


def _check_finite_nonneg(name: str, v: FloatArray, strict: bool = False) -> None:
    bad = ~np.isfinite(v) | (v <= 0 if strict else v < 0)
    if bad.any():
        raise ValueError(f"{name} must be {'> 0' if strict else '>= 0'} and finite")


def erlang_c_vec(
    rate_per_s: ArrayLike, aht_s: ArrayLike, agents: ArrayLike, sl_target_s: ArrayLike
) -> ErlangArrays:
    """Erlang C measures for arrays of intervals (broadcast together).

    Where the offered load ``A = rate * AHT`` reaches the number of agents the
    queue grows without bound: ``p_wait = 1``, ``service_level = 0``,
    ``asa_s = inf``, ``occupancy = 1``.
    """
    lam, aht, c, t = _arrays(rate_per_s, aht_s, agents, sl_target_s)
    _check_finite_nonneg("rate_per_s", lam)
    _check_finite_nonneg("aht_s", aht, strict=True)
    _check_finite_nonneg("sl_target_s", t)
    a = lam * aht
    stable = c > a
    p_wait = np.ones_like(a)
    sl = np.zeros_like(a)
    asa = np.full_like(a, np.inf)
    occ = np.ones_like(a)
    if stable.any():
        aa, cc, hh, tt = a[stable], c[stable], aht[stable], t[stable]
        rho = aa / cc
        log_b = log_erlang_b(aa, cc)
        b = np.exp(log_b)
        # C = B / (1 - rho (1 - B)); keep it in logs so tiny C stays exact.
        log_c = log_b - np.log((1.0 - rho) + rho * b)
        pw = np.exp(log_c)
        p_wait[stable] = pw
        sl[stable] = -np.expm1(log_c - (cc - aa) * tt / hh)
        asa[stable] = pw * hh / (cc - aa)
        occ[stable] = rho
    # No calls: nobody waits and, vacuously, every call is in time.
    idle = a == 0
    p_wait[idle], sl[idle], asa[idle], occ[idle] = 0.0, 1.0, 0.0, 0.0
    return ErlangArrays(p_wait, sl, asa, np.zeros_like(a), occ)


def erlang_c(rate_per_s: float, aht_s: float, agents: int, sl_target_s: float) -> ErlangResult:
    """Erlang C measures of one interval; see the module docstring for meanings."""
    return erlang_c_vec(rate_per_s, aht_s, agents, sl_target_s).at(0)


@dataclass(frozen=True)
class _QueueSums:
    """Normalised sums over j (calls ahead) of t_j = y^j / (x+1)_j.

    ``log_j`` is log J; the others are divided by J, i.e. they are
    expectations given that an arriving call waits.
    """

    log_j: FloatArray  # log J
    served: FloatArray  # P(served | wait)
    wait_served: FloatArray  # theta * E[W ; served | wait]


def _queue_sums_series(x: FloatArray, y: FloatArray) -> _QueueSums:
    """Sum the series term by term, rescaling so overloaded queues do not overflow.

    Term j: weight t_j; served with probability x/(x+j+1); given served, the
    scaled wait theta*W has mean psi(x+j+2) - psi(x+1) = sum_{i=1}^{j+1} 1/(x+i).
    Terms rise until j is about y - x and fall after it, both within a few
    sqrt(y); summing starts 12 such widths below the peak (earlier terms are
    below e^-72 of it), so an overloaded queue costs O(sqrt(y)), not O(y).
    """
    peak = np.maximum(y - x, 0.0)
    j = np.floor(np.maximum(peak - 12.0 * np.sqrt(y) - 10.0, 0.0))
    log_first = j * np.log(y) + special.gammaln(x + 1.0) - special.gammaln(x + j + 1.0)
    t = np.ones_like(x)
    log_scale = log_first.copy()
    s0 = np.zeros_like(x)
    s_served = np.zeros_like(x)
    s_wait = np.zeros_like(x)
    harmonic = special.digamma(x + j + 1.0) - special.digamma(x + 1.0)  # sum_{i=1}^{j} 1/(x+i)
    live = np.ones(x.shape, dtype=bool)
    while live.any():
        harmonic += 1.0 / (x + j + 1.0)
        served = x / (x + j + 1.0)
        s0 += t
        s_served += t * served
        s_wait += t * served * harmonic
        j = j + 1.0
        t = np.where(live, t * y / (x + j), 0.0)
        big = s0 > _RESCALE_AT
        if big.any():
            f = np.where(big, s0, 1.0)
            t, s0, s_served, s_wait = t / f, s0 / f, s_served / f, s_wait / f
            log_scale += np.log(f)
        live &= (j <= peak) | (t > _TINY_TERM * s0)
    return _QueueSums(np.log(s0) + log_scale, s_served / s0, s_wait / s0)


def _served_in_time_given_wait(x: FloatArray, y: FloatArray, z0: FloatArray) -> FloatArray:
    """P(served with theta*W <= -log z0 | wait), elementwise.

    Summing the Beta(x+1, j+1) laws over j gives
    ``x/(y P(x,y)) * [P(x+1, y) - P(x+1, y z0)]`` (P: regularised lower
    incomplete gamma); below capacity the same in hypergeometric series form.
    """
    out = np.empty_like(x)
    over = y >= x
    if over.any():
        xo, yo, zo = x[over], y[over], z0[over]
        lo = yo * zo
        # subtract the smaller tails: upper tails when both points are past the mode
        upper = lo > xo + 1.0
        diff = np.where(
            upper,
            special.gammaincc(xo + 1.0, lo) - special.gammaincc(xo + 1.0, yo),
            special.gammainc(xo + 1.0, yo) - special.gammainc(xo + 1.0, lo),
        )
        out[over] = xo / (yo * special.gammainc(xo, yo)) * diff
    under = ~over
    if under.any():
        xu, yu, zu = x[under], y[under], z0[under]
        g_y = _hyp_series(xu + 2.0, yu)
        g_lo = _hyp_series(xu + 2.0, yu * zu)
        j_sum = _hyp_series(xu + 1.0, yu)
        with np.errstate(under="ignore"):
            shrink = np.exp((xu + 1.0) * np.log(zu) + yu * (1.0 - zu))
        out[under] = xu / (xu + 1.0) * (g_y - shrink * g_lo) / j_sum
    return out


def _hyp_series(b: FloatArray, w: FloatArray) -> FloatArray:
    """sum_k w^k / (b)_k for w < b (1F1(1; b; w)); terms shrink geometrically."""
    total = np.ones_like(w)
    term = np.ones_like(w)
    live = np.ones(w.shape, dtype=bool)
    k = 0
    while live.any():
        term = np.where(live, term * w / (b + k), 0.0)
        total += term
        k += 1
        live &= term > _TINY_TERM * total
    return total


def erlang_a_vec(
    rate_per_s: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    sl_target_s: ArrayLike,
) -> ErlangArrays:
    """Erlang A (exponential patience with mean ``patience_s``) for arrays of intervals.

    ``patience_s = inf`` means nobody abandons: the Erlang C numbers.
    """
    lam, aht, c, pat, t = _arrays(rate_per_s, aht_s, agents, patience_s, sl_target_s)
    _check_finite_nonneg("rate_per_s", lam)
    _check_finite_nonneg("aht_s", aht, strict=True)
    _check_finite_nonneg("sl_target_s", t)
    if (np.isnan(pat) | (pat <= 0)).any():
        raise ValueError("patience_s must be > 0")
    out = {k: np.zeros_like(lam) for k in ErlangResult.__dataclass_fields__}
    patient = np.isinf(pat)
    if patient.any():
        ec = erlang_c_vec(lam[patient], aht[patient], c[patient], t[patient])
        for k in out:
            out[k][patient] = getattr(ec, k)
    todo = ~patient & (lam > 0)
    no_agents = todo & (c <= 0)
    out["p_wait"][no_agents] = 1.0
    out["abandon_rate"][no_agents] = 1.0
    out["asa_s"][no_agents] = np.inf  # nobody is ever answered
    todo &= c > 0
    if todo.any():
        for k, v in _erlang_a_core(lam[todo], aht[todo], c[todo], pat[todo], t[todo]).items():
            out[k][todo] = v
    idle = ~patient & (lam == 0)
    out["service_level"][idle] = 1.0
    return ErlangArrays(**out)


def _erlang_a_core(
    lam: FloatArray, aht: FloatArray, c: FloatArray, pat: FloatArray, t: FloatArray
) -> dict[str, FloatArray]:
    theta = 1.0 / pat
    a = lam * aht
    x = c / (aht * theta)  # service capacity in units of the abandonment rate
    y = lam / theta
    # The series is exact in every regime (no cancellation); the closed form in
    # incomplete gamma functions is only used for the in-time part below.
    sums = _queue_sums_series(x, y)
    served, wait_served = sums.served, sums.wait_served
    # P(wait) = J / (1/B - 1 + J): both weights relative to "all agents busy".
    log_free = _log_inv_b_minus_one(a, c)
    p_wait = special.expit(sums.log_j - log_free)
    p_free = special.expit(log_free - sums.log_j)
    p_ab = p_wait * (1.0 - served)
    z0 = np.exp(-theta * t)
    in_time = _served_in_time_given_wait(x, y, z0)
    sl = p_free + p_wait * in_time
    p_served = 1.0 - p_ab
    asa = p_wait * wait_served / theta / p_served
    occ = a * p_served / c
    return {
        "p_wait": p_wait,
        "service_level": sl,
        "asa_s": asa,
        "abandon_rate": p_ab,
        "occupancy": occ,
    }


def erlang_a(
    rate_per_s: float, aht_s: float, agents: int, patience_s: float, sl_target_s: float
) -> ErlangResult:
    """Erlang A measures of one interval; see the module docstring for meanings."""
    return erlang_a_vec(rate_per_s, aht_s, agents, patience_s, sl_target_s).at(0)


def apply_shrinkage(agents: ArrayLike, shrinkage: float) -> npt.NDArray[np.int64]:
    """Agents to roster so that ``agents`` remain on the phones after shrinkage.

    Shrinkage is the fraction of paid time not available for calls (meals,
    breaks, training, absence); ``0.3`` means 30 %.
    """
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError("shrinkage must be in [0, 1)")
    n = np.asarray(agents, dtype=np.float64)
    # the tolerance keeps 70 / (1 - 0.3) at 100, not 101, despite rounding
    return np.ceil(n / (1.0 - shrinkage) - 1e-9).astype(np.int64)


@dataclass(frozen=True)
class Targets:
    """What "enough agents" means; every target that is set must hold.

    ``service_level`` is the fraction answered within ``sl_target_s`` (0.8 and
    20 s is the classic 80/20); ``asa_s`` a ceiling on the mean wait of answered
    calls; ``max_occupancy`` a ceiling on agent occupancy; ``max_abandon`` a
    ceiling on the abandoned fraction (needs ``patience_s``). With
    ``patience_s`` set, the numbers are Erlang A, otherwise Erlang C.
    """

    service_level: float | None = None
    sl_target_s: float = 20.0
    asa_s: float | None = None
    max_occupancy: float | None = None
    max_abandon: float | None = None
    patience_s: float | None = None

    def __post_init__(self) -> None:
        if self.service_level is not None and not 0.0 < self.service_level < 1.0:
            raise ValueError("service_level must be in (0, 1)")
        if not (math.isfinite(self.sl_target_s) and self.sl_target_s >= 0):
            raise ValueError("sl_target_s must be >= 0")
        if self.asa_s is not None and not self.asa_s > 0:
            raise ValueError("asa_s must be > 0")
        if self.max_occupancy is not None and not 0.0 < self.max_occupancy <= 1.0:
            raise ValueError("max_occupancy must be in (0, 1]")
        if self.max_abandon is not None:
            if not 0.0 < self.max_abandon < 1.0:
                raise ValueError("max_abandon must be in (0, 1)")
            if self.patience_s is None:
                raise ValueError("max_abandon needs patience_s (Erlang A)")
        if self.patience_s is not None and not self.patience_s > 0:
            raise ValueError("patience_s must be > 0")
        if (self.service_level, self.asa_s, self.max_occupancy, self.max_abandon) == (None,) * 4:
            raise ValueError("set at least one target")


def evaluate(
    rate_per_s: ArrayLike, aht_s: ArrayLike, agents: ArrayLike, targets: Targets
) -> ErlangArrays:
    """Erlang C or A (as ``targets.patience_s`` says) for arrays of intervals."""
    if targets.patience_s is None:
        return erlang_c_vec(rate_per_s, aht_s, agents, targets.sl_target_s)
    return erlang_a_vec(rate_per_s, aht_s, agents, targets.patience_s, targets.sl_target_s)


def _meets(r: ErlangArrays, targets: Targets) -> npt.NDArray[np.bool_]:
    ok = np.ones(r.p_wait.shape, dtype=bool)
    if targets.service_level is not None:
        ok &= r.service_level >= targets.service_level
    if targets.asa_s is not None:
        ok &= r.asa_s <= targets.asa_s
    if targets.max_occupancy is not None:
        ok &= r.occupancy <= targets.max_occupancy
    if targets.max_abandon is not None:
        ok &= r.abandon_rate <= targets.max_abandon
    return ok


def required_agents(
    rate_per_s: ArrayLike,
    aht_s: ArrayLike,
    targets: Targets,
    shrinkage: float = 0.0,
) -> npt.NDArray[np.int64]:
    """Fewest agents meeting every target, per interval, grossed up for shrinkage.

    Every measure is monotone in the number of agents, so a vectorised
    bisection between a stable lower bound and a doubled upper bound finds the
    exact minimum for all intervals at once. An interval with no calls needs
    no agents.
    """
    lam, aht = _arrays(rate_per_s, aht_s)
    _check_finite_nonneg("rate_per_s", lam)
    _check_finite_nonneg("aht_s", aht, strict=True)
    load = lam * aht
    lo = np.zeros(load.shape)  # lo never meets the targets (or is 0 for no calls)
    if targets.patience_s is None:
        lo = np.floor(load)  # Erlang C needs c > A
    if targets.max_occupancy is not None:
        lo = np.maximum(lo, np.ceil(load / targets.max_occupancy) - 1.0)
    lo = np.maximum(lo, 0.0)
    busy = load > 0
    hi = lo + 1.0
    met = ~busy | _meets(evaluate(lam, aht, hi, targets), targets)
    step = np.maximum(1.0, np.ceil(np.sqrt(load)))
    while not met.all():
        lo = np.where(met, lo, hi)
        hi = np.where(met, hi, hi + step)
        step *= 2.0
        if (hi > 1e8).any():
            raise ValueError("targets cannot be met with fewer than 1e8 agents")
        met = ~busy | _meets(evaluate(lam, aht, hi, targets), targets)
    while ((hi - lo) > 1).any():
        mid = np.floor((lo + hi) / 2.0)
        gap = (hi - lo) > 1
        ok = _meets(evaluate(lam, aht, mid, targets), targets)
        hi = np.where(gap & ok, mid, hi)
        lo = np.where(gap & ~ok, mid, lo)
    need = np.where(busy, hi, 0.0)
    return apply_shrinkage(need, shrinkage)
