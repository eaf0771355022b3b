"""Service-time and patience distributions, sampled in bulk."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator


class Dist(BaseModel):
    """A duration distribution in seconds.

    ``exponential`` (``mean_s``), ``lognormal`` (``mean_s`` and ``sd_s`` of the
    duration itself, not of its logarithm), ``fixed`` (``mean_s``), or
    ``empirical`` (resampled uniformly from ``values_s``, e.g. observed talk
    times).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dist: Literal["exponential", "lognormal", "fixed", "empirical"] = "exponential"
    mean_s: float | None = Field(None, gt=0)
    sd_s: float | None = Field(None, gt=0)
    values_s: list[float] | None = None

    @model_validator(mode="after")
    def _parameters(self) -> Dist:
        if self.dist == "empirical":
            if not self.values_s:
                raise ValueError("empirical needs a non-empty values_s list")
            if any(v < 0 for v in self.values_s):
                raise ValueError("values_s must be durations >= 0")
        elif self.mean_s is None:
            raise ValueError(f"{self.dist} needs mean_s")
        if self.dist == "lognormal" and self.sd_s is None:
            raise ValueError("lognormal needs sd_s")
        return self

    def mean(self) -> float:
        if self.dist == "empirical":
            assert self.values_s is not None
            return float(np.mean(self.values_s))
        assert self.mean_s is not None
        return self.mean_s

    def sample_ms(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` durations in whole milliseconds (at least 1 ms)."""
        if self.dist == "exponential":
            assert self.mean_s is not None
            s = rng.exponential(self.mean_s, n)
        elif self.dist == "lognormal":
            assert self.mean_s is not None and self.sd_s is not None
            sigma2 = math.log1p((self.sd_s / self.mean_s) ** 2)
            mu = math.log(self.mean_s) - sigma2 / 2
            s = rng.lognormal(mu, math.sqrt(sigma2), n)
        elif self.dist == "fixed":
            assert self.mean_s is not None
            s = np.full(n, self.mean_s)
        else:
            assert self.values_s is not None
            s = rng.choice(np.asarray(self.values_s, dtype=float), n)
        return np.maximum(np.rint(s * 1000), 1).astype(np.int64)
