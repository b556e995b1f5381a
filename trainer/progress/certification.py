"""What a person still needs before a station head may certify him, and whether he may work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from trainer.extensions import db
from trainer.models import Certificate, CertificateStatus, PracticalCheck, PracticalKind, User
from trainer.models.certificate import STATUS_LABELS
from trainer.models.practical import PRACTICAL_LABELS
from trainer.progress.results import (
    ModuleResult,
    assigned_modules,
    is_assessed,
    library_or_default,
    module_result,
)
from trainer.timeutil import today

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


def certification_requirements(user: User, library: Any | None = None,
                               results: Mapping[str, ModuleResult] | None = None
                               ) -> list[Requirement]:
    """Every condition a station head must see met before certifying the person for his post:
    each required assigned module with an assessment passed in assessment, the grooming
    checklist passed, and (for posts whose modules contain a drill) the fueling drill within
    its limits. Practical checks count by the latest check of each kind. `results`: module id
    -> module_result, when the caller (the home page's overview) has them already."""
    library = library_or_default(library)
    modules = assigned_modules(user, library)
    results = results or {}
    requirements = [_module_requirement(module, results.get(module.id)
                                        or module_result(user, module))
                    for module in modules if module.required and is_assessed(module)]
    if not user.post:
        return requirements
    requirements.append(_practical_requirement(user, PracticalKind.GROOMING))
    if any(module.required and module.drills for module in modules):
        requirements.append(_practical_requirement(user, PracticalKind.DRILL))
    return requirements


def _module_requirement(module: Any, result: ModuleResult) -> Requirement:
    label = f"{module.title}:考核通过"
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


def _practical_requirement(user: User, kind: str) -> Requirement:
    check = db.session.scalar(
        select(PracticalCheck)
        .where(PracticalCheck.user_id == user.id, PracticalCheck.kind == kind)
        .order_by(PracticalCheck.performed_at.desc(), PracticalCheck.id.desc())
        .limit(1))
    label = f"{PRACTICAL_LABELS[kind]}:通过"
    if check is None:
        return Requirement(label, False, "站长尚未检查", "practical", practical_kind=kind)
    when = f"{check.performed_at:%Y-%m-%d}"
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
    return list(db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user.id, Certificate.post == user.post)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def duty_status(user: User, on: date | None = None, library: Any | None = None,
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
