"""Time limits as a head hears them: a figure, a unit and a relation.

48小时内 = 四十八小时之内 = 两天内; 半小时 = 30分钟; 三个工作日 is not 三天 and not 三周;
40分钟以后 (after) and 48小时左右 (vaguer) are not within. A limit promised by the standard
("立即", no figure) is broken by any figure.

The words come from content/language.yaml (`times`); this module only reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from trainer.scoring.language import Language, Times
from trainer.scoring.lexicon import CLAUSE_PARTICLES as _PARTICLES
from trainer.scoring.numbers import format_number, parse_number
from trainer.scoring.patterns import clause_spans
from trainer.scoring.textnorm import Prepared, prepare, prepare_cached

Relation = Literal["within", "after", "vague", "plain", "immediate"]
_MINUTES = {"秒": Decimal(1) / 60, "分钟": Decimal(1), "刻钟": Decimal(15), "小时": Decimal(60),
            "天": Decimal(1440), "周": Decimal(10080)}
# Financial numerals (叁个工作日) and 仨, 俩 too, as numbers.py reads them.
_NUMERAL = r"\d+(?:\.\d+)?|[零一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟仨俩]+"
# How a reason says that no limit was heard at all (trainer.speech.context rescues such a
# limit, heard as a near-sound, where it never overrules a wrong one).
MISSING_LIMIT = "缺少时限:应为"
# Fault codes: a limit said wrong (or taken back) contradicts the promise; a missing one only
# leaves it out (the speech layer may look for a misheard limit, never replace a wrong one).
WRONG_TIME = "time"
MISSING_TIME = "time-missing"


def fault_of(reason: str) -> str:
    """The fault code of a reason :meth:`TimeLimit.check` gave."""
    return MISSING_TIME if reason.startswith(MISSING_LIMIT) else WRONG_TIME


_RELATION_LABELS = {"within": "内", "after": "以后", "vague": "左右", "plain": "", "immediate": ""}


@dataclass(frozen=True)
class Span:
    """A stretch of time said in an answer; start/end index the prepared text."""

    value: Decimal
    unit: str  # canonical: 秒 分钟 小时 天 工作日 周 月 年
    relation: Relation
    start: int
    end: int
    ranged: bool = False  # 两三天, 1到2小时: never a precise promise

    def quantity(self) -> tuple[Decimal, str]:
        """Comparable amount: minutes for 秒..周 (a day is 24 hours), else the unit itself."""
        if self.unit in _MINUTES:
            return self.value * _MINUTES[self.unit], "分钟"
        return self.value, self.unit

    def minutes_at_most(self, minutes: Decimal) -> bool:
        value, unit = self.quantity()
        return unit == "分钟" and value <= minutes

    @property
    def label(self) -> str:
        """How the reason quotes it: 48小时内, 3个工作日内, 40分钟以后."""
        unit = {"工作日": "个工作日", "刻钟": "刻钟"}.get(self.unit, self.unit)
        return f"{format_number(self.value)}{unit}{_RELATION_LABELS[self.relation]}"


_TIMES_OF_DAY = ("上午", "早上", "一早", "以后", "之后", "再说")
FOLLOW_UP = ("回访", "回电", "回复", "答复", "联系", "电话", "通知", "短信", "收到")  # 明天再上门回访
_ARRIVING = ("到", "过去", "过来", "出发", "上门", "赶来", "来")  # 大概下午到
# Limits this short are broken by any later hour or day (明天会在40分钟内赶到); 48小时 is not
# by 明天.
_SHORT_LIMIT = Decimal(2 * 60)  # minutes


@dataclass(frozen=True)
class Limit:
    """A declared time limit of an item: a span within which, or "immediately"."""

    span: Span | None  # None: immediately (立即)
    text: str

    def check(self, answer: Prepared, language: Language, phrasing: str = "") -> str | None:
        """None when the answer promises this limit and no other; else the Chinese reason.
        `phrasing`: the approved phrasing's text, which says what act the limit is for."""
        said = find_spans(answer, language.times)
        if self.span is None:
            wrong = [s for s in said]
            if wrong:
                return f"时限不对:应为{self.text},说成了{wrong[0].label}"
            later = _later(answer, language, language.times.no_figure)
            if later:
                return f"时限不对:应为{self.text},说成了{later}"
            doubted = _doubted_after(answer, language, language.times.no_figure) or _waits_after(
                answer, language, language.times.no_figure)
            if doubted:
                return f"时限说得不确定(“{doubted}”):应承诺{self.text}"
            return None
        wanted = self.span.quantity()
        right = [s for s in said if s.quantity() == wanted and not s.ranged
                 and s.relation in ("within", "plain")
                 and not _negated(answer.text, s.start, language)]
        # A figure said plainly elsewhere (热线二十四小时都能打) is no promise once the
        # promise itself is right; a limit-like one (…内, …以后, …左右) always counts.
        wrong = [s for s in said if s not in right and (s.relation != "plain" or not right)]
        if wrong and all(s.quantity() == wanted and not s.ranged
                         and s.relation in ("within", "plain") for s in wrong):
            return f"时限被收回:应承诺{self.text}"  # 就不用……了,30分钟内到: the right figure negated
        if wrong:
            return f"时限不对:应为{self.text},说成了{_said_text(answer, wrong[0])}"
        tails = [answer.text[s.end:_clause_end(answer, s.end)] for s in right]
        denied = [w for w in language.times.denied if any(w in tail for tail in tails)]
        if denied:
            return f"时限被收回(“{denied[0]}”):应承诺{self.text}"
        doubt = [w for w in language.times.uncertain
                 if any(w in answer.text[low:high] for low, high in _clauses_of(answer, right))
                 or any(_doubts(answer.text[low:high], w, language)
                        for low, high in _clauses_after(answer, right))]
        doubt += [w for low, high in _clauses_after(answer, right)[-1:]
                  for w in language.times.conditional_tails
                  if answer.text[low:high].rstrip(_PARTICLES).endswith(w)]
        doubt += [w for low, high in _clauses_after(answer, right)
                  for w in language.times.waits if w in answer.text[low:high]]
        if right and doubt:
            return f"时限说得不确定(“{doubt[0]}”):应承诺{self.text}"
        widened = _widened(answer, language, right, wanted)
        if widened:
            return f"时限被放宽(“{widened}”):应承诺{self.text}"
        other = _other_act(answer, language, right, phrasing)
        if other:
            return f"时限说的是另一件事(“{other}”):应承诺{self.text}到场"
        if right and self.span.minutes_at_most(_SHORT_LIMIT):
            later = _later(answer, language, tuple(answer.text[s.start:s.end] for s in right))
            if later:
                return f"时限不对:应为{self.text},说成了{later}"
        if right:
            return None
        vague = [w for w in language.times.no_figure if w in answer.text]
        if vague:
            return f"时限不对:应为{self.text},说成了{vague[0]}"
        return f"{MISSING_LIMIT}{self.text}"


def _clauses_of(answer: Prepared, spans: list[Span]) -> list[tuple[int, int]]:
    return [(a, b) for a, b in clause_spans(answer) if any(a <= s.start < b for s in spans)]


def _anchored(answer: Prepared, anchors: tuple[str, ...]) -> tuple[list[str], int | None]:
    """The clauses' texts, and the index of the first that says one of `anchors` (None: none
    does)."""
    clauses = [answer.text[a:b] for a, b in clause_spans(answer)]
    return clauses, next((i for i, c in enumerate(clauses) if any(w in c for w in anchors)), None)


def _later(answer: Prepared, language: Language, anchors: tuple[str, ...]) -> str | None:
    """明天上午立即过去, 立即赶到,大概下午到: a later day or hour in the clause of the promise
    (a clause with one of `anchors`: 马上/立即, or the limit itself), in another clause that
    says when someone sets off or arrives (吃完饭就出发), or as a clause of its own after the
    promise (……,明天上午). An answer without an anchor is read whole. 明天再给您回访 promises
    no arrival."""
    clauses, first = _anchored(answer, anchors)
    for index, clause in enumerate(clauses):
        word = next((w for w in language.times.later if w in clause), None)
        if word is None:
            continue
        rest = clause.rstrip(_PARTICLES)
        for w in language.times.later + _TIMES_OF_DAY:
            rest = rest.replace(w, "")
        if (first is None or index == first or any(w in clause for w in anchors)
                or (any(v in clause for v in _ARRIVING)
                    and not any(v in clause for v in FOLLOW_UP))
                or (index > first and len(rest) <= 1)):
            return word  # (周一上班后, 明天上午: a clause of its own)
    return None


def _doubted_after(answer: Prepared, language: Language, anchors: tuple[str, ...]) -> str | None:
    """立即赶到,特殊情况除外 / ……,如果师傅有空的话: a clause after the promise that makes it
    conditional (the last one), or doubts it on its own (……,不一定)."""
    clauses, first = _anchored(answer, anchors)
    if first is None:
        return None
    for index, clause in enumerate(clauses[first + 1:], first + 1):
        said = clause.rstrip(_PARTICLES)
        if index < len(clauses) - 1 and said not in language.times.uncertain:
            continue  # a condition holds the promise only as its last words
        word = next((w for w in language.times.conditional_tails + language.times.uncertain
                     if said.endswith(w) and (w in language.times.conditional_tails
                                              or said == w)), None)
        if word:
            return word
    return None


def _waits_after(answer: Prepared, language: Language, anchors: tuple[str, ...]) -> str | None:
    """立即赶到,得等一等 / ……,等师傅忙完手上的活: the customer told to wait first."""
    clauses, first = _anchored(answer, anchors)
    if first is None:
        return None
    return next((w for clause in clauses[first + 1:] for w in language.times.waits
                 if w in clause), None)


def _widened(answer: Prepared, language: Language, right: list[Span],
             wanted: tuple[Decimal, str]) -> str | None:
    """……48小时内答复,最终结果要一周 / ……,最迟下周: a later clause with 最迟 or 最终 and a
    later day or another figure widens the promise."""
    said = find_spans(answer, language.times)
    for low, high in _clauses_after(answer, right):
        clause = answer.text[low:high]
        word = next((w for w in language.times.widening if w in clause), None)
        if word is None:
            continue
        later = next((w for w in language.times.later if w in clause), None)
        figure = next((s for s in said if low <= s.start < high and s.quantity() != wanted), None)
        if later or figure:
            return clause.rstrip(_PARTICLES)
    return None


def _other_act(answer: Prepared, language: Language, right: list[Span], phrasing: str
               ) -> str | None:
    """40分钟内出发 / 40分钟内给您回电话 for 40分钟内赶到现场: the figure kept, the act of
    arriving changed for another one."""
    if not right or not phrasing:
        return None
    approved = prepare_cached(phrasing)
    promised = [approved.text[s.end:_clause_end(approved, s.end)]
                for s in find_spans(approved, language.times)]
    if not any(w in p for p in promised for w in language.times.arrival):
        return None
    for span in right:
        after = answer.text[span.end:_clause_end(answer, span.end)]
        act = next((w for w in language.times.other_acts if w in after), None)
        if act and not any(w in after.replace(act, "") for w in language.times.arrival):
            return act
    return None


def _clauses_after(answer: Prepared, spans: list[Span]) -> list[tuple[int, int]]:
    if not spans:
        return []
    first = min(s.start for s in spans)
    return [(a, b) for a, b in clause_spans(answer) if a > first]


def _doubts(clause: str, word: str, language: Language) -> bool:
    """A later clause takes the promise back: 不一定 on its own, 不过…说不准 or 要是…说不准
    (不过您不一定要在家等 does not)."""
    said = clause.rstrip(_PARTICLES)
    return said == word or (said.endswith(word) and (
        clause.startswith(language.negation.buts)
        or any(c in clause for c in language.negation.conditions)))  # 要是堵车那就说不准了


def _clause_end(answer: Prepared, at: int) -> int:
    return min((b for b in answer.breaks if b > at), default=len(answer.text))


def _negated(text: str, start: int, language: Language) -> bool:
    """不一定能在30分钟内, 没法在48小时内: a promise taken back is no promise."""
    low = max(0, start - 6)
    # A harmless word may begin before the window (对不起我们会在…: the 不 is an apology's),
    # and exempts only the negator inside it (对不起我们不能在… is still taken back).
    first = max(0, low - 3)
    covered: set[int] = set()
    for word in language.times.within_before + language.negation.not_negations:
        at = text.find(word, first, start)
        while at >= 0:
            covered.update(range(at, at + len(word)))
            at = text.find(word, at + 1, start)
    for word in language.negation.negators + ("没", "无法", "没法"):
        at = text.find(word, low, start)
        while at >= 0:
            if not covered.issuperset(range(at, at + len(word))):
                return True
            at = text.find(word, at + 1, start)
    return False


def _said_text(answer: Prepared, span: Span) -> str:
    return answer.original_text(span.start, span.end) or span.label


def parse_limit(text: str, language: Language) -> Limit:
    """A declared limit ("48小时内", "3个工作日内", "立即"); ValueError (Chinese) if unreadable."""
    cleaned = text.strip()
    if cleaned in ("立即", "立刻", "马上", "即时"):
        return Limit(None, "立即")
    spans = find_spans(prepare(cleaned), language.times)
    if len(spans) != 1 or spans[0].relation not in ("within", "plain") or spans[0].ranged:
        raise ValueError(f"时限 “{text}” 应写成“数字+单位+内”(如 48小时内)或“立即”")
    return Limit(spans[0], spans[0].label)


def find_spans(answer: Prepared, times: Times) -> list[Span]:
    """Every time span said in the answer, with its relation."""
    pattern, spellings = _compiled(times)
    text = answer.text
    spans: list[Span] = []
    for match in pattern.finditer(text):
        value = _value(match)
        if value is None:
            continue
        unit = spellings[match.group("unit")]
        if unit == "天" and text.endswith("工作日", 0, match.start()):
            unit = "工作日"  # 工作日三天内
        relation = "vague" if match.group("about") else _relation(match, text, times)
        spans.append(Span(value, unit, relation, match.start(), match.end(),
                          ranged=match.group("second") is not None
                          or _is_range(match.group("num"))))
    return spans


def _value(match: re.Match[str]) -> Decimal | None:
    number, half = match.group("num"), bool(match.group("half") or match.group("half2"))
    if number == "半":
        return Decimal("0.5")
    value = parse_number(number) if not _is_range(number) else parse_number(number[0])
    if value is None:
        return None
    return value + (Decimal("0.5") if half else 0)


def _is_range(numeral: str) -> bool:
    # 两三天, 三四个小时: two digits in a row are a range, not a number.
    digits = "一二两三四五六七八九壹贰叁肆伍陆柒捌玖仨俩"
    return len(numeral) == 2 and numeral[0] in digits and numeral[1] in digits


def _relation(match: re.Match[str], text: str, times: Times) -> Relation:
    before, after = match.group("before") or "", match.group("after") or ""
    if after in times.vague or before in times.vague_before:
        return "vague"
    if after in times.after or before in times.after_before:
        return "after"
    if after in times.within or before in times.within_before:
        return "within"
    # 在40分钟内: the relation may follow a short complement (钟头之内 is already taken).
    return "plain"


@lru_cache(maxsize=8)
def _compiled(times: Times) -> tuple[re.Pattern[str], dict[str, str]]:
    spellings = {spelling: unit for unit, words in times.units.items() for spelling in words}
    units = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    before = "|".join(re.escape(w) for w in sorted(
        set(times.within_before) | set(times.after_before) | set(times.vague_before),
        key=len, reverse=True))
    after = "|".join(re.escape(w) for w in sorted(
        set(times.within) | set(times.after) | set(times.vague), key=len, reverse=True))
    pattern = re.compile(
        rf"(?P<before>{before})?"
        rf"(?P<num>{_NUMERAL}|半)(?:(?:到|至|-|~|或)(?P<second>{_NUMERAL}))?"
        rf"(?:个)?(?P<about>来|多)?(?:个)?(?P<half>半)?(?:个)?(?P<unit>{units})(?P<half2>半)?"
        rf"(?P<after>{after})?"
    )
    return pattern, spellings
