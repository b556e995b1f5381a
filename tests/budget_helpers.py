"""A busy station for the query budgets and benchmarks/bench_pages.py: STAFF attendants with a
year of records each (monthly quiz and role-play assessments with their answers, quarterly
practical checks, a certificate, service records, evaluations of recent months), plus turns
waiting for the head's review. Rows are written in bulk; the pages read them as the services
would have left them."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import event, select

from trainer.extensions import db
from trainer.models import (
    Attempt,
    AttemptKind,
    AttemptResponse,
    AttemptStatus,
    Certificate,
    Mode,
    PracticalCheck,
    PracticalKind,
    ReviewState,
    ServiceRecord,
    User,
    Verdict,
)
from trainer.timeutil import now

PASSWORD_HASH_OF = "staff_a"  # every new person signs in with the world's password
MONTHS = 12


@dataclass
class BusyStation:
    station_id: int
    head_id: int
    staff_ids: list[int]
    evaluation_id: int | None


def build_busy_station(world, staff: int = 40, evaluated_months: int = 2, *,
                       numbers: str = "A5", again: bool = False) -> BusyStation:
    """Station a of the world with `staff` attendants (the world's own included; called again
    with other `numbers` and `again`, it adds `staff` more people to the same station)."""
    template = db.session.get(User, world.id(PASSWORD_HASH_OF))
    station_id, head_id = world.station_a, world.id("head_a")
    people = [] if again else [template]
    for n in range(staff - len(people)):
        person = User(employee_no=f"{numbers}{n:03d}", name=f"员工{n:03d}", post="attendant",
                      role="staff", station_id=station_id, password_hash=template.password_hash)
        people.append(person)
    db.session.add_all([p for p in people if p is not template])
    db.session.flush()
    today = now()
    rows: list = []
    for person in people:
        for month in range(MONTHS):
            at = today - timedelta(days=30 * month + 3)
            for module, kind, item in (("safety", AttemptKind.QUIZ, None),
                                       ("phrases", AttemptKind.DIALOGUE, "ph-dialogue")):
                score = Decimal(70 + (month * 7 + person.id) % 30)
                verdict = Verdict.PASS if score >= 80 else Verdict.FAIL
                attempt = Attempt(
                    user_id=person.id, station_id=station_id, module_id=module,
                    module_version="test", item_id=item, kind=kind, mode=Mode.ASSESSMENT,
                    status=AttemptStatus.SCORED, started_at=at, submitted_at=at, presented={},
                    score=score, verdict=verdict, final_score=score, final_verdict=verdict,
                    review_state=ReviewState.NONE)
                attempt.responses = [AttemptResponse(
                    position=i, item_id=f"{module}-q{i}", prompt="题目", expected="标准答案",
                    answer={"text": "回答"}, score=score, verdict=verdict, result={"reasons": []},
                    created_at=at) for i in range(3)]
                rows.append(attempt)
            if month % 3 == 0:
                for kind in (PracticalKind.GROOMING, PracticalKind.DRILL):
                    rows.append(PracticalCheck(
                        user_id=person.id, station_id=station_id, examiner_id=head_id, kind=kind,
                        module_id="fueling", item_id="x", module_version="test", performed_at=at,
                        score=Decimal(90), passed=True, details={"reasons": []}, notes=""))
        rows.append(Certificate(
            number=f"B-{person.id:05d}", user_id=person.id, station_id=station_id,
            post="attendant", qualification="加气员上岗资格", holder_name=person.name,
            employee_no=person.employee_no, station_name="昆仑加气站", modules=[],
            issued_on=date.today() - timedelta(days=200),
            expires_on=date.today() + timedelta(days=165), certified_by_id=head_id,
            certified_by_name="甲站长", status="active", status_reason=""))
        rows.append(ServiceRecord(
            user_id=person.id, station_id=station_id, kind="commendation",
            occurred_at=today - timedelta(days=20), summary="顾客表扬", evidence="来电",
            points=Decimal(2), status="confirmed", entered_by_id=head_id))
    # Role-plays of ten people wait for the head's decision.
    for person in ([] if again else people[:10]):
        waiting = Attempt(
            user_id=person.id, station_id=station_id, module_id="phrases", module_version="test",
            item_id="ph-dialogue", kind=AttemptKind.DIALOGUE, mode=Mode.ASSESSMENT,
            status=AttemptStatus.SCORED, started_at=today, submitted_at=today, presented={},
            score=Decimal(75), verdict=Verdict.REVIEW, review_state=ReviewState.PENDING,
            review_requested_reason="边界分数")
        waiting.responses = [AttemptResponse(
            position=0, item_id="ph-greet", prompt="题目", expected="欢迎光临", answer={"text": "你好"},
            score=Decimal(75), verdict=Verdict.REVIEW, result={"reasons": []}, created_at=today)]
        rows.append(waiting)
    db.session.add_all(rows)
    db.session.commit()
    evaluation_id = _evaluations(world, evaluated_months)
    return BusyStation(station_id, head_id, [p.id for p in people], evaluation_id)


def _evaluations(world, months: int) -> int | None:
    from trainer.evaluations import service
    from trainer.models import Evaluation

    hr = db.session.get(User, world.id("hr"))
    today = date.today()
    for back in range(1, months + 1):
        first = (today.replace(day=1) - timedelta(days=31 * (back - 1) + 1)).replace(day=1)
        service.compute_period(f"{first:%Y-%m}", hr)
        db.session.commit()
    return db.session.scalar(select(Evaluation.id).where(
        Evaluation.user_id == world.id(PASSWORD_HASH_OF)).order_by(Evaluation.id.desc()))


@contextmanager
def counting_statements():
    """Counts the SQL statements sent while inside (every connection of the engine)."""
    counter = {"statements": 0}

    def count(*_args, **_kwargs):
        counter["statements"] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


def budget_pages(busy: BusyStation) -> dict[str, tuple[str, str]]:
    """Each page of the budget: name -> (who looks, url)."""
    person = busy.staff_ids[1]
    pages = {
        "home": ("staff_a", "/me"),
        "HR home": ("hr", "/hr"),
        "dashboard": ("head_a", "/station"),
        "staff page": ("head_a", f"/station/staff/{person}"),
        "reviews": ("head_a", "/station/reviews"),
        "evaluations (station)": ("head_a", "/evaluations/station"),
        "evaluations (HR)": ("hr", "/evaluations"),
        "certificates": ("hr", "/certificates"),
    }
    if busy.evaluation_id:
        pages["evaluation detail"] = ("hr", f"/evaluations/{busy.evaluation_id}")
    return pages


def when(days_ago: int) -> datetime:
    return now() - timedelta(days=days_ago)
