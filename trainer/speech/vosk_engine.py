"""Optional engine: Vosk (Kaldi) with a local Chinese model directory.

For sites that prefer it (``pip install -e '.[vosk]'`` and a model such as vosk-model-small-cn
unpacked somewhere, named by ``TRAINER_ASR_VOSK_MODEL``). SpeechRecognition's
``recognize_vosk`` loads the model on every call from a path fixed inside site-packages, so the
Vosk API is called directly and the model is kept for the life of the process.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from typing import Any

from trainer.speech.audio import PcmAudio
from trainer.speech.errors import SpeechUnavailable
from trainer.speech.no_speech import screen_silence
from trainer.speech.transcript import Segment, Transcript, Word, transcript_from_segments

# Vosk's Chinese models put a space between words: 您好 欢迎 光临.
_SPACE_BETWEEN_CJK = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])"
)
_CHUNK_SAMPLES = 8000


def _vosk_module() -> Any:
    try:
        import vosk
    except ImportError as error:
        raise SpeechUnavailable(
            "未安装 vosk 语音识别引擎。请运行 pip install -e '.[vosk]',或改用默认引擎 faster-whisper。",
            code="engine_missing",
        ) from error
    return vosk


class VoskEngine:
    """Recognise Mandarin with Vosk; timings per word, no confidence gate beyond the energy gate."""

    name = "vosk"

    def __init__(self, model_dir: Path | str) -> None:
        self.model_dir = Path(model_dir).expanduser().resolve()
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> Any:
        """Load the Vosk model once (thread-safe); raise SpeechUnavailable when it cannot be."""
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                vosk = _vosk_module()
                if not (self.model_dir / "am").is_dir() and not (self.model_dir / "conf").is_dir():
                    raise SpeechUnavailable(
                        "找不到 vosk 语音识别模型。录音已保存,请联系管理员检查语音模型。",
                        code="model_missing",
                        detail=f"找不到 vosk 中文模型目录 {self.model_dir}。请下载 vosk 中文模型并"
                        "解压到该目录,或用 TRAINER_ASR_VOSK_MODEL 指向它。",
                    )
                vosk.SetLogLevel(-1)
                try:
                    self._model = vosk.Model(str(self.model_dir))
                except Exception as error:
                    raise SpeechUnavailable(
                        "vosk 语音识别模型无法加载,可能已损坏。录音已保存,请联系管理员。",
                        code="model_corrupt",
                        detail=f"vosk 模型 {self.model_dir} 无法加载,可能已损坏。",
                    ) from error
        return self._model

    def warm_up(self) -> None:
        """Load the model before the first answer arrives."""
        self.load()

    def transcribe(self, pcm: PcmAudio) -> Transcript:
        """Recognise ``pcm`` with Vosk; silence gives ``no_speech=True``."""
        started = time.perf_counter()
        if (silent := screen_silence(pcm, self.name, started)) is not None:
            return silent
        model = self.load()
        vosk = _vosk_module()
        recogniser = vosk.KaldiRecognizer(model, pcm.sample_rate)
        recogniser.SetWords(True)
        results = []
        data = pcm.samples.astype("<i2").tobytes()
        step = _CHUNK_SAMPLES * 2
        for offset in range(0, len(data), step):
            if recogniser.AcceptWaveform(data[offset : offset + step]):
                results.append(json.loads(recogniser.Result()))
        results.append(json.loads(recogniser.FinalResult()))
        return transcript_from_segments(
            tuple(seg for seg in (_segment(r) for r in results) if seg is not None),
            duration=pcm.duration,
            engine=self.name,
            language="zh",
            elapsed=time.perf_counter() - started,
        )


def _segment(result: dict) -> Segment | None:
    text = _SPACE_BETWEEN_CJK.sub("", result.get("text", "")).strip()
    words = tuple(
        Word(start=w["start"], end=w["end"], text=w["word"], probability=w.get("conf"))
        for w in result.get("result", ())
    )
    if not text or not words:
        return None
    return Segment(start=words[0].start, end=words[-1].end, text=text, words=words)
