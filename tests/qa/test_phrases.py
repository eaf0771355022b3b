"""Phrase matching: whole words in Chinese and English, variants, exceptions, near misses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.qa.phrases import Phrase, PhraseMatcher
from helpline.qa.rules import default_rules
from helpline.qa.text import Norm, is_cjk, skeleton

COURTESY = PhraseMatcher([Phrase("请"), Phrase("您好"), Phrase("please"), Phrase("hello")])


def said(m: PhraseMatcher, text: str) -> list[str]:
    return [x.phrase.text for x in m.find(Norm(text))]


@pytest.mark.parametrize(
    "text",
    [
        "您的申请已经受理",  # 请 inside 申请
        "我们邀请您参加活动",  # 请 inside 邀请
        "您的请求已提交",  # 请 inside 请求
        "您好像还没有开通这个业务",  # 您好 inside 您好像
        "I'm pleased to tell you it's done",  # please inside pleased
        "we displeased nobody",
        "Othello is a play",  # hello inside Othello
    ],
)
def test_polite_words_inside_longer_words_do_not_count(text: str) -> None:
    assert said(COURTESY, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("您好，请您稍等", ["您好", "请"]),
        ("好的，请讲。", ["请"]),
        ("Hello! Please hold.", ["hello", "please"]),
        ("ＨＥＬＬＯ，ｐｌｅａｓｅ", ["hello", "please"]),  # full-width input
    ],
)
def test_courtesy_phrases_are_found_as_whole_words(text: str, expected: list[str]) -> None:
    assert said(COURTESY, text) == expected


BANNED = PhraseMatcher(
    [
        Phrase("不知道", exceptions=("您不知道",)),
        Phrase("不关我的事", variants=("不关我事",), fuzzy=True),
        Phrase("calm down", fuzzy=True),
        Phrase("i can't help you", fuzzy=True),
        Phrase("i don't know", variants=("i do not know",)),
    ]
)


@pytest.mark.parametrize(
    ("text", "phrase", "quote"),
    [
        ("这 不 关 我 的 事！", "不关我的事", "不 关 我 的 事"),  # spaced out
        ("这个不关我事", "不关我的事", "不关我事"),  # listed variant
        ("这个不关我啥事啊", "不关我的事", "不关我啥事"),  # near miss, one character off
        ("那不关我的是", "不关我的事", "不关我的是"),  # ASR homophone 事→是
        ("Sir, CALM   DOWN.", "calm down", "CALM   DOWN"),
        ("please calm dwn", "calm down", "calm dwn"),  # typo
        ("I dont know", "i don't know", "I dont know"),  # apostrophe dropped
        ("I do not know.", "i don't know", "I do not know"),
    ],
)
def test_banned_phrase_variants_are_caught(text: str, phrase: str, quote: str) -> None:
    found = BANNED.find(Norm(text))
    assert [(m.phrase.text, m.quote) for m in found] == [(phrase, quote)]


@pytest.mark.parametrize(
    "text",
    [
        "您不知道密码也没关系，我帮您重置",  # the customer not knowing is not a taboo
        "Can I help you with anything else?",  # same letters as "I can't help you"
        "It calmed down after the storm",
        "我关注的是您的事情",
    ],
)
def test_near_misses_that_are_not_banned_do_not_count(text: str) -> None:
    assert BANNED.find(Norm(text)) == []


def test_near_misses_report_their_similarity() -> None:
    (m,) = BANNED.find(Norm("这个不关我啥事啊"))
    assert not m.exact and 80 <= m.similarity < 100


def test_skeleton_maps_back_to_the_original_words() -> None:
    skel, where = skeleton("Hi,  I DON'T know！")
    assert skel == "hi i dont know"
    assert len(where) == len(skel)


DEFAULT_BANNED_ZH = [
    p.text for p in default_rules().banned.phrases if is_cjk(p.text[0]) and len(p.text) >= 3
]
SEPARATORS = st.sampled_from([" ", "  ", "，", "、", "…", "！", "\u3000"])


@settings(max_examples=60, deadline=None)
@given(
    phrase=st.sampled_from(DEFAULT_BANNED_ZH),
    seps=st.lists(SEPARATORS, min_size=12, max_size=12),
    before=st.sampled_from(["", "这个", "那", "喂，"]),
)
def test_spacing_or_punctuation_inside_a_banned_phrase_does_not_hide_it(
    phrase: str, seps: list[str], before: str
) -> None:
    spaced = "".join(ch + seps[i] for i, ch in enumerate(phrase[:-1])) + phrase[-1]
    matcher = PhraseMatcher([Phrase(phrase)])
    assert [m.phrase.text for m in matcher.find(Norm(before + spaced + "。"))] == [phrase]


@settings(max_examples=60, deadline=None)
@given(
    left=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=4),
    word=st.sampled_from(["please", "hello", "hi", "bye"]),
)
def test_english_phrases_glued_to_other_letters_never_count(left: str, word: str) -> None:
    m = PhraseMatcher([Phrase(word)])
    assert m.find(Norm(f"{left}{word} and {word}{left}")) == []
