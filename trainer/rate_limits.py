"""A storage for Flask-Limiter's counters in the application's own database.

With the default `memory://` storage every server process counts on its own (two gunicorn
workers allow twice the limit). Kept in the database, `/verify` and `/password` limits hold
across processes and servers without Redis (`TRAINER_RATELIMIT_STORAGE_URI=trainer-db://`,
the default). Fixed windows only: the `limits` library asks nothing else of a storage for
them. Each call runs on its own connection, outside the request's transaction.
"""

from __future__ import annotations

import random
import time

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

SCHEME = "trainer-db"
# Expired counters are swept now and then, not on every request.
SWEEP_CHANCE = 0.01


def _table():
    from trainer.models import RateCounter

    return RateCounter.__table__


def _engine():
    from trainer.extensions import db

    return db.engine


class DatabaseStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        table, at = _table(), time.time()
        with _engine().begin() as conn:
            insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            expired = table.c.expires_at <= at
            stmt = insert(table).values(key=key, count=amount, expires_at=at + expiry)
            stmt = stmt.on_conflict_do_update(
                index_elements=["key"],
                set_={"count": case((expired, amount), else_=table.c.count + amount),
                      "expires_at": case((expired, at + expiry), else_=table.c.expires_at)},
            ).returning(table.c.count)
            count = conn.execute(stmt).scalar_one()
            if random.random() < SWEEP_CHANCE:
                conn.execute(delete(table).where(table.c.expires_at < at))
        return int(count)

    def get(self, key: str) -> int:
        table = _table()
        with _engine().connect() as conn:
            count = conn.execute(select(table.c.count).where(
                table.c.key == key, table.c.expires_at > time.time())).scalar()
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        table = _table()
        with _engine().connect() as conn:
            expires = conn.execute(select(table.c.expires_at).where(table.c.key == key)).scalar()
        return float(expires) if expires is not None else time.time()

    def check(self) -> bool:
        try:
            with _engine().connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with _engine().begin() as conn:
            return conn.execute(delete(_table())).rowcount

    def clear(self, key: str) -> None:
        table = _table()
        with _engine().begin() as conn:
            conn.execute(delete(table).where(table.c.key == key))
