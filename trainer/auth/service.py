"""Signing in, passwords and one-time codes, callable without a request.

Passwords follow trainer/auth/passwords.py. Nobody ever sees another person's password: a new
account and a reset get a one-time code (shown once to whoever issued it, to hand over or
print) that only sets a new password; the code ends the account's sessions and old password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from trainer import settings
from trainer.audit import log_change
from trainer.auth import passwords, sessions
from trainer.extensions import db
from trainer.models import AuditLog, PasswordCode, Role, User
from trainer.refusals import Invalid, Refused
from trainer.timeutil import now

WRONG_CREDENTIALS = "工号或密码错误"
ACCOUNT_DISABLED = "账号已停用,请联系人力资源"
WRONG_CODE = "工号或一次性验证码不正确,或验证码已过期、已使用"
DEFAULT_CODE_HOURS = 72

ROLE_HOMES: dict[str, str] = {
    Role.STAFF: "training.home",
    Role.HEAD: "station.home",
    Role.HR: "admin.hr_home",
    Role.ADMIN: "admin.home",
}

# What the person is told about his own account (the account page and after signing in).
ACCOUNT_EVENTS = {
    "password.change": "修改了密码",
    "password.set_by_code": "用一次性验证码设置了密码",
    "password.code_issued": "为账号发放了一次性验证码(原密码已失效)",
    "user.create": "创建了账号",
    "user.role_change": "变更了权限角色",
    "user.deactivated": "停用了账号",
    "user.reactivated": "恢复了账号",
    "sessions.ended_all": "退出了所有设备",
}


class PasswordRejected(Invalid):
    """The new password breaks the rules; `problems` lists each (Chinese)."""

    code = "weak_password"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(";".join(problems), field="new")
        self.problems = problems


def home_url_for(user: User) -> str:
    """The address of the person's home page (by role)."""
    return url_for(ROLE_HOMES[user.role])


@dataclass(frozen=True)
class SignIn:
    user: User | None
    error: str | None


def find_user(employee_no: str) -> User | None:
    key = (employee_no or "").strip()
    if not key:
        return None
    return db.session.scalar(select(User).where(func.lower(User.employee_no) == key.lower()))


def hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


def password_matches(user: User | None, password: str) -> bool:
    """Check a password with the cost of a real check whether or not the account exists or
    has a password (timing tells an attacker nothing)."""
    if user is None or not user.password_hash:
        check_password_hash(passwords.dummy_hash(hash_method()), password or "")
        return False
    return user.check_password(password or "")


def authenticate(employee_no: str, password: str) -> SignIn:
    """Check the credentials. Unknown user and wrong password get the same answer."""
    user = find_user(employee_no)
    # The check runs first whether or not the account exists (same time either way).
    if not password_matches(user, password) or user is None:
        return SignIn(None, WRONG_CREDENTIALS)
    if not user.active:
        return SignIn(None, ACCOUNT_DISABLED)
    return SignIn(user, None)


def record_login(user: User, password: str) -> None:
    """Note the sign-in; a password that no longer meets the rules must be changed now."""
    user.last_login_at = now()
    if not user.must_change_password and password_problems(user, password):
        user.must_change_password = True


def personal_words(user: User) -> list[str]:
    station = user.station
    texts = [user.employee_no, user.name]
    if station is not None:
        texts += [station.code, station.short_name, station.name, station.company]
    return passwords.personal_words(*texts)


def password_problems(user: User, password: str) -> list[str]:
    return passwords.problems(password or "", personal_words(user))


def _store_password(user: User, password: str) -> None:
    found = password_problems(user, password)
    if found:
        raise PasswordRejected(found)
    user.set_password(password, method=hash_method())
    user.must_change_password = False


def change_password(user: User, current: str, new: str) -> None:
    """Change the user's own password and end all his sessions (the caller starts a new one
    for the browser he is using, and commits). Raises Refused."""
    if not password_matches(user, current):
        raise Invalid("当前密码不正确", code="wrong_password", field="current")
    if new == current:
        raise PasswordRejected(["新密码不能与当前密码相同"])
    _store_password(user, new)
    sessions.end_all(user, sessions.PASSWORD)
    log_change(user, "password.change", "user", user.id)


def set_password(user: User, password: str, *, actor: User | None) -> None:
    """Set a password from the command line or the demo (rules apply; the caller commits)."""
    _store_password(user, password)
    sessions.end_all(user, sessions.PASSWORD)
    log_change(actor, "password.change" if actor is user else "password.set", "user", user.id)


# --- one-time codes ----------------------------------------------------------------------------


def code_hours() -> int:
    return settings.current().password_code_hours


def issue_code(user: User, *, actor: User | None, hours: int | None = None) -> str:
    """A one-time code that sets the person's password; returned to be shown once.

    His old password and older codes stop working and his sessions end (the caller commits).
    Whether the actor may do this is the caller's check (`can(actor, RESET_PASSWORD, user)`)."""
    at = now()
    db.session.execute(update(PasswordCode).where(
        PasswordCode.user_id == user.id, PasswordCode.used_at.is_(None),
        PasswordCode.expires_at > at).values(expires_at=at))
    code = passwords.new_code()
    db.session.add(PasswordCode(
        user_id=user.id, code_hash=passwords.hash_code(code),
        issued_by_id=actor.id if actor is not None else None, issued_at=at,
        expires_at=at + timedelta(hours=hours or code_hours())))
    user.password_hash = ""
    user.must_change_password = False
    sessions.end_all(user, sessions.RESET)
    log_change(actor, "password.code_issued", "user", user.id)
    return code


def redeem_code(employee_no: str, code: str, new_password: str) -> User:
    """Set the password of the account with this (unused, unexpired) code; raises Refused.
    The caller commits and signs the person in."""
    user = find_user(employee_no)
    live = [] if user is None else list(db.session.scalars(select(PasswordCode).where(
        PasswordCode.user_id == user.id, PasswordCode.used_at.is_(None),
        PasswordCode.expires_at > now())))
    matching = next((c for c in live if passwords.code_matches(c.code_hash, code)), None)
    if not live:
        passwords.code_matches(passwords.dummy_hash("pbkdf2:sha256:10000"), code)
    if user is None or matching is None:
        raise Invalid(WRONG_CODE, code="wrong_code", field="code")
    if not user.active:
        raise Refused(ACCOUNT_DISABLED, 403, "disabled")
    _store_password(user, new_password)
    matching.used_at = now()
    sessions.end_all(user, sessions.RESET)
    log_change(user, "password.set_by_code", "user", user.id)
    return user


# --- what the person is told ---------------------------------------------------------------------


@dataclass(frozen=True)
class AccountEvent:
    at: datetime
    text: str
    actor_name: str
    own: bool


def account_events(user: User, *, since: datetime | None = None,
                   limit: int = 30) -> list[AccountEvent]:
    """Changes to the person's account (role, password, codes, sessions), newest first,
    with who made them: the account page lists them and sign-in shows the new ones."""
    query = (select(AuditLog, User.name).outerjoin(User, User.id == AuditLog.actor_id)
             .where(AuditLog.entity_type == "user", AuditLog.entity_id == str(user.id),
                    AuditLog.action.in_(tuple(ACCOUNT_EVENTS))))
    if since is not None:
        query = query.where(AuditLog.at >= since)
    rows = db.session.execute(query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
                              .limit(limit)).all()
    return [AccountEvent(entry.at, _event_text(entry), name or "系统",
                         entry.actor_id == user.id) for entry, name in rows]


def _event_text(entry: AuditLog) -> str:
    from trainer.models import ROLES

    text = ACCOUNT_EVENTS[entry.action]
    if entry.action == "user.role_change":
        before = ROLES.get((entry.before or {}).get("role") or "", "")
        after = ROLES.get((entry.after or {}).get("role") or "", "")
        text = f"把权限角色从“{before}”改为“{after}”"
    return text
