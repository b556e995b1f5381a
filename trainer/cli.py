"""`flask --app trainer <command>`: database, people, content, scoring and speech commands."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from trainer.extensions import db
from trainer.vocabulary import Post, Role


def register_commands(app: Flask) -> None:
    for command in (init_db, seed_demo, demo_logins, create_user, import_staff, content_group, score, backup,
                    restore, transcribe, make_cert, speech_worker, export_certificates):
        app.cli.add_command(command)
    from trainer.evaluations.cli import COMMANDS as evaluation_commands

    for command in evaluation_commands:
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
    click.echo("演示数据已创建。以下演示账号的密码只显示这一次(忘记时运行 "
               "flask --app trainer demo-logins --reset 重新生成):")
    print_logins(created)


def _cell(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


def print_logins(rows) -> None:
    """The demo logins as a table: 工号, 密码, 角色, 姓名, 站点, 岗位."""
    widths = (8, 16, 10, 12, 14)
    click.echo("".join(_cell(h, w) for h, w in zip(("工号", "密码", "角色", "姓名", "站点"),
                                                     widths, strict=True)) + "岗位")
    for user, password in rows:
        cells = (user.employee_no, password or "(未显示)", user.role_label, user.name,
                 user.station.name if user.station else "—")
        click.echo("".join(_cell(c, w) for c, w in zip(cells, widths, strict=True))
                   + (user.post_label or "—"))


@click.command("demo-logins")
@click.option("--reset", is_flag=True, help="为全部演示账号生成新密码并打印(旧密码和登录会话失效)")
@with_appcontext
def demo_logins(reset: bool):
    """Print the demo accounts (with --reset: give them new passwords and print those)."""
    from trainer.auth.service import hash_method
    from trainer.demo import demo_people, reset_demo_passwords

    if reset:
        rows = reset_demo_passwords(hash_method())
        db.session.commit()
        click.echo("演示账号已设置新密码:")
    else:
        rows = [(user, None) for user in demo_people()]
    if not rows:
        click.echo("数据库中没有演示账号(先运行 flask --app trainer seed-demo)。")
        return
    print_logins(rows)
    if not reset:
        click.echo("密码只保存为摘要,无法显示;运行 flask --app trainer demo-logins --reset "
                   "生成新密码。")


@click.command("create-user")
@click.option("--employee-no", required=True, help="工号(登录名)")
@click.option("--name", required=True, help="姓名")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.STAFF.value)
@click.option("--station", "station_code", default=None, help="站点编码")
@click.option("--post", type=click.Choice([post.value for post in Post]))
@click.password_option("--password", help="密码(至少 10 位,不能用工号、姓名拼音或常见密码)")
@with_appcontext
def create_user(employee_no, name, role, station_code, post, password):
    """Create one person with the given password (the password rules apply)."""
    from sqlalchemy import select

    from trainer.admin.service import ServiceError, check_user_rules, employee_no_taken
    from trainer.audit import log_change
    from trainer.auth.service import PasswordRejected, set_password
    from trainer.models import Station, User

    if employee_no_taken(employee_no):
        raise click.ClickException(f"工号 {employee_no} 已存在")
    station = None
    if station_code:
        station = db.session.scalar(select(Station).where(Station.code == station_code))
        if station is None:
            raise click.ClickException(f"站点编码 {station_code} 不存在")
    data = {"role": role, "post": post, "station_id": station.id if station else None}
    system = User(role="admin", active=True)  # the command line acts with full rights
    try:
        check_user_rules(system, data)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    user = User(employee_no=employee_no, name=name, role=role, post=post, station=station,
                active=True)
    db.session.add(user)
    db.session.flush()
    log_change(None, "user.create", "user", user.id, after={"employee_no": employee_no, "role": role},
               reason="命令行创建")
    try:
        set_password(user, password, actor=None)
    except PasswordRejected as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
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
    for row in preview.rows:
        if row.changes:
            click.echo(f"第 {row.row} 行 {row.action_label} {row.values['employee_no']}:" + ";".join(
                f"{what} {before} → {after}" for what, before, after in row.changes))
    if dry_run:
        click.echo(f"检查通过:{preview.summary}。")
        return
    system = User(id=None, role="admin", active=True)
    try:
        result = importing.apply_import(system, preview, file.name)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    click.echo(f"已导入:{preview.summary}。")
    if result.created:
        click.echo(f"新增 {len(result.created)} 人。一次性验证码只显示这一次,本人用它在登录页设置密码:")
    for user, code in result.created:
        click.echo(f"{user.employee_no}\t{user.name}\t{code}")


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
    overrides = _content_overrides()
    problems = check_content(directory, overrides)
    if problems:
        click.echo(format_problems(problems), err=True)
        raise SystemExit(1)
    library = load_content(directory, overrides)
    items = sum(len(list(module.items())) for module in library.modules)
    corrected = f",含管理员在网页上的修正 {len(overrides)} 条" if overrides else ""
    click.echo(f"培训内容检查通过:{len(library.modules)} 个模块,{items} 个条目{corrected}。")


def _content_overrides() -> dict:
    """The admin's corrections in the database; none before `init-db` has made the table."""
    from sqlalchemy.exc import SQLAlchemyError

    from trainer.admin.content_corrections import overrides_in_force

    try:
        return overrides_in_force()
    except SQLAlchemyError:
        db.session.rollback()
        return {}


@content_group.command("remark-examples")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write content/remarks.yaml here (default: print it)")
@with_appcontext
def content_remark_examples(files: tuple[Path, ...], output: Path | None):
    """Collect the added remarks of labelled cases (the JSONL of `score`, each naming its
    `item`) as the examples the tone model learns from: the remarks of passed answers are
    kind, those of answers failed for a rude addition are rude."""
    import json

    import yaml

    from trainer.content import load_content
    from trainer.scoring.judge import added_remarks
    from trainer.scoring.tone import examples_from

    library = load_content(Path(current_app.config["CONTENT_DIR"]))
    pairs: list[tuple[str, str]] = []
    for path in files:
        for line in path.read_text("utf-8").splitlines():
            case = json.loads(line) if line.strip() else {}
            label, kind = case.get("label"), case.get("kind", "")
            if "item" not in case or (label == "fail" and kind != "rude-addition"):
                continue
            spec = library.spec_for(case["item"], case.get("turn"))
            said = added_remarks(library.compile(spec), case.get("response", ""),
                                 case.get("vars") or {})
            if said:
                pairs.append(("".join(said), label))
    rude, kind = examples_from(pairs)
    header = ("# 语气例句: added remarks a station head judged, from which the scoring engine learns\n"
              "# the tone of remarks no rule describes (trainer/scoring/tone.py). Regenerate with\n"
              "#   flask --app trainer content remark-examples CASES.jsonl... --output content/remarks.yaml\n"
              "# from labelled development cases only - never from a held-out set before it is scored.\n"
              "# 2026-12-07: tests/data/scoring/dev-*, heldout-* (all scored), redteam-* and\n"
              "# ../shared/eval/cases-meaning.jsonl.\n")
    body = yaml.safe_dump({"kind": "remark_examples", "source": "policy", "threshold": 0,
                           "rude": rude, "kind_remarks": kind}, allow_unicode=True,
                          sort_keys=False, width=100)
    text = header + body
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"已写入 {output}:不当的话 {len(rude)} 句,得体的话 {len(kind)} 句。")
    else:
        click.echo(text)


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
    from trainer.attempts.service import known_station_names
    from trainer.speech_cases import contextual_transcriber

    def engine_for():
        from trainer import speech

        return speech.engine_from_config(current_app.config, current_app.instance_path)

    forbidden = library.forbidden_matcher()
    results = []
    known = known_station_names()
    # Audio lines are heard as the app hears an answer (unbiased first, context only to rescue).
    for result in run_cases(file, forbidden=forbidden,
                            transcribe=contextual_transcriber(file, engine_for, library, known),
                            items=library, known_names=known):
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


# --- speech -------------------------------------------------------------------------------


@click.command("transcribe")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def transcribe(file: Path):
    """Recognise one recording with the configured engine; print the transcript and the time."""
    import time

    from trainer import speech

    try:
        # The file first: a wrong file is reported without waiting for the model to load.
        pcm = speech.load_audio(file, max_bytes=max(speech.MAX_BYTES, file.stat().st_size))
        started = time.perf_counter()
        engine = speech.engine_from_config(current_app.config, current_app.instance_path)
        engine.load()
        loaded = time.perf_counter()
        transcript = engine.transcribe(pcm)
    except speech.SpeechError as error:
        raise click.ClickException(error.detail or error.message) from error
    finished = time.perf_counter()
    click.echo(speech.NO_SPEECH_MESSAGE if transcript.no_speech else transcript.text)
    click.echo(
        f"录音 {transcript.duration:.1f} 秒;识别用时 {finished - loaded:.2f} 秒"
        f"(加载模型 {loaded - started:.2f} 秒,引擎 {transcript.engine})",
        err=True,
    )
    if not transcript.no_speech:
        for note in speech.delivery_feedback(transcript).notes:
            click.echo(note, err=True)


@click.command("make-cert")
@click.option("--ip", "addresses", multiple=True,
              help="再加一个证书地址(可重复);默认取本机所有局域网 IPv4 地址")
@click.option("--days", default=825, show_default=True, help="有效天数(手机系统最多认 825 天)")
@click.option("--force", is_flag=True, help="已有证书时也重新生成")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="写到哪个目录(默认 instance/tls,make run 从这里读取)")
@with_appcontext
def make_cert(addresses: tuple[str, ...], days: int, force: bool, directory: Path | None):
    """Create a self-signed HTTPS certificate for this server's LAN address(es) in instance/tls/.

    Phones open the microphone only over HTTPS; `make run` serves HTTPS once this exists.
    """
    from trainer import tls

    directory = directory or Path(current_app.instance_path) / "tls"
    if (directory / tls.CERT_NAME).exists() and not force:
        raise click.ClickException(f"证书已存在:{directory / tls.CERT_NAME}(重新生成请加 --force)")
    try:
        made = tls.make_self_signed(directory, extra_addresses=addresses, days=days)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"证书:{made.cert}")
    click.echo(f"私钥:{made.key}(只有本账号可读)")
    click.echo("证书包含的地址:" + "、".join(made.names))
    click.echo(f"SHA-256 指纹:{made.fingerprint}")
    port = os.environ.get("TRAINER_PORT", "5000")
    for address in made.lan_addresses:
        click.echo(f"手机在站内网络打开:https://{address}:{port}/")
    click.echo("以 TRAINER_HOST=0.0.0.0 make run 启动,服务即改用 HTTPS。")


@click.command("speech-worker")
@click.option("--burst", is_flag=True, help="处理完队列里的任务就退出")
@with_appcontext
def speech_worker(burst: bool):
    """Run an RQ worker for queued speech recognition (TRAINER_SPEECH_QUEUE=rq).

    The model is loaded once and kept, and every job runs in this process (rq's SimpleWorker),
    so a 3 s answer is recognised in about a second; plain `rq worker` would reload per job.
    """
    from redis import Redis
    from rq import Queue, SimpleWorker

    from trainer.turns.recognition import speech_engine

    config = current_app.config
    connection = Redis.from_url(config["REDIS_URL"])
    try:
        connection.ping()
    except Exception as error:
        raise click.ClickException(f"连不上 Redis({config['REDIS_URL']}):{error}") from error
    try:
        speech_engine().warm_up()
    except Exception as error:
        raise click.ClickException(f"语音识别模型无法加载:{getattr(error, 'detail', '') or error}") from error
    # Speech first (a trainee waits for it), then every other background task (trainer/jobs.py).
    queues = [Queue(config.get("SPEECH_QUEUE_NAME") or "speech", connection=connection),
              Queue(config.get("JOB_QUEUE_NAME") or "jobs", connection=connection)]
    names = "、".join(queue.name for queue in queues)
    click.echo(f"语音识别任务进程已启动(也做其他后台任务),队列 {names},Redis {config['REDIS_URL']}",
               err=True)
    SimpleWorker(queues, connection=connection).work(burst=burst, with_scheduler=False)


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


# --- certificates -------------------------------------------------------------------------


@click.command("export-certificates")
@click.option("--station", "station_code", help="站点编码(默认全部站点)")
@click.option("--post", type=click.Choice(["attendant", "clerk", "hotline", "technician", "head"]),
              help="岗位")
@click.option("--from", "issued_from", type=click.DateTime(["%Y-%m-%d"]), help="发证日期从 YYYY-MM-DD")
@click.option("--to", "issued_to", type=click.DateTime(["%Y-%m-%d"]), help="发证日期至 YYYY-MM-DD")
@click.option("--status", type=click.Choice(["active", "expired", "suspended", "revoked"]),
              help="状态:有效、已过期、已暂停、已撤销")
@click.option("--zip", "zip_path", type=click.Path(dir_okay=False, path_type=Path),
              help="写成 ZIP(每人一个 PDF)")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path),
              help="写成一个合并的 PDF")
@click.option("--base-url", help="二维码中核验网址的前缀(默认配置项 PUBLIC_BASE_URL)")
@with_appcontext
def export_certificates(station_code, post, issued_from, issued_to, status, zip_path, pdf_path,
                        base_url):
    """Export certificates as one ZIP of PDFs (--zip) or one merged PDF (--pdf)."""
    from sqlalchemy import select

    from trainer.certificates.exports import write_export
    from trainer.certificates.fonts import CertificateFontError
    from trainer.certificates.service import CertificateFilter, count, filtered_query
    from trainer.models import Station

    if bool(zip_path) == bool(pdf_path):
        raise click.UsageError("请指定 --zip 文件 或 --pdf 文件(二选一)")
    station_id = None
    if station_code:
        station_id = db.session.scalar(select(Station.id).where(Station.code == station_code))
        if station_id is None:
            raise click.ClickException(f"站点编码 {station_code} 不存在")
    if issued_from and issued_to and issued_to < issued_from:
        raise click.ClickException("结束日期不能早于开始日期")
    base_url = base_url or current_app.config.get("PUBLIC_BASE_URL")
    if not base_url:
        base_url = "http://127.0.0.1:5000/"
        click.echo("提示:未设置 PUBLIC_BASE_URL(环境变量 TRAINER_PUBLIC_BASE_URL),"
                   f"二维码指向 {base_url},请用 --base-url 指定对外网址。", err=True)
    filters = CertificateFilter(
        station_id=station_id, post=post, status=status,
        issued_from=issued_from.date() if issued_from else None,
        issued_to=issued_to.date() if issued_to else None)
    query = filtered_query(None, filters)
    total = count(query)
    target = zip_path or pdf_path
    shown = {"step": max(1, total // 10)}

    def progress(done: int, total_: int | None) -> None:
        if done == total_ or done % shown["step"] == 0:
            click.echo(f"  {done}/{total_}", err=True)

    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("wb") as sink:
            written = write_export("zip" if zip_path else "pdf", query, sink, base_url,
                                   progress=progress, total=total,
                                   font_path=current_app.config.get("CERTIFICATE_FONT"))
    except CertificateFontError as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(str(exc)) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    click.echo(f"已导出 {written} 份证书到 {target}")
