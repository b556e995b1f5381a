"""Every route declares who may use it; people see only what their role allows."""

import pytest

from trainer.auth.access import AccessRule


def test_every_route_declares_an_access_rule(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not isinstance(getattr(view, "access_rule", None), AccessRule):
            missing.append(rule.rule)
    assert missing == []


def test_anonymous_visitors_are_sent_to_login(client, world):
    for path in ["/me", "/station", "/hr", "/admin", "/staff", "/admin/stations", "/staff/import"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ["/admin", "/hr", "/admin/stations", "/staff", "/staff/new",
                                  "/staff/import", "/station"])
def test_staff_cannot_open_office_pages(login_as, path):
    assert login_as("staff_a").get(path).status_code == 403


def test_staff_sees_his_own_record_but_nobody_else(login_as, world):
    b = login_as("staff_a")
    assert b.get(f"/staff/{world.id('staff_a')}").status_code == 200
    assert b.get(f"/staff/{world.id('staff_a2')}").status_code == 404   # same station
    assert b.get(f"/staff/{world.id('staff_b')}").status_code == 404    # other station
    assert b.get("/staff/999999").status_code == 404


def test_head_sees_only_his_station(login_as, world):
    b = login_as("head_a")
    listing = b.get("/staff").get_data(as_text=True)
    assert "张一" in listing and "张二" in listing
    assert "李一" not in listing and "乙站长" not in listing
    assert b.get(f"/staff/{world.id('staff_a')}").status_code == 200
    assert b.get(f"/staff/{world.id('staff_b')}").status_code == 404
    assert b.get(f"/staff/{world.id('staff_b')}/edit").status_code == 404
    # Filtering by the other station by URL shows nothing of it.
    other = b.get(f"/staff?station={world.station_b}").get_data(as_text=True)
    assert "李一" not in other


def test_head_cannot_edit_another_stations_staff_by_post(app, login_as, world):
    b = login_as("head_a")
    response = b.post(f"/staff/{world.id('staff_b')}/edit", {"name": "改名", "post": "attendant",
                                                             "active": "y"})
    assert response.status_code == 404
    from trainer.extensions import db
    from trainer.models import User

    with app.app_context():
        assert db.session.get(User, world.id("staff_b")).name == "李一"


def test_hr_and_admin_see_every_station(login_as, world):
    for key in ("hr", "admin"):
        listing = login_as(key).get("/staff").get_data(as_text=True)
        assert "张一" in listing and "李一" in listing


def test_only_admin_opens_the_admin_home(login_as):
    assert login_as("admin").get("/admin").status_code == 200
    assert login_as("hr").get("/admin").status_code == 403
    assert login_as("head_a").get("/admin").status_code == 403
