"""The station dashboard, one staff member's page, and certifying him (认证上岗)."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer import todo
from trainer.auth.access import (
    Permission,
    can,
    managers,
    requires,
    user_or_404,
    visible_stations,
)
from trainer.certificates import service as certificates
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import Attempt, Mode, PracticalCheck, PracticalKind, Station
from trainer.models.practical import PRACTICAL_LABELS
from trainer.progress import assigned_modules, duty_status, is_assessed, module_result
from trainer.station import bp, dashboard, practical
from trainer.station.forms import ConfirmForm
from trainer.timeutil import today
from trainer.web import unit_of_work


def _station_for_page() -> Station | None:
    """The head's own station; HR and admin pick one (?station=<id>, default the first)."""
    stations = list(db.session.scalars(visible_stations(current_user)
                                       .where(Station.active.is_(True)).order_by(Station.code)))
    if not can(current_user, Permission.SEE_ALL_STATIONS):
        return current_user.station
    wanted = request.args.get("station", "")
    chosen = next((s for s in stations if str(s.id) == wanted), None)
    if wanted and chosen is None:
        abort(404)
    return chosen or (stations[0] if stations else None)


@bp.route("/station")
@managers
def home():
    station = _station_for_page()
    library = get_library()
    rows = dashboard.staff_rows(station.id, library) if station else []
    scenes = dashboard.weakest_scenes(station.id, library) if station else []
    stations = list(db.session.scalars(visible_stations(current_user)
                                       .where(Station.active.is_(True)).order_by(Station.code)))
    return render_template(
        "station/home.html", station=station, stations=stations, rows=rows, scenes=scenes,
        modules=dashboard.module_columns(rows),
        scenes_chart=dashboard.scenes_chart(scenes), progress_chart=dashboard.progress_chart(rows),
        scene_days=dashboard.SCENE_WINDOW_DAYS, todo=todo.todos(current_user, _renewal_days()))


def _renewal_days() -> int:
    return int(current_app.config["CERTIFICATE_RENEWAL_DAYS"])


@bp.route("/station/staff/<int:user_id>")
@managers
def staff(user_id: int):
    person = user_or_404(current_user, user_id)
    library = get_library()
    check = certificates.eligibility(person, current_user, library=library,
                                     renewal_days=_renewal_days())
    modules = [(m, module_result(person, m) if is_assessed(m) else None)
               for m in assigned_modules(person, library)]
    recent = list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == person.id, Attempt.mode == Mode.ASSESSMENT)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc()).limit(15)))
    return render_template(
        "station/staff.html", person=person, modules=modules, check=check,
        duty=duty_status(person, library=library), checks=practical.history(person),
        certificates=certificates.certificates_of(person), recent=recent,
        status_label=certificates.status_label, kinds=PRACTICAL_LABELS,
        can_examine=can(current_user, Permission.EXAMINE, person),
        grooming=practical.grooming_checklist(person, library),
        drill=practical.fueling_drill(person, library), form=ConfirmForm(), today=today(),
        titles={m.id: m.title for m in library.modules}, other_problems=_other_problems(check))


def _other_problems(check) -> list[str]:
    """Why certifying is refused apart from the unmet requirements the page lists (a
    suspended certificate, one still in force …): each reason shown once."""
    unmet = {f"{r.label}——{r.detail}" for r in check.requirements if not r.met}
    return [p for p in check.problems if p not in unmet]


@bp.route("/station/staff/<int:user_id>/certify", methods=["POST"])
@requires(Permission.CERTIFY)
def certify(user_id: int):
    person = user_or_404(current_user, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    outcome = unit_of_work(
        lambda: certificates.certify(
            person, current_user, library=get_library(), renewal_days=_renewal_days(),
            valid_months=int(current_app.config["CERTIFICATE_VALID_MONTHS"])),
        done=lambda made: f"已认证 {person.name} 上岗,证书编号 {made.number}。",
        prefix="不能认证:")
    if not outcome.ok:
        return redirect(url_for("station.staff", user_id=person.id))
    return redirect(url_for("certificates.detail", certificate_id=outcome.value.id))


@bp.route("/station/checks/<int:check_id>")
@managers
def check_detail(check_id: int):
    check = db.session.get(PracticalCheck, check_id)
    if check is None:
        abort(404)
    person = user_or_404(current_user, check.user_id)
    steps = {}
    if check.kind == PracticalKind.DRILL:
        try:
            steps = {s.id: s.text for s in get_library().item(check.item_id).steps}
        except (KeyError, AttributeError):
            steps = {}  # the drill has left the content: show the step ids
    return render_template("station/check.html", check=check, person=person,
                           kinds=PRACTICAL_LABELS, steps=steps)
