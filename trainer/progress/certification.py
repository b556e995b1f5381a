"""What a person still needs before a station head may certify him, and whether he may work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from trainer import settings
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import (
    Attempt,
    Certificate,
    CertificateStatus,
    PracticalCheck,
    PracticalKind,
    User,
)
from trainer.models.certificate import STATUS_LABELS
from trainer.models.practical import PRACTICAL_LABELS
from trainer.progress import batch
from trainer.progress.results import (
    ModuleResult,
    assigned_modules,
    is_assessed,
    library_or_default,
    module_result,
)
from trainer.timeutil import today

DEFAULT_EVIDENCE_MONTHS = 12
CLEARED = "可以上岗"
NOT_CLEARED = "暂不能上岗"
AWAITING_CERTIFICATION = "已满足全部要求,等待站长认证上岗"


@dataclass(frozen=True)
class Requirement:
    """One condition of certification: a Chinese label, whether it is met, and why (detail).

    `kind` is "module" (module_id set) or "practical" (practical_kind set).
    """

    label: str
    met: bool
    detail: str
    kind: str
    module_id: str | None = None
    practical_kind: str | None = None


@dataclass(frozen=True)
class DutyStatus:
    """Cleared for duty (可以上岗) or not, with exactly what is missing."""

    cleared: bool
    label: str
    missing: tuple[str, ...]
    certificate: Certificate | None = None
    requirements: tuple[Requirement, ...] = field(default=())


@dataclass(frozen=True)
class EvidenceFloor:
    """How recent evidence must be: not before `since`, for the reason `why` (Chinese)."""

    since: datetime
    why: str


def evidence_floor(user: User, on: date | None = None, months: int | None = None
                   ) -> EvidenceFloor:
    """Evidence for certification must be from the last `months` months (the setting
    CERTIFICATE_EVIDENCE_MONTHS) and, after his certificate for the post was revoked or
    expired, newer than that: re-certification needs something new."""
    on = on or today()
    months = months if months is not None else _evidence_months()
    floor = EvidenceFloor(datetime.combine(_months_before(on, months), time()),
                          f"超过 {months} 个月")
    latest = next(iter(_certificates_for_post(user)), None)
    if latest is None or latest.issued_on > on:
        return floor
    state = latest.effective_status(on)
    if state == CertificateStatus.REVOKED and latest.status_changed_at is not None:
        after = latest.status_changed_at
        why = f"早于证书 {latest.number} 撤销({after:%Y-%m-%d})"
    elif state == CertificateStatus.EXPIRED:
        after = datetime.combine(latest.expires_on + timedelta(days=1), time())
        why = f"早于证书 {latest.number} 过期({latest.expires_on:%Y-%m-%d})"
    else:
        return floor
    return EvidenceFloor(after, why) if after > floor.since else floor


def _evidence_months() -> int:
    from flask import has_app_context

    if has_app_context():
        return settings.current().certificate_evidence_months
    return DEFAULT_EVIDENCE_MONTHS


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def certification_requirements(user: User, library: ContentLibrary | None = None,
                               results: Mapping[str, ModuleResult] | None = None, *,
                               on: date | None = None) -> list[Requirement]:
    """Every condition a station head must see met before certifying the person for his post:
    each required assigned module with an assessment passed in assessment, the grooming
    checklist passed, and (for posts whose modules contain a drill) the fueling drill within
    its limits - each with evidence recent enough (evidence_floor: the detail says which is
    too old). Practical checks count by the latest check of each kind. `results`: module id
    -> module_result, when the caller (the home page's overview) has them already."""
    library = library_or_default(library)
    modules = assigned_modules(user, library)
    results = results or {}
    floor = evidence_floor(user, on)
    requirements = [_module_requirement(module, results.get(module.id)
                                        or module_result(user, module), floor)
                    for module in modules if module.required and is_assessed(module)]
    if not user.post:
        return requirements
    requirements.append(_practical_requirement(user, PracticalKind.GROOMING, floor))
    if any(module.required and module.drills for module in modules):
        requirements.append(_practical_requirement(user, PracticalKind.DRILL, floor))
    return requirements


def _oldest_attempt(result: ModuleResult) -> datetime | None:
    if not result.attempt_ids:
        return None
    if batch.active():
        # The preload holds these attempts: the session's identity map answers, no query.
        times = [a.submitted_at for a in (db.session.get(Attempt, i) for i in result.attempt_ids)
                 if a is not None and a.submitted_at is not None]
        return min(times) if times else None
    return db.session.scalar(select(func.min(Attempt.submitted_at))
                             .where(Attempt.id.in_(result.attempt_ids)))


def _module_requirement(module: Any, result: ModuleResult, floor: EvidenceFloor) -> Requirement:
    label = f"{module.title}:考核通过"
    oldest = _oldest_attempt(result) if result.passed else None
    if result.passed and oldest is not None and oldest < floor.since:
        return Requirement(label, False, f"考核通过于 {oldest:%Y-%m-%d},{floor.why},"
                           f"证据太旧,需要重新考核", "module", module_id=module.id)
    if result.passed:
        detail = f"已通过,得分 {_number(result.score)}"
    elif result.pending_review:
        detail = "考核结果等待站长复核"
    elif not result.taken:
        detail = "尚未参加考核"
    else:
        failed = [p.label for p in result.parts if p.score is not None and not p.passed]
        missing = [p.label for p in result.parts if p.score is None]
        bits = []
        if result.score is not None and result.score < result.pass_mark:
            bits.append(f"得分 {_number(result.score)},未达到 {result.pass_mark} 分")
        if failed:
            bits.append("、".join(failed) + "未通过")
        if missing:
            bits.append("、".join(missing) + "尚未完成")
        detail = ";".join(bits) or "未通过"
    return Requirement(label, result.passed, detail, "module", module_id=module.id)


def _practical_requirement(user: User, kind: str, floor: EvidenceFloor) -> Requirement:
    preload = batch.current_for(user)
    check = preload.latest_checks.get((user.id, kind)) if preload is not None else db.session.scalar(
        select(PracticalCheck)
        .where(PracticalCheck.user_id == user.id, PracticalCheck.kind == kind)
        .order_by(PracticalCheck.performed_at.desc(), PracticalCheck.id.desc())
        .limit(1))
    label = f"{PRACTICAL_LABELS[kind]}:通过"
    if check is None:
        return Requirement(label, False, "站长尚未检查", "practical", practical_kind=kind)
    when = f"{check.performed_at:%Y-%m-%d}"
    if check.performed_at < floor.since:
        return Requirement(label, False, f"{when} 的检查{floor.why},证据太旧,需要重新检查",
                           "practical", practical_kind=kind)
    if check.passed:
        detail = f"{when} 检查通过"
    elif kind == PracticalKind.DRILL:
        detail = f"{when} 检查未通过(顺序或时限不符合要求),需要重新检查"
    else:
        detail = f"{when} 检查未通过,整改后需要重新检查"
    return Requirement(label, check.passed, detail, "practical", practical_kind=kind)


def valid_certificate(user: User, on: date | None = None) -> Certificate | None:
    """The person's certificate for his current post that is in force on the day, if any."""
    on = on or today()
    if not user.post:
        return None
    for certificate in _certificates_for_post(user):
        if certificate.issued_on <= on and (
                certificate.effective_status(on) == CertificateStatus.ACTIVE):
            return certificate
    return None


def _certificates_for_post(user: User) -> list[Certificate]:
    preload = batch.current_for(user)
    if preload is not None:
        return [c for c in preload.certificates.get(user.id, []) if c.post == user.post]
    return list(db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user.id, Certificate.post == user.post)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def duty_status(user: User, on: date | None = None, library: ContentLibrary | None = None,
                results: Mapping[str, ModuleResult] | None = None) -> DutyStatus:
    """可以上岗 only with a valid certificate for the current post (not expired, suspended or
    revoked). Otherwise `missing` says exactly what is missing: the certificate's state (if he
    had one), then the unmet requirements, or that all are met and the head must certify.
    A suspended certificate is lifted by the head: then only its state is listed."""
    on = on or today()
    if not user.post:
        return DutyStatus(False, NOT_CLEARED, ("账号未设置岗位,请联系站长",))
    certificate = valid_certificate(user, on)
    if certificate is not None:
        return DutyStatus(True, CLEARED, (), certificate)
    requirements = tuple(certification_requirements(user, library, results))
    missing: list[str] = []
    latest = next(iter(_certificates_for_post(user)), None)
    if latest is not None and latest.issued_on <= on:
        status = latest.effective_status(on)
        line = f"证书{STATUS_LABELS[status]}(编号 {latest.number})"
        if status == CertificateStatus.EXPIRED:
            line = f"证书已过期(有效期至 {latest.expires_on:%Y-%m-%d},编号 {latest.number})"
        elif latest.status_reason:
            line += f":{latest.status_reason}"
        missing.append(line)
        if status == CertificateStatus.SUSPENDED:
            return DutyStatus(False, NOT_CLEARED, tuple(missing), latest, requirements)
    unmet = [f"{r.label}——{r.detail}" for r in requirements if not r.met]
    missing.extend(unmet or [AWAITING_CERTIFICATION])
    return DutyStatus(False, NOT_CLEARED, tuple(missing), latest, requirements)


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"
