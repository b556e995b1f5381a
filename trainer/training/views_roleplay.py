"""Role-play pages: the encounters, playing one turn by turn (typed here, voice through the
turn endpoints of trainer/practice), and the encounter's result."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.attempts.service import new_submit_key
from trainer.attempts.start_form import start_from_form
from trainer.auth.access import trainees
from trainer.extensions import db
from trainer.forms import flash_form_errors
from trainer.library import get_library
from trainer.models import AttemptKind, AttemptStatus, Mode
from trainer.progress import assigned_modules
from trainer.training import roleplay
from trainer.training.assessment import answers_revealed
from trainer.training.blueprint import bp
from trainer.training.forms import ConfirmForm, StartForm, TypedTurnForm
from trainer.training.timeouts import close_overdue_attempts
from trainer.training.views import own_attempt_or_404
from trainer.turns import rules as turn_service
from trainer.web import unit_of_work


@bp.route("/me/roleplay")
@trainees
def roleplays():
    library = get_library()
    found = roleplay.encounters(assigned_modules(current_user, library))
    return render_template("training/roleplays.html", encounters=found,
                           keys={e.dialogue.id: new_submit_key() for e in found},
                           form=StartForm(), preview=roleplay.preview)


@bp.route("/me/roleplay/<dialogue_id>/start", methods=["POST"])
@trainees
def roleplay_start(dialogue_id: str):
    library = get_library()
    encounter = roleplay.find_encounter(assigned_modules(current_user, library), dialogue_id)
    if encounter is None:
        abort(404)
    return start_from_form(
        StartForm(),
        lambda key: roleplay.start_practice(current_user, encounter, submit_key=key),
        refused=roleplay.RoleplayError, back=url_for("training.roleplays"),
        page="training.roleplay_page")


@bp.route("/me/roleplay/attempts/<int:attempt_id>")
@trainees
def roleplay_page(attempt_id: int):
    attempt = own_attempt_or_404(attempt_id, AttemptKind.DIALOGUE)
    library = get_library()
    close_overdue_attempts(current_user, library)
    db.session.refresh(attempt)
    presented = attempt.presented or {}
    answered = roleplay.responses(attempt)
    current = roleplay.current_position(attempt) if attempt.status == AttemptStatus.IN_PROGRESS else None
    retry = roleplay.retry_position(attempt, request.args.get("retry", type=int))
    states = {p: turn_service.turn_state(r) for p, r in answered.items()}
    feedback = attempt.mode == Mode.PRACTICE or answers_revealed(attempt)
    try:
        dialogue = library.item(attempt.item_id) if attempt.item_id else None
    except KeyError:
        dialogue = None
    return render_template(
        "training/roleplay.html", attempt=attempt, presented=presented,
        turns=roleplay.turns_of(attempt), answered=answered, current=current, retry=retry,
        answering=retry if retry is not None else current, states=states,
        failed=roleplay.failed_turns(states, len(roleplay.turns_of(attempt))) if feedback else [],
        feedback=feedback, dialogue=dialogue, form=TypedTurnForm(), finish_form=ConfirmForm(),
        again=StartForm(submit_key=new_submit_key()),
        limits=turn_service.RecordingLimits.from_config(current_app.config),
        typing_allowed=not turn_service.must_speak(attempt),
        all_answered=attempt.status == AttemptStatus.IN_PROGRESS and current is None)


@bp.route("/me/roleplay/attempts/<int:attempt_id>/turns/<int:position>", methods=["POST"])
@trainees
def roleplay_turn(attempt_id: int, position: int):
    """A typed answer to one turn (works without JavaScript)."""
    attempt = own_attempt_or_404(attempt_id, AttemptKind.DIALOGUE)
    library = get_library()
    form = TypedTurnForm()
    back = redirect(url_for("training.roleplay_page", attempt_id=attempt.id,
                            _anchor=f"turn-{position}"))
    if not form.validate_on_submit():
        flash_form_errors(form, "请先输入您的回答")
        return back
    def answer():
        # No finishing here: a typed last turn ends like a spoken one, with 查看对话结果
        # (and in practice any turn may be answered again before that).
        roleplay.check_answerable(attempt, position)
        turn_service.record_typed(attempt, position, form.text.data, library=library)

    unit_of_work(answer)
    return back


@bp.route("/me/roleplay/attempts/<int:attempt_id>/finish", methods=["POST"])
@trainees
def roleplay_finish(attempt_id: int):
    """End the encounter (after voice turns, or leaving turns unanswered: they fail)."""
    attempt = own_attempt_or_404(attempt_id, AttemptKind.DIALOGUE)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    roleplay.finish(attempt)
    db.session.commit()
    return redirect(url_for("training.roleplay_page", attempt_id=attempt.id, _anchor="result"))
