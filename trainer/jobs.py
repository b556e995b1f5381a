"""One background-job runner for long tasks: speech recognition, certificate exports, and any
future one. A task is a plain function named by its dotted path, run inside an app context.

Two backends, chosen by the settings (trainer/settings.py ``job_queue``):

- ``inline`` (one site, the default): a thread of this server process runs the task. Speech
  recognition has its own in-process pool with priorities (trainer/turns/recognition.py), which is
  this backend specialised for many short tasks.
- ``rq`` (set ``TRAINER_REDIS_URL``, or ``TRAINER_JOB_QUEUE=rq``): the task goes to Redis and
  an RQ worker (``flask --app trainer speech-worker``, which also takes the ``jobs`` queue)
  runs it in an app it builds once. If Redis cannot be reached, this process runs the task.

Progress: a task that reports progress keeps one :class:`JobRecord` (state, done, total,
error) as JSON in a directory every server process reads (:class:`RecordStore`), so a page
can poll whichever worker answers; a running record that stops moving is reported failed.
Speech turns report their progress on their own row (待识别 → 识别中 → 评分完成).
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STALE_MESSAGE = "任务中断(服务可能已重启),请重新开始。"
JOBS_QUEUE = "jobs"
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")

# Threads of this process still running a task (wait_for_jobs joins them).
_running: set[threading.Thread] = set()
_running_lock = threading.Lock()
_worker_app: Any = None


# --- the progress record ----------------------------------------------------------------------


@dataclass
class JobRecord:
    """One job's progress, as stored in ``<directory>/<id>.json``."""

    id: str
    created_by: int
    created_at: str
    state: str = QUEUED
    done: int = 0
    total: int | None = None
    error: str = ""
    updated: float = field(default_factory=time.time)

    LABELS: ClassVar[dict[str, str]] = {QUEUED: "排队中", RUNNING: "进行中", DONE: "已完成",
                                        FAILED: "失败"}

    @property
    def state_label(self) -> str:
        return self.LABELS.get(self.state, self.state)

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def as_json(self) -> dict[str, Any]:
        """What a page polls."""
        return {"id": self.id, "state": self.state, "state_label": self.state_label,
                "done": self.done, "total": self.total, "percent": self.percent,
                "error": self.error, "finished": self.finished}


RecordT = TypeVar("RecordT", bound=JobRecord)


class RecordStore:
    """Progress records in one directory shared by every server process (and the workers)."""

    def __init__(self, directory: Path, *, stale_seconds: float) -> None:
        self.directory = directory
        self.stale_seconds = stale_seconds

    def path(self, job_id: str) -> Path:
        return self.directory / f"{job_id}.json"

    def save(self, record: JobRecord) -> None:
        record.updated = time.time()
        path = self.path(record.id)
        temporary = path.with_suffix(f".json.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(json.dumps(asdict(record), ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)  # readers never see half a record

    def load(self, kind: type[RecordT], job_id: str, stale_message: str = STALE_MESSAGE
             ) -> RecordT | None:
        """The record, or None for an unknown or malformed id. A running record that has not
        moved for ``stale_seconds`` is reported (and saved) failed: its process is gone."""
        if not _JOB_ID.match(job_id or ""):
            return None
        try:
            record = kind(**json.loads(self.path(job_id).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        if not record.finished and time.time() - record.updated > self.stale_seconds:
            record.state, record.error = FAILED, stale_message
            self.save(record)
        return record

    def remove_older_than(self, hours: float) -> None:
        """Delete records and files of this directory older than ``hours``."""
        limit = time.time() - hours * 3600
        for path in self.directory.glob("*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                continue


# --- running a task ---------------------------------------------------------------------------


def backend(app: Any) -> str:
    """"rq" or "inline", as the settings say (SPEECH_QUEUE=rq, the older name, counts too)."""
    from trainer.settings import Settings

    return "rq" if Settings.from_config(app.config).job_queue == "rq" else "inline"


def submit(app: Any, task: str, *args: Any, queue: str | None = None, timeout: int = 3600,
           name: str = "job") -> str:
    """Run ``task(*args)`` in the background, in an app context; returns the backend used.

    RQ when the settings say so and Redis answers; otherwise a thread of this process.
    """
    if backend(app) == "rq":
        try:
            enqueue(app, task, *args, queue=queue, timeout=timeout)
            return "rq"
        except Exception:
            log.warning("job queue unreachable; running %s here", task, exc_info=True)
    start_thread(app, task, *args, name=name)
    return "inline"


def enqueue(app: Any, task: str, *args: Any, queue: str | None = None, timeout: int = 3600
            ) -> Any:
    """Put one task on an RQ queue (default JOB_QUEUE_NAME; raises when Redis cannot be
    reached)."""
    from redis import Redis
    from rq import Queue

    from trainer.settings import Settings

    queue = queue or Settings.from_config(app.config).job_queue_name or JOBS_QUEUE
    connection = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2,
                                socket_timeout=5)
    return Queue(queue, connection=connection).enqueue(
        "trainer.jobs.run_task", task, *args, job_timeout=timeout, result_ttl=600,
        failure_ttl=24 * 3600)


def start_thread(app: Any, task: str, *args: Any, name: str = "job") -> threading.Thread:
    """Run the task on a daemon thread of this process, in its own app context and session."""
    thread = threading.Thread(target=_run_in_thread, args=(app, task, args), name=name,
                              daemon=True)
    with _running_lock:
        _running.add(thread)
    thread.start()
    return thread


def run_task(task: str, *args: Any) -> Any:
    """The RQ job: the task in the worker's app (built once per worker process)."""
    from flask import has_app_context

    if has_app_context():
        return resolve(task)(*args)
    with worker_app().app_context():
        try:
            return resolve(task)(*args)
        finally:
            _remove_session()


def worker_app() -> Any:
    """The app of an RQ worker process, built on its first job."""
    global _worker_app
    if _worker_app is None:
        from trainer import create_app

        _worker_app = create_app()
    return _worker_app


def wait_for_jobs(timeout: float = 60.0) -> bool:
    """Wait until this process's task threads have finished (tests, orderly shutdown); returns
    whether all did within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    with _running_lock:
        threads = list(_running)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread in threads)


def resolve(task: str) -> Callable[..., Any]:
    """The function a dotted path names ("trainer.certificates.exports.run_export")."""
    module, _, name = task.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _run_in_thread(app: Any, task: str, args: tuple[Any, ...]) -> None:
    try:
        with app.app_context():
            try:
                resolve(task)(*args)
            finally:
                _remove_session()
    except Exception:  # a task reports its own failure; never let one kill silently
        log.exception("background task %s failed", task)
    finally:
        with _running_lock:
            _running.discard(threading.current_thread())


def _remove_session() -> None:
    from trainer.extensions import db

    db.session.remove()
