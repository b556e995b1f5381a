"""A person's evaluations and one evaluation: the breakdown, the records behind it, and the
steps the person, his station head and HR take on it."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.auth.access import (
    Permission,
    can,
    login_required,
    managers,
    requires,
    trainees,
    user_or_404,
)
from trainer.evaluations import lifecycle, pages, retraining, service
from trainer.evaluations.blueprint import bp
from trainer.evaluations.compute import PRACTICAL_LABELS
from trainer.evaluations.forms import (
    AdjustForm,
    AppealForm,
    ConfirmForm,
    CorrectForm,
    DecisionForm,
    ResolveForm,
    RetrainingDoneForm,
)
from trainer.evaluations.policy import (
    COMPONENT_LABELS,
    PRACTICAL,
    SPOKEN,
    THEORY,
    Policy,
    format_number,
)
from trainer.extensions import db
from trainer.forms import flash_form_errors
from trainer.models import Attempt, PracticalCheck, User
from trainer.timeutil import now
from trainer.web import unit_of_work


@bp.app_template_filter("ev_number")
def ev_number(value: Any) -> str:
    """A score or total exactly as computed, without needless zeros: 90, 86.5, 27.78."""
    if value is None or value == "":
        return "—"
    from decimal import Decimal

    return format_number(Decimal(str(value)))


def evaluation_or_404(evaluation_id: int):
    evaluation = service.evaluation_for(current_user, evaluation_id)
    if evaluation is None:
        abort(404)
    return evaluation


def back_to(evaluation) -> Any:
    return redirect(url_for("evaluations.detail", evaluation_id=evaluation.id), code=303)


# --- lists ---------------------------------------------------------------------------------


@bp.route("/evaluations/mine")
@trainees
def mine():
    return _person_page(current_user, own=True)


@bp.route("/evaluations/people/<int:user_id>")
@managers
def person(user_id: int):
    return _person_page(user_or_404(current_user, user_id), own=False)


def _person_page(person: User, own: bool):
    rows = service.history_of(person, current_user)
    chart = pages.trend(f"{person.name} 历次考核得分", rows)
    return render_template(
        "evaluations/person.html", person=person, rows=rows, own=own, chart=chart,
        status_of=service.status_at, labels=lifecycle.SHORT_LABELS,
        scores=pages.component_scores, components=COMPONENT_LABELS,
        open_retraining=retraining.open_retraining(person))


# --- one evaluation ------------------------------------------------------------------------


@bp.route("/evaluations/<int:evaluation_id>")
@login_required
def detail(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    result = service.result_of(evaluation)
    at = now()
    status = service.status_at(evaluation, at)
    owner = current_user.id == evaluation.user_id
    reviewer = can(current_user, Permission.REVIEW_EVALUATION, evaluation)
    correction = service.correction_of(evaluation)
    corrects = (db.session.get(type(evaluation), evaluation.corrects_id)
                if evaluation.corrects_id else None)
    training = retraining.retraining_of(evaluation)
    allowed = {
        "adjust": reviewer and status == lifecycle.DRAFT,
        "publish": reviewer and status == lifecycle.DRAFT,
        "respond": owner and lifecycle.appeal_open(evaluation.status, evaluation.appeal_deadline, at),
        "resolve": can(current_user, Permission.RESOLVE_APPEAL, evaluation)
        and status == lifecycle.APPEALED,
        "finalize": can(current_user, Permission.FINALIZE_EVALUATION, evaluation)
        and status in (lifecycle.ACKNOWLEDGED, lifecycle.RESOLVED),
        "correct": can(current_user, Permission.CORRECT_EVALUATION, evaluation)
        and status == lifecycle.FINAL and correction is None,
        "check_retraining": training is not None and training.completed_at is None
        and can(current_user, Permission.MANAGE_RETRAINING, training),
        "decide": can(current_user, Permission.DECIDE_WITHOUT_DATA, evaluation)
        and status != lifecycle.FINAL and result.needs_decision and not evaluation.hr_decision,
    }
    adjust_form = AdjustForm()
    return render_template(
        "evaluations/detail.html", evaluation=evaluation, result=result, status=status,
        status_label=lifecycle.STATUS_LABELS[status], policy=Policy.from_dict(evaluation.policy),
        links=pages.record_links(evaluation, result, _titles()), steps=pages.history(evaluation),
        can_do=allowed, owner=owner, correction=correction, corrects=corrects, training=training,
        adjust_form=adjust_form, appeal_form=AppealForm(), confirm_form=ConfirmForm(),
        resolve_form=ResolveForm(), correct_form=CorrectForm(), decide_form=DecisionForm(),
        done_form=RetrainingDoneForm(), now=at,
        pending=service.pending_of(evaluation) if status != lifecycle.FINAL else [],
        settle_refusal=service.settle_refusal(evaluation.period, "发布或定稿", at))


def _titles() -> dict[str, str]:
    from trainer.evaluations.records import module_titles
    from trainer.library import ContentUnavailable, get_library

    try:
        return module_titles(get_library())
    except ContentUnavailable:
        return {}


@bp.route("/evaluations/<int:evaluation_id>/attempts/<int:attempt_id>")
@login_required
def attempt(evaluation_id: int, attempt_id: int):
    """An attempt behind the theory or spoken score: answers, transcripts, recordings."""
    from trainer.attempts.service import answers_revealed

    evaluation = evaluation_or_404(evaluation_id)
    result = service.result_of(evaluation)
    behind = {i for key in (THEORY, SPOKEN) for i in (*result.component(key).record_ids,
                                                      *result.component(key).pending_ids)}
    row = db.session.get(Attempt, attempt_id)
    if row is None or attempt_id not in behind or row.user_id != evaluation.user_id:
        abort(404)
    # The person himself sees the answers once the window allows; those reviewing him always.
    revealed = current_user.id != row.user_id or answers_revealed(row)
    return render_template("evaluations/attempt.html", evaluation=evaluation, attempt=row,
                           responses=list(row.responses), revealed=revealed,
                           module_title=_titles().get(row.module_id, row.module_id))


@bp.route("/evaluations/<int:evaluation_id>/checks/<int:check_id>")
@login_required
def check(evaluation_id: int, check_id: int):
    """A practical check behind the practical score."""
    evaluation = evaluation_or_404(evaluation_id)
    result = service.result_of(evaluation)
    row = db.session.get(PracticalCheck, check_id)
    if row is None or check_id not in result.component(PRACTICAL).record_ids:
        abort(404)
    examiner = db.session.get(User, row.examiner_id)
    return render_template("evaluations/check.html", evaluation=evaluation, check=row,
                           examiner=examiner, kinds=PRACTICAL_LABELS)


# --- the staff member's answer -------------------------------------------------------------


@bp.route("/evaluations/<int:evaluation_id>/acknowledge", methods=["POST"])
@trainees
def acknowledge(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    if ConfirmForm().validate_on_submit():
        _act(lambda: service.acknowledge(evaluation, current_user), "已确认考核结果。")
    return back_to(evaluation)


@bp.route("/evaluations/<int:evaluation_id>/appeal", methods=["POST"])
@trainees
def appeal(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    form = AppealForm()
    if form.validate_on_submit():
        _act(lambda: service.appeal(evaluation, current_user, form.reason.data),
             "申诉已提交,人力资源处理后会在此页面答复。")
    else:
        flash_form_errors(form)
    return back_to(evaluation)


# --- the station head's review --------------------------------------------------------------


@bp.route("/evaluations/<int:evaluation_id>/adjust", methods=["POST"])
@requires(Permission.REVIEW_EVALUATION)
def adjust(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    form = AdjustForm()
    if form.validate_on_submit():
        _act(lambda: service.adjust(evaluation, current_user, form.component.data,
                                    form.score.data, form.reason.data),
             f"已调整{COMPONENT_LABELS.get(form.component.data, '')}分数,理由已记录。")
    else:
        flash_form_errors(form)
    return back_to(evaluation)


@bp.route("/evaluations/<int:evaluation_id>/publish", methods=["POST"])
@requires(Permission.REVIEW_EVALUATION)
def publish(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    if not ConfirmForm().validate_on_submit():
        return back_to(evaluation)
    outcome = _act(lambda: service.publish(evaluation, current_user))
    done, published = outcome.ok, outcome.value
    if done and published:
        flash("审核完成,考核结果已发给员工确认。", "success")
    elif done:
        flash("提交前发现本期记录有更新(如复核结论、服务记录),已按最新记录重新计算,"
              "请核对后再提交。", "warning")
    return back_to(evaluation)


# --- HR ---------------------------------------------------------------------------------------


@bp.route("/evaluations/<int:evaluation_id>/resolve", methods=["POST"])
@requires(Permission.RESOLVE_APPEAL)
def resolve(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    form = ResolveForm()
    if form.validate_on_submit():
        _act(lambda: service.resolve(evaluation, current_user, form.resolution.data,
                                     form.changes()), "申诉已处理,处理意见已告知员工。")
    else:
        flash_form_errors(form)
    return back_to(evaluation)


@bp.route("/evaluations/<int:evaluation_id>/finalize", methods=["POST"])
@requires(Permission.FINALIZE_EVALUATION)
def finalize(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    if ConfirmForm().validate_on_submit():
        _act(lambda: service.finalize(evaluation, current_user), "已定稿,结果已锁定。")
    return back_to(evaluation)


@bp.route("/evaluations/<int:evaluation_id>/decide", methods=["POST"])
@requires(Permission.DECIDE_WITHOUT_DATA)
def decide(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    form = DecisionForm()
    if form.validate_on_submit():
        _act(lambda: service.decide_without_data(evaluation, current_user, form.reason.data),
             "已记录人力资源的决定,可以定稿。")
    else:
        flash_form_errors(form)
    return back_to(evaluation)


@bp.route("/evaluations/<int:evaluation_id>/correct", methods=["POST"])
@requires(Permission.CORRECT_EVALUATION)
def correct(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    form = CorrectForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back_to(evaluation)
    outcome = _act(lambda: service.correct(evaluation, current_user, form.reason.data))
    if not outcome.ok:
        return back_to(evaluation)
    correction = outcome.value
    flash("已新建更正记录(原定稿记录保持不变),请站长审核。", "success")
    return back_to(correction)


# --- retraining -------------------------------------------------------------------------------


@bp.route("/evaluations/<int:evaluation_id>/retraining/check", methods=["POST"])
@requires(Permission.MANAGE_RETRAINING)
def retraining_check(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    training = retraining.retraining_of(evaluation)
    if training is None:
        abort(404)
    if not can(current_user, Permission.MANAGE_RETRAINING, training):
        abort(403)
    if ConfirmForm().validate_on_submit():
        done = retraining.check_retraining(training, current_user)
        db.session.commit()
        flash("复训已完成,上岗资格已恢复。" if done and training.suspended else
              "复训已完成。" if done else "已核对复训进度:还有模块未重新通过。",
              "success" if done else "warning")
    return back_to(evaluation)


@bp.route("/evaluations/<int:evaluation_id>/retraining/done", methods=["POST"])
@requires(Permission.MANAGE_RETRAINING)
def retraining_done(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
    training = retraining.retraining_of(evaluation)
    form = RetrainingDoneForm()
    if training is None:
        abort(404)
    if form.validate_on_submit():
        _act(lambda: retraining.complete_manually(training, current_user, form.note.data),
             "已确认复训完成。")
    else:
        flash_form_errors(form)
    return back_to(evaluation)


CONFLICT = "有人同时修改了这份考核结果,您的操作未保存,请刷新页面后重试。"


def _act(action, success: str | None = None):
    """One step as a unit of work, with this page's message for two people at once."""
    return unit_of_work(action, done=success, conflict=CONFLICT)


def period_arg(policy: Policy | None = None) -> str:
    """The ?period= of the request if it names a period, else the last ended period."""
    wanted = (request.args.get("period") or "").strip()
    if wanted:
        try:
            return service.parse_period(wanted).key
        except service.EvaluationError as error:
            flash(str(error), "error")
    return service.default_period(policy)
