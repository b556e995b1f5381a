"""How an evaluation's numbers come from a period's records under a policy.

Records in (what the database layer hands over), an `EvaluationResult` out: every component's
score with the records behind it, the effective weights, the total, the grade, the pay
coefficient, the flags, and an explanation in Chinese that lets a staff member redo the sums.
Pure code, Decimal only: no Flask, no database, no floats.

Rounding, in this order, each step using the rounded number of the step before, so every
number the explanation shows is the number that was used:

1. a mean of results (a module's window, a module, a component) is rounded HALF-UP to two
   decimals;
2. the effective weights: a component without records gives its weight to the components
   scored from records (never to a score a person typed) in proportion to their weights.
   Each becomes weight x (100 - the typed components' weights) / (sum of the receiving
   weights), cut to two decimals; the hundredths still missing go one each to the largest
   cut-off remainders (ties: theory, spoken, practical, service order). Without assessment
   data (no theory and no spoken result from records) no weight moves: what is missing
   counts 0;
3. each contribution is score x effective weight / 100, exact (at most six decimals);
4. the total is the exact sum of the contributions rounded HALF-UP to one decimal (89.95 ->
   90.0, never banker's rounding), and the grade is the band of that rounded total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

from trainer import vocabulary
from trainer.evaluations.periods import (
    MONTHLY,
    Period,
    parse_period_key,
    period_bounds,
    period_key_for,
)
from trainer.evaluations.policy import (
    COMMENDATION,
    COMPONENT_LABELS,
    COMPONENTS,
    EVENT_KINDS,
    EVENT_LABELS,
    GRADE_CAPS,
    GRADINGS,
    HUNDRED,
    PRACTICAL,
    SAFETY_VIOLATION,
    SERVICE,
    SPOKEN,
    THEORY,
    ZERO,
    Policy,
    as_decimal,
    format_number,
)
from trainer.timeutil import TIMEZONE

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
# The arithmetic every computation runs in, whatever context the caller has set: 28 digits
# (far beyond the six decimals any exact step needs), HALF-UP for any implicit rounding.
_ARITHMETIC = Context(prec=28, rounding=ROUND_HALF_UP,
                      traps=[InvalidOperation, DivisionByZero, Overflow])

# The practical check kinds (trainer.models.practical); repeated here because this module
# must not import the database models.
PRACTICAL_LABELS = vocabulary.PRACTICAL_LABELS


# ------------------------------------------------------------------------------- records

def _score(value: Any, what: str) -> Decimal:
    """A result score: 0-100 with at most two decimals (as stored); never rounded silently."""
    try:
        number = as_decimal(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what}的分数必须是数字,不能是 {value!r}") from None
    if not ZERO <= number <= HUNDRED:
        raise ValueError(f"{what}的分数必须在 0 到 100 之间,不能是 {format_number(number)}")
    if number != number.quantize(CENT):
        raise ValueError(f"{what}的分数最多两位小数,不能是 {number}")
    return number.quantize(CENT)


def _moment(value: Any, what: str) -> datetime:
    """A naive local datetime: dates are midnight, aware times are converted to local time."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(TIMEZONE).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    raise TypeError(f"{what}的时间必须是日期或时间,不能是 {value!r}")


@dataclass(frozen=True, slots=True)
class QuizResult:
    """The final result of one assessment quiz attempt on a module.

    `pending_review`: the station head has not decided yet; such an attempt is left out and
    reported, never counted. `window_id` and `grading` (highest/first/last/average) are the
    assessment window's and its rule; without a rule the policy's applies. `passed` is the
    final verdict (None: pass at the policy's module pass score); `module_title` is what the
    explanation shows for the module (its id without one)."""

    attempt_id: int
    module_id: str
    score: Decimal
    at: datetime
    pending_review: bool = False
    passed: bool | None = None
    window_id: int | None = None
    grading: str | None = None
    module_title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", _score(self.score, f"理论考核尝试 #{self.attempt_id}"))
        object.__setattr__(self, "at", _moment(self.at, f"理论考核尝试 #{self.attempt_id}"))
        if self.grading is not None and self.grading not in GRADINGS:
            raise ValueError(f"未知的取分规则:{self.grading}")


@dataclass(frozen=True, slots=True)
class SpokenResult:
    """The final result of one role-play (spoken service language) assessment attempt; see
    QuizResult for `pending_review` and `passed`. `module_id` lets a failed module be named."""

    attempt_id: int
    item_id: str
    score: Decimal
    at: datetime
    pending_review: bool = False
    passed: bool | None = None
    module_id: str | None = None
    module_title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", _score(self.score, f"口语考核尝试 #{self.attempt_id}"))
        object.__setattr__(self, "at", _moment(self.at, f"口语考核尝试 #{self.attempt_id}"))


@dataclass(frozen=True, slots=True)
class PracticalResult:
    """A station head's practical check (grooming, drill, live phrases). A drill over its
    time limit has passed=False and counts with the score it got (and caps the grade, as a
    grooming check failed on a ★ item, `critical_failed`, does)."""

    check_id: int
    kind: str
    score: Decimal
    passed: bool
    at: datetime
    module_id: str | None = None
    module_title: str = ""
    critical_failed: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", _score(self.score, f"实操检查 #{self.check_id}"))
        object.__setattr__(self, "at", _moment(self.at, f"实操检查 #{self.check_id}"))


@dataclass(frozen=True, slots=True)
class ServiceEvent:
    """A complaint, commendation or safety violation entered by the station head. Only a
    confirmed one counts. `points` (a magnitude, the kind gives the sign) overrides the
    policy's points for this event."""

    record_id: int
    kind: str
    confirmed: bool
    at: datetime
    points: Decimal | None = None

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"未知的服务记录类型:{self.kind}")
        object.__setattr__(self, "at", _moment(self.at, f"服务记录 #{self.record_id}"))
        if self.points is not None:
            object.__setattr__(self, "points", _score(self.points, f"服务记录 #{self.record_id}"))


Record = QuizResult | SpokenResult | PracticalResult | ServiceEvent


@dataclass(frozen=True)
class Records:
    """One person's records (any period: compute_evaluation keeps the period's own), and
    whether he was cleared for duty at the end of the period (None: not known, no cap;
    `duty_note` says why he was not)."""

    quizzes: tuple[QuizResult, ...] = ()
    spoken: tuple[SpokenResult, ...] = ()
    practical: tuple[PracticalResult, ...] = ()
    service: tuple[ServiceEvent, ...] = ()
    duty_cleared: bool | None = None
    duty_note: str = ""

    def __post_init__(self) -> None:
        for name, kind in (("quizzes", QuizResult), ("spoken", SpokenResult),
                           ("practical", PracticalResult), ("service", ServiceEvent)):
            items = tuple(getattr(self, name))
            for item in items:
                if type(item) is not kind:
                    raise TypeError(f"{name} 中只能放 {kind.__name__},不能放 {item!r}")
            object.__setattr__(self, name, items)


def group_records(rows: Iterable[tuple[Hashable, Record]],
                  kind: str = MONTHLY) -> dict[tuple[Hashable, str], Records]:
    """(person, record) rows grouped by person and period key: {(person, "2026-11"): Records}."""
    buckets: dict[tuple[Hashable, str], tuple[list, list, list, list]] = {}
    slot = {QuizResult: 0, SpokenResult: 1, PracticalResult: 2, ServiceEvent: 3}
    for person, record in rows:
        key = (person, period_key_for(record.at, kind))
        lists = buckets.get(key)
        if lists is None:
            lists = buckets[key] = ([], [], [], [])
        lists[slot[type(record)]].append(record)
    return {key: Records(*lists) for key, lists in buckets.items()}  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- results

@dataclass(frozen=True)
class Part:
    """One line under a component: a module, a role-play item or a check kind."""

    key: str
    label: str
    score: Decimal
    record_ids: tuple[int, ...]
    rule: str


@dataclass(frozen=True)
class Adjustment:
    """A change of a component's score with its written reason; `by` names who made it as
    the explanation says it (the station head reviewing, or HR resolving an appeal)."""

    from_score: Decimal | None
    to_score: Decimal
    reason: str
    by: str = "站长"


@dataclass(frozen=True)
class ComponentResult:
    """One component. `score` None: no records (its weight went to the others).
    `record_ids` are the counted records behind the score (attempt, check or service record
    ids, by time), `pending_ids` those left out because not yet final (awaiting review or
    confirmation), `notes` the Chinese sentences on how the score came from the records."""

    key: str
    label: str
    score: Decimal | None
    record_ids: tuple[int, ...] = ()
    parts: tuple[Part, ...] = ()
    pending_ids: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    weight: Decimal = ZERO
    effective_weight: Decimal | None = None
    contribution: Decimal | None = None
    adjustments: tuple[Adjustment, ...] = ()
    failed_ids: tuple[int, ...] = ()    # counted records that failed (assessments, checks)

    @property
    def missing(self) -> bool:
        return self.score is None

    @property
    def from_records(self) -> bool:
        """Scored from records as they are: no adjustment typed over it."""
        return self.score is not None and not self.adjustments

    @property
    def has_records(self) -> bool:
        return self.automatic_score is not None

    @property
    def adjusted(self) -> bool:
        return bool(self.adjustments)

    @property
    def automatic_score(self) -> Decimal | None:
        """The score the records gave, before any adjustment."""
        return self.adjustments[0].from_score if self.adjustments else self.score


@dataclass(frozen=True)
class FailedModule:
    module_id: str
    title: str


@dataclass(frozen=True)
class EvaluationResult:
    """Everything an evaluation shows and stores, with the policy it used (a frozen copy).

    `no_grade`: no grade and no coefficient (no theory and no spoken result, or the
    components with results all weigh 0) until the station head acts. `incomplete` (数据不全):
    some component has no score. `grade_before_cap` is the band of the total;
    `grade` differs from it only when `safety_capped`."""

    period: Period
    policy: Policy
    components: tuple[ComponentResult, ...]
    total_exact: Decimal | None
    total: Decimal | None
    grade: str | None
    grade_before_cap: str | None
    coefficient: Decimal | None
    incomplete: bool
    no_grade: bool
    redistributed: bool
    safety_violation_ids: tuple[int, ...]
    safety_capped: bool
    failed_modules: tuple[FailedModule, ...]
    retraining_required: bool
    retraining_modules: tuple[str, ...]
    suspend_duty: bool
    explanation: tuple[str, ...] = field(default=())
    # Issue 14: the caps that lowered or bound the grade (their sentences), the components
    # without records (typed or missing), no assessment data (HR must decide), duty at the
    # end of the period.
    limits: tuple[tuple[str, str], ...] = ()
    caps: tuple[str, ...] = ()
    capped: bool = False
    data_missing: tuple[str, ...] = ()
    needs_decision: bool = False
    duty_cleared: bool | None = None

    def component(self, key: str) -> ComponentResult:
        for component in self.components:
            if component.key == key:
                return component
        raise KeyError(key)

    @property
    def pending_ids(self) -> dict[str, tuple[int, ...]]:
        """Records left out because not final yet, by component (only non-empty ones)."""
        return {c.key: c.pending_ids for c in self.components if c.pending_ids}

    @property
    def missing_components(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.components if c.missing)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (Decimals as strings) that `from_dict` reads back to an equal result."""
        return {
            "period": self.period.key,
            "policy": self.policy.to_dict(),
            "components": [_component_to_dict(c) for c in self.components],
            "total_exact": _text(self.total_exact),
            "total": _text(self.total),
            "grade": self.grade,
            "grade_before_cap": self.grade_before_cap,
            "coefficient": _text(self.coefficient),
            "incomplete": self.incomplete,
            "no_grade": self.no_grade,
            "redistributed": self.redistributed,
            "safety_violation_ids": list(self.safety_violation_ids),
            "safety_capped": self.safety_capped,
            "failed_modules": [{"module_id": m.module_id, "title": m.title}
                               for m in self.failed_modules],
            "retraining_required": self.retraining_required,
            "retraining_modules": list(self.retraining_modules),
            "suspend_duty": self.suspend_duty,
            "explanation": list(self.explanation),
            "limits": [list(limit) for limit in self.limits],
            "caps": list(self.caps),
            "capped": self.capped,
            "data_missing": list(self.data_missing),
            "needs_decision": self.needs_decision,
            "duty_cleared": self.duty_cleared,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvaluationResult:
        return cls(
            period=parse_period_key(data["period"]),
            policy=Policy.from_dict(data["policy"]),
            components=tuple(_component_from_dict(c) for c in data["components"]),
            total_exact=_number(data["total_exact"]),
            total=_number(data["total"]),
            grade=data["grade"],
            grade_before_cap=data["grade_before_cap"],
            coefficient=_number(data["coefficient"]),
            incomplete=data["incomplete"],
            no_grade=data["no_grade"],
            redistributed=data["redistributed"],
            safety_violation_ids=tuple(data["safety_violation_ids"]),
            safety_capped=data["safety_capped"],
            failed_modules=tuple(FailedModule(m["module_id"], m["title"])
                                 for m in data["failed_modules"]),
            retraining_required=data["retraining_required"],
            retraining_modules=tuple(data["retraining_modules"]),
            suspend_duty=data["suspend_duty"],
            explanation=tuple(data["explanation"]),
            # Results stored before issue 14 lack these: they read as "nothing applied".
            limits=tuple((key, why) for key, why in data.get("limits", ())),
            caps=tuple(data.get("caps", ())),
            capped=data.get("capped", data["safety_capped"]),
            data_missing=tuple(data.get("data_missing", ())),
            needs_decision=data.get("needs_decision", False),
            duty_cleared=data.get("duty_cleared"),
        )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _component_to_dict(c: ComponentResult) -> dict[str, Any]:
    return {
        "key": c.key, "label": c.label, "score": _text(c.score),
        "record_ids": list(c.record_ids),
        "parts": [{"key": p.key, "label": p.label, "score": str(p.score),
                   "record_ids": list(p.record_ids), "rule": p.rule} for p in c.parts],
        "pending_ids": list(c.pending_ids), "notes": list(c.notes),
        "weight": str(c.weight), "effective_weight": _text(c.effective_weight),
        "contribution": _text(c.contribution),
        "adjustments": [{"from_score": _text(a.from_score), "to_score": str(a.to_score),
                         "reason": a.reason, "by": a.by} for a in c.adjustments],
        "failed_ids": list(c.failed_ids),
    }


def _component_from_dict(d: dict[str, Any]) -> ComponentResult:
    return ComponentResult(
        key=d["key"], label=d["label"], score=_number(d["score"]),
        record_ids=tuple(d["record_ids"]),
        parts=tuple(Part(p["key"], p["label"], Decimal(p["score"]), tuple(p["record_ids"]),
                         p["rule"]) for p in d["parts"]),
        pending_ids=tuple(d["pending_ids"]), notes=tuple(d["notes"]),
        weight=Decimal(d["weight"]), effective_weight=_number(d["effective_weight"]),
        contribution=_number(d["contribution"]),
        adjustments=tuple(Adjustment(_number(a["from_score"]), Decimal(a["to_score"]),
                                     a["reason"], a.get("by", "站长"))
                          for a in d["adjustments"]),
        failed_ids=tuple(d.get("failed_ids", ())),
    )


# --------------------------------------------------------------------------- computation

def compute_evaluation(policy: Policy, records: Records, period: Period | str) -> EvaluationResult:
    """The evaluation of one person for one period, from his records (records outside the
    period are ignored; records not yet final are left out and reported)."""
    with localcontext(_ARITHMETIC):
        return _compute(policy, records, period)


def _compute(policy: Policy, records: Records, period: Period | str) -> EvaluationResult:
    period = parse_period_key(period) if isinstance(period, str) else period
    if period.kind != policy.period_kind:
        raise ValueError(f"考核周期 {period.label} 与考核政策的周期类型"
                         f"({'按月' if policy.period_kind == MONTHLY else '按季度'})不符")
    start, end = (datetime.combine(day, time()) for day in period_bounds(period))

    def within(items: Iterable[Any]) -> list[Any]:
        return sorted((r for r in items if start <= r.at < end), key=_chronological)

    quizzes, spoken = within(records.quizzes), within(records.spoken)
    practical, service = within(records.practical), within(records.service)
    for items, what in ((quizzes, "理论考核尝试"), (spoken, "口语考核尝试"),
                        (practical, "实操检查"), (service, "服务记录")):
        _refuse_duplicates(items, what)

    components = (
        _theory(policy, quizzes),
        _spoken(policy, spoken),
        _practical(policy, practical),
        _service(policy, service),
    )
    safety_ids = tuple(e.record_id for e in service if e.confirmed and e.kind == SAFETY_VIOLATION)
    failed = _failed_modules(policy, quizzes, spoken, practical)
    limits = _record_limits(practical, records, period)
    return _finish(policy, period, components, safety_ids, failed, limits, records.duty_cleared)


def _record_limits(practical: list[PracticalResult], records: Records,
                   period: Period) -> tuple[tuple[str, str], ...]:
    """(policy cap key, why) for each fact of the period that caps the grade whatever the
    scores: a grooming check failed on a ★ item, a failed fueling drill, not cleared for duty
    at the end of the period."""
    limits = []
    critical = [c for c in practical if c.kind == "grooming" and c.critical_failed]
    if critical:
        limits.append(("critical_grooming_grade",
                       f"仪容仪表检查 {_refs(_ids(critical))} 关键项(★)不合格"))
    drills = [c for c in practical if c.kind == "drill" and not c.passed]
    if drills:
        limits.append(("failed_drill_grade", f"加气操作计时 {_refs(_ids(drills))} 未通过"))
    if records.duty_cleared is False:
        _, end = period_bounds(period)
        last = (end - timedelta(days=1)).isoformat()
        note = f":{records.duty_note}" if records.duty_note else ""
        limits.append(("not_cleared_grade", f"期末({last})暂不能上岗{note}"))
    return tuple(limits)


def apply_adjustment(result: EvaluationResult, component: str, new_score: Any,
                     reason: str, by: str = "站长") -> EvaluationResult:
    """The result recomputed with a station head's score for one component (also one that
    had no records), marked as adjusted with his reason (`by` names who adjusted in the
    explanation: HR resolving an appeal says so). A typed score keeps its own weight: the
    weight of missing components never moves onto it. ValueError in Chinese without a
    reason, for an unknown component, or for a score outside 0-100 or with more than two
    decimals."""
    if component not in COMPONENTS:
        raise ValueError(f"未知的考核部分:{component}(应为 {'、'.join(COMPONENTS)} 之一)")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("调整分数必须填写书面理由")
    with localcontext(_ARITHMETIC):
        score = _score(new_score, f"{COMPONENT_LABELS[component]}调整")
        return _adjust(result, component, score, reason.strip(), by)


def _adjust(result: EvaluationResult, component: str, score: Decimal,
            reason: str, by: str) -> EvaluationResult:
    adjusted = tuple(
        replace(c, score=score,
                adjustments=(*c.adjustments, Adjustment(c.score, score, reason, by)))
        if c.key == component else c
        for c in result.components
    )
    return _finish(result.policy, result.period, adjusted, result.safety_violation_ids,
                   result.failed_modules, result.limits, result.duty_cleared)


def _chronological(record: Any) -> tuple[datetime, int]:
    return record.at, _record_id(record)


def _record_id(record: Any) -> int:
    if isinstance(record, QuizResult | SpokenResult):
        return record.attempt_id
    if isinstance(record, PracticalResult):
        return record.check_id
    return record.record_id


def _refuse_duplicates(items: Sequence[Any], what: str) -> None:
    """The same record twice would count twice: refuse instead of paying for it."""
    seen: set[int] = set()
    for item in items:
        ident = _record_id(item)
        if ident in seen:
            raise ValueError(f"{what} #{ident} 重复出现,同一条记录只能计入一次")
        seen.add(ident)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, ZERO) / len(values)).quantize(CENT, ROUND_HALF_UP)


def _ids(items: Iterable[Any]) -> tuple[int, ...]:
    return tuple(_record_id(item) for item in items)


def _refs(ids: Iterable[int]) -> str:
    return "、".join(f"#{ident}" for ident in ids)


def _pending_note(label: str, pending: Sequence[Any], what: str) -> str:
    return (f"另有 {len(pending)} 次{label}考核{what},未计入本期({_refs(_ids(pending))})。")


def _passed(policy: Policy, result: QuizResult | SpokenResult) -> bool:
    return result.passed if result.passed is not None else result.score >= policy.module_pass_score


def _failed_counts(policy: Policy, score: Decimal, what: str) -> tuple[Decimal, str]:
    """How a failed assessment's score counts under the policy, and the sentence saying so
    in words a trainee understands."""
    if policy.failed_assessment == "cap_score" and score > policy.failed_assessment_score:
        counted = policy.failed_assessment_score.quantize(CENT)
        return counted, (f"{what}未通过,本项按 {format_number(counted)} 分计"
                         f"(实得 {score} 分;未通过的考核最高按 "
                         f"{format_number(policy.failed_assessment_score)} 分计)。")
    if policy.failed_assessment == "cap_score":
        return score, f"{what}未通过,本项按实得 {score} 分计。"
    cap = policy.grade_cap("failed_assessment_grade")
    limit = f",等级最高为{cap.name}" if cap is not None else ""
    return score, f"{what}未通过,本项按实得 {score} 分计{limit}。"


def _theory(policy: Policy, quizzes: list[QuizResult]) -> ComponentResult:
    label = COMPONENT_LABELS[THEORY]
    counted = [q for q in quizzes if not q.pending_review]
    pending = [q for q in quizzes if q.pending_review]
    notes: list[str] = []
    parts: list[Part] = []
    failed_ids: list[int] = []
    failure_notes: list[str] = []
    by_module: dict[str, list[QuizResult]] = defaultdict(list)
    for quiz in counted:
        by_module[quiz.module_id].append(quiz)
    for module_id in sorted(by_module):
        part, failed, sentences = _theory_module(policy, module_id, by_module[module_id])
        parts.append(part)
        failed_ids.extend(failed)
        failure_notes.extend(sentences)
    score = _mean([p.score for p in parts]) if parts else None
    if score is None:
        notes.append(f"{label}:本期没有已定分的考核成绩。")
    elif len(parts) == 1:
        notes.append(f"{label} {score} 分:本期 1 个模块的考核成绩。")
    else:
        notes.append(f"{label} {score} 分:本期 {len(parts)} 个模块考核成绩的平均分"
                     f"(各模块相加后除以 {len(parts)},四舍五入保留两位小数)。")
    notes.extend(f"{part.label} {part.score} 分:{part.rule}。" for part in parts)
    notes.extend(failure_notes)
    if pending:
        notes.append(_pending_note(label, pending, "尚无最终结果(待站长复核或录音待识别)"))
    return ComponentResult(THEORY, label, score, _ids(counted), tuple(parts), _ids(pending),
                           tuple(notes), policy.weights[THEORY], failed_ids=tuple(failed_ids))


def _theory_module(policy: Policy, module_id: str,
                   quizzes: list[QuizResult]) -> tuple[Part, list[int], list[str]]:
    """One module: each assessment window's attempts graded by its rule, a failed window
    result counted as the policy says, windows averaged. Also the failed attempts behind
    the result and the sentences explaining how they count."""
    title = next((q.module_title for q in quizzes if q.module_title), module_id)
    windows: dict[int | None, list[QuizResult]] = defaultdict(list)
    for quiz in quizzes:
        windows[quiz.window_id].append(quiz)
    graded: list[tuple[Decimal, str]] = []
    failed_ids: list[int] = []
    sentences: list[str] = []
    for attempts in windows.values():
        rules = {q.grading or policy.theory_grading for q in attempts}
        if len(rules) > 1:
            raise ValueError(f"模块“{title}”同一考核窗口的取分规则不一致")
        score, rule, passed, chosen = _grade_window(policy, rules.pop(), attempts)
        if not passed:
            failed_ids.extend(chosen)
            score, sentence = _failed_counts(policy, score, f"理论考核“{title}”({_refs(chosen)})")
            sentences.append(sentence)
        graded.append((score, rule))
    if len(graded) == 1:
        score, rule = graded[0]
    else:
        score = _mean([s for s, _ in graded])
        rule = (f"{len(graded)} 个考核窗口各自取分({';'.join(r for _, r in graded)})"
                f"后求平均")
    return Part(module_id, title, score, _ids(quizzes), rule), failed_ids, sentences


def _grade_window(policy: Policy, rule: str, attempts: list[QuizResult]
                  ) -> tuple[Decimal, str, bool, tuple[int, ...]]:
    """A window's result, how it was taken, whether it passed and the attempts it was taken
    from; attempts are in time order. As certification grades them: "highest" takes a passed
    attempt before a failed one, an average passes at the pass mark when one averaged
    attempt passed on its own."""
    count = f"考核 {len(attempts)} 次"
    if len(attempts) == 1:
        only = attempts[0]
        return (only.score, f"考核 1 次(尝试 #{only.attempt_id})", _passed(policy, only),
                (only.attempt_id,))
    if rule == "average":
        mean = _mean([a.score for a in attempts])
        passed = mean >= policy.module_pass_score and any(_passed(policy, a) for a in attempts)
        return mean, f"{count},取平均分({_refs(_ids(attempts))})", passed, _ids(attempts)
    if rule == "highest":
        # A passed attempt before a failed one, then the higher score; max keeps the first
        # of equals, so a later equal attempt adds nothing.
        chosen = max(attempts, key=lambda a: (_passed(policy, a), a.score))
    elif rule == "first":
        chosen = attempts[0]
    else:
        chosen = attempts[-1]
    return (chosen.score, f"{count},{GRADINGS[rule]},即尝试 #{chosen.attempt_id}",
            _passed(policy, chosen), (chosen.attempt_id,))


def _spoken(policy: Policy, results: list[SpokenResult]) -> ComponentResult:
    label = COMPONENT_LABELS[SPOKEN]
    pending = [r for r in results if r.pending_review]
    counted: list[SpokenResult] = []
    failed_ids: list[int] = []
    failure_notes: list[str] = []
    for result in (r for r in results if not r.pending_review):
        if not _passed(policy, result):
            failed_ids.append(result.attempt_id)
            score, sentence = _failed_counts(policy, result.score,
                                             f"情景对话考核 #{result.attempt_id}")
            failure_notes.append(sentence)
            result = replace(result, score=score)
        counted.append(result)
    notes: list[str] = []
    parts: tuple[Part, ...] = ()
    if not counted:
        score = None  # type: ignore[assignment]  # no score this period
        notes.append(f"{label}:本期没有已定分的角色扮演考核成绩。")
    elif policy.spoken_method == "item_mean":
        parts = _grouped_parts(counted, lambda r: r.item_id, lambda key: f"题目 {key}")
        score = _mean([p.score for p in parts])
        notes.append(f"{label} {score} 分:先求每道题本期各次成绩的平均分,再求 {len(parts)} "
                     f"道题的平均分(四舍五入保留两位小数)。")
        notes.extend(f"{p.label} {p.score} 分:{p.rule}。" for p in parts)
    else:
        score = _mean([r.score for r in counted])
        notes.append(_mean_note(label, score, counted, "次角色扮演考核成绩"))
    notes.extend(failure_notes)
    if pending:
        notes.append(_pending_note(label, pending, "尚无最终结果(待站长复核或录音待识别)"))
    return ComponentResult(SPOKEN, label, score, _ids(counted), parts, _ids(pending),
                           tuple(notes), policy.weights[SPOKEN], failed_ids=tuple(failed_ids))


def _practical(policy: Policy, checks: list[PracticalResult]) -> ComponentResult:
    label = COMPONENT_LABELS[PRACTICAL]
    notes: list[str] = []
    parts: tuple[Part, ...] = ()
    if not checks:
        score = None
        notes.append(f"{label}:本期没有现场考核记录。")
    elif policy.practical_method == "kind_mean":
        parts = _grouped_parts(checks, lambda c: c.kind,
                               lambda key: PRACTICAL_LABELS.get(key, key))
        score = _mean([p.score for p in parts])
        notes.append(f"{label} {score} 分:先求每类现场考核本期的平均分,再求 {len(parts)} "
                     f"类的平均分(四舍五入保留两位小数)。")
        notes.extend(f"{p.label} {p.score} 分:{p.rule}。" for p in parts)
    else:
        score = _mean([c.score for c in checks])
        notes.append(_mean_note(label, score, checks, "次现场考核成绩"))
    failed = [c for c in checks if not c.passed]
    if failed:
        listed = "、".join(f"#{c.check_id} {PRACTICAL_LABELS.get(c.kind, c.kind)} {c.score} 分"
                          for c in failed)
        notes.append(f"其中 {len(failed)} 次未通过(如超出时限),按其实得分计入:{listed}。")
    return ComponentResult(PRACTICAL, label, score, _ids(checks), parts, (), tuple(notes),
                           policy.weights[PRACTICAL], failed_ids=_ids(failed))


def _mean_note(label: str, score: Decimal, items: Sequence[Any], what: str) -> str:
    if len(items) == 1:
        return f"{label} {score} 分:本期 1 {what}({_refs(_ids(items))})。"
    scores = " + ".join(str(item.score) for item in items)
    return (f"{label} {score} 分:本期 {len(items)} {what}的平均分,({scores})÷ {len(items)},"
            f"四舍五入保留两位小数。")


def _grouped_parts(items: Sequence[Any], key_of: Any, label_of: Any) -> tuple[Part, ...]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[key_of(item)].append(item)
    parts = []
    for key in sorted(groups):
        members = groups[key]
        rule = (f"1 次({_refs(_ids(members))})" if len(members) == 1
                else f"{len(members)} 次的平均分({_refs(_ids(members))})")
        parts.append(Part(key, label_of(key), _mean([m.score for m in members]),
                          _ids(members), rule))
    return tuple(parts)


def _service(policy: Policy, events: list[ServiceEvent]) -> ComponentResult:
    label = COMPONENT_LABELS[SERVICE]
    confirmed = [e for e in events if e.confirmed]
    unconfirmed = [e for e in events if not e.confirmed]
    notes: list[str] = []
    if not confirmed and policy.service_when_empty == "missing":
        score = None
        notes.append(f"{label}:本期没有经确认的投诉、表扬或安全违规记录。")
    else:
        raw = policy.service_base
        terms = [f"基础分 {format_number(policy.service_base)} 分"]
        for kind in EVENT_KINDS:
            of_kind = [e for e in confirmed if e.kind == kind]
            if not of_kind:
                continue
            points = sum((policy.event_points(kind) if e.points is None else e.points
                          for e in of_kind), ZERO)
            if kind == COMMENDATION:
                raw += points
                verb = "加"
            else:
                raw -= points
                verb = "扣"
            change = f"共{verb} {format_number(points)} 分" if points else "不加减分"
            terms.append(f"经确认的{EVENT_LABELS[kind]} {len(of_kind)} 次({_refs(_ids(of_kind))})"
                         f"{change}")
        score = min(HUNDRED, max(ZERO, raw)).quantize(CENT)
        if not confirmed:
            notes.append(f"{label} {score} 分:本期没有经确认的投诉或表扬,按基础分计。")
        else:
            clamp = "" if raw == score else f",计算得 {format_number(raw)} 分,按 0 到 100 分截取"
            notes.append(f"{label} {score} 分:{','.join(terms)}{clamp}。")
    if unconfirmed:
        kinds = "、".join(sorted({EVENT_LABELS[e.kind] for e in unconfirmed},
                                key=lambda text: list(EVENT_LABELS.values()).index(text)))
        notes.append(f"另有 {len(unconfirmed)} 条{kinds}记录尚未确认,未计入"
                     f"({_refs(_ids(unconfirmed))})。")
    return ComponentResult(SERVICE, label, score, _ids(confirmed), (), _ids(unconfirmed),
                           tuple(notes), policy.weights[SERVICE])


def _failed_modules(policy: Policy, quizzes: list[QuizResult], spoken: list[SpokenResult],
                    practical: list[PracticalResult]) -> tuple[FailedModule, ...]:
    """Modules with counted results in the period of which none passed."""
    passed: dict[str, bool] = {}
    titles: dict[str, str] = {}
    records: tuple[QuizResult | SpokenResult | PracticalResult, ...] = (*quizzes, *spoken,
                                                                          *practical)
    for record in records:
        if getattr(record, "pending_review", False) or record.module_id is None:
            continue
        ok = record.passed if record.passed is not None else record.score >= policy.module_pass_score
        passed[record.module_id] = passed.get(record.module_id, False) or ok
        if record.module_title and record.module_id not in titles:
            titles[record.module_id] = record.module_title
    return tuple(FailedModule(m, titles.get(m, m)) for m in sorted(passed) if not passed[m])


def redistribute(weights: dict[str, Decimal], total: Decimal = HUNDRED) -> dict[str, Decimal]:
    """Weights scaled to sum to exactly `total` (100.00 by default): each cut to two
    decimals, the missing hundredths to the largest remainders (ties: the order given). The
    sum of the given weights must be positive."""
    given = sum(weights.values(), ZERO)
    if given <= ZERO:
        raise ValueError("有记录的部分权重之和为 0,无法分配权重")
    exact = {key: value * total / given for key, value in weights.items()}
    cut = {key: value.quantize(CENT, ROUND_DOWN) for key, value in exact.items()}
    short = int((total - sum(cut.values(), ZERO)) / CENT)
    order = list(weights)
    by_remainder = sorted(order, key=lambda key: (-(exact[key] - cut[key]), order.index(key)))
    for key in by_remainder[:short]:
        cut[key] += CENT
    return cut


def _effective_weights(components: tuple[ComponentResult, ...], no_assessment_data: bool
                       ) -> tuple[dict[str, Decimal], list[str]]:
    """The weight each scored component counts with, and the sentences saying how. Missing
    weight moves only onto components scored from records (never onto a typed score), and
    not at all without assessment data; weight nobody may take counts 0."""
    present = [c for c in components if not c.missing]
    missing = [c for c in components if c.missing and c.weight > ZERO]
    weights = {c.key: c.weight for c in present}
    if not missing:
        return weights, []
    typed = [c for c in present if not c.from_records]
    receivers = {c.key: c.weight for c in present if c.from_records and c.weight > ZERO}
    labels = "、".join(c.label for c in missing)
    lost = sum((c.weight for c in missing), ZERO)
    if no_assessment_data:
        return weights, [f"本期没有考核数据(理论和口语均无记录):{labels}的权重 "
                         f"{format_number(lost)}% 不转给其他部分,按 0 分计。"]
    if not receivers:
        return weights, [f"{labels}无记录,其权重 {format_number(lost)}% 没有可以承接的"
                         f"记录成绩(站长录入的分数不承接权重),按 0 分计。"]
    fixed = sum((c.weight for c in typed), ZERO)
    shares = redistribute(receivers, HUNDRED - fixed)
    weights.update(shares)
    notes = [f"{c.label}无记录,其权重 {format_number(c.weight)}% 按比例分给有记录的部分。"
             for c in missing]
    if typed:
        notes.append(f"{'、'.join(c.label for c in typed)}是站长或人力资源录入的分数,"
                     f"保持原权重,不承接转移的权重。")
    by_key = {c.key: c for c in components}
    listed = "、".join(f"{by_key[key].label} {format_number(value)}%"
                       for key, value in weights.items())
    notes.append(f"重新分配后的权重:{listed}(按原权重比例折算,保留两位小数,"
                 f"尾差按最大余数补齐)。")
    return weights, notes


def _finish(policy: Policy, period: Period, components: tuple[ComponentResult, ...],
            safety_ids: tuple[int, ...], failed: tuple[FailedModule, ...],
            limits: tuple[tuple[str, str], ...] = (),
            duty_cleared: bool | None = None) -> EvaluationResult:
    """Weights, total, grade, caps, flags and explanation from the components' scores."""
    start, end = period_bounds(period)
    explanation = [f"考核周期:{period.label}({start.isoformat()} 至 "
                   f"{(end - timedelta(days=1)).isoformat()})。"]
    for component in components:
        explanation.extend(component.notes)
        explanation.extend(_adjustment_notes(component))

    by_key = {c.key: c for c in components}
    # A component the policy weighs at 0 counts for nothing: its absence is not missing data.
    missing = [c for c in components if c.missing and c.weight > ZERO]
    without_records = [c for c in components if not c.has_records and c.weight > ZERO]
    incomplete = bool(without_records)
    no_assessment_data = not by_key[THEORY].has_records and not by_key[SPOKEN].has_records
    present = {c.key: c.weight for c in components if not c.missing}
    no_theory_spoken = by_key[THEORY].missing and by_key[SPOKEN].missing
    weightless = not no_theory_spoken and sum(present.values(), ZERO) == ZERO
    blank = [replace(c, effective_weight=None, contribution=None) for c in components]
    data_missing = tuple(c.key for c in without_records)

    def result(**values: Any) -> EvaluationResult:
        base: dict[str, Any] = dict(period=period, policy=policy, components=tuple(blank), total_exact=None,
                    total=None, grade=None, grade_before_cap=None, coefficient=None,
                    incomplete=incomplete, no_grade=True, redistributed=False,
                    safety_violation_ids=safety_ids, safety_capped=False,
                    failed_modules=failed, retraining_required=False, retraining_modules=(),
                    suspend_duty=False, explanation=tuple(explanation), limits=limits,
                    data_missing=data_missing, needs_decision=no_assessment_data,
                    duty_cleared=duty_cleared)
        base.update(values)
        return EvaluationResult(**base)

    if no_theory_spoken or weightless:
        if no_theory_spoken:
            explanation.append("本期既没有理论成绩也没有口语成绩,暂不评定等级和绩效系数,"
                               "待站长处理。")
        else:
            explanation.append("有记录的部分权重均为 0,无法计算总分,暂不评定等级和绩效系数,"
                               "待站长处理。")
        if safety_ids:
            explanation.append(_safety_sentence(safety_ids) + "评定等级时最高为"
                               f"{policy.safety_cap_grade}。")
        if incomplete:
            explanation.append(_incomplete_sentence(without_records, no_assessment_data))
        return result(explanation=tuple(explanation))

    effective, notes = _effective_weights(components, no_assessment_data)
    explanation.extend(notes)
    redistributed = bool(missing) and any(effective[k] != by_key[k].weight for k in effective)
    weighted: list[ComponentResult] = []
    for component in components:
        if component.missing:
            weighted.append(replace(component, effective_weight=None, contribution=None))
            continue
        weight = effective[component.key]
        contribution = component.score * weight / HUNDRED  # type: ignore[operator]  # not missing
        weighted.append(replace(component, effective_weight=weight, contribution=contribution))
        explanation.append(f"{component.label} {component.score} 分 × 权重 {format_number(weight)}% = "
                           f"{_exact(contribution)} 分。")
    total_exact = sum((c.contribution for c in weighted if c.contribution is not None), ZERO)
    total = total_exact.quantize(TENTH, ROUND_HALF_UP)
    explanation.append(f"合计 {_exact(total_exact)} 分,四舍五入保留一位小数,总分 {total} 分。")

    band = policy.band_for(total)
    grade_before_cap = band.name
    explanation.append(f"总分 {total} 分属于{band.name} {band.interval()},"
                       f"绩效系数 {band.coefficient}。")
    safety_capped = False
    if safety_ids:
        cap = policy.band_named(policy.safety_cap_grade)
        if policy.rank(band.name) > policy.rank(cap.name):
            safety_capped = True
            band = cap
            explanation.append(_safety_sentence(safety_ids) + f"等级封顶为{cap.name}"
                               f"(按总分原为{grade_before_cap}),绩效系数 {cap.coefficient}。")
        else:
            explanation.append(_safety_sentence(safety_ids) + f"等级{band.name}不高于封顶等级"
                               f"{cap.name},不受影响。")
    band, caps = _apply_caps(policy, band, weighted, limits, explanation)
    capped = band.name != grade_before_cap
    retraining = band.retraining
    modules = tuple(m.module_id for m in failed) if retraining else ()
    suspend = retraining and policy.retraining_suspends_duty
    if retraining:
        if failed:
            names = "、".join(m.title for m in failed)
            explanation.append(f"等级为{band.name},须参加复训,重新分配本期未通过的模块:{names}。")
        else:
            explanation.append(f"等级为{band.name},须参加复训;本期没有未通过的模块,"
                               f"复训内容由站长指定。")
        if suspend:
            explanation.append("复训模块全部通过之前,暂停上岗资格。")
    if incomplete:
        explanation.append(_incomplete_sentence(without_records, no_assessment_data))
    return result(components=tuple(weighted), total_exact=total_exact, total=total,
                  grade=band.name, grade_before_cap=grade_before_cap,
                  coefficient=band.coefficient, no_grade=False, redistributed=redistributed,
                  safety_capped=safety_capped, retraining_required=retraining,
                  retraining_modules=modules, suspend_duty=suspend,
                  explanation=tuple(explanation), caps=caps, capped=capped)


def _apply_caps(policy: Policy, band: Any, components: list[ComponentResult],
                limits: tuple[tuple[str, str], ...], explanation: list[str]
                ) -> tuple[Any, tuple[str, ...]]:
    """The band after every cap of the failures section, and the sentences of the caps that
    apply (each also added to the explanation)."""
    reasons = list(limits)
    if policy.failed_assessment == "cap_grade":
        failed = [i for c in components if c.key in (THEORY, SPOKEN) and c.from_records
                  for i in c.failed_ids]
        if failed:
            reasons.insert(0, ("failed_assessment_grade", f"考核 {_refs(failed)} 未通过"))
    caps: list[str] = []
    for key, why in sorted(reasons, key=lambda r: list(GRADE_CAPS).index(r[0])):
        cap = policy.grade_cap(key)
        if cap is None:
            continue
        if policy.rank(band.name) > policy.rank(cap.name):
            sentence = (f"本期{why},等级封顶为{cap.name}(原为{band.name}),"
                        f"绩效系数 {cap.coefficient}。")
            band = cap
        else:
            sentence = f"本期{why},等级最高为{cap.name};{band.name}不受影响。"
        caps.append(sentence)
        explanation.append(sentence)
    return band, tuple(caps)


def _adjustment_notes(component: ComponentResult) -> list[str]:
    notes = []
    for adjustment in component.adjustments:
        change = (f"本期无记录,定为 {adjustment.to_score} 分" if adjustment.from_score is None
                  else f"由 {adjustment.from_score} 分改为 {adjustment.to_score} 分")
        reason = adjustment.reason
        end = "" if reason[-1] in "。.!!??" else "。"
        notes.append(f"{adjustment.by}调整:{component.label}{change},理由:{reason}{end}")
    return notes


def _safety_sentence(safety_ids: tuple[int, ...]) -> str:
    return f"本期有 {len(safety_ids)} 次经确认的安全违规({_refs(safety_ids)}),"


def _incomplete_sentence(missing: Sequence[ComponentResult], no_assessment_data: bool) -> str:
    typed = [c.label for c in missing if not c.missing]
    text = f"本期数据不全:{'、'.join(c.label for c in missing)}无记录"
    if typed:
        text += f"(其中{'、'.join(typed)}为录入的分数)"
    if no_assessment_data:
        text += ";本期没有考核数据,须人力资源决定后才能定稿"
    return text + "。"


def _exact(number: Decimal) -> str:
    """An exact value with at least two decimals and no needless trailing zeros beyond."""
    text = format_number(number)
    if "." not in text:
        return f"{text}.00"
    whole, decimals = text.split(".")
    return f"{whole}.{decimals.ljust(2, '0')}"
