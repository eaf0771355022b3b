"""Scorecards: weights, N/A, critical items, auto-bound items, errors naming the item."""

from __future__ import annotations

import pytest
import yaml

from helpline.core.errors import InputError
from helpline.qa.scorecard import check_answers, parse_scorecard, prefill, total

from ..conftest import EXAMPLES
from .helpers import CHECKER, call

CARD = parse_scorecard(yaml.safe_load((EXAMPLES / "qa" / "scorecard.yaml").read_text()), "card")
ALL_YES = {i.id: ("5" if i.type == "scale" else "yes") for i in CARD.items()}


def test_weights_na_and_scales() -> None:
    assert total(CARD, ALL_YES) == 100
    answers = {**ALL_YES, "accuracy": "4", "closing": "no"}  # -6 of accuracy, -5 of closing
    assert total(CARD, answers) == 89
    # not applicable leaves the denominator: 89 of 90 possible
    assert total(CARD, {**answers, "verify": "na", "closing": "yes"}) == pytest.approx(
        100 * 84 / 90, abs=0.01
    )


def test_a_critical_item_zeroes_the_score() -> None:
    assert total(CARD, {**ALL_YES, "no_taboo": "no"}) == 0


def test_answers_are_checked_item_by_item() -> None:
    bad = {**ALL_YES, "accuracy": "7", "greeting": "na", "nope": "yes"}
    del bad["empathy"]
    with pytest.raises(InputError) as exc:
        check_answers(CARD, bad, "answers.yaml")
    text = exc.value.render()
    for expected in (
        "answers.accuracy: a number from 0 to 5 (got '7')",
        "answers.greeting: this item cannot be not applicable (got 'na')",
        "answers.nope: no such item",
        "answers.empathy: not answered",
    ):
        assert expected in text


@pytest.mark.parametrize(
    ("change", "where", "value"),
    [
        ({"weight": 0}, "sections.0.items.0.weight", "0"),
        ({"auto": "smile"}, "sections.0.items.0", "smile"),
        ({"type": "scale", "scale_min": 5, "scale_max": 5}, "sections.0.items.0", "scale_max"),
    ],
)
def test_bad_scorecards_name_the_item_and_field(change: dict, where: str, value: str) -> None:
    data = yaml.safe_load((EXAMPLES / "qa" / "scorecard.yaml").read_text())
    data["sections"][0]["items"][0].update(change)
    with pytest.raises(InputError) as exc:
        parse_scorecard(data, "card.yaml")
    text = exc.value.render().replace("[0]", ".0")
    assert where in text and value in text


def test_duplicate_item_ids_are_named() -> None:
    data = yaml.safe_load((EXAMPLES / "qa" / "scorecard.yaml").read_text())
    data["sections"][1]["items"][0]["id"] = "greeting"
    with pytest.raises(InputError, match=r"sections\[1\]\.items\[0\]\.id: 'greeting'"):
        parse_scorecard(data, "card.yaml")


def test_items_bound_to_checks_are_prefilled_from_the_automatic_results() -> None:
    t = call(
        "zh",
        ("a", 0.5, 3, "您好，8号话务员为您服务，请问有什么可以帮您？"),
        ("c", 3.5, 6, "查话费。"),
        ("a", 6.5, 9, "我不知道。"),
    )
    got = prefill(CARD, CHECKER.check(t))
    assert got["greeting"] == "yes" and got["self_id"] == "yes"
    assert got["no_taboo"] == "no" and got["closing"] == "no"
    assert "accuracy" not in got and "hold" not in got  # people judge these; no hold data
