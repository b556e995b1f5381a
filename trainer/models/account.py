"""What keeps accounts safe: signed-in sessions, failed sign-ins, one-time password codes and
the shared request counters of the rate limits.

Every row lives in the database so that several server processes (and several servers) see
the same sessions, the same failure counts and the same limits without anything else.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import now


class AuthSession(db.Model):
    """One signed-in browser. The cookie carries a random key; the table keeps its SHA-256,
    so ending the row ends the session wherever a copy of the cookie is."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str] = mapped_column(String(30), default="")


class LoginFailure(db.Model):
    """Failed sign-ins of one account from one address (account_key "" counts every account
    the address tried). The delay before the next try grows with `failures`."""

    __tablename__ = "login_failure"
    __table_args__ = (UniqueConstraint("account_key", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    last_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime)


class PasswordCode(db.Model):
    """A one-time code that sets a new password (after a reset, or for a new account). Only
    its hash is kept; it works once, before `expires_at`, and a newer code voids it."""

    __tablename__ = "password_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class RateCounter(db.Model):
    """A fixed-window request counter of the rate limits (trainer/rate_limits.py)."""

    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    # Seconds since the epoch: the limits library thinks in those.
    expires_at: Mapped[float] = mapped_column(Float)
