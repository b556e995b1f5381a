"""Demo data: two stations with their people, loaded once into an empty database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from trainer.audit import log_change
from trainer.auth.service import new_initial_password
from trainer.extensions import db
from trainer.models import Role, Station, User

STATIONS = [
    dict(code="KL01", name="昆仑加气站", short_name="昆仑", company="昆仑燃气有限公司",
         region="示范区", address="示范路 1 号", gas_price=Decimal("3.50"), hotline="400-000-0001"),
    dict(code="HT01", name="海通加气站", short_name="海通", company="海通燃气有限公司",
         region="示范区", address="海通大道 8 号", gas_price=Decimal("3.20"), hotline="400-000-0002"),
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
        password = new_initial_password()
        user.set_password(password, method=hash_method)
        db.session.add(user)
        created.append((user, password))
    db.session.flush()
    log_change(None, "demo.seed", "database", "demo", after={"people": len(created)})
    db.session.commit()
    return created
