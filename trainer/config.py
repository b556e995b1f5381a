"""Configuration: defaults here, then instance/config.py, then the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MB = 1024 * 1024


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Set to True (TRAINER_SECURE_COOKIES=1) whenever the site is served over HTTPS.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    # Signed-in sessions (trainer/auth/sessions.py): without 保持登录 a session ends after this
    # many hours unused; with it (a shift worker's own phone) it lasts REMEMBER_DAYS.
    SESSION_IDLE_HOURS = 12
    REMEMBER_DAYS = 14
    # One-time codes of new accounts and password resets stay valid this long.
    PASSWORD_CODE_HOURS = 72
    MAX_CONTENT_LENGTH = 6 * MB
    # Rate-limit counters in the application's database, shared by every server process
    # (trainer/auth/limits_storage.py); redis://host:6379/N also works.
    RATELIMIT_STORAGE_URI = "trainer-db://"
    # Several sites (or a test) sharing one Redis: each its own prefix for the limit counters.
    RATELIMIT_KEY_PREFIX = ""
    # Redis (the limits' storage with several app servers) restarting must not lock everybody
    # out: while it is unreachable, logins go on without the limits instead of failing.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = False
    # Failed sign-ins (trainer/auth/throttle.py), counted in the database per account and
    # address: LOGIN_FREE_FAILURES tries, then a wait of LOGIN_FIRST_DELAY seconds doubling
    # with each further failure up to LOGIN_MAX_DELAY; one address failing
    # LOGIN_ADDRESS_LIMIT times within LOGIN_ADDRESS_WINDOW seconds waits out the window.
    LOGIN_FREE_FAILURES = 5
    LOGIN_FIRST_DELAY = 30
    LOGIN_MAX_DELAY = 900
    LOGIN_MEMORY_HOURS = 24
    LOGIN_ADDRESS_LIMIT = 30
    LOGIN_ADDRESS_WINDOW = 900
    # Reverse proxies in front of the app (nginx, a load balancer): their X-Forwarded-For
    # gives the client's address, which the sign-in throttle counts by. 0: none, trust nothing.
    PROXY_HOPS = 0
    CONTENT_DIR = str(Path(__file__).resolve().parent.parent / "content")
    # Invalid content stops the web server (trainer.wsgi); database commands still work.
    LOAD_CONTENT = True
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    # Spoken answers (trainer/practice, trainer/turns/recognition.py). Recordings live under
    # instance/recordings/ unless RECORDINGS_DIR names another directory.
    RECORDINGS_DIR = ""
    # Uploads over these limits are refused before they are read whole (issue 5: 5 MB, 60 s).
    # MAX_CONTENT_LENGTH above must stay larger than RECORDING_MAX_BYTES.
    RECORDING_MAX_BYTES = 5 * MB
    RECORDING_MAX_SECONDS = 60.0
    # "inline": recognise in the web request (needs nothing else); "rq": queue to an RQ worker
    # on REDIS_URL (`rq worker --url $TRAINER_REDIS_URL speech`) and let the page poll.
    SPEECH_QUEUE = "inline"
    # Every background task (trainer/jobs.py): "inline" (threads of the server process) or
    # "rq" (an RQ worker on REDIS_URL). TRAINER_REDIS_URL alone chooses "rq".
    JOB_QUEUE = "inline"
    JOB_QUEUE_NAME = "jobs"
    SPEECH_QUEUE_NAME = "speech"
    SPEECH_JOB_TIMEOUT = 180
    # Recognition never runs on every request thread (trainer/turns/recognition.py): each server
    # process recognises on SPEECH_WORKERS threads, the first for short answers only (keep
    # gunicorn workers x this below their threads);
    # an upload request waits up to SPEECH_WAIT_SECONDS for a short answer's score, and at
    # most SPEECH_WAITERS requests of a process wait at once (the others answer 202 and the
    # page polls). SPEECH_TIME_LIMIT: seconds of recognition per recording at most.
    SPEECH_WORKERS = 2
    SPEECH_WAIT_SECONDS = 8.0
    SPEECH_WAITERS = 2
    SPEECH_TIME_LIMIT = 60.0
    REDIS_URL = "redis://127.0.0.1:6379/0"
    # Daily practice (trainer/training/daily.py): items per session (about five minutes), answers
    # per day at most, never-seen items per session, FSRS target retention.
    TRAINING_DAILY_ITEMS = 8
    TRAINING_DAILY_CAP = 30
    TRAINING_DAILY_NEW = 3
    TRAINING_DAILY_RETENTION = 0.9
    # Certificates (trainer/certificates): validity from the issue date, the renewal list's
    # horizon, the public address printed in QR codes (empty: the address of the request;
    # set it when the server is reached under another name, and for `export-certificates`),
    # and how fast /verify may be asked (numbers must not be enumerable).
    CERTIFICATE_VALID_MONTHS = 12
    CERTIFICATE_RENEWAL_DAYS = 30
    # Evidence for certification (passed assessments, practical checks) must be this recent,
    # and newer than a revocation or expiry of the previous certificate (issue 14).
    CERTIFICATE_EVIDENCE_MONTHS = 12
    PUBLIC_BASE_URL = ""
    CERTIFICATE_FONT = ""
    VERIFY_RATE_LIMIT = "20 per minute;200 per day"
    # Wrong holder employee numbers typed for one certificate (from any address), per day.
    VERIFY_HOLDER_LIMIT = "10 per day"
    # Bulk exports (instance/exports/): a job whose progress has not moved for this long is
    # reported as failed; finished files are removed after EXPORT_KEEP_HOURS.
    EXPORT_STALE_SECONDS = 120
    EXPORT_KEEP_HOURS = 24
    # Where they are written (default instance/exports/); several app servers share one.
    EXPORTS_DIR = ""
    # Evaluations (trainer/evaluations): evidence files of service records live under
    # instance/evidence/ unless EVIDENCE_DIR names another directory.
    EVIDENCE_DIR = ""
    EVIDENCE_MAX_BYTES = 5 * MB


# Environment variables read on top of the defaults: TRAINER_<NAME> sets <NAME>.
_ENV_KEYS = {
    "SECRET_KEY": str,
    "SESSION_COOKIE_SECURE": "bool",
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_KEY_PREFIX": str,
    "CONTENT_DIR": str,
    "ASR_ENGINE": str,
    "ASR_MODEL": str,
    "ASR_VOSK_MODEL": str,
    "ASR_BEAM_SIZE": int,
    "ASR_THREADS": int,
    "ASR_ONLINE_LANGUAGE": str,
    "ASR_ONLINE_KEY": str,
    "RECORDINGS_DIR": str,
    "SPEECH_QUEUE": str,
    "JOB_QUEUE": str,
    "JOB_QUEUE_NAME": str,
    "SPEECH_QUEUE_NAME": str,
    "SPEECH_WORKERS": int,
    "SPEECH_WAIT_SECONDS": float,
    "SPEECH_WAITERS": int,
    "SPEECH_TIME_LIMIT": float,
    "REDIS_URL": str,
    "RECORDING_MAX_BYTES": int,
    "RECORDING_MAX_SECONDS": float,
    "CERTIFICATE_VALID_MONTHS": int,
    "CERTIFICATE_EVIDENCE_MONTHS": int,
    "PUBLIC_BASE_URL": str,
    "CERTIFICATE_FONT": str,
    "VERIFY_RATE_LIMIT": str,
    "SESSION_IDLE_HOURS": int,
    "REMEMBER_DAYS": int,
    "PASSWORD_CODE_HOURS": int,
    "PROXY_HOPS": int,
    "EVIDENCE_DIR": str,
    "EXPORTS_DIR": str,
    "EVIDENCE_MAX_BYTES": int,
}
_BOOL_TRUE = {"1", "true", "yes", "on"}


def from_environment(environ: os._Environ | dict) -> dict:
    """Return the settings the environment overrides (TRAINER_* and DATABASE_URL)."""
    settings: dict = {}
    for key, kind in _ENV_KEYS.items():
        value = environ.get(f"TRAINER_{key}")
        if value is None:
            continue
        if kind == "bool":
            settings[key] = value.strip().lower() in _BOOL_TRUE
        elif kind in (int, float):
            try:
                settings[key] = kind(value.strip())
            except ValueError:
                raise SystemExit(f"环境变量 TRAINER_{key} 应为数字,现为“{value}”") from None
        else:
            settings[key] = value
    if environ.get("TRAINER_SECURE_COOKIES"):
        secure = environ["TRAINER_SECURE_COOKIES"].strip().lower() in _BOOL_TRUE
        settings["SESSION_COOKIE_SECURE"] = settings["REMEMBER_COOKIE_SECURE"] = secure
    if environ.get("TRAINER_REDIS_URL") and not ({"TRAINER_JOB_QUEUE", "TRAINER_SPEECH_QUEUE"}
                                                  & set(environ)):
        settings["JOB_QUEUE"] = "rq"  # a Redis named for the platform: its tasks go there
    url = environ.get("DATABASE_URL")
    if url:
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    return settings


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """Read the secret key from instance/, creating it on first use (never committed).

    Several server processes may start at once: the key is written to a private temporary
    file and linked into place, so all of them end up reading the same complete key.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
