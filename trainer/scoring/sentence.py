"""Whether an answer is a sentence at all, or a list of key words (不成句).

引擎盖 后备箱 打开 请 您 has every key word of 请打开引擎盖与后备箱 and says nothing: a head
fails it. Two signs, either enough:

- a list: three or more pieces split by spaces or commas, nearly all a bare word or two, in
  an order the approved phrasing does not have (手机,站外,对不起,安全规定);
- a clause of bare words: three or more words with no particle, preposition or other glue
  between them (no 把, 一下, 了, 和 …) that leaves 请/您 dangling at its end (引擎盖后备箱
  打开请您).

Reordering that keeps sentences passes: 请拉好手刹,再把发动机关了 has glue in every clause.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.scoring import lexicon
from trainer.scoring.keypoints import segment_cached as segment
from trainer.scoring.patterns import clause_spans
from trainer.scoring.phonetic import is_han
from trainer.scoring.remarks import pieces
from trainer.scoring.textnorm import Prepared

_DANGLING = ("请您", "请", "您")
_GLUE = lexicon.FUNCTION_WORDS | {"一下", "一点", "并", "再", "先", "就", "已经", "马上", "都",
                                  "给您", "帮您", "为您", "的", "了", "吗", "吧", "呢", "啊"}


_LONGEST_LIST = 60  # a list of key words is short; a long answer is judged otherwise
_SHORT_PIECE = 5  # a piece of a list: a word or two (严禁烟火, 30分钟, 抢险人员)


def is_word_salad(answer: Prepared, phrasings: Sequence[Prepared]) -> bool:
    """Whether the answer lists words instead of saying a sentence (see the module docstring)."""
    if len(answer.text) > _LONGEST_LIST:
        return False
    chunks = [answer.text[a:b] for a, b in pieces(answer)]
    if len(chunks) >= 3:
        bare = [c for c in chunks if _bare(c)]
        if len(bare) >= max(3, round(0.75 * len(chunks))) and _inverted(chunks, phrasings):
            return True
    for low, high in clause_spans(answer):
        words = [w for w, _ in segment(answer.text[low:high])]
        content = [w for w in words if w not in _DANGLING and any(is_han(c) for c in w)]
        if (len(content) >= 3 and not any(w in _GLUE for w in words)
                and words[-1] in _DANGLING):
            return True
    return False


def _bare(chunk: str) -> bool:
    """A short piece with no glue: a word or two of the phrasing, not a clause."""
    words = [w for w, _ in segment(chunk)]
    return len(chunk) <= _SHORT_PIECE and not any(w in _GLUE for w in words)


def _inverted(words: Sequence[str], phrasings: Sequence[Prepared]) -> bool:
    """Whether the words come in an order no phrasing has (words a phrasing says more than
    once, or not at all, are left out of the comparison)."""
    orders = []
    for phrasing in phrasings:
        ranks = [phrasing.text.find(w) if phrasing.text.count(w) == 1 else -1 for w in words]
        ranked = [r for r in ranks if r >= 0]
        if len(ranked) >= 2:
            orders.append(ranked)
    if not orders:
        return False
    return all(any(a > b for a, b in zip(ranked, ranked[1:], strict=False)) for ranked in orders)
