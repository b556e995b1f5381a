"""What the evaluation pages show, assembled from the services (no Flask request here): the
records behind each component with where to click, the step-by-step history from the audit
log, the charts, and what needs the station head's attention."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from trainer.evaluations import lifecycle
from trainer.evaluations.charts import LineChart, grade_distribution, score_trend
from trainer.evaluations.compute import PRACTICAL_LABELS, EvaluationResult
from trainer.evaluations.periods import parse_period_key
from trainer.evaluations.policy import (
    COMPONENT_LABELS,
    COMPONENTS,
    EVENT_LABELS,
    PRACTICAL,
    SERVICE,
    SPOKEN,
    THEORY,
    Policy,
)
from trainer.evaluations.service import result_of, status_at
from trainer.extensions import db
from trainer.models import Attempt, AuditLog, Evaluation, PracticalCheck, ServiceRecord, User

# A total this far below the station's median, or this far below the person's previous
# period, is worth the head's look before he publishes.
MEDIAN_GAP = Decimal(15)
DROP = Decimal(10)
NO_GRADE = "暂无等级"


@dataclass(frozen=True)
class RecordLink:
    """One record behind a component: what the page prints and where it leads."""

    kind: str            # attempt, check, record
    id: int
    text: str
    counted: bool


def record_links(evaluation: Evaluation, result: EvaluationResult,
                 titles: dict[str, str] | None = None) -> dict[str, list[RecordLink]]:
    """By component: the counted records, then those left out (awaiting review/confirmation).
    `titles` names the modules (module id -> title)."""
    titles = titles or {}
    attempt_ids: set[int] = set()
    for key in (THEORY, SPOKEN):
        c = result.component(key)
        attempt_ids.update(c.record_ids, c.pending_ids)
    practical = result.component(PRACTICAL)
    service = result.component(SERVICE)
    attempts = _by_id(Attempt, attempt_ids)
    checks = _by_id(PracticalCheck, set(practical.record_ids))
    records = _by_id(ServiceRecord, set(service.record_ids) | set(service.pending_ids))
    links: dict[str, list[RecordLink]] = {}
    for c in result.components:
        rows = []
        for counted, ids in ((True, c.record_ids), (False, c.pending_ids)):
            for ident in ids:
                if c.key in (THEORY, SPOKEN) and ident in attempts:
                    rows.append(RecordLink("attempt", ident,
                                           _attempt_text(attempts[ident], titles), counted))
                elif c.key == PRACTICAL and ident in checks:
                    rows.append(RecordLink("check", ident, _check_text(checks[ident]), counted))
                elif c.key == SERVICE and ident in records:
                    rows.append(RecordLink("record", ident, _record_text(records[ident]), counted))
        links[c.key] = rows
    return links


def _by_id(model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _attempt_text(attempt: Attempt, titles: dict[str, str]) -> str:
    at = attempt.submitted_at or attempt.started_at
    score = attempt.final_score if attempt.final_score is not None else attempt.score
    what = "理论测验" if attempt.kind == "quiz" else "情景对话"
    return (f"#{attempt.id} {at:%m-%d %H:%M} {titles.get(attempt.module_id, attempt.module_id)}"
            f"{what} {_plain(score)} 分")


def _check_text(check: PracticalCheck) -> str:
    verdict = "通过" if check.passed else "未通过"
    return (f"#{check.id} {check.performed_at:%m-%d %H:%M} "
            f"{PRACTICAL_LABELS.get(check.kind, check.kind)} {_plain(check.score)} 分 {verdict}")


def _record_text(record: ServiceRecord) -> str:
    return (f"#{record.id} {record.occurred_at:%m-%d} {EVENT_LABELS.get(record.kind, record.kind)}"
            f"({record.status_label}):{record.summary[:30]}")


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    number = Decimal(str(value))
    return format(number.normalize(), "f") if number == number.to_integral_value() else str(number)


@dataclass(frozen=True)
class Step:
    at: datetime
    who: str
    what: str
    why: str


STEP_LABELS = {
    "evaluation.computed": "计算草稿", "evaluation.recomputed": "重新计算",
    "evaluation.adjusted": "调整分数", "evaluation.published": "审核完成,发给员工",
    "evaluation.acknowledged": "员工确认", "evaluation.acknowledged_silently": "申诉期满,视为确认",
    "evaluation.appealed": "员工申诉", "evaluation.appeal_resolved": "处理申诉",
    "evaluation.finalized": "定稿", "evaluation.correction_started": "新建更正记录",
}


def history(evaluation: Evaluation) -> list[Step]:
    """Every step of the evaluation from the audit log: who, when, what and why."""
    rows = db.session.execute(
        select(AuditLog, User.name).outerjoin(User, User.id == AuditLog.actor_id)
        .where(AuditLog.entity_type == "evaluation", AuditLog.entity_id == str(evaluation.id))
        .order_by(AuditLog.at, AuditLog.id))
    return [Step(entry.at, name or "系统", STEP_LABELS.get(entry.action, entry.action),
                 entry.reason) for entry, name in rows]


def trend(title: str, evaluations: list[Evaluation]) -> LineChart:
    """A person's totals and component scores over his periods (newest revision each)."""
    newest: dict[str, Evaluation] = {}
    for evaluation in evaluations:
        kept = newest.get(evaluation.period)
        if kept is None or evaluation.revision > kept.revision:
            newest[evaluation.period] = evaluation
    periods = []
    for key in sorted(newest)[-12:]:
        result = newest[key].result
        values: dict[str, Decimal | None] = {"total": _decimal(result["total"])}
        for component in result["components"]:
            values[component["key"]] = _decimal(component["score"])
        periods.append((_short_label(key), values))
    policy = Policy.from_dict(newest[max(newest)].policy) if newest else Policy()
    bands = [(band.name, band.lower) for band in policy.bands]
    return score_trend(title, periods, bands)


def _short_label(key: str) -> str:
    period = parse_period_key(key)
    return f"{period.year % 100:02d}年{period.index}月" if period.kind == "monthly" \
        else f"{period.year % 100:02d}年Q{period.index}"


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def distribution(title: str, evaluations: list[Evaluation]) -> Any:
    """The grade distribution of these evaluations, grades as their (newest) policy names them."""
    counts: dict[str, int] = {}
    for evaluation in evaluations:
        label = evaluation.grade or NO_GRADE
        counts[label] = counts.get(label, 0) + 1
    policy = Policy.from_dict(evaluations[-1].policy) if evaluations else Policy()
    ordered = sorted(policy.bands, key=lambda band: band.lower, reverse=True)
    grades = [band.name for band in ordered]
    grades += sorted(label for label in counts if label not in grades and label != NO_GRADE)
    failing = [band.name for band in ordered if band.retraining]
    return grade_distribution(title, counts, grades, failing, (NO_GRADE,))


@dataclass(frozen=True)
class Attention:
    evaluation: Evaluation
    reasons: tuple[str, ...]


def needs_attention(evaluations: list[Evaluation], previous: dict[int, Decimal | None],
                    at: datetime | None = None) -> list[Attention]:
    """The station's evaluations worth a look: no grade, missing data, retraining, a safety
    cap, records awaiting review, an appeal, far below the station's median or a big drop
    from the person's previous period."""
    totals = [e.total for e in evaluations if e.total is not None]
    median = Decimal(str(statistics.median(totals))) if len(totals) >= 3 else None
    rows = []
    for evaluation in evaluations:
        result = result_of(evaluation)
        reasons = []
        if result.no_grade:
            reasons.append(NO_GRADE + "(既无理论也无口语成绩)")
        if result.incomplete:
            missing = "、".join(COMPONENT_LABELS[k] for k in
                               (result.data_missing or result.missing_components))
            reasons.append(f"数据不全:{missing}无记录")
        if result.needs_decision and not evaluation.hr_decision:
            reasons.append("无考核数据,定稿前须人力资源决定")
        if result.capped and not result.safety_capped:
            reasons.append(f"等级封顶(按总分原为{result.grade_before_cap})")
        if result.retraining_required:
            reasons.append("须复训")
        if result.safety_capped:
            reasons.append(f"安全违规,等级封顶(按总分原为{result.grade_before_cap})")
        if result.pending_ids:
            count = sum(len(ids) for ids in result.pending_ids.values())
            reasons.append(f"{count} 条记录待复核或待核实,未计入")
        if status_at(evaluation, at) == lifecycle.APPEALED:
            reasons.append("员工已申诉")
        if median is not None and evaluation.total is not None and \
                median - evaluation.total >= MEDIAN_GAP:
            reasons.append(f"低于本站中位数 {_plain(median)} 分达 {_plain(median - evaluation.total)} 分")
        before = previous.get(evaluation.user_id)
        if before is not None and evaluation.total is not None and before - evaluation.total >= DROP:
            reasons.append(f"比上期下降 {_plain(before - evaluation.total)} 分")
        if reasons:
            rows.append(Attention(evaluation, tuple(reasons)))
    return rows


def component_scores(evaluation: Evaluation) -> dict[str, str | None]:
    """Each component's score as stored (None: no records), for tables."""
    return {c["key"]: c["score"] for c in evaluation.result["components"]} | {
        key: None for key in COMPONENTS if key not in
        {c["key"] for c in evaluation.result["components"]}}
