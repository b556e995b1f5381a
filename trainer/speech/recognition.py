"""The entry points the rest of the application calls: upload in, :class:`Transcript` out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from trainer.speech.audio import MAX_BYTES, MAX_SECONDS, PcmAudio, load_audio
from trainer.speech.engines import DEFAULT_ENGINE, Engine, default_engine, get_engine
from trainer.speech.transcript import Transcript

AudioInput = PcmAudio | bytes | BinaryIO | Path | str


def transcribe(
    audio: AudioInput,
    *,
    engine: Engine | str | None = None,
    max_bytes: int = MAX_BYTES,
    max_seconds: float = MAX_SECONDS,
) -> Transcript:
    """Convert ``audio`` (an upload, a path or :class:`PcmAudio`) and recognise it.

    ``engine`` is an engine object, an engine name, or ``None`` for :func:`default_engine`.
    Raises ``AudioError`` for unusable input (tell the trainee to record again) and
    ``SpeechUnavailable`` when recognition cannot run (keep the recording, retry later).
    """
    pcm = (
        audio
        if isinstance(audio, PcmAudio)
        else load_audio(audio, max_bytes=max_bytes, max_seconds=max_seconds)
    )
    return _resolve(engine).transcribe(pcm)


def transcribe_file(path: Path | str, engine: Engine | str | None = None) -> Transcript:
    """Recognise a recording on disk (for ``flask --app trainer transcribe FILE``).

    The upload size limit does not apply to files an operator names; the length limit does.
    """
    path = Path(path)
    size = path.stat().st_size if path.is_file() else 0
    return transcribe(path, engine=engine, max_bytes=max(MAX_BYTES, size))


def transcriber(
    engine: Engine | str | None = None, **settings: Any
) -> Callable[[AudioInput], Transcript]:
    """A one-argument recogniser for the scoring engine's ``run_cases(..., transcribe=...)``.

    The returned callable takes a path, bytes or PcmAudio and returns a Transcript (``.text``,
    ``.no_speech``). The engine and its model are shared with the rest of the process.
    """
    if engine is None and settings:
        engine = DEFAULT_ENGINE
    chosen = get_engine(engine, **settings) if isinstance(engine, str) else engine

    def recognise(audio: AudioInput) -> Transcript:
        if isinstance(audio, Path | str):
            return transcribe_file(audio, engine=chosen)
        return transcribe(audio, engine=chosen)

    return recognise


def _resolve(engine: Engine | str | None) -> Engine:
    if engine is None:
        return default_engine()
    if isinstance(engine, str):
        return get_engine(engine)
    return engine
