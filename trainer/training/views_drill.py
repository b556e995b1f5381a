"""The timed drill: start, put the steps in order against the clock, result."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.attempts.service import new_submit_key
from trainer.attempts.start_form import start_from_form
from trainer.auth.access import trainees
from trainer.library import get_library
from trainer.models import AttemptKind, AttemptStatus
from trainer.progress import assigned_modules
from trainer.training import answers, drill
from trainer.training.blueprint import bp
from trainer.training.forms import DrillForm, StartForm
from trainer.training.views import own_attempt_or_404
from trainer.web import unit_of_work


@bp.route("/me/drill/<drill_id>/start", methods=["POST"])
@trainees
def drill_start(drill_id: str):
    library = get_library()
    entry = drill.find_drill(assigned_modules(current_user, library), drill_id)
    if entry is None:
        abort(404)
    return start_from_form(
        StartForm(), lambda key: drill.start_drill(current_user, entry, submit_key=key),
        back=url_for("training.module", module_id=entry.module.id), page="training.drill_page")


def _drill(library, attempt):
    try:
        item = library.item(attempt.item_id or "")
    except KeyError:
        abort(404)
    return item


@bp.route("/me/drill/attempts/<int:attempt_id>", methods=["GET", "POST"])
@trainees
def drill_page(attempt_id: int):
    attempt = own_attempt_or_404(attempt_id, AttemptKind.DRILL)
    library = get_library()
    item = _drill(library, attempt)
    form = DrillForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        order = [s for s in (form.order.data or "").split(",") if s]
        if not order:  # without JavaScript the steps come numbered, like an ordering question
            steps = (attempt.presented or {}).get("steps") or []
            read = answers.MATCHERS["ordering"].read(item, {"steps": steps}, "d",
                                                     request.form.getlist)
            order = read["order"] if read and read.get("complete") else []
        # A double submit scored it meanwhile: nothing to say.
        unit_of_work(lambda: drill.submit_drill(attempt, item, order, form.elapsed_ms.data),
                     conflict=None)
        return redirect(url_for("training.drill_page", attempt_id=attempt.id))
    rule_set = current_user.station.rule_set if current_user.station else None
    try:
        rule_set_ids = library.rule_set_ids(rule_set)
    except KeyError:
        rule_set_ids = None
    texts = {step.id: step.text for step in item.steps}
    response = attempt.responses[0] if attempt.responses else None
    return render_template(
        "training/drill.html", attempt=attempt, drill=item, form=form, texts=texts,
        steps=(attempt.presented or {}).get("steps") or list(texts),
        allowed=(attempt.presented or {}).get("seconds_allowed") or drill.time_allowed(item),
        limits=drill.pump_limits(item, rule_set_ids), response=response,
        done=attempt.status == AttemptStatus.SCORED,
        again=StartForm(submit_key=new_submit_key()))
