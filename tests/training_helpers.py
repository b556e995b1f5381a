"""Helpers of the staff-journey tests: assessment windows, finished attempts, practical checks
and certificates made directly in the database (the state other areas would have written),
and starting things through the pages as a browser does."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from trainer.extensions import db
from trainer.models import (
    AssessmentWindow,
    Attempt,
    AttemptKind,
    AttemptStatus,
    Certificate,
    CertificateStatus,
    Mode,
    PracticalCheck,
    ReviewState,
    User,
)
from trainer.timeutil import now, today


def window(module_id: str, station_id: int | None, *, opens: datetime | None = None,
           hours: float = 24, grading: str = "highest", max_attempts: int = 2,
           time_limit: int | None = 30) -> int:
    """An assessment window open now (by default); returns its id."""
    opens = opens or now() - timedelta(hours=1)
    row = AssessmentWindow(module_id=module_id, station_id=station_id, opens_at=opens,
                           closes_at=opens + timedelta(hours=hours), grading=grading,
                           max_attempts=max_attempts, time_limit_minutes=time_limit)
    db.session.add(row)
    db.session.commit()
    return row.id


def sitting(user_id: int, module_id: str, kind: str, score: float, verdict: str, *,
            window_id: int | None, minutes_ago: int = 10, review: str = ReviewState.NONE,
            mode: str = Mode.ASSESSMENT, status: str = AttemptStatus.SCORED) -> int:
    """A finished attempt as the attempts service leaves it; returns its id."""
    user = db.session.get(User, user_id)
    at = now() - timedelta(minutes=minutes_ago)
    pending = review == ReviewState.PENDING
    row = Attempt(user_id=user.id, station_id=user.station_id, module_id=module_id,
                  module_version="test", kind=kind, mode=mode, window_id=window_id,
                  status=status, started_at=at, submitted_at=at, score=Decimal(str(score)),
                  verdict=verdict, final_score=None if pending else Decimal(str(score)),
                  final_verdict=None if pending else verdict, review_state=review,
                  presented={})
    db.session.add(row)
    db.session.commit()
    return row.id


def pass_all_modules(user_id: int, library, station_id: int | None) -> None:
    """Passed assessment attempts for every part of every required module of the person."""
    from trainer.progress import QUIZ_PART, assessed_parts, assigned_modules

    user = db.session.get(User, user_id)
    for module in assigned_modules(user, library):
        if not module.required:
            continue
        wid = window(module.id, station_id)
        for part in assessed_parts(module):
            kind = AttemptKind.QUIZ if part == QUIZ_PART else AttemptKind.DIALOGUE
            sitting(user_id, module.id, kind, 95, "pass", window_id=wid)


def practical(user_id: int, examiner_id: int, kind: str, passed: bool, *,
              days_ago: int = 1) -> None:
    user = db.session.get(User, user_id)
    db.session.add(PracticalCheck(
        user_id=user_id, station_id=user.station_id, examiner_id=examiner_id, kind=kind,
        module_id="image", item_id="x", module_version="test",
        performed_at=now() - timedelta(days=days_ago), score=Decimal(100 if passed else 40),
        passed=passed, details={}))
    db.session.commit()


def certificate(user_id: int, head_id: int, *, post: str = "attendant",
                issued: date | None = None, expires: date | None = None,
                status: str = CertificateStatus.ACTIVE, reason: str = "") -> Certificate:
    user = db.session.get(User, user_id)
    issued = issued or today() - timedelta(days=30)
    row = Certificate(
        number=f"C-{secrets.token_hex(4)}", user_id=user_id, station_id=user.station_id,
        post=post, qualification="加气员上岗证", holder_name=user.name,
        employee_no=user.employee_no, station_name="昆仑加气站", modules=[], issued_on=issued,
        expires_on=expires or issued + timedelta(days=365), certified_by_id=head_id,
        certified_by_name="甲站长", status=status, status_reason=reason)
    db.session.add(row)
    db.session.commit()
    return row


def post_start(browser, url: str, key: str | None = None):
    """POST a start form with a one-time key, as the page's button does."""
    return browser.post(url, {"submit_key": key or secrets.token_hex(16)})


def attempt_id_from(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    match = re.search(r"/(\d+)(?:[/#?]|$)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))
