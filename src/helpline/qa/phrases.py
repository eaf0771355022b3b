"""Finding listed phrases in a turn: exact (Aho-Corasick) and near misses (rapidfuzz).

Every phrase, its written variants and its exceptions go into one Aho-Corasick
automaton over skeletons (see :mod:`helpline.qa.text`), so a turn is scanned
once whatever the list length. A hit counts only if it is a whole word
(short Chinese phrases are checked against jieba's segmentation; Latin ones
must not run on into letters) and no exception of that phrase covers it
(``您不知道`` is not the taboo ``不知道``).

Near misses (ASR homophones such as 不关我的是, typos such as "calm dwn") are
found with ``rapidfuzz.fuzz.partial_ratio_alignment`` for phrases long enough
for a similarity score to mean something; for English the aligned words must
then match one by one, so word order and negations still count. A bigram
pre-filter keeps this cheap: a phrase is only scored against a turn that shares
enough of its character bigrams.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import ahocorasick
from rapidfuzz import fuzz

from .text import Norm, is_cjk, phrase_skeleton


@dataclass(frozen=True)
class Phrase:
    text: str
    variants: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    whole_word: bool | None = None  # None: only for phrases of one or two Chinese characters
    fuzzy: bool = False
    group: str = ""
    severity: str = "major"
    source: str = ""


@dataclass(frozen=True)
class Match:
    phrase: Phrase
    start: int  # skeleton offsets
    end: int
    quote: str  # the words as said
    similarity: float = 100.0  # below 100 for a near miss

    @property
    def exact(self) -> bool:
        return self.similarity >= 100.0


_EXACT, _EXCEPT = 0, 1
WORD_SIMILARITY = 75.0  # "dwn" for "down", "cnat" for "cant"; not "can" for "cant"


@dataclass
class PhraseMatcher:
    phrases: Sequence[Phrase]
    fuzzy_threshold: float = 80.0
    fuzzy_min_len: int = 5
    _auto: ahocorasick.Automaton = field(init=False, repr=False)
    _grams: ahocorasick.Automaton | None = field(init=False, repr=False)
    _fuzzy: list[tuple[int, str, frozenset[str]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        keyed: dict[str, list[tuple[int, int, int]]] = {}
        for i, p in enumerate(self.phrases):
            for text in (p.text, *p.variants):
                s = phrase_skeleton(text)
                if s:
                    keyed.setdefault(s, []).append((_EXACT, i, len(s)))
            for text in p.exceptions:
                s = phrase_skeleton(text)
                if s:
                    keyed.setdefault(s, []).append((_EXCEPT, i, len(s)))
        self._auto = ahocorasick.Automaton()
        for key, vals in keyed.items():
            self._auto.add_word(key, vals)
        if keyed:
            self._auto.make_automaton()
        self._fuzzy = []
        all_grams: set[str] = set()
        for i, p in enumerate(self.phrases):
            if not p.fuzzy:
                continue
            for text in (p.text, *p.variants):
                s = phrase_skeleton(text)
                if len(s) >= self.fuzzy_min_len:
                    grams = frozenset(s[j : j + 2] for j in range(len(s) - 1))
                    self._fuzzy.append((i, s, grams))
                    all_grams |= grams
        self._grams = None
        if all_grams:
            self._grams = ahocorasick.Automaton()
            for g in all_grams:
                self._grams.add_word(g, g)
            self._grams.make_automaton()

    def find(self, norm: Norm) -> list[Match]:
        """Every listed phrase said in this turn, at most one match per place."""
        skel = norm.skel
        if not skel or not self.phrases:
            return []
        hits: list[tuple[int, int, int]] = []
        excepted: dict[int, list[tuple[int, int]]] = {}
        if len(self._auto):
            for end_idx, vals in self._auto.iter(skel):
                for kind, i, n in vals:
                    span = (end_idx + 1 - n, end_idx + 1)
                    if kind == _EXCEPT:
                        excepted.setdefault(i, []).append(span)
                    else:
                        hits.append((i, *span))
        out: list[Match] = []
        taken: set[tuple[int, int]] = set()
        for i, s, e in sorted(hits, key=lambda h: (h[1], h[2] - h[1])):
            p = self.phrases[i]
            if (i, s) in taken or _covered(excepted.get(i, ()), s, e):
                continue
            if _needs_whole_word(p, skel[s:e]) and not norm.whole_word(s, e):
                continue
            taken.add((i, s))
            out.append(Match(p, s, e, norm.quote(s, e)))
        if self._fuzzy and self._grams is not None:
            out.extend(self._near_misses(norm, out, excepted))
        return out

    def _near_misses(
        self, norm: Norm, exact: list[Match], excepted: dict[int, list[tuple[int, int]]]
    ) -> list[Match]:
        assert self._grams is not None
        present = {g for _, g in self._grams.iter(norm.skel)}
        found: list[Match] = []
        seen = {id(m.phrase) for m in exact}
        for i, s, grams in self._fuzzy:
            p = self.phrases[i]
            if id(p) in seen or len(grams & present) < max(1, len(grams) - 2, len(grams) // 2):
                continue
            al = fuzz.partial_ratio_alignment(s, norm.skel, score_cutoff=self.fuzzy_threshold)
            if al is None:
                continue
            start, end = al.dest_start, al.dest_end
            if is_cjk(s[0]):
                start, end = _refine(s, norm.skel, start)
            else:
                start, end = _word_span(norm.skel, start, end)
                if not _same_words(s, norm.skel[start:end]):
                    continue
            if _covered(excepted.get(i, ()), start, end):
                continue
            seen.add(id(p))
            quote = norm.quote(start, end).strip(" ,.;:!?，。；：！？")
            found.append(Match(p, start, end, quote, round(al.score, 1)))
        return found


def _refine(phrase: str, skel: str, start: int) -> tuple[int, int]:
    """Among equally similar windows near the alignment, the one sharing the phrase's edges.

    For 不关我的事 in 那不关我的是, 那不关我的 and 不关我的是 are both one character
    off; the second is what was said.
    """
    n = len(phrase)
    best: tuple[float, int, int] = (-1.0, 0, start)
    for s in range(max(0, start - 2), min(len(skel) - n, start + 2) + 1):
        window = skel[s : s + n]
        edges = (window[0] == phrase[0]) + (window[-1] == phrase[-1])
        best = max(best, (fuzz.ratio(phrase, window), edges, -s))
    return -best[2], -best[2] + n


def _word_span(skel: str, start: int, end: int) -> tuple[int, int]:
    """Trim the spaces at a span's ends, then widen it to whole words."""
    while start < end and skel[start] == " ":
        start += 1
    while end > start and skel[end - 1] == " ":
        end -= 1
    while start > 0 and skel[start - 1] != " ":
        start -= 1
    while end < len(skel) and skel[end] != " ":
        end += 1
    return start, end


def _same_words(phrase: str, said: str) -> bool:
    """The same words in the same order, each at most a typo away.

    Character similarity alone would take "can I help you" for "I can't help
    you"; comparing word by word keeps the order and the negation.
    """
    want, got = phrase.split(), said.split()
    if len(want) != len(got):
        return False
    return all(
        w == g or fuzz.ratio(w, g) >= WORD_SIMILARITY for w, g in zip(want, got, strict=True)
    )


def _covered(spans: Sequence[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def _needs_whole_word(p: Phrase, skel: str) -> bool:
    if p.whole_word is not None:
        return p.whole_word
    # Latin phrases always: "please" must not count inside "pleased". Chinese
    # ones only when short: 请 inside 申请 is the risk, while segmenting a long
    # phrase can split it oddly (jieba reads 这不关我的事 as 这不关/我/的/事).
    return not is_cjk(skel[0]) or len(skel) <= 2
