"""Health check, configuration, CLI, audit log, migrations, headers and templates."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tests.conftest import using_postgres
from trainer import create_app
from trainer.audit import log_change
from trainer.config import from_environment, instance_secret_key, normalise_database_url
from trainer.extensions import db
from trainer.models import AuditLog, Station, User
from trainer.models.audit import AppendOnlyError

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_healthz_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
         "SECRET_KEY": "x", "LOAD_CONTENT": False,
         "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}},
        instance_path=str(tmp_path),
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_configuration_order(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("LOGIN_LIMIT_ACCOUNT = '3 per minute'\nPAGE = 'instance'\n")
    monkeypatch.setenv("TRAINER_ASR_ENGINE", "vosk")
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    app = create_app({"LOAD_CONTENT": False, "PAGE": "explicit"}, instance_path=str(tmp_path))
    assert app.config["LOGIN_LIMIT_ACCOUNT"] == "3 per minute"       # instance/config.py
    assert app.config["ASR_ENGINE"] == "vosk"                        # environment
    assert app.config["PAGE"] == "explicit"                          # argument wins
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = instance_secret_key(str(tmp_path))
    assert len(first) == 64 and instance_secret_key(str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_parsing():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert from_environment({"TRAINER_SESSION_COOKIE_SECURE": "no"})["SESSION_COOKIE_SECURE"] is False


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_cdn():
    for path in (ROOT / "templates").rglob("*.html"):
        html = path.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "http://" not in html and "https://" not in html, path
        assert not re.search(r"\sstyle\s*=", html), path


def test_errors_are_chinese_pages(login_as):
    b = login_as("staff_a")
    assert "页面不存在" in b.get("/no/such/page").get_data(as_text=True)
    assert "没有权限" in b.get("/admin").get_data(as_text=True)


def test_oversized_upload_gets_a_chinese_413(login_as):
    import io

    b = login_as("hr")
    big = io.BytesIO(b"x" * (7 * 1024 * 1024))
    response = b.post("/staff/import", {"file": (big, "big.csv")}, content_type="multipart/form-data")
    assert response.status_code == 413 and "文件过大" in response.get_data(as_text=True)


# --- audit log ----------------------------------------------------------------------------


def test_audit_log_is_append_only_through_the_orm(app, world):
    with app.app_context():
        entry = log_change(None, "test.entry", "thing", 1, after={"a": 1}, reason="测试")
        db.session.commit()
        entry.reason = "篡改"
        with pytest.raises(AppendOnlyError):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(AppendOnlyError):
            db.session.delete(db.session.get(AuditLog, entry.id))
            db.session.commit()
        db.session.rollback()


def test_audit_log_is_append_only_in_the_database(app, world):
    with app.app_context():
        log_change(None, "test.entry", "thing", 1, reason="原始")
        db.session.commit()
    for statement in ("UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log"):
        with app.app_context(), pytest.raises(DatabaseError), db.engine.begin() as conn:
            conn.execute(text(statement))
    with app.app_context():
        assert db.session.scalars(select(AuditLog.reason)).all() == ["原始"]


# --- command line -------------------------------------------------------------------------


def test_seed_demo_prints_logins_once_and_keeps_data(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "只显示这一次" in first.output
    password = re.search(r"^admin\s+(\S+)", first.output, re.M).group(1)
    with app.app_context():
        assert db.session.scalar(select(Station).where(Station.code == "KL01")).short_name == "昆仑"
        people = db.session.scalars(select(User)).all()
        assert len([p for p in people if p.role == "head"]) == 2
        assert len([p for p in people if p.post == "attendant"]) == 6
        assert {p.role for p in people} == {"staff", "head", "hr", "admin"}
        assert any(p.post == "clerk" for p in people)
        admin = db.session.scalar(select(User).where(User.employee_no == "admin"))
        assert admin.check_password(password)
        # Staff can sit assessments at once: every required module has an open window.
        from trainer.models import AssessmentWindow
        from trainer.timeutil import now

        kl = db.session.scalar(select(Station).where(Station.code == "KL01"))
        open_modules = {w.module_id for w in db.session.scalars(select(AssessmentWindow).where(
            AssessmentWindow.station_id == kl.id)) if w.is_open(now())}
        assert "phrases" in open_modules
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "已存在" in again.output and "只显示这一次" not in again.output


def test_create_user_command(app, runner, world):
    weak = runner.invoke(args=["create-user", "--employee-no", "C9", "--name", "新人", "--role",
                               "staff", "--station", "KL01", "--post", "attendant",
                               "--password", "Password-99"])
    assert weak.exit_code != 0 and "密码太容易被猜到" in weak.output  # the password rules apply
    result = runner.invoke(args=["create-user", "--employee-no", "C9", "--name", "新人", "--role",
                                 "staff", "--station", "KL01", "--post", "attendant",
                                 "--password", "Orchid-Tram-41-Vale"])
    assert result.exit_code == 0, result.output
    dup = runner.invoke(args=["create-user", "--employee-no", "C9", "--name", "x",
                              "--password", "Orchid-Tram-41-Vale"])
    assert dup.exit_code != 0 and "已存在" in dup.output
    nostation = runner.invoke(args=["create-user", "--employee-no", "C10", "--name", "x",
                                    "--role", "head", "--password", "Orchid-Tram-41-Vale"])
    assert nostation.exit_code != 0 and "必须属于一个站点" in nostation.output
    with app.app_context():
        created = db.session.scalar(select(User).where(User.employee_no == "C9"))
        assert created.check_password("Orchid-Tram-41-Vale")


def test_init_db_applies_migrations_and_is_repeatable(tmp_path):
    if using_postgres():
        pytest.skip("runs on its own SQLite file")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
                      "SECRET_KEY": "x", "LOAD_CONTENT": False}, instance_path=str(tmp_path))
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM user_account")).scalar() == 0


def test_migrations_match_the_models(app):
    """A model change without its migration would lose data on upgrade: catch it here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
