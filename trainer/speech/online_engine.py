"""Optional engine: an online recogniser through SpeechRecognition (Google's web speech API).

Off by default: a station may have no internet, and recordings would leave the site. It is used
only when a site sets ``TRAINER_ASR_ENGINE=online``. Without a connection it raises
:class:`SpeechUnavailable`, so the attempt stays 待识别 and can be retried.
"""

from __future__ import annotations

import time

from trainer.speech.audio import PcmAudio
from trainer.speech.errors import SpeechUnavailable
from trainer.speech.no_speech import screen_silence
from trainer.speech.transcript import Segment, Transcript, transcript_from_segments


class OnlineEngine:
    """Send the recording to Google's speech API (``recognize_google``) and return its text."""

    name = "online"

    def __init__(
        self,
        *,
        language: str = "zh-CN",
        key: str | None = None,
        timeout: float = 10.0,
        endpoint: str | None = None,
    ) -> None:
        self.language = language
        self.key = key
        self.timeout = timeout
        self.endpoint = endpoint

    def load(self) -> None:
        """Nothing to load; present so every engine can be handled the same way."""

    def warm_up(self) -> None:
        """Nothing to warm up."""

    def transcribe(self, pcm: PcmAudio) -> Transcript:
        """Recognise ``pcm`` online; raise SpeechUnavailable when the service cannot be reached."""
        started = time.perf_counter()
        if (silent := screen_silence(pcm, self.name, started)) is not None:
            return silent
        import speech_recognition as sr

        recogniser = sr.Recognizer()
        recogniser.operation_timeout = self.timeout
        audio = sr.AudioData(pcm.samples.astype("<i2").tobytes(), pcm.sample_rate, 2)
        options = {"endpoint": self.endpoint} if self.endpoint else {}
        try:
            text = recogniser.recognize_google(
                audio, key=self.key, language=self.language, **options
            )
        except sr.UnknownValueError:
            text = ""
        except (sr.RequestError, OSError) as error:
            raise SpeechUnavailable(
                "无法连接在线语音识别服务(本站可能没有外网)。录音已保存,请稍后重试,"
                "或请管理员改用离线引擎 faster-whisper。",
                code="offline",
            ) from error
        text = str(text).strip()
        # The web API gives no timings: one segment spanning the recording.
        return transcript_from_segments(
            (Segment(start=0.0, end=pcm.duration, text=text),) if text else (),
            duration=pcm.duration,
            engine=self.name,
            language=self.language,
            elapsed=time.perf_counter() - started,
        )
