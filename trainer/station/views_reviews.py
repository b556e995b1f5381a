"""The review queue: list, one attempt with its recordings and transcripts, the decision."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from trainer.auth.access import Permission, can, managers, requires
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import AttemptStatus, User
from trainer.models.attempt import VERDICT_LABELS
from trainer.station import reviews
from trainer.station.blueprint import bp
from trainer.station.forms import DecideForm
from trainer.training.history import KIND_LABELS, MODE_LABELS, attempt_title
from trainer.web import unit_of_work


def _people(attempts) -> dict[int, User]:
    ids = {a.user_id for a in attempts}
    return {u.id: u for u in db.session.query(User).filter(User.id.in_(ids))} if ids else {}


@bp.route("/station/reviews")
@managers
def review_queue():
    library = get_library()
    waiting = reviews.queue(current_user)
    decided = reviews.recently_decided(current_user)
    people = _people(waiting + [a for a, _ in decided])
    return render_template(
        "station/reviews.html", waiting=waiting, decided=decided, people=people,
        title=lambda a: attempt_title(a, library), kinds=KIND_LABELS, modes=MODE_LABELS,
        verdicts=VERDICT_LABELS)


def _attempt_page(attempt, form, status: int = 200):
    library = get_library()
    person = db.session.get(User, attempt.user_id)
    may_decide = (can(current_user, Permission.REVIEW_ATTEMPT, attempt)
                  and attempt.status == AttemptStatus.SCORED)
    return render_template(
        "station/review.html", attempt=attempt, person=person, form=form,
        title=attempt_title(attempt, library), kinds=KIND_LABELS, modes=MODE_LABELS,
        verdicts=VERDICT_LABELS, may_decide=may_decide), status


@bp.route("/station/reviews/<int:attempt_id>")
@managers
def review(attempt_id: int):
    attempt = reviews.reviewable(current_user, attempt_id)
    if attempt is None:
        abort(404)
    return _attempt_page(attempt, DecideForm())


@bp.route("/station/reviews/<int:attempt_id>", methods=["POST"])
@requires(Permission.REVIEW_ATTEMPT)
def decide(attempt_id: int):
    attempt = reviews.reviewable(current_user, attempt_id)
    if attempt is None:
        abort(404)
    form = DecideForm()
    if not form.validate_on_submit():
        return _attempt_page(attempt, form, 422)
    outcome = unit_of_work(
        lambda: reviews.decide(attempt, current_user, form.verdict.data,
                               reviews.parse_score(form.score.data), form.reason.data,
                               get_library()),
        done="复核结论已保存,员工可在练习记录中看到理由。")
    if not outcome.ok:
        return _attempt_page(attempt, form, 422)
    return redirect(url_for("station.review_queue"))
