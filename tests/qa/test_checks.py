"""Every automatic check on real Chinese and English calls, citing turn and time."""

from __future__ import annotations

from helpline.qa.checks import Checker, queue_norms
from helpline.qa.rules import default_rules

from .helpers import CHECKER, call, findings

GOOD_ZH = call(
    "zh",
    ("a", 1.2, 6.8, "您好，很高兴为您服务，我是8号话务员，请问有什么可以帮您？"),
    ("c", 7.3, 13.5, "你好，我这个月话费怎么多扣了三十块钱，莫名其妙的。"),
    ("a", 14.0, 20.0, "非常抱歉，正在为您查询，请不要挂机，请稍等。"),
    ("a", 42.0, 50.0, "感谢您的耐心等待。是您订购的视频会员，已为您退订。"),
    ("c", 50.5, 53.0, "好的，谢谢，解决了。"),
    ("a", 53.5, 57.0, "感谢您的来电，祝您生活愉快，再见！"),
    holds=[(20, 42)],
)
GOOD_EN = call(
    "en",
    ("a", 0.9, 6.0, "Hello, thank you for calling, my name is Anna. How can I help you?"),
    ("c", 6.5, 12.0, "Hi, I was charged twice and I'm really frustrated."),
    ("a", 12.5, 18.0, "I'm sorry. Let me check that for you, one moment please."),
    ("a", 40.0, 48.0, "Thank you for holding. I refunded the duplicate charge."),
    ("c", 48.5, 51.0, "Great, thanks, that's very helpful."),
    ("a", 51.5, 55.0, "Thank you for calling, have a nice day. Goodbye!"),
    holds=[(18, 40)],
)


def test_good_calls_pass_every_check_and_score_100() -> None:
    for t in (GOOD_ZH, GOOD_EN):
        r = CHECKER.check(t)
        assert r.failed() == [], r.to_dict()
        assert r.auto_score == 100


def test_greeting_cites_the_turn_and_time() -> None:
    (f,) = findings(CHECKER.check(GOOD_ZH), "greeting")
    assert (f.status, f.turn, f.at_ms, f.evidence) == ("pass", 0, 1200, "您好")


def test_a_late_or_missing_greeting_fails() -> None:
    late = call("zh", ("c", 0, 12, "喂喂？有人吗？"), ("a", 12.5, 14, "您好，请讲。"))
    (f,) = findings(CHECKER.check(late), "greeting")
    assert f.status == "fail" and f.turn == 1 and f.at_ms == 12500 and "12.5 s" in f.message
    rude = call("en", ("a", 0.5, 1.5, "Yeah? What is it?"), ("c", 2, 4, "My phone is broken."))
    (f,) = findings(CHECKER.check(rude), "greeting")
    assert f.status == "fail" and f.turn == 0 and f.penalty == 10


def test_without_timestamps_timing_checks_say_so_instead_of_guessing() -> None:
    chat = call(
        "zh",
        ("c", None, None, "在吗？我想换套餐"),
        ("a", None, None, "您好，我是客服小李，很高兴为您服务。请问想换哪一档？"),
        ("a", None, None, "感谢您的来电，再见！"),
        channel="chat",
    )
    r = CHECKER.check(chat)
    for check in ("dead_air", "talk_over", "handle_time"):
        (f,) = findings(r, check)
        assert f.status == "unknown" and "no timestamps" in f.message
    (g,) = findings(r, "greeting")
    assert g.status == "pass" and "time not checked" in g.message
    assert r.auto_score == 100


def test_self_identification_in_both_languages() -> None:
    for t in (GOOD_ZH, GOOD_EN):
        (f,) = findings(CHECKER.check(t), "self_identification")
        assert f.status == "pass"
    anon = call("en", ("a", 0, 3, "Hello, how can I help you?"), ("c", 3, 5, "Hi."))
    (f,) = findings(CHECKER.check(anon), "self_identification")
    assert f.status == "fail"


def test_missing_courtesy_phrases_are_named() -> None:
    curt = call(
        "zh",
        ("a", 0.5, 3, "您好，8号话务员。"),
        ("c", 3.5, 6, "查一下话费。"),
        ("a", 6.5, 9, "本月话费五十八元。再见。"),
    )
    failed = {f.detail for f in findings(CHECKER.check(curt), "courtesy", "fail")}
    assert failed == {"请/please", "感谢您的来电/thank you for calling"}


def test_please_inside_pleased_does_not_count_as_please() -> None:
    t = call(
        "en",
        ("a", 0.5, 3, "Hello, my name is Tom, I'm pleased to help."),
        ("c", 3.5, 6, "What's my balance?"),
        ("a", 6.5, 9, "It is 58 yuan. Thank you for calling, goodbye."),
    )
    failed = {f.detail for f in findings(CHECKER.check(t), "courtesy", "fail")}
    assert failed == {"请/please"}


def test_banned_phrases_and_their_variants_in_chinese_cite_the_turn() -> None:
    t = call(
        "zh",
        ("a", 0.5, 2, "喂，说吧。"),
        ("c", 2.5, 8, "宽带又断了，你们到底管不管？"),
        ("a", 8.5, 11, "这个不关我啥事啊。"),
        ("a", 11.5, 13, "我不知道什么时候修好。"),
        ("c", 13.5, 15, "我要投诉你！"),
        ("a", 15.5, 17, "你去投诉吧。"),
    )
    found = findings(CHECKER.check(t), "banned_phrase")
    got = [(f.turn, f.at_ms, f.detail, f.evidence) for f in found]
    assert got == [
        (0, 500, "喂", "喂"),
        (2, 8500, "不关我的事", "不关我啥事"),
        (3, 11500, "我不知道", "我不知道"),  # once, not also as 不知道
        (5, 15500, "你去投诉好了", "你去投诉吧"),
    ]


def test_banned_phrases_in_english_including_a_typo() -> None:
    t = call(
        "en",
        ("a", 0.5, 4, "Hello, my name is Bo. Sir, calm dwn."),
        ("a", 4.5, 8, "I dont know, there's nothing I can do."),
    )
    got = {f.detail for f in findings(CHECKER.check(t), "banned_phrase")}
    assert got == {"calm down", "i don't know", "there's nothing i can do"}


def test_polite_agent_is_not_flagged_for_lookalike_phrases() -> None:
    t = call(
        "zh",
        ("a", 0.5, 4, "您好，8号话务员为您服务。您不知道密码也没关系，请稍等我帮您重置。"),
        ("a", 4.5, 8, "绝对值不是问题。Can I help you with anything else?"),
    )
    assert findings(CHECKER.check(t), "banned_phrase", "fail") == []


def test_a_critical_money_promise_zeroes_the_auto_score() -> None:
    t = call(
        "zh",
        ("a", 0.5, 4, "您好，8号话务员为您服务，请问有什么可以帮您？"),
        ("a", 4.5, 8, "放心，钱已打款，感谢您的来电，再见。"),
    )
    r = CHECKER.check(t)
    assert [f.detail for f in findings(r, "banned_phrase", "fail")] == ["已打款"]
    assert r.auto_score == 0


def test_closing_must_be_in_the_last_agent_turns() -> None:
    abrupt = call(
        "en",
        ("a", 0, 2, "Hello, thank you for calling."),
        ("c", 2, 4, "Cancel my roaming."),
        ("a", 4, 6, "Okay."),
        ("a", 6, 8, "It's done."),
    )
    (f,) = findings(CHECKER.check(abrupt), "closing")
    assert f.status == "fail" and f.turn == 3


def test_dead_air_outside_holds_is_reported_where_it_starts() -> None:
    t = call(
        "zh",
        ("a", 0.5, 3, "您好，请讲。"),
        ("c", 3.5, 6, "我查一下积分。"),
        ("a", 20.0, 23, "您的积分是三千分。"),
    )
    (f,) = findings(CHECKER.check(t), "dead_air")
    assert f.status == "fail" and f.turn == 2 and f.at_ms == 6000 and "14.0 s" in f.message
    # the same gap during an announced hold is not dead air
    held = call(
        "zh",
        ("a", 0.5, 3, "您好，请讲。"),
        ("c", 3.5, 6, "我查一下积分。"),
        ("a", 20.0, 23, "您的积分是三千分。"),
        holds=[(6, 19)],
    )
    assert findings(CHECKER.check(held), "dead_air")[0].status == "pass"


def test_a_long_hold_must_be_announced() -> None:
    for t in (GOOD_ZH, GOOD_EN):
        (f,) = findings(CHECKER.check(t), "hold")
        assert f.status == "pass" and f.evidence
    silent = call(
        "en",
        ("a", 0.5, 3, "Hello, my name is Jo."),
        ("c", 3.5, 6, "Can you check my bill?"),
        ("a", 6.5, 8, "Sure."),
        ("a", 70.0, 73, "Thank you for holding, it is fixed."),
        holds=[(8, 70)],
    )
    (f,) = findings(CHECKER.check(silent), "hold")
    assert f.status == "fail" and f.turn == 2 and f.at_ms == 8000 and "62 s" in f.message
    (unknown,) = findings(CHECKER.check(call("en", ("a", 0, 2, "Hello."))), "hold")
    assert unknown.status == "unknown"


def test_talking_over_the_customer() -> None:
    t = call(
        "zh",
        ("a", 0.5, 3, "您好，请讲。"),
        ("c", 3.5, 12, "我上个月就说了这个问题，你们一直没处理，我现在……"),
        ("a", 8.0, 11, "您先听我说。"),  # starts 4 s before the customer finishes
    )
    (f,) = findings(CHECKER.check(t), "talk_over")
    assert f.status == "fail" and f.turn == 2 and f.at_ms == 8000
    backchannel = call(
        "en",
        ("c", 0, 8, "So I moved house last week and the router stopped working"),
        ("a", 5.0, 5.4, "Mm-hm."),  # 0.4 s: listening, not talking over
    )
    assert findings(CHECKER.check(backchannel), "talk_over")[0].status == "pass"


def test_handle_time_far_outside_the_queue_norm() -> None:
    normal = [
        call("zh", ("a", 0, 200 + 5 * i, "您好"), call_id=f"n{i}", queue="billing")
        for i in range(30)
    ]
    long = call("zh", ("a", 0, 1500, "您好"), call_id="long", queue="billing")
    norms = queue_norms([*normal, long], min_calls=20)
    checker = Checker(default_rules(), norms)
    (f,) = findings(checker.check(long), "handle_time")
    assert f.status == "fail" and f.at_ms == 1_500_000 and "1500 s" in f.message
    assert findings(checker.check(normal[3]), "handle_time")[0].status == "pass"
    other = call("zh", ("a", 0, 900, "您好"), queue="broadband")
    assert findings(checker.check(other), "handle_time")[0].status == "unknown"


def test_customer_sentiment_start_and_end_in_both_languages() -> None:
    for t in (GOOD_ZH, GOOD_EN):
        r = CHECKER.check(t)
        assert r.sentiment is not None and r.sentiment.start < 0 < r.sentiment.end
    worse = call(
        "en",
        ("c", 0, 3, "Hi, I have a question about my plan."),
        ("a", 3, 5, "Hello, you'll have to call back."),
        ("c", 5, 8, "That is ridiculous, I'm really angry, this is the worst service."),
    )
    r = CHECKER.check(worse)
    assert r.sentiment is not None and r.sentiment.end < r.sentiment.start
    assert findings(r, "sentiment")[0].status == "fail"
    assert r.to_dict()["customer_sentiment"] == {"start": r.sentiment.start, "end": r.sentiment.end}
