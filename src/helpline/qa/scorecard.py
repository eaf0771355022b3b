"""Scorecards as data: sections of weighted items, critical items, items bound to checks.

An item is ``yes_no`` (yes earns its weight) or ``scale`` (``scale_min`` to
``scale_max``, earning the weight in proportion); ``na_allowed`` lets an
evaluator mark it not applicable, which takes it out of the denominator. A
``critical`` item answered no (or at the bottom of its scale) zeroes the whole
score: an unauthorised money promise is not offset by a warm greeting. ``auto``
binds an item to an automatic check, whose result pre-fills the answer.

The score is ``100 * earned / applicable weight``, rounded to 0.01.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..core.errors import InputError, Problem, from_validation_error
from .checks import CHECKS, CallResult


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Model):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    text: str = ""
    type: Literal["yes_no", "scale"] = "yes_no"
    weight: float = Field(gt=0)
    scale_min: int = 0
    scale_max: int = 5
    na_allowed: bool = False
    critical: bool = False
    auto: str | None = None  # name of an automatic check

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if self.type == "scale" and self.scale_max <= self.scale_min:
            raise ValueError(f"scale_max {self.scale_max} must be above scale_min {self.scale_min}")
        if self.auto is not None and self.auto not in CHECKS:
            raise ValueError(f"auto {self.auto!r} is not a check; checks: {', '.join(CHECKS)}")
        return self

    def fraction(self, answer: str) -> float | None:
        """Share of the weight earned; None for not applicable."""
        if answer == "na":
            return None
        if self.type == "yes_no":
            return 1.0 if answer == "yes" else 0.0
        return (float(answer) - self.scale_min) / (self.scale_max - self.scale_min)


class Section(_Model):
    id: str = Field(min_length=1)
    name: str = ""
    items: list[Item] = Field(min_length=1)


class Scorecard(_Model):
    id: str = Field(min_length=1)
    version: int = Field(ge=1)
    name: str = ""
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_items(self) -> Scorecard:
        seen: dict[str, str] = {}
        for si, s in enumerate(self.sections):
            for ii, item in enumerate(s.items):
                where = f"sections[{si}].items[{ii}].id"
                if item.id in seen:
                    raise ValueError(f"{where}: {item.id!r} is already used at {seen[item.id]}")
                seen[item.id] = where
        return self

    def items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]

    def item(self, item_id: str) -> Item:
        for i in self.items():
            if i.id == item_id:
                return i
        raise KeyError(item_id)


def parse_scorecard(data: Any, source: str) -> Scorecard:
    try:
        return Scorecard.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source) from None


def check_answers(card: Scorecard, answers: Mapping[str, str], source: str) -> dict[str, str]:
    """Answers normalised (``yes``/``no``/``na``/number), every item answered, or an InputError."""
    problems: list[Problem] = []
    known = {i.id for i in card.items()}
    problems += [
        Problem(f"answers.{k}", f"no such item in scorecard {card.id} v{card.version}", v)
        for k, v in answers.items()
        if k not in known
    ]
    out: dict[str, str] = {}
    for item in card.items():
        raw = answers.get(item.id)
        path = f"answers.{item.id}"
        if raw is None:
            problems.append(Problem(path, "not answered", None, False))
            continue
        value = str(raw).strip().lower()
        value = {"true": "yes", "false": "no", "n/a": "na", "是": "yes", "否": "no"}.get(
            value, value
        )
        if value == "na":
            if not item.na_allowed:
                problems.append(Problem(path, "this item cannot be not applicable", raw))
            else:
                out[item.id] = "na"
        elif item.type == "yes_no":
            if value not in ("yes", "no"):
                problems.append(Problem(path, "answer yes or no", raw))
            else:
                out[item.id] = value
        else:
            try:
                n = float(value)
            except ValueError:
                n = float("nan")
            if not item.scale_min <= n <= item.scale_max:
                problems.append(
                    Problem(path, f"a number from {item.scale_min} to {item.scale_max}", raw)
                )
            else:
                out[item.id] = f"{n:g}"
    if problems:
        raise InputError(source, problems)
    return out


def item_scores(card: Scorecard, answers: Mapping[str, str]) -> dict[str, float]:
    """Points earned per applicable item (not-applicable items are left out)."""
    out = {}
    for item in card.items():
        f = item.fraction(answers[item.id])
        if f is not None:
            out[item.id] = round(item.weight * f, 4)
    return out


def total(card: Scorecard, answers: Mapping[str, str]) -> float:
    earned = 0.0
    possible = 0.0
    for item in card.items():
        f = item.fraction(answers[item.id])
        if f is None:
            continue
        if item.critical and f == 0.0:
            return 0.0
        earned += item.weight * f
        possible += item.weight
    return round(100 * earned / possible, 2) if possible else 100.0


def prefill(card: Scorecard, result: CallResult) -> dict[str, str]:
    """Answers for items bound to automatic checks: all findings pass -> yes, any fail -> no.

    Checks that could not judge (``unknown``) leave the item for the evaluator.
    """
    out = {}
    for item in card.items():
        if item.auto is None or item.type != "yes_no":
            continue
        statuses = {f.status for f in result.findings if f.check == item.auto}
        if "fail" in statuses:
            out[item.id] = "no"
        elif statuses == {"pass"}:
            out[item.id] = "yes"
    return out
