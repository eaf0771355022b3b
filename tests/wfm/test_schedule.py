"""Shift scheduling: coverage, labour rules, and meals/breaks where traffic is lowest."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import datetime

import numpy as np
import pytest

from helpline.core.errors import InputError
from helpline.wfm.rules import parse_rules
from helpline.wfm.schedule import DAY, schedule

MONDAY = datetime(2026, 11, 23)


def _requirement(days: int = 7, peak: float = 40.0) -> np.ndarray:
    """Half-hourly need: a morning peak and an afternoon shoulder, quieter weekends."""
    k = np.arange(48)
    shape = np.exp(-(((k - 20) / 4.0) ** 2)) + 0.6 * np.exp(-(((k - 30) / 4.0) ** 2))
    shape[(k < 16) | (k >= 42)] = 0  # open 08:00-21:00
    week = [1.0, 0.95, 0.9, 0.9, 1.0, 0.6, 0.5]
    return np.concatenate([np.ceil(peak * shape * week[d % 7]) for d in range(days)])


RULES = {
    "shifts": [
        {"name": "D8", "length_minutes": 510, "earliest_start": "08:00", "latest_start": "12:30"},
        {"name": "D9", "length_minutes": 570, "earliest_start": "08:00", "latest_start": "11:30"},
    ],
    "agents": 60,
    "max_days_per_week": 5,
    "min_rest_hours": 11,
    "max_weekly_hours": 45,
    "meal": {"minutes": 40, "windows": [["11:00", "13:30"], ["17:00", "19:00"]]},
    "breaks": {"count": 2, "minutes": 10, "edge_minutes": 60, "min_gap_minutes": 60},
}


@pytest.fixture(scope="module")
def week() -> tuple[object, np.ndarray]:
    req = _requirement()
    return schedule(parse_rules(RULES), MONDAY, req, 30), req


def test_enough_agents_cover_the_requirement(week: tuple) -> None:
    s, req = week
    assert s.unassigned_shifts == 0 and s.unplaced_breaks == 0
    # under-coverage only where pauses cannot all leave the peak: under 2 % of the need
    assert s.under < 0.02 * req.sum()
    assert s.coverage.shape == req.shape


def test_labour_rules_hold_for_every_agent(week: tuple) -> None:
    s, _ = week
    shifts = defaultdict(list)
    for a in s.activities:
        if a.kind == "shift":
            shifts[a.agent].append(a)
    assert shifts
    for agent_shifts in shifts.values():
        agent_shifts.sort(key=lambda a: a.start_min)
        assert len(agent_shifts) <= 5
        assert sum(a.end_min - a.start_min for a in agent_shifts) <= 45 * 60
        for a, b in itertools.pairwise(agent_shifts):
            assert b.start_min - a.end_min >= 11 * 60
        assert len({a.start_min // DAY for a in agent_shifts}) == len(agent_shifts)


def test_every_shift_gets_a_meal_in_its_window_and_two_breaks_away_from_the_edges(
    week: tuple,
) -> None:
    s, _ = week
    by_shift = defaultdict(list)
    shifts = {}
    for a in s.activities:
        if a.kind == "shift":
            shifts[(a.agent, a.start_min // DAY)] = a
    for a in s.activities:
        if a.kind != "shift":
            by_shift[(a.agent, a.start_min // DAY)].append(a)
    for key, sh in shifts.items():
        pauses = sorted(by_shift[key], key=lambda a: a.start_min)
        meals = [p for p in pauses if p.kind == "meal"]
        breaks = [p for p in pauses if p.kind == "break"]
        assert len(meals) == 1 and len(breaks) == 2
        tod = meals[0].start_min % DAY
        lunch = 11 * 60 <= tod <= 13 * 60 + 30 - 40
        assert lunch or 17 * 60 <= tod <= 19 * 60 - 40
        for p in pauses:
            assert p.start_min >= sh.start_min + 60 and p.end_min <= sh.end_min - 60
        for x, y in itertools.pairwise(pauses):
            assert y.start_min - x.end_min >= 60


def test_pauses_go_where_the_surplus_is_and_not_at_the_peak(week: tuple) -> None:
    s, req = week
    # at each interval, how many agents are away on a pause
    away = np.zeros_like(req, dtype=float)
    for a in s.activities:
        if a.kind != "shift":
            for m in range(a.start_min, a.end_min, 5):
                away[m // 30] += 5 / 30
    day = slice(0, 48)
    peak = int(np.argmax(req[day]))
    assert away[day][peak] < away[day].max() / 2  # few pauses at the busiest half hour


def test_too_few_agents_shows_as_under_coverage_not_broken_rules() -> None:
    rules = parse_rules({**RULES, "agents": 10})
    s = schedule(rules, MONDAY, _requirement(), 30)
    assert s.under > 0.3 * _requirement().sum()
    shifts = [a for a in s.activities if a.kind == "shift"]
    assert len(shifts) <= 10 * 5


def test_agent_availability_and_skills_are_respected() -> None:
    rules = parse_rules(
        {
            **RULES,
            "shifts": [{**RULES["shifts"][0], "skill": "vip"}],
            "agents": [
                {"id": "wang", "skills": ["vip"], "days": ["mon", "tue"]},
                {"id": "li", "skills": ["billing"]},
            ],
        }
    )
    s = schedule(rules, MONDAY, _requirement(days=7, peak=3), 30)
    worked = {(a.agent, a.start_min // DAY) for a in s.activities if a.kind == "shift"}
    assert worked and {d for _, d in worked} <= {0, 1}
    assert {a for a, _ in worked} == {"wang"}


def test_bad_rules_name_the_field_and_value() -> None:
    shift = {**RULES["shifts"][0], "earliest_start": "25:99", "days": ["funday"]}
    bad = {**RULES, "shifts": [shift]}
    with pytest.raises(InputError) as e:
        parse_rules(bad, "rules.yaml")
    paths = {p.path for p in e.value.problems}
    assert "shifts[0].earliest_start" in paths and "shifts[0].days" in paths
