"""score_answer: judging one answer the way a careful station head would.

A head reads the sentence, not only its words. Outright fails, whatever else the answer gets
right: nothing said, no Chinese, a forbidden or rude phrase (as a family: 急啥, 你自己再打吧),
a key point negated or waived (不必熄火, 不熄也没关系) or a prohibition turned into permission
(您可以在这里接电话), a wrong or missing amount (by its role: the figure after 找 is the
change), time limit (48小时内, not 48天 or 40分钟以后) or name, a list of key words that is not
a sentence. Otherwise the best matching approved phrasing decides: every key point kept and
courtesy kept passes. What the answer says beyond the phrasing is judged clause by clause:
courteous or neutral remarks pass, doubtful or unknown ones go to the station head ("review"),
and review is also kept for one derived key point missing in an otherwise close answer, or
courtesy missing in an answer that is otherwise right.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from trainer.scoring import amounts, contradictions, negation, remarks, timelimits
from trainer.scoring.alignment import diff, opcodes, similarity
from trainer.scoring.forbidden import ForbiddenHit
from trainer.scoring.item import CompiledItem, CompiledVariant, polarity_of
from trainer.scoring.keypoints import KeyPoint, is_noun, phrase_words, polite_in
from trainer.scoring.names import check_name, name_spans, other_person, stray_station
from trainer.scoring.phonetic import loose_class
from trainer.scoring.placeholders import Slot, fill, fill_text, without_placeholders
from trainer.scoring.results import ScoreResult, Verdict, band
from trainer.scoring.sentence import is_word_salad
from trainer.scoring.textnorm import Prepared, prepare, prepare_cached
from trainer.scoring.timelimits import find_spans

LENGTH_FACTOR = 6  # an answer this many times the phrasing is no longer a service phrase...
LENGTH_SLACK = 60  # ...once it is also this many characters longer (a head then decides)
CLOSE = 0.6  # similarity of an answer that says most of the phrasing
NEARLY = 0.7  # ...and of one that says it nearly word for word
BORDER = 0.45  # below this a phrasing without key points is plainly not said
SCENE = 0.45  # below this, with few key points, the answer belongs to another scene
_RANK = {"pass": 2, "review": 1, "fail": 0}
MISSING_COURTESY = "缺少礼貌用语(请、您等)"  # a reason trainer.speech.context also reads
_PRAISE = ("符合", "换了说法", "接近")


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
    flags: list[tuple[int, int, str, str]] = field(default_factory=list)  # prepared indices
    matched: set[int] = field(default_factory=set)  # answer positions this phrasing accounts for


def score_answer(item: CompiledItem, answer: str | None,
                 values: Mapping[str, str] | None = None, *, spoken: bool = False,
                 known_names: Iterable[str] = ()) -> ScoreResult:
    """Score an answer (typed, or a recogniser's text) against a compiled item.

    `values` fill the placeholders for this attempt. `spoken`: the text came from a
    recogniser, so names may be near-sounds and rude phrases are also matched by sound.
    `known_names`: station names the engine must never take the right name for (the
    database's stations; the content's examples are in the item already).
    Raises ValueError (Chinese message) only when an amount or name placeholder has no value;
    never because of the answer's text.
    """
    prepared = prepare(answer or "")
    known = tuple(dict.fromkeys((*item.known_names, *known_names)))
    judgements, added = _read(item, prepared, values, spoken, known)
    if not prepared.text:
        return ScoreResult(0, "fail", None, reasons=["没有作答"], normalized="")
    best = max(judgements, key=lambda j: (_RANK[j.verdict], j.raw))
    verdict: Verdict = best.verdict
    reasons: list[str] = []
    faults = list(best.faults)
    flags = list(best.flags)
    hits = _forbidden(item, prepared, spoken)
    for hit in hits:
        verdict = "fail"
        inside = _within(prepared, hit, added)
        faults.append("rude" if hit.kind and inside else "forbidden")
        if hit.kind:
            prefix = "多说了不当的话" if inside else "说了不当的话"
            reasons.append(f"{prefix}({hit.kind}):“{hit.phrase}”")
        else:
            reasons.append(f"含服务忌语:{hit.phrase}")
    if is_word_salad(prepared, [j.prepared for j in judgements]):
        verdict = "fail"
        faults.append("salad")
        reasons.append("不成句:只列出了几个词,没有说成完整的一句话")
    if not prepared.has_han:
        verdict = "fail"
        reasons.append("没有中文内容,请用普通话回答")
    later: list[str] = []
    longest = max(len(j.prepared.text) for j in judgements)
    too_long = len(prepared.text) > max(LENGTH_FACTOR * longest, longest + LENGTH_SLACK)
    if verdict != "fail" and not too_long:
        verdict = _judge_remarks(item, prepared, added, verdict, later, faults, flags)
    put_off = contradictions.put_off(item, prepared) if verdict == "pass" else None
    if put_off:
        verdict = "review"
        faults.append("remark")
        later.append(f"把事情推到了以后(“{put_off}”),需站长判断")
    stray = contradictions.stray_number(item, prepared, spoken) if verdict == "pass" else None
    if stray is not None:
        verdict = "review"
        faults.append("amount")
        said = prepared.original_text(stray.start, stray.end)
        later.append(f"又说了一个数“{said}”,与所说的金额对不上,需站长判断")
    if too_long and verdict == "pass":
        verdict = "review"
        faults.append("length")
        later.append("回答太长,不像一句服务用语,请站长确认")
    if verdict == best.verdict and not reasons and not later:
        reasons.extend(best.reasons)
    else:
        reasons.extend(r for r in best.reasons if not r.startswith(_PRAISE))
        reasons.extend(later)
        if verdict == "review":
            reasons.append("需站长复核")
    score = band(100 * best.raw, verdict)
    if hits:
        score = min(score, 20)
    return ScoreResult(
        score=score,
        verdict=verdict,
        matched_variant=best.variant,
        key_points_hit=best.hit,
        key_points_missed=best.missed,
        forbidden_found=hits,
        diff=diff(best.prepared, prepared),
        reasons=list(dict.fromkeys(reasons)),
        normalized=prepared.text,
        faults=list(dict.fromkeys(faults)),
        flags=[_flag(prepared, *f) for f in flags],
    )


def added_remarks(item: CompiledItem, answer: str, values: Mapping[str, str] | None = None
                  ) -> list[str]:
    """What the answer says beyond every approved phrasing of the item, remark by remark
    (normalised text), as score_answer judges them."""
    prepared = prepare(answer or "")
    if not prepared.text:
        return []
    _, spans = _read(item, prepared, values, False, ())
    return [prepared.text[a:b] for a, b in spans]


def _read(item: CompiledItem, answer: Prepared, values: Mapping[str, str] | None, spoken: bool,
          known: tuple[str, ...]) -> tuple[list[_Judgement], list[tuple[int, int]]]:
    """Every approved phrasing's judgement of the answer, and the remarks none accounts for.
    A phrasing whose checked placeholder has no value is left out; ValueError when all are."""
    values = {str(k): str(v) for k, v in (values or {}).items()}
    judgements = []
    missing: ValueError | None = None
    for variant in item.variants:
        try:
            judgements.append(_judge_variant(item, variant, answer, values, spoken, known))
        except ValueError as exc:
            missing = exc
    if not judgements:
        raise missing or ValueError("没有标准用语")
    matched = set().union(*(j.matched for j in judgements))
    added = remarks.added(answer, [i in matched for i in range(len(answer.text))])
    return judgements, added


def _judge_remarks(item: CompiledItem, answer: Prepared, added: list[tuple[int, int]],
                   verdict: Verdict, reasons: list[str], faults: list[str],
                   flags: list[tuple[int, int, str, str]]) -> Verdict:
    """Courteous or neutral remarks pass; doubtful or unknown ones go to the head."""
    for index, (start, end) in enumerate(added):
        text = answer.text[start:end]
        low, high = answer.original_span(start, end)
        asked = any(q in answer.original[low:high + 2] for q in "?？")
        following = ""
        if index + 1 < len(added) and added[index + 1][0] == end:
            following = answer.text[slice(*added[index + 1])]
        before = answer.text[max(0, start - 4):start]
        kind, word = remarks.judge(text, item.language, item.vocabulary, question=asked,
                                   following=following, asked_with=before)
        said = answer.original[low:high]
        if kind in ("courteous", "neutral"):
            contrary = contradictions.sent_away(item, text)
            if contrary:
                flags.append((start, end, "remark", "需站长判断的话"))
                faults.append("remark")
                reasons.append(f"多说的话“{said}”{contrary},需站长判断")
                verdict = "review" if verdict == "pass" else verdict
                continue
            if (item.tone is None or not item.tone.doubtful(text)
                    or any(a in text for a in item.language.apologies)):
                continue  # an apology (都怪我们, 让您生气了) is never a rude tone
            # No rule names it, but it sounds like remarks heads have judged rude.
            like = item.tone.closest(text)
            reason = f"多说的话“{said}”语气不妥" + (f"(像“{like}”)" if like else "") + ",需站长判断"
        else:
            reason = f"多说的话“{said}”需站长判断" + (
                f"(“{word}”)" if kind == "suspicious" and word != "?" else "")
        flags.append((start, end, "remark", "需站长判断的话"))
        faults.append("remark")
        reasons.append(reason)
        if verdict == "pass":
            verdict = "review"
    return verdict


def _within(answer: Prepared, hit: ForbiddenHit, spans: list[tuple[int, int]]) -> bool:
    for start, end in spans:
        low, high = answer.original_span(start, end)
        if low <= hit.start and hit.end <= high:
            return True
    return False


def _flag(answer: Prepared, start: int, end: int, kind: str, label: str) -> dict:
    low, high = answer.original_span(start, end)
    return {"start": low, "end": high, "kind": kind, "label": label}


def _forbidden(item: CompiledItem, answer: Prepared, spoken: bool) -> list[ForbiddenHit]:
    hits: list[ForbiddenHit] = []
    for matcher in item.matchers:
        hits.extend(matcher.find(answer, ignore=item.allowed_forbidden, spoken=spoken))
    return sorted(set(hits), key=lambda h: (h.start, h.end))


def _judge_variant(item: CompiledItem, variant: CompiledVariant, answer: Prepared,
                   values: Mapping[str, str], spoken: bool, known: tuple[str, ...]
                   ) -> _Judgement:
    filled, slots = fill(variant.template, item.placeholders, values)
    expected = prepare_cached(filled)
    judgement = _Judgement(filled, expected)
    if not answer.text:
        judgement.verdict = "fail"
        return judgement
    judgement.matched = _aligned(expected, answer)
    sim = similarity(expected, answer)
    gate = _gates(item, slots, expected, answer, spoken, known, judgement, values)
    points = item.key_points if item.key_points is not None else variant.key_points
    grouped: dict[tuple[str, negation.Polarity], list[tuple[int, int]]] = {}
    first_chars: dict[str, frozenset[str]] = {}
    # One heard character is one word: a near-sound of a point never borrows a character
    # where another point is heard as said (手里您: 受理, and no 立即 in 里您).
    said_by = [point.said_characters(answer) if spoken else frozenset() for point in points]
    for index, point in enumerate(points):
        taken = frozenset().union(*(c for i, c in enumerate(said_by) if i != index))
        said = point.occurrences(answer, spoken=spoken, taken=taken)
        (judgement.hit if said else judgement.missed).append(point.label)
        first_chars[point.label] = frozenset(w[0] for w in point.alternatives if w)
        grouped.setdefault((point.label, variant.polarity.get(point.label, "do")), [])
        judgement.matched.update(
            _said_once(point, answer, said, said_by[index] if spoken else None))
        for start, end, wording in said:
            kind = _answer_polarity(item, variant, point.label, wording, start, answer)
            grouped.setdefault((point.label, kind), []).append((start, end))
    wordings = {point.label: point.alternatives for point in points}
    spans = [negation.PointSpans(label, kind, tuple(found), first_chars[label], wordings[label],
                                 is_noun(label))
             for (label, kind), found in grouped.items()]
    for slot in slots:
        if slot.placeholder.kind == "name" and slot.value:
            # 您也别去新区加气站了: the station the customer is sent to, negated.
            found = tuple(name_spans(slot.value, answer, spoken=spoken))
            spans.append(negation.PointSpans(slot.value, "do", found,
                                             frozenset(slot.value[:1]), (slot.value,), True))
    spans.extend(negation.station_points(item.language.negation, spans, answer.text))
    content = "".join(phrase_words(without_placeholders(variant.template)).content)
    denied = negation.find(answer, spans, item.language.negation, content)
    coverage = len(judgement.hit) / len(points) if points else sim
    judgement.raw = 0.5 * coverage + 0.5 * sim
    rude = variant.courteous and not polite_in(answer)
    verdict: Verdict = "pass"
    reasons: list[str] = []
    if points and coverage <= 1 / 3 and sim < SCENE:
        reasons.append("不是本场景的服务用语")
    for finding in denied:
        what = "否定了要点" if finding.kind == "negated" else "把禁止的事说成了可以"
        reasons.append(f"{what}:{finding.label}")
        judgement.flags.append((finding.start, finding.end, "negation", what))
    if denied:
        judgement.faults.append("negation")
    reasons.extend(gate)
    if judgement.missed:
        reasons.append("缺少要点:" + "、".join(judgement.missed))
    if gate or denied:
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
        reasons.append(MISSING_COURTESY)
        verdict = "review" if verdict == "pass" and sim >= NEARLY else "fail"
    if verdict == "review":
        reasons.append("接近标准用语")
    elif verdict == "pass":
        reasons.append("符合标准用语" if sim >= 0.8 else "换了说法,要点齐全")
    judgement.verdict = verdict
    judgement.reasons = reasons
    return judgement


def _said_once(point: KeyPoint, answer: Prepared, said: list[tuple[int, int, str]],
               plain: AbstractSet[int] | None) -> Iterable[int]:
    """The characters of the answer that saying the point accounts for (the rest of a clause
    is judged as a remark). One saying counts: the first plain one, with what overlaps it; a
    weak one (a near-sound, or other words slipped into a wording) only when there is no plain
    one. A point said again is no cover for a remark: after 马上, 就你急 is a remark and no
    second 立即; after 余额, 卡里没钱还说加满 is one; after 告诉您, 跟你说了也白说.
    `plain`: where a wording of the point is said by its own sounds (found here when None,
    and only for a point said more than once)."""
    if len(said) <= 1:
        return point.own_characters(answer, *said[0]) if said else set()
    if plain is None:
        plain = point.said_characters(answer)
    owned = [point.own_characters(answer, start, end, wording) for start, end, wording in said]
    # 甲 … 乙 of a "甲+乙" wording is said apart by design: not weak.
    weak = [(len(chars) < end - start and "+" not in wording)
            or point.heard_only(answer, start, end, plain)
            for chars, (start, end, wording) in zip(owned, said, strict=True)]
    covered: set[int] = set()
    reach = -1  # the end of the saying that counts
    for chars, is_weak, (start, end, _) in zip(owned, weak, said, strict=True):
        if (reach < 0 and (not is_weak or all(weak))) or 0 <= start < reach:
            covered.update(chars)
            reach = max(reach, end)
    return covered


def _answer_polarity(item: CompiledItem, variant: CompiledVariant, label: str, wording: str,
                     start: int, answer: Prepared) -> negation.Polarity:
    """How the answer's saying of a point should stand: as the phrasing says that wording, or
    (a synonym the phrasing does not use) as the phrasing says the point."""
    known = variant.polarity.get(f"{label}|{wording}")
    if known is not None:
        return known
    if polarity_of(wording, answer, start, item.language) == "self":
        return "self"
    return variant.polarity.get(label, "do")


def _gates(item: CompiledItem, slots: tuple[Slot, ...], expected: Prepared, answer: Prepared,
           spoken: bool, known: tuple[str, ...], judgement: _Judgement,
           values: Mapping[str, str]) -> list[str]:
    """Amounts, names, choices and time limits: strict, each failing the answer if wrong."""
    reasons: list[str] = []
    dues = []
    for slot in slots:
        kind = slot.placeholder.kind
        if kind == "amount":
            due = amounts.due_amount(slot, expected, item.language)
            if due is not None:
                dues.append(due)
        elif kind == "name":
            what = "站名" if "station" in slot.placeholder.name else "名称"
            reason = check_name(slot.value, what, expected, answer, _slot_range(slot, expected),
                                spoken=spoken, known=known,
                                cues=item.language.name_roles.get(slot.placeholder.name, ()))
            if reason:
                reasons.append(reason)
                judgement.faults.append("name")
        elif kind == "choice":
            reason = _check_choice(slot, answer)
            if reason:
                reasons.append(reason)
                judgement.faults.append("choice")
    named = {slot.placeholder.name for slot in slots}
    for name, placeholder in item.placeholders.items():
        value = values.get(name, "")
        if placeholder.kind == "name" and "station" not in name and name not in named and value:
            # A phrasing that leaves the person out (请稍候,我去叫他) still may not name
            # another one (我去叫王师傅 when 李师傅 is asked for).
            other = other_person(value, answer)
            if other:
                reasons.append(f"名称不对:应为 {value},说成了 {other}")
                judgement.faults.append("name")
    for slot in slots:
        other_number = contradictions.second_number(slot, answer) if "name" not in judgement.faults else None
        if other_number:  # 您记一下,400-816-5562 after the right 400-816-5526
            reasons.append(f"号码不对:又说了 {other_number}")
            judgement.faults.append("name")
    stations = [slot.value for slot in slots if slot.placeholder.kind == "name"
                and "station" in slot.placeholder.name and slot.value]
    if stations and "name" not in judgement.faults:
        other = stray_station(stations, answer, spoken=spoken)
        if other:
            reasons.append(f"站名不对:又说了 {other}")
            judgement.faults.append("name")
    if dues:
        wrong = amounts.check_amounts(dues, answer, item.language)
        reasons.extend(wrong)
        if wrong:
            judgement.faults.append("amount")
    elif item.context:
        stray = amounts.outside_context(answer, [fill_text(t, values) for t in item.context])
        if stray:  # 表上是十块钱的气 where the customer asked for 100 元
            reasons.append(stray)
            judgement.faults.append("amount")
    for limit in item.time_limits:
        reason = limit.check(answer, item.language, expected.text)
        if reason:
            reasons.append(reason)
            judgement.faults.append(timelimits.fault_of(reason))
    if item.time_limits:
        for span in find_spans(answer, item.language.times):
            judgement.matched.update(range(span.start, span.end))
    for amount in answer.amounts:
        judgement.matched.update(range(amount.start, amount.end))
    return reasons


def _aligned(expected: Prepared, answer: Prepared) -> set[int]:
    """Answer positions that line up, by sound, with the phrasing."""
    matched: set[int] = set()
    for tag, _, _, b0, b1 in opcodes(expected.loose, answer.loose):
        if tag == "equal":
            matched.update(range(b0, b1))
    return matched


def _slot_range(slot: Slot, expected: Prepared) -> tuple[int, int]:
    inside = [i for i, s in enumerate(expected.starts) if slot.start <= s < slot.end]
    return (inside[0], inside[-1] + 1) if inside else (0, 0)


def _said_loosely(word: str, answer: Prepared) -> bool:
    text = prepare_cached(word).text
    if not text:
        return True
    size = len(text)
    return any(all(loose_class(a) & loose_class(b) for a, b in zip(answer.text[i:i + size], text,
                                                                     strict=True))
               for i in range(len(answer.text) - size + 1))


def _check_choice(slot: Slot, answer: Prepared) -> str | None:
    wanted = [slot.value] if slot.value else list(slot.placeholder.choices)
    if not wanted or any(_said_loosely(w, answer) for w in wanted):
        return None
    others = [c for c in slot.placeholder.choices if c not in wanted and _said_loosely(c, answer)]
    if others:
        return f"说法不对:应为 {'或'.join(wanted)},听到 {others[0]}"
    return f"缺少:{'或'.join(wanted)}"
