"""Faults, against the app under its production server (gunicorn with trainer.gunicorn_conf):

- the server killed (SIGKILL: one worker, then the whole server) in the middle of a burst of
  submissions: after the restart every acknowledged attempt is there and none half-written;
- the speech engine missing, its model directory missing, its model file truncated: a clear
  Chinese message, the recording kept as 待识别, and after the operator's fix the trainee's
  重新识别 scores it (nothing repaired by hand);
- the disk full for recordings: a real full file system (a small tmpfs when this machine lets
  us mount one; otherwise RLIMIT_FSIZE on the server's processes, which the kernel answers with
  EFBIG): the answer is refused in Chinese and nothing is kept; once space is freed the same
  answer goes through;
- the database restarting (a TCP relay between the app and PostgreSQL, cut and restored; the
  real server is not touched): a clear Chinese 503, nothing half-saved, and the first request
  after the database is back works;
- the Redis of the login limits restarting (the same relay): people still sign in, and the
  limits count again once it is back;
- a PostgreSQL backup taken with pg_dump and restored with pg_restore (README, Backups) holds
  every row, and the append-only audit log is still append-only.

Each test has its own database: on PostgreSQL (when DATABASE_URL names one, and always for the
database restart and pg_dump) a database it creates and drops, else a SQLite file. The two
that always use PostgreSQL run once, in the default (SQLite) pass of the suite.
"""

from __future__ import annotations

import io
import os
import random
import secrets
import shutil
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from benchmarks import harness, pages
from tests.conftest import run_once_in_the_default_pass, using_postgres
from tests.practice_helpers import webm

pytestmark = pytest.mark.slow
JSON = {"Accept": "application/json"}
# Tests that speak use the development clip, which greets at 昆仑加气站.
STATION = "昆仑"


@pytest.fixture
def work(tmp_path) -> Path:
    return tmp_path


def _database(kind: str):
    if kind == "postgresql":
        if not harness.postgres_answers():
            pytest.skip("PostgreSQL does not answer on the loopback (or may not create databases)")
        url = harness.create_postgres_database("trainer_faults")
        return url, lambda: harness.drop_postgres_database(url)
    return None, lambda: None


@pytest.fixture
def database_url(work):
    """A database of this test's own, of the suite's kind."""
    url, drop = _database("postgresql" if using_postgres() else "sqlite")
    url = url or f"sqlite:///{work / 'faults.db'}"
    yield url
    drop()


@pytest.fixture
def postgres_url(work):
    """A PostgreSQL database of this test's own, whatever the suite runs on."""
    run_once_in_the_default_pass()
    url, drop = _database("postgresql")
    yield url
    drop()


def server_for(url: str, work: Path, name: str = "server", *, speech: bool = False,
               workers: int = 1, port: int | None = None, extra: dict | None = None,
               file_size_limit: int | None = None) -> harness.AppServer:
    """One gunicorn server on the test's database. Without `speech`, recognition is set to the
    queue so no worker spends seconds loading a model these tests do not use."""
    settings = {} if speech else {"TRAINER_SPEECH_QUEUE": "rq",
                                  "TRAINER_REDIS_URL": "redis://127.0.0.1:1/0"}
    env = harness.server_environment(
        url, port=port or harness.free_port(), workers=workers, threads=2,
        recordings=work / "recordings", secret="faults-" + name, extra={**settings, **(extra or {})})
    return harness.AppServer(env, work / f"{name}.log", file_size_limit=file_size_limit)


def db_rows(url: str, work: Path) -> dict:
    """Attempts and their answers as the database holds them (no server involved)."""
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import Attempt, AttemptResponse

    app = harness._app(url, work / "check-instance")
    with app.app_context():
        attempts = {a.id: (a.status, a.kind) for a in db.session.scalars(select(Attempt))}
        answers = [(r.attempt_id, r.position, r.status, r.recording_key, r.error,
                    r.score is not None) for r in db.session.scalars(select(AttemptResponse))]
        db.session.remove()
        db.engine.dispose()
    return {"attempts": attempts, "answers": answers}


# --- killing the server ------------------------------------------------------------------------


def test_killing_the_server_mid_burst_keeps_every_acknowledged_attempt(database_url, work):
    roster = harness.prepare_database(database_url, trainees=6, stations=2,
                                      instance=work / "instance")
    ledger = harness.Ledger(work / "ledger.jsonl")
    server = server_for(database_url, work, "burst", workers=2).start()
    stop = threading.Event()
    failures: Counter = Counter()
    trainees = {number: pages.Trainee(server.url, number, roster.password, ledger, timeout=10,
                                      rng=random.Random(number)) for number in roster.employee_nos}

    def keep_submitting(trainee: pages.Trainee) -> None:
        while not stop.is_set():
            try:
                if not trainee.modules and trainee.login().status_code != 302:
                    failures["login refused"] += 1
                    continue
                trainee.practice_quiz()
                trainee.roleplay_turn()
            except requests.RequestException:
                failures["connection"] += 1  # the server died under this request
                time.sleep(0.1)

    threads = [threading.Thread(target=keep_submitting, args=(t,)) for t in trainees.values()]
    try:
        for thread in threads:
            thread.start()
        time.sleep(3)
        before_worker_kill = len(ledger.entries())
        server.kill_worker()          # the master starts a new worker
        time.sleep(3)
        before_server_kill = len(ledger.entries())
        server.kill()                 # master and workers at once
        time.sleep(1)                 # clients meet a dead server
        server.start()                # the operator (or systemd) starts it again
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.stop()
    entries = ledger.entries()
    # The burst was really in flight at both kills, and went on afterwards.
    assert before_worker_kill > 0 and before_server_kill > before_worker_kill
    assert len(entries) > before_server_kill, "nothing was acknowledged after the restart"
    assert failures["connection"] > 0, failures

    check = harness.check_ledger(database_url, entries, work / "check-instance")
    print(f"acknowledged {check.acknowledged_attempts} attempts ({before_worker_kill} entries "
          f"before the worker kill, {before_server_kill} before the server kill, {len(entries)} "
          f"in all), {check.attempts_in_database} in the database, "
          f"{len(check.unacknowledged)} committed but not acknowledged; failures {dict(failures)}")
    assert check.lost == [], check.lost
    assert check.duplicated == [], check.duplicated
    assert check.half_written == [], check.half_written
    assert check.submitted_quizzes > 0 and check.typed_turns > 0
    # What a request killed half-way may have committed is whole too (checked above); what was
    # acknowledged is there for its trainee after the restart.
    server.start()
    try:
        for entry in [e for e in entries if e["kind"] == "submitted"]:
            result = trainees[entry["user"]].get(f"/me/quiz/{entry['attempt']}")
            assert pages.result_matches(result.text, entry["questions"]), entry
    finally:
        server.stop()


# --- speech engine and model -----------------------------------------------------------------


def broken_model(work: Path, *, keep_stamp: bool) -> Path:
    """A copy of the installed model whose model.bin stops after 1 MB (a copy that broke)."""
    from trainer.speech.model_setup import ensure_model

    ensure_model(harness.MODEL_DIR)
    target = work / ("model-truncated-stamped" if keep_stamp else "model-truncated")
    target.mkdir()
    for source in harness.MODEL_DIR.iterdir():
        if source.name == "model.bin":
            with source.open("rb") as whole:
                (target / "model.bin").write_bytes(whole.read(1024 * 1024))
        elif keep_stamp or not source.name.startswith("."):
            shutil.copy(source, target / source.name)
    return target


def start_greeting(trainee: pages.Trainee) -> int:
    started = trainee.post("/practice/phrases/sl-greet/start", {"submit_key": secrets.token_hex(16)})
    attempt = pages.attempt_id(started.headers.get("Location"))
    assert attempt is not None, started.text[:300]
    return attempt


def upload(trainee: pages.Trainee, attempt: int, data: bytes):
    return trainee.session.post(
        trainee.url(f"/practice/attempts/{attempt}/turns/0/audio"),
        files={"audio": ("answer.webm", io.BytesIO(data), "audio/webm")},
        headers={"X-CSRFToken": trainee.csrf, **JSON}, timeout=120)


@pytest.mark.speech
def test_a_broken_speech_engine_keeps_the_recording_and_a_retry_scores_it(database_url, work):
    roster = harness.prepare_database(database_url, trainees=1, stations=1,
                                      instance=work / "instance", short_name=STATION)
    broken = {
        "模型目录不存在": ({"TRAINER_ASR_MODEL": str(work / "no-such-model")}, "找不到语音识别模型"),
        "model.bin 被截断(有组装校验)": (
            {"TRAINER_ASR_MODEL": str(broken_model(work, keep_stamp=True))}, "损坏"),
        "model.bin 被截断(无校验)": (
            {"TRAINER_ASR_MODEL": str(broken_model(work, keep_stamp=False))}, "损坏"),
        "引擎未安装": ({"TRAINER_ASR_ENGINE": "vosk"}, "未安装"),
    }
    recording = webm("a-greet-ok")
    waiting = {}
    port = harness.free_port()
    for case, (settings, words) in broken.items():
        if case == "引擎未安装" and _vosk_installed():
            continue
        server = server_for(database_url, work, "broken", speech=True, port=port, extra=settings)
        server.start()
        try:
            trainee = pages.Trainee(server.url, roster.employee_nos[0], roster.password)
            assert trainee.login().status_code == 302
            attempt = start_greeting(trainee)
            answer = upload(trainee, attempt, recording)
            data = answer.json()
            # Refused with the reason in Chinese, the recording kept and waiting (待识别).
            assert answer.status_code == 503 and data["state"] == "failed", (case, data)
            assert words in data["message"], (case, data["message"])
            assert data["urls"]["retry"] and data["urls"]["recording"]
            assert trainee.get(data["urls"]["recording"]).content == recording, case
            waiting[case] = (attempt, data["urls"]["retry"])
        finally:
            server.kill()  # what it committed is committed; no need to wait for a clean exit
    rows = db_rows(database_url, work)
    assert len(rows["answers"]) == len(waiting)
    for _attempt, _position, status, key, error, scored in rows["answers"]:
        assert status == "pending" and key and error and not scored
    assert len(list((work / "recordings").rglob("*.webm"))) == len(waiting)

    # The operator fixes the configuration and restarts; the trainee presses 重新识别.
    server = server_for(database_url, work, "fixed", speech=True, port=port).start()
    try:
        trainee = pages.Trainee(server.url, roster.employee_nos[0], roster.password)
        assert trainee.login().status_code == 302
        for case, (attempt, retry) in waiting.items():
            done = trainee.session.post(trainee.url(retry), headers={"X-CSRFToken": trainee.csrf,
                                                                     **JSON}, timeout=120)
            result = done.json()
            assert done.status_code == 200 and result["state"] == "scored", (case, result)
            assert result["verdict"] == "pass" and result["attempt"]["status"] == "scored"
            assert result["attempt"]["id"] == attempt
    finally:
        server.stop()


def _vosk_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("vosk") is not None


# --- disk full -----------------------------------------------------------------------------------


def mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                           str(path)], capture_output=True)
    return done.returncode == 0


def fill(directory: Path) -> Path:
    """Write until the file system says ENOSPC; returns the filler file."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


@pytest.mark.speech
def test_a_full_disk_refuses_the_recording_cleanly_and_recovers_when_space_is_freed(
        database_url, work):
    roster = harness.prepare_database(database_url, trainees=1, stations=1,
                                      instance=work / "instance", short_name=STATION)
    recordings = work / "recordings"
    mounted = mount_tmpfs(recordings, "256k")
    if mounted:
        how, limit = "tmpfs", None
    elif database_url.startswith("postgresql"):
        how, limit = "RLIMIT_FSIZE", 4096  # smaller than any recording
    else:
        pytest.skip("cannot mount a tmpfs here, and RLIMIT_FSIZE would also stop SQLite")
    print(f"disk full simulated with {how}")
    recording = webm("a-greet-ok")
    server = server_for(database_url, work, "disk", speech=True, file_size_limit=limit)
    try:
        server.start()
        filler = fill(recordings) if mounted else None
        trainee = pages.Trainee(server.url, roster.employee_nos[0], roster.password)
        assert trainee.login().status_code == 302
        attempt = start_greeting(trainee)
        answer = upload(trainee, attempt, recording)
        data = answer.json()
        assert answer.status_code == 507 and data["code"] == "disk_full", data
        assert "存储空间已满" in data["error"]
        # Cleanly refused: no answer row, no file or temporary file, the attempt still open.
        rows = db_rows(database_url, work)
        assert rows["answers"] == [] and rows["attempts"][attempt][0] == "in_progress"
        assert [p.name for p in recordings.rglob("*") if p.is_file()] == (
            ["filler"] if mounted else [])
        if mounted:
            filler.unlink()  # the station head frees space
        else:
            server.stop()    # the operator moves recordings to a disk with room
            server.file_size_limit = None
            server.start()
        again = upload(trainee, attempt, recording)
        result = again.json()
        assert again.status_code == 200 and result["state"] == "scored", result
        assert result["verdict"] == "pass"
    finally:
        server.stop()
        if mounted:
            subprocess.run(["umount", str(recordings)], check=False)


# --- the database restarting ---------------------------------------------------------------------


def test_a_database_restart_gets_a_clear_message_and_the_next_request_works(postgres_url, work):
    roster = harness.prepare_database(postgres_url, trainees=2, stations=1,
                                      instance=work / "instance")
    proxy = harness.CuttableProxy(5432).start()
    server = server_for(proxy.url_for(postgres_url), work, "db").start()
    try:
        trainee = pages.Trainee(server.url, roster.employee_nos[0], roster.password)
        assert trainee.login().status_code == 302
        attempt = trainee.start("/me/modules/image/quiz", "quiz")
        quiz = trainee.get(f"/me/quiz/{attempt}")
        questions, fields = pages.quiz_answers(quiz.text)

        proxy.cut()  # PostgreSQL restarts: connections drop, new ones are refused
        down = [
            trainee.get("/me"),
            trainee.post(f"/me/quiz/{attempt}", fields),
            trainee.post("/me/modules/image/quiz", {"submit_key": secrets.token_hex(16)}),
            pages.Trainee(server.url, roster.employee_nos[1], roster.password).login(),
        ]
        saved = trainee.session.post(trainee.url(f"/me/quiz/{attempt}/save"), data=fields,
                                     headers={"X-CSRFToken": trainee.csrf, **JSON}, timeout=10)
        for answer in down:
            assert answer.status_code == 503, (answer.request.url, answer.text[:300])
            assert "数据库暂时无法访问" in answer.text and "没有保存" in answer.text
        assert saved.status_code == 503 and "数据库暂时无法访问" in saved.json()["error"]

        proxy.restore()  # back on the same address: the very next request works
        assert trainee.get("/me").status_code == 200
        assert trainee.post(f"/me/quiz/{attempt}", fields).status_code == 302
        assert pages.result_matches(trainee.get(f"/me/quiz/{attempt}").text, questions)
    finally:
        proxy.cut()
        server.stop()
    log = server.log()
    assert "unhandled error" not in log and " 500 " not in log
    rows = db_rows(postgres_url, work)
    # The refused start made nothing; the quiz was scored once, whole, after the restart.
    assert rows["attempts"] == {attempt: ("scored", "quiz")}
    assert len(rows["answers"]) == questions and all(r[5] for r in rows["answers"])


# --- Redis restarting ------------------------------------------------------------------------


def test_logins_go_on_while_the_redis_of_the_login_limits_restarts(database_url, work):
    from redis import Redis

    try:
        Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    roster = harness.prepare_database(database_url, trainees=2, stations=1,
                                      instance=work / "instance")
    proxy = harness.CuttableProxy(6379).start()
    prefix = f"trainer-faults-{secrets.token_hex(4)}"
    server = server_for(database_url, work, "redis", extra={
        "TRAINER_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{proxy.port}/0",
        "TRAINER_RATELIMIT_KEY_PREFIX": prefix}).start()

    def login(index: int, password: str | None = None) -> int:
        number = roster.employee_nos[index]
        return pages.Trainee(server.url, number, roster.password).login(password).status_code

    try:
        assert login(0, "wrong-pass") == 401
        proxy.cut()  # Redis restarts
        assert login(0, "wrong-pass") == 401 and login(1) == 302  # not a 500 for everybody
        proxy.restore()
        # Failed sign-ins are counted in the database (trainer/auth/throttle.py), so the one
        # during the cut counts too: three more make five, and the sixth try waits.
        for _ in range(3):
            assert login(0, "wrong-pass") == 401
        assert login(0) == 429
    finally:
        proxy.cut()
        server.stop()
        redis = Redis.from_url("redis://127.0.0.1:6379/0")
        for key in redis.scan_iter(match=f"*{prefix}*"):
            redis.delete(key)
    assert "unhandled error" not in server.log()


# --- PostgreSQL backup ---------------------------------------------------------------------------


def test_pg_dump_and_pg_restore_bring_back_every_row(postgres_url, work):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore are not installed")
    from trainer.demo import seed_demo

    harness.prepare_database(postgres_url, trainees=5, stations=2, instance=work / "instance")
    app = harness._app(postgres_url, work / "instance")
    with app.app_context():
        from trainer.extensions import db

        seed_demo("pbkdf2:sha256:1000")  # certificates, scored sittings, checks, audit entries
        db.session.remove()
        db.engine.dispose()
    dump = work / "trainer.dump"
    # The README's commands, as an operator types them.
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), postgres_url], check=True)
    restored = harness.create_postgres_database("trainer_restored")
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored,
                        str(dump)], check=True)
        before, after = table_counts(postgres_url), table_counts(restored)
        assert after == before
        assert before["attempt"] > 0 and before["certificate"] > 0 and before["audit_log"] > 0
        import psycopg

        with psycopg.connect(restored) as conn, pytest.raises(psycopg.Error):
            conn.execute("UPDATE audit_log SET action = 'x'")  # still append-only
    finally:
        harness.drop_postgres_database(restored)


def table_counts(url: str) -> dict[str, int]:
    import psycopg

    from trainer.extensions import db
    from trainer.models import User  # noqa: F401  (registers every model)

    with psycopg.connect(url) as conn:
        return {table.name: conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
                for table in db.metadata.sorted_tables}
