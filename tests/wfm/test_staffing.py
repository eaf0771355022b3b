"""Requirement per interval, and the multi-skill approximation's bounds."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from helpline.wfm.erlang import Targets, required_agents
from helpline.wfm.intervals import IntervalSeries
from helpline.wfm.staffing import QueueLoad, multi_skill, requirement

T = Targets(service_level=0.8, sl_target_s=20)


def test_requirement_uses_interval_aht_and_fills_gaps_with_the_default() -> None:
    starts = tuple(datetime(2026, 11, 23, 9) + timedelta(minutes=30 * i) for i in range(3))
    s = IntervalSeries(starts, np.array([180.0, 180.0, 0.0]), np.array([240.0, np.nan, 300]), 1800)
    need = requirement(s, T, default_aht_s=480.0)
    assert need[0] == required_agents(0.1, 240.0, T)
    assert need[1] == required_agents(0.1, 480.0, T)  # missing AHT: the default
    assert need[2] == 0


def test_multi_skill_estimate_lies_between_pooled_and_dedicated() -> None:
    queues = {
        "billing": QueueLoad(np.array([1.0, 2.0]), 240.0),
        "data": QueueLoad(np.array([0.5, 0.2]), 360.0),
    }
    none = multi_skill(queues, T, flex=0.0)
    full = multi_skill(queues, T, flex=1.0)
    half = multi_skill(queues, T, flex=0.5)
    split = none.dedicated["billing"] + none.dedicated["data"]
    assert np.array_equal(none.estimate, split)
    assert np.array_equal(full.estimate, full.pooled)
    assert np.all(full.pooled < split)  # pooling saves agents
    assert np.all((half.estimate >= full.pooled) & (half.estimate <= split))
    with pytest.raises(ValueError, match="flex"):
        multi_skill(queues, T, flex=2.0)
