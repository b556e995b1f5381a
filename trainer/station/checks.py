"""Judging the practical checks a station head runs at the pump (pure: no Flask, no database).

- Grooming (员工形象): the content's checklist, entry by entry. Passed when the checklist says
  so (every critical entry and its pass mark met); the score is the share of entries met.
- Fueling drill: the head taps each step when the attendant reaches it, so every step has a
  time (seconds from the first step) or none (not done). The order is the order of the times,
  judged like an ordering question (a safety-critical step out of place fails); every time
  limit of the station's standard is measured from reaching its start step to reaching its end
  step. Passed when the order passes and every limit is kept. The score is 70 for the order
  (its share of steps in place) and 30 for the limits (their share kept), so a drill over its
  time limit fails but still shows how good the rest was.
- Live spoken check: the scoring engine scores each phrase; the head confirms or overrides the
  verdict of each. Passed when he passes every phrase; the score is the mean of the phrase
  scores (the head's score where he gave one).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from trainer.content import Checklist, Drill, TimeLimit
from trainer.scoring import score_ordering

ORDER_POINTS = Decimal(70)
LIMIT_POINTS = Decimal(30)
# Longer than any fueling drill takes; a larger time is a typing mistake.
MAX_SECONDS = 3600.0
CENT = Decimal("0.01")


def _points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def seconds_text(seconds: float | None) -> str:
    """A time as people say it: 28 秒, 1 分 05 秒; — when not measured."""
    if seconds is None:
        return "—"
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} 秒"
    return f"{whole // 60} 分 {whole % 60:02d} 秒"


# --- grooming ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryResult:
    id: str
    text: str
    critical: bool
    met: bool


@dataclass(frozen=True)
class GroomingResult:
    """The checklist as observed: every entry met or not, the score and the verdict."""

    checklist_id: str
    pass_percent: int
    entries: tuple[EntryResult, ...]
    score: Decimal
    passed: bool
    reasons: tuple[str, ...]

    def details(self) -> dict:
        """The JSON kept on the practical check."""
        return {"checklist": self.checklist_id, "pass_percent": self.pass_percent,
                "entries": [{"id": e.id, "text": e.text, "critical": e.critical, "met": e.met}
                            for e in self.entries],
                "reasons": list(self.reasons)}


def grade_grooming(checklist: Checklist, answers: Mapping[str, bool]) -> GroomingResult:
    """Judge a checklist from the head's answer for every entry (entry id -> met).

    Raises ValueError (Chinese) when an entry has no answer: a skipped entry is not a met one.
    """
    unanswered = [e.text for e in checklist.entries if e.id not in answers]
    if unanswered:
        raise ValueError(f"还有 {len(unanswered)} 项未检查:{unanswered[0]}")
    met = {e.id for e in checklist.entries if answers[e.id]}
    entries = tuple(EntryResult(e.id, e.text, e.critical, e.id in met) for e in checklist.entries)
    total = len(entries)
    score = _points(Decimal(100) * len(met) / total) if total else Decimal(100)
    reasons = [f"关键项不符合:{e.text}" for e in entries if e.critical and not e.met]
    if not reasons and score < checklist.pass_percent:
        reasons.append(f"符合 {len(met)}/{total} 项,未达到 {checklist.pass_percent}%")
    return GroomingResult(checklist.id, checklist.pass_percent, entries, score, checklist.passed(met), tuple(reasons))


# --- fueling drill ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitResult:
    id: str
    title: str
    allowed: int
    taken: float | None  # None: a step of it was not done
    kept: bool

    @property
    def text(self) -> str:
        if self.taken is None:
            return f"{self.title}:未计时(步骤未完成),不符合"
        verdict = "符合" if self.kept else f"超时 {seconds_text(self.taken - self.allowed)}"
        return (f"{self.title}:用时 {seconds_text(self.taken)}"
                f"(限 {seconds_text(self.allowed)}),{verdict}")


@dataclass(frozen=True)
class DrillResult:
    """The drill as timed: the order performed, each limit, the score and the verdict."""

    drill_id: str
    performed: tuple[tuple[str, float], ...]  # (step id, seconds), in the order performed
    order_score: int
    order_passed: bool
    limits: tuple[LimitResult, ...]
    score: Decimal
    passed: bool
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = field(default=())

    def details(self) -> dict:
        """The JSON kept on the practical check."""
        return {
            "drill": self.drill_id,
            "steps": [{"id": step, "seconds": round(seconds, 1)} for step, seconds in self.performed],
            "missing": list(self.missing),
            "order_score": self.order_score, "order_passed": self.order_passed,
            "limits": [{"id": r.id, "title": r.title, "allowed": r.allowed,
                        "taken": None if r.taken is None else round(r.taken, 1), "kept": r.kept}
                       for r in self.limits],
            "reasons": list(self.reasons),
        }


def parse_step_times(drill: Drill, raw: Mapping[str, str]) -> dict[str, float]:
    """The step times from form fields (step id -> seconds as typed; blank: not done).

    Raises ValueError (Chinese) for a time that is not a number, negative or implausibly long.
    """
    times: dict[str, float] = {}
    for step in drill.steps:
        text = (raw.get(step.id) or "").strip().replace(",", ".")
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"“{step.text}”的时间不是数字:{text}") from None
        if not math.isfinite(value) or value < 0 or value > MAX_SECONDS:
            raise ValueError(f"“{step.text}”的时间应在 0 到 {int(MAX_SECONDS)} 秒之间")
        times[step.id] = value
    if not times:
        raise ValueError("没有记录任何步骤的时间")
    return times


def grade_drill(drill: Drill, limits: Iterable[TimeLimit],
                times: Mapping[str, float]) -> DrillResult:
    """Judge a timed drill from the time each step was reached (step id -> seconds)."""
    index = {step.id: i for i, step in enumerate(drill.steps)}
    # Equal times (two taps in one second) keep the content's order.
    performed = tuple(sorted(((s, float(t)) for s, t in times.items() if s in index),
                             key=lambda pair: (pair[1], index[pair[0]])))
    order = score_ordering([s.id for s in drill.steps], [s for s, _ in performed],
                           [s.id for s in drill.steps if s.safety_critical])
    results = tuple(_limit_result(limit, times) for limit in limits)
    kept = sum(r.kept for r in results)
    limit_points = LIMIT_POINTS * kept / len(results) if results else LIMIT_POINTS
    score = _points(ORDER_POINTS * order.score / 100 + limit_points)
    passed = order.verdict == "pass" and all(r.kept for r in results)
    reasons = list(order.reasons) + [r.text for r in results if not r.kept]
    missing = tuple(s.id for s in drill.steps if s.id not in times)
    return DrillResult(drill.id, performed, order.score, order.verdict == "pass", results,
                       score, passed, tuple(reasons), missing)


def _limit_result(limit: TimeLimit, times: Mapping[str, float]) -> LimitResult:
    start, end = times.get(limit.start), times.get(limit.end)
    if start is None or end is None or end < start:
        return LimitResult(limit.id, limit.title, limit.seconds, None, False)
    taken = end - start
    return LimitResult(limit.id, limit.title, limit.seconds, taken, taken <= limit.seconds)


# --- live spoken check -----------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseJudgement:
    """One phrase of a live check: the engine's result and the head's decision."""

    item_id: str
    auto_score: Decimal | None  # None: not answered
    auto_verdict: str | None
    verdict: str                # the head's: pass or fail
    score: Decimal | None = None  # the head's, when he changed it


@dataclass(frozen=True)
class SpokenResult:
    score: Decimal
    passed: bool
    overridden: tuple[str, ...]


def grade_spoken(judgements: Sequence[PhraseJudgement]) -> SpokenResult:
    """The live check: passed when the head passed every phrase; the score is the mean of the
    phrase scores (his where he gave one, an unanswered phrase counting 0)."""
    if not judgements:
        raise ValueError("没有抽查任何服务用语")
    scores = [j.score if j.score is not None else (j.auto_score or Decimal(0)) for j in judgements]
    overridden = tuple(j.item_id for j in judgements
                       if j.verdict != j.auto_verdict or j.score is not None)
    return SpokenResult(_points(sum(scores, Decimal(0)) / len(scores)),
                        all(j.verdict == "pass" for j in judgements), overridden)
