"""Assessment windows: list, create, edit, close (station heads: their station; HR: any)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer.auth.access import Permission, can, managers, requires
from trainer.extensions import db
from trainer.forms import choices
from trainer.ids import parse_id
from trainer.library import get_library
from trainer.models import Station
from trainer.models.assessment import GRADING_LABELS
from trainer.timeutil import now
from trainer.web import unit_of_work
from trainer.windows import service
from trainer.windows.blueprint import bp
from trainer.windows.forms import CloseForm, WindowForm

ALL_STATIONS = "all"


@bp.route("/windows")
@managers
def index():
    library = get_library()
    module_id = request.args.get("module") or None
    rows = service.list_windows(current_user, module_id=module_id)
    stations = {s.id: s.name for s in db.session.scalars(select(Station))}
    titles = {m.id: m.title for m in library.modules}
    return render_template(
        "windows/index.html", rows=rows, stations=stations, titles=titles, now=now(),
        gradings=GRADING_LABELS,
        attempts={w.id: service.attempts_in(w) for w in rows}, close_form=CloseForm(),
        modules=service.assessable_modules(library), module_id=module_id)


@bp.route("/windows/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_WINDOW)
def new():
    return _form(None)


@bp.route("/windows/<int:window_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_WINDOW)
def edit(window_id: int):
    return _form(_managed_window(window_id))


def _managed_window(window_id: int):
    """The window if the user may see it (404 otherwise) and manage it (403 otherwise)."""
    window = service.window_or_none(current_user, window_id)
    if window is None:
        abort(404)
    if not can(current_user, Permission.MANAGE_WINDOW, window):
        abort(403)
    return window


def _form(window):
    library = get_library()
    modules = service.assessable_modules(library)
    form = WindowForm(obj=window)
    form.module_id.choices = choices((m.id, m.title) for m in modules)
    all_stations = can(current_user, Permission.SEE_ALL_STATIONS)
    if all_stations:
        stations = db.session.scalars(select(Station).where(Station.active.is_(True))
                                      .order_by(Station.code))
        form.station.choices = choices([(ALL_STATIONS, "全部站点"),
                                        *((str(s.id), s.name) for s in stations)])
    else:
        del form.station
    if request.method == "GET":
        _fill_defaults(form, window, modules)
    if form.validate_on_submit():
        station_id = None
        if all_stations and form.station.data != ALL_STATIONS:
            station_id = parse_id(form.station.data) or -1
        data = service.WindowData(
            module_id=form.module_id.data, station_id=station_id,
            opens_at=form.opens_at.data, closes_at=form.closes_at.data,
            time_limit_minutes=form.time_limit_minutes.data,
            max_attempts=form.max_attempts.data, grading=form.grading.data)
        outcome = unit_of_work(
            lambda: service.save_window(current_user, window, data, library,
                                        form.reason.data or ""),
            done=lambda saved: f"考核安排已保存:{library.module(saved.module_id).title}")
        if outcome.ok:
            return redirect(url_for("windows.index"))
    return render_template("windows/form.html", form=form, window=window,
                           attempts=service.attempts_in(window) if window else 0,
                           station_name=None if all_stations else (
                               current_user.station.name if current_user.station else ""))


def _fill_defaults(form: WindowForm, window, modules) -> None:
    if window is not None:
        if "station" in form:
            form.station.data = str(window.station_id) if window.station_id else ALL_STATIONS
        return
    module = next((m for m in modules if m.id == request.args.get("module")), None) or (
        modules[0] if modules else None)
    if module is None:
        return
    defaults = service.defaults_for(module, current_user.station_id)
    form.module_id.data = module.id
    form.opens_at.data, form.closes_at.data = defaults.opens_at, defaults.closes_at
    form.time_limit_minutes.data = defaults.time_limit_minutes
    form.max_attempts.data = defaults.max_attempts
    form.grading.data = defaults.grading


@bp.route("/windows/<int:window_id>/close", methods=["POST"])
@requires(Permission.MANAGE_WINDOW)
def close(window_id: int):
    window = _managed_window(window_id)
    form = CloseForm()
    if not form.validate_on_submit():
        abort(400)
    unit_of_work(lambda: service.close_window(current_user, window, form.reason.data or ""),
                 done="考核已结束,成绩和答案解析现在对参加者开放。")
    return redirect(url_for("windows.index"))
