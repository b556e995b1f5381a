"""One background-job runner (trainer/jobs.py): a thread of the process for one site, RQ when
TRAINER_REDIS_URL is set; certificate exports and speech recognition both go through it, with
the same progress record."""

from __future__ import annotations

import secrets
import time

import pytest

from trainer import jobs
from trainer.config import from_environment
from trainer.extensions import db

RESULTS: list[tuple[str, int]] = []


def remember(word: str, number: int) -> None:
    """A task for the tests: proves it ran, with its arguments, inside an app context."""
    from flask import current_app

    RESULTS.append((word, number + int(bool(current_app.config["TESTING"]))))


def test_the_thread_backend_runs_a_task_in_an_app_context(app):
    RESULTS.clear()
    assert jobs.submit(app, "tests.test_jobs.remember", "hi", 1) == "inline"
    assert jobs.wait_for_jobs(10)
    assert RESULTS == [("hi", 2)]


def test_redis_url_in_the_environment_chooses_rq():
    assert from_environment({"TRAINER_REDIS_URL": "redis://r:6379/0"})["JOB_QUEUE"] == "rq"
    assert "JOB_QUEUE" not in from_environment({})
    explicit = {"TRAINER_REDIS_URL": "redis://r:6379/0", "TRAINER_JOB_QUEUE": "inline"}
    assert from_environment(explicit)["JOB_QUEUE"] == "inline"


def test_rq_unreachable_falls_back_to_a_thread(app, monkeypatch):
    RESULTS.clear()
    monkeypatch.setitem(app.config, "JOB_QUEUE", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nobody listens
    assert jobs.backend(app) == "rq"
    assert jobs.submit(app, "tests.test_jobs.remember", "fallback", 5) == "inline"
    assert jobs.wait_for_jobs(10)
    assert RESULTS == [("fallback", 6)]


def test_a_record_that_stops_moving_reads_as_failed(tmp_path):
    store = jobs.RecordStore(tmp_path, stale_seconds=60)
    record = jobs.JobRecord(id=secrets.token_hex(8), created_by=1, created_at="2026-12-07",
                            state=jobs.RUNNING, done=3, total=10)
    store.save(record)
    assert store.load(jobs.JobRecord, record.id).percent == 30
    path = store.path(record.id)
    path.write_text(path.read_text().replace(str(record.updated), str(time.time() - 3600)))
    stale = store.load(jobs.JobRecord, record.id, "中断了")
    assert stale.state == jobs.FAILED and stale.error == "中断了" and stale.finished
    assert store.load(jobs.JobRecord, "../../etc/passwd") is None


def redis_answers(url: str) -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_a_certificate_export_runs_on_an_rq_worker(app, world, monkeypatch):
    """With the RQ backend the export is queued, a worker runs it, and the page's record says
    done: the same progress record as the thread backend."""
    url = app.config["REDIS_URL"]
    if not redis_answers(url):
        pytest.skip(f"Redis does not answer at {url}")
    from redis import Redis
    from rq import Queue, SimpleWorker

    from tests.training_helpers import certificate
    from trainer.certificates import exports
    from trainer.certificates.service import CertificateFilter
    from trainer.models import User

    name = f"test-jobs-{secrets.token_hex(4)}"
    monkeypatch.setitem(app.config, "JOB_QUEUE", "rq")
    monkeypatch.setitem(app.config, "JOB_QUEUE_NAME", name)
    with app.app_context():
        certificate(world.id("staff_a"), world.id("head_a"))
        hr = db.session.get(User, world.id("hr"))
        job = exports.start_export(hr, CertificateFilter(), "zip", "https://peixun.example.cn")
        assert exports.load_job(job.id).state == jobs.QUEUED  # queued, not run here
        connection = Redis.from_url(url)
        queue = Queue(name, connection=connection)
        try:
            SimpleWorker([queue], connection=connection).work(burst=True, with_scheduler=False)
        finally:
            queue.delete(delete_jobs=True)
        done = exports.load_job(job.id)
        assert done.state == jobs.DONE and done.done == done.total == 1, done
        assert exports.file_path(done).stat().st_size > 0
