"""Whether an answer is a sentence at all, or a list of key words (不成句).

引擎盖 后备箱 打开 请 您 has every key word of 请打开引擎盖与后备箱 and says nothing: a head
fails it. Any of these signs is enough:

- a list: three or more pieces split by spaces or commas, nearly all a bare word or two, in
  an order the approved phrasing does not have (手机,站外,对不起,安全规定);
- a clause of bare words: three or more words with no particle, preposition or other glue
  between them (no 把, 一下, 了, 和 …) that leaves 请/您 dangling at its end (引擎盖后备箱
  打开请您);
- a jumble: four or more of the approved phrasing's own words in a piece with no glue, in an
  order the phrasing does not have (熄火合作规定加气车辆, 48小时答复调查处理情况您反映);
- a piece that ends in "and" (引擎盖后备箱,请,打开与).

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

_TO = ("给", "帮", "为", "替", "跟", "和", "向", "对", "陪", "让", "对不起", "谢谢", "感谢",
       "麻烦", "打扰", "祝", "欢迎", "告诉", "通知")
_CONJUNCTIONS = ("与", "和", "及", "以及")
_DANGLING = ("请您", "请", "您", "麻烦", "麻烦您", "劳驾")
_GLUE = lexicon.FUNCTION_WORDS | {"一下", "一点", "并", "再", "先", "就", "已经", "马上", "都",
                                  "给您", "帮您", "为您", "的", "了", "吗", "吧", "呢", "啊"}


_LONGEST_LIST = 60  # a list of key words is short; a long answer is judged otherwise
_JUMBLE = 4  # so many of the phrasing's words with no glue, out of its order: a jumble
_SHORT_PIECE = 5  # a piece of a list: a word or two (严禁烟火, 30分钟, 抢险人员)


def is_word_salad(answer: Prepared, phrasings: Sequence[Prepared]) -> bool:
    """Whether the answer lists words instead of saying a sentence (see the module docstring)."""
    if len(answer.text) > _LONGEST_LIST:
        return False
    chunks = [answer.text[a:b] for a, b in pieces(answer)]  # split by spaces and commas
    if len(chunks) >= 3:
        bare = [c for c in chunks if _bare(c)]
        listed = len(bare) >= max(3, round(0.75 * len(chunks)))
        # 开 引擎盖 后备箱 麻烦: a courtesy word left at the end of a list asks for nothing.
        if listed and (_inverted(chunks, phrasings) or chunks[-1] in _DANGLING):
            return True
    for low, high in clause_spans(answer):
        tagged = list(segment(answer.text[low:high]))
        words = [w for w, _ in tagged]
        content = [w for w in words if w not in _DANGLING and any(is_han(c) for c in w)]
        # 请 or 您 left at the end, not as the object of a verb (回复您, 告诉您).
        dangling = bool(words) and words[-1] in _DANGLING and not (
            len(tagged) > 1 and tagged[-2][0] not in _DANGLING
            and (tagged[-2][1].startswith("v") or tagged[-2][0] in _TO))
        if len(content) >= 3 and not any(w in _GLUE for w in words) and dangling:
            return True
    for chunk in chunks:  # a jumble is judged piece by piece (找您23元 收您150元)
        words = [w for w, _ in segment(chunk)]
        if len(words) > 1 and words[-1] in _CONJUNCTIONS:
            return True  # 引擎盖后备箱,请,打开与: "and" with nothing after it
        if not any(w in _GLUE for w in words) and _jumbled(
                [w for w in words if len(w) > 1 and w not in _DANGLING], phrasings):
            return True
    return False


def _jumbled(words: Sequence[str], phrasings: Sequence[Prepared]) -> bool:
    """The approved phrasing's own words, four or more, shuffled (熄火合作规定加气车辆)."""
    return len(words) >= _JUMBLE and _inverted(words, phrasings) and any(
        all(w in phrasing.text for w in words) for phrasing in phrasings)


def _bare(chunk: str) -> bool:
    """A piece of a list: a single word (的 too), or a short piece with no glue (严禁烟火)."""
    words = [w for w, _ in segment(chunk)]
    return len(words) == 1 or (len(chunk) <= _SHORT_PIECE and not any(w in _GLUE for w in words))


def _inverted(words: Sequence[str], phrasings: Sequence[Prepared]) -> bool:
    """Whether the words come in an order the phrasing that has most of them does not have
    (words a phrasing says more than once, or not at all, are left out of the comparison)."""
    orders = []
    for phrasing in phrasings:
        ranks = [phrasing.text.find(w) if phrasing.text.count(w) == 1 else -1 for w in words]
        ranked = [r for r in ranks if r >= 0]
        if len(ranked) >= 2:
            orders.append(ranked)
    if not orders:
        return False
    most = max(len(ranked) for ranked in orders)
    return all(any(a > b for a, b in zip(ranked, ranked[1:], strict=False))
               for ranked in orders if len(ranked) == most)
