"""The offline lexicon scorer: polarity, negation and intensifiers in zh and en."""

from __future__ import annotations

import pytest

from helpline.qa.sentiment import customer_sentiment, score


@pytest.mark.parametrize(
    ("text", "language", "sign"),
    [
        ("你们乱扣费，我要投诉！", "zh", -1),
        ("好的，谢谢，问题解决了", "zh", 1),
        ("我对这个处理不满意", "zh", -1),
        ("我不是很满意", "zh", -1),  # negated positive is negative
        ("This is ridiculous, I was overcharged", "en", -1),
        ("Great, thanks for your help", "en", 1),
        ("I am not happy with this", "en", -1),
        ("我查一下余额", "zh", 0),
        ("What is my balance", "en", 0),
    ],
)
def test_polarity(text: str, language: str, sign: int) -> None:
    s = score([text], language)
    assert (s > 0) - (s < 0) == sign


def test_a_negated_bad_word_is_only_mildly_good_and_intensifiers_strengthen() -> None:
    assert 0 < score(["not bad"], "en") < score(["great"], "en")
    assert score(["很满意"], "zh") > score(["满意"], "zh") > 0
    assert score(["really angry"], "en") < score(["angry"], "en") < 0


def test_start_and_end_windows() -> None:
    turns = ["你们又乱扣我钱，太气人了", "号码是138", "好的", "谢谢，解决了，很满意"]
    s = customer_sentiment(turns, "zh")
    assert s is not None and s.start < 0 < s.end and s.change > 0
    assert customer_sentiment([], "en") is None
