"""What an answer says beyond its phrasing that takes the phrasing back, in ways no key point
shows: the matter put off (我下周向站长报告, 请稍候……得等两天), another number beside the amount
or the telephone number said (找您18元……这里是17; 记成95540也行), the customer sent elsewhere
after help was promised. Plain functions of a compiled item and a prepared answer; judge.py
decides what each costs (review or fail).
"""

from __future__ import annotations

import re
from decimal import Decimal

from trainer.scoring import timelimits
from trainer.scoring.item import CompiledItem
from trainer.scoring.placeholders import Slot
from trainer.scoring.textnorm import Amount, Prepared
from trainer.scoring.timelimits import find_spans

_COUNTERS = "号点位个次楼层岛路台辆条张分秒年月日天"  # 2号机, 3楼: a number that is no amount
_SENT_AWAY = re.compile(r"[去到][\u4e00-\u9fff]{0,6}?(?:问问|问一下|问一问|找他|找她|找一下|打听)")
_HELPS = ("帮您", "为您", "给您办", "给您处理", "给您解决")
_SOON = ("稍候", "稍等", "稍后")
_LONG_WAIT = Decimal(24 * 60)  # minutes: a wait of more than a day is no 稍候 and no 马上
_AT_ONCE = ("马上", "立即", "立刻", "及时", "尽快", "这就", "第一时间")
_WAIT_UNTIL = re.compile(r"等[^再才]{1,12}?(?:再|才)")


def put_off(item: CompiledItem, answer: Prepared) -> str | None:
    """月底一起开, 明天再打吧, 等站长下礼拜回来给您处理: a later day the phrasing does not
    name, where it promises to act at once or with 再 (come back, call again), or waiting for
    something first (等……再) where it promises to act at once. A follow-up promised for that
    day (明天再给您回访) puts nothing off."""
    templates = [v.template for v in item.variants]
    at_once = any(w in t for t in templates for w in _AT_ONCE)
    text = answer.text
    for word in item.language.times.later_days:
        at = text.find(word)
        if at < 0 or any(word in t for t in templates):
            continue
        rest = text[at + len(word):min((b for b in answer.breaks if b > at), default=len(text))]
        if (at_once or "再" in rest[:3]) and not any(w in rest for w in timelimits.FOLLOW_UP):
            return word  # (not 明天再给您回访: a follow-up promised for that day)
    wait = _WAIT_UNTIL.search(text)
    if at_once and wait and not any(w in wait.group() for w in ("一下", "一会", "稍")):
        return wait.group()
    # 请稍候……故障大概要修三天, 尽快给您答复,请您耐心等半年: a wait longer than any limit
    # the item promises, where it promises to act at once or soon.
    if at_once or any(w in t for t in templates for w in _SOON):
        longest = max((limit.span.quantity()[0] for limit in item.time_limits
                       if limit.span is not None and limit.span.quantity()[1] == "分钟"),
                      default=Decimal(0))
        for span in find_spans(answer, item.language.times):
            value, unit = span.quantity()
            if unit != "分钟" or value > max(longest, _LONG_WAIT):
                return answer.original_text(span.start, span.end)
    return None


def stray_number(item: CompiledItem, answer: Prepared, spoken: bool) -> Amount | None:
    """找您18元,请拿好。这里是17: in an item about money, a bare number with no role word
    before it that is none of the amounts the answer names contradicts them. Heard, only
    after the first amount with its unit: a recogniser mangles the role word of the first
    (收您两百 heard as 凶年两百人,找您38块5)."""
    if not any(p.kind == "amount" for p in item.placeholders.values()):
        return None
    roles = tuple(w for words in item.language.amount_roles.values() for w in words)
    named = {a.value for a in answer.amounts if a.unit}
    first = min((a.start for a in answer.amounts if a.unit), default=len(answer.text))
    for amount in answer.amounts:
        if spoken and amount.start < first:
            continue
        before = answer.text[max(0, amount.start - 4):amount.start]
        follows = answer.text[amount.end:amount.end + 1]
        if (not amount.unit and named and amount.value not in named
                and not any(w in before for w in roles)
                and not (follows and follows in _COUNTERS)):
            return amount
    return None


def sent_away(item: CompiledItem, text: str) -> str:
    """……我来帮您联系负责的同事,您去三楼找他: where the phrasing promises help, sending the
    customer elsewhere takes the promise back."""
    if _SENT_AWAY.search(text) and any(h in v.template for v in item.variants for h in _HELPS):
        return "把顾客支到别处"
    return ""


_NUMBER_RUN = re.compile(r"\d{5,}")


def second_number(slot: Slot, answer: Prepared) -> str | None:
    """A telephone number (a name of digits) said a second time with other digits."""
    digits = re.sub(r"\D", "", slot.value or "")
    if slot.placeholder.kind != "name" or len(digits) < 5 or digits != re.sub(
            r"[-\s]", "", slot.value or ""):
        return None
    runs = [m.group() for m in _NUMBER_RUN.finditer(answer.text)]
    if digits not in runs:
        return None  # the number itself is checked as a name
    return next((r for r in runs if r != digits), None)
