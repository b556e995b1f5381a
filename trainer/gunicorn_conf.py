"""gunicorn settings for `make run`, from the environment.

TRAINER_HOST / TRAINER_PORT: the address (default 127.0.0.1:5000; 0.0.0.0 for the station LAN).
TRAINER_CERT / TRAINER_KEY: a TLS certificate and key; browsers open the microphone only on
HTTPS or localhost, so a phone at the pump needs them (`flask --app trainer make-cert`).
"""

import os

bind = f"{os.environ.get('TRAINER_HOST', '127.0.0.1')}:{os.environ.get('TRAINER_PORT', '5000')}"
workers = int(os.environ.get("TRAINER_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("TRAINER_THREADS", "4"))
# Speech recognition of a long answer can take a few seconds on a small CPU.
timeout = 120
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
certfile = os.environ.get("TRAINER_CERT") or None
keyfile = os.environ.get("TRAINER_KEY") or None
if certfile:
    # The session cookie must then travel only over HTTPS.
    raw_env = ["TRAINER_SECURE_COOKIES=1"]
