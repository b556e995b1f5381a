"""Single-phrase practice pages: the study list, one practice attempt, asking for review."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from trainer.attempts.service import new_submit_key, request_review
from trainer.attempts.start_form import start_from_form
from trainer.auth.access import Permission, login_required, requires
from trainer.content import PhraseItem
from trainer.forms import flash_form_errors
from trainer.library import get_library
from trainer.models import AttemptKind
from trainer.practice import service
from trainer.practice.blueprint import bp
from trainer.practice.forms import ReviewRequestForm, StartPracticeForm
from trainer.scoring.marks import render_marked
from trainer.scoring.textnorm import to_simplified
from trainer.turns import rules as turns
from trainer.turns.http import turn_payload
from trainer.web import unit_of_work


@bp.app_template_filter("simplified")
def simplified(text: str | None) -> str:
    """A recognised transcript as the pages show it: in simplified characters."""
    return to_simplified(text or "")


@bp.app_template_filter("marked_answer")
def marked_answer(text: str | None, result: dict | None) -> Markup:
    """An answer as scored, in simplified characters, with what failed or doubted it marked:
    服务忌语 and rude remarks, negated key points, remarks for the head (each span's reason in
    its title). Escaped piece by piece: nothing the trainee typed becomes markup."""
    return Markup(render_marked(text or "", result or {}))


@bp.route("/practice")
@requires(Permission.TRAIN)
def index():
    library = get_library()
    everything = service.study_list(current_user, library)
    query = (request.args.get("q") or "").strip()[:50]
    groups = service.filtered(everything, query)
    marks = service.phrase_marks(current_user)
    return render_template(
        "practice/index.html",
        groups=groups, query=query, any_phrases=bool(everything), marks=marks,
        found=sum(len(g.items) for g in groups),
        passed={g.module.id: sum(1 for i in g.items if i.id in marks and marks[i.id].passed)
                for g in groups},
        has_drafts=any(i.status == "draft" for g in groups for i in g.items),
        form=StartPracticeForm(),
        # One key per button: a double tap starts one practice, two buttons two practices.
        keys={item.id: new_submit_key() for group in groups for item in group.items},
    )


@bp.route("/practice/phrases/<item_id>/start", methods=["POST"])
@requires(Permission.TRAIN)
def start(item_id: str):
    library = get_library()
    item = service.practisable_item(current_user, item_id, library)
    if item is None:
        abort(404)
    return start_from_form(
        StartPracticeForm(),
        lambda key: service.start_phrase_attempt(current_user, item, library, submit_key=key),
        refused=service.PracticeError, back=url_for("practice.index"), page="practice.attempt")


@bp.route("/practice/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    attempt = turns.own_attempt(current_user, attempt_id)
    if attempt is None or attempt.kind != AttemptKind.PHRASE:
        abort(404)
    library = get_library()
    try:
        item = library.item(attempt.item_id or "")
    except KeyError:
        abort(404)
    if not isinstance(item, PhraseItem):
        abort(404)
    try:
        customer = turns.turn_target(attempt, 0, library).prompt
    except turns.TurnRefused:
        abort(404)
    presented = attempt.presented or {}
    values = presented.get("values") or {}
    state = turn_payload(attempt, 0)
    return render_template(
        "practice/phrase.html",
        attempt=attempt,
        item=item,
        module=library.module_of(item.id),
        situation=presented.get("situation") or item.situation,
        customer=customer,
        phrasings=service.approved_phrasings(item, values),
        state=state,
        limits=turns.RecordingLimits.from_config(current_app.config),
        again_form=StartPracticeForm(submit_key=new_submit_key()),
        review_form=ReviewRequestForm(),
    )


@bp.route("/practice/attempts/<int:attempt_id>/review", methods=["POST"])
@login_required
def ask_review(attempt_id: int):
    attempt = turns.own_attempt(current_user, attempt_id)
    if attempt is None:
        abort(404)
    form = ReviewRequestForm()
    if not form.validate_on_submit():
        flash_form_errors(form, "请写明申请复核的理由")
        return redirect(url_for("practice.attempt", attempt_id=attempt.id))
    unit_of_work(lambda: request_review(attempt, current_user, form.reason.data),
                 done="已提交复核申请，站长复核后结果以复核为准。")
    return redirect(url_for("practice.attempt", attempt_id=attempt.id))
