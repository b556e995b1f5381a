"""Recognising a stored recording and scoring its turn: inline by default, or on an RQ worker.

``SPEECH_QUEUE = "inline"`` (the default; needs nothing but the model) recognises inside the
upload request. ``TRAINER_SPEECH_QUEUE=rq`` with ``TRAINER_REDIS_URL`` queues the work to an RQ
worker instead, and the page polls the turn's status until it is scored::

    TRAINER_SPEECH_QUEUE=rq TRAINER_REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/rq worker --url redis://127.0.0.1:6379/0 speech

The worker builds the app from the same environment as the web server (DATABASE_URL,
TRAINER_RECORDINGS_DIR, TRAINER_ASR_*), loads the model once and keeps it. If Redis cannot be
reached when a recording arrives, that recording is recognised inline instead of waiting.

Every path ends with the turn committed as scored, as 待识别 with a message (retry later), or
as "no speech" (record again); :func:`recognise_stored` is idempotent on a turn already scored.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context

from trainer.extensions import db

log = logging.getLogger(__name__)

ENGINE_FAILED = "语音识别出错,录音已保存,请稍后点“重新识别”。"
_worker_app: Flask | None = None


def recording_store(app: Flask | None = None) -> Any:
    """The app's recording store: a local directory (RECORDINGS_DIR or instance/recordings)."""
    from trainer.speech import LocalRecordingStore

    app = app or current_app
    root = app.config.get("RECORDINGS_DIR") or str(Path(app.instance_path) / "recordings")
    return LocalRecordingStore(root)


def speech_engine(app: Flask | None = None) -> Any:
    """The process's cached recogniser as the app's ASR_* settings choose it."""
    from trainer.speech import engine_from_config

    app = app or current_app
    return engine_from_config(app.config, app.instance_path)


def uses_queue(app: Flask | None = None) -> bool:
    """Whether recognition goes to the RQ worker (SPEECH_QUEUE = "rq")."""
    app = app or current_app
    return str(app.config.get("SPEECH_QUEUE") or "inline").strip().lower() == "rq"


def dispatch(response_id: int, pcm: Any = None) -> str:
    """Recognise a stored turn now, or queue it; returns the turn's state afterwards.

    ``pcm`` is the already decoded recording (inline only: saves decoding it twice).
    """
    if uses_queue():
        try:
            enqueue(response_id)
            return "queued"
        except Exception:
            # Redis down: the trainee should not wait for a worker that cannot be reached.
            log.warning("speech queue unreachable; recognising response %s inline", response_id,
                        exc_info=True)
    return recognise_stored(response_id, pcm)


def enqueue(response_id: int) -> Any:
    """Put one recognition on the RQ queue (raises when Redis cannot be reached)."""
    from redis import Redis
    from rq import Queue

    config = current_app.config
    connection = Redis.from_url(config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
    queue = Queue(config.get("SPEECH_QUEUE_NAME") or "speech", connection=connection)
    return queue.enqueue(
        "trainer.speech_jobs.run_job", response_id,
        job_timeout=int(config.get("SPEECH_JOB_TIMEOUT") or 180),
        result_ttl=600, failure_ttl=24 * 3600,
    )


def run_job(response_id: int) -> str:
    """The RQ job: recognise one stored turn inside an app (built once per worker process)."""
    if has_app_context():
        return recognise_stored(response_id)
    with _app_for_worker().app_context():
        try:
            return recognise_stored(response_id)
        finally:
            db.session.remove()


def _app_for_worker() -> Flask:
    global _worker_app
    if _worker_app is None:
        from trainer import create_app

        _worker_app = create_app()
        speech_engine(_worker_app).load()
    return _worker_app


def recognise_stored(response_id: int, pcm: Any = None) -> str:
    """Recognise the recording of a 待识别 turn and score it; commits and returns the state.

    States: "scored", "no_speech", "failed" (kept as 待识别 with the message), "gone" (no such
    turn, or it has no recording), or the current state when it is no longer waiting.
    """
    from trainer import speech
    from trainer.library import get_library
    from trainer.models import AttemptResponse, ResponseStatus
    from trainer.practice import turns

    response = db.session.get(AttemptResponse, response_id)
    if response is None or not response.recording_key:
        return "gone"
    if response.status != ResponseStatus.PENDING:
        return turns.turn_state(response)["state"]
    try:
        if pcm is None:
            limits = turns.RecordingLimits.from_config(current_app.config)
            path = recording_store().path_for(response.recording_key)
            pcm = speech.load_audio(path, max_bytes=max(limits.max_bytes, _size(path)),
                                    max_seconds=limits.max_seconds)
        transcript = speech_engine().transcribe(pcm)
        state = turns.apply_transcript(response, transcript, get_library())
    except speech.SpeechError as error:
        db.session.rollback()
        return _failed(response_id, error.message)
    except Exception:
        db.session.rollback()
        log.exception("recognition of response %s failed", response_id)
        return _failed(response_id, ENGINE_FAILED)
    db.session.commit()
    return state


def _failed(response_id: int, message: str) -> str:
    from trainer.attempts.service import fail_recognition
    from trainer.models import AttemptResponse

    response = db.session.get(AttemptResponse, response_id)
    if response is None:
        return "gone"
    fail_recognition(response, message)
    db.session.commit()
    return "failed"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
