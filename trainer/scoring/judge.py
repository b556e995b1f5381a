"""score_answer: judging one answer the way a careful station head would.

Outright fails, whatever else the answer gets right: nothing said, no Chinese, far too long,
a forbidden phrase, a wrong or missing amount, a wrong name or choice. Otherwise the best
matching approved phrasing decides: every key point kept and courtesy kept passes; a phrasing
of courtesy alone needs to be close in wording. "review" is kept for a narrow band: one derived
key point of several missing in an otherwise close answer, or courtesy missing in an answer
that is otherwise right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from trainer.scoring.alignment import aligned_text, diff, similarity
from trainer.scoring.forbidden import ForbiddenHit
from trainer.scoring.item import CompiledItem, CompiledVariant
from trainer.scoring.keypoints import polite_in
from trainer.scoring.numbers import UNIT_LABELS, format_number, parse_amount_value
from trainer.scoring.phonetic import is_han, loose_class, near_class
from trainer.scoring.placeholders import Slot, fill
from trainer.scoring.results import ScoreResult, Verdict, band
from trainer.scoring.textnorm import Prepared, prepare, prepare_cached

LENGTH_FACTOR = 3  # an answer more than ~3x the phrasing is not a service phrase
LENGTH_SLACK = 10  # ...but a very short phrasing (再见) leaves room for 好的,谢谢您,再见
CLOSE = 0.6  # similarity of an answer that says most of the phrasing
NEARLY = 0.7  # ...and of one that says it nearly word for word
BORDER = 0.45  # below this a phrasing without key points is plainly not said
SCENE = 0.45  # below this, with few key points, the answer belongs to another scene
_RANK = {"pass": 2, "review": 1, "fail": 0}


@dataclass
class _Judgement:
    variant: str
    prepared: Prepared
    verdict: Verdict = "pass"
    raw: float = 0.0
    hit: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)


def score_answer(item: CompiledItem, answer: str | None,
                 values: Mapping[str, str] | None = None) -> ScoreResult:
    """Score an answer (typed, or a recogniser's text) against a compiled item.

    `values` fill the placeholders for this attempt. Raises ValueError (Chinese message) only
    when an amount or name placeholder has no value; never because of the answer's text.
    """
    values = {str(k): str(v) for k, v in (values or {}).items()}
    prepared = prepare(answer or "")
    judgements = [_judge_variant(item, v, prepared, values) for v in item.variants]
    if not prepared.text:
        return ScoreResult(0, "fail", None, reasons=["没有作答"], normalized="")
    best = max(judgements, key=lambda j: (_RANK[j.verdict], j.raw))
    verdict: Verdict = best.verdict
    reasons: list[str] = []
    hits = _forbidden(item, prepared)
    if hits:
        verdict = "fail"
        reasons.append("含服务忌语:" + "、".join(dict.fromkeys(h.phrase for h in hits)))
    longest = max(len(j.prepared.text) for j in judgements)
    if len(prepared.text) > max(LENGTH_FACTOR * longest, longest + LENGTH_SLACK):
        verdict = "fail"
        reasons.append("回答过长,不像服务用语")
    if not prepared.has_han:
        verdict = "fail"
        reasons.append("没有中文内容,请用普通话回答")
    if verdict == "pass" or not reasons:
        reasons.extend(best.reasons)
    else:
        reasons.extend(r for r in best.reasons if not r.startswith(("符合", "换了说法", "接近")))
    score = band(100 * best.raw, verdict)
    if hits:
        score = min(score, 20)
    faults = (["forbidden"] if hits else []) + best.faults
    return ScoreResult(
        score=score,
        verdict=verdict,
        matched_variant=best.variant,
        key_points_hit=best.hit,
        key_points_missed=best.missed,
        forbidden_found=hits,
        diff=diff(best.prepared, prepared),
        reasons=reasons,
        normalized=prepared.text,
        faults=list(dict.fromkeys(faults)),
    )


def _forbidden(item: CompiledItem, answer: Prepared) -> list[ForbiddenHit]:
    hits: list[ForbiddenHit] = []
    for matcher in item.matchers:
        hits.extend(matcher.find(answer, ignore=item.allowed_forbidden))
    return sorted(set(hits), key=lambda h: (h.start, h.end))


def _judge_variant(item: CompiledItem, variant: CompiledVariant, answer: Prepared,
                   values: Mapping[str, str]) -> _Judgement:
    filled, slots = fill(variant.template, item.placeholders, values)
    expected = prepare_cached(filled)
    judgement = _Judgement(filled, expected)
    if not answer.text:
        judgement.verdict = "fail"
        return judgement
    sim = similarity(expected, answer)
    gate_reasons = []
    for slot in slots:
        if reason := _check_slot(slot, expected, answer):
            gate_reasons.append(reason)
            judgement.faults.append(slot.placeholder.kind)
    points = item.key_points if item.key_points is not None else variant.key_points
    for point in points:
        (judgement.hit if point.found_in(answer) else judgement.missed).append(point.label)
    coverage = len(judgement.hit) / len(points) if points else sim
    judgement.raw = 0.5 * coverage + 0.5 * sim
    rude = variant.courteous and not polite_in(answer)
    verdict: Verdict = "pass"
    reasons: list[str] = []
    if points and coverage <= 1 / 3 and sim < SCENE:
        reasons.append("不是本场景的服务用语")
    reasons.extend(gate_reasons)
    if judgement.missed:
        reasons.append("缺少要点:" + "、".join(judgement.missed))
    if gate_reasons:
        verdict = "fail"
    elif judgement.missed:
        # Derived key points are a heuristic: one of them missing in an answer that otherwise
        # says the phrasing nearly word for word goes to the head rather than failing outright.
        one_derived = item.key_points is None and len(judgement.missed) == 1
        verdict = "review" if one_derived and sim >= NEARLY else "fail"
    elif not points and sim < CLOSE:
        verdict = "review" if sim >= BORDER else "fail"
        reasons.append("与标准用语差别较大")
    if rude:
        reasons.append("缺少礼貌用语(请、您等)")
        verdict = "review" if verdict == "pass" and sim >= NEARLY else "fail"
    extra = _extra_amounts(expected, answer) if not gate_reasons else []
    if extra and verdict == "pass":
        # The right amount said beside another one (找您35元……50元): the customer may have
        # heard either, so a person decides; it never passes on its own.
        verdict = "review"
        reasons.append("还说了其他金额:" + "、".join(extra) + ",需核对")
    if verdict == "review":
        reasons.append("接近标准用语,需站长复核")
    elif verdict == "pass":
        reasons.append("符合标准用语" if sim >= 0.8 else "换了说法,要点齐全")
    judgement.verdict = verdict
    judgement.reasons = reasons
    return judgement


def _check_slot(slot: Slot, expected: Prepared, answer: Prepared) -> str | None:
    kind = slot.placeholder.kind
    if kind == "amount":
        return _check_amount(slot, expected, answer)
    if kind == "name":
        return _check_name(slot, expected, answer)
    if kind == "choice":
        return _check_choice(slot, answer)
    return None


def _slot_range(slot: Slot, expected: Prepared) -> tuple[int, int]:
    inside = [i for i, s in enumerate(expected.starts) if slot.start <= s < slot.end]
    return (inside[0], inside[-1] + 1) if inside else (0, 0)


def _check_amount(slot: Slot, expected: Prepared, answer: Prepared) -> str | None:
    low, high = _slot_range(slot, expected)
    spoken = [a for a in expected.amounts if a.start < high and a.end > low]
    if spoken:
        value, unit = spoken[0].value, spoken[0].unit
    else:
        parsed = parse_amount_value(slot.value)
        if parsed is None:
            return None  # not a number: nothing the engine can check
        value, unit = parsed
    said = [a for a in answer.amounts if not unit or not a.unit or a.unit == unit]
    if any(a.value == value for a in said):
        return None
    wanted = _amount_label(value, unit)
    heard = said or list(answer.amounts)  # 35方 where 35元 is due is a wrong amount too
    if heard:
        return f"金额不对:应为 {wanted},听到 {_amount_label(heard[0].value, heard[0].unit or unit)}"
    return f"缺少金额:应为 {wanted}"


# 唱收唱付: the money received, the total or the amount filled may be said beside the change.
_CONTEXT_AMOUNT = re.compile(r"(收[您你到了]?|实收|一共|共计|总共|合计|加了|加气|余额|充值|充了)$")


def _extra_amounts(expected: Prepared, answer: Prepared) -> list[str]:
    """Amounts the answer says that the phrasing (with this attempt's values) does not."""
    if not expected.amounts:
        return []
    due = {a.value for a in expected.amounts}
    return [_amount_label(a.value, a.unit) for a in answer.amounts
            if a.value not in due and not _CONTEXT_AMOUNT.search(answer.text[:a.start])]


def _amount_label(value: Decimal, unit: str) -> str:
    return f"{format_number(value)} {UNIT_LABELS.get(unit, unit)}".strip()


@lru_cache(maxsize=2048)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    # Every reading of every character (a station called 长安 may be heard as 常安); in a name
    # of two characters or more, one of them may be a near-homophone (坤文 for 昆仑), which is
    # how recognisers garble names. Another station's name differs in more than that.
    text = prepare_cached(name).text
    if not text:
        return None
    exact = [_regex_class(loose_class(c)) for c in text]
    options = ["".join(exact)]
    if len(text) >= 2:
        options += ["".join(exact[:i] + [_regex_class(near_class(c))] + exact[i + 1:])
                    for i, c in enumerate(text) if is_han(c)]
    return re.compile("|".join(options))


def _regex_class(symbols: frozenset[str]) -> str:
    return "[" + "".join(re.escape(s) for s in sorted(symbols)) + "]"


def _said(word: str, answer: Prepared) -> bool:
    pattern = _name_pattern(word)
    return pattern is None or pattern.search(answer.loose) is not None


def _check_name(slot: Slot, expected: Prepared, answer: Prepared) -> str | None:
    if _said(slot.value, answer):
        return None
    what = "站名" if "station" in slot.placeholder.name else "名称"
    low, high = _slot_range(slot, expected)
    heard = aligned_text(expected, answer, low, high) if high > low else ""
    heard = heard if any(is_han(c) for c in heard) else ""
    if heard:
        return f"{what}不对:应为 {slot.value},听到 {heard}"
    return f"缺少{what}:应为 {slot.value}"


def _check_choice(slot: Slot, answer: Prepared) -> str | None:
    wanted = [slot.value] if slot.value else list(slot.placeholder.choices)
    if not wanted or any(_said(w, answer) for w in wanted):
        return None
    others = [c for c in slot.placeholder.choices if c not in wanted and _said(c, answer)]
    if others:
        return f"说法不对:应为 {'或'.join(wanted)},听到 {others[0]}"
    return f"缺少:{'或'.join(wanted)}"
