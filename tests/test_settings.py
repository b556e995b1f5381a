"""Settings are built once as a typed dataclass and checked in create_app: a bad value stops the
start with a Chinese message naming it, and code reads typed values (trainer/settings.py)."""

from __future__ import annotations

import pytest

from tests.conftest import test_config as app_config
from trainer import create_app, settings
from trainer.config import Defaults
from trainer.settings import Settings, SettingsError


def defaults() -> dict:
    return {key: getattr(Defaults, key) for key in dir(Defaults) if key.isupper()}


def test_the_defaults_are_valid_and_typed():
    built = Settings.from_config(defaults())
    assert built.certificate_valid_months == 12 and built.speech_queue == "inline"
    assert isinstance(built.speech_wait_seconds, float) and isinstance(built.speech_workers, int)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("SPEECH_QUEUE", "kafka", "SPEECH_QUEUE 只能是 inline 或 rq"),
    ("CERTIFICATE_VALID_MONTHS", "twelve", "CERTIFICATE_VALID_MONTHS 应为整数"),
    ("CERTIFICATE_VALID_MONTHS", 0, "CERTIFICATE_VALID_MONTHS 应大于 0"),
    ("SPEECH_WORKERS", -1, "SPEECH_WORKERS 应大于 0"),
    ("RECORDING_MAX_BYTES", 7 * 1024 * 1024, "RECORDING_MAX_BYTES 必须小于 MAX_CONTENT_LENGTH"),
    ("PROXY_HOPS", -2, "PROXY_HOPS 不能为负数"),
    ("EVIDENCE_DIR", 5, "EVIDENCE_DIR 应为文字"),
])
def test_create_app_refuses_a_bad_value_with_a_clear_message(tmp_path, key, value, message):
    with pytest.raises(SettingsError) as refused:
        create_app({**app_config(tmp_path), key: value},
                   instance_path=str(tmp_path / "instance"))
    assert message in str(refused.value) and "配置有误" in str(refused.value)


def test_an_environment_variable_is_checked_too(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_SPEECH_WAITERS", "0")
    with pytest.raises(SettingsError, match="SPEECH_WAITERS 应大于 0"):
        create_app(app_config(tmp_path), instance_path=str(tmp_path / "instance"))


def test_code_reads_the_typed_current_settings(app, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_VALID_MONTHS", "24")
    with app.app_context():
        assert settings.current().certificate_valid_months == 24
