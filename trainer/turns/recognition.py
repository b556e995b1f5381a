"""Recognising a stored recording and scoring its turn, never on every request thread at once.

By default (``SPEECH_QUEUE = "inline"``) each server process recognises on a small pool of its
own (:class:`RecognitionPool`, ``SPEECH_WORKERS`` threads, default 2, one of them for short
answers only): with gunicorn's default 2 processes x 4 threads, at most 4 recognitions run at
a time and every request thread stays free for pages. Short answers go before long recordings,
and long recordings are decoded at the lowest CPU priority (the engine's background model), so
that the kernel gives the cores to short answers of every server process first, also in the
middle of a long recording's 30-s window. The upload request waits for its result only
when it is short and likely to be quick (``SPEECH_WAIT_SECONDS``); otherwise it answers 202 at
once and the page polls the turn (上传中 → 排队第 N 位 → 识别中 → 评分完成).

With the RQ backend of trainer/jobs.py (``TRAINER_REDIS_URL``, or ``TRAINER_SPEECH_QUEUE=rq``)
the work goes to an RQ worker instead (several servers): ``flask --app trainer speech-worker``.
If Redis cannot be reached when a recording arrives, the process's own pool takes it. The pool
is trainer/jobs.py's inline backend specialised for many short tasks (priorities, waiting).

Every path ends with the turn committed as scored, as 待识别 with a message (retry later), or
as "no speech" (record again). A result only lands on the recording it was made from: the job
carries the recording key, and the turn row is claimed (locked) before it is written.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import update

from trainer import jobs
from trainer.extensions import db
from trainer.settings import Settings
from trainer.turns import rules as turns
from trainer.turns import timing

log = logging.getLogger(__name__)

ENGINE_FAILED = "语音识别出错,录音已保存,请稍后点“重新识别”。"
# Recordings up to this long are "short": they go before long ones and may be waited for.
SHORT_SECONDS = 15.0


def recording_store(app: Flask | None = None) -> Any:
    """The app's recording store: a local directory (RECORDINGS_DIR or instance/recordings)."""
    from trainer.speech import LocalRecordingStore

    app = app or current_app
    root = Settings.from_config(app.config).recordings_dir or str(
        Path(app.instance_path) / "recordings")
    return LocalRecordingStore(root)


def speech_engine(app: Flask | None = None) -> Any:
    """The process's cached recogniser as the app's ASR_* settings choose it."""
    from trainer.speech import engine_from_config

    app = app or current_app
    return engine_from_config(app.config, app.instance_path)


def uses_queue(app: Flask | None = None) -> bool:
    """Whether recognition goes to the RQ worker (the jobs backend is "rq")."""
    return jobs.backend(app or current_app) == "rq"


def dispatch(response_id: int, key: str | None = None, pcm: Any = None,
             duration: float | None = None) -> str:
    """Queue a stored turn for recognition (the RQ worker, or this process's pool) and, for a
    short recording on the pool, wait a little for its result. Returns "queued" or the state
    it reached. ``pcm``: the already decoded recording (saves decoding it twice);
    ``duration``: its length when ``pcm`` is not given (unknown counts as short)."""
    app = current_app._get_current_object()
    if uses_queue(app):
        try:
            enqueue(response_id, key)
            return "queued"
        except Exception:
            # Redis down: the trainee should not wait for a worker that cannot be reached.
            log.warning("speech queue unreachable; recognising response %s here", response_id,
                        exc_info=True)
    duration = pcm.duration if pcm is not None else float(duration or 0)
    future = pool_for(app).submit(response_id, key, pcm, duration)
    wait = Settings.from_config(app.config).speech_wait_seconds
    if wait <= 0 or duration > SHORT_SECONDS:
        return "queued"
    with pool_for(app).waiting() as allowed:
        if not allowed:
            return "queued"  # enough request threads are already waiting: keep this one free
        try:
            return future.result(timeout=wait)
        except TimeoutError:
            return "queued"


def enqueue(response_id: int, key: str | None = None) -> Any:
    """Put one recognition on the speech queue of RQ (raises when Redis cannot be reached)."""
    app = current_app._get_current_object()
    settings = Settings.from_config(app.config)
    return jobs.enqueue(app, "trainer.turns.recognition.run_job", response_id, key,
                        queue=settings.speech_queue_name or "speech",
                        timeout=settings.speech_job_timeout)


def run_job(response_id: int, key: str | None = None) -> str:
    """The task (run by trainer.jobs.run_task in the worker's app): recognise one stored turn."""
    return recognise_stored(response_id, key)


# --- the in-process pool ----------------------------------------------------------------------


class RecognitionPool:
    """A few recognition threads per server process, short recordings first.

    ``workers`` threads take jobs from a priority queue: recordings up to SHORT_SECONDS
    before longer ones, each kind in arrival order. With two or more threads the first takes
    short recordings only, so a short answer never waits behind a long recording; the long
    recording itself is decoded at the lowest priority (see the module docstring), so it does
    not slow the short answers down either. Each job runs in its own app context and database
    session.
    """

    def __init__(self, app: Flask, workers: int, waiters: int) -> None:
        self.app = app
        self._jobs: list[tuple[int, int, Any]] = []
        self._order = itertools.count()
        self._lock = threading.Condition()
        self._waiting = threading.BoundedSemaphore(max(1, waiters))
        self.elapsed = 2.0  # recent seconds per short job (a moving average), for the estimate
        workers = max(1, workers)
        for number in range(workers):
            short_only = workers > 1 and number == 0
            threading.Thread(target=self._work, args=(short_only,), name=f"speech-{number}",
                             daemon=True).start()

    def submit(self, response_id: int, key: str | None, pcm: Any, duration: float) -> Future:
        future: Future = Future()
        is_long = duration > SHORT_SECONDS
        with self._lock:
            heapq.heappush(self._jobs, (int(is_long), next(self._order),
                                        (response_id, key, pcm, future)))
            self._lock.notify_all()
        return future

    def waiting(self) -> Any:
        """A context manager: True if this request may wait for its result."""
        pool = self

        class _Slot:
            def __enter__(self) -> bool:
                self.taken = pool._waiting.acquire(blocking=False)
                return self.taken

            def __exit__(self, *exc: Any) -> None:
                if self.taken:
                    pool._waiting.release()

        return _Slot()

    def _next(self, short_only: bool) -> tuple[bool, Any]:
        with self._lock:
            while not self._jobs or (short_only and self._jobs[0][0] != 0):
                self._lock.wait()
            kind, _, job = heapq.heappop(self._jobs)
            return kind == 1, job

    def _work(self, short_only: bool) -> None:
        while True:
            is_long, (response_id, key, pcm, future) = self._next(short_only)
            started = time.perf_counter()
            state, failure = None, None
            try:
                with self.app.app_context():
                    try:
                        state = recognise_stored(response_id, key, pcm)
                    finally:
                        db.session.remove()
            except Exception as error:  # never let one job kill the thread
                log.exception("recognition job for response %s failed", response_id)
                failure = error
            if not is_long:
                self.elapsed = timing.note(self.app, time.perf_counter() - started)
            if failure is not None:
                future.set_exception(failure)
            else:
                future.set_result(state)


_pools: dict[tuple[int, int], RecognitionPool] = {}
_pools_lock = threading.Lock()


def pool_for(app: Flask) -> RecognitionPool:
    """This process's pool for ``app`` (made on first use, after gunicorn forked)."""
    key = (os.getpid(), id(app))
    pool = _pools.get(key)
    if pool is None:
        with _pools_lock:
            pool = _pools.get(key)
            if pool is None:
                settings = Settings.from_config(app.config)
                pool = _pools[key] = RecognitionPool(
                    app, settings.speech_workers, settings.speech_waiters)
    return pool


seconds_per_answer = timing.seconds_per_answer


# --- one job ----------------------------------------------------------------------------------


def recognise_stored(response_id: int, key: str | None = None, pcm: Any = None) -> str:
    """Recognise the recording of a 待识别 turn and score it; commits and returns the state.

    States: "scored", "no_speech", "failed" (kept as 待识别 with the message), "gone" (no such
    turn, no recording, or the turn now holds another recording), or the current state when
    it is no longer waiting.
    """
    from trainer import speech
    from trainer.library import get_library
    from trainer.models import AttemptResponse, ResponseStatus

    response = db.session.get(AttemptResponse, response_id)
    if response is None or not response.recording_key:
        return "gone"
    key = key or response.recording_key
    if response.recording_key != key:
        return "gone"
    if response.status != ResponseStatus.PENDING:
        return turns.turn_state(response)["state"]
    turns.mark_recognising(response)
    db.session.commit()
    try:
        if pcm is None:
            limits = turns.RecordingLimits.from_config(current_app.config)
            path = recording_store().path_for(key)
            pcm = speech.load_audio(path, max_bytes=max(limits.max_bytes, _size(path)),
                                    max_seconds=limits.max_seconds)
        library = get_library()
        heard = turns.hear_turn(response, pcm, speech_engine(), library,
                                time_limit=Settings.from_config(current_app.config)
                                .speech_time_limit,
                                long_seconds=SHORT_SECONDS)
        if not claim(response_id, key):
            db.session.rollback()
            return "gone"  # the turn was answered again meanwhile: this result is not its
        db.session.refresh(response)
        state = turns.apply_transcript(response, heard, library)
    except speech.SpeechUnavailable as error:
        db.session.rollback()
        log.error("speech recognition unavailable for response %s: %s", response_id,
                  getattr(error, "detail", "") or error.message)
        return _failed(response_id, key, error.message)
    except speech.SpeechError as error:
        db.session.rollback()
        return _failed(response_id, key, error.message)
    except Exception:
        db.session.rollback()
        log.exception("recognition of response %s failed", response_id)
        return _failed(response_id, key, ENGINE_FAILED)
    db.session.commit()
    return state


def claim(response_id: int, key: str) -> bool:
    """Lock the turn for writing its result, if it still holds this recording and waits for
    recognition (a conditional UPDATE: atomic on SQLite and PostgreSQL)."""
    from trainer.models import AttemptResponse, ResponseStatus

    result = db.session.execute(
        update(AttemptResponse)
        .where(AttemptResponse.id == response_id, AttemptResponse.recording_key == key,
               AttemptResponse.status == ResponseStatus.PENDING)
        .values(error="")
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _failed(response_id: int, key: str, message: str) -> str:
    from trainer.attempts.service import fail_recognition
    from trainer.models import AttemptResponse

    if not claim(response_id, key):
        db.session.rollback()
        return "gone"
    response = db.session.get(AttemptResponse, response_id)
    db.session.refresh(response)
    fail_recognition(response, message)
    db.session.commit()
    return "failed"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
