"""What every engine returns: a :class:`Transcript` of :class:`Segment` s and :class:`Word` s.

Plain frozen dataclasses so that results can be cached, compared in tests and stored as JSON
with :func:`dataclasses.asdict` by the web layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NO_SPEECH_MESSAGE = "没有听到说话声。请靠近麦克风,按下录音后清楚地说一遍。"


@dataclass(frozen=True)
class Word:
    """One recognised word (for Chinese usually one or two characters) with its timing in seconds."""

    start: float
    end: float
    text: str
    probability: float | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of speech with its text; times are seconds from the start of the recording."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    # Recogniser confidence, kept for diagnosis; None for engines that do not report it.
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


@dataclass(frozen=True)
class Transcript:
    """The result of recognising one recording.

    ``text`` is the recogniser's raw output (Whisper often answers in traditional characters;
    the scoring engine normalises). When ``no_speech`` is true, ``text`` is empty and the answer
    must not be scored: show :data:`NO_SPEECH_MESSAGE` instead.
    """

    text: str
    duration: float
    segments: tuple[Segment, ...] = ()
    no_speech: bool = False
    language: str = "zh"
    engine: str = ""
    elapsed: float = 0.0
    # Why no speech was reported, for logs and tests: "quiet", "steady-noise" (energy gate before
    # recognition), "no-voice" (VAD found nothing) or "rejected" (segments dropped as unlikely).
    no_speech_reason: str = ""

    @property
    def words(self) -> tuple[Word, ...]:
        """All word timings of all segments, in order (empty when the engine gives none)."""
        return tuple(word for segment in self.segments for word in segment.words)


def silent_transcript(
    duration: float, engine: str, reason: str, elapsed: float = 0.0
) -> Transcript:
    """The transcript of a recording in which nobody spoke."""
    return Transcript(
        text="",
        duration=duration,
        no_speech=True,
        engine=engine,
        elapsed=elapsed,
        no_speech_reason=reason,
    )


def transcript_from_segments(
    segments: tuple[Segment, ...],
    *,
    duration: float,
    engine: str,
    language: str,
    elapsed: float,
    reason_if_empty: str = "no-voice",
) -> Transcript:
    """The transcript of the segments kept; none kept means nobody spoke."""
    if not segments:
        return silent_transcript(duration, engine, reason_if_empty, elapsed)
    return Transcript(
        text=join_texts(s.text for s in segments),
        duration=duration,
        segments=segments,
        language=language,
        engine=engine,
        elapsed=elapsed,
    )


def join_texts(parts: Iterable[str]) -> str:
    """Join segment texts: no separator in Chinese, one space between two Latin words or numbers."""
    joined = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if (
            joined
            and joined[-1].isascii()
            and joined[-1].isalnum()
            and part[0].isascii()
            and part[0].isalnum()
        ):
            joined += " "
        joined += part
    return joined
