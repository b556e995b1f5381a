"""The lock: once final, an evaluation cannot be updated or deleted - not through the ORM and
not with raw SQL (database triggers, on SQLite and on PostgreSQL: run this file with
DATABASE_URL set for the second). Everything before final stays editable, a correction is a
new row linked to the old one, and policy versions and payroll exports are append-only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from tests.evaluation_helpers import compute, evaluation_of, full_month, user
from trainer.evaluations import exports, lifecycle, service
from trainer.extensions import db
from trainer.models import Evaluation, EvaluationPolicy, PayrollExport
from trainer.models.audit import AppendOnlyError
from trainer.models.evaluation import FinalEvaluationError

PUBLISHED_AT = datetime(2026, 11, 2, 8, 0)


@pytest.fixture
def final_id(app, world) -> int:
    """A final evaluation of staff_a, plus a draft of staff_a2 beside it."""
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"), 88)
        full_month(world.id("staff_a2"), world.id("head_a"), 70)
        compute(world.id("hr"))
        evaluation = evaluation_of(world.id("staff_a"))
        service.publish(evaluation, user(world.id("head_a")), at=PUBLISHED_AT)
        service.finalize(evaluation, user(world.id("hr")), at=PUBLISHED_AT + timedelta(days=7))
        db.session.commit()
        assert evaluation.status == lifecycle.FINAL
        return evaluation.id


def stored(evaluation_id: int) -> tuple:
    row = db.session.execute(text(
        "SELECT status, total, grade, result FROM evaluation WHERE id = :id"),
        {"id": evaluation_id}).one()
    return tuple(row)


# --- through the ORM ---------------------------------------------------------------------------


@pytest.mark.parametrize("change", [
    lambda e: setattr(e, "total", 100),
    lambda e: setattr(e, "grade", "优秀"),
    lambda e: setattr(e, "result", {**e.result, "grade": "优秀"}),
    lambda e: setattr(e, "status", lifecycle.DRAFT),
    # Even an object that claims it is not final is checked against what is stored.
    lambda e: (setattr(e, "status", lifecycle.RESOLVED), setattr(e, "coefficient", 2)),
])
def test_the_orm_refuses_to_update_a_final_evaluation(app, final_id, change):
    with app.app_context():
        before = stored(final_id)
        evaluation = db.session.get(Evaluation, final_id)
        change(evaluation)
        with pytest.raises(FinalEvaluationError, match="已定稿"):
            db.session.commit()
        db.session.rollback()
        assert stored(final_id) == before


def test_the_orm_refuses_to_delete_a_final_evaluation(app, final_id):
    with app.app_context():
        db.session.delete(db.session.get(Evaluation, final_id))
        with pytest.raises(FinalEvaluationError, match="不能删除"):
            db.session.commit()
        db.session.rollback()
        assert db.session.get(Evaluation, final_id) is not None


def test_an_orm_bulk_statement_is_refused_by_the_database(app, final_id):
    with app.app_context():
        with pytest.raises(DBAPIError):
            db.session.execute(update(Evaluation).values(total=100))
        db.session.rollback()
        with pytest.raises(DBAPIError):
            db.session.execute(delete(Evaluation).where(Evaluation.id == final_id))
        db.session.rollback()
        assert db.session.get(Evaluation, final_id).total != 100


# --- with raw SQL --------------------------------------------------------------------------------


@pytest.mark.parametrize("statement", [
    "UPDATE evaluation SET total = 100 WHERE id = :id",
    "UPDATE evaluation SET status = 'draft' WHERE id = :id",
    "UPDATE evaluation SET grade = '优秀', coefficient = 1.2 WHERE id = :id",
    "DELETE FROM evaluation WHERE id = :id",
])
def test_raw_sql_cannot_update_or_delete_a_final_evaluation(app, final_id, statement):
    with app.app_context():
        before = stored(final_id)
        with pytest.raises(DBAPIError), db.engine.begin() as conn:
            conn.execute(text(statement), {"id": final_id})
        db.session.remove()
        assert stored(final_id) == before


def test_a_statement_touching_a_final_row_changes_no_row_at_all(app, final_id, world):
    with app.app_context():
        draft = evaluation_of(world.id("staff_a2"))
        draft_total = draft.total
        with pytest.raises(DBAPIError), db.engine.begin() as conn:
            conn.execute(text("UPDATE evaluation SET total = 0"))
        db.session.remove()
        assert db.session.get(Evaluation, draft.id).total == draft_total


# --- what stays possible ------------------------------------------------------------------------


def test_evaluations_before_final_stay_editable_and_deletable(app, final_id, world):
    with app.app_context():
        draft = evaluation_of(world.id("staff_a2"))
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE evaluation SET total = 71 WHERE id = :id"), {"id": draft.id})
        db.session.remove()
        draft = db.session.get(Evaluation, draft.id)
        assert draft.total == 71
        db.session.delete(draft)
        db.session.commit()
        assert evaluation_of(world.id("staff_a2")) is None


def test_a_correction_is_a_new_row_and_the_final_one_reads_the_same(app, final_id, world):
    with app.app_context():
        before = stored(final_id)
        correction = service.correct(db.session.get(Evaluation, final_id),
                                     user(world.id("hr")), "漏记一次表扬")
        db.session.commit()
        assert correction.corrects_id == final_id and correction.revision == 2
        assert stored(final_id) == before


def test_a_later_revision_must_say_which_record_it_corrects(app, final_id):
    with app.app_context():
        columns = ("user_id, station_id, employee_no, name, station_name, post, period, "
                   "revision, correction_reason, policy_id, policy_version, policy, result, "
                   "incomplete, no_grade, adjusted, status, computed_at, "
                   "acknowledged_silently, appeal_reason, resolution, row_version")
        with pytest.raises(DBAPIError), db.engine.begin() as conn:
            conn.execute(text(
                f"INSERT INTO evaluation ({columns}) SELECT user_id, station_id, employee_no, "
                "name, station_name, post, period, 2, '', policy_id, policy_version, policy, "
                "result, incomplete, no_grade, adjusted, 'final', computed_at, "
                "acknowledged_silently, appeal_reason, resolution, 1 "
                "FROM evaluation WHERE id = :id"), {"id": final_id})


def test_finalizing_in_the_database_is_the_last_update_a_row_gets(app, final_id):
    with app.app_context():
        evaluation = db.session.get(Evaluation, final_id)
        assert evaluation.finalized_at is not None and evaluation.row_version >= 3


# --- append-only neighbours ---------------------------------------------------------------------


def test_policy_versions_are_append_only(app, final_id):
    with app.app_context():
        row = db.session.scalar(select(EvaluationPolicy))
        row.reason = "篡改"
        with pytest.raises(AppendOnlyError):
            db.session.commit()
        db.session.rollback()
        for statement in ("UPDATE evaluation_policy SET reason = 'x'",
                          "DELETE FROM evaluation_policy"):
            with pytest.raises(DBAPIError), db.engine.begin() as conn:
                conn.execute(text(statement))


def test_payroll_exports_are_append_only(app, final_id, world):
    with app.app_context():
        made = exports.export_payroll("2026-10", user(world.id("hr")), "csv")
        db.session.commit()
        record = db.session.get(PayrollExport, made.record.id)
        db.session.delete(record)
        with pytest.raises(AppendOnlyError):
            db.session.commit()
        db.session.rollback()
        for statement in ("UPDATE payroll_export SET row_count = 0",
                          "DELETE FROM payroll_export"):
            with pytest.raises(DBAPIError), db.engine.begin() as conn:
                conn.execute(text(statement))
        assert db.session.get(PayrollExport, made.record.id).row_count == 1
