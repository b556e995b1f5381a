"""Typing instead of speaking in the 口语 assessment: only where the station head (or HR)
recorded, with a reason, that the person cannot speak for one assessment window's check.
Callable without a request; the caller commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from trainer.audit import log_change
from trainer.auth.access import Permission, can
from trainer.extensions import db
from trainer.models import AssessmentWindow, SpeakingExemption, User
from trainer.refusals import Refused
from trainer.timeutil import now

MAX_REASON = 500


class ExemptionRefused(Refused):
    """The exemption cannot be recorded; the message says why (Chinese)."""


def windows_for_person(person: User, at: datetime | None = None) -> list[AssessmentWindow]:
    """Assessment windows that apply to the person and have not closed yet."""
    at = at or now()
    return list(db.session.scalars(
        select(AssessmentWindow).where(
            or_(AssessmentWindow.station_id == person.station_id,
                AssessmentWindow.station_id.is_(None)),
            AssessmentWindow.closes_at > at)
        .order_by(AssessmentWindow.opens_at)))


def exemptions_of(person: User) -> list[SpeakingExemption]:
    return list(db.session.scalars(select(SpeakingExemption)
                                   .where(SpeakingExemption.user_id == person.id)
                                   .order_by(SpeakingExemption.id.desc())))


def grant(manager: User, person: User, window: AssessmentWindow, reason: str) -> SpeakingExemption:
    """Record that ``person`` may type the spoken check of ``window``, and audit it.

    Only his station head, HR or admin; never for oneself; the window must apply to him, be
    one the manager may manage, and not have closed; a reason is required.
    """
    reason = (reason or "").strip()
    if manager.id == person.id:
        raise ExemptionRefused("不能为自己登记改用文字作答，请由上级登记。")
    if not can(manager, Permission.GRANT_SPEAKING_EXEMPTION, person):
        raise ExemptionRefused("只有本站站长、人力资源或管理员可以登记。", status=403)
    if window.station_id not in (None, person.station_id) or window.closes_at <= now():
        raise ExemptionRefused("这次考核不适用于该员工，或已经结束。")
    if window.station_id is not None and not can(manager, Permission.MANAGE_WINDOW, window):
        raise ExemptionRefused("只能为自己管理的考核登记。", status=403)
    if not reason:
        raise ExemptionRefused("请写明不能说话的原因。")
    if len(reason) > MAX_REASON:
        raise ExemptionRefused(f"原因最多 {MAX_REASON} 字。")
    existing = db.session.scalar(select(SpeakingExemption).where(
        SpeakingExemption.user_id == person.id, SpeakingExemption.window_id == window.id))
    if existing is not None:
        raise ExemptionRefused("这次考核已经登记过了。")
    exemption = SpeakingExemption(user_id=person.id, window_id=window.id,
                                  granted_by_id=manager.id, reason=reason)
    db.session.add(exemption)
    db.session.flush()
    log_change(manager, "speaking_exemption.granted", "user", person.id,
               after={"window_id": window.id, "module_id": window.module_id}, reason=reason)
    return exemption
