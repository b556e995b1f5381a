"""Signing in, out, passwords, throttling and CSRF, through the real routes."""

from sqlalchemy import select

from tests.conftest import PASSWORD, PEOPLE, Browser, csrf_from
from trainer.extensions import db
from trainer.models import AuditLog, User


def test_login_page_is_chinese_and_phone_sized(client):
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page and "工号" in page and "密码" in page
    assert 'lang="zh-CN"' in page
    assert 'name="viewport" content="width=device-width' in page


def test_each_role_lands_on_its_home(app, world):
    homes = {"staff_a": "/me", "head_a": "/station", "hr": "/hr", "admin": "/admin"}
    for key, home in homes.items():
        b = Browser(app.test_client())
        response = b.login(PEOPLE[key][0])
        assert response.status_code == 302
        assert response.headers["Location"] == home
        assert b.get(home).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(app, world, browser):
    wrong = browser.login("A001", "not-the-password")
    unknown = browser.login("NOBODY", "whatever-123")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "工号或密码错误" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, world.id("staff_a")).last_login_at is None
    assert browser.get("/me").status_code == 302  # still anonymous


def test_login_is_case_insensitive_on_the_employee_number(world, browser):
    assert browser.login("a001").status_code == 302


def test_disabled_account_cannot_log_in(app, world, browser):
    with app.app_context():
        db.session.get(User, world.id("staff_a")).active = False
        db.session.commit()
    response = browser.login("A001")
    assert response.status_code == 401
    assert "账号已停用" in response.get_data(as_text=True)


def test_disabling_an_account_ends_its_session(app, world, login_as):
    b = login_as("staff_a")
    with app.app_context():
        db.session.get(User, world.id("staff_a")).active = False
        db.session.commit()
    assert b.get("/me").status_code == 302


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(world, app):
    b = Browser(app.test_client())
    for _ in range(5):
        assert b.login("A001", "wrong-password").status_code == 401
    locked = b.login("A001", PASSWORD)
    assert locked.status_code == 429
    assert "请 30 秒后再试" in locked.get_data(as_text=True)
    # Another account from the same address is not affected by this account's lock.
    assert Browser(app.test_client()).login("A002").status_code == 302


def test_successful_logins_do_not_count_toward_the_lock(world, app):
    for _ in range(8):
        b = Browser(app.test_client())
        assert b.login("A001").status_code == 302


def test_one_address_trying_many_accounts_is_throttled(world, app):
    b = Browser(app.test_client())
    for i in range(30):
        b.login(f"X{i:03d}", "guess-password")
    assert b.login("A001").status_code == 429


def test_login_without_csrf_token_is_refused(world, client):
    response = client.post("/login", data={"employee_no": "A001", "password": PASSWORD})
    assert response.status_code in (400, 401)
    assert client.get("/me").status_code == 302


def test_next_parameter_only_redirects_inside_the_site(world, app):
    b = Browser(app.test_client())
    page = b.get("/login?next=/staff").get_data(as_text=True)
    r = b.client.post("/login?next=/staff", data={"employee_no": "H001", "password": PASSWORD,
                                                  "csrf_token": csrf_from(page)})
    assert r.headers["Location"] == "/staff"
    b2 = Browser(app.test_client())
    page = b2.get("/login").get_data(as_text=True)
    r = b2.client.post("/login?next=https://evil.example/", data={
        "employee_no": "H001", "password": PASSWORD, "csrf_token": csrf_from(page)})
    assert r.headers["Location"] == "/hr"


def test_logout_needs_a_post_with_csrf(login_as):
    b = login_as("staff_a")
    assert b.client.get("/logout").status_code == 405
    assert b.client.post("/logout").status_code == 400  # no token
    assert b.get("/me").status_code == 200
    assert b.post("/logout").status_code == 302
    assert b.get("/me").status_code == 302


def test_change_password(app, world, login_as):
    b = login_as("staff_a")
    wrong = b.post("/password", {"current": "nope-nope", "new": "Lotus-Quay-7-Drum", "confirm": "Lotus-Quay-7-Drum"})
    assert "当前密码不正确" in wrong.get_data(as_text=True)
    mismatch = b.post("/password", {"current": PASSWORD, "new": "Lotus-Quay-7-Drum", "confirm": "Other-2025"})
    assert "两次输入的新密码不一致" in mismatch.get_data(as_text=True)
    short = b.post("/password", {"current": PASSWORD, "new": "short", "confirm": "short"})
    assert "至少 10 位" in short.get_data(as_text=True)
    ok = b.post("/password", {"current": PASSWORD, "new": "Lotus-Quay-7-Drum", "confirm": "Lotus-Quay-7-Drum"})
    assert ok.status_code == 302
    assert b.get("/me").status_code == 200  # the browser that changed it stays signed in
    assert Browser(app.test_client()).login("A001", PASSWORD).status_code == 401
    assert Browser(app.test_client()).login("A001", "Lotus-Quay-7-Drum").status_code == 302
    with app.app_context():
        user = db.session.get(User, world.id("staff_a"))
        assert "Lotus-Quay-7-Drum" not in user.password_hash
        entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "password.change")).all()
        assert len(entries) == 1 and entries[0].actor_id == user.id
        assert "Lotus" not in str(entries[0].after) + str(entries[0].before)


def test_first_login_with_an_initial_password_must_change_it(app, world):
    with app.app_context():
        user = db.session.get(User, world.id("staff_a"))
        user.must_change_password = True
        db.session.commit()
    b = Browser(app.test_client())
    response = b.login("A001")
    assert response.headers["Location"] == "/password"


def test_passwords_are_stored_hashed(app):
    from trainer.models import User as U

    with app.app_context():
        u = U(employee_no="Z1", name="x")
        u.set_password("secret-password")
        assert u.password_hash.startswith("scrypt:")
        assert u.check_password("secret-password") and not u.check_password("secret-passwor")


def test_session_cookie_flags(world, app):
    b = Browser(app.test_client())
    response = b.login("A001")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_when_configured(monkeypatch):
    from trainer.config import from_environment

    settings = from_environment({"TRAINER_SECURE_COOKIES": "1"})
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["REMEMBER_COOKIE_SECURE"] is True
