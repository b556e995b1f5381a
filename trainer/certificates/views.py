"""Certificate pages: public verification, downloads, the list and exports for HR, renewals,
and suspending, lifting, revoking, re-issuing and renewing one certificate."""

from __future__ import annotations

import io

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from trainer.auth.access import (
    login_required,
    managers,
    office,
    public,
    roles_required,
    visible_stations,
)
from trainer.certificates import bp, exports, service
from trainer.certificates.badges import badge_json
from trainer.certificates.bundle import zip_entry_name
from trainer.certificates.fonts import CertificateFontError
from trainer.certificates.forms import (
    ConfirmForm,
    ExportForm,
    FilterForm,
    LiftForm,
    ReasonForm,
    VerifyForm,
)
from trainer.certificates.numbering import parse_number
from trainer.certificates.render import render_pdf
from trainer.extensions import db, limiter
from trainer.forms import flash_form_errors
from trainer.models import POSTS, Certificate, Role, Station
from trainer.timeutil import today

LIST_LIMIT = 500


def public_base_url() -> str:
    """Where the public reaches this site: PUBLIC_BASE_URL, else the address of the request."""
    return current_app.config.get("PUBLIC_BASE_URL") or request.url_root


@bp.context_processor
def _base_url_warning() -> dict:
    """HR (and admin) see on every certificate page why the QR codes' address is wrong."""
    if not current_user.is_authenticated or current_user.role not in (Role.HR, Role.ADMIN):
        return {"base_url_warning": None}
    return {"base_url_warning": service.base_url_problem(
        current_app.config.get("PUBLIC_BASE_URL"))}


def renewal_days() -> int:
    return int(current_app.config.get("CERTIFICATE_RENEWAL_DAYS", service.DEFAULT_RENEWAL_DAYS))


def _visible_or_404(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not service.may_view(current_user, certificate):
        abort(404)
    return certificate


# --- public verification ----------------------------------------------------------------------


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@bp.route("/verify")
@limiter.limit(_verify_limit)
@public
def verify_form():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        number = parse_number(form.number.data)
        if number is not None:
            return redirect(url_for("certificates.verify", number=number))
        return render_template("certificates/verify.html", form=form, view=None,
                               typed=form.number.data, searched=True), 404
    return render_template("certificates/verify.html", form=form, view=None, searched=False)


@bp.route("/verify/<number>")
@limiter.limit(_verify_limit)
@public
def verify(number: str):
    certificate = service.find_by_number(number)
    if certificate is None:
        form = VerifyForm(data={"number": number[:40]})
        return render_template("certificates/verify.html", form=form, view=None,
                               typed=number[:40], searched=True), 404
    if certificate.number != number:
        return redirect(url_for("certificates.verify", number=certificate.number))
    view = service.public_view(certificate)
    response = current_app.make_response(render_template(
        "certificates/verify.html", form=VerifyForm(data={"number": certificate.number}),
        view=view, searched=True))
    # The state can change any moment (suspension, revocation): never show a cached answer.
    response.headers["Cache-Control"] = "no-store"
    return response


# --- one certificate --------------------------------------------------------------------------


@bp.route("/certificates/<int:certificate_id>")
@login_required
def detail(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    replaced = db.session.get(Certificate, certificate.replaces_id) if certificate.replaces_id else None
    can_change = (current_user.role != Role.STAFF
                  and service.may_change_status(current_user, certificate))
    suspension = service.suspension_of(certificate)
    return render_template(
        "certificates/detail.html", certificate=certificate,
        status=service.status_of(certificate), status_label=service.status_label(certificate),
        replaced=replaced, successor=service.successor(certificate), can_change=can_change,
        is_head=current_user.role == Role.HEAD and current_user.station_id == certificate.station_id,
        renewal_days=renewal_days(), today=today(), posts=POSTS,
        reason_form=ReasonForm(), lift_form=LiftForm(), confirm_form=ConfirmForm(),
        history=service.status_history(certificate), suspension=suspension,
        may_lift=service.may_lift_suspension(current_user, certificate),
        verify_url=service.verify_url(certificate.number, public_base_url()))


@bp.route("/certificates/<int:certificate_id>/pdf")
@login_required
def pdf(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    document = service.document_for(certificate, public_base_url())
    try:
        data = render_pdf(document, font_path=current_app.config.get("CERTIFICATE_FONT") or None)
    except CertificateFontError as error:
        flash(str(error), "error")
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=zip_entry_name(document), max_age=0)


@bp.route("/certificates/<int:certificate_id>/badge.json")
@login_required
def badge(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    base = public_base_url()
    document = service.document_for(certificate, base)
    issuer = document.company_name or document.station_name
    credential = badge_json(
        document, issuer_name=issuer, issuer_url=base.rstrip("/") + "/",
        credential_url=url_for("certificates.badge", certificate_id=certificate.id,
                               _external=True))
    response = jsonify(credential)
    response.mimetype = "application/ld+json"
    name = document.number
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


def _status_change(certificate_id: int, form, change, done: str):
    certificate = _visible_or_404(certificate_id)
    if not service.may_change_status(current_user, certificate):
        abort(404)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    try:
        change(certificate, current_user, form.reason.data or "")
    except service.CertificateError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("certificates.detail", certificate_id=certificate.id))


@bp.route("/certificates/<int:certificate_id>/suspend", methods=["POST"])
@managers
def suspend(certificate_id: int):
    return _status_change(certificate_id, ReasonForm(), service.suspend,
                          "证书已暂停:持证人暂不能上岗,解除暂停后恢复。")


@bp.route("/certificates/<int:certificate_id>/lift", methods=["POST"])
@managers
def lift(certificate_id: int):
    return _status_change(certificate_id, LiftForm(), service.lift, "已解除暂停,证书恢复有效。")


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@managers
def revoke(certificate_id: int):
    return _status_change(certificate_id, ReasonForm(), service.revoke,
                          "证书已撤销。编号和核验页面保留,核验时显示“已撤销”。")


def _follow_up(certificate_id: int, action):
    certificate = _visible_or_404(certificate_id)
    if current_user.station_id != certificate.station_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        new = action(certificate, current_user, renewal_days=renewal_days(),
                     valid_months=int(current_app.config["CERTIFICATE_VALID_MONTHS"]))
    except service.CertificateError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    db.session.commit()
    flash(f"已发新证书 {new.number},原证书 {certificate.number} 保留。", "success")
    return redirect(url_for("certificates.detail", certificate_id=new.id))


@bp.route("/certificates/<int:certificate_id>/reissue", methods=["POST"])
@roles_required(Role.HEAD)
def reissue(certificate_id: int):
    return _follow_up(certificate_id, service.reissue)


@bp.route("/certificates/<int:certificate_id>/renew", methods=["POST"])
@roles_required(Role.HEAD)
def renew(certificate_id: int):
    return _follow_up(certificate_id, service.renew)


# --- lists ------------------------------------------------------------------------------------


@bp.route("/certificates/mine")
@login_required
def mine():
    return render_template("certificates/mine.html",
                           certificates=service.certificates_of(current_user),
                           status_label=service.status_label, today=today())


def _filter_form(form_class=FilterForm, formdata=None):
    form = form_class(formdata)
    stations = db.session.scalars(visible_stations(current_user).order_by(Station.code))
    form.set_stations([(s.id, s.name) for s in stations])
    return form


@bp.route("/certificates")
@managers
def index():
    form = _filter_form(formdata=request.args)
    filters = form.to_filter() if form.validate() else service.CertificateFilter()
    if form.errors:
        flash("筛选条件有误,已显示全部证书:" + ";".join(
            e for errors in form.errors.values() for e in errors), "error")
    query = service.filtered_query(current_user, filters)
    total = service.count(query)
    rows = list(db.session.scalars(query.limit(LIST_LIMIT)))
    export_form = _filter_form(ExportForm, formdata=request.args)
    return render_template(
        "certificates/index.html", form=form, rows=rows, total=total, limit=LIST_LIMIT,
        status_label=service.status_label, export_form=export_form, today=today(),
        can_export=current_user.role in (Role.HR, Role.ADMIN))


@bp.route("/certificates/renewals")
@managers
def renewals():
    days = renewal_days()
    return render_template("certificates/renewals.html",
                           rows=service.expiring(current_user, days), days=days, today=today(),
                           status_label=service.status_label)


# --- exports ----------------------------------------------------------------------------------


@bp.route("/certificates/exports", methods=["POST"])
@office
def export_start():
    form = _filter_form(ExportForm, formdata=request.form)
    if not form.validate():
        flash_form_errors(form)
        return redirect(url_for("certificates.index"))
    job = exports.start_export(current_user, form.to_filter(), form.format.data,
                               public_base_url())
    return redirect(url_for("certificates.export_page", job_id=job.id))


def _job_or_404(job_id: str) -> exports.ExportJob:
    job = exports.load_job(job_id)
    if job is None:
        abort(404)
    return job


@bp.route("/certificates/exports/<job_id>")
@office
def export_page(job_id: str):
    job = _job_or_404(job_id)
    stations = {i: n for i, n in db.session.execute(select(Station.id, Station.name))}
    return render_template("certificates/export.html", job=job, stations=stations,
                           formats=exports.FORMATS)


@bp.route("/certificates/exports/<job_id>/status")
@office
def export_status(job_id: str):
    job = exports.load_job(job_id)
    if job is None:
        return jsonify(error="找不到这次导出。", code="not_found"), 404
    data = job.as_json()
    data["download"] = (url_for("certificates.export_download", job_id=job.id)
                        if job.state == exports.DONE else None)
    return jsonify(data)


@bp.route("/certificates/exports/<job_id>/download")
@office
def export_download(job_id: str):
    job = _job_or_404(job_id)
    path = exports.file_path(job)
    if job.state != exports.DONE or not path.is_file():
        flash("导出文件尚未完成或已被清理,请重新导出。", "error")
        return redirect(url_for("certificates.export_page", job_id=job.id))
    mimetype = "application/zip" if job.format == "zip" else "application/pdf"
    return send_file(path, mimetype=mimetype, as_attachment=True,
                     download_name=job.download_name, max_age=0)
