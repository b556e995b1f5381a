"""Key points: the words an answer must keep for its meaning to survive.

A key point is a list of acceptable wordings. The content may name them; otherwise they are
derived from the approved phrasing: its content words, without courtesy, function words and
words every scene at a gas station shares (加气站, 规定), each with the synonyms in lexicon.py.
A key point is found by sound, so 师父/师傅 or 稍候/稍后 keep it, and a two-character word
may have up to two characters inside it (看一下表 keeps 看表).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from trainer.scoring import lexicon
from trainer.scoring.phonetic import is_han, loose_class, near_class
from trainer.scoring.textnorm import Prepared, prepare_cached

# jieba part-of-speech tags that never carry a key point: pronouns, particles, numerals,
# measure words, localisers, prepositions, interjections, punctuation.
_DROPPED_TAGS = frozenset({"r", "u", "uj", "ul", "uz", "ud", "ug", "uv", "y", "e", "o", "x", "m",
                           "q", "f", "p", "w", "eng"})
_UNIT_WORDS = frozenset({"元", "块", "角", "毛", "方", "升", "公斤", "钱"})


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """One point of the message and the wordings that keep it."""

    label: str
    alternatives: tuple[str, ...]
    pattern: re.Pattern[str]  # searched in an answer's loose sound string

    def found_in(self, answer: Prepared) -> bool:
        """Whether the answer keeps this point."""
        return self.pattern.search(answer.loose) is not None


@dataclass(frozen=True, slots=True)
class PhraseWords:
    """The words of an approved phrasing, sorted by the part they play."""

    content: tuple[str, ...]
    generic: tuple[str, ...]
    courtesy: tuple[str, ...]


def key_point(alternatives: Sequence[str]) -> KeyPoint:
    """A key point from its wordings (the first is its label)."""
    cleaned = tuple(dict.fromkeys(a.strip() for a in alternatives if a and a.strip()))
    if not cleaned:
        raise ValueError("要点不能为空")
    parts = [p for p in (_wording_pattern(prepare_cached(a).text) for a in cleaned) if p]
    pattern = re.compile("|".join(parts) if parts else r"(?!x)x")
    return KeyPoint(cleaned[0], cleaned, pattern)


def _char_class(char: str, near: bool = False) -> str:
    symbols = near_class(char) if near else loose_class(char)
    if len(symbols) == 1:
        return re.escape(next(iter(symbols)))
    return "[" + "".join(re.escape(s) for s in sorted(symbols)) + "]"


@lru_cache(maxsize=4096)
def _wording_pattern(text: str) -> str:
    if not text:
        return ""
    classes = [_char_class(c) for c in text]
    if len(text) == 1:
        return classes[0]
    gap = ".{0,2}" if len(text) == 2 else ".?"
    options = [gap.join(classes)]
    # One near-homophone (上 for 刹 in 手刹) is recogniser noise; more is another word.
    for index, char in enumerate(text):
        if is_han(char):
            near = classes[:index] + [_char_class(char, near=True)] + classes[index + 1:]
            options.append("".join(near))
    return "(?:" + "|".join(options) + ")"


def _segment(text: str) -> list[tuple[str, str]]:
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


def _jieba_words(text: str) -> list[tuple[str, str]]:
    if not text:
        return []
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # its dictionary banner is noise on stderr
    return [(pair.word, pair.flag) for pair in jieba.posseg.lcut(text, HMM=False)]


@lru_cache(maxsize=2048)
def phrase_words(text: str) -> PhraseWords:
    """Content and courtesy words of a phrasing whose placeholders were removed."""
    prepared = prepare_cached(text)
    content: list[str] = []
    generic: list[str] = []
    courtesy: list[str] = []
    bounds = sorted({0, len(prepared.text)} | set(prepared.breaks))
    for start, end in zip(bounds, bounds[1:], strict=False):
        for word, tag in _segment(prepared.text[start:end]):
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


def derive_key_points(text: str, *, has_strict_placeholders: bool) -> tuple[KeyPoint, ...]:
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
    return tuple(key_point((w, *lexicon.SYNONYMS.get(w, ()))) for w in chosen)


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
    return re.compile("|".join("".join(_char_class(c) for c in m) for m in markers))
