"""Certificate pages: public verification, downloads, the list and exports for HR, renewals,
and suspending, lifting, revoking, re-issuing and renewing one certificate."""

from __future__ import annotations

import io
from datetime import timedelta

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
    Permission,
    can,
    login_required,
    managers,
    public,
    requires,
    visible_stations,
)
from trainer.certificates import bp, exports, issuers, service
from trainer.certificates.bundle import zip_entry_name
from trainer.certificates.fonts import CertificateFontError
from trainer.certificates.forms import (
    ConfirmForm,
    ExportForm,
    FilterForm,
    HolderForm,
    LiftForm,
    ReasonForm,
    VerifyForm,
)
from trainer.certificates.numbering import parse_number
from trainer.certificates.render import render_pdf
from trainer.extensions import db, limiter
from trainer.forms import flash_form_errors
from trainer.models import POSTS, Certificate, Station
from trainer.timeutil import today
from trainer.web import unit_of_work

LIST_LIMIT = 500


def public_base_url() -> str:
    """Where the public reaches this site: PUBLIC_BASE_URL, else the address of the request."""
    return current_app.config.get("PUBLIC_BASE_URL") or request.url_root


@bp.context_processor
def _base_url_warning() -> dict:
    """HR (and admin) see on every certificate page why the QR codes' address is wrong."""
    if not can(current_user, Permission.SEE_ALL_STATIONS):
        return {"base_url_warning": None}
    return {"base_url_warning": service.base_url_problem(
        current_app.config.get("PUBLIC_BASE_URL"))}


def renewal_days() -> int:
    return int(current_app.config.get("CERTIFICATE_RENEWAL_DAYS", service.DEFAULT_RENEWAL_DAYS))


def _visible_or_404(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not can(current_user, Permission.VIEW_RECORD, certificate):
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
        return _not_found(form.number.data)
    return render_template("certificates/verify.html", form=form, view=None, searched=False)


def _not_found(typed: str):
    form = VerifyForm(data={"number": typed[:40]})
    return render_template("certificates/verify.html", form=form, view=None,
                           typed=typed[:40], searched=True), 404


def _show(certificate: Certificate, *, masked: bool, holder_form=None, status: int = 200):
    response = current_app.make_response((render_template(
        "certificates/verify.html", form=VerifyForm(data={"number": certificate.number}),
        view=service.public_view(certificate, masked=masked), searched=True,
        holder_form=holder_form), status))
    # The state can change any moment (suspension, revocation): never show a cached answer.
    response.headers["Cache-Control"] = "no-store"
    return response


def _holder_limit() -> str:
    return current_app.config["VERIFY_HOLDER_LIMIT"]


def _holder_key() -> str:
    # Wrong employee numbers per certificate, from any address: numbers are sequential, so
    # without this anybody could try them all for one certificate from many addresses.
    return "verify-holder:" + (request.view_args or {}).get("number", "")[:40]


@bp.route("/verify/<number>", methods=["GET", "POST"])
@limiter.limit(_verify_limit)
@limiter.limit(_holder_limit, key_func=_holder_key, methods=["POST"],
               deduct_when=lambda response: response.status_code != 200)
@public
def verify(number: str):
    """Found by its printed number: the masked record; with the holder's 工号, the full one."""
    certificate = service.find_by_number(number)
    if certificate is None:
        return _not_found(number)
    if certificate.number != number:
        return redirect(url_for("certificates.verify", number=certificate.number))
    form = HolderForm()
    if request.method == "POST":
        if form.validate_on_submit() and service.holder_matches(certificate,
                                                                form.employee_no.data):
            return _show(certificate, masked=False)
        form.employee_no.errors = ["工号与证书不符,请核对后再试"]
        return _show(certificate, masked=True, holder_form=form, status=422)
    return _show(certificate, masked=True, holder_form=form)


@bp.route("/v/<token>")
@limiter.limit(_verify_limit)
@public
def verify_token(token: str):
    """The QR code's link: the random token shows the full record."""
    certificate = service.find_by_token(token)
    if certificate is None:
        return _not_found("")
    return _show(certificate, masked=False)


# --- one certificate --------------------------------------------------------------------------


@bp.route("/certificates/<int:certificate_id>")
@login_required
def detail(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    replaced = db.session.get(Certificate, certificate.replaces_id) if certificate.replaces_id else None
    suspension = service.suspension_of(certificate)
    return render_template(
        "certificates/detail.html", certificate=certificate,
        status=service.status_of(certificate), status_label=service.status_label(certificate),
        replaced=replaced, successor=service.successor(certificate), renewal_days=renewal_days(), today=today(), posts=POSTS,
        reason_form=ReasonForm(), lift_form=LiftForm(), confirm_form=ConfirmForm(),
        history=service.status_history(certificate), suspension=suspension,
        verify_url=service.verify_url(certificate.verify_token, public_base_url()))


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
    """The signed Open Badges 3.0 credential (its issuer is created on first use)."""
    certificate = _visible_or_404(certificate_id)
    credential = issuers.signed_badge(certificate, public_base_url(),
                                      current_app.config["SECRET_KEY"])
    db.session.commit()
    response = jsonify(credential)
    response.mimetype = "application/ld+json"
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.number}.json"'
    return response


def _status_change(certificate_id: int, form, change, done: str, permission: Permission):
    certificate = _visible_or_404(certificate_id)
    if not can(current_user, permission, certificate):
        abort(404)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    unit_of_work(lambda: change(certificate, current_user, form.reason.data or ""), done=done)
    return redirect(url_for("certificates.detail", certificate_id=certificate.id))


@bp.route("/certificates/<int:certificate_id>/suspend", methods=["POST"])
@requires(Permission.CHANGE_CERTIFICATE)
def suspend(certificate_id: int):
    return _status_change(certificate_id, ReasonForm(), service.suspend,
                          "证书已暂停:持证人暂不能上岗,解除暂停后恢复。",
                          Permission.CHANGE_CERTIFICATE)


@bp.route("/certificates/<int:certificate_id>/lift", methods=["POST"])
@requires(Permission.LIFT_SUSPENSION)
def lift(certificate_id: int):
    # The certificate's station decides whether it is found at all; who imposed the
    # suspension decides, in the service, whether this person may lift it (with the reason).
    return _status_change(certificate_id, LiftForm(), service.lift, "已解除暂停,证书恢复有效。",
                          Permission.CHANGE_CERTIFICATE)


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@requires(Permission.CHANGE_CERTIFICATE)
def revoke(certificate_id: int):
    return _status_change(certificate_id, ReasonForm(), service.revoke,
                          "证书已撤销。编号和核验页面保留,核验时显示“已撤销”。",
                          Permission.CHANGE_CERTIFICATE)


def _follow_up(certificate_id: int, action):
    certificate = _visible_or_404(certificate_id)
    if not can(current_user, Permission.RENEW_CERTIFICATE, certificate):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    outcome = unit_of_work(
        lambda: action(certificate, current_user, renewal_days=renewal_days(),
                       valid_months=int(current_app.config["CERTIFICATE_VALID_MONTHS"])),
        done=lambda new: f"已发新证书 {new.number},原证书 {certificate.number} 保留。")
    shown = outcome.value if outcome.ok else certificate
    return redirect(url_for("certificates.detail", certificate_id=shown.id))


@bp.route("/certificates/<int:certificate_id>/reissue", methods=["POST"])
@requires(Permission.RENEW_CERTIFICATE)
def reissue(certificate_id: int):
    return _follow_up(certificate_id, service.reissue)


@bp.route("/certificates/<int:certificate_id>/renew", methods=["POST"])
@requires(Permission.RENEW_CERTIFICATE)
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
        soon=today() + timedelta(days=renewal_days()),
        can_export=can(current_user, Permission.EXPORT_CERTIFICATES))


@bp.route("/certificates/renewals")
@managers
def renewals():
    days = renewal_days()
    return render_template("certificates/renewals.html",
                           rows=service.expiring(current_user, days), days=days, today=today(),
                           status_label=service.status_label)


# --- exports ----------------------------------------------------------------------------------


@bp.route("/certificates/exports", methods=["POST"])
@requires(Permission.EXPORT_CERTIFICATES)
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
@requires(Permission.EXPORT_CERTIFICATES)
def export_page(job_id: str):
    job = _job_or_404(job_id)
    stations = {i: n for i, n in db.session.execute(select(Station.id, Station.name))}
    statuses = dict(service.STATUS_CHOICES)

    def filter_value(key: str, value):
        # Labels, never the stored codes ("状态 active" was shown before).
        if key == "station_id":
            return stations.get(value, value)
        if key == "status":
            return statuses.get(value, value)
        if key == "post":
            return POSTS.get(value, value)
        return value

    return render_template("certificates/export.html", job=job, formats=exports.FORMATS,
                           filter_labels=EXPORT_FILTER_LABELS, filter_value=filter_value)


EXPORT_FILTER_LABELS = {"station_id": "站点", "post": "岗位", "issued_from": "发证从",
                        "issued_to": "发证至", "status": "状态", "search": "搜索"}


@bp.route("/certificates/exports/<job_id>/status")
@requires(Permission.EXPORT_CERTIFICATES)
def export_status(job_id: str):
    job = exports.load_job(job_id)
    if job is None:
        return jsonify(error="找不到这次导出。", code="not_found"), 404
    data = job.as_json()
    data["download"] = (url_for("certificates.export_download", job_id=job.id)
                        if job.state == exports.DONE else None)
    return jsonify(data)


@bp.route("/certificates/exports/<job_id>/download")
@requires(Permission.EXPORT_CERTIFICATES)
def export_download(job_id: str):
    job = _job_or_404(job_id)
    path = exports.file_path(job)
    if job.state != exports.DONE or not path.is_file():
        flash("导出文件尚未完成或已被清理,请重新导出。", "error")
        return redirect(url_for("certificates.export_page", job_id=job.id))
    mimetype = "application/zip" if job.format == "zip" else "application/pdf"
    return send_file(path, mimetype=mimetype, as_attachment=True,
                     download_name=job.download_name, max_age=0)
