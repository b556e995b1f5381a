"""Helpers of the evaluation tests: a period's records made the way the other areas make them
(assessment attempts through the attempts service, the head's review decision, practical
checks, service records through the evaluations service), dated inside the period."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from trainer.attempts.service import (
    decide_review,
    finish_attempt,
    record_checked_answer,
    start_attempt,
)
from trainer.evaluations import service
from trainer.evaluations.service_records import create_record
from trainer.extensions import db
from trainer.models import (
    AttemptKind,
    Certificate,
    Mode,
    PracticalCheck,
    User,
)

PERIOD = "2026-10"
IN_PERIOD = datetime(2026, 10, 14, 10, 0)


def user(user_id: int) -> User:
    return db.session.get(User, user_id)


def assessment(user_id: int, module_id: str, score, *, kind: str = AttemptKind.QUIZ,
               verdict: str | None = None, at: datetime = IN_PERIOD,
               mode: str = Mode.ASSESSMENT, item_id: str | None = None) -> int:
    """A finished assessment attempt with one answer of this score (verdict: pass at 80 by
    default; "review" leaves it awaiting the station head). Returns its id."""
    score = Decimal(str(score))
    verdict = verdict or ("pass" if score >= 80 else "fail")
    person = user(user_id)
    attempt = start_attempt(person, module_id=module_id, module_version="test", kind=kind,
                            mode=mode, item_id=item_id or (f"{module_id}-dialogue"
                                                           if kind == AttemptKind.DIALOGUE
                                                           else None))
    db.session.flush()
    record_checked_answer(attempt, 0, item_id=f"{module_id}-q1", answer={"text": "回答"},
                          score=score, verdict=verdict, result={"reasons": []},
                          prompt="题目", expected="标准答案")
    finish_attempt(attempt)
    # The attempt happened inside the evaluated period (the service stamps "now").
    attempt.started_at = attempt.submitted_at = at
    db.session.commit()
    return attempt.id


def review(attempt_id: int, head_id: int, verdict: str, score) -> None:
    from trainer.models import Attempt

    decide_review(db.session.get(Attempt, attempt_id), user(head_id), verdict,
                  Decimal(str(score)), "站长复核:回答基本完整")
    db.session.commit()


def check(user_id: int, examiner_id: int, score, *, kind: str = "drill", passed: bool = True,
          at: datetime = IN_PERIOD, module_id: str = "fueling") -> int:
    person = user(user_id)
    row = PracticalCheck(user_id=user_id, station_id=person.station_id, examiner_id=examiner_id,
                         kind=kind, module_id=module_id, item_id="x", module_version="test",
                         performed_at=at, score=Decimal(str(score)), passed=passed,
                         details={"reasons": []}, notes="")
    db.session.add(row)
    db.session.commit()
    return row.id


def event(user_id: int, head_id: int, kind: str, *, confirmed: bool = True,
          at: datetime = IN_PERIOD, points=None) -> int:
    record = create_record(user(head_id), user(user_id), kind=kind, occurred_at=at,
                           summary="顾客来电反映", evidence="来电记录 10 月 14 日 10:05",
                           points=None if points is None else Decimal(str(points)),
                           confirmed=confirmed)
    db.session.commit()
    return record.id


def full_month(user_id: int, head_id: int, score=90, *, cleared: bool = True) -> None:
    """A theory, a spoken and a practical result of `score` in the period (below 80 they are
    failed assessments), and (`cleared`) a certificate in force all through it: someone not
    cleared for duty at the end of the period is capped at 合格."""
    assessment(user_id, "safety", score)
    assessment(user_id, "phrases", score, kind=AttemptKind.DIALOGUE)
    check(user_id, head_id, score)
    if cleared:
        cleared_for_duty(user_id, head_id)


def cleared_for_duty(user_id: int, head_id: int, *, issued: date = date(2026, 9, 1),
                     expires: date = date(2027, 8, 31)) -> int:
    """A certificate for the person's post in force over the evaluated period (as the head's
    certification leaves it); returns its id."""
    from sqlalchemy import select

    person = user(user_id)
    number = f"T-{user_id}-{issued:%Y%m%d}"
    existing = db.session.scalar(select(Certificate.id).where(Certificate.number == number))
    if existing is not None:
        return existing
    certificate = Certificate(
        number=number, user_id=user_id, station_id=person.station_id,
        post=person.post, qualification="上岗资格", holder_name=person.name,
        employee_no=person.employee_no,
        station_name=person.station.name if person.station else "站点", modules=[],
        issued_on=issued,
        expires_on=expires, certified_by_id=head_id, certified_by_name="站长",
        status="active", status_reason="")
    db.session.add(certificate)
    db.session.commit()
    return certificate.id


def compute(hr_id: int, period: str = PERIOD, **options) -> service.ComputeSummary:
    summary = service.compute_period(period, user(hr_id), **options)
    db.session.commit()
    return summary


def evaluation_of(user_id: int, period: str = PERIOD):
    rows = service.current_revisions(period, user_ids=[user_id])
    return rows[0] if rows else None
