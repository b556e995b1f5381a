"""What the load run and the scale-out and fault tests share: a database of their own, the app
under its production server (gunicorn, `trainer.gunicorn_conf`) on a free loopback port, and
the ledger check that proves no acknowledged attempt was lost, duplicated or half-written.

Nothing here touches the `test` database or the repository's instance/ data: each run creates
its PostgreSQL database (dropped afterwards) or a SQLite file in a temporary directory, and
gives the server its own recordings directory and secret key.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MODEL_DIR = ROOT / "instance" / "models" / "whisper-base"
DEFAULT_PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# Every simulated trainee signs in with this password (stored as a real scrypt hash).
LOAD_PASSWORD = "Jiaqi-Load-2024"
# The demo's two rule sets, so both kinds of station content are exercised.
RULE_SETS = ("kunlun", "pay-2min")


# --- databases ------------------------------------------------------------------------------


def postgres_admin_url() -> str:
    """A URL of the server's maintenance database: LOAD_PG_ADMIN_URL, else the server of
    DATABASE_URL (when it is PostgreSQL), else the local default."""
    explicit = os.environ.get("LOAD_PG_ADMIN_URL")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        return with_database(url, "postgres")
    return DEFAULT_PG_ADMIN


def with_database(url: str, name: str) -> str:
    """The same server URL naming another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def _plain(url: str) -> str:
    # psycopg wants postgresql://, SQLAlchemy URLs may say postgresql+psycopg://.
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def postgres_answers(admin_url: str | None = None) -> bool:
    """Whether a PostgreSQL server answers (and lets us create databases)."""
    import psycopg

    try:
        with psycopg.connect(_plain(admin_url or postgres_admin_url()), connect_timeout=3) as conn:
            return bool(conn.execute("SELECT rolcreatedb OR rolsuper FROM pg_roles "
                                     "WHERE rolname = current_user").fetchone()[0])
    except Exception:
        return False


def create_postgres_database(prefix: str, admin_url: str | None = None) -> str:
    """Create a new, empty database of our own; returns its URL."""
    import psycopg

    admin = admin_url or postgres_admin_url()
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_plain(admin), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(_plain(admin), name)


def drop_postgres_database(url: str, admin_url: str | None = None) -> None:
    """Drop a database made by create_postgres_database (closing what still uses it)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_plain(admin_url or postgres_admin_url()), autocommit=True,
                         connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Roster:
    """Who the simulated trainees are (one account each) and where they work."""

    employee_nos: list[str]
    password: str
    stations: int

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps({"employee_nos": self.employee_nos,
                                    "password": self.password}), "utf-8")
        return path


def prepare_database(url: str, *, trainees: int, stations: int, instance: Path,
                     prefix: str = "L", short_name: str | None = None) -> Roster:
    """Build the schema with the migrations and seed stations, trainees (attendants) and an
    open assessment window per station and required module."""
    from flask_migrate import upgrade

    app = _app(url, instance)
    with app.app_context():
        from trainer.extensions import db

        upgrade()
        roster = seed(trainees=trainees, stations=stations, prefix=prefix, short_name=short_name)
        db.session.remove()
        db.engine.dispose()
    return roster


def _app(url: str, instance: Path):
    from trainer import create_app
    from trainer.config import normalise_database_url

    return create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                       "SECRET_KEY": "harness"}, instance_path=str(instance))


def seed(*, trainees: int, stations: int, prefix: str = "L",
         short_name: str | None = None) -> Roster:
    """Stations with their people and open windows (inside an app context; commits).
    `short_name`: the name staff say in service phrases (default 压测<n>号)."""
    from werkzeug.security import generate_password_hash

    from trainer.extensions import db
    from trainer.library import get_library
    from trainer.models import AssessmentWindow, Role, Station, User
    from trainer.timeutil import now

    # One real scrypt hash for everybody: signing in costs what it costs in production,
    # seeding hundreds of people does not.
    password_hash = generate_password_hash(LOAD_PASSWORD, method="scrypt")
    rows = []
    for n in range(stations):
        station = Station(code=f"{prefix}S{n:03d}", name=f"压测{n}号加气站",
                          short_name=short_name or f"压测{n}号",
                          company="压测燃气有限公司", gas_price=Decimal("3.50"),
                          hotline="400-000-0000", rule_set=RULE_SETS[n % len(RULE_SETS)])
        db.session.add(station)
        rows.append(station)
    db.session.flush()
    numbers = []
    for n in range(trainees):
        station = rows[n % stations]
        number = f"{prefix}{n:04d}"
        db.session.add(User(employee_no=number, name=f"学员{n}", role=Role.STAFF, post="attendant",
                            station_id=station.id, password_hash=password_hash))
        numbers.append(number)
    db.session.flush()
    # A window per station and required module, open for the whole run, with room for as many
    # sittings as a fast simulated trainee may start.
    library = get_library()
    opens = now() - timedelta(hours=1)
    for station in rows:
        for module in library.modules_for_post("attendant", station.rule_set):
            if module.required and module.policy.mode == "assessment":
                db.session.add(AssessmentWindow(
                    module_id=module.id, station_id=station.id, opens_at=opens,
                    closes_at=opens + timedelta(days=2), time_limit_minutes=60,
                    max_attempts=10_000, grading="highest"))
    db.session.commit()
    return Roster(numbers, LOAD_PASSWORD, stations)


# --- the app under gunicorn ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(database_url: str, *, port: int, workers: int, threads: int,
                       recordings: Path, secret: str, extra: dict | None = None) -> dict:
    """The environment a production server runs with (README, Configuration)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("TRAINER_") and key != "DATABASE_URL"}
    env.update({
        "DATABASE_URL": database_url,
        "TRAINER_HOST": "127.0.0.1",
        "TRAINER_PORT": str(port),
        "TRAINER_WORKERS": str(workers),
        "TRAINER_THREADS": str(threads),
        "TRAINER_TLS": "0",
        "TRAINER_SECRET_KEY": secret,
        "TRAINER_RECORDINGS_DIR": str(recordings),
        "TRAINER_ASR_MODEL": str(MODEL_DIR),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


class AppServer:
    """`gunicorn -c python:trainer.gunicorn_conf trainer.wsgi:app` as `make run` starts it.

    The server runs in a session of its own, so "kill the whole server" reaches its workers
    and nothing else.
    """

    def __init__(self, env: dict, log_path: Path, file_size_limit: int | None = None) -> None:
        self.env = env
        self.log_path = log_path
        self.port = int(env["TRAINER_PORT"])
        # RLIMIT_FSIZE (`ulimit -f`) for the server's processes: a file written past this many
        # bytes fails with EFBIG, as on a full disk (its log goes through a pipe, not a file).
        self.file_size_limit = file_size_limit
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> AppServer:
        """Start (or start again, on the same port) and wait until it answers."""
        command = [str(BIN / "gunicorn"), "-c", "python:trainer.gunicorn_conf", "trainer.wsgi:app"]
        if self.file_size_limit is None:
            log = self.log_path.open("ab")
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
        else:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                            start_new_session=True,
                                            preexec_fn=self._limit_file_size)
            threading.Thread(target=self._relay_log, args=(self.process.stdout,),
                             daemon=True).start()
        self.wait_ready(timeout)
        return self

    def _limit_file_size(self) -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_size_limit, self.file_size_limit))

    def _relay_log(self, pipe) -> None:
        with self.log_path.open("ab") as log:
            for line in pipe:
                log.write(line)
                log.flush()

    def wait_ready(self, timeout: float = 90) -> None:
        """Until the login page answers 200 (the workers have imported the app)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"服务器启动失败:\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"服务器 {timeout:.0f} 秒内没有就绪:\n{self.log()[-3000:]}")

    def worker_pids(self) -> list[int]:
        """The master's worker processes (as the kernel lists its children)."""
        assert self.process is not None
        pid = self.process.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in [self.process.pid, *self.worker_pids()] if self.process else []:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def settle(self, timeout: float = 60, idle: float = 0.05) -> None:
        """Wait until the workers are idle: each warms the speech model up in a thread after
        it starts (gunicorn_conf.post_worker_init), which would otherwise eat the first
        seconds of a measurement."""
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(1.0)
            after = self.cpu_seconds()
            if after - before < idle:
                return
            before = after

    def kill_worker(self) -> int:
        """SIGKILL one worker (the master starts a new one); returns its pid."""
        pids = self.worker_pids()
        if not pids:
            raise RuntimeError("no gunicorn worker to kill")
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (a power cut, an OOM kill)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_port_free()

    def stop(self) -> None:
        """Shut down as an operator would (SIGTERM: finish requests in flight, then exit)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.kill()

    def _wait_port_free(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.1)

    def log(self) -> str:
        try:
            return self.log_path.read_text("utf-8", errors="replace")
        except OSError:
            return ""


def start_speech_worker(env: dict, log_path: Path, timeout: float = 180) -> subprocess.Popen:
    """`flask --app trainer speech-worker` with a server's environment, once it has loaded the
    model and listens on its queue."""
    log = log_path.open("ab")
    process = subprocess.Popen([str(BIN / "flask"), "--app", "trainer", "speech-worker"], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text("utf-8", errors="replace")
        if "语音识别任务进程已启动" in text:
            return process
        if process.poll() is not None:
            raise RuntimeError(f"语音识别任务进程启动失败:\n{text[-3000:]}")
        time.sleep(0.3)
    stop_process(process)
    raise RuntimeError(f"语音识别任务进程 {timeout:.0f} 秒内没有就绪")


def stop_process(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM (a warm shutdown), then SIGKILL if it does not go."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def server_problems(log: str) -> dict:
    """What a server log says went wrong: tracebacks, 5xx answers, SQLite lock errors."""
    lines = log.splitlines()
    return {
        "tracebacks": sum("Traceback (most recent call last)" in line for line in lines),
        "database_locked": sum("database is locked" in line for line in lines),
        "server_errors": sum(_access_status(line) >= 500 for line in lines),
    }


def _access_status(line: str) -> int:
    # gunicorn's access log: ... "GET /path HTTP/1.1" 200 1234 "-" "agent"
    parts = line.split('" ')
    if len(parts) < 2:
        return 0
    head = parts[1].split(" ", 1)[0]
    return int(head) if head.isdigit() else 0


# --- the ledger: what the clients were told, against what the database holds ---------------


class Ledger:
    """Append-only JSON lines, one per acknowledged action of a simulated trainee.

    ``start``: {user, key, attempt, what}  — a start form answered with the attempt's page;
    ``submitted``: {user, attempt, questions} — a quiz whose result page was shown;
    ``turn``: {user, attempt, position, text} — a typed turn shown back on the page.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def add(self, kind: str, **data) -> None:
        line = json.dumps({"kind": kind, **data}, ensure_ascii=False) + "\n"
        # One write of a short line with O_APPEND: lines never interleave.
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line)

    def entries(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text("utf-8").splitlines() if line]


@dataclass
class LedgerCheck:
    """The database against the ledger. Every list must be empty and `ok` true."""

    acknowledged_attempts: int = 0
    attempts_in_database: int = 0
    submitted_quizzes: int = 0
    typed_turns: int = 0
    double_taps: int = 0
    lost: list = field(default_factory=list)             # acknowledged, not in the database
    duplicated: list = field(default_factory=list)       # one start key, several attempts
    half_written: list = field(default_factory=list)     # scored without all its answers etc.
    unacknowledged: list = field(default_factory=list)   # in the database, never acknowledged

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.half_written)

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items()}
        data["ok"] = self.ok
        return data


def check_ledger(database_url: str, entries: list[dict], instance: Path,
                 users: list[str] | None = None) -> LedgerCheck:
    """Compare what clients were acknowledged with what the database holds."""
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import Attempt, AttemptResponse, AttemptStatus, ResponseStatus, User

    report = LedgerCheck()
    starts = [e for e in entries if e["kind"] == "start"]
    by_key: dict[str, set[int]] = defaultdict(set)
    for entry in starts:
        by_key[entry["key"]].add(int(entry["attempt"]))
    report.double_taps = sum(1 for n in Counter(e["key"] for e in starts).values() if n > 1)
    report.duplicated += [{"key": k, "attempts": sorted(v)} for k, v in by_key.items() if len(v) > 1]
    acknowledged = {a for ids in by_key.values() for a in ids}
    report.acknowledged_attempts = len(acknowledged)
    submitted = {int(e["attempt"]): int(e["questions"]) for e in entries if e["kind"] == "submitted"}
    turns = [e for e in entries if e["kind"] == "turn"]
    report.submitted_quizzes, report.typed_turns = len(submitted), len(turns)

    app = _app(database_url, instance)
    with app.app_context():
        query = select(Attempt, User.employee_no).join(User, User.id == Attempt.user_id)
        if users is not None:
            query = query.where(User.employee_no.in_(users))
        rows = {a.id: (a, number) for a, number in db.session.execute(query)}
        report.attempts_in_database = len(rows)
        responses: dict[int, list[AttemptResponse]] = defaultdict(list)
        for response in db.session.scalars(select(AttemptResponse).where(
                AttemptResponse.attempt_id.in_(list(rows) or [0]))):
            responses[response.attempt_id].append(response)
        keys = Counter(a.submit_key for a, _ in rows.values() if a.submit_key)
        report.duplicated += [{"key": k, "rows": n} for k, n in keys.items() if n > 1]
        report.lost += [{"attempt": a} for a in sorted(acknowledged - set(rows))]
        for attempt_id, (attempt, number) in rows.items():
            if attempt.submit_key in by_key and attempt_id not in by_key[attempt.submit_key]:
                report.duplicated.append({"key": attempt.submit_key, "attempt": attempt_id})
            elif attempt_id not in acknowledged:
                report.unacknowledged.append({"attempt": attempt_id, "user": number,
                                              "status": attempt.status})
            report.half_written += _half_written(attempt, responses[attempt_id],
                                                 AttemptStatus, ResponseStatus)
        for attempt_id, questions in submitted.items():
            attempt = rows.get(attempt_id, (None,))[0]
            answered = responses[attempt_id]
            if attempt is None:
                continue  # already counted as lost
            if attempt.status != AttemptStatus.SCORED or len(answered) != questions:
                report.half_written.append({"attempt": attempt_id, "status": attempt.status,
                                            "responses": len(answered), "questions": questions})
        for entry in turns:
            attempt_id, position = int(entry["attempt"]), int(entry["position"])
            if attempt_id not in rows:
                report.lost.append({"attempt": attempt_id, "turn": position})
                continue
            found = [r for r in responses[attempt_id] if r.position == position]
            if not found or (found[0].answer or {}).get("text") != entry["text"] \
                    or found[0].score is None:
                report.lost.append({"attempt": attempt_id, "turn": position})
        db.session.remove()
        db.engine.dispose()
    return report


def _half_written(attempt, responses, AttemptStatus, ResponseStatus) -> list[dict]:  # noqa: N803
    """Rows that only part of a transaction could have left."""
    problems = []
    if attempt.status == AttemptStatus.SCORED and (attempt.score is None or attempt.verdict is None
                                                   or attempt.submitted_at is None):
        problems.append({"attempt": attempt.id, "problem": "scored without a result"})
    if attempt.status == AttemptStatus.SCORED and attempt.kind == "quiz" and not responses:
        problems.append({"attempt": attempt.id, "problem": "scored quiz without answers"})
    for response in responses:
        if response.status == ResponseStatus.SCORED and (response.score is None
                                                         or response.verdict is None):
            problems.append({"attempt": attempt.id, "response": response.id,
                             "problem": "scored answer without a score"})
        if response.status == ResponseStatus.PENDING and not response.recording_key:
            problems.append({"attempt": attempt.id, "response": response.id,
                             "problem": "waiting answer without a recording"})
    return problems


def count_rows(database_url: str, instance: Path) -> dict:
    """Attempts by kind and status, and answers, as the database holds them."""
    from sqlalchemy import func, select

    from trainer.extensions import db
    from trainer.models import Attempt, AttemptResponse

    app = _app(database_url, instance)
    with app.app_context():
        by = {f"{kind}/{status}": n for kind, status, n in db.session.execute(
            select(Attempt.kind, Attempt.status, func.count()).group_by(Attempt.kind,
                                                                         Attempt.status))}
        answers = db.session.scalar(select(func.count()).select_from(AttemptResponse))
        db.session.remove()
        db.engine.dispose()
    return {"attempts": sum(by.values()), "by_kind": by, "answers": answers}


# --- a database that goes away --------------------------------------------------------------


class CuttableProxy:
    """A TCP relay between the app and PostgreSQL that can be cut and restored, as a database
    restart looks to the app: open connections drop, new ones are refused, then it is back on
    the same address. The real server is never touched."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None

    def start(self) -> CuttableProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            with self._lock:
                self._sockets.difference_update((source, sink))

    def cut(self) -> None:
        """The database goes down: refuse new connections, drop the open ones."""
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def restore(self) -> None:
        """The database is back on the same address."""
        if self._listener is None:
            self.start()

    def url_for(self, database_url: str) -> str:
        """The database URL going through this proxy."""
        parts = urlsplit(database_url)
        user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit((parts.scheme, f"{user}127.0.0.1:{self.port}", parts.path,
                           parts.query, ""))
