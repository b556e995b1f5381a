"""Content admin pages: modules, items with their sources, and grader calibration."""

from flask import abort, render_template, request
from flask_login import current_user

from trainer.admin import content_service as service
from trainer.admin.blueprint import bp
from trainer.admin.forms import CalibrationForm, TrialForm
from trainer.auth.access import Permission, requires
from trainer.ids import parse_id
from trainer.library import get_library
from trainer.models import Station

content_admin = requires(Permission.MANAGE_CONTENT)


@bp.route("/admin/content")
@content_admin
def content_modules():
    library = get_library()
    return render_template("admin/content_modules.html", library=library)


@bp.route("/admin/content/<module_id>")
@content_admin
def content_module(module_id: str):
    library = get_library()
    try:
        module = library.module(module_id)
    except KeyError:
        abort(404)
    return render_template("admin/content_module.html", module=module, library=library)


@bp.route("/admin/content/items/<item_id>", methods=["GET", "POST"])
@content_admin
def content_item(item_id: str):
    library = get_library()
    try:
        item = library.item(item_id)
    except KeyError:
        abort(404)
    specs = service.gradable_specs(item)
    selected = service.spec_for(item, request.values.get("spec", "")) or (specs[0] if specs else None)
    station = _station()
    station_values = station.phrase_values() if station else service.SAMPLE_STATION
    trial_form, upload_form = TrialForm(prefix="t"), CalibrationForm(prefix="c")
    values = result = report = None
    problems: list = []
    if selected is not None:
        values = {name: request.form.get(f"v-{name}", "").strip()
                  for name in selected.spec.placeholders} if request.method == "POST" else {}
        if not all(values.values()) or not values:
            values = service.sample_values(selected.spec, station_values)
        if request.form.get("action") == "trial" and trial_form.validate_on_submit():
            result = service.trial(library, selected.spec, trial_form.answer.data, values)
        elif request.form.get("action") == "calibrate" and upload_form.validate_on_submit():
            report, problems = service.calibrate_upload(
                library, selected.spec, upload_form.file.data.read(), station_values)
    return render_template(
        "admin/content_item.html", item=item, module=library.module_of(item_id), specs=specs,
        selected=selected, values=values, result=result, report=report, problems=problems,
        trial_form=trial_form, upload_form=upload_form, station=station,
    )


def _station() -> Station | None:
    from trainer.extensions import db

    station_id = request.values.get("station", type=parse_id)
    if station_id:
        return db.session.get(Station, station_id)
    return current_user.station
