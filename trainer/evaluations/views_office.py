"""The station head's and HR's pages: a station's period, all stations, computing drafts,
finalizing in bulk, the payroll export, and the policy with its versions."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer.auth.access import Permission, can, managers, office, requires, visible_stations
from trainer.evaluations import exports, lifecycle, pages, service, service_records
from trainer.evaluations.blueprint import bp
from trainer.evaluations.forms import (
    ExportForm,
    OverrideForm,
    PeriodForm,
    PolicyForm,
    band_rows,
    policy_settings,
)
from trainer.evaluations.periods import parse_period_key, shift_period
from trainer.evaluations.policy import COMPONENT_LABELS, EVENT_LABELS, Policy
from trainer.evaluations.views import CONFLICT, period_arg
from trainer.extensions import db
from trainer.forms import choices, flash_form_errors
from trainer.models import EvaluationPolicy, Station, User
from trainer.models.evaluation import RECORD_PENDING
from trainer.timeutil import now
from trainer.web import unit_of_work


def _stations() -> list[Station]:
    return list(db.session.scalars(visible_stations(current_user).order_by(Station.code)))


def _station_choices() -> list:
    return choices([("", "全部站点"), *((str(s.id), s.name) for s in _stations())])


def _current_policy():
    row = service.current_policy_row()
    return service.policy_of(row) if row is not None else None


# --- a station's period ---------------------------------------------------------------------


@bp.route("/evaluations/station")
@managers
def station():
    stations = _stations()
    if not can(current_user, Permission.SEE_ALL_STATIONS):
        chosen = current_user.station
    else:
        wanted = request.args.get("station", "")
        chosen = next((s for s in stations if str(s.id) == wanted), None)
        if wanted and chosen is None:
            abort(404)
        chosen = chosen or (stations[0] if stations else None)
    period = period_arg(_current_policy())
    rows = service.current_revisions(period, station_id=chosen.id) if chosen else []
    previous_key = shift_period(parse_period_key(period), -1).key
    previous = {e.user_id: e.total for e in service.current_revisions(
        previous_key, user_ids=[e.user_id for e in rows])} if rows else {}
    at = now()
    # A head's own evaluation is not his to review: it does not count in his station's figures.
    own = [e for e in rows if can(current_user, Permission.REVIEW_EVALUATION, e)] \
        if not can(current_user, Permission.SEE_ALL_STATIONS) else rows
    counts = service.status_counts(own, at)
    evaluated_ids = {e.user_id for e in rows}
    not_computed = [] if chosen is None else [
        u for u in db.session.scalars(select(User).where(
            User.station_id == chosen.id, User.active.is_(True),
            User.role.in_(service.EVALUATED_ROLES), User.post.is_not(None))
            .order_by(User.employee_no)) if u.id not in evaluated_ids]
    pending_records = [r for r in service_records.station_records(
        chosen.id, parse_period_key(period)) if r.status == RECORD_PENDING] if chosen else []
    return render_template(
        "evaluations/station.html", station=chosen, stations=stations, period=period,
        period_label=parse_period_key(period).label, rows=own, counts=counts,
        attention=pages.needs_attention(own, previous, at),
        chart=pages.distribution(f"{parse_period_key(period).label}等级分布", own),
        status_of=service.status_at, labels=lifecycle.SHORT_LABELS,
        status_labels=lifecycle.STATUS_LABELS, scores=pages.component_scores,
        components=COMPONENT_LABELS, not_computed=not_computed,
        pending_records=pending_records, kinds=EVENT_LABELS,
        waiting_reviews=_waiting_reviews(), periods=service.known_periods(),
        appeals=[e for e in own if service.status_at(e, at) == lifecycle.APPEALED],
        drafts=[e for e in own if e.status == lifecycle.DRAFT])


def _waiting_reviews() -> int:
    from trainer.station import reviews

    return len(reviews.queue(current_user))


# --- HR: every station ---------------------------------------------------------------------


@bp.route("/evaluations")
@office
def hr():
    policy = _current_policy()
    period = period_arg(policy)
    rows = service.current_revisions(period)
    at = now()
    by_station: dict[int | None, list] = {}
    for evaluation in rows:
        by_station.setdefault(evaluation.station_id, []).append(evaluation)
    stations = _stations()
    table = [(s, service.status_counts(by_station.get(s.id, []), at), len(by_station.get(s.id, [])))
             for s in stations]
    # Prefixes keep the three forms' field ids apart on one page.
    compute_form = PeriodForm(prefix="compute")
    finalize_form = PeriodForm(prefix="final")
    export_form = ExportForm(prefix="export")
    for form in (compute_form, finalize_form, export_form):
        form.period.data = period
        form.station.choices = _station_choices()
    final, open_rows = exports.payroll_selection(period)
    return render_template(
        "evaluations/hr.html", period=period, period_label=parse_period_key(period).label,
        table=table, totals=service.status_counts(rows, at), statuses=lifecycle.STATUSES,
        labels=lifecycle.SHORT_LABELS, status_labels=lifecycle.STATUS_LABELS,
        appeals=[e for e in rows if e.status == lifecycle.APPEALED],
        chart=pages.distribution(f"{parse_period_key(period).label}全部站点等级分布", rows),
        compute_form=compute_form, finalize_form=finalize_form, export_form=export_form,
        final_count=len(final), open_count=len(open_rows), periods=service.known_periods(),
        policy_row=service.current_policy_row(),
        settle_refusal=service.settle_refusal(period, "发布、定稿或导出", at),
        override=service.period_override(period), override_form=OverrideForm())


def _period_station(form: PeriodForm) -> tuple[str, int | None] | None:
    """The form's period and station, or None after flashing why not."""
    form.station.choices = _station_choices()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return None
    try:
        period = service.parse_period(form.period.data).key
    except service.EvaluationError as error:
        flash(str(error), "error")
        return None
    station_text = form.station.data or ""
    if station_text and station_text not in {str(s.id) for s in _stations()}:
        flash("没有这个站点", "error")
        return None
    return period, int(station_text) if station_text else None


@bp.route("/evaluations/compute", methods=["POST"])
@requires(Permission.COMPUTE_EVALUATIONS)
def compute():
    return _for_period("compute", lambda period, station_id: service.compute_period(
        period, current_user, station_id=station_id).message)


@bp.route("/evaluations/finalize", methods=["POST"])
@requires(Permission.FINALIZE_EVALUATION)
def finalize_bulk():
    return _for_period("final", lambda period, station_id: service.finalize_many(
        period, current_user, station_id=station_id).message)


def _for_period(prefix: str, action):
    """Run a period-wide step from the HR page's form; commit it or say why not."""
    chosen = _period_station(PeriodForm(prefix=prefix))
    if chosen is None:
        return redirect(url_for("evaluations.hr"), code=303)
    period, station_id = chosen
    unit_of_work(lambda: action(period, station_id), done=lambda message: message,
                 conflict=CONFLICT)
    return redirect(url_for("evaluations.hr", period=period), code=303)


@bp.route("/evaluations/periods/<period_key>/override", methods=["POST"])
@requires(Permission.SETTLE_PERIOD_EARLY)
def override(period_key: str):
    """HR settles a period before it ends, with a written reason."""
    form = OverrideForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("evaluations.hr", period=period_key), code=303)
    outcome = unit_of_work(
        lambda: service.override_period(period_key, current_user, form.reason.data),
        conflict="另一位同事刚刚记录了提前结算的决定,请刷新页面。",
        done=lambda row: f"已记录提前结算的决定:{parse_period_key(row.period).label}"
                         f"现在可以发布、定稿和导出。")
    if not outcome.ok:
        return redirect(url_for("evaluations.hr", period=period_key), code=303)
    return redirect(url_for("evaluations.hr", period=outcome.value.period), code=303)


@bp.route("/evaluations/export", methods=["POST"])
@requires(Permission.EXPORT_PAYROLL)
def export():
    form = ExportForm(prefix="export")
    chosen = _period_station(form)
    if chosen is None:
        return redirect(url_for("evaluations.hr"), code=303)
    period, station_id = chosen
    outcome = unit_of_work(lambda: exports.export_payroll(period, current_user,
                                                          form.file_format.data, station_id))
    if not outcome.ok:
        return redirect(url_for("evaluations.hr", period=period), code=303)
    made = outcome.value
    return send_file(io.BytesIO(made.content), mimetype=made.mimetype, as_attachment=True,
                     download_name=made.filename, max_age=0)


@bp.route("/evaluations/exports")
@office
def export_list():
    rows = exports.export_history()
    people = {u.id: u.name for u in db.session.scalars(
        select(User).where(User.id.in_({r.created_by_id for r in rows if r.created_by_id})))}
    stations = {s.id: s.name for s in _stations()}
    return render_template("evaluations/exports.html", rows=rows, people=people,
                           stations=stations)


# --- the policy -----------------------------------------------------------------------------


@bp.route("/evaluations/policy")
@office
def policy():
    rows = service.policy_versions()
    people = {u.id: u.name for u in db.session.scalars(
        select(User).where(User.id.in_({r.created_by_id for r in rows if r.created_by_id})))}
    current = rows[0] if rows else None
    return render_template(
        "evaluations/policy.html", rows=rows, people=people, current=current,
        policy=service.policy_of(current) if current else Policy(), shown=current)


@bp.route("/evaluations/policy/versions/<int:version>")
@office
def policy_version(version: int):
    row = db.session.scalar(select(EvaluationPolicy).where(EvaluationPolicy.version == version))
    if row is None:
        abort(404)
    rows = service.policy_versions()
    people = {u.id: u.name for u in db.session.scalars(
        select(User).where(User.id.in_({r.created_by_id for r in rows if r.created_by_id})))}
    return render_template(
        "evaluations/policy.html", rows=rows, people=people, current=rows[0],
        policy=service.policy_of(row), shown=row)


@bp.route("/evaluations/policy/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_POLICY)
def policy_edit():
    form = PolicyForm()
    problems: list[str] = []
    if request.method == "GET":
        current = service.policy_of(service.current_policy_row()) \
            if service.current_policy_row() else Policy()
        form.fill(current)
        bands = band_rows(None, current)
    else:
        bands = band_rows(request.form)
        if form.validate_on_submit():
            outcome = unit_of_work(
                lambda: service.save_policy(policy_settings(form, bands), current_user,
                                            form.reason.data),
                conflict="另一位同事刚刚保存了新版本,请刷新页面后再修改。", flashes=False)
            if not outcome.ok:
                problems = outcome.refused.message.split(";")
            else:
                row = outcome.value
                if row is None:
                    flash("考核政策没有变化,未新建版本。", "warning")
                else:
                    flash(f"已保存为第 {row.version} 版考核政策。之后计算的考核使用新版本,"
                          f"已有的考核结果保留各自使用的版本。", "success")
                return redirect(url_for("evaluations.policy"), code=303)
        else:
            problems = [str(e) for errors in form.errors.values() for e in errors]
    return render_template("evaluations/policy_edit.html", form=form, bands=bands,
                           problems=problems), (400 if problems else 200)
