"""Service records: the station head's list and entry form, one record with its evidence,
confirming and rejecting."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer import settings
from trainer.auth.access import (
    Permission,
    can,
    login_required,
    managers,
    requires,
    visible_stations,
)
from trainer.evaluations import service, service_records
from trainer.evaluations.blueprint import bp
from trainer.evaluations.forms import DecideRecordForm, ServiceRecordForm
from trainer.evaluations.periods import parse_period_key
from trainer.evaluations.policy import EVENT_LABELS
from trainer.evaluations.views import period_arg
from trainer.extensions import db
from trainer.forms import choices, flash_form_errors
from trainer.ids import parse_id
from trainer.models import ServiceRecord, Station, User
from trainer.models.evaluation import RECORD_PENDING
from trainer.timeutil import now
from trainer.web import unit_of_work


def evidence_dir() -> Path:
    """Where evidence files are kept: EVIDENCE_DIR, or instance/evidence/."""
    configured = settings.current().evidence_dir
    return Path(configured) if configured else Path(current_app.instance_path) / "evidence"


def record_or_404(record_id: int) -> ServiceRecord:
    record = db.session.get(ServiceRecord, record_id)
    if record is None or not can(current_user, Permission.VIEW_SERVICE_RECORD, record):
        abort(404)
    return record


@bp.route("/evaluations/records")
@managers
def records():
    row = service.current_policy_row()
    period = period_arg(service.policy_of(row) if row is not None else None)
    station_ids = [s.id for s in db.session.scalars(visible_stations(current_user)
                                                    .order_by(Station.code))]
    rows = [r for sid in station_ids
            for r in service_records.station_records(sid, parse_period_key(period))]
    names = {u.id: u.name for u in db.session.scalars(
        select(User).where(User.id.in_({r.user_id for r in rows})))} if rows else {}
    return render_template("evaluations/records.html", rows=rows, names=names, period=period,
                           period_label=parse_period_key(period).label, kinds=EVENT_LABELS,
                           can_enter=can(current_user, Permission.ENTER_SERVICE_RECORD))


def _staff_choices() -> list:
    people = db.session.scalars(select(User).where(
        User.station_id == current_user.station_id, User.active.is_(True),
        User.id != current_user.id).order_by(User.employee_no))
    return choices([("", "请选择"), *((str(u.id), f"{u.name}({u.employee_no})") for u in people)])


@bp.route("/evaluations/records/new", methods=["GET", "POST"])
@requires(Permission.ENTER_SERVICE_RECORD)
def record_new():
    form = ServiceRecordForm()
    form.person.choices = _staff_choices()
    if request.method == "GET":
        form.person.data = request.args.get("person", "")
        form.occurred_at.data = now().replace(second=0)
    problems: list[str] = []
    if form.validate_on_submit():
        outcome = unit_of_work(lambda: _create(form), flashes=False)
        if outcome.ok:
            record = outcome.value
            flash(f"已录入{EVENT_LABELS[record.kind]}记录({record.status_label})。", "success")
            return redirect(url_for("evaluations.record", record_id=record.id), code=303)
        problems.append(outcome.refused.message)
    elif request.method == "POST":
        problems = [str(e) for errors in form.errors.values() for e in errors]
    return render_template("evaluations/record_form.html", form=form, problems=problems), (
        400 if problems else 200)


def _create(form: ServiceRecordForm) -> ServiceRecord:
    person_text = form.person.data or ""
    person_id = parse_id(person_text)
    person = db.session.get(User, person_id) if person_id else None
    if person is None:
        raise service_records.RecordError("请选择员工")
    points = None
    if (form.points.data or "").strip():
        try:
            points = Decimal(form.points.data.strip())
        except InvalidOperation:
            raise service_records.RecordError("分值应为 0 到 100 之间的数字") from None
        if not points.is_finite():
            raise service_records.RecordError("分值应为 0 到 100 之间的数字")
    upload = form.evidence_file.data
    file = None
    if upload is not None and getattr(upload, "filename", ""):
        file = service_records.EvidenceFile(upload.filename, upload.read())
    return service_records.create_record(
        current_user, person, kind=form.kind.data, occurred_at=form.occurred_at.data,
        summary=form.summary.data, evidence=form.evidence.data, points=points,
        confirmed=bool(form.confirmed.data), file=file, evidence_dir=evidence_dir(),
        max_bytes=settings.current().evidence_max_bytes)


@bp.route("/evaluations/records/<int:record_id>")
@login_required
def record(record_id: int):
    row = record_or_404(record_id)
    people = {u.id: u.name for u in db.session.scalars(select(User).where(
        User.id.in_({row.user_id, row.entered_by_id, row.decided_by_id or row.entered_by_id})))}
    may_decide = can(current_user, Permission.DECIDE_SERVICE_RECORD, row)
    return render_template(
        "evaluations/record.html", record=row, people=people, kinds=EVENT_LABELS,
        can_confirm=may_decide and row.status == RECORD_PENDING,
        can_reject=may_decide and row.status != "rejected" and (
            row.status == RECORD_PENDING
            or can(current_user, Permission.OVERRULE_SERVICE_RECORD, row)),
        form=DecideRecordForm(),
        has_file=service_records.evidence_path(row, evidence_dir()) is not None,
        back=request.args.get("from", type=parse_id))


@bp.route("/evaluations/records/<int:record_id>/evidence")
@login_required
def evidence(record_id: int):
    row = record_or_404(record_id)
    path = service_records.evidence_path(row, evidence_dir())
    if path is None:
        abort(404)
    return send_file(path, mimetype=service_records.media_type(row),
                     download_name=row.evidence_name or path.name,
                     as_attachment=not service_records.media_type(row).startswith(("image/", "audio/")))


@bp.route("/evaluations/records/<int:record_id>/confirm", methods=["POST"])
@requires(Permission.DECIDE_SERVICE_RECORD)
def record_confirm(record_id: int):
    return _decide(record_id, service_records.confirm_record,
                   "已核实,这条记录将计入考核(尚未发给员工的草稿会按最新记录重新计算)。")


@bp.route("/evaluations/records/<int:record_id>/reject", methods=["POST"])
@requires(Permission.DECIDE_SERVICE_RECORD)
def record_reject(record_id: int):
    return _decide(record_id, service_records.reject_record, "已认定不成立,这条记录不计入考核。")


def _decide(record_id: int, decision, success: str):
    row = record_or_404(record_id)
    form = DecideRecordForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        unit_of_work(lambda: decision(row, current_user, form.reason.data or ""), done=success)
    return redirect(url_for("evaluations.record", record_id=row.id), code=303)
