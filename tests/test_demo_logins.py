"""Issue 17: `flask demo-logins` lists the demo accounts with station and post, and
`--reset` gives them new passwords (printed once; the old ones stop working; audited)."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import FAST_HASH, PASSWORD
from trainer.extensions import db
from trainer.models import AuditLog, Station, User


def _demo_people(app):
    with app.app_context():
        station = Station(code="KL01", name="昆仑加气站", short_name="昆仑", company="昆仑燃气")
        db.session.add(station)
        db.session.flush()
        for number, name, post, role, where in (("admin", "系统管理员", None, "admin", None),
                                                ("KL002", "李加气", "attendant", "staff", station)):
            user = User(employee_no=number, name=name, post=post, role=role, station=where)
            user.set_password(PASSWORD, method=FAST_HASH)
            db.session.add(user)
        db.session.commit()


def test_demo_logins_lists_and_resets(app, runner):
    _demo_people(app)
    listed = runner.invoke(args=["demo-logins"])
    assert listed.exit_code == 0, listed.output
    line = next(row for row in listed.output.splitlines() if row.startswith("KL002"))
    assert "李加气" in line and "昆仑加气站" in line and "加气员" in line and "(未显示)" in line
    assert "--reset" in listed.output
    reset = runner.invoke(args=["demo-logins", "--reset"])
    assert reset.exit_code == 0, reset.output
    line = next(row for row in reset.output.splitlines() if row.startswith("KL002"))
    password = re.search(r"\b(\w{4}-\w{4}-\w{4})\b", line).group(1)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.employee_no == "KL002"))
        assert user.check_password(password) and not user.check_password(PASSWORD)
        assert db.session.scalar(select(AuditLog).where(
            AuditLog.action == "demo.reset_password", AuditLog.entity_id == str(user.id)))


def test_demo_logins_without_demo_data_says_so(app, runner):
    result = runner.invoke(args=["demo-logins"])
    assert result.exit_code == 0 and "没有演示账号" in result.output
