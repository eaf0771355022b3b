"""Automatic QA checks: transcripts per second on one core, a day of a 300-agent center.

A day of a 300-agent center is about 30,000 calls (100 a day per agent). We
generate that many transcripts (80 % Chinese, 20 % English, 8-20 turns, with
timestamps, holds, and banned phrases or near misses in some calls), then time
``Checker.check`` over all of them in this one process (one core). The goal is
under a minute.

The peer, measured in the same run on the same calls, is the obvious
standard-library baseline for the banned-phrase part only: one ``re``
alternation of every banned phrase and variant per turn, plus
``difflib.SequenceMatcher`` for near misses of the long phrases. Its time is
printed next to ours as a ratio (ours runs ten checks, the peer one).

    .venv/bin/python bench/bench_qa.py [--calls 30000] [--seed 1]
"""

from __future__ import annotations

import argparse
import difflib
import platform
import random
import re
import time

from helpline.qa.checks import Checker, queue_norms
from helpline.qa.rules import default_rules
from helpline.qa.text import phrase_skeleton
from helpline.qa.transcript import Transcript

ZH_AGENT = [
    "您好，很高兴为您服务，我是{n}号话务员，请问有什么可以帮您？",
    "好的，请您提供一下机主姓名和身份证后四位。",
    "正在为您查询，请不要挂机，请稍等。",
    "感谢您的耐心等待，您本月话费为{m}元，其中流量费{k}元。",
    "这个套餐每月{m}元，包含{k}GB国内流量和三百分钟通话。",
    "已经为您办理成功，下个月一号生效。",
    "请问还有其他业务需要咨询吗？",
    "感谢您的来电，祝您生活愉快，再见！",
]
ZH_CUSTOMER = [
    "你好，我想查一下这个月的话费，怎么比上个月多了这么多？",
    "机主是王芳，后四位是{k}{m}。",
    "那流量包能不能退订？我平时用不了那么多。",
    "好的，那帮我换成便宜一点的套餐吧。",
    "我的宽带又断了，已经报修两次了，到底什么时候能修好？",
    "没有了，谢谢，解决了。",
]
ZH_BAD = ["这个不关我啥事啊。", "我不知道。", "你去投诉吧。", "刚才不是告诉你了吗？", "喂，说吧。"]
EN_AGENT = [
    "Hello, thank you for calling, my name is Agent {n}. How can I help you today?",
    "Could you please confirm the account holder's name?",
    "Let me check that for you, one moment please.",
    "Thank you for holding. Your bill this month is {m} yuan.",
    "I have changed your plan; it starts on the first of next month.",
    "Is there anything else I can help you with?",
    "Thank you for calling, have a nice day. Goodbye!",
]
EN_CUSTOMER = [
    "Hi, my bill is much higher than last month, can you check it?",
    "It's in my name, the last four digits are {k}{m}.",
    "Can I cancel the data add-on? I never use it.",
    "Great, thanks, that's very helpful.",
]
EN_BAD = ["Calm dwn, sir.", "I dont know.", "There's nothing I can do.", "That's not my job."]


def make_call(i: int, rng: random.Random) -> Transcript:
    zh = rng.random() < 0.8
    agent, cust, bad = (ZH_AGENT, ZH_CUSTOMER, ZH_BAD) if zh else (EN_AGENT, EN_CUSTOMER, EN_BAD)
    n_turns = rng.randint(8, 20)
    turns = []
    t = rng.randint(500, 4000)
    holds = []
    fill = {"n": rng.randint(1, 300), "m": rng.randint(10, 300), "k": rng.randint(1, 99)}
    for j in range(n_turns):
        speaker = "agent" if j % 2 == 0 else "customer"
        pool = agent if speaker == "agent" else cust
        text = pool[min(j // 2, len(pool) - 1)] if j < 2 else rng.choice(pool)
        if speaker == "agent" and rng.random() < 0.04:
            text = rng.choice(bad) + text
        dur = 1000 + 180 * len(text) + rng.randint(0, 1500)
        turns.append({"speaker": speaker, "start_ms": t, "end_ms": t + dur,
                      "text": text.format(**fill)})  # fmt: skip
        t += dur + rng.randint(200, 2500)
        if speaker == "agent" and rng.random() < 0.05:
            h = rng.randint(5000, 60000)
            holds.append({"start_ms": t, "end_ms": t + h})
            t += h + 300
    return Transcript.model_validate(
        {
            "call_id": f"c{i:06d}",
            "language": "zh" if zh else "en",
            "agent_id": f"a{i % 300:03d}",
            "queue": rng.choice(["billing", "broadband", "plans"]),
            "turns": turns,
            "holds": holds,
        }
    )


def peer_banned(calls: list[Transcript]) -> int:
    phrases = []
    for b in default_rules().banned.phrases:
        phrases += [phrase_skeleton(p) for p in (b.text, *b.variants)]
    alternation = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))
    long = [p for p in phrases if len(p) >= 5]
    hits = 0
    for c in calls:
        for turn in c.turns:
            if turn.speaker != "agent":
                continue
            s = phrase_skeleton(turn.text)
            hits += len(alternation.findall(s))
            for p in long:
                m = difflib.SequenceMatcher(None, p, s).find_longest_match(0, len(p), 0, len(s))
                if m.size >= 0.8 * len(p):
                    hits += 1
    return hits


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    calls = [make_call(i, rng) for i in range(args.calls)]
    turns = sum(len(c.turns) for c in calls)
    rules = default_rules()
    t0 = time.perf_counter()
    checker = Checker(rules, queue_norms(calls, rules.handle_time.min_calls))
    checker.check(calls[0])  # loads jieba's dictionary once, outside the timed loop
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    failed = sum(bool(checker.check(c).failed()) for c in calls)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    peer_banned(calls)
    peer = time.perf_counter() - t0
    print(f"python {platform.python_version()}, {platform.machine()}, one process")
    print(f"{len(calls)} transcripts, {turns} turns; setup (rules, jieba) {setup:.1f} s")
    print(f"ours: all 10 checks       {ours:7.1f} s  {len(calls) / ours:8.0f} transcripts/s")
    print(f"peer: re + difflib, banned {peer:7.1f} s  {len(calls) / peer:8.0f} transcripts/s")
    print(f"ratio (peer time / ours): {peer / ours:.2f}; calls with a failed check: {failed}")
    print(f"goal: {args.calls} calls under 60 s -> {'met' if ours < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
