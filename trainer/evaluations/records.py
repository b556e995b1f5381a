"""A period's records read from the database, as the computation takes them.

- theory: ASSESSMENT quiz attempts, spoken: ASSESSMENT role-play (dialogue) attempts, both
  scored and submitted in the period. An attempt awaiting the station head's review is passed
  on as pending (left out and reported); a reviewed one counts with the head's decision
  (its final score and verdict). Practice attempts never count.
- practical: the station head's checks performed in the period (a failed drill with its score;
  a grooming check failed on a ★ item is marked, it caps the grade).
- duty: whether the person was cleared for duty (可以上岗) at the end of the period: a
  certificate for his post in force then, by its status history (`duty_at_end`).
- pending: what of the period is not final yet (`pending_records`): assessments awaiting the
  head's review or recognition, service records awaiting confirmation. They block publishing
  and finalizing.
- service: complaints, commendations and safety violations that happened in the period;
  confirmed ones count, pending ones are reported, rejected ones are not records at all.

Columns are read with plain SELECTs (no ORM objects): a period for 5,000 people is tens of
thousands of rows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Select, and_, case, null, select, type_coerce

from trainer.content.library import ContentLibrary
from trainer.evaluations.compute import (
    PracticalResult,
    QuizResult,
    Records,
    ServiceEvent,
    SpokenResult,
)
from trainer.evaluations.periods import Period, period_bounds
from trainer.evaluations.policy import EVENT_LABELS
from trainer.extensions import db
from trainer.models import (
    AssessmentWindow,
    Attempt,
    AttemptKind,
    AttemptStatus,
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    Mode,
    PracticalCheck,
    ReviewState,
    ServiceRecord,
    User,
    Verdict,
)
from trainer.models.certificate import STATUS_LABELS
from trainer.models.evaluation import RECORD_CONFIRMED, RECORD_PENDING, RECORD_REJECTED

_ONE_DAY = timedelta(days=1)
# More ids than this are filtered in Python: a huge IN list is slower than reading the period.
_IN_LIMIT = 500


def period_span(period: Period) -> tuple[datetime, datetime]:
    """Local naive datetimes [start, end) of the period, as timestamps are stored."""
    start, end = period_bounds(period)
    return datetime.combine(start, time()), datetime.combine(end, time())


def module_titles(library: ContentLibrary | None) -> dict[str, str]:
    """Module id -> title from the content library (empty without one: ids are shown)."""
    if library is None:
        return {}
    return {module.id: module.title for module in library.modules}


def load_records(period: Period, *, user_ids: Collection[int] | None = None,
                 station_id: int | None = None,
                 titles: dict[str, str] | None = None) -> dict[int, Records]:
    """Every person's records of the period, by user id (people without any are absent).
    `user_ids` or `station_id` narrow the people (station: the person's CURRENT station)."""
    start, end = period_span(period)
    titles = titles or {}
    wanted = set(user_ids) if user_ids is not None else None
    rows: dict[int, tuple[list, list, list, list]] = {}

    def bucket(user_id: int) -> tuple[list, list, list, list] | None:
        if wanted is not None and user_id not in wanted:
            return None
        found = rows.get(user_id)
        if found is None:
            found = rows[user_id] = ([], [], [], [])
        return found

    for row in db.session.execute(_narrow(_attempts(start, end), Attempt.user_id, wanted,
                                          station_id)):
        lists = bucket(row.user_id)
        if lists is not None:
            _add_attempt(lists, row, titles)
    for row in db.session.execute(_narrow(_checks(start, end), PracticalCheck.user_id, wanted,
                                          station_id)):
        lists = bucket(row.user_id)
        if lists is not None:
            lists[2].append(PracticalResult(
                row.id, row.kind, row.score, bool(row.passed), row.performed_at,
                module_id=row.module_id or None, module_title=titles.get(row.module_id, ""),
                critical_failed=_critical_failed(row.kind, row.details)))
    for row in db.session.execute(_narrow(_service(start, end), ServiceRecord.user_id, wanted,
                                          station_id)):
        lists = bucket(row.user_id)
        if lists is not None:
            lists[3].append(ServiceEvent(row.id, row.kind, row.status == RECORD_CONFIRMED,
                                         row.occurred_at, row.points))
    return {user_id: Records(*lists) for user_id, lists in rows.items()}


def _attempts(start: datetime, end: datetime) -> Select:
    return (select(Attempt.id, Attempt.user_id, Attempt.module_id, Attempt.item_id,
                   Attempt.kind, Attempt.score, Attempt.final_score, Attempt.final_verdict,
                   Attempt.review_state, Attempt.status, Attempt.submitted_at,
                   Attempt.window_id, AssessmentWindow.grading)
            .outerjoin(AssessmentWindow, AssessmentWindow.id == Attempt.window_id)
            .where(Attempt.mode == Mode.ASSESSMENT,
                   Attempt.kind.in_((AttemptKind.QUIZ, AttemptKind.DIALOGUE)),
                   # 待识别: a recording still to be recognised is reported like a review.
                   Attempt.status.in_((AttemptStatus.SCORED, AttemptStatus.PENDING)),
                   Attempt.submitted_at >= start, Attempt.submitted_at < end))


def _checks(start: datetime, end: datetime) -> Select:
    # The item-by-item details only of failed grooming checks (is a ★ item among them?):
    # reading every check's JSON would multiply the time to read a month.
    details = type_coerce(case((and_(PracticalCheck.kind == "grooming",
                                     PracticalCheck.passed.is_(False)), PracticalCheck.details),
                               else_=null()), JSON).label("details")
    return (select(PracticalCheck.id, PracticalCheck.user_id, PracticalCheck.kind,
                   PracticalCheck.score, PracticalCheck.passed, PracticalCheck.performed_at,
                   PracticalCheck.module_id, details)
            .where(PracticalCheck.performed_at >= start, PracticalCheck.performed_at < end))


def _service(start: datetime, end: datetime) -> Select:
    return (select(ServiceRecord.id, ServiceRecord.user_id, ServiceRecord.kind,
                   ServiceRecord.status, ServiceRecord.occurred_at, ServiceRecord.points)
            .where(ServiceRecord.occurred_at >= start, ServiceRecord.occurred_at < end,
                   ServiceRecord.status != RECORD_REJECTED))


def _narrow(query: Select, user_column: Any, wanted: set[int] | None,
            station_id: int | None) -> Select:
    if wanted is not None and len(wanted) <= _IN_LIMIT:
        query = query.where(user_column.in_(sorted(wanted)))
    if station_id is not None:
        query = query.where(user_column.in_(select(User.id).where(User.station_id == station_id)))
    return query


def _add_attempt(lists: tuple[list, list, list, list], row: Any, titles: dict[str, str]) -> None:
    # Awaiting review or recognition, or without a final verdict: reported, not counted.
    pending = (row.review_state == ReviewState.PENDING or row.status == AttemptStatus.PENDING
               or row.final_verdict not in (Verdict.PASS, Verdict.FAIL))
    score = row.score if pending else row.final_score
    score = Decimal(0) if score is None else score
    passed = None if pending else row.final_verdict == Verdict.PASS
    title = titles.get(row.module_id, "")
    if row.kind == AttemptKind.QUIZ:
        lists[0].append(QuizResult(row.id, row.module_id, score, row.submitted_at,
                                   pending_review=pending, passed=passed,
                                   window_id=row.window_id, grading=row.grading,
                                   module_title=title))
    else:
        lists[1].append(SpokenResult(row.id, row.item_id or row.module_id, score,
                                     row.submitted_at, pending_review=pending, passed=passed,
                                     module_id=row.module_id, module_title=title))


def _critical_failed(kind: str, details: Any) -> bool:
    """A grooming checklist with a ★ (critical) entry not met (trainer.station.checks)."""
    if kind != "grooming" or not isinstance(details, dict):
        return False
    return any(isinstance(e, dict) and e.get("critical") and not e.get("met")
               for e in details.get("entries") or ())


# --- duty at the end of the period ----------------------------------------------------------


def duty_at_end(period: Period, people: Collection[User]) -> dict[int, tuple[bool, str]]:
    """user id -> (cleared for duty at the end of the period, why not). Cleared: a
    certificate for his current post, issued by the period's last day and not expired then,
    whose status at the period's end (its status history) was in force. Two queries.
    Someone whose certificates had all expired by then reads "没有上岗证书" too."""
    _, end = period_span(period)
    last_day = (end.date() - _ONE_DAY)
    posts = {person.id: person.post for person in people}
    if not posts:
        return {}
    query = select(Certificate).where(Certificate.issued_on <= last_day,
                                      Certificate.expires_on >= last_day)
    if len(posts) <= _IN_LIMIT:
        query = query.where(Certificate.user_id.in_(list(posts)))
    certificates = [c for c in db.session.scalars(
        query.order_by(Certificate.issued_on.desc(), Certificate.id.desc()))
        if c.user_id in posts]
    changes: dict[int, list[CertificateStatusChange]] = {}
    changed = select(CertificateStatusChange).where(CertificateStatusChange.at < end)
    if len(certificates) <= _IN_LIMIT:
        changed = changed.where(
            CertificateStatusChange.certificate_id.in_([c.id for c in certificates]))
    if certificates:
        for change in db.session.scalars(changed.order_by(CertificateStatusChange.at,
                                                          CertificateStatusChange.id)):
            changes.setdefault(change.certificate_id, []).append(change)
    duty: dict[int, tuple[bool, str]] = {}
    for certificate in certificates:
        if posts.get(certificate.user_id) != certificate.post or certificate.user_id in duty \
                and duty[certificate.user_id][0]:
            continue
        state = _state_at(certificate, changes.get(certificate.id, []), end)
        if state == CertificateStatus.ACTIVE:
            duty[certificate.user_id] = (True, "")
        elif certificate.user_id not in duty:
            duty[certificate.user_id] = (False, f"证书 {certificate.number} "
                                                f"{STATUS_LABELS[state]}")
    for user_id in posts:
        duty.setdefault(user_id, (False, "没有上岗证书"))
    return duty


def _state_at(certificate: Certificate, changes: list[CertificateStatusChange],
              end: datetime) -> str:
    """The stored status a certificate had at `end`: the last change before it, else (a
    certificate without history) its status if that was set before `end`, else active."""
    if changes:
        return changes[-1].to_status
    if certificate.status_changed_at is None or certificate.status_changed_at < end:
        return certificate.status
    return CertificateStatus.ACTIVE


# --- what is still pending ------------------------------------------------------------------


@dataclass(frozen=True)
class PendingRecord:
    """A record of the period not final yet: what it is and what it waits for."""

    kind: str         # attempt or record
    id: int
    text: str


def pending_records(period: Period, user_id: int) -> list[PendingRecord]:
    """The person's records of the period that are not final yet, oldest first: assessment
    attempts awaiting the head's review or recognition, and service records awaiting
    confirmation. Publishing and finalizing wait for them."""
    return pending_by_user(period, [user_id]).get(user_id, [])


def pending_by_user(period: Period, user_ids: Collection[int]) -> dict[int, list[PendingRecord]]:
    """pending_records of several people in two queries: user id -> records (only people
    with some)."""
    start, end = period_span(period)
    wanted = set(user_ids)
    pending: dict[int, list[PendingRecord]] = {}
    if not wanted:
        return pending
    attempts = _narrow(_attempts(start, end), Attempt.user_id, wanted, None)
    for row in db.session.execute(attempts.order_by(Attempt.submitted_at, Attempt.id)):
        if row.user_id not in wanted:
            continue
        if row.status == AttemptStatus.PENDING:
            why = "录音待识别"
        elif row.review_state == ReviewState.PENDING:
            why = "待站长复核"
        elif row.final_verdict not in (Verdict.PASS, Verdict.FAIL):
            why = "尚无最终结果"
        else:
            continue
        what = "理论考核" if row.kind == AttemptKind.QUIZ else "情景对话考核"
        pending.setdefault(row.user_id, []).append(
            PendingRecord("attempt", row.id, f"{what} #{row.id}({why})"))
    records = _narrow(_service(start, end), ServiceRecord.user_id, wanted, None)
    for row in db.session.execute(records.where(ServiceRecord.status == RECORD_PENDING)
                                  .order_by(ServiceRecord.occurred_at, ServiceRecord.id)):
        if row.user_id in wanted:
            pending.setdefault(row.user_id, []).append(PendingRecord(
                "record", row.id, f"{EVENT_LABELS.get(row.kind, row.kind)} #{row.id}(待核实)"))
    return pending
