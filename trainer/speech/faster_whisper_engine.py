"""The default engine: faster-whisper (CTranslate2) on the CPU, from a local model directory.

The model is loaded once per process, lazily and under a lock, and shared by every engine object
that names the same directory and compute settings. Nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from trainer.speech.audio import SAMPLE_RATE, PcmAudio
from trainer.speech.errors import SpeechUnavailable
from trainer.speech.model_setup import STAMP_NAME, stamped_size
from trainer.speech.no_speech import is_hallucination, is_unlikely_speech, screen_silence
from trainer.speech.transcript import Segment, Transcript, Word, transcript_from_segments

LANGUAGE = "zh"
# Measured on the 2-core machine (README of benchmarks/bench_speech.py): beam 5 costs about
# 15 % more time than greedy decoding and gets noticeably more key words right (规定, 及时, 对不起).
BEAM_SIZE = 5
# Mandarin runs at 4-6 syllables a second and Whisper spends one to three tokens per character.
# Capping the tokens by the audio's length stops a repetition loop on noise (otherwise up to
# 448 tokens, about 5 s of CPU) without ever cutting a real answer short.
TOKENS_PER_SECOND = 15
TOKENS_MARGIN = 20
MAX_TOKENS = 440

_models: dict[tuple[str, str, int], Any] = {}
_models_lock = threading.Lock()


def default_cpu_threads() -> int:
    """All cores, up to 4: one recognition at a time is fastest on a small station server."""
    return max(1, min(4, os.cpu_count() or 1))


def load_whisper_model(model_dir: Path, *, compute_type: str = "int8", cpu_threads: int = 0) -> Any:
    """Return the process's WhisperModel for ``model_dir``, loading it on first use.

    Raises :class:`SpeechUnavailable` (Chinese message) when the directory or its model.bin is
    missing or the model cannot be loaded; a failed load is not cached, so a later call retries.
    """
    threads = cpu_threads or default_cpu_threads()
    key = (str(model_dir), compute_type, threads)
    model = _models.get(key)
    if model is not None:
        return model
    with _models_lock:
        model = _models.get(key)
        if model is None:
            model = _load(model_dir, compute_type, threads)
            _models[key] = model
    return model


def _load(model_dir: Path, compute_type: str, threads: int) -> Any:
    hint = "请运行 make model(python -m trainer.speech.model_setup),或把 TRAINER_ASR_MODEL 指向一个 faster-whisper 模型目录。"
    if not model_dir.is_dir():
        raise SpeechUnavailable(f"找不到语音识别模型目录 {model_dir}。{hint}", code="model_missing")
    if not (model_dir / "model.bin").is_file():
        raise SpeechUnavailable(
            f"语音识别模型目录 {model_dir} 中缺少 model.bin。{hint}", code="model_missing"
        )
    if (model_dir / STAMP_NAME).exists() and stamped_size(model_dir) is None:
        # Our set-up recorded the verified size: a different size means a damaged copy.
        raise SpeechUnavailable(
            f"语音识别模型 {model_dir} 的 model.bin 与组装时校验的不一致,文件可能已损坏。{hint}",
            code="model_corrupt",
        )
    try:
        from faster_whisper import WhisperModel
    except ImportError as error:  # pragma: no cover - a core dependency
        raise SpeechUnavailable(
            "未安装 faster-whisper,请运行 pip install -e .", code="engine_missing"
        ) from error
    try:
        # local_files_only: a path that is not a directory would otherwise be taken for a hub name.
        return WhisperModel(
            str(model_dir),
            device="cpu",
            compute_type=compute_type,
            cpu_threads=threads,
            local_files_only=True,
        )
    except Exception as error:
        raise SpeechUnavailable(
            f"语音识别模型 {model_dir} 无法加载,model.bin 可能已损坏或不完整。{hint}",
            code="model_corrupt",
        ) from error


class FasterWhisperEngine:
    """Recognise Mandarin with a local faster-whisper model, int8 on the CPU.

    No prompt and no hotwords are given to the model: biasing it with the approved phrasing
    makes it hear the right answer when the trainee said something else.
    """

    name = "faster-whisper"

    def __init__(
        self,
        model_dir: Path | str,
        *,
        beam_size: int = BEAM_SIZE,
        cpu_threads: int = 0,
        compute_type: str = "int8",
        word_timestamps: bool = True,
        vad_filter: bool = True,
    ) -> None:
        self.model_dir = Path(model_dir).expanduser().resolve()
        self.beam_size = beam_size
        self.cpu_threads = cpu_threads
        self.compute_type = compute_type
        self.word_timestamps = word_timestamps
        # Off only to test the later no-speech layers on their own.
        self.vad_filter = vad_filter

    def load(self) -> Any:
        """Load the model now (e.g. when a server worker starts) instead of on the first answer."""
        return load_whisper_model(
            self.model_dir, compute_type=self.compute_type, cpu_threads=self.cpu_threads
        )

    def warm_up(self) -> None:
        """Load the model and the VAD and run one short decode.

        The first recognition in a process is about 0.1 s slower (buffers, the VAD session);
        a server worker calls this at start so the first trainee does not pay for it.
        """
        from faster_whisper.vad import get_vad_model

        model = self.load()
        get_vad_model()
        tone = 0.1 * np.sin(2 * np.pi * 220 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)
        segments, _ = model.transcribe(
            tone.astype(np.float32),
            language=LANGUAGE,
            beam_size=self.beam_size,
            temperature=0.0,
            vad_filter=False,  # a tone is not speech; the decoder must run all the same
            word_timestamps=self.word_timestamps,
        )
        list(segments)

    def transcribe(self, pcm: PcmAudio) -> Transcript:
        """Recognise ``pcm``; silence, noise and invented text give ``no_speech=True``."""
        started = time.perf_counter()
        if (silent := screen_silence(pcm, self.name, started)) is not None:
            return silent
        model = self.load()
        try:
            raw_segments, info = model.transcribe(
                pcm.float32(),
                language=LANGUAGE,
                beam_size=self.beam_size,
                # Greedy-or-beam at temperature 0 only: sampling fallbacks make the same recording
                # score differently on a retry, and on noise they mostly produce invented text.
                temperature=0.0,
                condition_on_previous_text=False,
                vad_filter=self.vad_filter,
                word_timestamps=self.word_timestamps,
                max_new_tokens=token_budget(pcm.duration),
            )
            raw_segments = list(raw_segments)
        except Exception as error:
            raise SpeechUnavailable(
                "语音识别出错,录音已保存,请稍后重试。", code="engine_failed"
            ) from error
        return transcript_from_segments(
            tuple(_segment(s) for s in raw_segments if _is_speech(s)),
            duration=pcm.duration,
            engine=self.name,
            language=info.language or LANGUAGE,
            elapsed=time.perf_counter() - started,
            reason_if_empty="rejected" if raw_segments else "no-voice",
        )


def token_budget(seconds: float) -> int:
    """Most tokens to decode per 30 s window for a recording of ``seconds``."""
    return min(MAX_TOKENS, int(TOKENS_PER_SECOND * min(seconds, 30.0)) + TOKENS_MARGIN)


def _is_speech(segment: Any) -> bool:
    if is_hallucination(segment.text):
        return False
    return not is_unlikely_speech(
        segment.no_speech_prob, segment.avg_logprob, segment.compression_ratio
    )


def _segment(segment: Any) -> Segment:
    words = tuple(
        Word(
            start=round(w.start, 3),
            end=round(w.end, 3),
            text=w.word.strip(),
            probability=round(w.probability, 3),
        )
        for w in (segment.words or ())
        if w.word.strip()
    )
    return Segment(
        start=round(segment.start, 3),
        end=round(segment.end, 3),
        text=segment.text.strip(),
        words=words,
        avg_logprob=round(segment.avg_logprob, 3),
        no_speech_prob=round(segment.no_speech_prob, 3),
    )
