"""Evaluations that decide pay: policy versions, evaluations, service records, retraining and
payroll exports.

An evaluation keeps a frozen copy of the policy it used and its computed result as JSON, so
editing the policy or later records never changes it silently. A FINAL evaluation is locked:
the ORM refuses to update or delete it here, and the database refuses it with triggers created
by the migration, so raw SQL cannot change a paid result either. A correction is a new row
(revision + 1) whose ``corrects_id`` points at the final one it corrects.

Becoming final is one path only (issue 14): the finalize step first writes an
``evaluation_finalization`` row (who, when, the total, grade and coefficient locked), and the
database refuses an INSERT of a row already final and an UPDATE into final without that
matching row, so a forged "final" cannot be written with raw SQL either.

Policy versions and payroll exports are append-only (like the audit log): a new version or a
new export is a new row.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.models.audit import AppendOnlyError
from trainer.models.people import User
from trainer.timeutil import now
from trainer.vocabulary import RECORD_STATUS_LABELS, EvaluationStatus, RecordStatus  # noqa: F401

# The lifecycle's statuses and the service records' statuses: one vocabulary
# (trainer/vocabulary.py), these short names kept for the code that reads them.
DRAFT = EvaluationStatus.DRAFT
FINAL = EvaluationStatus.FINAL
RECORD_PENDING = RecordStatus.PENDING
RECORD_CONFIRMED = RecordStatus.CONFIRMED
RECORD_REJECTED = RecordStatus.REJECTED


class FinalEvaluationError(RuntimeError):
    """Code tried to change or remove a final evaluation (correct it with a new record)."""


class EvaluationPolicy(db.Model):
    """One version of the evaluation policy (trainer.evaluations.policy.Policy.to_dict())."""

    __tablename__ = "evaluation_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    settings: Mapped[dict] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text, default="")


class Evaluation(db.Model):
    """One person's evaluation for one period (one revision of it)."""

    __tablename__ = "evaluation"
    __table_args__ = (
        UniqueConstraint("user_id", "period", "revision"),
        # Revision 1 is the original; every later revision corrects exactly one earlier row.
        CheckConstraint("(revision = 1 AND corrects_id IS NULL) OR "
                        "(revision > 1 AND corrects_id IS NOT NULL)",
                        name="revision_links_correction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The person as he was when computed: a final evaluation reads the same forever.
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    employee_no: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(40))
    station_name: Mapped[str] = mapped_column(String(80), default="")
    post: Mapped[str | None] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10), index=True)     # "2026-11", "2026-Q4"
    revision: Mapped[int] = mapped_column(Integer, default=1)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation.id"), unique=True)
    correction_reason: Mapped[str] = mapped_column(Text, default="")

    policy_id: Mapped[int] = mapped_column(ForeignKey("evaluation_policy.id"))
    policy_version: Mapped[int] = mapped_column(Integer)
    policy: Mapped[dict] = mapped_column(JSON)          # the frozen copy
    result: Mapped[dict] = mapped_column(JSON)          # EvaluationResult.to_dict()
    # Copied from the result for lists, charts and the payroll export.
    total: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    grade: Mapped[str | None] = mapped_column(String(20))
    coefficient: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    no_grade: Mapped[bool] = mapped_column(Boolean, default=False)
    adjusted: Mapped[bool] = mapped_column(Boolean, default=False)

    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    computed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    appeal_deadline: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_silently: Mapped[bool] = mapped_column(Boolean, default=False)
    appeal_reason: Mapped[str] = mapped_column(Text, default="")
    appealed_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime)
    finalized_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # HR's written decision that an evaluation without assessment data may be finalized.
    hr_decision: Mapped[str] = mapped_column(Text, default="")
    # No foreign key: SQLite cannot add one to an existing table without rebuilding it (and
    # losing its lock triggers); the id is HR's, written by decide_without_data only.
    hr_decision_by_id: Mapped[int | None] = mapped_column(Integer)
    hr_decision_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Optimistic locking: two people changing the same draft at once cannot both win.
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def is_final(self) -> bool:
        return self.status == FINAL


def _stored_status(connection, evaluation_id: int) -> str | None:
    table = Evaluation.__table__
    return connection.scalar(select(table.c.status).where(table.c.id == evaluation_id))


@event.listens_for(Evaluation, "before_update")
def _refuse_final_update(mapper, connection, target):  # noqa: ARG001
    # Ask the database, not the object: the object's status may already say anything.
    if _stored_status(connection, target.id) == FINAL:
        raise FinalEvaluationError("已定稿的考核结果不能修改;如需更正,请新建更正记录")


@event.listens_for(Evaluation, "before_delete")
def _refuse_final_delete(mapper, connection, target):  # noqa: ARG001
    if _stored_status(connection, target.id) == FINAL:
        raise FinalEvaluationError("已定稿的考核结果不能删除")


@event.listens_for(Evaluation, "before_insert")
def _refuse_final_insert(mapper, connection, target):  # noqa: ARG001
    if target.status == FINAL:
        raise FinalEvaluationError("考核结果不能直接以已定稿状态写入,须经人力资源定稿")


class EvaluationFinalization(db.Model):
    """The finalize step's record: who locked which evaluation when, with the numbers paid.
    The database lets an evaluation become final only with its matching row here."""

    __tablename__ = "evaluation_finalization"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), unique=True)
    finalized_at: Mapped[datetime] = mapped_column(DateTime)
    finalized_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    total: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    grade: Mapped[str | None] = mapped_column(String(20))
    coefficient: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))


class PeriodOverride(db.Model):
    """HR's written decision to publish, finalize and export a period before it has ended.
    Every payroll export of the period records it."""

    __tablename__ = "evaluation_period_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class ServiceRecord(db.Model):
    """A complaint, commendation or safety violation, entered by the station head with
    evidence (text, and optionally a file kept under instance/)."""

    __tablename__ = "service_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))     # complaint, commendation, safety_violation
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    evidence_file: Mapped[str | None] = mapped_column(String(200))
    evidence_name: Mapped[str | None] = mapped_column(String(200))
    # Points for this event instead of the policy's (a magnitude; the kind gives the sign).
    points: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    status: Mapped[str] = mapped_column(String(12), default=RECORD_PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def status_label(self) -> str:
        return RECORD_STATUS_LABELS.get(self.status, self.status)


class Retraining(db.Model):
    """Mandatory retraining decided by a final evaluation: the modules to pass again and the
    certificate suspended meanwhile (when the policy says so). Kept apart from the evaluation,
    which is locked once final."""

    __tablename__ = "retraining"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    # [{"module_id", "title", "passed_at" (ISO text or None), "attempt_ids"}]
    modules: Mapped[list] = mapped_column(JSON)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    completion_note: Mapped[str] = mapped_column(Text, default="")


class PayrollExport(db.Model):
    """One payroll export (who, when, which evaluations, the file's digest). Exporting writes
    here and nowhere else."""

    __tablename__ = "payroll_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    period: Mapped[str] = mapped_column(String(10), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"))
    file_format: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(120))
    row_count: Mapped[int] = mapped_column(Integer)
    evaluation_ids: Mapped[list] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    # People of the period not finalized yet (listed in the export's second sheet or file),
    # and HR's reason when the period was exported before it ended.
    unfinalized_count: Mapped[int] = mapped_column(Integer, default=0)
    override_reason: Mapped[str] = mapped_column(Text, default="")


for _model, _what in ((EvaluationPolicy, "考核政策的历史版本"), (PayrollExport, "薪酬导出记录"),
                      (EvaluationFinalization, "定稿记录"), (PeriodOverride, "提前结算的决定")):
    def _refuse(mapper, connection, target, what=_what):  # noqa: ARG001
        raise AppendOnlyError(f"{what}只能新增,不能修改或删除")

    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
