"""Daily practice pages: today's plan, a session item by item, its end."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.attempts.service import new_submit_key
from trainer.attempts.start_form import start_from_form
from trainer.auth.access import trainees
from trainer.content import PhraseItem, Question
from trainer.extensions import db
from trainer.forms import flash_form_errors
from trainer.library import get_library
from trainer.models import AttemptKind, AttemptStatus
from trainer.progress import assigned_modules
from trainer.training import daily, home, quiz
from trainer.training.blueprint import bp
from trainer.training.forms import ConfirmForm, StartForm, TypedTurnForm
from trainer.training.views import own_attempt_or_404
from trainer.turns import rules as turn_service
from trainer.web import unit_of_work


def _settings() -> daily.DailySettings:
    return daily.DailySettings.from_config(current_app.config)


@bp.route("/me/daily")
@trainees
def daily_home():
    library = get_library()
    settings = _settings()
    daily.sync_cards(current_user, library, settings)
    db.session.commit()
    modules = assigned_modules(current_user, library)
    plan = daily.plan(current_user, modules, settings)
    items = daily.practice_items(modules)
    return render_template(
        "training/daily.html", plan=plan, items=items, settings=settings,
        minutes=home.practice_minutes(len(plan.items)),
        open_session=daily.open_session(current_user),
        form=StartForm(submit_key=new_submit_key()))


@bp.route("/me/daily/start", methods=["POST"])
@trainees
def daily_start():
    library = get_library()
    return start_from_form(
        StartForm(),
        lambda key: daily.start_session(current_user, assigned_modules(current_user, library),
                                        library, _settings(), submit_key=key),
        refused=daily.DailyError, category="info", back=url_for("training.daily_home"),
        page="training.daily_session")


def _item(library, entry):
    try:
        return library.item(str(entry.get("item")))
    except KeyError:
        return None


@bp.route("/me/daily/<int:attempt_id>")
@trainees
def daily_session(attempt_id: int):
    attempt = own_attempt_or_404(attempt_id, AttemptKind.DAILY)
    library = get_library()
    turns = daily.turns_of(attempt)
    answered = {r.position: r for r in attempt.responses}
    current = next((p for p in range(len(turns)) if p not in answered or (
        answered[p].status == "pending" and (answered[p].asr or {}).get("no_speech"))), None)
    if attempt.status == AttemptStatus.IN_PROGRESS and current is None:
        daily.finish_session(attempt)
        daily.sync_cards(current_user, library, _settings())
        db.session.commit()
    last = max((p for p in answered if answered[p].status == "scored"), default=None)
    item = _item(library, turns[current]) if current is not None else None
    question_view = None
    if isinstance(item, Question):
        question_view = quiz.QuestionView(current, item, turns[current].get("question") or {}, None)
    return render_template(
        "training/daily_session.html", attempt=attempt, turns=turns, current=current,
        item=item, question_view=question_view, is_phrase=isinstance(item, PhraseItem),
        last=answered.get(last) if last is not None else None,
        last_item=_item(library, turns[last]) if last is not None else None,
        last_state=turn_service.turn_state(answered[last]) if last is not None else None,
        answered=answered, form=TypedTurnForm(), confirm=ConfirmForm(),
        limits=turn_service.RecordingLimits.from_config(current_app.config),
        again=StartForm(submit_key=new_submit_key()))


@bp.route("/me/daily/<int:attempt_id>/items/<int:position>", methods=["POST"])
@trainees
def daily_answer(attempt_id: int, position: int):
    attempt = own_attempt_or_404(attempt_id, AttemptKind.DAILY)
    library = get_library()
    turns = daily.turns_of(attempt)
    if not 0 <= position < len(turns):
        abort(404)
    item = _item(library, turns[position])
    back = redirect(url_for("training.daily_session", attempt_id=attempt.id))
    if item is None:
        flash("这道题已从培训内容中删除，请结束本次练习。", "error")
        return back
    if attempt.status != AttemptStatus.IN_PROGRESS:
        flash("这次练习已经结束。", "error")
        return back
    if any(r.position == position for r in attempt.responses):
        return back  # answered already (a double submit): nothing changes
    if isinstance(item, Question):
        if not ConfirmForm().validate_on_submit():
            abort(400)

        def answer():
            daily.record_question(attempt, position, item, request.form.getlist)
    else:
        form = TypedTurnForm()
        if not form.validate_on_submit():
            flash_form_errors(form, "请先输入您的回答")
            return back

        def answer():
            turn_service.record_typed(attempt, position, form.text.data, library=library)

    def answer_and_schedule():
        answer()
        daily.sync_cards(current_user, library, _settings())

    # A double submit answered it meanwhile: nothing to say.
    unit_of_work(answer_and_schedule, conflict=None)
    return back


@bp.route("/me/daily/<int:attempt_id>/finish", methods=["POST"])
@trainees
def daily_finish(attempt_id: int):
    attempt = own_attempt_or_404(attempt_id, AttemptKind.DAILY)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    daily.finish_session(attempt)
    daily.sync_cards(current_user, get_library(), _settings())
    db.session.commit()
    return redirect(url_for("training.daily_home"))
