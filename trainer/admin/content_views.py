"""Content admin pages: modules, items with their sources, and grader calibration."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.admin import content_corrections
from trainer.admin import content_service as service
from trainer.admin.blueprint import bp
from trainer.admin.forms import CalibrationForm, CorrectionForm, TrialForm
from trainer.auth.access import Permission, requires
from trainer.ids import parse_id
from trainer.library import content_corrected, get_library
from trainer.models import Station
from trainer.web import unit_of_work

ITEM_TYPES = {"card": "学习卡片", "phrase": "服务用语", "dialogue": "情景对话", "single": "单选题",
              "multiple": "多选题", "truefalse": "判断题", "ordering": "排序题", "fill": "填空题",
              "checklist": "检查表", "drill": "操作计时"}

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


def _item_or_404(library, item_id: str):
    try:
        return library.item(item_id)
    except KeyError:
        abort(404)


@bp.route("/admin/content/items/<item_id>", methods=["GET", "POST"])
@content_admin
def content_item(item_id: str):
    library = get_library()
    item = _item_or_404(library, item_id)
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
        trial_form=trial_form, upload_form=upload_form, station=station, item_types=ITEM_TYPES,
        editable=content_corrections.section_of(item) is not None,
        disagreement=content_corrections.disagreement(item.id),
        corrections=content_corrections.history(item.id),
    )


@bp.route("/admin/content/items/<item_id>/edit", methods=["GET", "POST"])
@content_admin
def content_edit(item_id: str):
    library = get_library()
    item = _item_or_404(library, item_id)
    if content_corrections.section_of(item) is None:
        abort(404)
    form = CorrectionForm()
    current = content_corrections.current_fields(item)
    if request.method == "GET":
        form.status.data = current["status"]
        form.expected.data = "\n".join(current.get("expected", []))
        form.key_points.data = "\n".join(" / ".join(p) for p in current.get("key_points", []))
        form.explanation.data = current.get("explanation", "")
        form.title.data = current.get("title", "")
        form.body.data = current.get("body", "")
        form.prompt.data = current.get("prompt", "")
    elif form.validate_on_submit():
        fields = content_corrections.fields_from_form(item, request.form)
        outcome = unit_of_work(
            lambda: content_corrections.save_correction(
                current_user, current_app.config["CONTENT_DIR"], library, item, fields,
                form.reason.data),
            form=form, done="修改已保存并生效(内容检查通过),已记入审计日志。")
        if outcome.ok:
            content_corrected(current_app)
            return redirect(url_for("admin.content_item", item_id=item.id))
    return render_template("admin/content_edit.html", item=item, form=form,
                           module=library.module_of(item_id), editable=list(current))


def _station() -> Station | None:
    from trainer.extensions import db

    station_id = request.values.get("station", type=parse_id)
    if station_id:
        return db.session.get(Station, station_id)
    return current_user.station
