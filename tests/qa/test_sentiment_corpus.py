"""The lexicon scorer on a small labelled set of customer turns written for helpline.

Not a benchmark of sentiment analysis in general: a check that the offline
scorer gets the polarity of typical hotline sentences right, in both languages.
"""

from __future__ import annotations

from helpline.qa.sentiment import score

ZH = [
    ("你们怎么又乱扣我话费，太气人了", -1),
    ("我已经打了三次电话了，到底有没有人管", -1),
    ("宽带断了两天了，真的很着急", -1),
    ("这服务也太差了吧，我要投诉", -1),
    ("莫名其妙多了三十块钱", -1),
    ("你们这是骗人", -1),
    ("等了半天还没解决，失望", -1),
    ("我对这个处理结果不满意", -1),
    ("好的，谢谢你，问题解决了", 1),
    ("非常感谢，你们服务很专业", 1),
    ("明白了，很清楚，谢谢", 1),
    ("可以，没问题，辛苦了", 1),
    ("太好了，这下放心了", 1),
    ("不错，挺方便的", 1),
    ("我想查一下这个月的话费", 0),
    ("我的号码是一三八零零一三八零零零", 0),
]
EN = [
    ("This is ridiculous, you overcharged me again", -1),
    ("I've been waiting for three days and nobody fixed it", -1),
    ("I'm really frustrated with this service", -1),
    ("That's unacceptable, I want to make a complaint", -1),
    ("Your app is useless", -1),
    ("I am not happy with the answer", -1),
    ("Great, thanks for your help", 1),
    ("Perfect, that's very helpful", 1),
    ("Okay, I appreciate it, problem solved", 1),
    ("Thank you so much, that's brilliant", 1),
    ("Not bad, it works now, thanks", 1),
    ("I'd like to check my data balance", 0),
    ("My account number is 13800138000", 0),
]


def _accuracy(rows: list[tuple[str, int]], language: str) -> float:
    hits = 0
    for text, label in rows:
        s = score([text], language)
        hits += ((s > 0.1) - (s < -0.1)) == label
    return hits / len(rows)


def test_polarity_on_typical_hotline_turns() -> None:
    assert _accuracy(ZH, "zh") >= 0.85
    assert _accuracy(EN, "en") >= 0.85
