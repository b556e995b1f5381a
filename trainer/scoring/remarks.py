"""What an answer says beyond the approved phrasing, judged clause by clause.

The answer is cut at punctuation; a clause that matches (almost) nothing of any
approved phrasing is an added remark (without the phrasing's words at its edges), and so is a
long unmatched run at the start or end of a clause (请收好加气卡丢了可别找我们 has no comma)
or a longer one inside it. Each remark is then, in this order:

- rude: caught by the 忌语 families (forbidden.py) — the answer fails;
- suspicious — the station head decides (review): a word that makes even a polite-sounding
  remark doubtful (也太, 下次早点, 凭什么 …) or touches money, papers or records, or takes
  the rule for a joke (手续费, 密码告诉, 开玩笑), a blunt 别/不要 that is neither polite nor about a
  hazard, a question with no polite word (停这么远我够得着吗?), a word with a character of
  bad tone (脏, 歪);
- courteous: a courtesy word or frame (请, 谢谢, 祝, 您放心 …) — it passes;
- unknown: speaks to the customer as 你 without any courtesy — the head decides;
- otherwise neutral (今天车多, 那边有热水, 我检查一下气瓶) — it passes.

The words are content/language.yaml `remarks`; none is in code.
"""

from __future__ import annotations

import re
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
_MIDDLE_RUN = 8  # ...and one this long inside a clause (shorter ones are words the phrasing
# splits: 意见箱 with 意 matched)
_PHRASE = 3  # the phrasing's words at the start of a remark this long are not the remark's
_SUGGESTIONS = ("先", "最好", "记得", "可以", "要不")
_CARE = ("小心", "当心", "注意", "免得", "以免", "省得您")
_PROHIBITING = ("别", "不要", "不能", "严禁", "禁止", "勿", "不准", "不许", "千万", "不得")
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
    spans: list[tuple[int, int]] = []
    for low, high in clause_spans(answer):
        hits = sum(matched[low:high])
        if hits <= 1 or hits < _MATCHED_SHARE * (high - low):
            # 请走好加气枪还没拔您直接开走就行 (a recogniser writes no comma): the phrasing's
            # words at the clause's edges are not the remark's, nor is their courtesy.
            start, end = low, high
            while start < high and matched[start]:
                start += 1
            if start - low < _PHRASE or end - start <= _RUN:
                start = low  # 请问你们……吗: a word or two of courtesy belongs to the remark
            while end - start > _RUN and matched[end - 1]:
                end -= 1
            spans.append((start, end))
            continue
        # An unmatched run this long is a remark at the clause's edges, and a longer one in its
        # middle where no comma was written (……加气这条规定上个月已经作废了请您合作).
        run = low
        for at in range(low, high + 1):
            if at == high or matched[at]:
                inner = run > low and at < high
                if at - run >= (_MIDDLE_RUN if inner else _RUN):
                    spans.append((run, at))
                run = at + 1
    return [s for s in spans if any(is_han(c) for c in answer.text[s[0]:s[1]])]


def judge(text: str, language: Language, vocabulary: frozenset[str] = frozenset(), *,
          question: bool = False, following: str = "", asked_with: str = "") -> tuple[Kind, str]:
    """How an added remark reads, and the word that decided it. `question`: it was asked
    (a question mark after it); `following`: the remark said right after it, which may turn
    a blunt 别 into advice (车窗别开太久,小心着凉); `asked_with`: what was said just before
    it in the same sentence (the approved 请问 of 请问……王经理在吗, which a recogniser
    writes without punctuation)."""
    return _judge(text, language, vocabulary, question, following, asked_with)


@lru_cache(maxsize=4096)
def _judge(text: str, language: Language, vocabulary: frozenset[str], question: bool,
           following: str, asked_with: str = "") -> tuple[Kind, str]:
    tagged = segment(text)
    words = [w for w, _ in tagged]
    for word in language.suspicious + language.negative + language.sensitive:
        said = (len(word) == 1 and word in words) or (len(word) > 1 and word in text)
        if said and not _inside_courtesy(text, word, language):
            return "suspicious", word
    hazard = _hazard_advice(text, language)
    if hazard:
        return "suspicious", hazard
    blunt = _blunt_prohibition(text, language, following)
    if blunt:
        return "suspicious", blunt
    asked = _rhetorical_question(text, language, question, asked_with)
    if asked:
        return "suspicious", asked
    harsh = _harsh_word(tagged, text, language, vocabulary)
    if harsh:
        return "suspicious", harsh
    for word in language.courteous:
        if word in text:
            return "courteous", word
    addressed = next((w for w in language.addressing if w in words), None)
    if addressed is not None and not (asked_with.endswith(("请问", "请")) and _question_like(text)):
        return "unknown", addressed  # speaks to the customer as 你, without any courtesy
    return "neutral", ""


def _question_like(text: str) -> bool:
    """Said as a question: …吗, …么, 能不能, 送不送 (请问你们这周六能来吗, with no question mark
    from a recogniser)."""
    core = text.rstrip("了呢")
    return core.endswith(("吗", "么")) or bool(re.search(r"(.)[不没]\1", text))


def _harsh_word(tagged: tuple[tuple[str, str], ...], text: str, language: Language,
                vocabulary: frozenset[str]) -> str:
    """A word with a character of bad tone (脏, 歪, 笨) judges someone, whatever else is said;
    words of the content, courtesy and fixed expressions (麻烦, 没关系) excepted."""
    plain = vocabulary | language.neutral | lexicon.COURTESY_WORDS
    for word, _ in tagged:
        if (any(c in language.negative_chars for c in word) and word not in plain
                and word not in language.courteous
                and not _inside_courtesy(text, word, language)
                and not any(word in e for e in language.negation.not_negations)):
            return word
    return ""


def _rhetorical_question(text: str, language: Language, question: bool,
                         asked_with: str = "") -> str:
    """An added question (or a tag such as …吧, …啊) that is no service question: 停这么远我
    够得着吗, 还用我讲吧. Service questions carry a polite word (您, 请问, 需要 …)."""
    core = text.rstrip("了")
    asks = question or core.endswith(("吗", "么"))
    tag = core.endswith(("吧", "啊", "呀", "嘛", "呗", "哪"))
    if not (asks or tag):
        return ""
    retort = next((w for w in language.retorts if w in text), "")
    if retort:
        return retort
    if any(w in text or asked_with.endswith(w) for w in language.polite_questions):
        return ""
    if tag and not asks and (not any(w in text for w in language.rhetorical)
                             or any(w in text for w in _SUGGESTIONS)):
        return ""  # 今天风真大啊, 打火机也先收起来吧: an exclamation or a suggestion
    return "?" if asks else text[-1]


def _blunt_prohibition(text: str, language: Language, following: str = "") -> str:
    """A negative imperative that is neither asked politely nor about a hazard."""
    for word in ("不要", "别", "少", "甭"):
        at = text.find(word)
        while at >= 0:
            before = text[max(0, at - 4):at]
            after = text[at + len(word):]
            polite = any(p in before for p in _ADVICE) or any(
                a in text or following.startswith(a) for a in _CARE)
            hazard = any(h in after or h in before for h in language.safe_prohibitions)
            fixed = _inside_courtesy(text, word, language) or text.startswith("别的", at) \
                or text.startswith("少许", at)
            if not (polite or hazard or fixed) and (word != "少" or (after[:1] and after[:1] in "说废管啰来给跟在操问打烦添")):
                return word
            at = text.find(word, at + 1)
    return ""


def _hazard_advice(text: str, language: Language) -> str:
    """请您先把阀门再打开看看, 气瓶嘶嘶响是正常现象: a hazard named with no prohibition before
    it and none of the right advice; 千万别开关电器, 请开窗通风 are the right advice."""
    topic = next((w for w in language.hazard_topics if w in text), "")
    if not topic or any(_advised(text, w) for w in language.safe_advice):
        return ""
    if any(w in text for w in _PROHIBITING):
        return ""  # 千万别开关电器, 打火机也别打, 一点火星都碰不得
    return topic


def _advised(text: str, advice: str) -> bool:
    """The advice said in the clause; "甲+乙" both, in that order."""
    at = 0
    for part in advice.split("+"):
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def _inside_courtesy(text: str, word: str, language: Language) -> bool:
    # 别 in 您别着急, 不要 in 不要紧: part of a fixed expression that negates nothing;
    # 生气 in 让您生气了: an apology.
    for expression in language.negation.not_negations + language.apologies:
        if word in expression and expression != word and expression in text:
            return True
    return False
