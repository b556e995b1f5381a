"""Admin and HR manage stations and staff; every change is audited."""

import pytest
from sqlalchemy import select

from tests.conftest import Browser
from trainer.extensions import db
from trainer.models import AuditLog, Station, User

STATION = {
    "code": "SN02", "name": "山南加气站", "short_name": "山南", "company": "昆仑燃气有限公司",
    "region": "南区", "address": "南路 2 号", "gas_price": "3.65", "price_unit": "元/方",
    "hotline": "400-000-0003", "rule_set": "", "active": "y",
}


def audit_actions(app, entity_type):
    with app.app_context():
        return [e.action for e in db.session.scalars(
            select(AuditLog).where(AuditLog.entity_type == entity_type).order_by(AuditLog.id))]


def test_hr_creates_and_edits_a_station(app, login_as):
    b = login_as("hr")
    response = b.post("/admin/stations/new", STATION)
    assert response.status_code == 302
    with app.app_context():
        station = db.session.scalar(select(Station).where(Station.code == "SN02"))
        assert station.name == "山南加气站" and str(station.gas_price) == "3.65"
        station_id = station.id
    edited = b.post(f"/admin/stations/{station_id}/edit", STATION | {"gas_price": "3.80"})
    assert edited.status_code == 302
    with app.app_context():
        assert str(db.session.get(Station, station_id).gas_price) == "3.80"
        entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "station.update")).one()
        assert entry.before["gas_price"] == "3.65" and entry.after["gas_price"] == "3.80"
    assert audit_actions(app, "station") == ["station.create", "station.update"]


def test_station_form_rejects_bad_input_and_changes_nothing(app, login_as):
    b = login_as("admin")
    dup = b.post("/admin/stations/new", STATION | {"code": "KL01"})
    assert "站点编码已存在" in dup.get_data(as_text=True)
    bad_price = b.post("/admin/stations/new", STATION | {"gas_price": "-1"})
    assert "气价应在 0 到 999 之间" in bad_price.get_data(as_text=True)
    missing = b.post("/admin/stations/new", STATION | {"name": ""})
    assert "请填写站点名称" in missing.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Station).where(Station.code == "SN02")) is None
    assert audit_actions(app, "station") == []


def test_head_cannot_manage_stations(login_as, world):
    b = login_as("head_a")
    assert b.get("/admin/stations").status_code == 403
    assert b.post("/admin/stations/new", STATION).status_code == 403
    assert b.get(f"/admin/stations/{world.station_a}/edit").status_code == 403


NEW_PERSON = {
    "employee_no": "A010", "name": "王新", "phone": "13800138000",
    "post": "attendant", "role": "staff", "hire_date": "2025-05-01", "active": "y",
}


def one_time_code(html: str) -> str:
    import re

    return re.search(r'<code class="one-time-code">([A-Z0-9-]{14})</code>', html).group(1)


def test_hr_creates_staff_who_sets_his_own_password_with_a_one_time_code(app, login_as, world):
    b = login_as("hr")
    page = b.post("/staff/new", NEW_PERSON | {"station_id": world.station_a})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "一次性验证码只显示这一次" in html
    code = one_time_code(html)
    with app.app_context():
        person = db.session.scalar(select(User).where(User.employee_no == "A010"))
        assert person.station_id == world.station_a and person.password_hash == ""
    newcomer = Browser(app.test_client())
    assert newcomer.login("A010", code).status_code == 401  # a code is no password
    token = newcomer.token_from("/password/code")
    done = newcomer.client.post("/password/code", data={
        "employee_no": "A010", "code": code.lower(), "new": "Pond-Lantern-93-Kite",
        "confirm": "Pond-Lantern-93-Kite", "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == "/me"
    assert Browser(app.test_client()).login("A010", "Pond-Lantern-93-Kite").status_code == 302
    assert audit_actions(app, "user")[-3:] == ["user.create", "password.code_issued",
                                               "password.set_by_code"]


def test_staff_form_rules(app, login_as, world):
    b = login_as("hr")
    dup = b.post("/staff/new", NEW_PERSON | {"employee_no": "A001", "station_id": world.station_a})
    assert "工号已存在" in dup.get_data(as_text=True)
    no_station = b.post("/staff/new", NEW_PERSON | {"station_id": 0})
    assert "员工和站长必须属于一个站点" in no_station.get_data(as_text=True)
    bad_phone = b.post("/staff/new", NEW_PERSON | {"station_id": world.station_a, "phone": "12345"})
    assert "手机号应为 11 位数字" in bad_phone.get_data(as_text=True)
    as_admin = b.post("/staff/new", NEW_PERSON | {"station_id": world.station_a, "role": "admin"})
    assert as_admin.status_code == 200 and "一次性验证码" not in as_admin.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.employee_no == "A010")) is None


def test_head_edits_his_staff_within_limits(app, login_as, world):
    b = login_as("head_a")
    page = b.get(f"/staff/{world.id('staff_a')}/edit").get_data(as_text=True)
    assert 'name="employee_no"' not in page and 'name="role"' not in page
    response = b.post(f"/staff/{world.id('staff_a')}/edit", {
        "name": "张一一", "phone": "13900139000", "post": "clerk", "active": "y",
        "role": "admin", "station_id": world.station_b, "employee_no": "HACK",
    })
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(User, world.id("staff_a"))
        assert (person.name, person.phone, person.post) == ("张一一", "13900139000", "clerk")
        assert (person.role, person.station_id, person.employee_no) == ("staff", world.station_a, "A001")
        entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.update")).one()
        assert entry.actor_id == world.id("head_a") and entry.before["name"] == "张一"


def test_head_cannot_edit_another_head_or_himself_into_staff(login_as, world):
    b = login_as("head_a")
    assert b.get(f"/staff/{world.id('head_a')}/edit").status_code == 403


def test_hr_cannot_edit_an_admin_but_admin_can(login_as, world):
    assert login_as("hr").get(f"/staff/{world.id('admin')}/edit").status_code == 403
    assert login_as("admin").get(f"/staff/{world.id('hr')}/edit").status_code == 200


def test_nobody_changes_his_own_role(app, login_as, world):
    b = login_as("hr")
    response = b.post(f"/staff/{world.id('hr')}/edit", {
        "employee_no": "H001", "name": "人事甲", "phone": "", "station_id": 0, "post": "",
        "role": "staff", "active": "y"})
    assert response.status_code == 200  # refused: the form offers him only his own role
    from trainer.admin import service

    with app.app_context():
        hr = db.session.get(User, world.id("hr"))
        assert hr.role == "hr"
        data = service.snapshot(hr, service.USER_FIELDS) | {"role": "staff"}
        with pytest.raises(service.ServiceError, match="不能修改自己的权限角色"):
            service.update_user(hr, hr, data)


def test_reset_password_issues_a_code_and_ends_the_old_password(app, login_as, world):
    b = login_as("hr")
    page = b.post(f"/staff/{world.id('staff_b')}/reset-password").get_data(as_text=True)
    assert "一次性验证码只显示这一次" in page and one_time_code(page)
    assert Browser(app.test_client()).login("B001").status_code == 401
    assert login_as("head_a").post(f"/staff/{world.id('staff_a')}/reset-password").status_code == 403


def test_staff_list_filters(login_as, world):
    b = login_as("hr")
    only_b = b.get(f"/staff?station={world.station_b}").get_data(as_text=True)
    assert "李一" in only_b and "张一" not in only_b
    clerks = b.get("/staff?post=clerk").get_data(as_text=True)
    assert "张营业" in clerks and "张二" not in clerks
    search = b.get("/staff?q=A002").get_data(as_text=True)
    assert "张二" in search and "张一<" not in search
