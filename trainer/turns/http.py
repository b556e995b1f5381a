"""The JSON helpers of every spoken/typed turn endpoint (practice/api.py, the head's live
spoken check in station/views_checks.py): a request's uploaded recording or typed text in, the
turn's state as the JSON body out. Needs a request; the rules are in rules.py.
"""

from __future__ import annotations

from flask import current_app, jsonify, request, url_for

from trainer.attempts import service as attempts
from trainer.turns import recognition as speech_jobs
from trainer.turns import rules as turns

# Room for the multipart boundaries, part headers and a CSRF field around the recording.
MULTIPART_SLACK = 64 * 1024
MEDIA_TYPES = {
    "webm": "audio/webm", "ogg": "audio/ogg", "m4a": "audio/mp4", "mp4": "audio/mp4",
    "wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "aac": "audio/aac",
    "amr": "audio/amr", "aiff": "audio/aiff",
}
HTTP_STATUS = {"scored": 200, "no_speech": 200, "queued": 202, "failed": 503, "empty": 200}


def api_error(status: int, message: str, code: str):
    """A JSON error for fetch(): the Chinese message and a stable code."""
    return jsonify(error=message, code=code), status


def accept_uploaded_recording(attempt, position: int, library):
    """Keep the request's uploaded recording on the turn, as 待识别: (response, pcm, None), or
    (None, None, the JSON error) when there is none, it is no usable audio, or it cannot be
    stored. Used by the trainee's turns and by the head's live spoken check."""
    from trainer import speech

    upload = request.files.get("audio")
    if upload is None:
        return None, None, api_error(422, "没有收到录音，请重新录音。", "no_file")
    limits = turns.RecordingLimits.from_config(current_app.config)
    try:
        raw = turns.read_upload(upload.stream, limits)
        response, pcm = turns.accept_recording(
            attempt, position, raw, store=speech_jobs.recording_store(), library=library,
            limits=limits)
    except turns.TurnRefused as refused:
        return None, None, api_error(refused.status, refused.message, refused.code)
    except speech.AudioError as error:
        return None, None, api_error(413 if error.code == "too_large" else 422, error.message,
                                     error.code)
    except speech.StorageError as error:
        return None, None, api_error(507 if error.code == "disk_full" else 503, error.message,
                                     error.code)
    return response, pcm, None


def typed_text() -> str | None:
    """The typed answer of a turn request: the form field "text", or "text" of a JSON object;
    None when the body holds something else (a JSON list, number, or {"text": 5})."""
    if not request.is_json:
        return request.form.get("text", "")
    payload = request.get_json(silent=True)
    text = payload.get("text") if isinstance(payload, dict) else None
    return text if isinstance(text, str) else None


def turn_payload(attempt, position: int) -> dict:
    """The turn's state, the attempt's result and the URLs the page needs (the JSON body)."""
    response = turns.response_at(attempt, position)
    reveal = attempts.answers_revealed(attempt)
    data = turns.turn_state(response, reveal=reveal)
    data["attempt"] = turns.attempt_state(attempt) if reveal else {"id": attempt.id,
                                                                  "status": attempt.status}
    base = {"attempt_id": attempt.id, "position": position}
    data["urls"] = {
        "status": url_for("practice.turn_status", **base),
        "retry": url_for("practice.turn_retry", **base),
        "recording": url_for("practice.recording", response_id=response.id)
        if response is not None and response.recording_key else None,
    }
    return data


def turn_json(attempt, position: int, status: int | None = None):
    """turn_payload as a response, with the HTTP status of its state."""
    data = turn_payload(attempt, position)
    return jsonify(data), status or HTTP_STATUS.get(data["state"], 200)


