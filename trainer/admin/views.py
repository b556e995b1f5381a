import json
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from trainer import todo
from trainer.admin import bp, importing, service
from trainer.admin.forms import ConfirmForm, HeadStaffForm, ImportForm, StaffForm, StationForm
from trainer.auth.access import (
    Permission,
    RoleChange,
    admin_only,
    can,
    hr_only,
    login_required,
    managers,
    requires,
    station_or_404,
    user_or_404,
)
from trainer.auth.service import code_hours
from trainer.extensions import db
from trainer.forms import choices
from trainer.ids import parse_id
from trainer.library import rule_set_choices
from trainer.models import POSTS, ROLES, Station, User
from trainer.web import unit_of_work


@bp.route("/admin")
@admin_only
def home():
    return render_template("admin/home.html", counts=_counts(), todo=_todo())


@bp.route("/hr")
@hr_only
def hr_home():
    return render_template("admin/hr_home.html", counts=_counts(), todo=_todo())


def _todo() -> list:
    return todo.todos(current_user, int(current_app.config["CERTIFICATE_RENEWAL_DAYS"]))


def _counts() -> dict:
    return {
        "stations": db.session.scalar(select(func.count(Station.id))),
        "staff": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
    }


# --- stations -----------------------------------------------------------------------------


@bp.route("/admin/stations")
@requires(Permission.MANAGE_STATIONS)
def stations():
    rows = service.stations_for_choice()
    return render_template("admin/stations.html", stations=rows)


@bp.route("/admin/stations/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_STATIONS)
def station_new():
    return _station_form(None)


@bp.route("/admin/stations/<int:station_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_STATIONS)
def station_edit(station_id: int):
    return _station_form(station_or_404(current_user, station_id))


def _station_form(station: Station | None):
    form = StationForm(obj=station)
    form.rule_set.choices = choices([("", "(通用标准)"), *rule_set_choices()])
    if request.method == "GET" and station is not None:
        form.rule_set.data = station.rule_set or ""
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in service.STATION_FIELDS}
        outcome = unit_of_work(lambda: service.save_station(current_user, station, data),
                               form=form, done=lambda saved: f"站点 {saved.name} 已保存。")
        if outcome.ok:
            return redirect(url_for("admin.stations"))
    return render_template("admin/station_form.html", form=form, station=station)


# --- staff --------------------------------------------------------------------------------


@bp.route("/staff")
@managers
def staff_list():
    filters = service.StaffFilter(
        station_id=request.args.get("station", type=parse_id),
        post=request.args.get("post") or None,
        role=request.args.get("role") or None,
        active={"1": True, "0": False}.get(request.args.get("active", "")),
        search=request.args.get("q", ""),
        uncertified=request.args.get("uncertified") == "1",
    )
    people = service.list_staff(current_user, filters)
    stations = service.stations_for_choice() if can(current_user, Permission.SEE_ALL_STATIONS) \
        else []
    return render_template(
        "admin/staff_list.html", people=people, filters=filters, stations=stations,
        posts=POSTS, roles=ROLES,
    )


@bp.route("/staff/<int:user_id>")
@login_required
def staff_detail(user_id: int):
    person = user_or_404(current_user, user_id)
    return render_template(
        "admin/staff_detail.html", person=person)


@bp.route("/staff/new", methods=["GET", "POST"])
@requires(Permission.CREATE_USER)
def staff_new():
    form = _staff_form(None)
    if form.validate_on_submit():
        data = _form_data(form)
        outcome = unit_of_work(lambda: service.create_user(current_user, data), form=form)
        if outcome.ok:
            return render_template("admin/password_once.html", people=[outcome.value],
                                   hours=code_hours())
    return render_template("admin/staff_form.html", form=form, person=None)


@bp.route("/staff/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_USER)
def staff_edit(user_id: int):
    person = user_or_404(current_user, user_id)
    if not can(current_user, Permission.EDIT_USER, person):
        abort(403)
    form = _staff_form(person)
    if form.validate_on_submit():
        outcome = unit_of_work(lambda: service.update_user(current_user, person, _form_data(form)),
                               form=form, done=lambda saved: f"{saved.name} 的资料已保存。")
        if outcome.ok:
            return redirect(url_for("admin.staff_detail", user_id=person.id))
    return render_template("admin/staff_form.html", form=form, person=person)


@bp.route("/staff/<int:user_id>/reset-password", methods=["POST"])
@requires(Permission.RESET_PASSWORD)
def staff_reset_password(user_id: int):
    person = user_or_404(current_user, user_id)
    outcome = unit_of_work(lambda: service.reset_password(current_user, person))
    if not outcome.ok:
        return redirect(url_for("admin.staff_detail", user_id=person.id))
    return render_template("admin/password_once.html", people=[(person, outcome.value)],
                           reset=True, hours=code_hours())


def _staff_form(person: User | None) -> StaffForm | HeadStaffForm:
    if person is not None and not can(current_user, Permission.EDIT_ACCOUNT, person):
        form = HeadStaffForm(obj=person)
        if request.method == "GET":
            form.post.data = person.post or ""
        return form
    form = StaffForm(obj=person)
    stations = [(s.id, f"{s.code} {s.name}") for s in service.stations_for_choice()]
    form.station_id.choices = choices([(0, "(无)"), *stations])
    form.role.choices = [c for c in form.role.choices
                         if can(current_user, Permission.GRANT_ROLE, RoleChange(person, c.value))]
    if request.method == "GET" and person is not None:
        form.station_id.data = person.station_id or 0
        form.post.data = person.post or ""
    return form


def _form_data(form) -> dict:
    data = {name: getattr(form, name).data for name in service.USER_FIELDS if hasattr(form, name)}
    if "station_id" in data:
        data["station_id"] = data["station_id"] or None
    return data


# --- import -------------------------------------------------------------------------------


def _pending_dir() -> Path:
    return Path(current_app.instance_path) / "imports"


@bp.route("/staff/import", methods=["GET", "POST"])
@requires(Permission.IMPORT_STAFF)
def staff_import():
    form = ImportForm()
    preview = token = error = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            table = importing.read_table(upload.filename or "", upload.read())
            preview = importing.check_rows(table)
        except importing.ImportFileError as exc:
            error = str(exc)
        else:
            if preview.valid:
                token = importing.save_pending(
                    _pending_dir(), current_user.id, upload.filename or "", table,
                    plan=preview.plan())
    return render_template(
        "admin/staff_import.html", form=form, preview=preview, token=token, error=error,
        confirm=ConfirmForm(token=token) if token else None, posts=POSTS, roles=ROLES,
    )


@bp.route("/staff/import/confirm", methods=["POST"])
@requires(Permission.IMPORT_STAFF)
def staff_import_confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("导入已失效,请重新上传文件。", "error")
        return redirect(url_for("admin.staff_import"))

    def import_all():
        filename, table = importing.load_pending(_pending_dir(), current_user.id,
                                                 form.token.data)
        # Check again: somebody may have changed one of these people since the preview;
        # then nothing is applied that the preview did not show.
        preview = importing.check_rows(table)
        if json.loads(json.dumps(preview.plan())) != importing.pending_plan(
                _pending_dir(), form.token.data):
            raise importing.ImportFileError("预览之后人员资料有变化,请重新上传文件核对")
        return importing.apply_import(current_user, preview, filename)

    outcome = unit_of_work(import_all, flashes=False)
    if not outcome.ok:
        flash(f"{outcome.refused.message}(未导入任何人员)", "error")
        return redirect(url_for("admin.staff_import"))
    importing.discard_pending(_pending_dir(), form.token.data)
    result = outcome.value
    return render_template("admin/password_once.html", people=result.created, imported=True,
                           updated=result.updated, deactivated=result.deactivated,
                           hours=code_hours())


@bp.route("/staff/import/template.csv")
@requires(Permission.IMPORT_STAFF)
def staff_import_template():
    body = "\ufeff" + ",".join(importing.TEMPLATE_HEADER) + "\r\n"
    body += "KL101,张三,13800138000,KL01,加气员,员工,2024-03-01,是\r\n"
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=staff-template.csv"},
    )
