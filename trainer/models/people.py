"""Stations and the people who work at them.

A person's permission role (what he may see and do) is separate from his job post (which
training modules he is assigned).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from trainer.extensions import db
from trainer.timeutil import now
from trainer.vocabulary import POSTS, ROLES, Post, Role  # noqa: F401 - re-exported


class Station(db.Model):
    __tablename__ = "station"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    # The name as staff say it in service phrases: 昆仑 in 欢迎光临昆仑加气站.
    short_name: Mapped[str] = mapped_column(String(40))
    company: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(80), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    gas_price: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    price_unit: Mapped[str] = mapped_column(String(16), default="元/方")
    hotline: Mapped[str] = mapped_column(String(32), default="")
    # Which company's rule set of the content its staff learn (content/README.md).
    rule_set: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    staff: Mapped[list[User]] = relationship(back_populates="station")

    def __repr__(self) -> str:
        return f"<Station {self.code} {self.name}>"

    def phrase_values(self) -> dict[str, str]:
        """The placeholder values service phrases take from this station."""
        values = {"station": self.short_name, "company": self.company, "hotline": self.hotline}
        if self.gas_price is not None:
            values["price"] = f"{self.gas_price.normalize():f}"
        return values


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20), default="")
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    post: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(10), default=Role.STAFF)
    hire_date: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    station: Mapped[Station | None] = relationship(back_populates="staff")

    # The key of the signed-in session this object was loaded for (not a column): Flask-Login
    # keeps it in the session and remember cookies instead of the bare id, so ending the
    # session row ends every copy of them (trainer/auth/sessions.py).
    session_key = None

    def __repr__(self) -> str:
        return f"<User {self.employee_no} {self.role}>"

    def get_id(self) -> str:
        if not self.session_key:
            raise RuntimeError("sign in through trainer.auth.sessions.start, not login_user alone")
        return self.session_key

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def post_label(self) -> str:
        return POSTS.get(self.post or "", "")

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)
