"""Practical checks at the pump: the grooming checklist, the timed fueling drill, and the live
spoken check (recorded on the head's phone through the turn endpoints below, which reuse the
rules of trainer/practice/turns.py and answer the same JSON as trainer/practice/api.py)."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from trainer import speech_jobs
from trainer.attempts.service import new_submit_key
from trainer.auth.access import Permission, can, requires, user_or_404
from trainer.extensions import db
from trainer.forms import choices, flash_form_errors
from trainer.library import get_library
from trainer.models import Verdict
from trainer.practice import turns
from trainer.practice.api import HTTP_STATUS, accept_uploaded_recording, api_error, typed_text
from trainer.station import bp, practical
from trainer.station.forms import CheckForm, SpokenStartForm
from trainer.web import unit_of_work


def _examinee(user_id: int):
    person = user_or_404(current_user, user_id)
    if not can(current_user, Permission.EXAMINE, person):
        abort(404)
    return person


# --- grooming ----------------------------------------------------------------------------------


def _save_check(form, record, label: str):
    """A practical check's POST: validate the form, record the check (commit) and go to its
    result; None when the form is to be shown again with the messages flashed."""
    if not form.validate_on_submit():
        flash_form_errors(form)
        return None
    outcome = unit_of_work(record)
    if not outcome.ok:
        return None
    check = outcome.value
    flash(f"{label}已保存:{'通过' if check.passed else '未通过'}({check.score} 分)。",
          "success" if check.passed else "warning")
    return redirect(url_for("station.check_detail", check_id=check.id))


@bp.route("/station/staff/<int:user_id>/grooming", methods=["GET", "POST"])
@requires(Permission.EXAMINE)
def grooming(user_id: int):
    person = _examinee(user_id)
    library = get_library()
    found = practical.grooming_checklist(person, library)
    if found is None:
        abort(404)
    module, checklist = found
    form = CheckForm()
    answers = {e.id: request.form.get(f"entry-{e.id}") for e in checklist.entries}
    if request.method == "POST":
        chosen = {key: value == "1" for key, value in answers.items() if value in ("0", "1")}
        saved = _save_check(form, lambda: practical.record_grooming(
            person, current_user, chosen, library, notes=form.notes.data,
            submit_key=form.submit_key.data), "仪容仪表检查")
        if saved is not None:
            return saved
    else:
        form.submit_key.data = new_submit_key()
        if request.args.get("all") == "1":      # 全部符合: the head then marks the exceptions
            answers = {e.id: "1" for e in checklist.entries}
    return render_template("station/grooming.html", person=person, module=module,
                           checklist=checklist, form=form, answers=answers)


# --- fueling drill -----------------------------------------------------------------------------


@bp.route("/station/staff/<int:user_id>/drill", methods=["GET", "POST"])
@requires(Permission.EXAMINE)
def drill(user_id: int):
    person = _examinee(user_id)
    library = get_library()
    setup = practical.fueling_drill(person, library)
    if setup is None:
        abort(404)
    form = CheckForm()
    times = {s.id: request.form.get(f"step-{s.id}", "") for s in setup.drill.steps}
    if request.method == "POST":
        saved = _save_check(form, lambda: practical.record_drill(
            person, current_user, times, library, notes=form.notes.data,
            submit_key=form.submit_key.data), "加气操作计时")
        if saved is not None:
            return saved
    else:
        form.submit_key.data = new_submit_key()
    return render_template("station/drill.html", person=person, setup=setup, form=form,
                           times=times)


# --- live spoken check -------------------------------------------------------------------------


@bp.route("/station/staff/<int:user_id>/spoken", methods=["GET", "POST"])
@requires(Permission.EXAMINE)
def spoken_start(user_id: int):
    person = _examinee(user_id)
    library = get_library()
    available = practical.spoken_phrases(person, library)
    form = SpokenStartForm()
    form.phrases.choices = choices((item.id, f"{module.title} · {item.scene}")
                                   for module, item in available)
    if request.method == "POST":
        if form.validate_on_submit():
            outcome = unit_of_work(lambda: practical.start_spoken_check(
                person, current_user, form.phrases.data, library,
                submit_key=form.submit_key.data or None))
            if outcome.ok:
                return redirect(url_for("station.spoken", attempt_id=outcome.value.id))
        else:
            flash_form_errors(form)
    else:
        form.submit_key.data = new_submit_key()
    return render_template("station/spoken_start.html", person=person, form=form,
                           available=available, most=practical.MAX_SPOKEN_PHRASES)


def _check_or_404(attempt_id: int):
    attempt = practical.spoken_check_for(current_user, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


def _turn_payload(attempt, position: int) -> dict:
    """The turn JSON of trainer/practice/api.py, with this area's URLs (only the head's own
    recording counts, so the state shown is that of his recording)."""
    response = practical.recorded_response(attempt, position)
    data = turns.turn_state(response)
    data["attempt"] = turns.attempt_state(attempt)
    base = {"attempt_id": attempt.id, "position": position}
    data["urls"] = {
        "status": url_for("station.spoken_turn", **base),
        "retry": url_for("station.spoken_retry", **base),
        "recording": url_for("practice.recording", response_id=response.id)
        if response is not None and response.recording_key else None,
    }
    return data


def _turn_json(attempt, position: int):
    data = _turn_payload(attempt, position)
    return jsonify(data), HTTP_STATUS.get(data["state"], 200)


@bp.route("/station/spoken/<int:attempt_id>")
@requires(Permission.EXAMINE)
def spoken(attempt_id: int):
    attempt = _check_or_404(attempt_id)
    if (attempt.presented or {}).get("check_id"):
        return redirect(url_for("station.check_detail", check_id=attempt.presented["check_id"]))
    person = user_or_404(current_user, attempt.user_id)
    entries = practical.spoken_turns(attempt)
    return render_template(
        "station/spoken.html", attempt=attempt, person=person, entries=entries,
        states={e.position: _turn_payload(attempt, e.position) for e in entries},
        limits=turns.RecordingLimits.from_config(current_app.config))


@bp.route("/station/spoken/<int:attempt_id>/turns/<int:position>")
@requires(Permission.EXAMINE)
def spoken_turn(attempt_id: int, position: int):
    attempt = practical.spoken_check_for(current_user, attempt_id)
    if attempt is None:
        return api_error(404, "找不到这次抽查。", "not_found")
    return _turn_json(attempt, position)


@bp.route("/station/spoken/<int:attempt_id>/turns/<int:position>/audio", methods=["POST"])
@requires(Permission.EXAMINE)
def spoken_audio(attempt_id: int, position: int):
    attempt = practical.spoken_check_for(current_user, attempt_id)
    if attempt is None:
        return api_error(404, "找不到这次抽查。", "not_found")
    response, pcm, refused = accept_uploaded_recording(attempt, position, get_library())
    if refused:
        return refused
    practical.mark_recorded(attempt, position, response.id)
    db.session.commit()
    speech_jobs.dispatch(response.id, response.recording_key, pcm)
    db.session.expire_all()
    return _turn_json(attempt, position)


@bp.route("/station/spoken/<int:attempt_id>/turns/<int:position>/text", methods=["POST"])
@requires(Permission.EXAMINE)
def spoken_text(attempt_id: int, position: int):
    """What the head heard, typed (when the phone cannot record)."""
    attempt = practical.spoken_check_for(current_user, attempt_id)
    if attempt is None:
        return api_error(404, "找不到这次抽查。", "not_found")
    text = typed_text()
    if not isinstance(text, str):
        return api_error(422, "请先输入听到的回答。", "empty_text")
    try:
        response = turns.record_typed(attempt, position, text, library=get_library(),
                                      store=speech_jobs.recording_store())
    except turns.TurnRefused as refused:
        return api_error(refused.status, refused.message, refused.code)
    practical.mark_recorded(attempt, position, response.id)
    db.session.commit()
    return _turn_json(attempt, position)


@bp.route("/station/spoken/<int:attempt_id>/turns/<int:position>/recognise",
          methods=["POST"])
@requires(Permission.EXAMINE)
def spoken_retry(attempt_id: int, position: int):
    """Recognise the head's recording of a turn again after a failure."""
    attempt = practical.spoken_check_for(current_user, attempt_id)
    if attempt is None:
        return api_error(404, "找不到这次抽查。", "not_found")
    response = practical.recorded_response(attempt, position)
    if response is None or not response.recording_key:
        return api_error(404, "这一句还没有录音,请先录音。", "no_recording")
    if turns.retry_recognition(response):
        speech_jobs.dispatch(response.id, response.recording_key,
                             duration=(response.asr or {}).get("duration"))
        db.session.expire_all()
    return _turn_json(attempt, position)


@bp.route("/station/spoken/<int:attempt_id>/finish", methods=["GET", "POST"])
@requires(Permission.EXAMINE)
def spoken_finish(attempt_id: int):
    attempt = _check_or_404(attempt_id)
    if (attempt.presented or {}).get("check_id"):
        return redirect(url_for("station.check_detail", check_id=attempt.presented["check_id"]))
    person = user_or_404(current_user, attempt.user_id)
    entries = practical.spoken_turns(attempt)
    form = CheckForm()
    decisions = {e.position: request.form.get(f"verdict-{e.position}") for e in entries}
    if request.method == "POST":
        saved = _save_check(form, lambda: practical.finish_spoken_check(
            attempt, current_user, decisions, get_library(), notes=form.notes.data),
            "服务用语现场抽查")
        if saved is not None:
            return saved
    else:
        decisions = {e.position: (e.response.verdict if e.answered and e.response.verdict
                                  in (Verdict.PASS, Verdict.FAIL) else
                                  (Verdict.FAIL if not e.answered else None))
                     for e in entries}
    return render_template("station/spoken_finish.html", attempt=attempt, person=person,
                           entries=entries, form=form, decisions=decisions)
