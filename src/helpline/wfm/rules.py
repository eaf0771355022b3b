"""Scheduling rules (RULES.yaml): shift templates, labour rules, agents, meals and breaks.

Times of day are ``"HH:MM"`` strings; weekdays are ``mon``..``sun``. A
validation error names the field path (``shifts[1].earliest_start``) and the
bad value.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..core.errors import from_validation_error

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hhmm_to_min(v: str) -> int:
    try:
        h, m = v.strip().split(":")
        minutes = int(h) * 60 + int(m)
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"expected HH:MM, got {v!r}") from exc
    if not 0 <= minutes <= 48 * 60 or not 0 <= int(m) < 60:
        raise ValueError(f"expected HH:MM, got {v!r}")
    return minutes


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShiftTemplate(_Model):
    """Shifts of one length, starting every ``start_step_minutes`` in a window."""

    name: str
    length_minutes: int = Field(gt=0, le=16 * 60)
    earliest_start: str = "07:00"
    latest_start: str = "14:00"
    start_step_minutes: int = Field(30, gt=0, le=24 * 60)
    days: list[str] = Field(default_factory=lambda: list(WEEKDAYS))
    cost: float = Field(1.0, ge=0)
    skill: str | None = None

    @field_validator("earliest_start", "latest_start")
    @classmethod
    def _time(cls, v: str) -> str:
        hhmm_to_min(v)
        return v

    @field_validator("days")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        bad = [d for d in v if d.lower()[:3] not in WEEKDAYS]
        if bad:
            raise ValueError(f"unknown weekday(s) {bad}; use {', '.join(WEEKDAYS)}")
        return [d.lower()[:3] for d in v]

    @model_validator(mode="after")
    def _window(self) -> ShiftTemplate:
        if hhmm_to_min(self.latest_start) < hhmm_to_min(self.earliest_start):
            raise ValueError("latest_start is before earliest_start")
        return self

    def starts(self) -> list[int]:
        lo, hi = hhmm_to_min(self.earliest_start), hhmm_to_min(self.latest_start)
        return list(range(lo, hi + 1, self.start_step_minutes))

    def weekday_numbers(self) -> set[int]:
        return {WEEKDAYS.index(d) for d in self.days}


class Meal(_Model):
    """One meal inside a window of the day, for shifts at least ``min_shift_minutes`` long."""

    minutes: int = Field(40, gt=0, le=180)
    windows: list[tuple[str, str]] = Field(default_factory=lambda: [("11:00", "13:30")])
    min_shift_minutes: int = Field(360, ge=0)

    @field_validator("windows")
    @classmethod
    def _windows(cls, v: list[tuple[str, str]]) -> list[tuple[str, str]]:
        for a, b in v:
            if hhmm_to_min(b) <= hhmm_to_min(a):
                raise ValueError(f"window {a}-{b} ends before it starts")
        return v


class Breaks(_Model):
    """Short breaks: ``count`` of ``minutes``, none within ``edge_minutes`` of either shift end."""

    count: int = Field(2, ge=0, le=6)
    minutes: int = Field(10, gt=0, le=60)
    edge_minutes: int = Field(60, ge=0)
    min_gap_minutes: int = Field(60, ge=0)


class AgentSpec(_Model):
    id: str
    skills: list[str] = Field(default_factory=list)
    days: list[str] = Field(default_factory=lambda: list(WEEKDAYS))

    @field_validator("days")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        return ShiftTemplate._days(v)


class Rules(_Model):
    shifts: list[ShiftTemplate] = Field(min_length=1)
    agents: int | list[AgentSpec] = 100
    max_days_per_week: int = Field(5, ge=1, le=7)
    min_rest_hours: float = Field(11.0, ge=0, le=48)
    max_weekly_hours: float = Field(45.0, gt=0)
    meal: Meal | None = Field(default_factory=Meal)
    breaks: Breaks | None = Field(default_factory=Breaks)
    placement_minutes: int = Field(5, gt=0, le=30)
    under_weight: float = Field(1000.0, gt=0)

    def agent_list(self) -> list[AgentSpec]:
        if isinstance(self.agents, int):
            width = len(str(self.agents))
            return [AgentSpec(id=f"A{i + 1:0{width}d}") for i in range(self.agents)]
        return self.agents

    @model_validator(mode="after")
    def _names(self) -> Rules:
        names = [s.name for s in self.shifts]
        if len(set(names)) != len(names):
            raise ValueError("shift names must be unique")
        return self


def parse_rules(data: Any, source: str = "rules") -> Rules:
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source) from None
