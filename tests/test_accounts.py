"""Issue 16, items 1 to 5: accounts and sessions that hold against a determined colleague.
Everything through the real routes, with the wrong user tried on purpose."""

from __future__ import annotations

import re
import statistics
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD, PEOPLE, Browser, csrf_from
from trainer.extensions import db
from trainer.models import AuditLog, AuthSession, LoginFailure, User
from trainer.timeutil import now

STRONG = "Lotus-Quay-7-Drum"


def browser_at(app, address: str) -> Browser:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def set_user(app, user_id: int, **values) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(**values))
        db.session.commit()


def one_time_code(html: str) -> str:
    return re.search(r'<code class="one-time-code">([A-Z0-9-]{14})</code>', html).group(1)


def redeem(app, employee_no: str, code: str, new: str = STRONG, address: str = "127.0.0.1"):
    b = browser_at(app, address)
    token = b.token_from("/password/code")
    return b, b.client.post("/password/code", data={
        "employee_no": employee_no, "code": code, "new": new, "confirm": new,
        "csrf_token": token})


# --- 1. a required password change comes before everything else ------------------------------


def test_until_the_password_is_changed_only_password_and_logout_answer(app, world, login_as):
    set_user(app, world.id("staff_a"), must_change_password=True)
    b = Browser(app.test_client())
    assert b.login("A001").headers["Location"] == "/password"
    for path in ("/me", "/practice", "/evaluations/mine", "/certificates/mine", "/account",
                 "/me/modules/service/cards"):
        response = b.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/password", path
    quiz = b.post("/me/modules/service/quiz", {"submit_key": "a" * 32})
    assert quiz.headers["Location"] == "/password"
    api = b.client.post("/practice/attempts/1/turns/0/text", json={"text": "您好"},
                        headers={"Accept": "application/json", "X-CSRFToken": b.csrf})
    assert api.status_code == 403 and api.get_json()["code"] == "password_change_required"
    assert b.get("/password").status_code == 200
    changed = b.post("/password", {"current": PASSWORD, "new": STRONG, "confirm": STRONG})
    assert changed.status_code == 302
    assert b.get("/me").status_code == 200
    with app.app_context():
        assert not db.session.get(User, world.id("staff_a")).must_change_password


def test_logout_still_works_while_a_change_is_required(app, world):
    set_user(app, world.id("staff_a"), must_change_password=True)
    b = Browser(app.test_client())
    b.login("A001")
    assert b.post("/logout").headers["Location"] == "/login"


# --- 2. the password rules, and no unlimited guessing through /password -------------------------


@pytest.mark.parametrize("weak", [
    "12345678", "aaaaaaaa", "password", "KL900KL900", "aaaaaaaaaaaa", "password123",
    "1234567890", "qwertyuiop", "A001A001A001", "a001-2025!!", "zhangyi2025!", "woaini1314520",
    "kunlun-2025", "Hai-Tang-Qiu-58",  # the current one
])
def test_weak_passwords_are_refused_with_a_reason(app, world, login_as, weak):
    b = login_as("staff_a")
    page = b.post("/password", {"current": PASSWORD, "new": weak, "confirm": weak})
    assert page.status_code == 200
    assert re.search(r'class="error">[^<]*(密码|相同)', page.get_data(as_text=True)), weak
    assert Browser(app.test_client()).login("A001").status_code == 302  # unchanged


def test_a_password_that_breaks_the_rules_must_be_replaced_at_the_next_sign_in(app, world):
    from werkzeug.security import generate_password_hash

    set_user(app, world.id("staff_a"),
             password_hash=generate_password_hash("KL900KL900", method="pbkdf2:sha256:1000"))
    b = Browser(app.test_client())
    assert b.login("A001", "KL900KL900").headers["Location"] == "/password"
    assert b.get("/me").headers["Location"] == "/password"


def test_guessing_the_current_password_on_the_password_page_is_throttled(app, world, login_as):
    b = login_as("staff_a")
    for _ in range(5):
        wrong = b.post("/password", {"current": "not-it-at-all", "new": STRONG, "confirm": STRONG})
        assert "当前密码不正确" in wrong.get_data(as_text=True)
    blocked = b.post("/password", {"current": PASSWORD, "new": STRONG, "confirm": STRONG})
    assert blocked.status_code == 429 and "后再试" in blocked.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(LoginFailure).values(blocked_until=now() - timedelta(seconds=1)))
        db.session.commit()
    assert b.post("/password", {"current": PASSWORD, "new": STRONG,
                                "confirm": STRONG}).status_code == 302


# --- 3. sessions end where they should, copies included -------------------------------------------


def copy_of(browser: Browser, app, *names: str) -> Browser:
    """A second browser holding copies of the first one's cookies."""
    thief = Browser(app.test_client())
    for name in names:
        cookie = browser.client.get_cookie(name)
        assert cookie is not None, name
        thief.client.set_cookie(name, cookie.value)
    return thief


def test_a_session_cookie_copied_before_logout_stops_working(app, world, login_as):
    b = login_as("staff_a")
    thief = copy_of(b, app, "session")
    assert thief.get("/me").status_code == 200
    b.post("/logout")
    assert thief.get("/me").status_code == 302


def test_a_remember_cookie_alone_stops_working_after_logout_and_password_change(app, world):
    b = Browser(app.test_client())
    assert b.login("A001", remember="y").status_code == 302
    remembered = copy_of(b, app, "remember_token")
    assert remembered.get("/me").status_code == 200  # the cookie alone signs in
    b.post("/logout")
    assert copy_of(b, app).get("/me").status_code == 302
    assert copy_of(remembered, app, "remember_token").get("/me").status_code == 302

    b = Browser(app.test_client())
    b.login("A001", remember="y")
    phone = copy_of(b, app, "remember_token")
    b.post("/password", {"current": PASSWORD, "new": STRONG, "confirm": STRONG})
    assert phone.get("/me").status_code == 302
    assert b.get("/me").status_code == 200  # the browser that changed it stays signed in


def test_remember_me_lasts_two_weeks_not_a_year(app, world):
    b = Browser(app.test_client())
    response = b.login("A001", remember="y")
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("remember_token="))
    assert "Max-Age=1209600" in cookie or "Expires=" in cookie
    with app.app_context():
        row = db.session.scalar(select(AuthSession).where(AuthSession.remember.is_(True)))
        assert timedelta(days=13) < row.expires_at - row.created_at <= timedelta(days=14)
        db.session.execute(update(AuthSession).values(expires_at=now() - timedelta(seconds=1)))
        db.session.commit()
    assert b.get("/me").status_code == 302  # expired on the server, whatever the cookie says


def test_logging_out_everywhere_ends_every_device(app, world, login_as):
    phone, pc = login_as("staff_a"), login_as("staff_a")
    other_person = login_as("staff_a2")
    page = pc.get("/account").get_data(as_text=True)
    assert "退出所有设备" in page and "本设备" in page
    assert pc.post("/account/logout-everywhere").status_code == 302
    assert phone.get("/me").status_code == 302 and pc.get("/me").status_code == 302
    assert other_person.get("/me").status_code == 200
    assert login_as("staff_a").get("/me").status_code == 200  # signing in again works


@pytest.mark.parametrize("change", ["role", "deactivate", "reset"])
def test_role_change_deactivation_and_reset_end_the_persons_sessions(app, world, login_as,
                                                                      change):
    victim = login_as("staff_a")
    office = login_as("admin")
    base = {"employee_no": "A001", "name": "张一", "phone": "", "station_id": world.station_a,
            "post": "attendant", "role": "staff", "active": "y", "hire_date": ""}
    if change == "role":
        response = office.post(f"/staff/{world.id('staff_a')}/edit", base | {"role": "head"})
    elif change == "deactivate":
        response = office.post(f"/staff/{world.id('staff_a')}/edit",
                               {k: v for k, v in base.items() if k != "active"})
    else:
        response = office.post(f"/staff/{world.id('staff_a')}/reset-password")
    assert response.status_code in (200, 302)
    assert victim.get("/me").status_code == 302
    with app.app_context():
        open_rows = db.session.scalars(select(AuthSession).where(
            AuthSession.user_id == world.id("staff_a"), AuthSession.ended_at.is_(None))).all()
        assert open_rows == []


# --- 4. throttling that cannot lock the real person out ---------------------------------------------


def test_failures_from_one_address_never_refuse_the_owner_elsewhere(app, world):
    attacker = browser_at(app, "10.0.0.66")
    for _ in range(5):
        assert attacker.login("H001", "guess-guess").status_code == 401
    assert attacker.login("H001").status_code == 429  # this address has failed: it waits
    owner = browser_at(app, "10.0.0.7")
    assert owner.login("H001").status_code == 302  # HR is not locked out


def test_delays_grow_and_are_counted_in_the_database(app, world):
    attacker = browser_at(app, "10.0.0.66")
    delays = []
    for _ in range(8):
        attacker.login("A001", "guess-guess")
        with app.app_context():
            row = db.session.scalar(select(LoginFailure).where(LoginFailure.account_key == "a001"))
            delays.append(0 if row.blocked_until is None else
                          round((row.blocked_until - now()).total_seconds() / 30))
            # Let the next try in, as if the wait had passed.
            db.session.execute(update(LoginFailure).values(blocked_until=None))
            db.session.commit()
    assert delays == [0, 0, 0, 0, 1, 2, 4, 8]


def test_two_server_processes_share_the_counts(app, world, second_app):
    first, second = browser_at(app, "10.0.0.66"), browser_at(second_app, "10.0.0.66")
    for browser in (first, second, first, second, first):
        assert browser.login("A001", "guess-guess").status_code == 401
    assert second.login("A001").status_code == 429
    assert first.login("A001").status_code == 429


def test_ten_guesses_at_once_are_counted_one_after_the_other(app, world):
    results = []

    def guess():
        b = browser_at(app, "10.0.0.66")
        results.append(b.login("A001", "guess-guess").status_code)

    tokens_ready = [threading.Thread(target=guess) for _ in range(10)]
    for thread in tokens_ready:
        thread.start()
    for thread in tokens_ready:
        thread.join()
    assert results.count(401) <= 5 and results.count(429) >= 5


def test_a_failed_sign_in_takes_as_long_for_an_unknown_account(app, world, monkeypatch):
    from werkzeug.security import generate_password_hash

    slow = "pbkdf2:sha256:400000"  # the hash dominates the request, as scrypt does in use
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", slow)
    set_user(app, world.id("staff_a"), password_hash=generate_password_hash(PASSWORD, slow))
    set_user(app, world.id("staff_a2"), password_hash="")  # waiting for his one-time code
    addresses = iter(range(1, 250))

    def timed(employee_no: str) -> float:
        b = browser_at(app, f"10.1.0.{next(addresses)}")
        token = csrf_from(b.get("/login").get_data(as_text=True))
        start = time.perf_counter()
        b.client.post("/login", data={"employee_no": employee_no, "password": "wrong-wrong",
                                      "csrf_token": token})
        return time.perf_counter() - start

    timed("A001")  # warm the dummy hash
    samples: dict[str, list[float]] = {"A001": [], "NOBODY-9": [], "A002": []}
    for _ in range(5):  # interleaved, so a busy moment of the machine hits all three
        for employee_no, found in samples.items():
            found.append(timed(employee_no))
    real, unknown, pending = (statistics.median(samples[k]) for k in samples)
    assert unknown > 0.6 * real and pending > 0.6 * real, (real, unknown, pending)


# --- 5. HR and admin are separate, and nobody learns another's password ------------------------------


def test_hr_cannot_create_or_raise_anyone_to_hr_or_admin(app, world, login_as):
    hr = login_as("hr")
    form = hr.get("/staff/new").get_data(as_text=True)
    assert 'value="hr"' not in form and 'value="admin"' not in form
    new = {"employee_no": "H010", "name": "新人事", "phone": "", "station_id": 0, "post": "",
           "role": "hr", "active": "y", "hire_date": ""}
    assert "一次性验证码" not in hr.post("/staff/new", new).get_data(as_text=True)
    raised = hr.post(f"/staff/{world.id('head_a')}/edit", {
        "employee_no": "A100", "name": "甲站长", "phone": "", "station_id": world.station_a,
        "post": "head", "role": "hr", "active": "y", "hire_date": ""})
    assert raised.status_code == 200
    assert hr.get(f"/staff/{world.id('admin')}/edit").status_code == 403
    assert hr.post(f"/staff/{world.id('admin')}/reset-password").status_code in (302, 403)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.employee_no == "H010")) is None
        assert db.session.get(User, world.id("head_a")).role == "head"
        assert db.session.get(User, world.id("admin")).password_hash


def test_a_reset_shows_hr_a_code_that_is_no_password_and_the_head_is_told(app, world, login_as):
    head = login_as("head_a")
    hr = login_as("hr")
    page = hr.post(f"/staff/{world.id('head_a')}/reset-password").get_data(as_text=True)
    code = one_time_code(page)
    assert head.get("/station").status_code == 302  # his sessions ended
    assert Browser(app.test_client()).login("A100", code).status_code == 401
    assert Browser(app.test_client()).login("A100").status_code == 401  # old password gone
    # A wrong or used code sets nothing.
    _, wrong = redeem(app, "A100", "AAAA-BBBB-CCCC")
    assert wrong.status_code == 422 and "验证码不正确" in wrong.get_data(as_text=True)
    b, done = redeem(app, "A100", code)
    assert done.status_code == 302
    # Signing in with the code, he reads who reset his password; the account page keeps it.
    assert "人事甲为账号发放了一次性验证码" in b.get("/station").get_data(as_text=True)
    assert "人事甲为账号发放了一次性验证码" in b.get("/account").get_data(as_text=True)
    _, again = redeem(app, "A100", code, new="Second-Lotus-88-Quay")
    assert again.status_code == 422


def test_only_the_admin_grants_hr_and_the_person_is_told(app, world, login_as):
    admin = login_as("admin")
    response = admin.post(f"/staff/{world.id('staff_b')}/edit", {
        "employee_no": "B001", "name": "李一", "phone": "", "station_id": world.station_b,
        "post": "attendant", "role": "hr", "active": "y", "hire_date": ""})
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "user.role_change"))
        assert entry.actor_id == world.id("admin") and entry.after == {"role": "hr"}
    b = Browser(app.test_client())
    b.login("B001")
    assert "管理甲把权限角色从“员工”改为“人力资源”" in b.get("/hr").get_data(as_text=True)


def test_a_new_hr_account_created_by_the_admin_has_no_password_until_its_owner_sets_one(
        app, world, login_as):
    admin = login_as("admin")
    page = admin.post("/staff/new", {
        "employee_no": "H020", "name": "周新", "phone": "", "station_id": 0, "post": "",
        "role": "hr", "active": "y", "hire_date": ""}).get_data(as_text=True)
    code = one_time_code(page)
    with app.app_context():
        person = db.session.scalar(select(User).where(User.employee_no == "H020"))
        assert person.role == "hr" and person.password_hash == ""
    assert Browser(app.test_client()).login("H020", code).status_code == 401
    b, done = redeem(app, "H020", code, new="Orchid-Tram-41-Vale")
    assert done.status_code == 302 and done.headers["Location"] == "/hr"
    with app.app_context():
        used = db.session.scalar(select(AuditLog).where(AuditLog.action == "password.set_by_code"))
        assert used.actor_id == person.id


def test_the_people_table_has_an_hr_and_an_admin():
    assert {PEOPLE["hr"][4], PEOPLE["admin"][4]} == {"hr", "admin"}


def test_behind_a_proxy_the_clients_address_is_counted(app, world, tmp_path):
    from trainer import create_app

    proxied = create_app(dict(app.config, PROXY_HOPS=1), instance_path=str(tmp_path / "proxied"))
    try:
        for _ in range(5):
            attacker = Browser(proxied.test_client())
            attacker.client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
            assert attacker.login("H001", "guess-guess").status_code == 401
        assert attacker.login("H001").status_code == 429
        owner = Browser(proxied.test_client())
        owner.client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.4"
        assert owner.login("H001").status_code == 302  # same proxy, another client
    finally:
        with proxied.app_context():
            db.engine.dispose()
