"""Negation, waivers and permissions around the key points of an answer.

A careful head reads the sentence, not only its words: 今天不必熄火 says 熄火 and means the
opposite. The rules, with the words from content/language.yaml (`negation`):

- A negator before a key point in the same clause negates it (不必熄火, 乘客不用下车,
  不用去站外); inside a key point said in two parts too (发动机不用关).
- A "no need" negator just after a key point said as a topic negates it (引擎盖和后备箱都
  不用打开了, 核对什么的就不用了).
- A clause that ends in a waiver (…也没关系, …也行, 不过…也可以) after a negator or a
  condition gives the key action up (不熄也没关系).
- Not negations: fixed expressions (不客气, 没关系, 您别着急, 别忘了), a negated action that
  is only the condition of a refusal (不熄火不能加气), and a prohibition where the approved
  phrasing itself prohibits (严禁烟火 is the point; 站内不能打电话 keeps 严禁打手机). For such a
  prohibited point, a permission (您可以在这里接电话) or a waiver reverses it instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from trainer.scoring import lexicon
from trainer.scoring.language import Negation
from trainer.scoring.patterns import clause_spans
from trainer.scoring.textnorm import Prepared

Polarity = Literal["do", "forbid", "self"]  # asked for; prohibited; carries its own negator
_BEFORE = 4  # a negator ends at most this many characters before the key point
_AFTER_TOPIC = 6  # a "no need" negator starts at most this far after a topic key point
_TAIL = 3  # ...and at most this many characters of predicate follow it before the clause ends
_PARTICLES = lexicon.CLAUSE_PARTICLES
_QUESTIONS = ("请问", "问", "您", "有没有", "想")
_LIGHT_VERBS = frozenset("是有在要会能给让把被就也都还再来去说好了的加气站车")
_REQUESTS = ("请", "麻烦")
_PUT_OFF_REACH = 3  # 加完再把火熄了: the act said this far after the word that puts it off
_WAIT_FOR = re.compile(r"等[^再才]{1,10}?[了好上完]\S{0,3}?再")  # 等枪插上了您再
_FINISHED_REACH = 6  # 说完这两句再出去: 完 at most this far before 再
_TOPIC_GAP = "的事这个件情儿"  # 充值的事, 充值这个事儿: a topic between an action and its predicate
_EITHER_WAY = re.compile(r"([\u4e00-\u9fff])[不没]\1")  # 熄不熄, 看没看
_SMALL_AMOUNTS = ("一口", "两口", "几口", "一根", "一支")  # 抽一口就灭掉
# Where a bare act verb may be said to be done (出站就能抽, 您可以在那儿打: a place named before).
_ELSEWHERE = ("站外", "出站", "出了站", "大门外", "出了大门", "出大门", "门外", "外面", "外边",
              "外头", "吸烟点", "吸烟区", "那儿", "那里", "那边")
_ASKING_WHY = ("非得", "非要", "难道", "干嘛", "为什么")  # 非得在枪边上打: a retort, not leave
_TOPIC_MARKERS = ("的事", "这事", "这件事", "什么的", "这一步", "这块", "这个", "那个", "方面")


@dataclass(frozen=True)
class Finding:
    """A key point the answer negates, waives or permits (start/end index the prepared text)."""

    kind: Literal["negated", "permitted"]
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class PointSpans:
    """Where one key point was said in the answer, and how the approved phrasing says it."""

    label: str
    polarity: Polarity
    spans: tuple[tuple[int, int], ...]
    first_chars: frozenset[str]  # first characters of its wordings (不熄也行 names 熄火)
    wordings: tuple[str, ...] = ()  # every wording of the point (熄什么火 negates 熄火)
    noun: bool = False  # a thing (办公室, 后备箱), so a negation after it is its predicate
    station_wide: bool = False  # a rule of every item (熄火, 抽烟), not this item's own point


def find(answer: Prepared, points: list[PointSpans], words: Negation, phrasing: str = ""
         ) -> list[Finding]:
    """Every negated, waived or permitted key point of the answer (`phrasing`: the approved
    phrasing's text, whose verbs a bare negation may refer to)."""
    text = answer.text
    # A negator inside a fixed expression (不客气) or inside a key point that carries its own
    # (余额不足) negates nothing of the message.
    exempt = _covered(text, words.not_negations, words.negators)
    exempt |= _covered_by_sound(answer, words.not_negations, negators=words.negators)
    exempt |= _covered_by_sound(answer, words.heard_near, first_near=True)
    exempt.update(i for point in points if point.polarity == "self"
                  for s, e in point.spans for i in range(s, e))
    clauses = clause_spans(answer)
    findings: list[Finding] = []
    lows = [a for a, _ in clauses]
    for point in points:
        for start, end in point.spans:
            index = bisect_right(lows, start) - 1
            clause = clauses[index] if index >= 0 else (0, len(text))
            last = bisect_right(lows, end - 1) - 1
            if last > index:  # 随时打,电话免了吧: a saying across a clause break reaches its end
                clause = (clause[0], clauses[last][1])
            kind = _judge(point, start, end, clause, text, exempt, words)
            if kind:
                findings.append(Finding(kind, point.label, start, end))
    findings.extend(_waivers(answer, points, clauses, exempt, words))
    findings.extend(_rhetorical(text, points))
    findings.extend(_bare_verbs(text, points, clauses, exempt, words, phrasing))
    findings.extend(_permitted_acts(answer, points, clauses, exempt, words))
    findings.extend(_opposites(text, points, clauses, exempt, words))
    findings.extend(_postponed(text, points, words))
    findings.extend(_needless(text, points, clauses, exempt, words))
    findings.extend(_unhurried(text, points, clauses, words))
    findings.extend(_indifferent(text, points, clauses, words))
    findings.extend(_partial(text, points, words))
    return _unique(findings)


def _indifferent(text: str, points: list[PointSpans], clauses: list[tuple[int, int]],
                 words: Negation) -> list[Finding]:
    """熄不熄一个样, 看没看都行: an act asked and not asked alike is not asked at all."""
    findings = []
    for low, high in clauses:
        for m in _EITHER_WAY.finditer(text, low, high):
            if any(w in text[m.end():high] for w in words.indifferent):
                label = _waived_label(text, (m.start() + 1, "不"), points, [], low)
                if label:
                    findings.append(Finding("negated", label, m.start(), high))
    return findings



def _partial(text: str, points: list[PointSpans], words: Negation) -> list[Finding]:
    """您先开一个就行, 大部分就行: a part of what is asked, said to be enough, waives the rest."""
    for part in words.partial:
        at = text.find(part)
        while at >= 0:
            stop = at + len(part)
            if any(text.startswith(w, i) for w in words.partial_enough
                   for i in range(stop, stop + 2)):
                label = _waived_label(text, None, points, [], at)
                return [Finding("negated", label, at, stop)] if label else []
            at = text.find(part, at + 1)
    return []


def _unhurried(text: str, points: list[PointSpans], clauses: list[tuple[int, int]],
               words: Negation) -> list[Finding]:
    """不着急充值, 充值不用急, 充值的事不急: "no hurry" said of the key action itself puts it
    off, as 不急着充值 does. Before the action only the 不 forms: 别急/别着急 comfort the
    customer (您别急稍等一下)."""
    findings = []
    highs = [b for _, b in clauses]
    lows = [a for a, _ in clauses]
    for point in points:
        if point.polarity != "do":
            continue
        for start, end in point.spans:
            high = highs[min(bisect_left(highs, end), len(highs) - 1)] if highs else len(text)
            low = _clause_start(lows, start)
            if any(r in text[low:start] for r in _REQUESTS) or any(
                    b < end for b in highs if b > start):
                high = end  # 请熄火别着急 asks for the action (the kind word is his manner);
                # or the saying runs over a clause break
            gap = len(text[end:high]) - len(text[end:high].lstrip(_TOPIC_GAP))
            said = next((w for w in words.unhurried if text.startswith(w, end + gap)
                         and end + gap + len(w) <= high), None)
            if said and text[end + gap - 1:end + gap] in "你您":
                said = None  # 你别着急: said to the customer
            tail = text[end + gap + len(said):high].rstrip(_PARTICLES) if said else ""
            before = any(w.startswith("不") and text.startswith(w, start - len(w))
                         and start - len(w) >= low for w in words.unhurried)
            if before or (said and len(tail) <= _TAIL):
                findings.append(Finding("negated", point.label, start, end))
    return findings


def _needless(text: str, points: list[PointSpans], clauses: list[tuple[int, int]],
              exempt: set[int], words: Negation) -> list[Finding]:
    """没有熄火的必要: the point said as a need that is denied."""
    findings = []
    lows = [a for a, _ in clauses]
    for point in points:
        if point.polarity != "do":
            continue
        for start, end in point.spans:
            if not text.startswith(words.needless, end):
                continue
            low = _clause_start(lows, start)
            if _word_before(text, start, low, words.lacking, exempt, reach=_BEFORE) is not None:
                findings.append(Finding("negated", point.label, start, end))
    return findings


def _clause_start(lows: list[int], at: int) -> int:
    """Where the clause holding position `at` starts (`lows`: the clauses' starts, sorted)."""
    return lows[bisect_right(lows, at) - 1] if lows and lows[0] <= at else 0


def _postponed(text: str, points: list[PointSpans], words: Negation) -> list[Finding]:
    """等会儿再熄, 下次再开, 加完气再把火熄了: the action put off is not asked for now (put off
    till after fuelling, only an act due before it)."""
    findings = []
    for point in points:
        if point.polarity != "do":
            continue
        due_before = any(w.startswith(words.before_fuelling) for w in point.wordings)
        for later in words.postponers + (words.after_fuelling if due_before else ()):
            at = text.find(later)
            while at >= 0:
                stop = at + len(later)
                follows = text[stop:stop + 1]
                if (follows and follows in point.first_chars and follows not in _LIGHT_VERBS) or any(
                        stop <= s <= stop + _PUT_OFF_REACH for s, _ in point.spans):
                    findings.append(Finding("negated", point.label, at, stop + 1))
                    break
                at = text.find(later, at + 1)
        if due_before and point.label not in {f.label for f in findings}:
            # 等枪插上了您再熄, 等我插好枪您再下来: put off till something at the pump is done.
            for m in _WAIT_FOR.finditer(text):
                stop = m.end()
                follows = text[stop:stop + 1]
                if (follows and follows in point.first_chars and follows not in _LIGHT_VERBS) or any(
                        stop <= s <= stop + _PUT_OFF_REACH for s, _ in point.spans):
                    findings.append(Finding("negated", point.label, m.start(), stop + 1))
                    break
    prohibits = any(p.polarity != "do" or any(w.startswith(words.before_fuelling)
                                              for w in p.wordings) for p in points)
    if findings or not prohibits:
        return findings  # (核对完再离开 complies with nothing prohibited)
    # 打完这个再出去, 说完这两句再出去, 加完气再把烟熄灭: complying with a prohibition put off
    # (after a put-off word, or after something 完) permits the act till then, whatever the
    # key point's polarity.
    at = text.find("再")
    while at >= 0:
        before = text[max(0, at - _FINISHED_REACH):at + 1]
        put_off = "完" in before or any(before.endswith(w) for w in
                                         words.postponers + words.after_fuelling)
        if put_off and any(text.startswith(w, i) for w in words.compliance
                           for i in range(at + 1, at + _PUT_OFF_REACH + 3)):
            label = _waived_label(text, None, points, [], at)
            return [Finding("negated", label, at, at + 1)] if label else []
        at = text.find("再", at + 1)
    return findings


def _opposites(text: str, points: list[PointSpans], clauses: list[tuple[int, int]],
               exempt: set[int], words: Negation) -> list[Finding]:
    """在车里坐着就可以了: the opposite of a key action, permitted, gives the action up."""
    findings = []
    for point in points:
        if point.polarity != "do":
            continue
        opposite = [w for group in words.opposites if group[0] in point.wordings
                    for w in group[1:]]
        asked = sorted(s for s, _ in point.spans)
        for low, high in clauses:
            found = next((at for word in opposite for at in _places(text, word, low, high)
                          if _permits(text, at, len(word), (low, high), exempt, words,
                                      before=True)
                          or _told(text, at, len(word), (low, high), asked, exempt, words)),
                         None)
            if found is not None:
                findings.append(Finding("negated", point.label, found, high))
                break
    return findings


def _told(text: str, start: int, size: int, clause: tuple[int, int], asked: list[int],
          exempt: set[int], words: Negation) -> bool:
    """乘客坐车里, 小朋友留在车上: the opposite of the key action ending a clause that does not
    ask for the action is said as what to do."""
    low, high = clause
    rest = text[start + size:high].rstrip(_PARTICLES)
    return (rest in ("", "等", "等着", "等会", "等会儿") and not _any_between(asked, low, high)
            and _word_before(text, start, low, words.prohibitors + words.negators, exempt,
                             reach=4) is None)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    result = []
    for finding in findings:
        if finding.label not in seen:
            seen.add(finding.label)
            result.append(finding)
    return result


def _rhetorical(text: str, points: list[PointSpans]) -> list[Finding]:
    """熄什么火, 下啥车: a verb and its object split by 什么/啥 asks why bother, i.e. don't."""
    findings = []
    for point in points:
        if point.polarity != "do":
            continue
        for wording in point.wordings:
            if (len(wording) != 2 or "什" in wording or "啥" in wording
                    or wording[0] in _LIGHT_VERBS):
                continue  # 有什么事 asks
            for middle in ("什么", "啥"):
                at = text.find(wording[0] + middle + wording[1:])
                # 请问您有什么事 asks; 熄什么火 scoffs.
                if at >= 0 and not any(q in text[max(0, at - 3):at] for q in _QUESTIONS):
                    findings.append(Finding("negated", point.label, at,
                                            at + len(wording) + len(middle)))
    return findings


def _bare_verbs(text: str, points: list[PointSpans], clauses: list[tuple[int, int]],
                exempt: set[int], words: Negation, phrasing: str) -> list[Finding]:
    """就别熄了, 不用熄, 其实也不用留: a negator and a verb of the key action (the first
    character of a key point, or a character the approved phrasing asks for), ending a clause."""
    findings = []
    asked = [p for p in points if p.polarity == "do"]
    for low, high in clauses:
        tail = text[low:high].rstrip(_PARTICLES)
        end = low + len(tail)
        if not tail or not asked:
            continue
        negator = _word_before(text, end - 1, low, words.negators, exempt, reach=1)
        if (negator is None or _conceded(text, (low, high), negator[0], words)
                or _asks(text, negator)):
            continue
        if any(text.startswith(c, negator[0]) for c in words.consequences):
            continue  # 不熄火是不给加的: the station's refusal, not the customer let off
        if _conditional(text, negator, end, (low, high), words):
            continue  # 如果不熄火,我们就没法给您加气
        verb = tail[-1]
        point = next((p for p in asked if verb in p.first_chars), None)
        if point is None and verb in phrasing and verb not in _LIGHT_VERBS:
            point = _nearest_in(phrasing, phrasing.find(verb), asked)
        if point is not None:
            findings.append(Finding("negated", point.label, negator[0], end))
    return findings


def _nearest_in(phrasing: str, at: int, points: list[PointSpans]) -> PointSpans | None:
    """The key point the phrasing says nearest to position `at`."""
    placed = [(abs(phrasing.find(w) - at), p) for p in points for w in p.wordings
              if w in phrasing]
    return min(placed, key=lambda x: x[0])[1] if placed else (points[0] if points else None)


def _permitted_acts(answer: Prepared, points: list[PointSpans],
                    clauses: list[tuple[int, int]], exempt: set[int],
                    words: Negation) -> list[Finding]:
    """您抽一根没事, 站远点抽也行, 电话您接吧: a prohibited act said with a permission."""
    text = answer.text
    def banned(point: PointSpans) -> list[str]:
        if point.polarity == "forbid":
            return [w for w in point.wordings if "+" not in w]
        if point.polarity == "self":
            return [_act(w, words) for w in point.wordings if "+" not in w
                    and w.startswith(words.prohibitors) and w not in words.not_negations]
        return []

    prohibited = [p for p in points if banned(p)]
    if not prohibited:
        return []
    asked = sorted(s for p in points if p.polarity == "do" for s, _ in p.spans)
    # A station-wide prohibition (no smoking) is checked by its own words only: bare act verbs
    # (打, 接) are the item's prohibition's (您可以随时打 is right on the hotline).
    verbs = set(words.act_verbs) if any(not p.station_wide for p in prohibited) else set()
    acts = sorted(verbs | {a for p in prohibited for a in banned(p)} - {""},
                  key=len, reverse=True)
    findings = []
    for low, high in clauses:
        if _any_between(asked, low, high):
            continue  # 请到站外接吧: the act where it is allowed
        found = next((start for act in acts for start in _places(text, act, low, high)
                      if _permits(text, start, len(act), (low, high), exempt, words)), None)
        if found is not None:
            findings.append(Finding("permitted", prohibited[0].label, found, high))
    return findings


def _any_between(starts: list[int], low: int, high: int) -> bool:
    index = bisect_left(starts, low)
    return index < len(starts) and starts[index] < high


def _places(text: str, word: str, low: int, high: int) -> list[int]:
    places = []
    at = text.find(word, low, high)
    while at >= 0:
        places.append(at)
        at = text.find(word, at + 1, high)
    return places


def _permits(text: str, start: int, size: int, clause: tuple[int, int], exempt: set[int],
             words: Negation, *, before: bool = False) -> bool:
    """Whether the act said at `start` is permitted: 抽一根没事, 抽也行, 抽吧; with `before`,
    by a permission before it too (可以留在车里: the opposite of an act, never 可以去站外接)."""
    low, high = clause
    if _word_before(text, start, low, words.prohibitors + words.negators, exempt, reach=4):
        return False  # 不能抽, 千万不要在这里抽烟: prohibited, as it should be
    if before and (_word_before(text, start, low, words.permissions, exempt, reach=4)
                   or text[start - 1:start] == "就"):
        return True  # 可以留在车里; 您要是怕冷就坐车上等, 想开就开着
    after = text[start + size:min(high, start + size + 6)]
    if any(w in after for w in words.permission_after if w != "吧"):
        return True
    if text[max(low, start - 1):start] in ("想", "要") and text.startswith("就", start + size):
        return True  # 实在想抽就躲车后头抽两口, 您要抽就抽吧
    if text[max(low, start - 1):start] == "照" and not before:
        return True  # 手机照打
    # Told where or how little to do it: only a bare one-character verb (严禁打手机 heard as
    # 严谨打手机 is no permission), not after 又/还 (又打电话 tells what he did).
    told = not before and size == 1 and text[start:start + size] in words.act_verbs \
        and text[start - 1:start] not in ("又", "还") and (
        text[start + size:high].rstrip(_PARTICLES) == "" and start > low
        or text.startswith(_SMALL_AMOUNTS, start + size))
    if (told and not any(w in text[low:high] for w in _ELSEWHERE + _ASKING_WHY)
            and _word_before(text, start, low, words.prohibitors + words.negators, set(),
                             reach=4) is None):
        return True  # 到加气机后面抽, 您把窗户关上抽, 抽一口就灭掉
    return text[start + size:high].rstrip("了啦呀啊哈") == "吧"  # 您接吧, 抽吧


def _act(wording: str, words: Negation) -> str:
    """The act a prohibition names: 严禁烟火 → 烟火, 禁止吸烟 → 吸烟; 手机 stays 手机."""
    for prohibitor in sorted(words.prohibitors, key=len, reverse=True):
        if wording.startswith(prohibitor):
            return wording[len(prohibitor):]
    return wording


def _judge(point: PointSpans, start: int, end: int, clause: tuple[int, int], text: str,
           exempt: set[int], words: Negation) -> Literal["negated", "permitted"] | None:
    low, high = clause
    # 今天不用严禁烟火, 严禁烟火就免了: a prohibition (prohibited, or one by its own words)
    # waived by a "no need" just before or after it.
    prohibition = point.polarity == "forbid" or (
        point.polarity == "self" and any(w in text[start:end] for w in words.prohibitors))
    if prohibition:
        no_need = tuple(w for w in words.after_topic if w not in words.prohibitors)
        if (_word_before(text, start, low, no_need, exempt, reach=_BEFORE) is not None
                or _negator_at(text, end, min(high, end + 3), no_need, exempt) is not None):
            return "permitted"
    if point.polarity == "forbid":
        permission = _word_before(text, start, low, words.permissions, exempt, reach=5)
        if permission is not None and not (permission[0] and text[permission[0] - 1] in "不没别"):
            return "permitted"
        return None
    if point.polarity == "self":
        return None
    if _conceded(text, clause, start, words):
        return None
    # A lone 请 or 您 is courtesy, not an act a negator before it could deny: 不能载客,请……
    # heard as 不能再课请 (two blind speech sets) negates nothing of the apology.
    negator = None if text[start:end] in ("请", "您") else _word_before(
        text, start, low, words.negators, exempt, reach=_BEFORE)
    if (negator is not None and not _conditional(text, negator, end, clause, words)
            and not _asks(text, negator)
            and not any(h in text[negator[0]:start] for h in words.hazards)):
        return "negated"  # (别开关电器抢修人员已出发: the 别 is aimed at the hazard)
    # 发动机不用关; 赶不到 (赶到 with 不 slipped in), unless 不 is the wording's own.
    inside = _negator_at(text, start + 1, end - 1, words.negators, exempt) if end - start > 3 \
        or (end - start == 3 and text[start:end] not in point.wordings) else None
    if inside is not None and not _conditional(text, inside, end, clause, words):
        return "negated"  # a key point said in two parts around its negator: 发动机不用关
    if (end < high and text.startswith(words.incapable, end) and end not in exempt
            and not any(s > start for s, _ in point.spans)):
        return "negated"  # 受理不了; not 现在答复不了,……三个工作日内给您答复
    # From the point's last character: heard, 站外免了 is 站外面 (面 for 免) and 了. (Not from a
    # 不 or 没: 充不用跑 is no 充入 followed by 用.)
    first = end - 1 if text[end - 1] not in "不没别" else end
    after = _negator_at(text, first, min(high, end + _AFTER_TOPIC), words.after_topic, exempt)
    if after is not None and after[0] + len(after[1]) <= end:
        after = _negator_at(text, end, min(high, end + _AFTER_TOPIC), words.after_topic, exempt)
    if after is not None:
        position, word = after
        rest = text[position + len(word):high]
        core = rest.rstrip(_PARTICLES)
        # 核对什么的就不用了; a topic (办公室您不用去, 充值的事您不用放在心上) needs no 了.
        topic = point.noun or text.startswith(_TOPIC_MARKERS, end)
        if (len(core) <= _TAIL and (not core or core != rest)) or (topic and len(core) <= 5):
            return "negated"
    return None


def _waivers(answer: Prepared, points: list[PointSpans], clauses: list[tuple[int, int]],
             exempt: set[int], words: Negation) -> list[Finding]:
    text = answer.text
    findings = []
    for low, high in clauses:
        whole = text[low:high]
        clause = whole.rstrip(_PARTICLES)
        if (whole in words.giving_up or clause in words.giving_up) and low > 0:
            # A clause that is nothing but the waiver (……算了) gives up what was just asked.
            label = _waived_label(text, None, points, [], low)
            if label:
                findings.append(Finding("negated", label, low, low + len(clause)))
            continue
        strong = _ending(words.giving_up).search(whole) or _ending(words.giving_up).search(clause)
        if strong is not None:
            # 后备箱您不方便就算了, 熄火这一步可以省了: the point before it is given up.
            said = [p for p in points if any(low <= s < high for s, _ in p.spans)]
            label = _waived_label(text, None, points, said, high)
            if label:
                findings.append(Finding("negated", label, low, high))
            continue
        ending = _ending(words.waivers).search(clause)
        if ending is None:
            weak = _ending(words.waivers_after_negator + ("行",)).search(clause)
            if weak is not None and _negator_at(text, low, low + weak.start(), words.negators,
                                               exempt) is not None:
                # 您那车不熄没事: a negated action said to be fine.
                said = [p for p in points if any(low <= s < high for s, _ in p.spans)]
                negated = _negator_at(text, low, low + weak.start(), words.negators, exempt)
                label = _waived_label(text, negated, points, said, low)
                if label:
                    findings.append(Finding("negated", label, low, high))
            continue
        body_end = low + ending.start()
        negated = _negator_at(text, low, body_end, words.negators + ("没", "没有"), exempt)
        condition = any(w in text[low:body_end] for w in words.conditions)
        said = [p for p in points if any(low <= s < high for s, _ in p.spans)]
        loose = any(w in text[low:body_end] for w in ("随便", "尽管", "随意", "放心"))
        if loose and negated is None:
            label = _waived_label(text, None, points, said, high)
            if label:  # 随便走走也没事: whatever the customer likes is fine
                findings.append(Finding("negated", label, low, high))
            continue
        if negated is None and not said:
            continue  # 现金刷卡都可以, 不方便的话扫码也行: a choice offered, nothing given up
        if negated is None and not condition and all(p.polarity == "do" for p in said):
            continue
        label = _waived_label(text, negated, points, said, low)
        if label:
            findings.append(Finding("negated", label, low, low + len(clause)))
    return findings


def _waived_label(text: str, negated: tuple[int, str] | None, points: list[PointSpans],
                  said: list[PointSpans], low: int) -> str | None:
    """The key point a waiver gives up: the one its negator starts (不熄 → 熄火), one said in
    the clause, else the nearest said before it (courtesy points last), else the first."""
    if negated is not None:
        position, word = negated
        follows = text[position + len(word):position + len(word) + 1]
        for point in points:
            if follows and follows in point.first_chars:
                return point.label
    substantive = [p for p in points if p.label not in lexicon.COURTESY_WORDS]
    if said:
        return next((p.label for p in said if p in substantive), said[0].label)
    earlier = sorted((max(s for s, _ in p.spans if s < low), p.label)
                     for p in substantive if any(s < low for s, _ in p.spans))
    if earlier:
        return earlier[-1][1]
    return substantive[0].label if substantive else (points[0].label if points else None)


def _asks(text: str, negator: tuple[int, str]) -> bool:
    """对不对, 熄不熄火, 要不要: the same verb either side of 不 asks, it does not negate."""
    at, word = negator
    return word in ("不", "没") and at > 0 and text[at - 1:at] == text[at + 1:at + 2]


def _conceded(text: str, clause: tuple[int, int], at: int, words: Negation) -> bool:
    """虽然这块不是我负责,但我帮您找: a concession, then the point kept."""
    low, high = clause
    if any(c in text[low:at] for c in words.concessions) and any(
            b in text[at:] for b in words.buts if len(b) > 1 or b == "但"):
        return True
    return text.startswith(words.buts, high) and not text.startswith(("不过", "可以"), high)


def _conditional(text: str, negator: tuple[int, str], end: int, clause: tuple[int, int],
                 words: Negation) -> bool:
    """不熄火不能加气, 如果不熄火,我们没法加气: the negated action is only the condition of
    a refusal. The refusal must follow in the same clause, or in the next one when this clause
    is marked as a condition (如果, 的话)."""
    low, high = clause
    position, _ = negator
    marked = any(w in text[low:high] for w in words.conditions)
    # 如果不熄火, 要是您不熄火: the negated action is the condition itself (the condition word
    # just before the negator, no 就 between); 您要是着急就别熄了 negates the consequence.
    for word in words.conditions:
        at = text.rfind(word, low, position)
        if at >= 0 and position - (at + len(word)) <= 2 and "就" not in text[at:position]:
            return True
    reach = min(len(text), high + 8) if marked else high
    return any(w in text[end:reach] for w in words.consequences)


def _word_before(text: str, start: int, low: int, candidates: tuple[str, ...], exempt: set[int],
                 *, reach: int) -> tuple[int, str] | None:
    """The candidate word ending nearest before `start`, at most `reach` characters before it,
    inside the clause starting at `low` and not part of an exempt expression."""
    window_low = max(low, start - reach - max(map(len, candidates), default=0))
    best: tuple[int, str] | None = None
    for m in _alternation(candidates).finditer(text, window_low, start):
        word = m.group(1)
        at, finish = m.start(1), m.start(1) + len(word)
        if finish > start or start - finish > reach or at in exempt:
            continue
        # The word ending nearest the point wins; of two ending together, the longer.
        if best is None or (finish, len(word)) > (best[0] + len(best[1]), len(best[1])):
            best = (at, word)
    return best


def _negator_at(text: str, low: int, high: int, candidates: tuple[str, ...], exempt: set[int]
                ) -> tuple[int, str] | None:
    """The first candidate word starting in [low, high) that is not part of an exemption."""
    longest = max(map(len, candidates), default=0)
    for m in _alternation(candidates).finditer(text, max(0, low), min(len(text), high + longest)):
        at = m.start(1)
        if at >= high:
            return None
        if at not in exempt:
            return at, m.group(1)
    return None


@lru_cache(maxsize=64)
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    # A lookahead finds overlapping candidates; longer words first at each position.
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("(?=(" + "|".join(re.escape(w) for w in ordered) + "))")


def _covered(text: str, expressions: tuple[str, ...], negators: tuple[str, ...] = ()
             ) -> set[int]:
    """Positions inside a fixed expression that negates nothing (不客气, 别忘了), unless a
    longer negator starts there (不用急着充值 negates; 不用急 alone does not)."""
    covered: set[int] = set()
    for m in _alternation(expressions).finditer(text):
        at, expression = m.start(1), m.group(1)
        if not any(len(n) > len(expression) and text.startswith(n, at) for n in negators):
            covered.update(range(at, at + len(expression)))
    return covered


def _covered_by_sound(answer: Prepared, expressions: tuple[str, ...], *,
                      first_near: bool = False, negators: tuple[str, ...] = ()) -> set[int]:
    """Fixed expressions heard or typed as homophones (队不起 for 对不起); with
    `first_near`, their first syllable also as a near-sound (最不齐 for 对不起). As in
    `_covered`, not where a longer negator starts (不用急着充值)."""
    covered: set[int] = set()
    pattern = _near_first_alternation(expressions) if first_near \
        else _sound_alternation(expressions)
    longer = _sound_words(negators)
    for m in pattern.finditer(answer.loose):
        at, end = m.start(1), m.end(1)
        if any(len(n) > end - at and answer.loose.startswith(n, at) for n in longer):
            continue
        covered.update(range(at, end))
    return covered


@lru_cache(maxsize=8)
def _sound_words(words: tuple[str, ...]) -> tuple[str, ...]:
    from trainer.scoring.textnorm import prepare_cached

    return tuple(s for s in (prepare_cached(w).loose for w in words) if s)


@lru_cache(maxsize=8)
def _near_first_alternation(expressions: tuple[str, ...]) -> re.Pattern[str]:
    from trainer.scoring.keypoints import char_class

    options = ["".join(char_class(c, near=i == 0) for i, c in enumerate(e)) for e in expressions]
    return re.compile("(?=(" + "|".join(options or [r"(?!x)x"]) + "))")


@lru_cache(maxsize=8)
def _sound_alternation(expressions: tuple[str, ...]) -> re.Pattern[str]:
    from trainer.scoring.textnorm import prepare_cached

    sounds = sorted({prepare_cached(e).loose for e in expressions if len(e) >= 3}, key=len,
                    reverse=True)
    return re.compile("(?=(" + "|".join(re.escape(s) for s in sounds if s) + "))")


@lru_cache(maxsize=64)
def _ending(words: tuple[str, ...]) -> re.Pattern[str]:
    """Matches one of the words (two characters or more) at the end of a clause."""
    ordered = sorted((w for w in set(words) if len(w) >= 2), key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(w) for w in ordered) + ")$")


STATION_RULE = "(站规)"  # marks a station-wide rule's label in a reason: 否定了要点:熄火(站规)


def station_points(words: Negation, spans: list[PointSpans], text: str) -> list[PointSpans]:
    """The station-wide rules (engine off, no smoking) as points of every item whose own key
    points do not already say them, where the answer says one."""
    own = {w for p in spans for w in p.wordings}
    rules: list[tuple[tuple[str, ...], Polarity]] = [
        *((g, "do") for g in words.station_do), *((g, "forbid") for g in words.station_forbid)]
    found = []
    for group, polarity in rules:
        if own & set(group):
            continue
        said = sorted({(at, at + len(w)) for w in group for at in _places(text, w, 0, len(text))})
        if said:
            found.append(PointSpans(group[0] + STATION_RULE, polarity, tuple(said),
                                    frozenset(w[0] for w in group), group, station_wide=True))
    return found
