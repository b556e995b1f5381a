"""Quiz pages: start (practice or assessment), answer, autosave, submit, result."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.attempts.service import new_submit_key
from trainer.attempts.start_form import start_from_form
from trainer.auth.access import trainees
from trainer.library import get_library
from trainer.models import AttemptKind, AttemptStatus, Mode
from trainer.progress import QUIZ_PART, ROLEPLAY_PART
from trainer.timeutil import now
from trainer.training import quiz, roleplay
from trainer.training.assessment import answers_revealed, lock_person, part_state
from trainer.training.blueprint import bp
from trainer.training.forms import ConfirmForm, StartForm
from trainer.training.timeouts import close_overdue_attempts
from trainer.training.views import module_or_404, own_attempt_or_404
from trainer.web import unit_of_work


@bp.route("/me/modules/<module_id>/quiz", methods=["POST"])
@trainees
def quiz_start(module_id: str):
    library = get_library()
    module = module_or_404(module_id, library)
    return start_from_form(
        StartForm(), lambda key: quiz.start_quiz(current_user, module, submit_key=key),
        refused=quiz.QuizError, back=url_for("training.module", module_id=module.id),
        page="training.quiz_page")


@bp.route("/me/modules/<module_id>/assessment/<part>", methods=["POST"])
@trainees
def assessment_start(module_id: str, part: str):
    """Start (or resume) a sitting of one part of the module's assessment."""
    library = get_library()
    module = module_or_404(module_id, library)
    if part not in (QUIZ_PART, ROLEPLAY_PART):
        abort(404)
    return start_from_form(
        StartForm(), lambda key: _sitting_for(module, part, key, library),
        refused=(quiz.QuizError, roleplay.RoleplayError),
        back=url_for("training.module", module_id=module.id), page=_sitting_page)


def _sitting_page(attempt) -> str:
    endpoint = "training.quiz_page" if attempt.kind == AttemptKind.QUIZ else "training.roleplay_page"
    return url_for(endpoint, attempt_id=attempt.id)


def _sitting_for(module, part: str, key: str | None, library):
    """The sitting this start form opens: the one its key already opened, the unfinished one
    to resume, or a new one if an attempt is left (raises QuizError / RoleplayError)."""
    existing = quiz.attempts.find_by_submit_key(key)
    if existing is not None:
        return existing
    close_overdue_attempts(current_user, library)
    lock_person(current_user)
    state = part_state(current_user, module, part)
    if state.in_progress is not None:
        return state.in_progress
    if not state.can_start:
        raise quiz.QuizError(state.reason)
    if part == QUIZ_PART:
        return quiz.start_quiz(current_user, module, mode=Mode.ASSESSMENT, window=state.window,
                               submit_key=key)
    return roleplay.start_assessment(current_user, module, state.window, submit_key=key)


@bp.route("/me/quiz/<int:attempt_id>", methods=["GET", "POST"])
@trainees
def quiz_page(attempt_id: int):
    attempt = own_attempt_or_404(attempt_id, AttemptKind.QUIZ)
    library = get_library()
    close_overdue_attempts(current_user, library)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if attempt.status == AttemptStatus.IN_PROGRESS:
            # A double submit scored it meanwhile: nothing to say.
            unit_of_work(lambda: quiz.submit_quiz(
                attempt, quiz.read_form(attempt, library, request.form.getlist), library),
                conflict=None)
        return redirect(url_for("training.quiz_page", attempt_id=attempt.id))
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return render_template(
            "training/quiz.html", attempt=attempt, module=_module(library, attempt),
            questions=quiz.question_views(attempt, library), form=form,
            now_iso=now().isoformat())
    return render_template(
        "training/quiz_result.html", attempt=attempt, module=_module(library, attempt),
        answers=quiz.answer_views(attempt, library), revealed=answers_revealed(attempt),
        presented=attempt.presented or {}, again=StartForm(submit_key=new_submit_key()))


@bp.route("/me/quiz/<int:attempt_id>/save", methods=["POST"])
@trainees
def quiz_save(attempt_id: int):
    """Autosave from the quiz page (fetch with the X-CSRFToken header)."""
    attempt = own_attempt_or_404(attempt_id, AttemptKind.QUIZ)
    library = get_library()
    found = quiz.read_form(attempt, library, request.form.getlist)
    outcome = unit_of_work(lambda: quiz.save_progress(attempt, found), flashes=False)
    if not outcome.ok:
        return jsonify(error=outcome.refused.message, closed=True), outcome.refused.status
    return jsonify(saved=len(found))


def _module(library, attempt):
    try:
        return library.module(attempt.module_id)
    except KeyError:
        abort(404)
