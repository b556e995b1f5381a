"""Choosing an engine: the :class:`Engine` protocol, the registry and the per-process cache.

``get_engine(name, **settings)`` returns one engine object per process per (name, model
directory, settings), so a server worker loads its model once, not once per request.
``engine_from_config`` reads the same settings from a mapping such as Flask's ``app.config``
(this module never imports Flask).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from trainer.speech.audio import PcmAudio
from trainer.speech.errors import SpeechUnavailable
from trainer.speech.transcript import Transcript

DEFAULT_ENGINE = "faster-whisper"
DEFAULT_INSTANCE = Path(__file__).resolve().parents[2] / "instance"
DEFAULT_WHISPER_MODEL = "models/whisper-base"
DEFAULT_VOSK_MODEL = "models/vosk-cn"


@runtime_checkable
class Engine(Protocol):
    """A speech recogniser: 16 kHz mono PCM in, :class:`Transcript` out."""

    name: str

    def load(self) -> Any:
        """Load the model now; raise SpeechUnavailable if it cannot be."""

    def warm_up(self) -> None:
        """Load and exercise the model so the first answer is as fast as the rest."""

    def transcribe(self, pcm: PcmAudio) -> Transcript:
        """Recognise one recording."""


def _faster_whisper(**settings: Any) -> Engine:
    from trainer.speech.faster_whisper_engine import FasterWhisperEngine

    return FasterWhisperEngine(settings.pop("model"), **settings)


def _vosk(**settings: Any) -> Engine:
    from trainer.speech.vosk_engine import VoskEngine

    return VoskEngine(settings.pop("model"), **settings)


def _online(**settings: Any) -> Engine:
    from trainer.speech.online_engine import OnlineEngine

    settings.pop("model", None)
    return OnlineEngine(**settings)


ENGINES: dict[str, Callable[..., Engine]] = {
    "faster-whisper": _faster_whisper,
    "vosk": _vosk,
    "online": _online,
}
_cache: dict[tuple, Engine] = {}
_cache_lock = threading.Lock()


def get_engine(name: str = DEFAULT_ENGINE, **settings: Any) -> Engine:
    """Return this process's engine ``name`` with ``settings``, creating it on first use.

    Settings: ``model`` (model directory; defaults under ``instance/models/``) for
    faster-whisper and vosk; ``beam_size``, ``cpu_threads``, ``compute_type``,
    ``word_timestamps`` for faster-whisper; ``language``, ``key``, ``timeout``, ``endpoint``
    for online. Creating an engine is cheap; the model loads on the first ``transcribe`` or
    ``load()``. Raises :class:`SpeechUnavailable` for an unknown engine name.
    """
    factory = ENGINES.get(name)
    if factory is None:
        known = "、".join(ENGINES)
        raise SpeechUnavailable(f"未知的语音识别引擎“{name}”,可选:{known}。", code="unknown_engine")
    if name != "online":
        default = DEFAULT_WHISPER_MODEL if name == "faster-whisper" else DEFAULT_VOSK_MODEL
        settings["model"] = (
            Path(settings.get("model") or DEFAULT_INSTANCE / default).expanduser().resolve()
        )
    key = (name, *sorted((k, str(v)) for k, v in settings.items()))
    engine = _cache.get(key)
    if engine is None:
        with _cache_lock:
            engine = _cache.get(key)
            if engine is None:
                engine = _cache[key] = factory(**settings)
    return engine


def engine_settings(
    config: Mapping[str, Any], instance_path: Path | str | None = None
) -> tuple[str, dict[str, Any]]:
    """Read the engine name and settings from ``ASR_*`` keys of a config mapping.

    Keys: ``ASR_ENGINE`` (faster-whisper | vosk | online), ``ASR_MODEL``, ``ASR_VOSK_MODEL``,
    ``ASR_BEAM_SIZE``, ``ASR_THREADS``, ``ASR_ONLINE_LANGUAGE``, ``ASR_ONLINE_KEY``, and
    ``SPEECH_WORKERS`` (the model's workers; the cores are shared out between them). Relative
    model paths are taken relative to ``instance_path``.
    """
    instance = Path(instance_path) if instance_path else DEFAULT_INSTANCE
    name = str(config.get("ASR_ENGINE") or DEFAULT_ENGINE).strip()
    settings: dict[str, Any] = {}
    if name == "faster-whisper":
        settings["model"] = instance / str(config.get("ASR_MODEL") or DEFAULT_WHISPER_MODEL)
        if config.get("ASR_BEAM_SIZE"):
            settings["beam_size"] = int(config["ASR_BEAM_SIZE"])
        # The server's recognition pool (SPEECH_WORKERS threads) needs as many model workers
        # to run them in parallel, and then shares the cores out between them.
        workers = max(1, int(config.get("SPEECH_WORKERS") or 1))
        if workers > 1:
            settings["num_workers"] = workers
        if config.get("ASR_THREADS"):
            settings["cpu_threads"] = int(config["ASR_THREADS"])
        elif workers > 1:
            settings["cpu_threads"] = max(1, (os.cpu_count() or 1) // workers)
    elif name == "vosk":
        settings["model"] = instance / str(config.get("ASR_VOSK_MODEL") or DEFAULT_VOSK_MODEL)
    elif name == "online":
        settings["language"] = str(config.get("ASR_ONLINE_LANGUAGE") or "zh-CN")
        if config.get("ASR_ONLINE_KEY"):
            settings["key"] = str(config["ASR_ONLINE_KEY"])
    return name, settings


def engine_from_config(
    config: Mapping[str, Any], instance_path: Path | str | None = None
) -> Engine:
    """The cached engine that a config mapping (e.g. ``app.config``) asks for."""
    name, settings = engine_settings(config, instance_path)
    return get_engine(name, **settings)


def default_engine() -> Engine:
    """The engine named by the environment (``TRAINER_ASR_*``), else faster-whisper."""
    prefix = "TRAINER_"
    config = {
        key[len(prefix) :]: value
        for key, value in os.environ.items()
        if key.startswith(prefix + "ASR_")
    }
    return engine_from_config(config)
