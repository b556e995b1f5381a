"""Key points: the words an answer must keep for its meaning to survive.

A key point is a list of acceptable wordings. The content may name them; otherwise they are
derived from the approved phrasing: its content words, without courtesy, function words and
words every scene at a gas station shares (加气站, 规定). Either way each wording brings the
synonyms a head accepts for it (content/language.yaml, `Language.synonyms_of`).
A key point is found by sound, so 师父/师傅 or 稍候/稍后 keep it, and a two-character word
may have up to two characters inside it (看一下表 keeps 看表). A wording "甲+乙" is found when
both words are said in one clause, in either order (把发动机关了 keeps 关闭发动机).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from trainer.scoring import lexicon
from trainer.scoring.language import Language
from trainer.scoring.patterns import clause_spans
from trainer.scoring.phonetic import (
    initials_alike,
    is_han,
    loose_class,
    loose_class_of,
    near_class,
    near_class_of,
    near_syllables,
    same_pinyin,
    word_readings,
)
from trainer.scoring.textnorm import Prepared, prepare_cached

# jieba part-of-speech tags that never carry a key point: pronouns, particles, numerals,
# measure words, localisers, prepositions, interjections, punctuation.
_DROPPED_TAGS = frozenset({"r", "u", "uj", "ul", "uz", "ud", "ug", "uv", "y", "e", "o", "x", "m",
                           "q", "f", "p", "w", "eng"})
_UNIT_WORDS = frozenset({"元", "块", "角", "毛", "方", "升", "公斤", "钱"})
# What a split verb takes between its parts (充点值, 看一下表, 熄了火): part of the saying.
_SLIPPED_IN = frozenset("一下点儿个了着过些次会")
_CONJUNCTION_SPAN = 12  # "甲+乙": both words within this many characters of one clause


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """One point of the message and the wordings that keep it."""

    label: str
    alternatives: tuple[str, ...]
    pattern: re.Pattern[str]  # every contiguous wording, searched in an answer's loose sounds
    wordings: tuple[tuple[str, re.Pattern[str]], ...] = ()  # each contiguous wording alone
    conjunctions: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()  # "甲+乙", by part
    heard: re.Pattern[str] | None = None  # `pattern` also allowing one near-sound per wording
    spellings: frozenset[str] = frozenset()  # contiguous wordings as written (prepared)

    def found_in(self, answer: Prepared, *, spoken: bool = True) -> bool:
        """Whether the answer keeps this point."""
        return bool(self.occurrences(answer, spoken=spoken))

    def said_characters(self, answer: Prepared) -> frozenset[int]:
        """Characters of the answer where a wording of this point is heard by its sounds (no
        near-sound): another point's near-sound may not take them."""
        return frozenset(i for start, end in self._as_said(answer, spoken=True)
                         for i in range(start, end))

    def _as_said(self, answer: Prepared, *, spoken: bool) -> dict[tuple[int, int], str]:
        """Where a wording is said by its own sounds: {(start, end): wording}."""
        found: dict[tuple[int, int], str] = {}
        if self.pattern.search(answer.loose) is not None:
            for wording, pattern in self.wordings:
                position = 0
                while (m := pattern.search(answer.loose, position)) is not None:
                    if spoken or _typed_alike(answer.text[m.start():m.end()], wording):
                        found.setdefault((m.start(), m.end()), wording)
                        position = max(m.end(), m.start() + 1)
                    else:  # 傅不好意思 is no 不好意思 typed; 不好意思 one character on is
                        position = m.start() + 1
        return found

    def own_characters(self, answer: Prepared, start: int, end: int, wording: str
                       ) -> range | set[int]:
        """The characters of an occurrence that say the point. A wording said with characters
        slipped in (看一下表; 甲 … 乙 of "甲+乙") accounts for its own sounds and the light
        words a split verb takes (一下, 点), not for other words said in between: 您再哼我也快不了
        holds no 很快 with 我也 in it."""
        parts = wording.split("+")
        if (end - start == sum(len(prepare_cached(part).text) for part in parts)
                or (self.heard is not None and self.heard.fullmatch(answer.loose, start, end))):
            return range(start, end)  # said whole, or with one near-sound and nothing slipped in
        sounds = {sound for part in parts for sound in prepare_cached(part).loose}
        return {start, end - 1} | {i for i in range(start + 1, end - 1)
                                   if answer.loose[i] in sounds or answer.text[i] in _SLIPPED_IN}

    def heard_only(self, answer: Prepared, start: int, end: int, said: AbstractSet[int]) -> bool:
        """Whether an occurrence is only a near-sound: apart from the characters `said` as a
        wording's own sounds (真抱歉 holds 抱歉), and one near-sound off a wording."""
        return (said.isdisjoint(range(start, end)) and self.heard is not None
                and self.heard.fullmatch(answer.loose, start, end) is not None)

    def _heard_as_wording(self, heard: str) -> bool:
        """Whether characters heard with a near-sound may be a wording of this point: one of
        them as written (手上 for 手刹), or each starting with the wording's consonant or one a
        listener blurs into it (利息 for 立即, 障碍 for 站外, 娱乐 for 余额). 会向 (will ... to)
        is no 回电: 向 and 电 share only a final, and characters that are merely homophones
        are no support (a three-point answer passed on it: blind set heldout11)."""
        return any(
            len(spelled) == len(heard)
            and all(near_syllables(w, h) for w, h in zip(spelled, heard, strict=True))
            and (any(w == h for w, h in zip(spelled, heard, strict=True))
                 or all(initials_alike(w, h) for w, h in zip(spelled, heard, strict=True)))
            for spelled in self.spellings)

    def occurrences(self, answer: Prepared, *, spoken: bool = True,
                    taken: AbstractSet[int] = frozenset()) -> list[tuple[int, int, str]]:
        """Every place where the point is said: (start, end in the answer's text, wording).

        A recognised answer (`spoken`) may have one character of a wording misheard as a
        near-sound (上 for 刹 in 手刹); a typed one only homophones (an input method's slip).
        Such a near-sound never borrows a character of ``taken`` (where another key word was
        heard as said): in 手里您 the 里 is 受理's, so 里您 is no 立即.
        """
        found = self._as_said(answer, spoken=spoken)
        if spoken and self.heard is not None:
            position = 0
            while (m := self.heard.search(answer.loose, position)) is not None:
                if not taken.isdisjoint(range(m.start(), m.end())):
                    position = m.start() + 1  # the next one may start on its own character
                    continue
                if (not any(s <= m.start() < e for s, e in found)
                        and self._heard_as_wording(answer.text[m.start():m.end()])):
                    found.setdefault((m.start(), m.end()), self.label)
                position = m.end()
        for wording, parts in self.conjunctions:
            for low, high in clause_spans(answer):
                for span in _conjunction(parts, answer.loose, low, high):
                    found.setdefault(span, wording)
        # A span inside a longer one is the same saying (看表 inside 看一下表).
        kept: list[tuple[int, int, str]] = []
        reach = -1
        for start, end in sorted(found, key=lambda s: (s[0], -s[1])):
            if end <= reach:
                continue
            kept.append((start, end, found[(start, end)]))
            reach = end
        return kept


def _typed_alike(said: str, wording: str) -> bool:
    """A typed wording may differ only by an input-method homophone: the same pinyin, tone
    included (等着就行 does not type 这就). Characters slipped in between are allowed, but
    then its first and last are its own: a slip and a gap at once is another word (请问是 is
    no 请示)."""
    target = prepare_cached(wording).text
    if len(said) == len(target):
        return all(same_pinyin(a, b) for a, b in zip(said, target, strict=True))
    return said[0] == target[0] and said[-1] == target[-1]


def _conjunction(parts: tuple[re.Pattern[str], ...], loose: str, low: int, high: int
                 ) -> list[tuple[int, int]]:
    """Spans of one clause where every part is said, nearest together, in any order."""
    places = [[(m.start(), m.end()) for m in p.finditer(loose, low, high)] for p in parts]
    if not all(places):
        return []
    spans = []
    for anchor in places[0]:
        chosen = [anchor] + [min(options, key=lambda o: abs(o[0] - anchor[0]))
                             for options in places[1:]]
        start, end = min(c[0] for c in chosen), max(c[1] for c in chosen)
        if end - start <= _CONJUNCTION_SPAN:
            spans.append((start, end))
    return spans


@dataclass(frozen=True, slots=True)
class PhraseWords:
    """The words of an approved phrasing, sorted by the part they play."""

    content: tuple[str, ...]
    generic: tuple[str, ...]
    courtesy: tuple[str, ...]


def key_point(alternatives: Sequence[str], language: Language | None = None) -> KeyPoint:
    """A key point from its wordings (the first is its label), each with its synonyms."""
    cleaned = tuple(dict.fromkeys(a.strip() for a in alternatives if a and a.strip()))
    if not cleaned:
        raise ValueError("要点不能为空")
    if language is not None:
        cleaned = tuple(dict.fromkeys(w for a in cleaned for w in language.synonyms_of(a)))
    wordings = tuple((a, re.compile(p)) for a in cleaned if "+" not in a
                     if (p := _wording_pattern(prepare_cached(a).text)))
    conjunctions = tuple(
        (a, tuple(re.compile(_wording_pattern(prepare_cached(w).text)) for w in words))
        for a in cleaned if "+" in a
        if len(words := [w for w in a.split("+") if prepare_cached(w).text]) >= 2)
    pattern = re.compile("|".join(p.pattern for _, p in wordings) if wordings else r"(?!x)x")
    near = [p for a in cleaned if "+" not in a
            if (p := _wording_pattern(prepare_cached(a).text, near=True))]
    heard = re.compile("|".join(near)) if near else None
    spellings = frozenset(t for a in cleaned if "+" not in a if (t := prepare_cached(a).text))
    return KeyPoint(cleaned[0], cleaned, pattern, wordings, conjunctions, heard, spellings)


def char_class(char: str, near: bool = False, found: tuple[str, ...] | None = None) -> str:
    """The pattern of one character: its loose (or near) sounds, of the ``found`` readings
    when given (the character as read in its word), else of every reading."""
    if found is None:
        symbols = near_class(char) if near else loose_class(char)
    else:
        symbols = near_class_of(char, found) if near else loose_class_of(char, found)
    if len(symbols) == 1:
        return re.escape(next(iter(symbols)))
    return "[" + "".join(re.escape(s) for s in sorted(symbols)) + "]"


@lru_cache(maxsize=4096)
def _wording_pattern(text: str, near: bool = False) -> str:
    """The pattern of one wording: its sounds with a character or two slipped in (看一下表
    keeps 看表); with `near`, instead one near-homophone (上 for 刹 in 手刹), which is
    recogniser noise (more than one is another word)."""
    if not text:
        return ""
    read = word_readings(text)  # as the word is read: 尾箱 is no 一下
    classes = [char_class(c, found=r) for c, r in zip(text, read, strict=True)]
    if not near:
        if len(text) == 1:
            return classes[0]
        gap = ".{0,2}?" if len(text) == 2 else ".??"  # lazy: the closest saying wins
        return "(?:" + gap.join(classes) + ")"
    options = []
    for index, char in enumerate(text):
        if is_han(char) and len(text) >= 2:
            options.append("".join(classes[:index] + [char_class(char, True, read[index])]
                                   + classes[index + 1:]))
    return "(?:" + "|".join(options) + ")" if options else ""


def segment(text: str) -> list[tuple[str, str]]:
    """Words of a clause with jieba tags; lexicon.DOMAIN_WORDS are kept whole (tag "dom")."""
    words: list[tuple[str, str]] = []
    pending = ""
    position = 0
    longest = max(len(w) for w in lexicon.DOMAIN_WORDS)
    while position < len(text):
        for size in range(min(longest, len(text) - position), 1, -1):
            piece = text[position:position + size]
            if piece in lexicon.DOMAIN_WORDS:
                words.extend(_jieba_words(pending))
                pending = ""
                words.append((piece, "dom"))
                position += size
                break
        else:
            pending += text[position]
            position += 1
    words.extend(_jieba_words(pending))
    return words


@lru_cache(maxsize=1)
def quiet_jieba():
    """jieba with its dictionary banner silenced (set once: setting a log level clears every
    logger's cache, which costs more than the segmentation itself)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _jieba_words(text: str) -> list[tuple[str, str]]:
    if not text:
        return []
    jieba = quiet_jieba()
    return [(pair.word, pair.flag) for pair in jieba.posseg.lcut(text, HMM=False)]


@lru_cache(maxsize=8192)
def segment_cached(text: str) -> tuple[tuple[str, str], ...]:
    """`segment` for short texts that recur (clauses of answers, remarks)."""
    return tuple(segment(text))


@lru_cache(maxsize=2048)
def phrase_words(text: str) -> PhraseWords:
    """Content and courtesy words of a phrasing whose placeholders were removed."""
    prepared = prepare_cached(text)
    content: list[str] = []
    generic: list[str] = []
    courtesy: list[str] = []
    bounds = sorted({0, len(prepared.text)} | set(prepared.breaks))
    for start, end in zip(bounds, bounds[1:], strict=False):
        for word, tag in segment(prepared.text[start:end]):
            if word in lexicon.COURTESY_WORDS:
                courtesy.append(word)
            elif word in lexicon.GENERIC_WORDS:
                generic.append(word)
            elif _carries_meaning(word, tag):
                content.append(word)
    return PhraseWords(*(tuple(dict.fromkeys(words)) for words in (content, generic, courtesy)))


def _carries_meaning(word: str, tag: str) -> bool:
    if (word in lexicon.FUNCTION_WORDS or word in lexicon.ADDRESS_WORDS
            or word in lexicon.GENERIC_WORDS or word in _UNIT_WORDS):
        return False
    if not any(is_han(c) for c in word):
        return False  # numbers and Latin letters are checked as placeholders or by similarity
    return tag == "dom" or tag not in _DROPPED_TAGS


def derive_key_points(text: str, *, has_strict_placeholders: bool,
                      language: Language | None = None) -> tuple[KeyPoint, ...]:
    """Key points of an approved phrasing (placeholders already removed from `text`).

    Content words become key points. A phrase without any (请问您有什么事) falls back on its
    generic words (事), then on its courtesy words (对不起,打扰您了 -> 对不起, 打扰), unless it
    has checked placeholders that carry its meaning.
    """
    words = phrase_words(text)
    chosen = words.content
    if not chosen and not has_strict_placeholders:
        chosen = words.generic or tuple(w for w in words.courtesy
                                        if w not in lexicon.PLAIN_COURTESY)
    return tuple(key_point((w,), language) for w in chosen)


@lru_cache(maxsize=2048)
def is_noun(word: str) -> bool:
    """Whether a key point names a thing (办公室, 后备箱) rather than an action (熄火)."""
    tags = [pair.flag for pair in quiet_jieba().posseg.lcut(word, HMM=False)]
    return bool(tags) and all(t.startswith("n") for t in tags)


def is_courteous(text: str) -> bool:
    """Whether a phrasing uses a courtesy word (then an answer must use one too)."""
    return bool(phrase_words(text).courtesy) or any(m in text for m in lexicon.POLITE_MARKERS)


def polite_in(answer: Prepared) -> bool:
    """Whether the answer uses a courtesy word. 你 is not one (see lexicon.py)."""
    return _polite_pattern().search(answer.loose) is not None or any(
        m in answer.text for m in lexicon.POLITE_MARKERS)


@lru_cache(maxsize=1)
def _polite_pattern() -> re.Pattern[str]:
    # By sound, so 清稍后 (请) still counts; 您 only as written, since nin and ni sound alike.
    markers = [m for m in lexicon.POLITE_MARKERS if m != "您"]
    return re.compile("|".join("".join(char_class(c) for c in m) for m in markers))
