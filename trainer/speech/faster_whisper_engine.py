"""The default engine: faster-whisper (CTranslate2) on the CPU, from a local model directory.

The model is loaded once per process, lazily and under a lock, and shared by every engine object
that names the same directory and compute settings. Nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from trainer.speech.audio import SAMPLE_RATE, PcmAudio
from trainer.speech.errors import SpeechUnavailable
from trainer.speech.model_setup import STAMP_NAME, stamped_size
from trainer.speech.no_speech import is_hallucination, is_unlikely_speech, loops, screen_silence
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
# Quiet speech is raised before recognition (see normalise_loudness).
QUIET_SPEECH_DBFS = -30.0
TARGET_DBFS = -22.0
MAX_GAIN_DB = 30.0
# Silero VAD settings. faster-whisper's defaults (threshold 0.5, 2 s minimum silence) cut
# quiet or band-limited speech; these keep more of it and leave noise to the later layers.
VAD_PARAMETERS = {"threshold": 0.35, "min_silence_duration_ms": 1000, "speech_pad_ms": 300}
# Long recordings are decoded by a model whose threads run at this nice value: the kernel then
# gives the cores to short answers first and lets long recordings have what is left, inside a
# 30-s window too (a short answer no longer waits for a long recording's window to finish).
BACKGROUND_NICE = 19
# Whisper's encoder reads a 30-s window whatever the recording's length: a 3-s answer cost 1.24
# CPU-s, and 0.52 in a 15-s window. A shorter recording is encoded in a window of its own length
# plus a margin, at least ENCODER_MIN_WINDOW seconds (None: always 30 s). Chosen on the labelled
# clips (eval/speech/README.md): 10, 15 and 30 s agree alike overall (88.2, 88.1 and 87.7 % of
# 2,264 development clips), and 15 s loses least on the shared development clips.
ENCODER_MIN_WINDOW: float | None = 15.0
ENCODER_WINDOW_MARGIN = 1.0
FRAMES_PER_SECOND = 100  # Whisper's mel features: a 10-ms hop
WINDOW_FRAMES = 3000

_models: dict[tuple[str, str, int, int, bool], Any] = {}
_models_lock = threading.Lock()
_encoder_window = threading.local()  # frames the encoder reads in this thread's recognition


def encoder_frames(duration: float) -> int | None:
    """Mel frames the encoder reads for a recording of ``duration`` seconds: the recording plus
    a margin, in whole seconds, at least ENCODER_MIN_WINDOW; None for the full 30-s window."""
    if ENCODER_MIN_WINDOW is None:
        return None
    seconds = max(ENCODER_MIN_WINDOW, math.ceil(duration + ENCODER_WINDOW_MARGIN))
    frames = int(seconds * FRAMES_PER_SECOND)
    return frames if frames < WINDOW_FRAMES else None


@contextlib.contextmanager
def encoder_window(frames: int | None) -> Iterator[None]:
    """Within this block, the encoder of this thread's recognitions reads ``frames`` (None: 30 s)."""
    outer = getattr(_encoder_window, "frames", None)
    _encoder_window.frames = frames
    try:
        yield
    finally:
        _encoder_window.frames = outer


@functools.cache
def _windowed_model_class() -> type:
    """faster-whisper's WhisperModel whose encoder reads only this thread's window: the
    features it is given are the recording padded to 30 s, so the window drops padding only."""
    from faster_whisper import WhisperModel

    class WindowedWhisperModel(WhisperModel):
        def encode(self, features: np.ndarray) -> Any:
            frames = getattr(_encoder_window, "frames", None)
            if frames is not None and features.shape[-1] > frames:
                features = np.ascontiguousarray(features[..., :frames])
            return super().encode(features)

    return WindowedWhisperModel


def default_cpu_threads() -> int:
    """All cores, up to 4: one recognition at a time is fastest on a small station server."""
    return max(1, min(4, os.cpu_count() or 1))


def load_whisper_model(model_dir: Path, *, compute_type: str = "int8", cpu_threads: int = 0,
                       num_workers: int = 1, background: bool = False) -> Any:
    """Return the process's WhisperModel for ``model_dir``, loading it on first use.

    ``background``: a separate model whose threads run at BACKGROUND_NICE (for long recordings).
    Raises :class:`SpeechUnavailable` (Chinese message) when the directory or its model.bin is
    missing or the model cannot be loaded; a failed load is not cached, so a later call retries.
    """
    threads = cpu_threads or default_cpu_threads()
    key = (str(model_dir), compute_type, threads, num_workers, background)
    model = _models.get(key)
    if model is not None:
        return model
    with _models_lock:
        model = _models.get(key)
        if model is None:
            load = _load_in_background if background else _load
            model = load(model_dir, compute_type, threads, num_workers)
            _models[key] = model
    return model


def _load_in_background(model_dir: Path, compute_type: str, threads: int,
                        num_workers: int = 1) -> Any:
    """Load a model from a thread of lowest priority: CTranslate2's worker threads are made
    during the load and keep the nice value of the thread that made them (Linux: per thread)."""
    loaded: dict[str, Any] = {}

    def load() -> None:
        try:
            _lower_this_threads_priority()
            loaded["model"] = _load(model_dir, compute_type, threads, num_workers)
        except BaseException as error:  # handed to the caller below
            loaded["error"] = error

    thread = threading.Thread(target=load, name="speech-background-load", daemon=True)
    thread.start()
    thread.join()
    if "error" in loaded:
        raise loaded["error"]
    return loaded["model"]


def _lower_this_threads_priority(nice: int = BACKGROUND_NICE) -> None:
    """Give the calling thread (and threads it starts later) the lowest CPU priority. Only on
    Linux, where nice is per thread; elsewhere it would slow the whole server process."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


# What a trainee sees: no server path (the administrator finds it in ``detail`` and the log).
_ASK_ADMIN = "录音已保存,请稍后点“重新识别”;若一直如此,请联系管理员检查语音模型。"


def _load(model_dir: Path, compute_type: str, threads: int, num_workers: int = 1) -> Any:
    hint = "请运行 make model(python -m trainer.speech.model_setup),或把 TRAINER_ASR_MODEL 指向一个 faster-whisper 模型目录。"
    if not model_dir.is_dir():
        raise SpeechUnavailable(f"找不到语音识别模型。{_ASK_ADMIN}", code="model_missing",
                                detail=f"找不到语音识别模型目录 {model_dir}。{hint}")
    if not (model_dir / "model.bin").is_file():
        raise SpeechUnavailable(f"找不到语音识别模型文件。{_ASK_ADMIN}", code="model_missing",
                                detail=f"语音识别模型目录 {model_dir} 中缺少 model.bin。{hint}")
    if (model_dir / STAMP_NAME).exists() and stamped_size(model_dir) is None:
        # Our set-up recorded the verified size: a different size means a damaged copy.
        raise SpeechUnavailable(
            f"语音识别模型文件与组装时校验的不一致,可能已损坏。{_ASK_ADMIN}", code="model_corrupt",
            detail=f"语音识别模型 {model_dir} 的 model.bin 与组装时校验的不一致,文件可能已损坏。{hint}")
    try:
        whisper_model = _windowed_model_class()
    except ImportError as error:  # pragma: no cover - a core dependency
        raise SpeechUnavailable(
            f"服务器未安装语音识别引擎。{_ASK_ADMIN}", code="engine_missing",
            detail="未安装 faster-whisper,请运行 pip install -e .") from error
    try:
        # local_files_only: a path that is not a directory would otherwise be taken for a hub name.
        return whisper_model(
            str(model_dir),
            device="cpu",
            compute_type=compute_type,
            cpu_threads=threads,
            # Calls from several threads run in parallel only with as many workers: with one,
            # a short answer would queue inside the model behind a long recording's window.
            num_workers=max(1, num_workers),
            local_files_only=True,
        )
    except Exception as error:
        raise SpeechUnavailable(
            f"语音识别模型无法加载,可能已损坏或不完整。{_ASK_ADMIN}", code="model_corrupt",
            detail=f"语音识别模型 {model_dir} 无法加载,model.bin 可能已损坏或不完整。{hint}",
        ) from error


class FasterWhisperEngine:
    """Recognise Mandarin with a local faster-whisper model, int8 on the CPU.

    It is never given a prompt or hotwords: biasing the model with the approved phrasing makes
    it hear the right answer when the trainee said something else (trainer.speech.context
    checks candidate texts against the audio with :meth:`text_logprobs` instead).
    """

    name = "faster-whisper"
    takes_options = True  # transcribe() takes time_limit, background and beam_size

    def __init__(
        self,
        model_dir: Path | str,
        *,
        beam_size: int = BEAM_SIZE,
        cpu_threads: int = 0,
        num_workers: int = 1,
        compute_type: str = "int8",
        word_timestamps: bool = True,
        vad_filter: bool = True,
    ) -> None:
        self.model_dir = Path(model_dir).expanduser().resolve()
        self.beam_size = beam_size
        self.cpu_threads = cpu_threads
        self.num_workers = num_workers
        self.compute_type = compute_type
        self.word_timestamps = word_timestamps
        # Off only to test the later no-speech layers on their own.
        self.vad_filter = vad_filter

    def load(self, background: bool = False) -> Any:
        """Load the model now (e.g. when a server worker starts) instead of on the first answer.

        ``background``: the model for long recordings, its threads at the lowest priority (one
        worker fewer: the pool's first thread takes short answers only).
        """
        return load_whisper_model(
            self.model_dir, compute_type=self.compute_type, cpu_threads=self.cpu_threads,
            num_workers=max(1, self.num_workers - 1) if background else self.num_workers,
            background=background)

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

    def _decode(self, model: Any, samples: np.ndarray, duration: float, frames: int | None,
                beam_size: int | None, started: float, time_limit: float | None
                ) -> tuple[list, Any]:
        """Whisper's segments of ``samples`` with the encoder reading ``frames`` (None: 30 s)."""
        # The segments are decoded lazily, as _within reads them: inside the window.
        with encoder_window(frames):
            raw_segments, info = model.transcribe(
                samples,
                language=LANGUAGE,
                beam_size=beam_size or self.beam_size,
                # Greedy-or-beam at temperature 0 only: sampling fallbacks make the same
                # recording score differently on a retry, and on noise mostly invent text.
                temperature=0.0,
                condition_on_previous_text=False,
                vad_filter=self.vad_filter,
                word_timestamps=self.word_timestamps,
                max_new_tokens=token_budget(duration),
                vad_parameters=dict(VAD_PARAMETERS),
            )
            return _within(raw_segments, started, time_limit), info

    def text_logprobs(self, pcm: PcmAudio, texts: list[str]) -> list[float]:
        """How well the audio supports each text: the total log-probability that the
        plain model (no prompt, no hotwords) gives it, forced through the first 30 s.

        Used by trainer.speech.context to check a rescued key word against the audio.
        """
        model = self.load()
        try:
            return _text_logprobs(model, pcm, texts)
        except Exception as error:
            raise SpeechUnavailable(
                "语音识别出错,录音已保存,请稍后重试。", code="engine_failed") from error

    def transcribe(self, pcm: PcmAudio, *, time_limit: float | None = None,
                   background: bool = False, beam_size: int | None = None) -> Transcript:
        """Recognise ``pcm``; silence, noise and invented text give ``no_speech=True``.

        ``time_limit``: seconds after which decoding stops between two 30-s windows and
        :class:`SpeechUnavailable` ("recognition_timeout") is raised.
        ``background``: decode on the model of lowest priority (a long recording: the cores go
        to short answers first). Time it waits for them counts toward ``time_limit``.
        ``beam_size``: instead of the engine's (greedy decoding for long recordings).
        """
        started = time.perf_counter()
        if (silent := screen_silence(pcm, self.name, started)) is not None:
            return silent
        model = self.load(background)
        try:
            samples, frames = normalise_loudness(pcm.float32()), encoder_frames(pcm.duration)
            decode = functools.partial(self._decode, model, samples, pcm.duration,
                                       beam_size=beam_size, started=started,
                                       time_limit=time_limit)
            raw_segments, info = decode(frames)
            if frames is not None and any(loops(s.compression_ratio) for s in raw_segments):
                # A short window can send the decoder round a loop (欢迎 欢迎 欢迎 …, seen on
                # an answer under heavy noise) where Whisper's own 30 s does not: decode again.
                raw_segments, info = decode(None)
        except SpeechUnavailable:
            raise
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


def _text_logprobs(model: Any, pcm: PcmAudio, texts: list[str]) -> list[float]:
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer

    samples = normalise_loudness(pcm.float32())[: 30 * SAMPLE_RATE]
    features = model.feature_extractor(samples)
    frames = min(features.shape[-1], model.feature_extractor.nb_max_frames)
    encoded = model.encode(pad_or_trim(features))
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                          language=LANGUAGE)
    start = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
    scores = []
    for text in texts:  # one at a time: the encoder output is a batch of one
        tokens = tokenizer.encode(text) + [tokenizer.eot]
        result = model.model.align(encoded, start, [tokens], frames)[0]
        probs = np.maximum(np.asarray(result.text_token_probs, dtype=np.float64), 1e-9)
        scores.append(float(np.sum(np.log(probs))))
    return scores


def _within(segments: Any, started: float, time_limit: float | None) -> list:
    """Collect the decoder's segments, stopping once ``time_limit`` seconds of decoding have
    passed (a hard cap per recording, checked between windows: one window cannot be
    interrupted)."""
    collected = []
    for segment in segments:
        collected.append(segment)
        if time_limit is not None and time.perf_counter() - started > time_limit:
            raise SpeechUnavailable(
                "识别用时超过上限,录音已保存,请稍后点“重新识别”。", code="recognition_timeout")
    return collected


def normalise_loudness(samples: np.ndarray) -> np.ndarray:
    """Raise quiet speech before recognition: a phone held away (-20 dB) or a weak microphone
    otherwise gives Whisper a faint signal it half ignores.

    The level is taken from the loudest 100-ms windows (the speech, not the pauses); below
    QUIET_SPEECH_DBFS it is raised to TARGET_DBFS, by at most MAX_GAIN_DB, peaks kept below
    full scale. A recording at a normal level is left exactly as it is (raising loud noise
    would only help Whisper invent text on it). The energy gate has already decided that
    there is something to hear.
    """
    window = SAMPLE_RATE // 10
    count = len(samples) // window
    if count == 0 or MAX_GAIN_DB <= 0:
        return samples
    frames = samples[: count * window].reshape(count, window)
    levels = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)
    speech = float(np.percentile(levels, 90))
    level_db = 20 * np.log10(max(speech, 1e-9))
    if level_db >= QUIET_SPEECH_DBFS:
        return samples
    gain = 10 ** (min(MAX_GAIN_DB, TARGET_DBFS - level_db) / 20)
    peak = float(np.max(np.abs(samples))) * gain
    if peak > 0.98:
        gain *= 0.98 / peak
    return (samples * gain).astype(np.float32)


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
