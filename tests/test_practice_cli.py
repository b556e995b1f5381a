"""Command line: `score` over the labelled development set with the real recogniser (the CI
figure), `transcribe FILE`, and `make-cert` with a real HTTPS server using its certificate."""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import run_once_in_the_default_pass
from tests.shared_paths import EVAL

ROOT = Path(__file__).resolve().parents[1]


def agreement(cases_path: Path, output: str) -> tuple[float, list[str], list[str]]:
    """The agreement of the command's JSON lines with the labels, as ../shared/eval/agree.py
    counts it (a case without a result counts against); false passes; false fails."""
    cases = {c["id"]: c for c in map(json.loads, cases_path.read_text("utf-8").splitlines())}
    results = {}
    for line in output.splitlines():
        if line.startswith("{"):
            result = json.loads(line)
            results[result.get("id")] = result
    agree, false_pass, false_fail = 0, [], []
    for case_id, case in cases.items():
        result = results.get(case_id)
        if result is None or "passed" not in result:
            continue
        if bool(result["passed"]) == (case["label"] == "pass"):
            agree += 1
        elif result["passed"]:
            false_pass.append(case_id)
        else:
            false_fail.append(case_id)
    return 100.0 * agree / len(cases), false_pass, false_fail


@pytest.mark.speech
@pytest.mark.slow
def test_score_command_agrees_with_the_labelled_development_set(speech_app):
    # Scoring the clips uses no database: the PostgreSQL pass of .ci/run would only repeat
    # these minutes. The model is the process's one (load_whisper_model caches it per
    # directory), shared with tests/test_speech_engine.py's development-set run.
    run_once_in_the_default_pass("scores the development set, no database involved")
    runner = speech_app.test_cli_runner()
    result = runner.invoke(args=["score", str(EVAL / "cases.jsonl")])
    assert result.exit_code == 0, result.output[-2000:]
    audio_lines = [line for line in result.stdout.splitlines() if '"id": "a-' in line]
    assert len(audio_lines) == 23 and not any('"error"' in line for line in audio_lines)
    share, false_pass, false_fail = agreement(EVAL / "cases.jsonl", result.stdout)
    print(f"agreement {share:.1f}%, false pass {false_pass}, false fail {false_fail}")
    assert not false_pass
    assert share >= 97.0
    assert "一致" in result.stderr


@pytest.mark.speech
def test_transcribe_prints_the_transcript_and_the_time(speech_app):
    runner = speech_app.test_cli_runner()
    result = runner.invoke(args=["transcribe", str(EVAL / "audio" / "a-greet-ok.wav")])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert "迎" in first and "光" in first  # 欢迎光临 (the recogniser often writes 歡迎光臨)
    assert "识别用时" in result.stderr and "秒" in result.stderr and "语速" in result.stderr
    silent = runner.invoke(args=["transcribe", str(EVAL / "audio" / "a-silence.wav")])
    assert silent.exit_code == 0 and "没有听到说话声" in silent.stdout


def test_transcribe_explains_a_bad_file(app, tmp_path):
    bad = tmp_path / "photo.wav"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    result = app.test_cli_runner().invoke(args=["transcribe", str(bad)])
    assert result.exit_code == 1 and "不是可识别的录音格式" in result.output


def certificate_names(path: Path) -> list[str]:
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return [str(value) for value in names.get_values_for_type(x509.IPAddress)] + \
        names.get_values_for_type(x509.DNSName)


def test_make_cert_writes_a_certificate_for_the_lan_addresses(app, tmp_path):
    runner = app.test_cli_runner()
    tls_dir = tmp_path / "tls"
    result = runner.invoke(args=["make-cert", "--dir", str(tls_dir), "--ip", "192.168.10.20",
                                 "--ip", "zhan.local"])
    assert result.exit_code == 0, result.output
    names = certificate_names(tls_dir / "cert.pem")
    assert {"192.168.10.20", "127.0.0.1", "localhost", "zhan.local"} <= set(names)
    assert (tls_dir / "key.pem").stat().st_mode & 0o077 == 0
    assert "https://192.168.10.20:" in result.output and "SHA-256" in result.output
    again = runner.invoke(args=["make-cert", "--dir", str(tls_dir)])
    assert again.exit_code == 1 and "证书已存在" in again.output
    forced = runner.invoke(args=["make-cert", "--dir", str(tls_dir), "--force"])
    assert forced.exit_code == 0 and "192.168.10.20" not in certificate_names(tls_dir / "cert.pem")
    bad = runner.invoke(args=["make-cert", "--dir", str(tls_dir), "--force", "--ip", "not a host"])
    assert bad.exit_code == 1 and "不是 IP 地址或主机名" in bad.output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_serves_https_with_the_made_certificate(app, tmp_path):
    """`make run`'s server: with instance/tls/ filled by make-cert it speaks HTTPS, and a client
    that trusts that certificate reaches it by IP address (the phone's case)."""
    tls_dir = tmp_path / "tls"
    assert app.test_cli_runner().invoke(args=["make-cert", "--dir", str(tls_dir)]).exit_code == 0
    port = free_port()
    env = {**os.environ, "TRAINER_HOST": "127.0.0.1", "TRAINER_PORT": str(port),
           "TRAINER_TLS_DIR": str(tls_dir), "TRAINER_WORKERS": "1",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "TRAINER_SECRET_KEY": "https-test", "TRAINER_SPEECH_QUEUE": "rq"}
    env.pop("TRAINER_CERT", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "python:trainer.gunicorn_conf",
                               "trainer.wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        context = ssl.create_default_context(cafile=str(tls_dir / "cert.pem"))
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz",
                                            context=context, timeout=5) as response:
                    body = json.loads(response.read())
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.25)
        assert body == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/login", context=context,
                                    timeout=5) as response:
            # Served over HTTPS, the session cookie is marked to travel only over HTTPS.
            assert "Secure" in response.headers["Set-Cookie"]
    finally:
        server.terminate()
        server.wait(timeout=20)
