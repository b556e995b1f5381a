"""Backups of the single-site SQLite database, taken online while the app keeps serving.

PostgreSQL sites use pg_dump / pg_restore instead (README, "Backups").
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from trainer.timeutil import now


class BackupError(Exception):
    """The backup or restore could not be done; the message is for the operator."""


def sqlite_path(database_uri: str) -> Path:
    prefix = "sqlite:///"
    if not database_uri.startswith(prefix):
        raise BackupError("备份命令只适用于 SQLite;PostgreSQL 请用 pg_dump(见 README)")
    return Path(database_uri[len(prefix):])


def default_backup_path(directory: Path) -> Path:
    return directory / f"trainer-{now():%Y%m%d-%H%M%S}.db"


def backup_sqlite(database: Path, target: Path) -> Path:
    """Copy the live database with SQLite's online backup API, then verify the copy."""
    if not database.exists():
        raise BackupError(f"数据库文件不存在:{database}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=256)
            _verify(copy)
        finally:
            copy.close()
    finally:
        source.close()
    os.replace(partial, target)
    return target


def restore_sqlite(backup: Path, database: Path) -> None:
    """Replace the database with a verified backup (the server must be stopped)."""
    if not backup.exists():
        raise BackupError(f"备份文件不存在:{backup}")
    check = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        _verify(check)
    finally:
        check.close()
    source = sqlite3.connect(backup)
    try:
        target = sqlite3.connect(database)
        try:
            # The backup API writes the whole database in one step, WAL and all, so a restore
            # interrupted half-way leaves the old database intact.
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _verify(connection: sqlite3.Connection) -> None:
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        connection.execute("SELECT count(*) FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"不是有效的平台数据库:{exc}") from exc
    if result != "ok":
        raise BackupError(f"数据库校验失败:{result}")
