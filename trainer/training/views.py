"""Home, module pages, study cards and history."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.attempts.service import new_submit_key
from trainer.auth.access import trainees
from trainer.extensions import db
from trainer.ids import parse_count
from trainer.library import get_library
from trainer.models import Attempt, AttemptKind, Mode
from trainer.progress import (
    PART_LABELS,
    assessed_parts,
    duty_status,
    module_progress,
    progress_overview,
)
from trainer.timeutil import when_text
from trainer.training import daily, drill, history, quiz, roleplay, study
from trainer.training import home as home_rules
from trainer.training.assessment import answers_revealed, part_state
from trainer.training.blueprint import bp
from trainer.training.forms import ConfirmForm, StartForm
from trainer.training.timeouts import close_overdue_attempts, status_label
from trainer.web import unit_of_work


def module_or_404(module_id: str, library):
    module = study.module_for(current_user, module_id, library)
    if module is None:
        abort(404)
    return module


def own_attempt_or_404(attempt_id: int, kind: str | None = None) -> Attempt:
    """The current user's attempt (of this kind); anyone else's is a 404."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id or (
            kind is not None and attempt.kind != kind):
        abort(404)
    return attempt


@bp.route("/me")
@trainees
def home():
    library = get_library()
    close_overdue_attempts(current_user, library)
    settings = daily.DailySettings.from_config(current_app.config)
    daily.sync_cards(current_user, library, settings)
    # Commit before reading the overview: a commit expires every loaded row, and the page
    # would read each module's window again.
    db.session.commit()
    modules = progress_overview(current_user, library)
    today = daily.plan(current_user, tuple(p.module for p in modules), settings)
    from trainer.evaluations.retraining import open_retraining

    duty = duty_status(current_user, library=library,
                       results={p.module.id: p.assessment for p in modules})
    open_daily = daily.open_session(current_user)
    return render_template(
        "training/home.html", person=current_user, modules=modules,
        retraining=open_retraining(current_user), duty=duty, today=today, open_daily=open_daily,
        step=home_rules.next_step(modules, duty, open_daily=open_daily is not None,
                            daily_items=len(today.items)),
        unmet=home_rules.unmet_by_module(duty), duty_lines=home_rules.duty_lines(duty),
        minutes=home_rules.practice_minutes(len(today.items)))


@bp.route("/me/modules/<module_id>")
@trainees
def module(module_id: str):
    library = get_library()
    module = module_or_404(module_id, library)
    close_overdue_attempts(current_user, library)
    progress = module_progress(current_user, module)
    parts = [part_state(current_user, module, part) for part in assessed_parts(module)]
    rule_set = current_user.station.rule_set if current_user.station else None
    try:
        rule_set_ids = library.rule_set_ids(rule_set)
    except KeyError:
        rule_set_ids = None
    return render_template(
        "training/module.html", module=module, progress=progress, parts=parts,
        part_results={p.part: p for p in progress.assessment.parts},
        encounters=roleplay.encounters((module,)), drills=drill.drills((module,)),
        rule_set_ids=rule_set_ids, pump_limits=drill.pump_limits,
        resume=quiz.in_progress_practice(current_user, module.id),
        start_form=StartForm, new_key=new_submit_key, part_labels=PART_LABELS,
    )


@bp.route("/me/modules/<module_id>/cards")
@trainees
def cards(module_id: str):
    library = get_library()
    module = module_or_404(module_id, library)
    return render_template("training/cards.html", module=module,
                           studied=study.studied_in(current_user, module))


@bp.route("/me/modules/<module_id>/cards/<int:number>", methods=["GET", "POST"])
@trainees
def card(module_id: str, number: int):
    library = get_library()
    module = module_or_404(module_id, library)
    if not 1 <= number <= len(module.cards):
        abort(404)
    card = module.cards[number - 1]
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        study.mark_studied(current_user, module, card)
        db.session.commit()
        if number < len(module.cards):
            return redirect(url_for("training.card", module_id=module.id, number=number + 1))
        return redirect(url_for("training.cards", module_id=module.id, done=1))
    return render_template("training/card.html", module=module, card=card, number=number,
                           studied=card.id in study.studied_in(current_user, module), form=form)


@bp.route("/me/history")
@trainees
def history_list():
    library = get_library()
    close_overdue_attempts(current_user, library)
    page = request.args.get("page", 1, type=parse_count) or 1
    rows, more = history.attempts_of(current_user, page)
    return render_template(
        "training/history.html", rows=rows, more=more, page=page,
        titles={a.id: history.attempt_title(a, library) for a in rows},
        states={a.id: status_label(a, history.STATUS_LABELS) for a in rows},
        kinds=history.KIND_LABELS, modes=history.MODE_LABELS)


@bp.route("/me/history/<int:attempt_id>")
@trainees
def attempt_detail(attempt_id: int):
    attempt = own_attempt_or_404(attempt_id)
    library = get_library()
    if attempt.kind == AttemptKind.QUIZ:
        return redirect(url_for("training.quiz_page", attempt_id=attempt.id))
    return render_template(
        "training/attempt.html", attempt=attempt, title=history.attempt_title(attempt, library),
        responses=list(attempt.responses), revealed=answers_revealed(attempt),
        kinds=history.KIND_LABELS, modes=history.MODE_LABELS,
        status_text=status_label(attempt, history.STATUS_LABELS),
        closable=history.closable(attempt), close_form=ConfirmForm(),
        is_assessment=attempt.mode == Mode.ASSESSMENT)


@bp.route("/me/history/<int:attempt_id>/close", methods=["POST"])
@trainees
def attempt_close(attempt_id: int):
    """Close a practice that has nothing to score (a silent recording, left unanswered)."""
    attempt = own_attempt_or_404(attempt_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    unit_of_work(lambda: history.close(attempt), done="已关闭这次练习。")
    return redirect(url_for("training.attempt_detail", attempt_id=attempt.id))


@bp.app_template_filter("score_text")
def score_text(value) -> str:
    """A score as the pages show it: 85, 82.5, or — when there is none."""
    if value is None:
        return "—"
    number = float(value)
    return f"{number:.0f}" if number == int(number) else f"{number:.1f}"


@bp.app_template_filter("when")
def when(value) -> str:
    """A date and time with its year (or 今天 HH:MM): see timeutil.when_text."""
    return when_text(value)
