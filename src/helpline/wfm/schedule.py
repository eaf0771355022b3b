"""Shift scheduling: cover the requirement, give the shifts to agents, place meals and breaks.

Three steps, each simple enough to check by hand:

1. **How many of each shift.** An integer programme (HiGHS, through
   ``scipy.optimize.milp``) picks how many agents start each template at each
   allowed start on each day. A shift covers an interval by the share of the
   interval it is present, less its meal and breaks spread evenly over where
   they may fall. Lexicographic goal: first the least under-coverage
   (agent-intervals short of the requirement), then the least over-coverage
   plus shift cost, with under-coverage held at its optimum.
2. **Who works which shift.** Day by day, each shift goes to an available agent
   with the skill, fewer than the maximum working days this week, under the
   weekly hours and rested long enough since their last shift; agents who would
   otherwise lose working days this week go first, and an agent keeps similar
   start times from day to day.
3. **Meals and breaks where traffic is lowest.** At a fine step (5 minutes),
   each agent's meal, then breaks, go where the on-phone surplus over the
   requirement is largest (the quietest stretch), never in the first or last
   hour, with a minimum gap, the meal inside its window. Each placement updates
   the surplus, so breaks spread out instead of piling onto one quiet slot.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .rules import AgentSpec, Rules, ShiftTemplate, hhmm_to_min

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[str], None]

DAY = 1440


@dataclass(frozen=True)
class Activity:
    """One stretch of an agent's day; minutes from midnight of the first day."""

    agent: str
    kind: str  # "shift", "meal" or "break"
    start_min: int
    end_min: int
    shift: str = ""


@dataclass(frozen=True)
class ShiftOption:
    day: int
    template: ShiftTemplate
    start_min: int  # absolute

    @property
    def end_min(self) -> int:
        return self.start_min + self.template.length_minutes


@dataclass
class Schedule:
    origin: datetime
    interval_min: int
    requirement: FloatArray  # per interval
    activities: list[Activity] = field(default_factory=list)
    planned_coverage: FloatArray = field(default_factory=lambda: np.zeros(0))
    coverage: FloatArray = field(default_factory=lambda: np.zeros(0))
    unassigned_shifts: int = 0
    unplaced_breaks: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def under(self) -> float:
        return float(np.maximum(self.requirement - self.coverage, 0).sum())

    @property
    def over(self) -> float:
        return float(np.maximum(self.coverage - self.requirement, 0).sum())

    def at(self, minute: int) -> datetime:
        return self.origin + timedelta(minutes=minute)


def options_for(rules: Rules, weekdays: list[int]) -> list[ShiftOption]:
    """Every (day, template, start) allowed; ``weekdays[d]`` is day d's weekday (0 = Monday)."""
    out = []
    for d, wd in enumerate(weekdays):
        for t in rules.shifts:
            if wd in t.weekday_numbers():
                out += [ShiftOption(d, t, d * DAY + s) for s in t.starts()]
    return out


def _meal_region(rules: Rules, start: int, end: int) -> tuple[int, int] | None:
    """Earliest and latest meal start for a shift, or None if it gets no meal."""
    meal = rules.meal
    if meal is None or end - start < meal.min_shift_minutes:
        return None
    edge = rules.breaks.edge_minutes if rules.breaks else 60
    day0 = (start // DAY) * DAY
    for a, b in meal.windows:
        for base in (day0, day0 + DAY):
            lo = max(base + hhmm_to_min(a), start + edge)
            hi = min(base + hhmm_to_min(b), end - edge) - meal.minutes
            if hi >= lo:
                return lo, hi
    # no window fits: mid-shift, so a long shift still eats
    mid = start + (end - start) // 2 - meal.minutes // 2
    return mid, mid


def _availability(rules: Rules, opt: ShiftOption, g: int, n_fine: int) -> tuple[int, FloatArray]:
    """Expected presence on the phone at each fine step of the shift (meal/breaks spread)."""
    s, e = opt.start_min // g, min(opt.end_min, n_fine * g) // g
    a = np.ones(max(e - s, 0))
    region = _meal_region(rules, opt.start_min, opt.end_min)
    if region is not None and rules.meal is not None:
        _spread(a, opt.start_min, region, rules.meal.minutes, g)
    b = rules.breaks
    if b is not None and b.count:
        lo, hi = opt.start_min + b.edge_minutes, opt.end_min - b.edge_minutes - b.minutes
        if hi >= lo:
            for _ in range(b.count):
                _spread(a, opt.start_min, (lo, hi), b.minutes, g)
    return s, np.clip(a, 0.0, 1.0)


def _spread(a: FloatArray, start: int, region: tuple[int, int], minutes: int, g: int) -> None:
    lo, hi = region
    n_pos = (hi - lo) // g + 1
    length = max(1, math.ceil(minutes / g))
    for p in range(n_pos):
        i = (lo - start) // g + p
        a[max(i, 0) : min(i + length, len(a))] -= 1.0 / n_pos


def _coverage_matrix(
    rules: Rules, options: list[ShiftOption], interval_min: int, n_slots: int, with_breaks: bool
) -> sparse.csr_matrix:
    """Share of each interval each shift option covers (with pauses spread, if asked)."""
    g = math.gcd(rules.placement_minutes, interval_min)
    per = interval_min // g
    n_fine = n_slots * per
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for j, opt in enumerate(options):
        if with_breaks:
            s, a = _availability(rules, opt, g, n_fine)
        else:
            s = opt.start_min // g
            a = np.ones(max(min(opt.end_min // g, n_fine) - s, 0))
        if len(a) == 0:
            continue
        slot = (np.arange(len(a)) + s) // per
        cov = np.bincount(slot - slot[0], weights=a) / per
        nz = np.nonzero(cov)[0]
        rows += list(nz + slot[0])
        cols += [j] * len(nz)
        vals += list(cov[nz])
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n_slots, len(options)))


def plan_counts(
    rules: Rules,
    requirement: FloatArray,
    interval_min: int,
    options: list[ShiftOption],
    max_per_day: list[int],
    max_shifts_total: int,
    max_minutes_total: float,
    time_limit_s: float = 60.0,
    with_breaks: bool = True,
    rounds: int = 4,
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Step 1: how many agents on each shift option (HiGHS MILP, lexicographic goal).

    The MILP counts whole agents present (0/1 coverage, which HiGHS solves to
    optimality in milliseconds). Pauses are then accounted for by re-solving
    against the requirement plus the pause absence the previous plan implies,
    a few rounds, keeping the plan whose expected on-phone coverage is best.
    """
    n_slots = len(requirement)
    present = _coverage_matrix(rules, options, interval_min, n_slots, with_breaks=False)
    if not with_breaks:
        counts = _solve(rules, present, requirement, options, max_per_day,
                        max_shifts_total, max_minutes_total, time_limit_s)  # fmt: skip
        return counts, present @ counts.astype(float)
    on_phone = _coverage_matrix(rules, options, interval_min, n_slots, with_breaks=True)
    target = requirement.astype(float)
    best: tuple[float, float] | None = None
    best_counts = np.zeros(len(options), dtype=np.int64)
    for _ in range(rounds):
        counts = _solve(rules, present, target, options, max_per_day,
                        max_shifts_total, max_minutes_total, time_limit_s / rounds)  # fmt: skip
        x = counts.astype(float)
        eff = on_phone @ x
        score = (
            float(np.maximum(requirement - eff, 0).sum()),
            float(np.maximum(eff - requirement, 0).sum()),
        )
        if best is None or score < best:
            best, best_counts = score, counts
        target = requirement + (present @ x - eff)
    return best_counts, on_phone @ best_counts.astype(float)


def _solve(
    rules: Rules,
    cover: sparse.csr_matrix,
    requirement: FloatArray,
    options: list[ShiftOption],
    max_per_day: list[int],
    max_shifts_total: int,
    max_minutes_total: float,
    time_limit_s: float,
) -> npt.NDArray[np.int64]:
    n_slots, n_opt = cover.shape
    eye = sparse.identity(n_slots, format="csr")
    # variables: x (options, integer), under (slots), over (slots)
    balance = sparse.hstack([cover, eye, -eye], format="csr")
    n_days = len(max_per_day)
    day_rows = sparse.csr_matrix(
        ([1.0] * n_opt, ([o.day for o in options], range(n_opt))), shape=(n_days, n_opt)
    )
    per_day = sparse.hstack([day_rows, sparse.csr_matrix((n_days, 2 * n_slots))], format="csr")
    lengths = np.array([o.template.length_minutes for o in options], dtype=float)
    total = sparse.hstack(
        [sparse.csr_matrix(np.vstack([np.ones(n_opt), lengths])),
         sparse.csr_matrix((2, 2 * n_slots))], format="csr",
    )  # fmt: skip
    constraints = [
        LinearConstraint(balance, requirement, requirement),
        LinearConstraint(per_day, 0, np.array(max_per_day, dtype=float)),
        LinearConstraint(total, 0, np.array([max_shifts_total, max_minutes_total], dtype=float)),
    ]
    integrality = np.concatenate([np.ones(n_opt), np.zeros(2 * n_slots)])
    # Under-coverage weighs far above over-coverage and cost: lexicographic in effect.
    cost = np.array([o.template.cost for o in options]) * 1e-3
    c = np.concatenate([cost, np.full(n_slots, rules.under_weight), np.ones(n_slots)])
    opts = {"time_limit": max(time_limit_s, 1.0), "mip_rel_gap": 1e-6}
    r = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(0, np.inf),
             options=opts)  # fmt: skip
    if r.x is None:
        raise RuntimeError(f"shift planning failed: {r.message}")
    counts: npt.NDArray[np.int64] = np.rint(r.x[:n_opt]).astype(np.int64)
    return counts


@dataclass
class _AgentState:
    spec: AgentSpec
    weekdays: frozenset[int] = frozenset()
    days: int = 0
    minutes: int = 0
    last_end: int = -(10**9)
    last_start_tod: int = -1


def assign(
    rules: Rules,
    options: list[ShiftOption],
    counts: npt.NDArray[np.int64],
    n_days: int,
    weekday_of: Callable[[int], int],
) -> tuple[list[Activity], int]:
    """Step 2: give each planned shift to an agent, respecting the labour rules."""
    agents = [_AgentState(a, frozenset(_days(a))) for a in rules.agent_list()]
    rest = int(rules.min_rest_hours * 60)
    max_min = int(rules.max_weekly_hours * 60)
    by_day: dict[int, list[ShiftOption]] = {}
    for opt, k in zip(options, counts, strict=True):
        by_day.setdefault(opt.day, []).extend([opt] * int(k))
    out: list[Activity] = []
    missed = 0
    for d in range(n_days):
        if d % 7 == 0:
            for st in agents:
                st.days, st.minutes = 0, 0
        week_left = [weekday_of(x) for x in range(d + 1, min(d - d % 7 + 7, n_days))]
        todays = sorted(by_day.get(d, []), key=lambda o: o.start_min)
        busy: set[int] = set()
        for opt in todays:
            tod = opt.start_min - d * DAY
            best, best_key = -1, None
            for i, st in enumerate(agents):
                if i in busy or not _can_work(st, opt, weekday_of(d), rest, max_min, rules):
                    continue
                later = sum(1 for w in week_left if w in st.weekdays)
                pressure = (rules.max_days_per_week - st.days) - later
                key = (-pressure, abs(st.last_start_tod - tod) if st.last_start_tod >= 0 else 0,
                       st.minutes)  # fmt: skip
                if best_key is None or key < best_key:
                    best, best_key = i, key
            if best < 0:
                missed += 1
                continue
            st = agents[best]
            busy.add(best)
            st.days += 1
            st.minutes += opt.template.length_minutes
            st.last_end = opt.end_min
            st.last_start_tod = tod
            out.append(Activity(st.spec.id, "shift", opt.start_min, opt.end_min, opt.template.name))
    return out, missed


def _days(spec: AgentSpec) -> set[int]:
    return {("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(d) for d in spec.days}


def _can_work(
    st: _AgentState, opt: ShiftOption, weekday: int, rest: int, max_min: int, rules: Rules
) -> bool:
    if weekday not in st.weekdays or st.days >= rules.max_days_per_week:
        return False
    if st.minutes + opt.template.length_minutes > max_min:
        return False
    if opt.start_min - st.last_end < rest:
        return False
    return opt.template.skill is None or opt.template.skill in st.spec.skills


def place_breaks(
    rules: Rules, shifts: list[Activity], need_fine: FloatArray, g: int
) -> tuple[list[Activity], FloatArray, int]:
    """Step 3: meals, then breaks, each where the on-phone surplus is largest."""
    on = np.zeros_like(need_fine)
    for s in shifts:
        on[s.start_min // g : s.end_min // g] += 1
    placed: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(shifts))}
    out: list[Activity] = []
    missed = 0
    order = sorted(range(len(shifts)), key=lambda i: shifts[i].start_min)
    meal = rules.meal
    if meal is not None:
        for i in order:
            s = shifts[i]
            region = _meal_region(rules, s.start_min, s.end_min)
            if region is None:
                continue
            p = _best(on, need_fine, region, meal.minutes, g, [], 0)
            if p is None:
                missed += 1
                continue
            _take(on, p, meal.minutes, g)
            placed[i].append((p, p + meal.minutes))
            out.append(Activity(s.agent, "meal", p, p + meal.minutes, s.shift))
    b = rules.breaks
    if b is not None and b.count:
        for k in range(b.count):
            for i in order:
                s = shifts[i]
                lo, hi = s.start_min + b.edge_minutes, s.end_min - b.edge_minutes - b.minutes
                meal_at = placed[i][:1] if meal is not None else []
                if meal_at and b.count > 1:  # first half of the breaks before the meal
                    m0, m1 = meal_at[0]
                    if k < (b.count + 1) // 2:
                        hi = min(hi, m0 - b.min_gap_minutes - b.minutes)
                    else:
                        lo = max(lo, m1 + b.min_gap_minutes)
                p = _best(on, need_fine, (lo, hi), b.minutes, g, placed[i], b.min_gap_minutes)
                if p is None:  # the halves were too tight: anywhere allowed
                    lo0 = s.start_min + b.edge_minutes
                    hi0 = s.end_min - b.edge_minutes - b.minutes
                    p = _best(on, need_fine, (lo0, hi0), b.minutes, g, placed[i], b.min_gap_minutes)
                if p is None:
                    missed += 1
                    continue
                _take(on, p, b.minutes, g)
                placed[i].append((p, p + b.minutes))
                out.append(Activity(s.agent, "break", p, p + b.minutes, s.shift))
    return out, on, missed


def _best(
    on: FloatArray,
    need: FloatArray,
    region: tuple[int, int],
    minutes: int,
    g: int,
    taken: list[tuple[int, int]],
    gap: int,
) -> int | None:
    lo, hi = region
    if hi < lo:
        return None
    length = max(1, math.ceil(minutes / g))
    first = -(-lo // g)
    last = min(hi // g, len(on) - length)
    if last < first:
        return None
    starts = np.arange(first, last + 1)
    ok = np.ones(len(starts), dtype=bool)
    for a, b in taken:  # keep the gap to this agent's other pauses
        ok &= (starts * g + minutes + gap <= a) | (starts * g >= b + gap)
    if not ok.any():
        return None
    surplus = on[first : last + length] - need[first : last + length]
    windows = np.lib.stride_tricks.sliding_window_view(surplus, length)
    # quietest stretch: the largest worst-case surplus, then the largest total
    score = windows.min(axis=1) * 1e6 + windows.sum(axis=1)
    score[~ok] = -np.inf
    return int(starts[int(np.argmax(score))]) * g


def _take(on: FloatArray, p: int, minutes: int, g: int) -> None:
    on[p // g : p // g + max(1, math.ceil(minutes / g))] -= 1


def schedule(
    rules: Rules,
    origin: datetime,
    requirement: FloatArray,
    interval_min: int,
    time_limit_s: float = 60.0,
    progress: Progress | None = None,
) -> Schedule:
    """Plan shifts, assign agents and place pauses for a requirement starting at ``origin``.

    ``origin`` is midnight of the first day; ``requirement`` holds agents
    needed on the phone per interval, whole days long.
    """
    say = progress or (lambda _: None)
    n_slots = len(requirement)
    per_day = DAY // interval_min
    n_days = math.ceil(n_slots / per_day)
    weekday = {d: (origin + timedelta(days=d)).weekday() for d in range(n_days)}
    agents = rules.agent_list()
    avail = [sum(1 for a in agents if weekday[d] in _days(a)) for d in range(n_days)]
    options = options_for(rules, [weekday[d] for d in range(n_days)])
    out = Schedule(origin, interval_min, requirement)
    t0 = time.perf_counter()
    say("plan")
    weeks = math.ceil(n_days / 7)
    counts, planned = plan_counts(
        rules, requirement, interval_min, options, avail,
        len(agents) * rules.max_days_per_week * weeks,
        len(agents) * rules.max_weekly_hours * 60 * weeks, time_limit_s,
    )  # fmt: skip
    out.planned_coverage = planned
    t1 = time.perf_counter()
    say("assign")
    shifts, missed = assign(rules, options, counts, n_days, weekday.__getitem__)
    out.unassigned_shifts = missed
    t2 = time.perf_counter()
    say("breaks")
    g = math.gcd(rules.placement_minutes, interval_min)
    need_fine = np.repeat(requirement, interval_min // g)
    pauses, on, unplaced = place_breaks(rules, shifts, need_fine, g)
    out.unplaced_breaks = unplaced
    out.activities = sorted(shifts + pauses, key=lambda a: (a.agent, a.start_min))
    out.coverage = on[: n_slots * (interval_min // g)].reshape(n_slots, -1).mean(axis=1)
    t3 = time.perf_counter()
    out.timings = {"plan_s": t1 - t0, "assign_s": t2 - t1, "breaks_s": t3 - t2}
    return out
