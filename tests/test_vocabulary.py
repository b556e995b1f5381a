"""One vocabulary: the coded values live in trainer/vocabulary.py, the models, rules and CLI use
those names, and the database refuses any value it does not list (CHECK constraints made by
migration i18 - run with DATABASE_URL set for PostgreSQL)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.training_helpers import certificate, sitting
from trainer import vocabulary
from trainer.extensions import db

ROOT = Path(__file__).resolve().parents[1]


def migration():
    path = ROOT / "trainer" / "migrations" / "versions" / "i18_status_checks.py"
    spec = importlib.util.spec_from_file_location("i18_status_checks", path)
    module = importlib.util.module_from_spec(spec)
    # The migration imports alembic's op only to call it; loading it needs no context.
    spec.loader.exec_module(module)
    return module


def test_the_migration_checks_exactly_the_vocabulary():
    spelled_out = {(table, column): tuple(values)
                   for table, columns in migration().CHECKS.items()
                   for column, values in columns.items()}
    assert spelled_out == {key: tuple(str(v) for v in values)
                           for key, values in vocabulary.CHECKED_COLUMNS.items()}


def test_the_old_copies_are_the_vocabulary():
    from trainer.cli import create_user
    from trainer.content.model import POSTS as CONTENT_POSTS
    from trainer.evaluations import compute, lifecycle
    from trainer.models import POSTS, ROLES, PracticalKind, Role
    from trainer.models.evaluation import DRAFT, FINAL, RECORD_PENDING

    assert CONTENT_POSTS is vocabulary.POSTS and POSTS is vocabulary.POSTS
    assert ROLES is vocabulary.ROLES and Role is vocabulary.Role
    assert compute.PRACTICAL_LABELS is vocabulary.PRACTICAL_LABELS
    assert PracticalKind is vocabulary.PracticalKind
    assert tuple(vocabulary.EvaluationStatus) == lifecycle.STATUSES
    assert (DRAFT, FINAL, RECORD_PENDING) == ("draft", "final", "pending")
    role_option = next(p for p in create_user.params if p.name == "role")
    assert list(role_option.type.choices) == [role.value for role in vocabulary.Role]


def test_members_are_their_strings():
    assert vocabulary.Role.HEAD == "head" and f"{vocabulary.AttemptStatus.SCORED}" == "scored"
    assert {vocabulary.Verdict.PASS: 1}["pass"] == 1
    assert vocabulary.ROLES["staff"] == "员工"


@pytest.mark.parametrize(("table", "column"), [
    ("user_account", "role"), ("user_account", "post"), ("attempt", "status"),
    ("attempt", "kind"), ("attempt", "review_state"), ("certificate", "status"),
])
def test_the_database_refuses_an_unknown_value(app, world, table, column):
    with app.app_context():
        if table == "attempt":
            sitting(world.id("staff_a"), "m", "quiz", 90, "pass", window_id=None)
        if table == "certificate":
            certificate(world.id("staff_a"), world.id("head_a"))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(text(f"UPDATE {table} SET {column} = 'nonsense'"))
            db.session.flush()
        db.session.rollback()
        # A known value is accepted by the same statement.
        known = vocabulary.CHECKED_COLUMNS[(table, column)][0]
        db.session.execute(text(f"UPDATE {table} SET {column} = :v"), {"v": known})
        db.session.rollback()


def test_an_optional_coded_column_may_stay_empty(app, world):
    with app.app_context():
        db.session.execute(text("UPDATE user_account SET post = NULL"))
        db.session.rollback()
