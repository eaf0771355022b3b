"""Rules for the automatic checks, as data (YAML), with the package defaults.

Validation errors name the field path and the bad value
(``banned.phrases[3].severity``). The default file ships in
``helpline/qa/data/rules.yaml``; its phrase lists carry their sources.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..core.errors import InputError, from_validation_error

Language = Literal["zh", "en"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ByLanguage(_Model):
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    def of(self, language: str) -> list[str]:
        return self.zh if language == "zh" else self.en


class Greeting(_Model):
    within_s: float = Field(10.0, gt=0)
    penalty: float = Field(10.0, ge=0)
    phrases: ByLanguage


class SelfIdentification(_Model):
    within_turns: int = Field(3, ge=1)
    penalty: float = Field(5.0, ge=0)
    patterns: ByLanguage

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, v: ByLanguage) -> ByLanguage:
        for lang in ("zh", "en"):
            for p in v.of(lang):
                try:
                    re.compile(p)
                except re.error as exc:
                    raise ValueError(f"{lang}: {p!r} is not a regular expression: {exc}") from None
        return v


class RequiredGroup(ByLanguage):
    name: str = Field(min_length=1)
    when: Literal["always", "hold"] = "always"


class Courtesy(_Model):
    penalty: float = Field(5.0, ge=0)
    required: list[RequiredGroup] = Field(default_factory=list)


class Closing(_Model):
    last_turns: int = Field(2, ge=1)
    penalty: float = Field(5.0, ge=0)
    phrases: ByLanguage


class HoldRule(_Model):
    announce_over_s: float = Field(15.0, ge=0)
    penalty: float = Field(10.0, ge=0)
    notice: ByLanguage
    thanks_after: ByLanguage = ByLanguage()


class DeadAir(_Model):
    max_s: float = Field(10.0, gt=0)
    penalty: float = Field(5.0, ge=0)


class TalkOver(_Model):
    min_overlap_ms: int = Field(800, ge=0)
    max_count: int = Field(1, ge=0)
    penalty: float = Field(5.0, ge=0)


class Norm(_Model):
    median_s: float = Field(gt=0)
    mad_s: float = Field(gt=0)


class HandleTime(_Model):
    max_z: float = Field(3.5, gt=0)
    min_calls: int = Field(20, ge=2)
    penalty: float = Field(0.0, ge=0)
    norms: dict[str, Norm] = Field(default_factory=dict)


class SentimentRule(_Model):
    drop: float = Field(0.3, ge=0, le=2)
    penalty: float = Field(0.0, ge=0)


class BannedPhrase(_Model):
    text: str = Field(min_length=1)
    source: str = ""
    severity: Literal["minor", "major", "critical"] = "major"
    fuzzy: bool = False
    whole_word: bool | None = None
    variants: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)


class Banned(_Model):
    penalty: float = Field(15.0, ge=0)
    critical_penalty: float = Field(100.0, ge=0)
    fuzzy_threshold: float = Field(80.0, gt=0, le=100)
    fuzzy_min_len: int = Field(5, ge=2)
    phrases: list[BannedPhrase] = Field(default_factory=list)


class Rules(_Model):
    version: int = Field(1, ge=1)
    greeting: Greeting
    self_identification: SelfIdentification
    courtesy: Courtesy
    closing: Closing
    hold: HoldRule
    dead_air: DeadAir = DeadAir()
    talk_over: TalkOver = TalkOver()
    handle_time: HandleTime = HandleTime()
    sentiment: SentimentRule = SentimentRule()
    banned: Banned = Banned()


def parse_rules(data: Any, source: str) -> Rules:
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source) from None


@cache
def default_rules() -> Rules:
    text = (resources.files("helpline.qa") / "data" / "rules.yaml").read_text(encoding="utf-8")
    return parse_rules(yaml.safe_load(text), "helpline/qa/data/rules.yaml")


__all__ = ["InputError", "Rules", "default_rules", "parse_rules"]
