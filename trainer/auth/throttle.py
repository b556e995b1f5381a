"""Failed sign-ins, counted in the database per account AND address.

Why per pair: counted per account alone, anybody could keep a colleague (or HR, or the admin:
employee numbers are sequential) locked out by typing wrong passwords for him; counted per
address alone, one phone could guess every account in turn. So:

- each (account, address) pair gets `free_failures` tries, then a delay before the next try
  that doubles with every further failure, up to `max_delay`; a try inside the delay is refused
  without looking at the password (and is not counted);
- one address failing for many accounts is refused for `address_window` after
  `address_limit` failures;
- nothing is counted against the account itself, so its owner, from an address that has not
  failed, always gets in with the right password;
- a success forgets the pair's failures.

Each try is counted before the password is checked and forgotten when it was right: the
counting statement takes the row's lock, so ten requests sent at once are counted one after
the other and cannot all slip in before the first delay is set. Rows are written on their own
connection, so the count holds whatever the request does with its own transaction, and every
server process sees the same counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from trainer.extensions import db
from trainer.models import LoginFailure
from trainer.timeutil import now

ADDRESS_WIDE = ""  # the account_key of an address's row over every account


@dataclass(frozen=True)
class Settings:
    free_failures: int = 5
    first_delay: int = 30          # seconds, after the first failure past the free ones
    max_delay: int = 900           # seconds
    memory_hours: int = 24         # a pair's failures are forgotten after this long quiet
    address_limit: int = 30
    address_window: int = 900      # seconds

    @classmethod
    def from_config(cls, config: Any) -> Settings:
        return cls(**{name: int(config[f"LOGIN_{name.upper()}"])
                      for name in cls.__dataclass_fields__ if f"LOGIN_{name.upper()}" in config})

    def delay_after(self, failures: int) -> int:
        """Seconds to wait after the pair's n-th failure: none for the free ones, then
        30 s, 60 s, 120 s ... up to max_delay."""
        past = failures - self.free_failures
        if past < 0:
            return 0
        return min(self.first_delay * 2 ** min(past, 20), self.max_delay)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait_seconds: int = 0

    @property
    def wait_text(self) -> str:
        """请 … 后再试: in seconds under two minutes, else in whole minutes (rounded up)."""
        if self.wait_seconds < 120:
            return f"{max(self.wait_seconds, 1)} 秒"
        return f"{-(-self.wait_seconds // 60)} 分钟"


def account_key(employee_no: str) -> str:
    return (employee_no or "").strip().lower()[:64] or "-"


def begin_attempt(account: str, address: str, settings: Settings) -> Verdict:
    """Count a try of `account` from `address` before its password is checked. Refused
    (not counted) while the pair or the address must wait."""
    at = now()
    with db.engine.begin() as conn:
        blocked = conn.execute(
            select(LoginFailure.blocked_until).where(
                LoginFailure.account_key == ADDRESS_WIDE, LoginFailure.address == address,
                LoginFailure.blocked_until > at)).scalar()
        if blocked is not None:
            return Verdict(False, _seconds(blocked - at))
        failures = _count(conn, account, address, at, settings)
        if failures is None:
            until = conn.execute(select(LoginFailure.blocked_until).where(
                LoginFailure.account_key == account, LoginFailure.address == address)).scalar()
            return Verdict(False, _seconds((until or at) - at))
        delay = settings.delay_after(failures)
        if delay:
            conn.execute(update(LoginFailure).where(
                LoginFailure.account_key == account, LoginFailure.address == address,
            ).values(blocked_until=at + timedelta(seconds=delay)))
    return Verdict(True)


def succeeded(account: str, address: str) -> None:
    """The password was right: forget the pair's failures."""
    with db.engine.begin() as conn:
        conn.execute(delete(LoginFailure).where(LoginFailure.account_key == account,
                                                LoginFailure.address == address))


def failed(address: str, settings: Settings) -> None:
    """The password was wrong (the pair's try is already counted): count it for the address."""
    at = now()
    window_start = at - timedelta(seconds=settings.address_window)
    with db.engine.begin() as conn:
        row = _upsert(conn, ADDRESS_WIDE, address, at,
                      stale=LoginFailure.__table__.c.first_at < window_start).first()
        failures, first_at = row
        if failures >= settings.address_limit:
            conn.execute(update(LoginFailure).where(
                LoginFailure.account_key == ADDRESS_WIDE, LoginFailure.address == address,
            ).values(blocked_until=first_at + timedelta(seconds=settings.address_window)))


def _count(conn, account: str, address: str, at: datetime, settings: Settings) -> int | None:
    """Add one try to the pair unless it must wait; its failures so far, or None if waiting."""
    forget_before = at - timedelta(hours=settings.memory_hours)
    waiting = LoginFailure.__table__.c.blocked_until > at
    table = LoginFailure.__table__
    row = _upsert(conn, account, address, at, stale=table.c.last_at < forget_before,
                  where=~waiting | table.c.blocked_until.is_(None)).first()
    return None if row is None else row[0]


def _upsert(conn, account: str, address: str, at: datetime, *, stale, where=None):
    """Insert the row with one failure, or add one to it (starting again from one when the
    row is `stale`), unless `where` is false; returns (failures, first_at) or nothing."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    table = LoginFailure.__table__
    stmt = insert(table).values(account_key=account, address=address, failures=1, first_at=at,
                                last_at=at, blocked_until=None)
    stmt = stmt.on_conflict_do_update(
        index_elements=["account_key", "address"],
        set_={"failures": case((stale, 1), else_=table.c.failures + 1),
              "first_at": case((stale, at), else_=table.c.first_at),
              "last_at": at},
        where=where,
    ).returning(table.c.failures, table.c.first_at)
    return conn.execute(stmt)


def _seconds(delta: timedelta) -> int:
    return max(int(delta.total_seconds() + 0.999), 1)
