"""Scale-out: two app servers (gunicorn, as `make run` starts one) and one speech worker
(`flask --app trainer speech-worker`, RQ) against one PostgreSQL and one Redis on loopback.

The servers keep nothing of their own: the session is a cookie signed with the shared secret,
failed logins are counted in Redis, recordings go to one shared directory, and recognition is
queued to the worker. So a trainee signed in on server A is signed in on server B, a spoken
answer sent to A is scored by the worker and shown by B, and failures on A count on B.

The test has its own PostgreSQL database (dropped afterwards) and its own Redis keys (a random
prefix, removed afterwards), so it runs once, in the default (SQLite) pass of the suite; it
is skipped otherwise only when PostgreSQL or Redis does not answer.
"""

from __future__ import annotations

import io
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks import harness, pages
from tests.conftest import run_once_in_the_default_pass
from tests.practice_helpers import webm

REDIS_URL = "redis://127.0.0.1:6379/0"
pytestmark = [pytest.mark.slow, pytest.mark.speech]


def redis_answers() -> bool:
    from redis import Redis

    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


HR_NUMBER = "SO-HR"


@dataclass
class Cluster:
    a: harness.AppServer
    b: harness.AppServer
    worker_log: Path
    recordings: Path
    roster: harness.Roster

    def trainee(self, server: harness.AppServer, index: int = 0) -> pages.Trainee:
        return pages.Trainee(server.url, self.roster.employee_nos[index], self.roster.password)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    run_once_in_the_default_pass()
    if not harness.postgres_answers():
        pytest.skip("PostgreSQL does not answer on the loopback (or may not create databases)")
    if not redis_answers():
        pytest.skip(f"Redis does not answer on {REDIS_URL}")
    from trainer.speech.model_setup import ensure_model

    ensure_model(harness.MODEL_DIR)
    work = tmp_path_factory.mktemp("scaleout")
    url = harness.create_postgres_database("trainer_scaleout")
    prefix = f"trainer-scaleout-{secrets.token_hex(4)}"
    processes: list = []
    try:
        # The development clip greets at 昆仑加气站.
        roster = harness.prepare_database(url, trainees=3, stations=1, instance=work / "instance",
                                          short_name="昆仑")
        add_hr(url, work / "instance", roster.password)
        shared_dir = work / "shared"  # an NFS mount or the like, on real separate machines
        recordings = shared_dir / "recordings"
        shared = {
            "TRAINER_SPEECH_QUEUE": "rq", "TRAINER_REDIS_URL": REDIS_URL,
            "TRAINER_SPEECH_QUEUE_NAME": f"{prefix}-speech",
            "TRAINER_RATELIMIT_STORAGE_URI": REDIS_URL, "TRAINER_RATELIMIT_KEY_PREFIX": prefix,
            "TRAINER_EXPORTS_DIR": str(shared_dir / "exports"),
            "TRAINER_EVIDENCE_DIR": str(shared_dir / "evidence"),
        }
        secret = secrets.token_hex(32)

        def environment(port: int) -> dict:
            return harness.server_environment(url, port=port, workers=1, threads=2,
                                              recordings=recordings, secret=secret, extra=shared)

        servers = []
        for name in ("a", "b"):
            server = harness.AppServer(environment(harness.free_port()), work / f"{name}.log")
            processes.append(server)
            servers.append(server.start())
        worker_log = work / "worker.log"
        worker = harness.start_speech_worker(environment(0), worker_log)
        processes.append(worker)
        yield Cluster(servers[0], servers[1], worker_log, recordings, roster)
    finally:
        for process in processes:
            if isinstance(process, harness.AppServer):
                process.stop()
            else:
                harness.stop_process(process)
        harness.drop_postgres_database(url)
        _remove_redis_keys(prefix)


def add_hr(url: str, instance: Path, password: str) -> None:
    from werkzeug.security import generate_password_hash

    from trainer.extensions import db
    from trainer.models import Role, User

    app = harness._app(url, instance)
    with app.app_context():
        db.session.add(User(employee_no=HR_NUMBER, name="人事", role=Role.HR,
                            password_hash=generate_password_hash(password, "pbkdf2:sha256:1000")))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _remove_redis_keys(prefix: str) -> None:
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    redis = Redis.from_url(REDIS_URL)
    queue = Queue(f"{prefix}-speech", connection=redis)
    for registry in (FinishedJobRegistry(queue=queue), FailedJobRegistry(queue=queue)):
        for job_id in registry.get_job_ids():
            redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    queue.delete(delete_jobs=True)
    for key in redis.scan_iter(match=f"*{prefix}*"):  # the login-limit counters, registries
        redis.delete(key)


def test_the_servers_are_two_processes_of_their_own(cluster):
    assert cluster.a.port != cluster.b.port
    assert cluster.a.process.pid != cluster.b.process.pid
    assert set(cluster.a.worker_pids()).isdisjoint(cluster.b.worker_pids())


def test_a_session_signed_in_on_one_server_works_on_the_other(cluster):
    on_a = cluster.trainee(cluster.a)
    assert on_a.login().status_code == 302
    # A fresh client that has only the cookie server A set.
    on_b = pages.Trainee(cluster.b.url, on_a.employee_no, "")
    on_b.session.cookies.set("session", on_a.session.cookies["session"])
    home = on_b.get("/me")
    assert home.status_code == 200 and pages.HOME_MARK in home.text
    assert "学员0" in home.text
    # The CSRF token of A's page is good on B (it lives in the signed session).
    on_b.csrf = on_a.csrf
    assert on_b.start("/me/modules/image/quiz", "quiz") is not None
    # Without the cookie, B knows nobody.
    stranger = pages.Trainee(cluster.b.url, "", "")
    assert stranger.get("/me", allow_redirects=False).status_code == 302


def test_a_spoken_answer_sent_to_one_server_is_scored_by_the_worker_and_seen_on_the_other(
        cluster):
    on_a = cluster.trainee(cluster.a, 1)
    assert on_a.login().status_code == 302
    started = on_a.post("/practice/phrases/sl-greet/start", {"submit_key": secrets.token_hex(16)})
    attempt = pages.attempt_id(started.headers.get("Location"))
    assert started.status_code == 302 and attempt, started.text[:300]
    recording = webm("a-greet-ok")  # a real clip of the shared development set
    uploaded = on_a.session.post(
        on_a.url(f"/practice/attempts/{attempt}/turns/0/audio"),
        files={"audio": ("answer.webm", io.BytesIO(recording), "audio/webm")},
        headers={"X-CSRFToken": on_a.csrf, "Accept": "application/json"}, timeout=30)
    # Server A only stores it and queues it: the answer is 202 "queued", not a score.
    assert uploaded.status_code == 202, uploaded.text[:500]
    assert uploaded.json()["state"] == "queued"

    on_b = pages.Trainee(cluster.b.url, on_a.employee_no, "")
    on_b.session.cookies.set("session", on_a.session.cookies["session"])
    status_url = f"/practice/attempts/{attempt}/turns/0"
    deadline = time.monotonic() + 120
    state = {}
    while time.monotonic() < deadline:
        state = on_b.get(status_url, headers={"Accept": "application/json"}).json()
        if state["state"] != "queued":
            break
        time.sleep(0.5)
    assert state["state"] == "scored", (state, cluster.worker_log.read_text()[-2000:])
    # Recognised (Whisper may write traditional characters; scoring reads both) and passed.
    assert state["verdict"] == "pass" and len(state["transcript"]) >= 8
    assert state["attempt"]["status"] == "scored"
    # The worker did it (its log names the job), not a server recognising inline.
    assert "trainer.turns.recognition.run_job" in cluster.worker_log.read_text()
    # The recording is in the shared directory, and B replays what A stored.
    assert [p.read_bytes() for p in cluster.recordings.rglob("*.webm")] == [recording]
    replay = on_b.get(state["urls"]["recording"])
    assert replay.status_code == 200 and replay.content == recording
    page = on_b.get(f"/me/history/{attempt}")  # 练习记录, rendered by B from the database
    assert page.status_code == 200 and state["transcript"] in page.text


def test_failed_logins_on_one_server_count_on_the_other(cluster):
    number = cluster.roster.employee_nos[2]
    for server, times in ((cluster.a, 3), (cluster.b, 2)):
        for _ in range(times):
            failed = pages.Trainee(server.url, number, cluster.roster.password).login("wrong-pass")
            assert failed.status_code == 401
    # Five failures in all (counted in the shared database), none of them five on one server:
    # from this address the sixth try waits, even with the right password, on either server.
    for server in (cluster.a, cluster.b):
        locked = pages.Trainee(server.url, number, cluster.roster.password).login()
        assert locked.status_code == 429
        assert "后再试" in locked.text
    # The wait is this account's from this address only: a colleague still signs in.
    assert cluster.trainee(cluster.b, 0).login().status_code == 302


def test_an_export_started_on_one_server_is_followed_and_downloaded_on_the_other(cluster):
    on_a = pages.Trainee(cluster.a.url, HR_NUMBER, cluster.roster.password)
    assert on_a.login().status_code == 302
    started = on_a.post("/certificates/exports", {"format": "zip"})
    assert started.status_code == 302 and "/certificates/exports/" in started.headers["Location"]
    job = started.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    on_b = pages.Trainee(cluster.b.url, HR_NUMBER, "")
    on_b.session.cookies.set("session", on_a.session.cookies["session"])
    deadline = time.monotonic() + 60
    status = {}
    while time.monotonic() < deadline:
        status = on_b.get(f"/certificates/exports/{job}/status").json()
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.3)
    assert status["state"] == "done", status
    download = on_b.get(status["download"])
    assert download.status_code == 200 and download.content[:2] == b"PK"
