"""Speech recognition for spoken answers: upload in, :class:`Transcript` out.

No Flask and no database here. The web layer typically does::

    from trainer import speech
    key = store.save(upload_bytes, suffix)                 # before recognition: nothing is lost
    transcript = speech.transcribe(upload_bytes, engine=speech.engine_from_config(app.config,
                                                                                  app.instance_path))
    if transcript.no_speech: ...                           # show NO_SPEECH_MESSAGE, do not score
    feedback = speech.delivery_feedback(transcript)

``AudioError`` means "record again"; ``SpeechUnavailable`` means "keep as 待识别, retry later".

Names are imported on first use (PEP 562), so ``python -m trainer.speech.model_setup`` and the
web layer's imports do not pay for numpy, PyAV or faster-whisper until speech is needed.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "PcmAudio": "audio",
    "load_audio": "audio",
    "sniff_format": "audio",
    "replayable": "audio",
    "MAX_BYTES": "audio",
    "MAX_SECONDS": "audio",
    "Transcript": "transcript",
    "Segment": "transcript",
    "Word": "transcript",
    "NO_SPEECH_MESSAGE": "transcript",
    "Engine": "engines",
    "get_engine": "engines",
    "engine_from_config": "engines",
    "engine_settings": "engines",
    "default_engine": "engines",
    "transcribe": "recognition",
    "transcribe_file": "recognition",
    "transcriber": "recognition",
    "DeliveryFeedback": "delivery",
    "delivery_feedback": "delivery",
    "RecordingStore": "recordings",
    "LocalRecordingStore": "recordings",
    "ensure_model": "model_setup",
    "ModelSetupError": "model_setup",
    "Pause": "delivery",
    "SpeechError": "errors",
    "AudioError": "errors",
    "EmptyAudio": "errors",
    "NotAudio": "errors",
    "CorruptAudio": "errors",
    "AudioTooLarge": "errors",
    "AudioTooLong": "errors",
    "SpeechUnavailable": "errors",
    "StorageError": "errors",
    "StorageFull": "errors",
    "RecordingNotFound": "errors",
    "BadRecordingKey": "errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'trainer.speech' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"trainer.speech.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
