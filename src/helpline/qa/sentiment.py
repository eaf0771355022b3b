"""Customer sentiment at the start and at the end of a call, offline.

A lexicon scorer, not a trained model: it needs no download and explains itself,
but it reads words, not tone, and misses irony. Words come from the lexicons in
``helpline/qa/data`` (Chinese segmented with jieba, English split on spaces).
A negator up to three words before (in the same clause) a sentiment word flips it: a negated good
word is bad ("not satisfied"), a negated bad word only mildly good ("not bad" is
not "great"); an intensifier multiplies it by 1.5. The
sum over a window goes through ``tanh(sum / 3)`` so every score lies in (-1, 1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jieba

from .text import skeleton

NEGATORS = {
    "zh": {"不", "没", "没有", "别", "未", "无", "并不", "不是", "不太", "不怎么"},
    "en": {"not", "no", "never", "dont", "doesnt", "didnt", "isnt", "wasnt", "cant",
           "cannot", "wont", "nothing", "nobody", "hardly", "arent", "havent"},
}  # fmt: skip
INTENSIFIERS = {
    "zh": {"很", "非常", "太", "特别", "真", "超", "十分", "实在", "真的"},
    "en": {"very", "really", "so", "extremely", "totally", "absolutely", "too"},
}
WINDOW_TURNS = 2  # customer turns at each end of the call


@dataclass(frozen=True)
class Sentiment:
    start: float
    end: float

    @property
    def change(self) -> float:
        return round(self.end - self.start, 3)


@cache
def lexicon(language: str) -> Mapping[str, float]:
    text = (resources.files("helpline.qa") / "data" / f"sentiment_{language}.txt").read_text(
        encoding="utf-8"
    )
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, weight = line.split("\t")
            out[word] = float(weight)
    return out


@cache
def _zh_tokenizer() -> jieba.Tokenizer:
    # Its own tokenizer, taught the lexicon's words (气人, 扣钱) so they are not
    # split; phrase matching keeps plain jieba segmentation.
    tok = jieba.Tokenizer()
    tok.initialize()
    for word in lexicon("zh"):
        tok.add_word(word)
    return tok


CLAUSE_END = re.compile(r"[，。！？；：,.!?;:…~]+")
BOUNDARY = "|"  # between clauses: a negation never reaches across one


def tokens(text: str, language: str) -> list[str]:
    out: list[str] = []
    for clause in CLAUSE_END.split(text):
        skel = skeleton(clause)[0]
        if not skel:
            continue
        if out:
            out.append(BOUNDARY)
        if language == "zh":
            out += [w for w in _zh_tokenizer().lcut(skel, HMM=False) if w.strip()]
        else:
            out += skel.split()
    return out


def score(texts: Sequence[str], language: str) -> float:
    """Sentiment of some turns in (-1, 1); 0 when no sentiment word is found."""
    lex = lexicon(language)
    neg, inten = NEGATORS[language], INTENSIFIERS[language]
    total = 0.0
    for text in texts:
        toks = tokens(text, language)
        for i, tok in enumerate(toks):
            weight = lex.get(tok)
            boost = 1.0
            if weight is None and language == "zh":
                # jieba keeps some intensified words whole (很着急, 太慢): read them as
                # intensifier + word
                head = next((p for p in inten if tok.startswith(p) and tok[len(p) :] in lex), "")
                if head:
                    weight, boost = lex[tok[len(head) :]], 1.5
            if weight is None:
                continue
            before = toks[max(0, i - 3) : i]
            if BOUNDARY in before:
                before = before[len(before) - before[::-1].index(BOUNDARY) :]
            if sum(b in neg for b in before) % 2:
                weight = -weight if weight > 0 else -0.5 * weight
            if any(b in inten for b in before):
                boost = 1.5
            total += weight * boost
    return round(math.tanh(total / 3), 3)


def customer_sentiment(customer_turns: Sequence[str], language: str) -> Sentiment | None:
    """Start and end sentiment from the first and last customer turns; None if silent."""
    if not customer_turns:
        return None
    k = min(WINDOW_TURNS, max(1, len(customer_turns) // 2))
    return Sentiment(score(customer_turns[:k], language), score(customer_turns[-k:], language))
