"""gunicorn settings for `make run`, from the environment.

TRAINER_HOST / TRAINER_PORT: the address (default 127.0.0.1:5000; 0.0.0.0 for the station LAN).
TRAINER_CERT / TRAINER_KEY: a TLS certificate and key; browsers open the microphone only on
HTTPS or localhost, so a phone at the pump needs them. Without them, instance/tls/cert.pem and
key.pem are used when `flask --app trainer make-cert` has made them.
"""

import os
from pathlib import Path

_PORT = os.environ.get("TRAINER_PORT", "5000")
bind = f"{os.environ.get('TRAINER_HOST', '127.0.0.1')}:{_PORT}"
workers = int(os.environ.get("TRAINER_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("TRAINER_THREADS", "4"))
# Speech recognition of a long answer can take a few seconds on a small CPU.
timeout = 120
graceful_timeout = 30
accesslog = "-"
# gunicorn >= 25 listens on a control socket, by default one path per user account: a second
# server on the same machine (another port, e.g. two app servers of a scale-out) would take it
# over, and the first one's shutdown would remove it. One socket per port instead.
control_socket = str(
    Path(os.environ.get("XDG_RUNTIME_DIR") or Path.home() / ".gunicorn") / f"gunicorn-{_PORT}.ctl"
)
errorlog = "-"
certfile = os.environ.get("TRAINER_CERT") or None
keyfile = os.environ.get("TRAINER_KEY") or None
# The certificate `flask --app trainer make-cert` writes is used when none is named
# (TRAINER_TLS=0 serves plain HTTP all the same, e.g. behind a reverse proxy).
_TLS_DIR = Path(
    os.environ.get("TRAINER_TLS_DIR") or Path(__file__).resolve().parent.parent / "instance" / "tls"
)
if (
    certfile is None
    and os.environ.get("TRAINER_TLS", "1").strip().lower() not in {"0", "no", "off", "false"}
    and (_TLS_DIR / "cert.pem").is_file()
    and (_TLS_DIR / "key.pem").is_file()
):
    certfile, keyfile = str(_TLS_DIR / "cert.pem"), str(_TLS_DIR / "key.pem")
if certfile:
    # The session cookie must then travel only over HTTPS.
    raw_env = ["TRAINER_SECURE_COOKIES=1"]


def post_worker_init(worker):
    """Before the worker takes requests, compile the content's phrases for scoring (jieba and
    the pinyin tables load on the first one: 0.6 s that would stall the worker's first typed
    answers); then load the speech model in the background, so the first trainee's answer is
    not the one that pays for it (recognition is inline unless TRAINER_SPEECH_QUEUE=rq)."""
    import threading

    try:
        from trainer.library import warm_up_scoring

        warm_up_scoring(worker.wsgi)
    except Exception as error:  # the first answer will say what is wrong
        worker.log.warning("scoring not warmed up at start: %s", error)

    def warm_up():
        try:
            from trainer.turns.recognition import speech_engine, uses_queue

            if not uses_queue(worker.wsgi):
                speech_engine(worker.wsgi).warm_up()
        except Exception as error:  # the first answer will say what is wrong
            worker.log.warning("speech model not loaded at start: %s", error)

    threading.Thread(target=warm_up, name="speech-warm-up", daemon=True).start()
