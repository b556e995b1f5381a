"""What an answer says beyond the approved phrasing, judged clause by clause.

The answer is cut at punctuation; a clause that matches (almost) nothing of any
approved phrasing is an added remark, and so is a long unmatched run at the start or end of a
clause (请收好加气卡丢了可别找我们 has no comma). Each remark is then:

- rude: caught by the 忌语 families (forbidden.py) — the answer fails;
- suspicious: a word that makes even a polite-sounding remark doubtful (别, 自己, 下次 …) —
  the station head decides (review);
- courteous: a courtesy word (请, 您, 谢谢, 祝 …), or neutral: only words of service talk (the
  approved phrasings of every item, content/language.yaml `remarks.neutral`, function words) —
  it passes;
- otherwise unknown — the head decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from trainer.scoring import lexicon
from trainer.scoring.keypoints import segment_cached as segment
from trainer.scoring.language import Language
from trainer.scoring.patterns import clause_spans
from trainer.scoring.phonetic import is_han
from trainer.scoring.textnorm import Prepared

Kind = Literal["courteous", "neutral", "suspicious", "unknown"]
_MATCHED_SHARE = 0.34  # a clause with less of the phrasing than this is a remark of its own
_RUN = 5  # an unmatched run this long at a clause's edge is a remark too
_TONELESS_TAGS = ("n", "s", "t", "f", "m", "q", "dom")  # jieba tags: nouns, places, times …
_ADVICE = ("请", "您", "麻烦", "劳驾", "最好", "千万", "记得", "注意")


@dataclass(frozen=True)
class Remark:
    """An added remark: where it is in the prepared text, and how it reads."""

    start: int
    end: int
    kind: Kind
    word: str = ""  # the courtesy, suspicious or unknown word that decided


def pieces(answer: Prepared) -> list[tuple[int, int]]:
    """The clauses of an answer cut at punctuation and at pauses (spaces)."""
    bounds = sorted({0, len(answer.text)} | set(answer.pauses))
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def added(answer: Prepared, matched: list[bool]) -> list[tuple[int, int]]:
    """Spans of the answer that say something the approved phrasings do not."""
    spans: list[tuple[int, int]] = []
    for low, high in clause_spans(answer):
        hits = sum(matched[low:high])
        if hits <= 1 or hits < _MATCHED_SHARE * (high - low):
            spans.append((low, high))
            continue
        head = low
        while head < high and not matched[head]:
            head += 1
        if head - low >= _RUN:
            spans.append((low, head))
        tail = high
        while tail > low and not matched[tail - 1]:
            tail -= 1
        if high - tail >= _RUN:
            spans.append((tail, high))
    return [s for s in spans if any(is_han(c) for c in answer.text[s[0]:s[1]])]


def judge(text: str, language: Language, vocabulary: frozenset[str] = frozenset()
          ) -> tuple[Kind, str]:
    """How an added remark reads, and the word that decided it."""
    return _judge(text, language, vocabulary)


@lru_cache(maxsize=4096)
def _judge(text: str, language: Language, vocabulary: frozenset[str]) -> tuple[Kind, str]:
    tagged = segment(text)
    words = [w for w, _ in tagged]
    for word in language.suspicious + language.negative:
        said = (len(word) == 1 and word in words) or (len(word) > 1 and word in text)
        if said and not _inside_courtesy(text, word, language):
            return "suspicious", word
    blunt = _blunt_prohibition(text, language)
    if blunt:
        return "suspicious", blunt
    for word in language.courteous:
        if word in text:
            return "courteous", word
    known = language.neutral | vocabulary | lexicon.FUNCTION_WORDS | lexicon.COURTESY_WORDS \
        | lexicon.ADDRESS_WORDS | lexicon.GENERIC_WORDS
    # A word outside the content's vocabulary is a stranger only when one of its characters
    # has a bad tone (笨, 滚); nouns, places and times never are (棚子, 饮水机).
    unknown = [w for w, tag in tagged if w not in known and not tag.startswith(_TONELESS_TAGS)
               and any(c in language.negative_chars for c in w)
               and not any(w in e for e in language.negation.not_negations)]
    if unknown:
        return "unknown", unknown[0]
    return "neutral", ""


def _blunt_prohibition(text: str, language: Language) -> str:
    """A negative imperative that is neither asked politely nor about a hazard."""
    for word in ("不要", "别", "少", "甭"):
        at = text.find(word)
        while at >= 0:
            before = text[max(0, at - 4):at]
            after = text[at + len(word):]
            polite = any(p in before for p in _ADVICE)
            hazard = any(h in after or h in before for h in language.safe_prohibitions)
            fixed = _inside_courtesy(text, word, language) or text.startswith("别的", at) \
                or text.startswith("少许", at)
            if not (polite or hazard or fixed) and (word != "少" or (after[:1] and after[:1] in "说废管啰来")):
                return word
            at = text.find(word, at + 1)
    return ""


def _inside_courtesy(text: str, word: str, language: Language) -> bool:
    # 别 in 您别着急, 不要 in 不要紧: part of a fixed expression that negates nothing.
    for expression in language.negation.not_negations:
        if word in expression and expression != word and expression in text:
            return True
    return False
