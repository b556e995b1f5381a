"""The review queue: role-play results the engine left to the station head, and attempts a
staff member asked him to look at. Deciding goes through trainer.attempts.service.decide_review,
which keeps the original result and writes both to the audit log; the trainee sees the reason
on his attempt."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, or_, select

from trainer.attempts.service import AttemptError, decide_review
from trainer.auth.access import Permission, can, require
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import Attempt, AttemptStatus, Review, ReviewState, User
from trainer.refusals import Refused

QUEUE_LIMIT = 200
DEFAULT_PASS_MARK = 80


class ReviewError(Refused):
    """The decision was refused; the message is for the station head."""


def _scoped(query: Select, viewer: User) -> Select:
    """Attempts made at the viewer's station or by its current staff (HR and admin: all)."""
    if can(viewer, Permission.SEE_ALL_STATIONS):
        return query
    staff = select(User.id).where(User.station_id == viewer.station_id)
    return query.where(or_(Attempt.station_id == viewer.station_id, Attempt.user_id.in_(staff)))


def queue(viewer: User) -> list[Attempt]:
    """Attempts waiting for a decision, oldest first (the one waiting longest on top)."""
    query = select(Attempt).where(Attempt.review_state == ReviewState.PENDING,
                                  Attempt.status == AttemptStatus.SCORED)
    return list(db.session.scalars(_scoped(query, viewer)
                                   .order_by(Attempt.submitted_at, Attempt.id).limit(QUEUE_LIMIT)))


def recently_decided(viewer: User, limit: int = 20) -> list[tuple[Attempt, Review]]:
    """The latest decisions on attempts the viewer may see."""
    query = select(Attempt, Review).join(Review, Review.attempt_id == Attempt.id)
    rows = db.session.execute(_scoped(query, viewer)
                              .order_by(Review.decided_at.desc(), Review.id.desc()).limit(limit))
    return [(attempt, review) for attempt, review in rows]


def reviewable(viewer: User, attempt_id: int) -> Attempt | None:
    """The attempt if the viewer may see it here (None: the caller answers 404)."""
    return db.session.scalar(_scoped(select(Attempt).where(Attempt.id == attempt_id), viewer))


def parse_score(text: str | None) -> Decimal | None:
    """A score as typed (blank: keep the automatic score). Raises ReviewError."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ReviewError("分数应为 0 到 100 之间的数字") from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ReviewError("分数应为 0 到 100 之间的数字")
    return value.quantize(Decimal("0.01"))


def pass_mark_of(attempt: Attempt, library: ContentLibrary | None) -> int:
    """The pass mark of the attempt's module (the content's default 80 without it)."""
    try:
        return library.module(attempt.module_id).policy.pass_percent
    except (AttributeError, KeyError):
        return DEFAULT_PASS_MARK


def decide(attempt: Attempt, head: User, verdict: str, score: Decimal | None,
           reason: str, library: ContentLibrary | None = None) -> Review:
    """The head decides a waiting attempt, or overrides a scored one, always with a reason;
    通过 only at or above the module's pass mark (the caller commits)."""
    if not can(head, Permission.REVIEW_ATTEMPT):
        raise ReviewError("只有站长可以复核", status=403)
    if attempt.user_id == head.id:
        raise ReviewError("不能复核自己的练习或考核", status=403)
    require(head, Permission.REVIEW_ATTEMPT, attempt, "只能复核本站人员的练习或考核")
    if attempt.status != AttemptStatus.SCORED:
        raise ReviewError("这次练习还没有评分完成,不能复核")
    try:
        return decide_review(attempt, head, verdict, score, reason,
                             pass_mark=pass_mark_of(attempt, library))
    except AttemptError as error:
        raise ReviewError(str(error)) from None
