"""The application factory: create_app() builds the Flask app (see ARCHITECTURE.md)."""

from __future__ import annotations

import importlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from trainer import config as settings
from trainer.extensions import csrf, db, limiter, login_manager, migrate
from trainer.settings import Settings

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def create_app(config: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then the environment, then `config`."""
    app = Flask(
        "trainer",  # the package: app.name, the logger and the root path stay "trainer"
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(settings.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings.from_environment(os.environ))
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", f"sqlite:///{Path(app.instance_path) / 'trainer.db'}"
    )
    # Bad values stop the start here, with a message naming them (trainer/settings.py).
    Settings.from_config(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.instance_secret_key(app.instance_path)

    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    from trainer.core.routing import bounded_integer_converter

    # An id past the database's integer range is a 404 at routing, not an overflow in a query.
    app.url_map.converters["int"] = bounded_integer_converter
    register_blueprints(app)
    from trainer.auth.access import register_template_helpers

    register_template_helpers(app)
    from trainer import vocabulary

    # Templates read the same names and labels as the code (vocabulary.Role.HEAD, .POSTS...).
    app.jinja_env.globals["vocabulary"] = vocabulary
    register_security_headers(app)
    from trainer.core.errors import register_error_handlers

    register_error_handlers(app)
    from trainer.cli import register_commands

    register_commands(app)
    if app.config["LOAD_CONTENT"]:
        from trainer.library import init_library

        init_library(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    # Registers the trainer-db:// storage of the rate limits before the limiter reads it.
    import trainer.rate_limits  # noqa: F401

    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.session_protection = "basic"
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=app.config["REMEMBER_DAYS"]))

    from trainer.auth import sessions

    @login_manager.user_loader
    def load_user(session_key: str):
        # The cookies carry the key of a session row, never the user id: see auth/sessions.py.
        return sessions.load(session_key, sessions.Lifetimes.from_config(app.config))


AREAS = ("core", "auth", "admin", "training", "station", "practice", "windows", "certificates",
         "evaluations")


def register_blueprints(app: Flask) -> None:
    """Each area's blueprint.py holds its bp; importing its VIEW_MODULES declares the routes."""
    for area in AREAS:
        blueprint = importlib.import_module(f"trainer.{area}.blueprint")
        for module in blueprint.VIEW_MODULES:
            importlib.import_module(f"trainer.{area}.{module}")
        app.register_blueprint(blueprint.bp)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy", app.config["CONTENT_SECURITY_POLICY"]
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "microphone=(self), camera=()")
        return response


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):  # noqa: ARG001
    """Single-site SQLite settings: WAL lets readers work during a write; wait, don't fail, on a lock."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
