"""Signing in and passwords, callable without a request."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from trainer.audit import log_change
from trainer.extensions import db
from trainer.models import Role, User
from trainer.timeutil import now

WRONG_CREDENTIALS = "工号或密码错误"
ACCOUNT_DISABLED = "账号已停用,请联系人力资源"

ROLE_HOMES = {
    Role.STAFF: "training.home",
    Role.HEAD: "station.home",
    Role.HR: "admin.hr_home",
    Role.ADMIN: "admin.home",
}


@dataclass(frozen=True)
class SignIn:
    user: User | None
    error: str | None


def find_user(employee_no: str) -> User | None:
    key = employee_no.strip()
    if not key:
        return None
    return db.session.scalar(select(User).where(func.lower(User.employee_no) == key.lower()))


def authenticate(employee_no: str, password: str) -> SignIn:
    """Check the credentials. Unknown user and wrong password get the same answer."""
    user = find_user(employee_no)
    if user is None or not user.check_password(password):
        return SignIn(None, WRONG_CREDENTIALS)
    if not user.active:
        return SignIn(None, ACCOUNT_DISABLED)
    return SignIn(user, None)


def record_login(user: User) -> None:
    user.last_login_at = now()
    db.session.commit()


def hash_method(*, initial: bool = False) -> str:
    # A slow hash protects passwords people choose. An initial password is a random
    # 10-character secret (~49 bits) that must be replaced at first login, so a cheaper hash
    # is still out of reach of guessing, and importing hundreds of staff stays quick.
    if initial:
        return current_app.config.get("INITIAL_PASSWORD_HASH_METHOD", "pbkdf2:sha256:10000")
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


def set_password(user: User, password: str, *, actor: User | None, must_change: bool) -> None:
    """Set a password and say so in the audit log (never the password itself)."""
    user.set_password(password, method=hash_method(initial=must_change))
    user.must_change_password = must_change
    action = "password.change" if actor is user else "password.reset"
    log_change(actor, action, "user", user.id)


def change_password(user: User, current: str, new: str) -> str | None:
    """Change the user's own password; return a Chinese error or None."""
    if not user.check_password(current):
        return "当前密码不正确"
    if new == current:
        return "新密码不能与当前密码相同"
    set_password(user, new, actor=user, must_change=False)
    db.session.commit()
    return None


def new_initial_password() -> str:
    """A password to hand over once; the holder must change it at first login."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))
