"""The platform's own settings, typed and checked once: ``create_app`` builds them from the
config (defaults in trainer/config.py, instance/config.py, TRAINER_* variables) and refuses to
start on a bad value with a Chinese message naming it. Code reads ``current()`` instead of
``current_app.config`` with a default restated.

Pure: Flask is imported only inside ``current()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

SPEECH_QUEUES = ("inline", "rq")


class SettingsError(ValueError):
    """A setting has a value the platform cannot run with; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    # Sign-in: idle end of a session, 保持登录 length, one-time password codes.
    session_idle_hours: int
    remember_days: int
    password_code_hours: int
    proxy_hops: int
    content_dir: str
    # Spoken answers (trainer/turns/recognition.py).
    recordings_dir: str
    recording_max_bytes: int
    recording_max_seconds: float
    speech_queue: str
    job_queue: str
    job_queue_name: str
    speech_queue_name: str
    speech_job_timeout: int
    speech_workers: int
    speech_wait_seconds: float
    speech_waiters: int
    speech_time_limit: float
    redis_url: str
    # Certificates and their exports.
    certificate_valid_months: int
    certificate_renewal_days: int
    certificate_evidence_months: int
    public_base_url: str
    certificate_font: str
    verify_rate_limit: str
    verify_holder_limit: str
    export_stale_seconds: float
    export_keep_hours: float
    exports_dir: str
    # Daily practice (trainer/training/daily.py).
    training_daily_items: int
    training_daily_cap: int
    training_daily_new: int
    training_daily_retention: float
    # Evaluations' evidence files.
    evidence_dir: str
    evidence_max_bytes: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Read and check every setting; raise SettingsError listing every bad one."""
        problems: list[str] = []
        values: dict[str, Any] = {}
        for field in fields(cls):
            key = field.name.upper()
            raw = config.get(key)
            kind = field.type if isinstance(field.type, str) else field.type.__name__
            try:
                values[field.name] = _convert(kind, raw)
            except (TypeError, ValueError):
                problems.append(f"{key} 应为{_KIND_NAMES[kind]},现为“{raw}”")
        if not problems:
            problems.extend(_check(values, config))
        if problems:
            raise SettingsError("配置有误,无法启动:" + ";".join(problems))
        return cls(**values)


_KIND_NAMES = {"int": "整数", "float": "数字", "str": "文字"}
# Settings that must be above 0 (counts, sizes, periods). PUBLIC_BASE_URL is not refused: HR
# sees why a wrong one is wrong on the certificate pages (certificates.service.base_url_problem).
_POSITIVE = ("session_idle_hours", "remember_days", "password_code_hours",
             "recording_max_bytes", "recording_max_seconds", "speech_job_timeout",
             "speech_workers", "speech_waiters", "speech_time_limit",
             "certificate_valid_months", "certificate_renewal_days",
             "certificate_evidence_months", "export_stale_seconds", "export_keep_hours",
             "evidence_max_bytes", "training_daily_items", "training_daily_cap")


def _convert(kind: str, raw: Any) -> Any:
    if kind == "str":
        if raw is None:
            return ""
        if not isinstance(raw, str):
            raise TypeError(raw)
        return raw
    if raw is None or isinstance(raw, bool) or raw == "":
        raise ValueError(raw)
    if kind == "int":
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError(raw)
        return int(raw)
    return float(raw)


def _check(values: dict[str, Any], config: Mapping[str, Any]) -> list[str]:
    problems = [f"{name.upper()} 应大于 0,现为 {values[name]}" for name in _POSITIVE
                if values[name] <= 0]
    if values["proxy_hops"] < 0:
        problems.append(f"PROXY_HOPS 不能为负数,现为 {values['proxy_hops']}")
    queue = values["speech_queue"].strip().lower()
    if queue not in SPEECH_QUEUES:
        problems.append(f"SPEECH_QUEUE 只能是 inline 或 rq,现为“{values['speech_queue']}”")
    values["speech_queue"] = queue
    jobs = values["job_queue"].strip().lower()
    if jobs not in SPEECH_QUEUES:
        problems.append(f"JOB_QUEUE 只能是 inline 或 rq,现为“{values['job_queue']}”")
    # SPEECH_QUEUE=rq is the older name of the same choice (trainer/jobs.py).
    values["job_queue"] = "rq" if queue == "rq" else jobs
    if values["training_daily_new"] < 0:
        problems.append(f"TRAINING_DAILY_NEW 不能为负数,现为 {values['training_daily_new']}")
    if not 0 < values["training_daily_retention"] < 1:
        problems.append("TRAINING_DAILY_RETENTION 应在 0 和 1 之间,现为 "
                        f"{values['training_daily_retention']}")
    if values["speech_wait_seconds"] < 0:
        problems.append(f"SPEECH_WAIT_SECONDS 不能为负数,现为 {values['speech_wait_seconds']}")
    limit = config.get("MAX_CONTENT_LENGTH")
    if limit and values["recording_max_bytes"] >= int(limit):
        problems.append("RECORDING_MAX_BYTES 必须小于 MAX_CONTENT_LENGTH(否则录音在读完前就被拒绝)")
    return problems


def current() -> Settings:
    """The settings of the app in the current context, typed (checked when the app was built;
    read again from the config, which tests change one value at a time; it costs microseconds)."""
    from flask import current_app

    return Settings.from_config(current_app.config)
