"""Delivery feedback from the recogniser's timings: speaking rate, long pauses, filler words.

Shown to the trainee next to the score; it does not count toward passing unless a module's
policy says so. Pure functions of a :class:`Transcript`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.speech.transcript import Segment, Transcript, Word

LONG_PAUSE_SECONDS = 1.0
# Comfortable service speech is roughly 150-300 characters a minute; outside it a customer
# strains to follow, or the attendant sounds unwilling.
SLOW_BELOW = 150
FAST_ABOVE = 300
# Rates over less than this much speech say nothing.
MIN_SPEECH_SECONDS = 0.8

# Hesitation sounds count anywhere; 啊 and 那个 are also ordinary words (来了啊, 那个车), so they
# count only where a clause starts. Traditional forms are listed because Whisper often emits them.
# 额 is left out: it is the 额 of 余额 and 金额.
_HESITATIONS = re.compile(r"[嗯呃唔欸]")
_CLAUSE_START_FILLERS = re.compile(r"(?:^|(?<=[,,。.!!??;;、\s]))(那个|那個|啊)")
_SPOKEN = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")


@dataclass(frozen=True)
class Pause:
    """A silence between two stretches of speech."""

    start: float
    seconds: float


@dataclass(frozen=True)
class DeliveryFeedback:
    """How the answer was spoken. ``notes`` are ready-made Chinese sentences for the page."""

    chars_per_minute: int | None
    rate_label: str
    long_pauses: tuple[Pause, ...]
    fillers: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def filler_count(self) -> int:
        """How many filler words were heard."""
        return len(self.fillers)


def delivery_feedback(
    transcript: Transcript, long_pause: float = LONG_PAUSE_SECONDS
) -> DeliveryFeedback:
    """Speaking rate (characters per minute), pauses longer than ``long_pause`` s, fillers."""
    if transcript.no_speech or not transcript.segments:
        return DeliveryFeedback(None, "未检测到说话", (), (), ("没有听到说话声,无法评价表达。",))
    rate = speaking_rate(transcript)
    label = _rate_label(rate)
    pauses = long_pauses(transcript, long_pause)
    fillers = find_fillers(transcript.text)
    notes = [f"语速:{label}" + (f"(每分钟约 {rate} 字)" if rate is not None else "")]
    if pauses:
        lengths = "、".join(f"{p.seconds:.1f} 秒" for p in pauses)
        notes.append(
            f"停顿:有 {len(pauses)} 处超过 {long_pause:g} 秒({lengths}),说得连贯些更显专业。"
        )
    else:
        notes.append("停顿:没有过长的停顿。")
    if fillers:
        notes.append(f"口头语:{len(fillers)} 次({'、'.join(fillers)}),尽量去掉。")
    else:
        notes.append("口头语:没有。")
    return DeliveryFeedback(rate, label, pauses, fillers, tuple(notes))


def speaking_rate(transcript: Transcript) -> int | None:
    """Spoken characters per minute between the first and last sound, or None if too short.

    Digits count one each (Whisper writes 三十五 as 35), so numbers slightly lower the figure.
    """
    timed: Sequence[Word | Segment] = transcript.words or transcript.segments
    if not timed:
        return None
    seconds = timed[-1].end - timed[0].start
    if seconds < MIN_SPEECH_SECONDS:
        return None
    characters = len(_SPOKEN.findall(transcript.text))
    return round(characters * 60 / seconds)


def long_pauses(transcript: Transcript, threshold: float = LONG_PAUSE_SECONDS) -> tuple[Pause, ...]:
    """Gaps longer than ``threshold`` between words (or segments, if the engine gives no words)."""
    timed: Sequence[Word | Segment] = transcript.words or transcript.segments
    return tuple(
        Pause(start=round(before.end, 2), seconds=round(after.start - before.end, 2))
        for before, after in zip(timed, timed[1:], strict=False)
        if after.start - before.end > threshold
    )


def find_fillers(text: str) -> tuple[str, ...]:
    """Filler words in ``text``, in order: hesitation sounds, and 那个/啊 opening a clause."""
    found = [(m.start(), m.group()) for m in _HESITATIONS.finditer(text)]
    found += [(m.start(), m.group(1)) for m in _CLAUSE_START_FILLERS.finditer(text)]
    return tuple(word for _, word in sorted(found))


def _rate_label(rate: int | None) -> str:
    if rate is None:
        return "太短,无法判断"
    if rate < SLOW_BELOW:
        return "偏慢"
    if rate > FAST_ABOVE:
        return "偏快"
    return "适中"
