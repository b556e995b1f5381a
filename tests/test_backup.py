"""Backup and restore of the single-site SQLite database."""

import pytest
from sqlalchemy import func, select

from tests.conftest import using_postgres
from trainer.extensions import db
from trainer.models import AuditLog, Station, User

pytestmark = pytest.mark.skipif(using_postgres(), reason="SQLite backup; PostgreSQL uses pg_dump")


def counts(app):
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
                for m in (Station, User, AuditLog)}


def test_backup_then_restore_brings_back_every_record(app, runner, world, tmp_path):
    before = counts(app)
    target = tmp_path / "b.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with app.app_context():  # damage after the backup
        db.session.delete(db.session.scalar(select(User).where(User.employee_no == "A002")))
        db.session.commit()
    assert counts(app)["User"] == before["User"] - 1
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert counts(app) == before
    with app.app_context():
        assert db.session.scalar(select(User).where(User.employee_no == "A002")) is not None


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, world, tmp_path):
    bogus = tmp_path / "x.db"
    bogus.write_bytes(b"not a database at all" * 100)
    before = counts(app)
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0 and "不是有效的平台数据库" in result.output
    assert counts(app) == before
    missing = runner.invoke(args=["restore", str(tmp_path / "none.db"), "--yes"])
    assert missing.exit_code != 0 and "不存在" in missing.output
