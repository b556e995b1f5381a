"""`flask --app trainer <command>`: database, people, content, scoring and speech commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from trainer.extensions import db


def register_commands(app: Flask) -> None:
    for command in (init_db, seed_demo, create_user, import_staff, content_group, score, backup,
                    restore):
        app.cli.add_command(command)


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the database schema (applies every migration)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("数据库已就绪。")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load demo stations and people into an empty database (prints the logins once)."""
    from trainer.auth.service import hash_method
    from trainer.demo import seed_demo as load

    created = load(hash_method())
    if created is None:
        click.echo("演示数据已存在,未做改动。")
        return
    click.echo("演示数据已创建。以下登录信息只显示这一次,请妥善保存:")
    click.echo(f"{'工号':<10}{'密码':<14}{'角色':<8}姓名")
    for user, password in created:
        click.echo(f"{user.employee_no:<12}{password:<16}{user.role_label:<6}{user.name}")


@click.command("create-user")
@click.option("--employee-no", required=True, help="工号(登录名)")
@click.option("--name", required=True, help="姓名")
@click.option("--role", type=click.Choice(["staff", "head", "hr", "admin"]), default="staff")
@click.option("--station", "station_code", default=None, help="站点编码")
@click.option("--post", type=click.Choice(["attendant", "clerk", "hotline", "technician", "head"]))
@click.password_option("--password", help="密码(至少 8 位)")
@with_appcontext
def create_user(employee_no, name, role, station_code, post, password):
    """Create one person with the given password."""
    from sqlalchemy import select

    from trainer.admin.service import ServiceError, check_user_rules, employee_no_taken
    from trainer.audit import log_change
    from trainer.auth.service import hash_method
    from trainer.models import Station, User

    if len(password) < 8:
        raise click.ClickException("密码至少 8 位")
    if employee_no_taken(employee_no):
        raise click.ClickException(f"工号 {employee_no} 已存在")
    station = None
    if station_code:
        station = db.session.scalar(select(Station).where(Station.code == station_code))
        if station is None:
            raise click.ClickException(f"站点编码 {station_code} 不存在")
    data = {"role": role, "post": post, "station_id": station.id if station else None}
    system = User(role="admin")  # the command line acts with full rights
    try:
        check_user_rules(system, data)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    user = User(employee_no=employee_no, name=name, role=role, post=post,
                station_id=data["station_id"])
    user.set_password(password, method=hash_method())
    db.session.add(user)
    db.session.flush()
    log_change(None, "user.create", "user", user.id, after={"employee_no": employee_no, "role": role},
               reason="命令行创建")
    db.session.commit()
    click.echo(f"已创建 {employee_no} {name}({user.role_label})")


@click.command("import-staff")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只检查,不导入")
@with_appcontext
def import_staff(file: Path, dry_run: bool):
    """Import staff from a CSV (UTF-8 or GBK) or XLSX file: all rows or none."""
    from trainer.admin import importing
    from trainer.admin.service import ServiceError
    from trainer.models import User

    try:
        preview = importing.check_rows(importing.read_table(file.name, file.read_bytes()))
    except importing.ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    if not preview.valid:
        for row, error in preview.errors:
            click.echo(f"第 {row} 行:{error}", err=True)
        raise click.ClickException(f"共 {len(preview.errors)} 处错误,未导入任何人员")
    if dry_run:
        click.echo(f"检查通过:{len(preview.rows)} 人可以导入。")
        return
    system = User(id=None, role="admin")
    try:
        created = importing.apply_import(system, preview)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"已导入 {len(created)} 人。初始密码只显示这一次,首次登录须修改:")
    for user, password in created:
        click.echo(f"{user.employee_no}\t{user.name}\t{password}")


# --- content and scoring ------------------------------------------------------------------


@click.group("content")
def content_group():
    """Training content commands."""


@content_group.command("check")
@with_appcontext
def content_check():
    """Validate every content file; list every problem with file, item and field."""
    from trainer.content import check_content, format_problems, load_content

    directory = Path(current_app.config["CONTENT_DIR"])
    problems = check_content(directory)
    if problems:
        click.echo(format_problems(problems), err=True)
        raise SystemExit(1)
    library = load_content(directory)
    items = sum(len(list(module.items())) for module in library.modules)
    click.echo(f"培训内容检查通过:{len(library.modules)} 个模块,{items} 个条目。")


@click.command("score")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def score(file: Path):
    """Score the answers of a JSONL case file; one JSON result per line on stdout.

    Audio lines are transcribed with the configured speech engine. When the cases carry
    labels, the agreement with them is printed on stderr.
    """
    import json

    from trainer.content import ContentError, format_problems, load_content
    from trainer.scoring import agreement_summary, run_cases

    try:
        lines = file.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"无法读取文件 {file}:{exc}") from exc
    try:
        library = load_content(Path(current_app.config["CONTENT_DIR"]))
    except ContentError as exc:
        raise click.ClickException(format_problems(exc.problems)) from exc
    results = []
    for result in run_cases(file, forbidden=library.forbidden_matcher(),
                            transcribe=_lazy_transcriber()):
        click.echo(json.dumps(result, ensure_ascii=False))
        results.append(result)
    cases = []
    for line in lines:
        try:
            case = json.loads(line)
        except ValueError:
            continue
        if isinstance(case, dict) and "label" in case:
            cases.append(case)
    if cases:
        click.echo(agreement_summary(cases, results), err=True)


def _lazy_transcriber():
    """A transcribe(path) that loads the speech engine only when an audio case comes up."""
    engine = {}

    def transcribe(path: Path):
        if "call" not in engine:
            from trainer.speech_config import transcriber_from_config

            engine["call"] = transcriber_from_config(current_app.config, current_app.instance_path)
        return engine["call"](path)

    return transcribe


# --- backups ------------------------------------------------------------------------------


@click.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(target: Path | None):
    """Back up the SQLite database while the app runs (default: instance/backups/)."""
    from trainer.backup import BackupError, backup_sqlite, default_backup_path, sqlite_path

    try:
        database = sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
        target = target or default_backup_path(Path(current_app.instance_path) / "backups")
        backup_sqlite(database, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已备份到 {target}")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再确认")
@with_appcontext
def restore(source: Path, yes: bool):
    """Replace the SQLite database with a backup (stop the server first)."""
    from trainer.backup import BackupError, restore_sqlite, sqlite_path

    if not yes:
        click.confirm("恢复会覆盖当前数据库中的全部数据,确定继续吗?", abort=True)
    try:
        database = sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
        db.engine.dispose()
        restore_sqlite(source, database)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已从 {source} 恢复")
