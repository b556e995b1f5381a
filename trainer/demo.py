"""Demo data: two stations with their people, loaded once into an empty database.

Three attendants come with their whole record, so the verify page, the renewal list and the
exports can be tried at once: 李加气 holds a valid certificate (expiring within the renewal
window), 赵加气 one that has expired, 刘加气 one that was revoked. Behind each are assessment
sittings answered through the training services (scored by the real engine) and the head's
practical checks, dated to before the certificate was issued.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from trainer.audit import log_change
from trainer.auth.passwords import demo_password
from trainer.extensions import db
from trainer.models import Role, Station, User

STATIONS = [
    dict(code="KL01", name="昆仑加气站", short_name="昆仑", company="昆仑燃气有限公司",
         region="示范区", address="示范路 1 号", gas_price=Decimal("3.50"), hotline="400-000-0001",
         rule_set="kunlun"),
    dict(code="HT01", name="海通加气站", short_name="海通", company="海通燃气有限公司",
         region="示范区", address="海通大道 8 号", gas_price=Decimal("3.20"), hotline="400-000-0002",
         rule_set="pay-2min"),
]

PEOPLE = [
    # employee_no, name, station code, post, role
    ("admin", "系统管理员", None, None, Role.ADMIN),
    ("hr01", "周人事", None, None, Role.HR),
    ("KL001", "王站长", "KL01", "head", Role.HEAD),
    ("KL002", "李加气", "KL01", "attendant", Role.STAFF),
    ("KL003", "赵加气", "KL01", "attendant", Role.STAFF),
    ("KL004", "钱加气", "KL01", "attendant", Role.STAFF),
    ("KL005", "孙营业", "KL01", "clerk", Role.STAFF),
    ("HT001", "陈站长", "HT01", "head", Role.HEAD),
    ("HT002", "刘加气", "HT01", "attendant", Role.STAFF),
    ("HT003", "杨加气", "HT01", "attendant", Role.STAFF),
    ("HT004", "黄加气", "HT01", "attendant", Role.STAFF),
]


def demo_present() -> bool:
    return db.session.scalar(select(Station.id).where(Station.code == STATIONS[0]["code"])) is not None


def demo_people() -> list[User]:
    """The demo's people still in the database, in the demo's order."""
    numbers = [row[0] for row in PEOPLE]
    found = {u.employee_no: u for u in db.session.scalars(
        select(User).where(User.employee_no.in_(numbers)))}
    return [found[n] for n in numbers if n in found]


def reset_demo_passwords(hash_method: str = "scrypt") -> list[tuple[User, str]]:
    """New random passwords for the demo's people (their sessions end); audited. The caller
    commits."""
    from trainer.auth import sessions

    changed = []
    for user in demo_people():
        password = demo_password()
        user.set_password(password, method=hash_method)
        sessions.end_all(user, "password_reset")
        log_change(None, "demo.reset_password", "user", user.id,
                   reason="flask demo-logins --reset")
        changed.append((user, password))
    return changed


def seed_demo(hash_method: str = "scrypt") -> list[tuple[User, str]] | None:
    """Load the demo data unless it is there already; return the logins created (once)."""
    if demo_present():
        return None
    stations = {}
    for data in STATIONS:
        station = Station(**data)
        db.session.add(station)
        stations[data["code"]] = station
    db.session.flush()
    created = []
    for employee_no, name, code, post, role in PEOPLE:
        user = User(
            employee_no=employee_no, name=name, role=role, post=post,
            station_id=stations[code].id if code else None, hire_date=date(2024, 3, 1),
        )
        password = demo_password()
        user.set_password(password, method=hash_method)
        db.session.add(user)
        created.append((user, password))
    db.session.flush()
    log_change(None, "demo.seed", "database", "demo", after={"people": len(created)})
    db.session.commit()
    seed_certificates()
    seed_open_windows()
    return created


def seed_open_windows(days: int = 60) -> list[Any]:
    """Open an assessment window at each demo station for every required module, so staff can
    sit assessments as soon as the demo starts (station heads set real windows themselves)."""
    from trainer.library import get_library
    from trainer.models import AssessmentWindow
    from trainer.timeutil import now

    library = get_library()
    start = now()
    windows = []
    for code in (data["code"] for data in STATIONS):
        station = db.session.scalar(select(Station).where(Station.code == code))
        head = db.session.scalar(select(User).where(User.station_id == station.id,
                                                    User.role == Role.HEAD))
        for module in library.modules:
            if not module.required or not (module.questions or module.phrases or module.dialogues):
                continue
            window = AssessmentWindow(
                module_id=module.id, station_id=station.id, opens_at=start - timedelta(hours=1),
                closes_at=start + timedelta(days=days), max_attempts=module.policy.attempts,
                time_limit_minutes=module.policy.time_limit_minutes,
                grading=module.policy.grading, created_by_id=head.id if head else None,
            )
            db.session.add(window)
            windows.append(window)
    db.session.commit()
    return windows


# --- certified staff --------------------------------------------------------------------------


@dataclass(frozen=True)
class CertifiedDemo:
    employee_no: str
    head_no: str
    issued_days_ago: int
    revoked_days_ago: int | None = None
    revoke_reason: str = ""


CERTIFIED = [
    # Valid, and within the 30-day renewal window.
    CertifiedDemo("KL002", "KL001", issued_days_ago=345),
    # Expired two weeks ago: not cleared for duty until re-certified.
    CertifiedDemo("KL003", "KL001", issued_days_ago=380),
    # Revoked a month ago.
    CertifiedDemo("HT002", "HT001", issued_days_ago=150, revoked_days_ago=30,
                  revoke_reason="违反安全操作规程:未要求司机熄火即开始加气"),
]


def seed_certificates(library: Any | None = None) -> list[Any]:
    """The three certified attendants of the module docstring; returns their certificates.
    Skipped (empty list) when the training content is not loaded."""
    from trainer.library import ContentUnavailable, get_library

    try:
        library = library or get_library()
    except ContentUnavailable:
        return []
    from trainer.certificates import service as certificates
    from trainer.timeutil import now, today

    issued = []
    for demo in CERTIFIED:
        user = db.session.scalar(select(User).where(User.employee_no == demo.employee_no))
        head = db.session.scalar(select(User).where(User.employee_no == demo.head_no))
        day = today() - timedelta(days=demo.issued_days_ago)
        # The record behind the certificate: a week of assessments and checks before it.
        moment = datetime.combine(day - timedelta(days=7), datetime.min.time()) + timedelta(hours=9)
        _sit_assessments(user, library, moment, random.Random(demo.employee_no))
        _practical_checks(user, head, library, moment + timedelta(days=5))
        certificate = certificates.certify(user, head, on=day, library=library)
        if demo.revoked_days_ago is not None:
            certificates.revoke(certificate, head, demo.revoke_reason)
            certificate.status_changed_at = now() - timedelta(days=demo.revoked_days_ago)
        issued.append(certificate)
    db.session.commit()
    return issued


def _sit_assessments(user: User, library: Any, at: datetime, rng: random.Random) -> None:
    """Pass every required module's assessment as a good trainee would (a slip here and
    there), through the training services, then date it back to `at`."""
    from trainer.models import AssessmentWindow
    from trainer.progress import QUIZ_PART, assessed_parts, assigned_modules
    from trainer.timeutil import now

    current = now()
    for offset, module in enumerate(m for m in assigned_modules(user, library) if m.required):
        parts = assessed_parts(module)
        if not parts:
            continue
        window = AssessmentWindow(module_id=module.id, station_id=user.station_id,
                                  opens_at=current - timedelta(minutes=5),
                                  closes_at=current + timedelta(hours=1), time_limit_minutes=30,
                                  max_attempts=2, grading="highest")
        db.session.add(window)
        db.session.flush()
        sittings = [(_quiz_sitting if part == QUIZ_PART else _roleplay_sitting)(
            user, module, window, library, rng) for part in parts]
        # Back to when it happened: the window around the sittings, each sitting a few minutes.
        start = at + timedelta(hours=offset)
        window.opens_at, window.closes_at = start - timedelta(hours=1), start + timedelta(days=2)
        for index, attempt in enumerate(sittings):
            attempt.started_at = start + timedelta(minutes=20 * index)
            attempt.submitted_at = attempt.started_at + timedelta(minutes=12)
            attempt.deadline_at = attempt.started_at + timedelta(minutes=30)
            for response in attempt.responses:
                response.created_at = response.scored_at = attempt.submitted_at
    db.session.flush()


def _quiz_sitting(user: User, module: Any, window: Any, library: Any,
                  rng: random.Random) -> Any:
    from trainer.models import Mode
    from trainer.training import quiz

    attempt = quiz.start_quiz(user, module, mode=Mode.ASSESSMENT, window=window)
    questions = quiz.question_views(attempt, library)
    # One wrong answer where there are enough questions to pass with it.
    slip = rng.randrange(len(questions)) if len(questions) >= 10 else None
    found = {view.question.id: (None if view.position == slip else _right_answer(view.question))
             for view in questions}
    quiz.save_progress(attempt, {k: v for k, v in found.items() if v is not None})
    return quiz.score_saved(attempt, library)


def _right_answer(question: Any) -> dict:
    if question.type in ("single", "multiple"):
        return {"chosen": list(question.answers)}
    if question.type == "truefalse":
        return {"value": question.answer}
    if question.type == "fill":
        return {"text": question.accepted[0]}
    order = list(question.correct_order)
    return {"order": order, "numbers": {s: i + 1 for i, s in enumerate(order)}, "complete": True}


def _roleplay_sitting(user: User, module: Any, window: Any, library: Any,
                      rng: random.Random) -> Any:
    from trainer.practice import turns
    from trainer.training import roleplay

    attempt = roleplay.start_assessment(user, module, window, rng=rng)
    for position, turn in enumerate(attempt.presented["turns"]):
        # The approved phrasing as the trainee's answer (typed: the demo has no recordings);
        # the engine scores it like any answer.
        turns.record_typed(attempt, position, turn["expected"], library=library,
                           allow_typing=True)
    return roleplay.finish(attempt)


def _practical_checks(user: User, head: User, library: Any, at: datetime) -> None:
    from trainer.station import practical

    found = practical.grooming_checklist(user, library)
    checks = []
    if found is not None:
        _, checklist = found
        answers = {entry.id: True for entry in checklist.entries}
        ordinary = [entry.id for entry in checklist.entries if not entry.critical]
        answers[ordinary[-1]] = False  # one ordinary point to improve
        checks.append(practical.record_grooming(user, head, answers, library,
                                                notes="整体良好,注意保持"))
    setup = practical.fueling_drill(user, library)
    if setup is not None:
        seconds = [0, 6, 14, 22, 95, 101, 138, 146]  # 22 s to the nozzle, 37 s to collect
        times = {step.id: str(second)
                 for step, second in zip(setup.drill.steps, seconds, strict=False)}
        checks.append(practical.record_drill(user, head, times, library))
    for index, check in enumerate(checks):
        check.performed_at = at + timedelta(minutes=15 * index)
    db.session.flush()
