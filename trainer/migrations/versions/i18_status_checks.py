"""Issue 18: every coded column refuses a value the code does not know: one CHECK constraint per
column, built from the one vocabulary (trainer/vocabulary.py, CHECKED_COLUMNS).

The values are spelled out here (a migration must not change when the vocabulary grows later;
a new value comes with a new migration that replaces the constraint).

SQLite cannot add a constraint to a table: batch mode rebuilds each table. A rebuild drops the
table's triggers (the evaluation locks, the append-only guards) and a trigger naming a table
being rebuilt stops the rename, so every trigger is read and dropped first and created again,
unchanged, at the end; env.py turns SQLite's foreign keys off for the migrations (a rebuilt
table is dropped while rows refer to it) and checks them all afterwards.

Revision ID: i18_status_checks
Revises: i17_content_overrides
Create Date: 2026-12-07 04:00:00

"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = 'i18_status_checks'
down_revision = 'i17_content_overrides'
branch_labels = None
depends_on = None

ROLES = ("staff", "head", "hr", "admin")
POSTS = ("attendant", "clerk", "hotline", "technician", "head")
VERDICTS = ("pass", "fail", "review")
CHECKS = {
    "user_account": {"role": ROLES, "post": POSTS},
    "attempt": {
        "kind": ("quiz", "phrase", "dialogue", "drill", "daily"),
        "mode": ("practice", "assessment"),
        "status": ("in_progress", "pending", "scored", "expired"),
        "verdict": VERDICTS,
        "final_verdict": VERDICTS,
        "review_state": ("none", "pending", "decided"),
    },
    "attempt_response": {"status": ("pending", "scored"), "verdict": VERDICTS},
    "review": {"verdict": VERDICTS, "previous_verdict": VERDICTS},
    "practical_check": {"kind": ("grooming", "drill", "spoken")},
    "assessment_window": {"grading": ("highest", "first", "last", "average")},
    "certificate": {"status": ("active", "suspended", "revoked"), "post": POSTS},
    "certificate_status_change": {
        "from_status": ("active", "suspended", "revoked"),
        "to_status": ("active", "suspended", "revoked"),
        "actor_role": ROLES + ("system",),
    },
    "evaluation": {
        "status": ("draft", "published", "acknowledged", "appealed", "resolved", "final"),
        "post": POSTS,
    },
    "service_record": {
        "status": ("pending", "confirmed", "rejected"),
        "kind": ("complaint", "commendation", "safety_violation"),
    },
    "payroll_export": {"file_format": ("csv", "xlsx")},
}


def condition(column, values):
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IS NULL OR {column} IN ({listed})"


def name(table, column):
    # The models' naming convention: ck_<table>_<constraint name>.
    return f"ck_{table}_{column}_known"


@contextmanager
def triggers_set_aside():
    """SQLite: drop every trigger, let the caller rebuild tables, create them again as they were."""
    triggers = op.get_bind().execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")).all()
    for trigger, _sql in triggers:
        op.execute(f'DROP TRIGGER "{trigger}"')
    yield
    for _trigger, sql in triggers:
        op.execute(sql)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table, columns in CHECKS.items():
            for column, values in columns.items():
                op.create_check_constraint(op.f(name(table, column)), table,
                                           condition(column, values))
        return
    with triggers_set_aside():
        for table, columns in CHECKS.items():
            with op.batch_alter_table(table, recreate="always") as batch_op:
                for column, values in columns.items():
                    batch_op.create_check_constraint(op.f(name(table, column)),
                                                     condition(column, values))


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table, columns in CHECKS.items():
            for column in columns:
                op.drop_constraint(op.f(name(table, column)), table, type_="check")
        return
    with triggers_set_aside():
        for table, columns in CHECKS.items():
            with op.batch_alter_table(table, recreate="always") as batch_op:
                for column in columns:
                    batch_op.drop_constraint(op.f(name(table, column)), type_="check")
