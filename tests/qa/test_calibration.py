"""Calibration: Krippendorff's alpha against the published example, bias and outliers."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from helpline.qa.calibration import Rating, calibrate, krippendorff_alpha
from helpline.qa.scorecard import parse_scorecard

from ..conftest import EXAMPLES

CARD = parse_scorecard(yaml.safe_load((EXAMPLES / "qa" / "scorecard.yaml").read_text()), "card")
ALL_YES = {i.id: ("5" if i.type == "scale" else "yes") for i in CARD.items()}
N = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 coders x 12 units example
EXAMPLE = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
)


def test_alpha_matches_the_published_worked_example() -> None:
    assert krippendorff_alpha(EXAMPLE, "nominal") == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(EXAMPLE, "interval") == pytest.approx(0.849, abs=5e-4)


def test_alpha_is_one_for_perfect_agreement_and_undefined_without_variation() -> None:
    assert krippendorff_alpha(np.array([[1, 2, 3], [1, 2, 3]])) == 1
    assert krippendorff_alpha(np.array([[2, 2], [2, 2]])) is None


def ratings() -> list[Rating]:
    out = []
    for c in range(8):
        accuracy = str(2 + c % 4)  # calls of differing quality
        closing = "yes" if c % 3 else "no"
        for e in ("zhang", "li", "wang"):
            out.append(Rating(f"c{c}", e, {**ALL_YES, "accuracy": accuracy, "closing": closing}))
        # a harsh evaluator: always two points lower on empathy (-6) and docks courtesy (-10)
        out.append(
            Rating(
                f"c{c}", "zhao",
                {**ALL_YES, "accuracy": accuracy, "closing": closing,
                 "empathy": "3", "courtesy": "no"},
            )
        )  # fmt: skip
    return out


def test_agreement_bias_and_outliers() -> None:
    cal = calibrate(CARD, ratings())
    assert cal.calls == 8 and cal.evaluators == ["li", "wang", "zhang", "zhao"]
    assert cal.item_alpha["accuracy"] == 1 and cal.item_alpha["closing"] == 1
    assert cal.item_alpha["courtesy"] is not None and cal.item_alpha["courtesy"] < 0.667
    bias = {b.evaluator: b for b in cal.bias}
    assert bias["zhao"].mean == pytest.approx(-16) and bias["zhao"].outlier
    assert not bias["li"].outlier and bias["li"].mean == 0
    # bias-adjusted scores bring zhao back to the others' consensus
    c0 = {e: cal.adjusted[("c0", e)] for e in cal.evaluators}
    assert max(c0.values()) - min(c0.values()) < abs(bias["zhao"].mean)
    assert cal.to_dict()["reliable"] is False or cal.overall_alpha is not None
