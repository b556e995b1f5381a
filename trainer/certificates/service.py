"""Certificates in the database: issue, suspend, lift, revoke, re-issue, renew, and reading them.

Callable without a request (inside an app context). Every change is written to the audit log
in the same transaction; the functions never commit - the caller does, so a change and its
log entry are stored together or not at all.

Who may do what (decided by trainer.auth.access.can; the services ask it before changing)
---------------
- Certify (issue, re-issue after a revocation, renew before or after expiry): the station head
  of the person's station, for the person's current post, once every certification
  requirement holds (trainer.progress.certification_requirements). Never himself.
- Suspend, revoke: the head of the certificate's station, HR and admin; other areas
  (evaluations' mandatory retraining) call :func:`suspend` and :func:`lift` with the acting
  person, or with ``actor=None`` for the system itself.
- Lift (issue 14): who may lift depends on who imposed the suspension
  (Permission.LIFT_SUSPENSION in trainer.auth.access): one a head imposed, that station's head or HR; one HR, admin
  or a rule (the system, e.g. mandatory retraining) imposed, HR only - and the system lifts
  only its own. Lifting needs a reason. Every change is kept with its reason and who made it
  in ``certificate_status_change`` (append-only), so no reason is ever overwritten.

Every refusal is a :class:`CertificateError` whose message is for the user (Chinese).

Numbers are ``JQZ-<year of issue>-<sequence>-<check>`` (numbering.py); the sequence is the
certificate's row id, unique by construction. A revoked certificate keeps its number and verify
page; re-issuing and renewing make a new number whose ``replaces_id`` points at the certificate
it follows.
"""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select

from trainer.audit import log_change, snapshot
from trainer.auth.access import Permission, can, record_scope
from trainer.certificates.document import CertificateDocument
from trainer.certificates.numbering import format_number, parse_number
from trainer.extensions import db
from trainer.models import (
    POSTS,
    ROLES,
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    Role,
    Station,
    User,
)
from trainer.models.certificate import STATUS_LABELS
from trainer.refusals import Refused
from trainer.timeutil import now, today

DEFAULT_VALID_MONTHS = 12
DEFAULT_RENEWAL_DAYS = 30
MAX_REASON = 1000
# What the audit log keeps of a certificate before and after a change.
AUDITED = ("number", "status", "status_reason", "status_changed_at", "expires_on")

STATUS_CHOICES = (
    (CertificateStatus.ACTIVE, STATUS_LABELS[CertificateStatus.ACTIVE]),
    (CertificateStatus.EXPIRED, STATUS_LABELS[CertificateStatus.EXPIRED]),
    (CertificateStatus.SUSPENDED, STATUS_LABELS[CertificateStatus.SUSPENDED]),
    (CertificateStatus.REVOKED, STATUS_LABELS[CertificateStatus.REVOKED]),
)


class CertificateError(Refused):
    """A rule refused the action; the message is for the user."""


# --- reading -------------------------------------------------------------------------------


def status_of(certificate: Certificate, on: date | None = None) -> str:
    """The certificate's state on the day: active, expired, suspended or revoked."""
    return certificate.effective_status(on or today())


def status_label(certificate: Certificate, on: date | None = None) -> str:
    """有效 / 已过期 / 已暂停 / 已撤销 on the day."""
    return STATUS_LABELS[status_of(certificate, on)]


def qualification_for(post: str) -> str:
    """The qualification a certificate names for a post: 加气员上岗资格."""
    return f"{POSTS.get(post, post)}上岗资格"


def find_by_number(text: str) -> Certificate | None:
    """The certificate a typed number names, or None (a mistyped number fails its check digit
    and never finds someone else's certificate)."""
    number = parse_number(text or "")
    if number is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == number))


def certificates_of(user: User) -> list[Certificate]:
    """All of a person's certificates, newest first."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def latest_for_post(user: User, post: str | None = None) -> Certificate | None:
    """The person's most recent certificate for a post (default: his current post)."""
    post = post or user.post
    if not post:
        return None
    return db.session.scalar(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.post == post)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc()).limit(1))


def successor(certificate: Certificate) -> Certificate | None:
    """The certificate that re-issued or renewed this one, if any."""
    return db.session.scalar(
        select(Certificate).where(Certificate.replaces_id == certificate.id)
        .order_by(Certificate.id.desc()).limit(1))


SYSTEM = "system"


def actor_role(actor: User | None) -> str:
    return SYSTEM if actor is None else actor.role


def status_history(certificate: Certificate) -> list[CertificateStatusChange]:
    """Every suspension, lifting and revocation, oldest first."""
    return list(db.session.scalars(
        select(CertificateStatusChange)
        .where(CertificateStatusChange.certificate_id == certificate.id)
        .order_by(CertificateStatusChange.at, CertificateStatusChange.id)))


def suspended_by(certificate: Certificate) -> str:
    """The role of whoever imposed the certificate's suspension (SYSTEM for a rule); HR when
    unknown (the stricter rule of who may lift it)."""
    imposed = suspension_of(certificate)
    return imposed.actor_role if imposed is not None else Role.HR


def suspension_of(certificate: Certificate) -> CertificateStatusChange | None:
    """The change that suspended the certificate (None: not suspended, or no history)."""
    if certificate.status != CertificateStatus.SUSPENDED:
        return None
    return db.session.scalar(
        select(CertificateStatusChange)
        .where(CertificateStatusChange.certificate_id == certificate.id,
               CertificateStatusChange.to_status == CertificateStatus.SUSPENDED)
        .order_by(CertificateStatusChange.at.desc(), CertificateStatusChange.id.desc()).limit(1))


@dataclass(frozen=True)
class CertificateFilter:
    """What HR filters certificates by; None or "" means any."""

    station_id: int | None = None
    post: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    status: str | None = None
    search: str = ""        # part of the holder's name, 工号 or the certificate number


def filtered_query(viewer: User | None, filters: CertificateFilter = CertificateFilter(),
                   on: date | None = None) -> Select:
    """Certificates the viewer may see (None: everything, for the command line) matching the
    filters, oldest number first. The status filter follows the date: an active certificate
    past its expiry is 已过期."""
    on = on or today()
    query = select(Certificate)
    if viewer is not None:
        query = query.where(record_scope(viewer, Certificate.station_id, Certificate.user_id))
    if filters.station_id:
        query = query.where(Certificate.station_id == filters.station_id)
    if filters.post:
        query = query.where(Certificate.post == filters.post)
    if filters.issued_from:
        query = query.where(Certificate.issued_on >= filters.issued_from)
    if filters.issued_to:
        query = query.where(Certificate.issued_on <= filters.issued_to)
    if filters.search:
        # autoescape: a typed % or _ is looked for as itself, not as a LIKE wildcard.
        query = query.where(or_(*(column.icontains(filters.search, autoescape=True) for column in
                                  (Certificate.holder_name, Certificate.employee_no,
                                   Certificate.number))))
    status = filters.status
    if status == CertificateStatus.ACTIVE:
        query = query.where(Certificate.status == CertificateStatus.ACTIVE,
                            Certificate.expires_on >= on)
    elif status == CertificateStatus.EXPIRED:
        query = query.where(Certificate.status == CertificateStatus.ACTIVE,
                            Certificate.expires_on < on)
    elif status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        query = query.where(Certificate.status == status)
    return query.order_by(Certificate.issued_on, Certificate.id)


def count(query: Select) -> int:
    """How many rows a certificate query gives."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def expiring(viewer: User, within_days: int = DEFAULT_RENEWAL_DAYS,
             on: date | None = None) -> list[Certificate]:
    """The renewal list: certificates in force that expire within `within_days` of the day
    (soonest first) and have not been renewed yet, for the stations the viewer sees."""
    on = on or today()
    renewed = select(Certificate.replaces_id).where(Certificate.replaces_id.is_not(None))
    query = filtered_query(viewer, CertificateFilter(status=CertificateStatus.ACTIVE), on)
    query = query.where(Certificate.expires_on <= on + timedelta(days=within_days),
                        Certificate.id.not_in(renewed))
    return list(db.session.scalars(query.order_by(None).order_by(Certificate.expires_on,
                                                                  Certificate.id)))


# --- the printed document -----------------------------------------------------------------


def base_url_problem(configured: str | None) -> str | None:
    """Why the configured public address (TRAINER_PUBLIC_BASE_URL) cannot be printed in QR
    codes: unset, or a loopback address a phone outside the server cannot reach. None: fine."""
    from urllib.parse import urlsplit

    if not (configured or "").strip():
        return ("未设置 TRAINER_PUBLIC_BASE_URL:证书二维码中的核验网址取自当前访问地址,"
                "站外扫码可能打不开。请设置为对外可访问的地址(如 https://peixun.example.com)。")
    host = (urlsplit(configured.strip()).hostname or "").lower()
    if not host or host == "localhost" or host.startswith("127.") or host in ("::1", "0.0.0.0"):
        return (f"TRAINER_PUBLIC_BASE_URL 是本机地址({configured}):证书二维码中的核验网址"
                f"在其他设备上打不开。请设置为对外可访问的地址。")
    return None


def verify_url(token: str, base_url: str) -> str:
    """The absolute address of a certificate's full public verify page: its random token
    (printed in the QR code), never the number, which can be counted."""
    return f"{base_url.rstrip('/')}/v/{token}"


def find_by_token(token: str) -> Certificate | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verify_token == token))


def holder_matches(certificate: Certificate, employee_no: str) -> bool:
    """Whether someone typed the holder's employee number (case and spaces aside)."""
    typed = (employee_no or "").strip().lower().encode()
    return secrets.compare_digest(typed, certificate.employee_no.strip().lower().encode())


def document_for(certificate: Certificate, base_url: str, *, company_name: str | None = None,
                 on: date | None = None) -> CertificateDocument:
    """The certificate as printed on the day (its state then), with its verify URL."""
    if company_name is None:
        station = db.session.get(Station, certificate.station_id) if certificate.station_id else None
        company_name = station.company if station is not None else ""
    replaced = db.session.get(Certificate, certificate.replaces_id) if certificate.replaces_id else None
    return build_document(certificate, base_url, company_name=company_name,
                          replaces_number=replaced.number if replaced else None, on=on)


def build_document(certificate: Certificate, base_url: str, *, company_name: str = "",
                   replaces_number: str | None = None,
                   on: date | None = None) -> CertificateDocument:
    """document_for without database look-ups (bulk exports pass what they looked up once)."""
    status = status_of(certificate, on)
    changed = certificate.status_changed_at.date() if certificate.status_changed_at else None
    return CertificateDocument(
        number=certificate.number,
        holder_name=certificate.holder_name,
        employee_no=certificate.employee_no,
        station_name=certificate.station_name,
        post_label=POSTS.get(certificate.post, certificate.post),
        qualification=certificate.qualification,
        modules=tuple((m.get("title") or m.get("module_id") or "", _score(m.get("score")))
                      for m in certificate.modules or ()),
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        certified_by_name=certificate.certified_by_name,
        status=STATUS_LABELS[status],
        verify_url=verify_url(certificate.verify_token, base_url),
        company_name=company_name,
        replaces_number=replaces_number,
        status_changed_on=changed if status in (CertificateStatus.SUSPENDED,
                                                CertificateStatus.REVOKED) else None,
    )


def _score(value: Any) -> Decimal | str:
    if value is None:
        return "—"
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return str(value)


# --- certifying ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether the actor may certify the person now, and if not, every reason why."""

    allowed: bool
    problems: tuple[str, ...]
    requirements: tuple[Any, ...]
    replaces: Certificate | None


def eligibility(user: User, actor: User, *, on: date | None = None,
                library: Any | None = None,
                renewal_days: int = DEFAULT_RENEWAL_DAYS) -> Eligibility:
    """Check every rule of certification without changing anything (the page lists the
    problems; :func:`certify` refuses with them)."""
    from trainer.progress import certification_requirements

    on = on or today()
    problems: list[str] = []
    if not can(actor, Permission.CERTIFY):
        problems.append("只有站长可以认证上岗")
    elif actor.id == user.id:
        problems.append("不能认证自己,请由上级安排认证")
    elif not can(actor, Permission.CERTIFY, user):
        problems.append("只能认证本站人员")
    if not user.active:
        problems.append("此人已离职,不能认证")
    if not user.post:
        problems.append("此人未设置岗位,请先设置岗位")
        return Eligibility(False, tuple(problems), (), None)
    requirements = tuple(certification_requirements(user, library, on=on))
    problems.extend(f"{r.label}——{r.detail}" for r in requirements if not r.met)
    latest = latest_for_post(user)
    replaces = None
    if latest is not None:
        state = status_of(latest, on)
        if state == CertificateStatus.SUSPENDED:
            problems.append(f"证书 {latest.number} 已暂停:请先解除暂停,或撤销后重新认证")
        elif state == CertificateStatus.ACTIVE and latest.expires_on > on + timedelta(
                days=renewal_days):
            problems.append(f"已持有有效证书 {latest.number}(有效期至 {latest.expires_on:%Y-%m-%d}),"
                            f"到期前 {renewal_days} 天内可以换发")
        else:
            replaces = latest  # revoked, expired or about to expire: the new one follows it
    return Eligibility(not problems, tuple(problems), requirements, replaces)


def certify(user: User, actor: User, *, on: date | None = None, library: Any | None = None,
            valid_months: int = DEFAULT_VALID_MONTHS,
            renewal_days: int = DEFAULT_RENEWAL_DAYS) -> Certificate:
    """Issue a certificate for the person's current post (认证上岗), valid from the day for
    `valid_months` months (to the day before the same date). Re-issues after a revocation and
    renews an expired or expiring certificate the same way: the new number follows the old.

    Raises CertificateError listing everything missing. The caller commits.
    """
    from trainer.progress import module_result
    from trainer.progress.results import library_or_default

    on = on or today()
    library = library_or_default(library)
    check = eligibility(user, actor, on=on, library=library, renewal_days=renewal_days)
    if not check.allowed:
        raise CertificateError(";".join(check.problems))
    modules = []
    for requirement in check.requirements:
        if requirement.kind != "module":
            continue
        module = library.module(requirement.module_id)
        result = module_result(user, module)
        modules.append({"module_id": module.id, "title": module.title,
                        "score": str(result.score) if result.score is not None else None})
    station = user.station
    certificate = Certificate(
        user_id=user.id, station_id=user.station_id, post=user.post,
        qualification=qualification_for(user.post),
        holder_name=user.name, employee_no=user.employee_no,
        station_name=station.name if station is not None else "",
        modules=modules, issued_on=on, expires_on=expiry_date(on, valid_months),
        certified_by_id=actor.id, certified_by_name=actor.name,
        status=CertificateStatus.ACTIVE, status_reason="",
        replaces_id=check.replaces.id if check.replaces is not None else None,
    )
    _insert_numbered(certificate, on.year)
    action = "certificate.issued" if check.replaces is None else "certificate.reissued"
    log_change(actor, action, "certificate", certificate.id,
               after={**snapshot(certificate, AUDITED), "user_id": user.id, "post": user.post,
                      "replaces": check.replaces.number if check.replaces else None})
    return certificate


def reissue(certificate: Certificate, actor: User, **options: Any) -> Certificate:
    """A new certificate after a revocation (new number, linked to the revoked one)."""
    if certificate.status != CertificateStatus.REVOKED:
        raise CertificateError("只有已撤销的证书可以重新认证发证")
    return _follow(certificate, actor, **options)


def renew(certificate: Certificate, actor: User, **options: Any) -> Certificate:
    """A new certificate for one that has expired or expires within the renewal window."""
    on = options.get("on") or today()
    days = options.get("renewal_days", DEFAULT_RENEWAL_DAYS)
    if status_of(certificate, on) not in (CertificateStatus.ACTIVE, CertificateStatus.EXPIRED):
        raise CertificateError("已暂停或已撤销的证书不能换发")
    if certificate.expires_on > on + timedelta(days=days):
        raise CertificateError(f"证书到期前 {days} 天内才能换发")
    return _follow(certificate, actor, **options)


def _follow(certificate: Certificate, actor: User, **options: Any) -> Certificate:
    holder = db.session.get(User, certificate.user_id)
    if holder is None or holder.post != certificate.post:
        raise CertificateError("持证人已调换岗位,请按现岗位认证")
    latest = latest_for_post(holder)
    if latest is not None and latest.id != certificate.id:
        raise CertificateError(f"此证书已有后续证书 {latest.number}")
    return certify(holder, actor, **options)


def expiry_date(issued: date, months: int) -> date:
    """The last day of validity: the day before the same date `months` later (issued on
    2026-03-01 for 12 months: valid to 2027-02-28). Where that month has no such day (a
    29 February, a 31st) the anniversary is the 1st of the next month."""
    month_index = issued.month - 1 + months
    year, month = issued.year + month_index // 12, month_index % 12 + 1
    if issued.day <= calendar.monthrange(year, month)[1]:
        anniversary = date(year, month, issued.day)
    else:
        anniversary = date(year + month // 12, month % 12 + 1, 1)
    return anniversary - timedelta(days=1)


def _insert_numbered(certificate: Certificate, year: int) -> None:
    # The sequence is the row's id: unique without counting, so two heads certifying at the
    # same moment can never be given the same number. A placeholder holds the unique column
    # until the id is known.
    certificate.number = f"pending-{secrets.token_hex(8)}"
    db.session.add(certificate)
    db.session.flush()
    certificate.number = format_number(year, certificate.id)
    db.session.flush()


# --- changing the state ---------------------------------------------------------------------


def suspend(certificate: Certificate, actor: User | None, reason: str, *,
            on: date | None = None) -> Certificate:
    """暂停 a certificate in force: the holder is no longer cleared for duty until it is lifted
    (:func:`lift`). The verify page then says 已暂停 with the date.

    `actor` is the person acting (the certificate's station head, HR or admin) or None when
    the system acts (e.g. mandatory retraining decided by an evaluation). `reason` is
    required and shown to the holder. Raises CertificateError (already suspended, revoked or
    expired; no reason; not allowed). The caller commits.
    """
    reason = _reason(reason, "请写明暂停的理由")
    _allowed(actor, certificate, Permission.CHANGE_CERTIFICATE)
    state = status_of(certificate, on)
    if state != CertificateStatus.ACTIVE:
        raise CertificateError(f"证书{STATUS_LABELS[state]},不能暂停")
    return _change(certificate, actor, CertificateStatus.SUSPENDED, reason, "certificate.suspended")


def lift(certificate: Certificate, actor: User | None, reason: str = "", *,
         on: date | None = None) -> Certificate:
    """解除暂停: a suspended certificate is in force again (until its expiry date, which a
    suspension does not move). `actor` and the caller's commit as for :func:`suspend`;
    a reason is required, and who may lift depends on who imposed the suspension
    (Permission.LIFT_SUSPENSION). The suspension's reason stays on record. Raises
    CertificateError when it is not suspended, without a reason, or not allowed."""
    _allowed(actor, certificate, Permission.CHANGE_CERTIFICATE)
    if certificate.status != CertificateStatus.SUSPENDED:
        raise CertificateError("证书未被暂停,无需解除")
    reason = _reason(reason, "请写明解除暂停的理由")
    imposed_by = suspended_by(certificate)
    # The system (actor None) lifts only a suspension a rule of its own imposed.
    if not (can(actor, Permission.LIFT_SUSPENSION, certificate) if actor is not None
            else imposed_by == SYSTEM):
        who = "系统规则(强制复训)" if imposed_by == SYSTEM else ROLES.get(imposed_by, "人力资源")
        raise CertificateError(f"这次暂停由{who}作出,只能由人力资源解除", status=403)
    return _change(certificate, actor, CertificateStatus.ACTIVE, reason, "certificate.lifted")


def revoke(certificate: Certificate, actor: User | None, reason: str) -> Certificate:
    """撤销: for good. The number and its verify page stay (the page says 已撤销 with the
    date); a new certificate can follow with :func:`reissue`. The caller commits."""
    reason = _reason(reason, "请写明撤销的理由")
    _allowed(actor, certificate, Permission.CHANGE_CERTIFICATE)
    if certificate.status == CertificateStatus.REVOKED:
        raise CertificateError("证书已撤销")
    return _change(certificate, actor, CertificateStatus.REVOKED, reason, "certificate.revoked")


def _reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(missing)
    if len(reason) > MAX_REASON:
        raise CertificateError(f"理由最多 {MAX_REASON} 字")
    return reason


def _allowed(actor: User | None, certificate: Certificate, permission: Permission) -> None:
    # actor None is the system itself (a rule of another area), which may always.
    if actor is not None and not can(actor, permission, certificate):
        raise CertificateError("只能处理本站的证书", status=403)


def _change(certificate: Certificate, actor: User | None, status: str, reason: str,
            action: str) -> Certificate:
    before = snapshot(certificate, AUDITED)
    at = now()
    db.session.add(CertificateStatusChange(
        certificate_id=certificate.id, at=at, from_status=certificate.status, to_status=status,
        reason=reason, actor_id=actor.id if actor is not None else None,
        actor_role=actor_role(actor)))
    certificate.status = status
    # The reason of the state it is in; lifting keeps the suspension's (history has all).
    if status != CertificateStatus.ACTIVE:
        certificate.status_reason = reason
    certificate.status_changed_at = at
    log_change(actor, action, "certificate", certificate.id, before=before,
               after=snapshot(certificate, AUDITED), reason=reason)
    return certificate


# --- the public verify page -----------------------------------------------------------------


@dataclass(frozen=True)
class PublicView:
    """All the verify page shows: no employee number, no scores, no reasons. A `masked` view
    (found by its number alone, which anyone can count through) shows the name partly hidden
    and no station, dates of changes or successor."""

    masked: bool
    number: str
    holder_name: str
    post_label: str
    station_name: str
    status: str
    status_label: str
    issued_on: date
    expires_on: date
    changed_on: date | None
    successor_number: str | None
    # Following re-issues and renewals to the end: the certificate in force now, if any.
    current_number: str | None = None
    current_status_label: str | None = None


def public_view(certificate: Certificate, on: date | None = None, *,
                masked: bool = False) -> PublicView:
    """What the verify page shows of a certificate on the day: everything through its token
    link (or with the holder's employee number), the masked view through its number."""
    state = status_of(certificate, on)
    follower = successor(certificate)  # which certificate is in force now is no secret
    changed = None
    if not masked and state in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED) and (
            certificate.status_changed_at is not None):
        changed = certificate.status_changed_at.date()
    return PublicView(
        masked=masked, number=certificate.number,
        holder_name=mask_name(certificate.holder_name) if masked else certificate.holder_name,
        post_label=POSTS.get(certificate.post, certificate.post),
        station_name="" if masked else certificate.station_name, status=state,
        status_label=STATUS_LABELS[state], issued_on=certificate.issued_on,
        expires_on=certificate.expires_on, changed_on=changed,
        successor_number=follower.number if follower is not None else None,
        **_chain_end(certificate, follower, on))


MAX_CHAIN = 50


def current_in_chain(certificate: Certificate) -> Certificate:
    """The last certificate of the chain of re-issues and renewals that starts here."""
    seen = {certificate.id}
    current = certificate
    for _ in range(MAX_CHAIN):
        follower = successor(current)
        if follower is None or follower.id in seen:
            break
        seen.add(follower.id)
        current = follower
    return current


def _chain_end(certificate: Certificate, follower: Certificate | None,
               on: date | None) -> dict[str, Any]:
    if follower is None:
        return {}
    last = current_in_chain(certificate)
    return {"current_number": last.number, "current_status_label": status_label(last, on)}


def mask_name(name: str) -> str:
    """李加气 -> 李*气, 李四 -> 李*, 欧阳小明 -> 欧**明: enough to recognise, not to learn."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
