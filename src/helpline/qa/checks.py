"""Automatic checks run on every call, each finding citing the turn and time.

:class:`Checker` is built once from :class:`~helpline.qa.rules.Rules` (phrase
automata are compiled then) and applied to each transcript. A finding is
``pass``, ``fail`` or ``unknown``; ``unknown`` says which data was missing
(timestamps for a chat transcript, hold times, a queue norm) rather than guessing,
and never costs points. ``auto_score`` is 100 minus the penalties of the failed
findings, floored at 0; a critical banned phrase (an unauthorised money
promise) scores 0.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .phrases import Match, Phrase, PhraseMatcher
from .rules import Norm as QueueNorm
from .rules import Rules
from .sentiment import Sentiment, customer_sentiment
from .text import Norm, is_cjk
from .transcript import Transcript, Turn

Status = Literal["pass", "fail", "unknown"]
CHECKS = (
    "greeting", "self_identification", "courtesy", "banned_phrase", "closing",
    "dead_air", "hold", "talk_over", "handle_time", "sentiment",
)  # fmt: skip
MAD_TO_SD = 1.4826  # MAD of a normal distribution times this is its standard deviation


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    message: str
    turn: int | None = None  # index into the transcript's turns, from 0
    at_ms: int | None = None  # time in the call the finding refers to
    evidence: str = ""  # the words as said
    penalty: float = 0.0
    detail: str = ""  # e.g. the courtesy group or the banned phrase

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "status": self.status}
        if self.detail:
            out["detail"] = self.detail
        out["message"] = self.message
        out["turn"] = self.turn
        out["at_ms"] = self.at_ms
        if self.evidence:
            out["evidence"] = self.evidence
        if self.penalty:
            out["penalty"] = self.penalty
        return out


@dataclass(frozen=True)
class CallResult:
    call_id: str
    agent_id: str | None
    queue: str | None
    language: str
    findings: tuple[Finding, ...]
    auto_score: float
    sentiment: Sentiment | None

    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "fail"]

    def to_dict(self) -> dict[str, Any]:
        senti = (
            {"start": self.sentiment.start, "end": self.sentiment.end} if self.sentiment else None
        )
        return {
            "call_id": self.call_id,
            "agent_id": self.agent_id,
            "queue": self.queue,
            "language": self.language,
            "auto_score": self.auto_score,
            "customer_sentiment": senti,
            "failed": sorted({f.check for f in self.failed()}),
            "findings": [f.to_dict() for f in self.findings],
        }


def queue_norms(transcripts: Iterable[Transcript], min_calls: int) -> dict[str, QueueNorm]:
    """Median and MAD of handle time per queue, for queues with enough timed calls."""
    by_queue: dict[str, list[float]] = defaultdict(list)
    for t in transcripts:
        h = t.handle_ms()
        if t.queue is not None and h is not None:
            by_queue[t.queue].append(h / 1000)
    out = {}
    for q, xs in by_queue.items():
        if len(xs) >= min_calls:
            med = statistics.median(xs)
            mad = statistics.median(abs(x - med) for x in xs)
            if med > 0 and mad > 0:
                out[q] = QueueNorm(median_s=med, mad_s=mad)
    return out


@dataclass
class _Lang:
    positive: PhraseMatcher  # greeting, courtesy groups, closing, hold notice
    banned: PhraseMatcher
    self_id: list[re.Pattern[str]]


@dataclass
class Checker:
    rules: Rules
    norms: Mapping[str, QueueNorm] = field(default_factory=dict)
    _langs: dict[str, _Lang] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        r = self.rules
        self._langs = {}
        for lang in ("zh", "en"):
            pos: list[Phrase] = []
            pos += [Phrase(p, group="greeting") for p in r.greeting.phrases.of(lang)]
            for g in r.courtesy.required:
                pos += [Phrase(p, group=f"courtesy:{g.name}") for p in g.of(lang)]
            pos += [Phrase(p, group="closing") for p in r.closing.phrases.of(lang)]
            pos += [Phrase(p, group="notice") for p in r.hold.notice.of(lang)]
            banned = [
                Phrase(
                    b.text, tuple(b.variants), tuple(b.exceptions), b.whole_word, b.fuzzy,
                    group="banned", severity=b.severity, source=b.source,
                )
                for b in r.banned.phrases
                if is_cjk(b.text[0]) == (lang == "zh")
            ]  # fmt: skip
            self._langs[lang] = _Lang(
                PhraseMatcher(pos),
                PhraseMatcher(banned, r.banned.fuzzy_threshold, r.banned.fuzzy_min_len),
                [re.compile(p, re.IGNORECASE) for p in r.self_identification.patterns.of(lang)],
            )

    def check(self, t: Transcript) -> CallResult:
        lang = self._langs[t.language]
        agent = [(i, turn) for i, turn in enumerate(t.turns) if turn.speaker == "agent"]
        norms = {i: Norm(turn.text) for i, turn in agent}
        said = {i: lang.positive.find(norms[i]) for i, _ in agent}
        findings: list[Finding] = []
        findings.append(self._greeting(t, agent, said))
        findings.append(self._self_id(agent, lang))
        findings += self._courtesy(t, agent, said)
        findings += self._banned(agent, norms, lang)
        findings.append(self._closing(agent, said))
        findings += self._dead_air(t)
        findings += self._holds(t, agent, said)
        findings.append(self._talk_over(t))
        findings.append(self._handle_time(t))
        senti = customer_sentiment([x.text for x in t.turns if x.speaker == "customer"], t.language)
        findings.append(self._sentiment(senti))
        return CallResult(
            t.call_id, t.agent_id, t.queue, t.language, tuple(findings), _score(findings), senti
        )

    # --- phrase checks -------------------------------------------------------------

    def _greeting(
        self, t: Transcript, agent: list[tuple[int, Turn]], said: dict[int, list[Match]]
    ) -> Finding:
        rule = self.rules.greeting
        if not agent:
            return Finding(
                "greeting", "fail", "坐席未发言 the agent never spoke", penalty=rule.penalty
            )
        first_i = agent[0][0]
        for i, turn in agent:
            hit = _first(said[i], "greeting")
            if hit is None:
                continue
            if turn.start_ms is None:
                if i == first_i:
                    return Finding(
                        "greeting", "pass",
                        "首句问候 greeted in the agent's first turn "
                        "(no timestamps: time not checked)",
                        i, None, hit.quote,
                    )  # fmt: skip
                break
            after_s = turn.start_ms / 1000  # turn times count from the start of the call
            if after_s <= rule.within_s:
                return Finding(
                    "greeting",
                    "pass",
                    f"{after_s:.1f} 秒问候 greeted at {after_s:.1f} s",
                    i,
                    turn.start_ms,
                    hit.quote,
                )
            return Finding(
                "greeting", "fail",
                f"问候过晚 greeted at {after_s:.1f} s, later than {rule.within_s:g} s",
                i, turn.start_ms, hit.quote, rule.penalty,
            )  # fmt: skip
        return Finding(
            "greeting", "fail", "首句无问候 no greeting in the agent's first turn",
            first_i, agent[0][1].start_ms, agent[0][1].text[:40], rule.penalty,
        )  # fmt: skip

    def _self_id(self, agent: list[tuple[int, Turn]], lang: _Lang) -> Finding:
        rule = self.rules.self_identification
        for i, turn in agent[: rule.within_turns]:
            for pat in lang.self_id:
                m = pat.search(turn.text)
                if m:
                    return Finding(
                        "self_identification", "pass", "已报工号 the agent said who they are",
                        i, turn.start_ms, m.group(0),
                    )  # fmt: skip
        return Finding(
            "self_identification", "fail",
            f"未报工号 no name or agent number in the agent's first {rule.within_turns} turns",
            agent[0][0] if agent else None, agent[0][1].start_ms if agent else None,
            penalty=rule.penalty,
        )  # fmt: skip

    def _courtesy(
        self, t: Transcript, agent: list[tuple[int, Turn]], said: dict[int, list[Match]]
    ) -> list[Finding]:
        rule = self.rules.courtesy
        out = []
        for g in rule.required:
            if g.when == "hold" and not t.holds:
                if t.holds is None and t.channel == "voice":
                    out.append(
                        Finding(
                            "courtesy",
                            "unknown",
                            "无保持记录 no hold data: not checked",
                            detail=g.name,
                        )
                    )
                continue
            hit = next(
                ((i, m) for i, _ in agent if (m := _first(said[i], f"courtesy:{g.name}"))), None
            )
            if hit is None:
                out.append(
                    Finding(
                        "courtesy",
                        "fail",
                        f"未使用 never said {g.name}",
                        penalty=rule.penalty,
                        detail=g.name,
                    )
                )
            else:
                i, m = hit
                out.append(
                    Finding(
                        "courtesy",
                        "pass",
                        f"已使用 said {m.quote!r}",
                        i,
                        t.turns[i].start_ms,
                        m.quote,
                        detail=g.name,
                    )
                )
        return out

    def _banned(
        self, agent: list[tuple[int, Turn]], norms: dict[int, Norm], lang: _Lang
    ) -> list[Finding]:
        rule = self.rules.banned
        out = []
        for i, turn in agent:
            for m in _outermost(lang.banned.find(norms[i])):
                critical = m.phrase.severity == "critical"
                penalty = rule.critical_penalty if critical else rule.penalty
                if m.phrase.severity == "minor":
                    penalty = rule.penalty / 3
                how = (
                    "服务禁语 said"
                    if m.exact
                    else f"疑似禁语 said a near miss ({m.similarity:g}% similar) of"
                )
                out.append(
                    Finding(
                        "banned_phrase",
                        "fail",
                        f"{how} {m.phrase.severity} banned phrase {m.phrase.text!r} "
                        f"[{m.phrase.source}]",
                        i,
                        turn.start_ms,
                        m.quote,
                        round(penalty, 2),
                        m.phrase.text,
                    )
                )
        if not out:
            out.append(Finding("banned_phrase", "pass", "无服务禁语 no banned phrase"))
        return out

    def _closing(self, agent: list[tuple[int, Turn]], said: dict[int, list[Match]]) -> Finding:
        rule = self.rules.closing
        for i, turn in reversed(agent[-rule.last_turns :]):
            hit = _first(said[i], "closing")
            if hit:
                return Finding(
                    "closing", "pass", "结束语规范 closed properly", i, turn.start_ms, hit.quote
                )
        last = agent[-1] if agent else None
        return Finding(
            "closing", "fail",
            f"无结束语 no closing phrase in the agent's last {rule.last_turns} turns",
            last[0] if last else None, last[1].start_ms if last else None, penalty=rule.penalty,
        )  # fmt: skip

    # --- timing checks -------------------------------------------------------------

    def _dead_air(self, t: Transcript) -> list[Finding]:
        rule = self.rules.dead_air
        if not t.timed:
            return [
                Finding("dead_air", "unknown", "无时间戳 no timestamps: silence cannot be measured")
            ]
        holds = [(h.start_ms, h.end_ms) for h in t.holds or ()]
        order = sorted(range(len(t.turns)), key=lambda i: t.turns[i].start_ms or 0)
        out: list[Finding] = []
        heard_until = t.turns[order[0]].start_ms or 0
        for i in order:
            turn = t.turns[i]
            s, e = turn.start_ms or 0, turn.end_ms or 0
            silent = _minus(heard_until, s, holds)
            if silent > rule.max_s * 1000:
                out.append(
                    Finding(
                        "dead_air",
                        "fail",
                        f"静音过长 {silent / 1000:.1f} s of silence "
                        f"(over {rule.max_s:g} s) before turn {i}",
                        i,
                        heard_until,
                        penalty=rule.penalty if not out else 0.0,
                    )
                )
            heard_until = max(heard_until, e)
        return out or [
            Finding("dead_air", "pass", f"无长时间静音 no silence over {rule.max_s:g} s")
        ]

    def _holds(
        self, t: Transcript, agent: list[tuple[int, Turn]], said: dict[int, list[Match]]
    ) -> list[Finding]:
        rule = self.rules.hold
        if t.holds is None:
            if t.channel != "voice":
                return []
            return [Finding("hold", "unknown", "无保持记录 no hold data: not checked")]
        out = []
        for h in t.holds:
            secs = (h.end_ms - h.start_ms) / 1000
            if secs <= rule.announce_over_s:
                continue
            before = [(i, x) for i, x in agent if (x.start_ms or 0) <= h.start_ms]
            told = next(
                ((i, m) for i, _ in reversed(before[-2:]) if (m := _first(said[i], "notice"))),
                None,
            )
            if told:
                i, m = told
                out.append(
                    Finding(
                        "hold",
                        "pass",
                        f"保持前已告知 {secs:.0f} s hold announced",
                        i,
                        h.start_ms,
                        m.quote,
                    )
                )
            else:
                out.append(
                    Finding(
                        "hold",
                        "fail",
                        f"保持未告知 {secs:.0f} s hold without telling the caller",
                        before[-1][0] if before else None,
                        h.start_ms,
                        penalty=0.0 if _failed(out) else rule.penalty,
                    )
                )
        return out or [
            Finding("hold", "pass", f"无长时间保持 no hold over {rule.announce_over_s:g} s")
        ]

    def _talk_over(self, t: Transcript) -> Finding:
        rule = self.rules.talk_over
        if not t.timed:
            return Finding(
                "talk_over", "unknown", "无时间戳 no timestamps: overlap cannot be measured"
            )
        cust = [x for x in t.turns if x.speaker == "customer"]
        hits: list[tuple[int, int]] = []
        for i, a in enumerate(t.turns):
            if a.speaker != "agent":
                continue
            a0, a1 = a.start_ms or 0, a.end_ms or 0
            for c in cust:
                c0, c1 = c.start_ms or 0, c.end_ms or 0
                if c0 < a0 < c1 and min(a1, c1) - a0 >= rule.min_overlap_ms:
                    hits.append((i, a0))
                    break
        if len(hits) > rule.max_count:
            turns = ", ".join(str(i) for i, _ in hits)
            return Finding(
                "talk_over", "fail",
                f"抢话 talked over the customer {len(hits)} times (turns {turns})",
                hits[0][0], hits[0][1], penalty=rule.penalty,
            )  # fmt: skip
        return Finding("talk_over", "pass", f"未抢话 talked over the customer {len(hits)} times")

    def _handle_time(self, t: Transcript) -> Finding:
        rule = self.rules.handle_time
        h = t.handle_ms()
        if h is None:
            return Finding("handle_time", "unknown", "无时间戳 no timestamps: handle time unknown")
        norm = rule.norms.get(t.queue or "") or self.norms.get(t.queue or "")
        if norm is None:
            return Finding(
                "handle_time",
                "unknown",
                f"无时长基准 no handle-time norm for queue {t.queue!r}",
                at_ms=h,
            )
        z = (h / 1000 - norm.median_s) / (MAD_TO_SD * norm.mad_s)
        text = (
            f"通话时长 handle time {h / 1000:.0f} s, "
            f"queue median {norm.median_s:.0f} s (z {z:+.1f})"
        )
        if abs(z) > rule.max_z:
            return Finding("handle_time", "fail", text, at_ms=h, penalty=rule.penalty)
        return Finding("handle_time", "pass", text, at_ms=h)

    def _sentiment(self, s: Sentiment | None) -> Finding:
        rule = self.rules.sentiment
        if s is None:
            return Finding("sentiment", "unknown", "客户未发言 the customer said nothing")
        text = f"客户情绪 customer sentiment {s.start:+.2f} at the start, {s.end:+.2f} at the end"
        if s.end < 0 and s.end < s.start - rule.drop:
            return Finding("sentiment", "fail", text, penalty=rule.penalty)
        return Finding("sentiment", "pass", text)


def _outermost(matches: list[Match]) -> list[Match]:
    """Drop a match lying inside a longer one: 我不知道 is one fault, not two."""
    return [
        m
        for m in matches
        if not any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in matches
        )
    ]


def _failed(findings: list[Finding]) -> bool:
    return any(f.status == "fail" for f in findings)


def _first(matches: list[Match], group: str) -> Match | None:
    return next((m for m in matches if m.phrase.group == group), None)


def _minus(a: int, b: int, holds: list[tuple[int, int]]) -> int:
    """Length of [a, b) not covered by any hold."""
    if b <= a:
        return 0
    covered = sum(max(0, min(b, e) - max(a, s)) for s, e in holds)
    return max(0, b - a - covered)


def _score(findings: list[Finding]) -> float:
    return round(max(0.0, 100.0 - sum(f.penalty for f in findings if f.status == "fail")), 2)
