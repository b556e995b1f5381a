"""Fixtures: the app on a fresh database (SQLite, or PostgreSQL when DATABASE_URL is set),
people of every role, and logged-in clients that read the CSRF token as a browser does."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from trainer import create_app
from trainer.config import normalise_database_url
from trainer.extensions import db, limiter

PASSWORD = "Hai-Tang-Qiu-58"
FAST_HASH = "pbkdf2:sha256:1000"  # tests only: the real default is scrypt
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_config(tmp: Path) -> dict:
    url = os.environ.get("DATABASE_URL")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url) if url else f"sqlite:///{tmp / 'test.db'}",
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "RATELIMIT_STORAGE_URI": "trainer-db://",
        "RECORDINGS_DIR": str(tmp / "recordings"),
    }


def using_postgres() -> bool:
    return bool(os.environ.get("DATABASE_URL", "").startswith("postgres"))


def run_once_in_the_default_pass(
    why: str = "uses a PostgreSQL database of its own",
) -> None:
    """For tests that create a PostgreSQL database of their own whatever the suite runs on, or
    use no database at all: `make test` (SQLite) runs them; the PostgreSQL pass of .ci/run
    would only repeat them."""
    if using_postgres():
        pytest.skip(f"{why}; runs in the default (SQLite) pass")


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    app = create_app(test_config(tmp), instance_path=str(tmp / "instance"))
    with app.app_context():
        build_schema(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def build_schema(app) -> None:
    """A fresh schema made by the migrations themselves, so they are tested on every run."""
    from flask_migrate import upgrade

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade()
    db.session.remove()
    db.engine.dispose()
    if db.engine.dialect.name == "sqlite":
        path = Path(db.engine.url.database)
        shutil.copyfile(path, path.with_suffix(".template"))


def reset_database(app) -> None:
    """Empty every table between tests (the schema stays)."""
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            # SQLite has no TRUNCATE and the append-only triggers refuse DELETE: restore the
            # empty database file instead.
            db.engine.dispose()
            path = Path(db.engine.url.database)
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            shutil.copyfile(path.with_suffix(".template"), path)


@pytest.fixture
def app(_app):
    reset_database(_app)
    with _app.app_context():
        limiter.reset()
    yield _app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def second_app(app, tmp_path):
    """Another app on the same database: stands for a second gunicorn worker or server."""
    other = create_app(dict(app.config), instance_path=str(tmp_path / "second-app"))
    yield other
    with other.app_context():
        db.engine.dispose()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- people -------------------------------------------------------------------------------


@dataclass
class World:
    station_a: int
    station_b: int
    users: dict[str, int]

    def id(self, key: str) -> int:
        return self.users[key]


PEOPLE = {
    # key: employee_no, name, station, post, role
    "staff_a": ("A001", "张一", "a", "attendant", "staff"),
    "staff_a2": ("A002", "张二", "a", "attendant", "staff"),
    "clerk_a": ("A003", "张营业", "a", "clerk", "staff"),
    "head_a": ("A100", "甲站长", "a", "head", "head"),
    "staff_b": ("B001", "李一", "b", "attendant", "staff"),
    "head_b": ("B100", "乙站长", "b", "head", "head"),
    "hr": ("H001", "人事甲", None, None, "hr"),
    "admin": ("M001", "管理甲", None, None, "admin"),
}


def make_world(app) -> World:
    from trainer.models import Station, User

    with app.app_context():
        a = Station(code="KL01", name="昆仑加气站", short_name="昆仑", company="昆仑燃气有限公司",
                    gas_price=Decimal("3.50"), hotline="400-000-0001")
        b = Station(code="HT01", name="海通加气站", short_name="海通", company="海通燃气有限公司",
                    gas_price=Decimal("3.20"), hotline="400-000-0002")
        db.session.add_all([a, b])
        db.session.flush()
        ids = {}
        for key, (number, name, station, post, role) in PEOPLE.items():
            user = User(employee_no=number, name=name, post=post, role=role,
                        station_id={"a": a.id, "b": b.id}.get(station))
            user.set_password(PASSWORD, method=FAST_HASH)
            db.session.add(user)
            db.session.flush()
            ids[key] = user.id
        db.session.commit()
        return World(a.id, b.id, ids)


@pytest.fixture
def world(app) -> World:
    return make_world(app)


# --- clients ------------------------------------------------------------------------------


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Browser:
    """A test client that logs in and submits forms the way a browser does."""

    def __init__(self, client):
        self.client = client
        self.csrf: str | None = None

    def login(self, employee_no: str, password: str = PASSWORD, **extra):
        page = self.client.get("/login")
        token = csrf_from(page.get_data(as_text=True))
        response = self.client.post(
            "/login", data={"employee_no": employee_no, "password": password, "csrf_token": token, **extra}
        )
        if response.status_code == 302:
            self.csrf = token
        return response

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, data=None, **kwargs):
        """POST with the session's CSRF token, as the form on the page would."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf or self.token_from(url))
        return self.client.post(url, data=data, **kwargs)

    def token_from(self, url: str) -> str:
        return csrf_from(self.client.get(url).get_data(as_text=True))


@pytest.fixture
def browser(app):
    return Browser(app.test_client())


@pytest.fixture
def login_as(app, world):
    """login_as("head_a") -> a Browser logged in as that person of the world."""

    def login(key: str) -> Browser:
        b = Browser(app.test_client())
        response = b.login(PEOPLE[key][0])
        assert response.status_code == 302, response.get_data(as_text=True)
        return b

    return login


# --- speech ---------------------------------------------------------------------------------

SPEECH_MODEL_DIR = Path(__file__).resolve().parents[1] / "instance" / "models" / "whisper-base"


@pytest.fixture
def recordings_dir(app, monkeypatch, tmp_path) -> Path:
    """A recordings directory of this test's own (the app's is shared by the session)."""
    path = tmp_path / "recordings"
    monkeypatch.setitem(app.config, "RECORDINGS_DIR", str(path))
    return path


@pytest.fixture
def speech_app(app, monkeypatch, recordings_dir):
    """The app recognising with the real offline model (assembled into instance/ on first use;
    the test app's own instance folder is a temporary one)."""
    from trainer.speech.model_setup import ensure_model

    ensure_model(SPEECH_MODEL_DIR)
    monkeypatch.setitem(app.config, "ASR_MODEL", str(SPEECH_MODEL_DIR))
    # A shared 2-core machine may take longer than a station server: wait for the score.
    monkeypatch.setitem(app.config, "SPEECH_WAIT_SECONDS", 120)
    return app


# --- background work ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _finish_background_exports():
    """Certificate exports run in threads; the next test must not empty the database under
    one still writing."""
    yield
    from trainer.jobs import wait_for_jobs as wait_for_exports

    assert wait_for_exports(60), "a certificate export thread did not finish"


@pytest.fixture
def live_server(app, world):
    """The test app served on a free local port (for a real browser); yields its address."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
