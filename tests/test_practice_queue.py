"""Recognition queued to RQ (TRAINER_SPEECH_QUEUE=rq): the upload answers at once with the turn
waiting, a real worker process (`flask --app trainer speech-worker`) on the real Redis scores
it, and the page's status endpoint then shows the result. Inline recognition needs no Redis."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import SPEECH_MODEL_DIR
from tests.practice_helpers import start_phrase, upload, webm
from trainer.extensions import db
from trainer.models import AttemptResponse

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.speech


def redis_answers() -> bool:
    from redis import Redis

    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def queued_app(speech_app, monkeypatch):
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    name = f"speech-test-{secrets.token_hex(4)}"  # other engineers may share this Redis
    monkeypatch.setitem(speech_app.config, "SPEECH_QUEUE", "rq")
    monkeypatch.setitem(speech_app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(speech_app.config, "SPEECH_QUEUE_NAME", name)
    yield speech_app
    from redis import Redis
    from rq import Queue

    Queue(name, connection=Redis.from_url(REDIS_URL)).delete(delete_jobs=True)


def run_worker(app) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "TRAINER_RECORDINGS_DIR": app.config["RECORDINGS_DIR"],
        "TRAINER_ASR_MODEL": str(SPEECH_MODEL_DIR),
        "TRAINER_SPEECH_QUEUE": "rq",
        "TRAINER_REDIS_URL": app.config["REDIS_URL"],
        "TRAINER_SPEECH_QUEUE_NAME": app.config["SPEECH_QUEUE_NAME"],
        "TRAINER_SECRET_KEY": "worker-test",
    }
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run([str(flask), "--app", "trainer", "speech-worker", "--burst"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)


def test_a_queued_recording_is_scored_by_a_worker_process(queued_app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    response = upload(b, attempt_id, webm("a-greet-ok"))
    data = response.get_json()
    assert response.status_code == 202 and data["state"] == "queued"
    assert "排队第 1 位" in data["message"] and data["urls"]["status"]
    with queued_app.app_context():
        row = db.session.scalar(select(AttemptResponse))
        assert row.status == "pending" and row.recording_key and not row.error
    assert b.get(data["urls"]["status"]).get_json()["state"] == "queued"

    worker = run_worker(queued_app)
    assert worker.returncode == 0, worker.stderr[-2000:]

    done = b.get(data["urls"]["status"]).get_json()
    assert done["state"] == "scored" and done["verdict"] == "pass", done
    assert done["attempt"]["status"] == "scored"
    assert done["delivery"]["chars_per_minute"]


def test_without_redis_the_recording_is_recognised_inline(speech_app, login_as, monkeypatch):
    monkeypatch.setitem(speech_app.config, "SPEECH_QUEUE", "rq")
    monkeypatch.setitem(speech_app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    b = login_as("staff_a")
    data = upload(b, start_phrase(b), webm("a-greet-ok")).get_json()
    assert data["state"] == "scored" and data["verdict"] == "pass"


def test_inline_recognition_never_touches_redis(speech_app, login_as, monkeypatch):
    assert speech_app.config["SPEECH_QUEUE"] == "inline"
    monkeypatch.setitem(speech_app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    import trainer.turns.recognition as jobs

    def no_queue(response_id):
        raise AssertionError("inline recognition must not queue")

    monkeypatch.setattr(jobs, "enqueue", no_queue)
    b = login_as("staff_a")
    data = upload(b, start_phrase(b), webm("a-greet-ok")).get_json()
    assert data["state"] == "scored"
