"""Text normalisation shared by phrase matching and sentiment.

Matching runs on a *skeleton* of each turn: NFKC-folded (full-width to
half-width), lower-cased, apostrophes dropped, every run of punctuation or
space turned into one space, and spaces between Chinese characters removed,
so ``不 知 道！`` and ``不知道`` look the same, as do ``I don't know`` and
``i dont  know``. Each skeleton character remembers where it came from, so a
finding can quote the original words.

Chinese has no spaces, so "inside a longer word" is decided by jieba word
segmentation: 请 inside 申请 or 您好 inside 您好像 is not a courtesy phrase.
Segmentation uses jieba's dictionary only (``HMM=False``): it is faster, and
its guesses at unknown words would only hide phrases, never reveal them.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import jieba

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def skeleton(text: str) -> tuple[str, list[int]]:
    """The matching form of ``text`` and, per skeleton character, its index in ``text``."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):
        chars = [(i, ch) for i, ch in enumerate(folded)]  # one to one: the common case
    else:
        chars = [
            (i, ch)
            for i, raw in enumerate(text)
            for ch in unicodedata.normalize("NFKC", raw).lower()
        ]
    out: list[str] = []
    where: list[int] = []
    pending_space = -1
    for i, ch in chars:
        if ch in "'’`":
            continue
        if ch.isalnum():
            if pending_space >= 0 and out and not (is_cjk(out[-1]) or is_cjk(ch)):
                out.append(" ")
                where.append(pending_space)
            pending_space = -1
            out.append(ch)
            where.append(i)
        elif out and pending_space < 0:
            pending_space = i
    return "".join(out), where


def phrase_skeleton(text: str) -> str:
    return skeleton(text)[0]


@cache
def _tokenizer() -> jieba.Tokenizer:
    # A private tokenizer: adding words to jieba's global one would change
    # segmentation for every other user of jieba in the process.
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def words(text: str) -> list[str]:
    """Words of a skeleton: jieba for Chinese runs, spaces for the rest."""
    return [w for w in _tokenizer().lcut(text, HMM=False) if w.strip()]


class Norm:
    """One turn's text, its skeleton and (computed on demand) its word boundaries."""

    __slots__ = ("_bounds", "original", "skel", "where")

    def __init__(self, original: str) -> None:
        self.original = original
        self.skel, self.where = skeleton(original)
        self._bounds: frozenset[int] | None = None

    def bounds(self) -> frozenset[int]:
        """Skeleton offsets where a word starts or ends."""
        if self._bounds is None:
            cuts = {0, len(self.skel)}
            pos = 0
            for w in _tokenizer().lcut(self.skel, HMM=False):
                pos += len(w)
                cuts.add(pos)
            self._bounds = frozenset(cuts)
        return self._bounds

    def whole_word(self, start: int, end: int) -> bool:
        """Whether skeleton span [start, end) is not part of a longer word."""
        s, n = self.skel, len(self.skel)
        for edge, inside, outside in ((start, start, start - 1), (end, end - 1, end)):
            if outside < 0 or outside >= n or s[outside] == " ":
                continue
            if is_cjk(s[inside]) or is_cjk(s[outside]):
                if (is_cjk(s[inside]) and is_cjk(s[outside])) and edge not in self.bounds():
                    return False
            else:
                return False  # a Latin letter or digit runs on: "pleased", "othello"
        return True

    def quote(self, start: int, end: int) -> str:
        if start >= end or not self.where:
            return ""
        return self.original[self.where[start] : self.where[end - 1] + 1]
