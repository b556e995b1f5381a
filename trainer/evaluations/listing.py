"""Evaluations across stations for HR (a head: his station's), filtered and paged.

Only the newest revision of each person's period is listed: a correction replaces what it
corrects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select

from trainer.evaluations import lifecycle
from trainer.evaluations.service import visible_evaluations
from trainer.extensions import db
from trainer.models import Evaluation, Role, User
from trainer.paging import Page, paginate


@dataclass(frozen=True)
class EvaluationFilter:
    station_id: int | None = None
    status: str | None = None
    grade: str | None = None
    period: str | None = None
    to_review: bool = False      # only drafts the viewer himself reviews (待办)


def newest_revisions(viewer: User) -> Select:
    """The viewer's evaluations, newest revision of each person and period only."""
    newest = (select(Evaluation.user_id, Evaluation.period,
                     func.max(Evaluation.revision).label("revision"))
              .group_by(Evaluation.user_id, Evaluation.period).subquery())
    return visible_evaluations(viewer).join(newest, and_(
        Evaluation.user_id == newest.c.user_id, Evaluation.period == newest.c.period,
        Evaluation.revision == newest.c.revision))


def evaluation_page(viewer: User, filters: EvaluationFilter, number: int) -> Page:
    query = newest_revisions(viewer)
    if filters.station_id:
        query = query.where(Evaluation.station_id == filters.station_id)
    if filters.status in lifecycle.STATUSES:
        query = query.where(Evaluation.status == filters.status)
    if filters.grade:
        query = query.where(Evaluation.grade == filters.grade)
    if filters.period:
        query = query.where(Evaluation.period == filters.period)
    if filters.to_review:
        query = _reviewed_by(query.where(Evaluation.status == lifecycle.DRAFT), viewer)
    return paginate(query.order_by(Evaluation.period.desc(), Evaluation.station_name,
                                   Evaluation.employee_no), number)


def grades_seen(viewer: User) -> list[str]:
    """The grades among the viewer's evaluations, for the filter's choices."""
    query = visible_evaluations(viewer).with_only_columns(Evaluation.grade).distinct()
    return sorted(g for g in db.session.scalars(query) if g)


def periods_seen(viewer: User) -> list[str]:
    query = visible_evaluations(viewer).with_only_columns(Evaluation.period).distinct()
    return sorted(db.session.scalars(query), reverse=True)


def _reviewed_by(query: Select, viewer: User) -> Select:
    """Evaluations the viewer reviews (Permission.REVIEW_EVALUATION as a query): a head his
    station's (visible_evaluations scopes it), never his own; HR the heads' own."""
    query = query.where(Evaluation.user_id != viewer.id)
    if viewer.role != Role.HEAD:
        heads = select(User.id).where(User.role == Role.HEAD)
        query = query.where(Evaluation.user_id.in_(heads))
    return query


def count_with_status(viewer: User, status: str) -> int:
    query = newest_revisions(viewer).where(Evaluation.status == status,
                                           Evaluation.user_id != viewer.id)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def drafts_to_review(viewer: User) -> int:
    query = _reviewed_by(newest_revisions(viewer).where(Evaluation.status == lifecycle.DRAFT),
                         viewer)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
