"""The spoken-turn API (JSON) for ANY attempt kind, and recording replay.

Reuse: a page that shows turn N of attempt A binds static/js/recorder.js to an element with
``data-upload-url`` / ``data-text-url`` pointing here (templates/practice/_recorder.html has
the macro) and renders the result event with static/js/speech-result.js. The attempt must be
the current user's and open; what each position answers comes from ``attempt.presented``
(see trainer/turns/rules.py).

    POST /practice/attempts/<A>/turns/<N>/audio      multipart field "audio" (any browser format)
    POST /practice/attempts/<A>/turns/<N>/text       field "text" (typed fallback)
    POST /practice/attempts/<A>/turns/<N>/recognise  retry recognition of a 待识别 turn
    GET  /practice/attempts/<A>/turns/<N>            the turn's state (the page polls it)
    GET  /recordings/<response_id>                   replay (owner, his station head, HR, admin)

POSTs carry the CSRF token in the ``X-CSRFToken`` header. Every answer is JSON:
``{"state": "scored"|"queued"|"failed"|"no_speech"|"empty", ...turn fields, "attempt": {...},
"urls": {...}}`` (turns.turn_state / turns.attempt_state), or ``{"error": <Chinese message>,
"code": ...}`` with 4xx/5xx. HTTP status: 200 scored / no speech, 202 queued, 503 recognition
failed (kept as 待识别), 403 typing where the turn must be spoken, 404 not yours or no such
turn, 409 attempt closed / turn answered / out of order / still being recognised, 413 over the
size limit (refused from Content-Length before the body is read), 422 unusable recording or
text, 429 another recording of the person still being recognised.
"""

from __future__ import annotations

from flask import current_app, request, send_file
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from trainer.auth.access import login_required
from trainer.extensions import db
from trainer.library import ContentUnavailable, get_library
from trainer.models import AttemptResponse
from trainer.practice.blueprint import bp
from trainer.turns import recognition as speech_jobs
from trainer.turns import rules as turns
from trainer.turns.http import (
    MEDIA_TYPES,
    MULTIPART_SLACK,
    accept_uploaded_recording,
    api_error,
    turn_json,
    typed_text,
)

AUDIO_ENDPOINT = "practice.turn_audio"


@bp.url_value_preprocessor
def refuse_oversized_uploads(endpoint: str | None, values: dict | None) -> None:
    """Runs before the CSRF check parses the body: an upload whose Content-Length is over the
    limit is refused unread, and a body without one is cut off at the limit while it streams."""
    if endpoint != AUDIO_ENDPOINT or request.method != "POST":
        return
    limits = turns.RecordingLimits.from_config(current_app.config)
    allowed = limits.max_bytes + MULTIPART_SLACK
    request.max_content_length = allowed
    if request.content_length is not None and request.content_length > allowed:
        raise RequestEntityTooLarge(limits.too_large_message())


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    limits = turns.RecordingLimits.from_config(current_app.config)
    return api_error(413, limits.too_large_message(), "too_large")


NOT_FOUND = ("找不到这次练习。", "not_found")


def _own_attempt(attempt_id: int):
    return turns.own_attempt(current_user, attempt_id)


def _answerable(attempt_id: int):
    """(attempt, library, None), or (.., .., the JSON error) when either is missing."""
    attempt = _own_attempt(attempt_id)
    if attempt is None:
        return None, None, api_error(404, *NOT_FOUND)
    try:
        return attempt, get_library(), None
    except ContentUnavailable:
        return attempt, None, api_error(503, "培训内容暂时不可用，请联系管理员。", "no_content")


@bp.route("/practice/attempts/<int:attempt_id>/turns/<int:position>/audio", methods=["POST"])
@login_required
def turn_audio(attempt_id: int, position: int):
    """Store a recorded answer (as 待识别) and recognise and score it."""

    attempt, library, refused = _answerable(attempt_id)
    if refused:
        return refused
    try:
        turns.turn_target(attempt, position, library)
        turns.check_open(attempt, position)
    except turns.TurnRefused as error:
        return api_error(error.status, error.message, error.code)
    response, pcm, refused = accept_uploaded_recording(attempt, position, library)
    if refused:
        return refused
    speech_jobs.dispatch(response.id, response.recording_key, pcm)
    db.session.expire_all()
    return turn_json(attempt, position)


@bp.route("/practice/attempts/<int:attempt_id>/turns/<int:position>/text", methods=["POST"])
@login_required
def turn_text(attempt_id: int, position: int):
    """Score a typed answer (the fallback when the microphone is refused or missing)."""
    attempt, library, refused = _answerable(attempt_id)
    if refused:
        return refused
    text = typed_text()
    if not isinstance(text, str):
        return api_error(422, "请先输入您的回答。", "empty_text")
    try:
        turns.record_typed(attempt, position, text, library=library,
                           store=speech_jobs.recording_store())
    except turns.TurnRefused as refused:
        return api_error(refused.status, refused.message, refused.code)
    return turn_json(attempt, position)


@bp.route("/practice/attempts/<int:attempt_id>/turns/<int:position>/recognise",
          methods=["POST"])
@login_required
def turn_retry(attempt_id: int, position: int):
    """Recognise a 待识别 turn again (after a failure, or when a queued job was lost)."""
    attempt = _own_attempt(attempt_id)
    if attempt is None:
        return api_error(404, *NOT_FOUND)
    response = turns.response_at(attempt, position)
    if response is None or not response.recording_key:
        return api_error(404, "这一轮还没有录音，请先录音。", "no_recording")
    if turns.retry_recognition(response):
        speech_jobs.dispatch(response.id, response.recording_key,
                             duration=(response.asr or {}).get("duration"))
        db.session.expire_all()
    return turn_json(attempt, position)


@bp.route("/practice/attempts/<int:attempt_id>/turns/<int:position>")
@login_required
def turn_status(attempt_id: int, position: int):
    """The turn's state: the page polls this while recognition is queued."""
    attempt = _own_attempt(attempt_id)
    if attempt is None:
        return api_error(404, *NOT_FOUND)
    return turn_json(attempt, position, status=200)


@bp.route("/recordings/<int:response_id>")
@login_required
def recording(response_id: int):
    """Stream a stored recording (with Range support) to those who may hear it; 404 otherwise."""
    from trainer import speech

    response = db.session.get(AttemptResponse, response_id)
    if response is None or not response.recording_key or not turns.may_replay(
            current_user, response.attempt):
        return api_error(404, "找不到这段录音。", "not_found")
    try:
        path = speech_jobs.recording_store().path_for(response.recording_key)
    except speech.StorageError:
        return api_error(404, "找不到这段录音。", "not_found")
    if not path.is_file():
        return api_error(404, "找不到这段录音，可能已被删除。", "not_found")
    suffix = path.suffix.lstrip(".")
    sent = send_file(path, mimetype=MEDIA_TYPES.get(suffix, "application/octet-stream"),
                     conditional=True, etag=True, max_age=0)
    sent.headers["Cache-Control"] = "private, max-age=0"
    return sent
