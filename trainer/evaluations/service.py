"""Evaluations in the database: policy versions, computing a period's drafts, every step of the
lifecycle, and reading them. Callable without a request (inside an app context).

Every change goes to the audit log in the same transaction (who, when, why); the functions
never commit - the caller does, so a change and its log entry are stored together or not at
all. Every refusal is an :class:`EvaluationError` whose message is for the user (Chinese).

Who may do what
---------------
- HR: edits the policy (each save is a new version; old versions stay), computes drafts,
  resolves appeals, finalizes (also in bulk), corrects a final evaluation (a new record),
  exports to payroll. Admin may read everything, and acts on nothing here.
- The station head: reviews his station's drafts - adjusts a component only with a written
  reason, then publishes the result to the staff member. Never his own evaluation: HR
  reviews a head's evaluation.
- The staff member: sees his evaluations once published (never a draft), acknowledges or
  appeals with a reason while the appeal window is open; silence counts as acknowledged when
  it ends (trainer.evaluations.lifecycle).

What must hold first (issue 14)
-------------------------------
- Publishing, finalizing and exporting need the period to have ended, or HR's written
  decision to settle it early (`override_period`); computing is a preview at any time.
- Nothing behind the evaluation may still be pending (an assessment awaiting review or
  recognition, a service record awaiting confirmation): publish and finalize refuse with
  the list (`pending_records`).
- An evaluation without assessment data (no theory and no spoken result from records) is
  finalized only after HR's written decision (`decide_without_data`).
- Final is reached only through `finalize`, which writes the evaluation_finalization row the
  database requires for the change into final.

Which policy a result uses: computing (HR) takes the current policy version; refreshing a
draft before it is published keeps the draft's own frozen copy; a correction keeps the copy
of the evaluation it corrects (the period's rules), so editing the policy never changes a
past result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from trainer.audit import log_change
from trainer.auth.access import Permission, can, record_scope
from trainer.content.library import ContentLibrary
from trainer.evaluations import lifecycle
from trainer.evaluations.compute import (
    EvaluationResult,
    Records,
    apply_adjustment,
    compute_evaluation,
)
from trainer.evaluations.periods import MONTHLY, PERIOD_KIND_LABELS, Period, parse_period_key
from trainer.evaluations.policy import COMPONENT_LABELS, COMPONENTS, Policy, PolicyError
from trainer.evaluations.records import (
    PendingRecord,
    duty_at_end,
    load_records,
    module_titles,
    pending_by_user,
    pending_records,
    period_span,
)
from trainer.evaluations.texts import checked_text
from trainer.extensions import db
from trainer.models import (
    ROLES,
    Evaluation,
    EvaluationFinalization,
    EvaluationPolicy,
    PeriodOverride,
    Role,
    Station,
    User,
)
from trainer.refusals import Refused
from trainer.timeutil import now

MAX_TEXT = 1000
EVALUATED_ROLES = (Role.STAFF, Role.HEAD)
AUDITED = ("status", "total", "grade", "coefficient", "policy_version", "revision")


class EvaluationError(Refused):
    """A rule refused the action; the message is for the user."""


# --- policy versions ----------------------------------------------------------------------


def current_policy_row() -> EvaluationPolicy | None:
    """The newest policy version, if HR (or the first computation) ever saved one."""
    return db.session.scalar(select(EvaluationPolicy).order_by(EvaluationPolicy.version.desc())
                             .limit(1))


def ensure_policy(actor: User | None = None) -> EvaluationPolicy:
    """The current policy version; version 1 (the issue's defaults) is written the first
    time it is needed, so every evaluation can point at the version it used."""
    row = current_policy_row()
    if row is not None:
        return row
    return _add_policy(Policy(), actor, "初始版本:采用默认考核政策")


def policy_of(row: EvaluationPolicy) -> Policy:
    return Policy.from_dict(row.settings)


def policy_versions() -> list[EvaluationPolicy]:
    """Every version, newest first."""
    return list(db.session.scalars(select(EvaluationPolicy)
                                   .order_by(EvaluationPolicy.version.desc())))


def save_policy(settings: dict[str, Any], actor: User, reason: str) -> EvaluationPolicy | None:
    """A new policy version from its dict form (HR only, reason required). None when it equals
    the current version (nothing to save). Raises EvaluationError listing every problem."""
    if not can(actor, Permission.EDIT_POLICY):
        raise EvaluationError("只有人力资源可以修改考核政策", status=403)
    reason = _text(reason, "请写明修改考核政策的理由")
    try:
        policy = Policy.from_dict(settings)
    except PolicyError as error:
        raise EvaluationError(";".join(error.problems)) from None
    current = ensure_policy(actor)
    if current.fingerprint == policy.fingerprint():
        return None
    return _add_policy(policy, actor, reason, before=current)


def _add_policy(policy: Policy, actor: User | None, reason: str,
                before: EvaluationPolicy | None = None) -> EvaluationPolicy:
    version = (before.version if before is not None else 0) + 1
    row = EvaluationPolicy(version=version, settings=policy.to_dict(),
                           fingerprint=policy.fingerprint(), created_by_id=_id(actor),
                           reason=reason, created_at=now())
    db.session.add(row)
    db.session.flush()
    log_change(actor, "evaluation_policy.created", "evaluation_policy", row.id,
               before={"version": before.version, "settings": before.settings} if before else None,
               after={"version": row.version, "settings": row.settings}, reason=reason)
    return row


# --- who sees and does what ---------------------------------------------------------------


def visible_evaluations(viewer: User) -> Select:
    """A query of the evaluations the viewer may see (Permission.VIEW_EVALUATION as a query):
    his station's for a head (not his own draft), his own once published for anybody."""
    query = select(Evaluation)
    own = and_(Evaluation.user_id == viewer.id, Evaluation.status != lifecycle.DRAFT)
    others = and_(record_scope(viewer, Evaluation.station_id, Evaluation.user_id),
                  Evaluation.user_id != viewer.id)
    return query.where(or_(others, own))


def evaluation_for(viewer: User, evaluation_id: int) -> Evaluation | None:
    """The evaluation if the viewer may see it (None: the caller answers 404)."""
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None or not can(viewer, Permission.VIEW_EVALUATION, evaluation):
        return None
    return evaluation


# --- reading ------------------------------------------------------------------------------


def result_of(evaluation: Evaluation) -> EvaluationResult:
    return EvaluationResult.from_dict(evaluation.result)


def status_at(evaluation: Evaluation, at: datetime | None = None) -> str:
    """The status as it stands now (silence past the window is acknowledgement)."""
    return lifecycle.effective_status(evaluation.status, evaluation.appeal_deadline, at or now())


def current_revisions(period: str, *, station_id: int | None = None,
                      user_ids: Collection[int] | None = None) -> list[Evaluation]:
    """The newest revision of each person's evaluation for the period (corrections replace
    what they correct), by name."""
    newest = (select(Evaluation.user_id, func.max(Evaluation.revision).label("revision"))
              .where(Evaluation.period == period).group_by(Evaluation.user_id).subquery())
    query = (select(Evaluation)
             .join(newest, and_(Evaluation.user_id == newest.c.user_id,
                                Evaluation.revision == newest.c.revision))
             .where(Evaluation.period == period))
    if station_id is not None:
        query = query.where(Evaluation.station_id == station_id)
    if user_ids is not None:
        query = query.where(Evaluation.user_id.in_(list(user_ids)))
    return list(db.session.scalars(query.order_by(Evaluation.station_name,
                                                  Evaluation.employee_no)))


def history_of(user: User, viewer: User) -> list[Evaluation]:
    """The person's evaluations the viewer may see, newest period first; corrected ones
    after the correction that replaced them."""
    query = visible_evaluations(viewer).where(Evaluation.user_id == user.id)
    return list(db.session.scalars(query.order_by(Evaluation.period.desc(),
                                                  Evaluation.revision.desc())))


def correction_of(evaluation: Evaluation) -> Evaluation | None:
    """The evaluation that corrects this one, if any."""
    return db.session.scalar(select(Evaluation).where(Evaluation.corrects_id == evaluation.id))


def known_periods() -> list[str]:
    """Periods that have evaluations, newest first."""
    return list(db.session.scalars(select(Evaluation.period).distinct()
                                   .order_by(Evaluation.period.desc())))


def default_period(policy: Policy | None = None, at: datetime | None = None) -> str:
    """The period usually evaluated now: the last one that has ended."""
    from trainer.evaluations.periods import period_for, shift_period

    kind = policy.period_kind if policy is not None else MONTHLY
    return shift_period(period_for(at or now(), kind), -1).key


def status_counts(evaluations: list[Evaluation], at: datetime | None = None) -> Counter:
    """How many evaluations stand in each (effective) status."""
    at = at or now()
    return Counter(status_at(e, at) for e in evaluations)


# --- computing ----------------------------------------------------------------------------


@dataclass
class ComputeSummary:
    """What computing a period did, for the page and the command line."""

    period: str
    policy_version: int
    created: int = 0
    recomputed: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)   # by status label: not drafts

    @property
    def message(self) -> str:
        parts = [f"新建 {self.created} 份", f"重新计算 {self.recomputed} 份"]
        if self.unchanged:
            parts.append(f"{self.unchanged} 份无变化")
        parts += [f"{label} {n} 份未改动" for label, n in sorted(self.skipped.items())]
        return f"{self.period} 考核(政策第 {self.policy_version} 版):" + ",".join(parts) + "。"


def parse_period(text: str, policy: Policy | None = None) -> Period:
    """The period a key names, checked against the policy's period kind (EvaluationError)."""
    try:
        period = parse_period_key(text)
    except ValueError as error:
        raise EvaluationError(str(error)) from None
    if policy is not None and period.kind != policy.period_kind:
        raise EvaluationError(f"考核周期 {period.label} 与当前考核政策的周期类型"
                              f"({PERIOD_KIND_LABELS[policy.period_kind]})不符")
    return period


def evaluated_people(period: Period, *, station_id: int | None = None,
                     user_ids: Collection[int] | None = None) -> list[User]:
    """Active staff and heads with a post and a station, hired before the period ended."""
    _, end = period_span(period)
    query = select(User).where(User.active.is_(True), User.role.in_(EVALUATED_ROLES),
                               User.post.is_not(None), User.station_id.is_not(None))
    query = query.where((User.hire_date.is_(None)) | (User.hire_date < end.date()))
    if station_id is not None:
        query = query.where(User.station_id == station_id)
    if user_ids is not None:
        query = query.where(User.id.in_(list(user_ids)))
    return list(db.session.scalars(query.order_by(User.id)))


def compute_period(period_key: str, actor: User | None, *, station_id: int | None = None,
                   user_ids: Collection[int] | None = None,
                   library: ContentLibrary | None = None) -> ComputeSummary:
    """Compute (or recompute) the period's drafts under the current policy, for everybody or
    one station / some people. Existing drafts are recomputed with their adjustments
    re-applied; anything past draft is left as it is. `actor` None is the command line."""
    if actor is not None and not can(actor, Permission.COMPUTE_EVALUATIONS):
        raise EvaluationError("只有人力资源可以计算考核结果", status=403)
    policy_row = ensure_policy(actor)
    policy = policy_of(policy_row)
    period = parse_period(period_key, policy)
    people = evaluated_people(period, station_id=station_id, user_ids=user_ids)
    ids = [person.id for person in people]
    existing = {e.user_id: e for e in current_revisions(period.key, user_ids=ids)} if ids else {}
    records = period_records(period, people, library) if ids else {}
    stations = {s.id: s.name for s in db.session.scalars(select(Station))}
    summary = ComputeSummary(period.key, policy_row.version)
    created: list[Evaluation] = []
    for person in people:
        evaluation = existing.get(person.id)
        if evaluation is not None and evaluation.status != lifecycle.DRAFT:
            summary.skipped[lifecycle.STATUS_LABELS[status_at(evaluation)]] += 1
            continue
        if evaluation is not None and evaluation.corrects_id is not None:
            row, rules = db.session.get(EvaluationPolicy, evaluation.policy_id), \
                Policy.from_dict(evaluation.policy)
        else:
            row, rules = policy_row, policy
        result = compute_evaluation(rules, records[person.id], period)
        if evaluation is None:
            created.append(_new_evaluation(person, period, row, result, actor,  # type: ignore[arg-type]
                                           stations))
        elif _recompute(evaluation, row, result, actor, person, stations):  # type: ignore[arg-type]
            summary.recomputed += 1
        else:
            summary.unchanged += 1
    # One flush for all new rows (thousands of people), then their audit entries.
    db.session.flush()
    for evaluation in created:
        log_change(actor, "evaluation.computed", "evaluation", evaluation.id,
                   after=_snapshot(evaluation), reason=f"计算 {period.label} 考核草稿")
    summary.created = len(created)
    return summary


def period_records(period: Period, people: Collection[User],
                   library: ContentLibrary | None = None) -> dict[int, Records]:
    """Each person's records of the period with whether he was cleared for duty at its end
    (everyone given has an entry, records or not)."""
    ids = [person.id for person in people]
    found = load_records(period, user_ids=ids, titles=module_titles(_library(library)))
    duty = duty_at_end(period, people)
    return {person.id: replace(found.get(person.id, Records()),
                               duty_cleared=duty[person.id][0], duty_note=duty[person.id][1])
            for person in people}


def _person_records(evaluation: Evaluation, library: ContentLibrary | None) -> Records:
    person = db.session.get(User, evaluation.user_id)
    assert person is not None  # an evaluation's person is never deleted (foreign key)
    return period_records(parse_period_key(evaluation.period), [person], library)[person.id]


def _library(library: ContentLibrary | None) -> Any | None:
    if library is not None:
        return library
    from trainer.library import ContentUnavailable, get_library

    try:
        return get_library()
    except (ContentUnavailable, RuntimeError):
        return None


def _new_evaluation(person: User, period: Period, row: EvaluationPolicy,
                    result: EvaluationResult, actor: User | None,
                    stations: dict[int, str]) -> Evaluation:
    evaluation = Evaluation(
        user_id=person.id, station_id=person.station_id, employee_no=person.employee_no,
        name=person.name, station_name=stations.get(person.station_id or 0, ""), post=person.post,
        period=period.key, revision=1, policy_id=row.id, policy_version=row.version,
        policy=row.settings, status=lifecycle.DRAFT, computed_at=now(),
        computed_by_id=_id(actor), correction_reason="", appeal_reason="", resolution="",
        acknowledged_silently=False)
    _store(evaluation, result)
    db.session.add(evaluation)
    return evaluation


def _recompute(evaluation: Evaluation, row: EvaluationPolicy, result: EvaluationResult,
               actor: User | None, person: User | None, stations: dict[int, str]) -> bool:
    """Store a fresh result (the draft's adjustments re-applied); False when nothing changed."""
    result = _reapply(result_of(evaluation), result)
    snapshot = _person_snapshot(person, stations) if person is not None else {}
    if (result.to_dict() == evaluation.result and row.id == evaluation.policy_id
            and all(getattr(evaluation, k) == v for k, v in snapshot.items())):
        return False
    before = _snapshot(evaluation)
    for key, value in snapshot.items():
        setattr(evaluation, key, value)
    evaluation.policy_id, evaluation.policy_version, evaluation.policy = (
        row.id, row.version, row.settings)
    _store(evaluation, result)
    evaluation.computed_at = now()
    evaluation.computed_by_id = _id(actor)
    log_change(actor, "evaluation.recomputed", "evaluation", evaluation.id, before=before,
               after=_snapshot(evaluation), reason="按最新记录重新计算草稿")
    return True


def _person_snapshot(person: User, stations: dict[int, str]) -> dict[str, Any]:
    return {"station_id": person.station_id, "employee_no": person.employee_no,
            "name": person.name, "station_name": stations.get(person.station_id or 0, ""),
            "post": person.post}


def _reapply(old: EvaluationResult, fresh: EvaluationResult) -> EvaluationResult:
    """The fresh result with every adjustment of the old one made again, in order."""
    for component in old.components:
        for adjustment in component.adjustments:
            fresh = apply_adjustment(fresh, component.key, adjustment.to_score,
                                     adjustment.reason, adjustment.by)
    return fresh


def refresh_draft(evaluation: Evaluation, actor: User | None,
                  library: ContentLibrary | None = None) -> bool:
    """Recompute a draft from the records as they are now, under its own frozen policy (a
    review decided or a complaint confirmed since). True when the result changed."""
    if evaluation.status != lifecycle.DRAFT:
        return False
    period = parse_period_key(evaluation.period)
    fresh = compute_evaluation(Policy.from_dict(evaluation.policy),
                               _person_records(evaluation, library), period)
    row = db.session.get(EvaluationPolicy, evaluation.policy_id)
    return _recompute(evaluation, row, fresh, actor, None, {})  # type: ignore[arg-type]


def _store(evaluation: Evaluation, result: EvaluationResult) -> None:
    evaluation.result = result.to_dict()
    evaluation.total = result.total
    evaluation.grade = result.grade
    evaluation.coefficient = result.coefficient
    evaluation.incomplete = result.incomplete
    evaluation.no_grade = result.no_grade
    evaluation.adjusted = any(c.adjusted for c in result.components)


# --- the station head's review ------------------------------------------------------------


def adjust(evaluation: Evaluation, actor: User, component: str, score: Any,
           reason: str) -> Evaluation:
    """The head changes one component's score of a draft, with a written reason (also a
    component without records: that is how a draft without grade gets one)."""
    _require(lifecycle.ADJUST, evaluation)
    _require_reviewer(actor, evaluation)
    if component not in COMPONENTS:
        raise EvaluationError("请选择要调整的考核部分")
    reason = _text(reason, "调整分数必须填写书面理由")
    current = result_of(evaluation)
    try:
        adjusted = apply_adjustment(current, component, (score or "").strip()
                                    if isinstance(score, str) else score, reason,
                                    _adjuster(actor))
    except (ValueError, TypeError) as error:
        raise EvaluationError(str(error)) from None
    before = {**_snapshot(evaluation), "component": component,
              "score": _text_number(current.component(component).score)}
    _store(evaluation, adjusted)
    log_change(actor, "evaluation.adjusted", "evaluation", evaluation.id, before=before,
               after={**_snapshot(evaluation), "component": component,
                      "score": _text_number(adjusted.component(component).score)},
               reason=f"{COMPONENT_LABELS[component]}:{reason}")
    return evaluation


def publish(evaluation: Evaluation, actor: User, *, at: datetime | None = None,
            library: ContentLibrary | None = None) -> bool:
    """The head's review is done: the result goes to the staff member and his appeal window
    opens. The draft is first recomputed from the records as they are now; if that changed
    anything, it is NOT published (False) - the head checks the new numbers first."""
    at = at or now()
    _require(lifecycle.PUBLISH, evaluation)
    _require_reviewer(actor, evaluation)
    require_period_settled(evaluation.period, "发布", at)
    if refresh_draft(evaluation, actor, library):
        return False
    _require_nothing_pending(evaluation, "提交")
    if evaluation.no_grade:
        raise EvaluationError("本期既没有理论成绩也没有口语成绩,暂无等级:请为理论或口语录入"
                              "分数并写明理由后再提交")
    days = Policy.from_dict(evaluation.policy).appeal_window_days
    before = _snapshot(evaluation)
    evaluation.status = lifecycle.PUBLISHED
    evaluation.reviewed_at = at
    evaluation.reviewed_by_id = actor.id
    evaluation.appeal_deadline = lifecycle.appeal_deadline(at, days)
    log_change(actor, "evaluation.published", "evaluation", evaluation.id, before=before,
               after={**_snapshot(evaluation),
                      "appeal_deadline": evaluation.appeal_deadline.isoformat()},
               reason=f"站长审核完成,员工可在 {days} 天内确认或申诉")
    return True


# --- the staff member ---------------------------------------------------------------------


def acknowledge(evaluation: Evaluation, actor: User, *, at: datetime | None = None) -> Evaluation:
    """The staff member accepts his result."""
    at = at or now()
    _require_owner(actor, evaluation)
    _require(lifecycle.ACKNOWLEDGE, evaluation, at)
    before = _snapshot(evaluation)
    evaluation.status = lifecycle.ACKNOWLEDGED
    evaluation.acknowledged_at = at
    log_change(actor, "evaluation.acknowledged", "evaluation", evaluation.id, before=before,
               after=_snapshot(evaluation), reason="员工确认考核结果")
    return evaluation


def appeal(evaluation: Evaluation, actor: User, reason: str, *,
           at: datetime | None = None) -> Evaluation:
    """The staff member appeals, with his reason, while the window is open."""
    at = at or now()
    _require_owner(actor, evaluation)
    _require(lifecycle.APPEAL, evaluation, at)
    reason = _text(reason, "请写明申诉理由")
    before = _snapshot(evaluation)
    evaluation.status = lifecycle.APPEALED
    evaluation.appeal_reason = reason
    evaluation.appealed_at = at
    log_change(actor, "evaluation.appealed", "evaluation", evaluation.id, before=before,
               after=_snapshot(evaluation), reason=reason)
    return evaluation


def close_appeal_windows(at: datetime | None = None) -> int:
    """Write down the silent acknowledgements: every published evaluation whose window has
    ended becomes acknowledged (by the system, logged). Returns how many."""
    at = at or now()
    due = list(db.session.scalars(select(Evaluation).where(
        Evaluation.status == lifecycle.PUBLISHED, Evaluation.appeal_deadline <= at)))
    for evaluation in due:
        _acknowledge_silently(evaluation)
    return len(due)


def _acknowledge_silently(evaluation: Evaluation) -> None:
    before = _snapshot(evaluation)
    evaluation.status = lifecycle.ACKNOWLEDGED
    evaluation.acknowledged_at = evaluation.appeal_deadline
    evaluation.acknowledged_silently = True
    log_change(None, "evaluation.acknowledged_silently", "evaluation", evaluation.id,
               before=before, after=_snapshot(evaluation),
               reason="申诉期内员工未确认也未申诉,按规定视为确认")


# --- HR -----------------------------------------------------------------------------------


def resolve(evaluation: Evaluation, actor: User, resolution: str,
            changes: dict[str, Any] | None = None) -> Evaluation:
    """HR answers an appeal in writing; `changes` (component -> new score) amend the result,
    each with the resolution as its reason. Upholding is a resolution without changes."""
    _require_hr(actor, Permission.RESOLVE_APPEAL, evaluation)
    _require(lifecycle.RESOLVE, evaluation)
    resolution = _text(resolution, "请写明申诉处理意见")
    before = _snapshot(evaluation)
    result = result_of(evaluation)
    scores_before = {COMPONENT_LABELS[k]: _text_number(result.component(k).score)
                     for k in (changes or {}) if k in COMPONENTS}
    for component, score in (changes or {}).items():
        if component not in COMPONENTS:
            raise EvaluationError("请选择要调整的考核部分")
        try:
            result = apply_adjustment(result, component, score, f"申诉处理:{resolution}",
                                      "人力资源")
        except (ValueError, TypeError) as error:
            raise EvaluationError(str(error)) from None
    if changes:
        _store(evaluation, result)
    evaluation.status = lifecycle.RESOLVED
    evaluation.resolution = resolution
    evaluation.resolved_at = now()
    evaluation.resolved_by_id = actor.id
    changed = {COMPONENT_LABELS[k]: _text_number(result.component(k).score)
               for k in (changes or {})}
    log_change(actor, "evaluation.appeal_resolved", "evaluation", evaluation.id,
               before={**before, "scores": scores_before},
               after={**_snapshot(evaluation), "scores": changed}, reason=resolution)
    return evaluation


def finalize(evaluation: Evaluation, actor: User, *, at: datetime | None = None,
             library: ContentLibrary | None = None) -> Evaluation:
    """HR locks the result for pay. A silent acknowledgement is written down first. Refused
    before the period has ended (without HR's decision to settle it early), while anything
    behind it is pending, and without HR's decision for an evaluation without assessment
    data. The finalize record is written before the status changes: the database accepts
    the change into final only with it. Mandatory retraining follows a final grade that
    requires it (trainer.evaluations.retraining)."""
    at = at or now()
    _require_hr(actor, Permission.FINALIZE_EVALUATION, evaluation)
    _require(lifecycle.FINALIZE, evaluation, at)
    require_period_settled(evaluation.period, "定稿", at)
    _require_nothing_pending(evaluation, "定稿")
    if needs_decision(evaluation):
        raise EvaluationError("本期没有考核数据(理论和口语均无记录),须人力资源写明决定后才能定稿")
    return _lock(evaluation, actor, at, library)


def _lock(evaluation: Evaluation, actor: User, at: datetime,
          library: ContentLibrary | None) -> Evaluation:
    _lock_all([evaluation], actor, at, library)
    return evaluation


def _lock_all(evaluations: list[Evaluation], actor: User, at: datetime,
              library: ContentLibrary | None) -> None:
    """The finalize step's own statements, once every rule has been checked: silent
    acknowledgements written down, then every finalize record, then every change into final
    (the database accepts it only with its record) - three flushes however many there are."""
    from trainer.evaluations.retraining import settle_retraining

    for evaluation in evaluations:
        if evaluation.status == lifecycle.PUBLISHED:
            _acknowledge_silently(evaluation)
    db.session.flush()
    db.session.add_all(EvaluationFinalization(
        evaluation_id=e.id, finalized_at=at, finalized_by_id=actor.id, total=e.total,
        grade=e.grade, coefficient=e.coefficient) for e in evaluations)
    db.session.flush()
    for evaluation in evaluations:
        before = _snapshot(evaluation)
        evaluation.status = lifecycle.FINAL
        evaluation.finalized_at = at
        evaluation.finalized_by_id = actor.id
        log_change(actor, "evaluation.finalized", "evaluation", evaluation.id, before=before,
                   after=_snapshot(evaluation), reason="人力资源定稿")
    db.session.flush()
    # Only a grade requiring retraining, or a correction (which may end one), has any to settle.
    for evaluation in evaluations:
        if evaluation.result.get("retraining_required") or evaluation.corrects_id is not None:
            settle_retraining(evaluation, actor, library=library)


@dataclass
class BulkResult:
    finalized: list[int] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)   # why, by reason

    @property
    def message(self) -> str:
        text = f"已定稿 {len(self.finalized)} 份"
        if self.skipped:
            text += ";未定稿:" + ",".join(f"{why} {n} 份" for why, n in self.skipped.items())
        return text + "。"


def finalize_many(period_key: str, actor: User, *, station_id: int | None = None,
                  at: datetime | None = None, library: ContentLibrary | None = None) -> BulkResult:
    """Finalize every evaluation of the period (one station or all) that may be finalized;
    the others are counted by why not."""
    _require_hr(actor, Permission.FINALIZE_EVALUATION)
    at = at or now()
    require_period_settled(period_key, "定稿", at)
    outcome = BulkResult()
    rows = [e for e in current_revisions(period_key, station_id=station_id)
            if e.status != lifecycle.FINAL]
    # Two queries for everybody, not two per person.
    pending = pending_by_user(parse_period_key(period_key), [e.user_id for e in rows])
    for evaluation in rows:
        why = lifecycle.refusal(lifecycle.FINALIZE, evaluation.status,
                                evaluation.appeal_deadline, at)
        if why is not None:
            outcome.skipped[lifecycle.STATUS_LABELS[status_at(evaluation, at)]] += 1
            continue
        if pending.get(evaluation.user_id):
            outcome.skipped["有记录待处理"] += 1
            continue
        if needs_decision(evaluation):
            outcome.skipped["无考核数据、待人力资源决定"] += 1
            continue
        outcome.finalized.append(evaluation.id)
    by_id = {e.id: e for e in rows}
    _lock_all([by_id[i] for i in outcome.finalized], actor, at, library)
    return outcome


def correct(evaluation: Evaluation, actor: User, reason: str,
            library: ContentLibrary | None = None) -> Evaluation:
    """A correction of a final evaluation: a NEW draft (revision + 1) linked to it, computed
    from the records as they are now under the same frozen policy, its adjustments made
    again. The final one stays exactly as it was; the correction goes through review,
    acknowledgement and finalizing like any evaluation."""
    _require_hr(actor, Permission.CORRECT_EVALUATION, evaluation)
    _require(lifecycle.CORRECT, evaluation)
    reason = _text(reason, "请写明更正理由")
    if correction_of(evaluation) is not None:
        raise EvaluationError("这份考核结果已经有更正记录,请在最新的记录上操作")
    period = parse_period_key(evaluation.period)
    fresh = compute_evaluation(Policy.from_dict(evaluation.policy),
                               _person_records(evaluation, library), period)
    correction = Evaluation(
        user_id=evaluation.user_id, station_id=evaluation.station_id,
        employee_no=evaluation.employee_no, name=evaluation.name,
        station_name=evaluation.station_name, post=evaluation.post, period=evaluation.period,
        revision=evaluation.revision + 1, corrects_id=evaluation.id, correction_reason=reason,
        policy_id=evaluation.policy_id, policy_version=evaluation.policy_version,
        policy=evaluation.policy, status=lifecycle.DRAFT, computed_at=now(),
        computed_by_id=actor.id, appeal_reason="", resolution="", acknowledged_silently=False)
    _store(correction, _reapply(result_of(evaluation), fresh))
    db.session.add(correction)
    db.session.flush()
    log_change(actor, "evaluation.correction_started", "evaluation", evaluation.id,
               after={"correction_id": correction.id}, reason=reason)
    log_change(actor, "evaluation.computed", "evaluation", correction.id,
               after={**_snapshot(correction), "corrects": evaluation.id}, reason=reason)
    return correction


# --- periods, pending records, evaluations without data (issue 14) -------------------------


def period_override(period_key: str) -> PeriodOverride | None:
    """HR's decision to settle the period before it ends, if there is one."""
    return db.session.scalar(select(PeriodOverride).where(PeriodOverride.period == period_key))


def period_ended(period_key: str, at: datetime | None = None) -> bool:
    _, end = period_span(parse_period_key(period_key))
    return (at or now()) >= end


def settle_refusal(period_key: str, action: str, at: datetime | None = None) -> str | None:
    """Why the period may not be published, finalized or exported yet (None: it may)."""
    if period_ended(period_key, at) or period_override(period_key) is not None:
        return None
    period = parse_period_key(period_key)
    _, end = period_span(period)
    return (f"{period.label}尚未结束(到 {end:%Y-%m-%d} 零时结束),现在只能预览,不能{action};"
            f"如确需提前结算,须由人力资源写明理由")


def require_period_settled(period_key: str, action: str, at: datetime | None = None) -> None:
    why = settle_refusal(period_key, action, at)
    if why is not None:
        raise EvaluationError(why)


def override_period(period_key: str, actor: User, reason: str,
                    at: datetime | None = None) -> PeriodOverride:
    """HR decides, in writing, that a period not ended yet may be published, finalized and
    exported now. One decision per period; every export of the period records it."""
    _require_hr(actor, Permission.SETTLE_PERIOD_EARLY)
    period = parse_period(period_key)
    reason = _text(reason, "请写明提前结算的理由")
    if period_ended(period.key, at):
        raise EvaluationError(f"{period.label}已经结束,无需提前结算")
    if period_override(period.key) is not None:
        raise EvaluationError(f"{period.label}已有提前结算的决定")
    row = PeriodOverride(period=period.key, reason=reason, created_by_id=actor.id,
                         created_at=at or now())
    db.session.add(row)
    db.session.flush()
    log_change(actor, "evaluation_period.override", "evaluation_period", period.key,
               after={"period": period.key}, reason=reason)
    return row


def pending_of(evaluation: Evaluation) -> list[PendingRecord]:
    """The person's records of the evaluation's period that are not final yet."""
    return pending_records(parse_period_key(evaluation.period), evaluation.user_id)


def _require_nothing_pending(evaluation: Evaluation, action: str) -> None:
    pending = pending_of(evaluation)
    if pending:
        listed = "、".join(p.text for p in pending)
        raise EvaluationError(f"以下记录还没有最终结果,暂不能{action}:{listed}。"
                              f"请先处理(复核、识别或核实)后再{action}")


def needs_decision(evaluation: Evaluation) -> bool:
    """Without assessment data and without HR's decision yet."""
    return bool(evaluation.result.get("needs_decision")) and not evaluation.hr_decision


def decide_without_data(evaluation: Evaluation, actor: User, reason: str) -> Evaluation:
    """HR's written decision that an evaluation without assessment data may be finalized as
    it stands (the payroll export shows it beside 数据不全)."""
    _require_hr(actor, Permission.DECIDE_WITHOUT_DATA, evaluation)
    if evaluation.status == lifecycle.FINAL:
        raise EvaluationError(lifecycle.STATUS_LABELS[lifecycle.FINAL] + ",不能再修改")
    if not evaluation.result.get("needs_decision"):
        raise EvaluationError("这份考核有考核数据,不需要人力资源决定")
    reason = _text(reason, "请写明人力资源的决定和理由")
    before = {**_snapshot(evaluation), "hr_decision": evaluation.hr_decision}
    evaluation.hr_decision = reason
    evaluation.hr_decision_by_id = actor.id
    evaluation.hr_decision_at = now()
    log_change(actor, "evaluation.data_decision", "evaluation", evaluation.id, before=before,
               after={**_snapshot(evaluation), "hr_decision": reason}, reason=reason)
    return evaluation


# --- helpers ------------------------------------------------------------------------------


def _require(action: str, evaluation: Evaluation, at: datetime | None = None) -> None:
    why = lifecycle.refusal(action, evaluation.status, evaluation.appeal_deadline, at or now())
    if why is not None:
        raise EvaluationError(why)


def _require_reviewer(actor: User, evaluation: Evaluation) -> None:
    if actor.id == evaluation.user_id:
        raise EvaluationError("不能审核自己的考核结果", status=403)
    if not can(actor, Permission.REVIEW_EVALUATION, evaluation):
        raise EvaluationError("只有本站站长可以审核考核草稿(站长本人的考核由人力资源审核)",
                              status=403)


def _require_owner(actor: User, evaluation: Evaluation) -> None:
    if actor.id != evaluation.user_id:
        raise EvaluationError("只有本人可以确认或申诉自己的考核结果")


def _require_hr(actor: User, permission: Permission, evaluation: Evaluation | None = None
                ) -> None:
    if not can(actor, permission, evaluation):
        raise EvaluationError("只有人力资源可以执行此操作", status=403)


def _adjuster(actor: User) -> str:
    return ROLES.get(actor.role, "")


def _text(value: Any, missing: str) -> str:
    text, problem = checked_text(value, missing, MAX_TEXT)
    if problem:
        raise EvaluationError(problem)
    return text


def _text_number(value: Any) -> str | None:
    return None if value is None else str(value)


def _snapshot(evaluation: Evaluation) -> dict[str, Any]:
    return {key: _text_number(getattr(evaluation, key)) if key in ("total", "coefficient")
            else getattr(evaluation, key) for key in AUDITED}


def _id(user: User | None) -> int | None:
    return user.id if user is not None else None
