"""Signed-in sessions kept in the database, so that they can be ended.

Flask's session cookie is signed, not stored: on its own, a copy taken before logout would
work for as long as it is kept, and so would a remember-me cookie. Here each sign-in is an
`AuthSession` row; the cookies carry only its random key (Flask-Login's "alternative id"), and
a request is signed in only while the row is open and unexpired. Logging out ends the row;
退出所有设备, a password change or reset, a role change and deactivation end every row of the
person, so every copy of every cookie stops working at once.

Lifetimes: a session without 保持登录 ends after `idle_hours` without use; with it (a
person's own phone) it lasts `remember_days` from sign-in, used or not.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from trainer.extensions import db
from trainer.models import AuthSession, User
from trainer.settings import Settings
from trainer.timeutil import now

# Why a session ended (AuthSession.end_reason), also shown on the account page.
LOGOUT = "logout"
LOGOUT_ALL = "logout_all"
PASSWORD = "password"
RESET = "reset"
ROLE = "role"
DEACTIVATED = "deactivated"
END_LABELS = {
    LOGOUT: "退出登录", LOGOUT_ALL: "退出所有设备", PASSWORD: "修改了密码",
    RESET: "密码被重置", ROLE: "权限角色变更", DEACTIVATED: "账号停用",
}
# last_seen_at is written at most this often (not on every request).
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Lifetimes:
    idle_hours: int = 12
    remember_days: int = 14

    @classmethod
    def from_config(cls, config: Any) -> Lifetimes:
        """From the app's settings (checked at start: trainer/settings.py)."""
        settings = Settings.from_config(config)
        return cls(idle_hours=settings.session_idle_hours, remember_days=settings.remember_days)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User, *, remember: bool, address: str, user_agent: str,
          lifetimes: Lifetimes) -> str:
    """Open a session for the user; returns the key for the cookies (the caller commits)."""
    key = secrets.token_urlsafe(32)
    at = now()
    expires = (at + timedelta(days=lifetimes.remember_days) if remember
               else at + timedelta(hours=lifetimes.idle_hours))
    db.session.add(AuthSession(
        key_hash=_hash(key), user_id=user.id, remember=remember, created_at=at,
        last_seen_at=at, expires_at=expires, address=(address or "")[:64],
        user_agent=(user_agent or "")[:200]))
    user.session_key = key
    return key


def load(key: str, lifetimes: Lifetimes) -> User | None:
    """The active user of an open, unexpired session with this key, or None. Marks the
    session as used (at most every few minutes, on its own connection)."""
    if not key or len(key) > 100:
        return None
    at = now()
    row = db.session.execute(
        select(User, AuthSession.id, AuthSession.last_seen_at, AuthSession.remember)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(AuthSession.key_hash == _hash(key), AuthSession.ended_at.is_(None),
               AuthSession.expires_at > at, User.active.is_(True))).first()
    if row is None:
        return None
    user, session_id, last_seen, remember = row
    if at - last_seen >= TOUCH_EVERY:
        values = {"last_seen_at": at}
        if not remember:
            values["expires_at"] = at + timedelta(hours=lifetimes.idle_hours)
        with db.engine.begin() as conn:
            conn.execute(update(AuthSession).where(AuthSession.id == session_id).values(**values))
    user.session_key = key
    return user


def end(key: str | None, reason: str = LOGOUT) -> None:
    """End one session (the caller commits)."""
    if key:
        db.session.execute(update(AuthSession).where(
            AuthSession.key_hash == _hash(key), AuthSession.ended_at.is_(None),
        ).values(ended_at=now(), end_reason=reason))


def end_all(user: User, reason: str) -> int:
    """End every open session of the person (the caller commits); how many were open."""
    result = db.session.execute(update(AuthSession).where(
        AuthSession.user_id == user.id, AuthSession.ended_at.is_(None),
    ).values(ended_at=now(), end_reason=reason))
    return result.rowcount or 0


def open_sessions(user: User) -> list[AuthSession]:
    """The person's sessions still in force, newest first (the account page lists them)."""
    return list(db.session.scalars(
        select(AuthSession).where(AuthSession.user_id == user.id,
                                  AuthSession.ended_at.is_(None),
                                  AuthSession.expires_at > now())
        .order_by(AuthSession.last_seen_at.desc())))


def is_current(session: AuthSession, key: str | None) -> bool:
    return bool(key) and secrets.compare_digest(session.key_hash, _hash(key))
