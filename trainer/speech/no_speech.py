"""Telling "nobody spoke" from an answer, so silence or noise is never scored.

Whisper invents text on silence and noise (字幕由Amara.org社群提供, 請不吝點贊訂閱 ...). Four
layers, cheapest first:

1. an energy gate on the PCM, before recognition, so a silent recording or steady hiss costs
   no model time;
2. Silero VAD inside faster-whisper (``vad_filter=True``), which cuts non-speech away;
3. each segment's ``no_speech_prob``, ``avg_logprob`` and ``compression_ratio``;
4. a short list of phrases Whisper is known to hallucinate, none of which a station attendant
   would say.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np

from trainer.speech.audio import PcmAudio
from trainer.speech.transcript import Transcript, silent_transcript

WINDOW_SECONDS = 0.1
# Below this even the loudest 100 ms is a muted or unplugged microphone: browser microphones
# with automatic gain put speech around -30..-6 dBFS.
QUIET_DBFS = -50.0
# Speech rises and falls by syllable: across 100 ms windows its level spreads by 6-15 dB, and
# still by 3 dB or more when buried in noise as loud as itself (0 dB SNR). Hiss, hum and white
# noise spread by under 1 dB. Pink or traffic noise (3-7 dB) is left to the VAD, which is cheap.
STEADY_SPREAD_DB = 2.0
# Exact digital silence (muted track, padding) says nothing about the background.
DIGITAL_SILENCE_DBFS = -90.0

# Whisper's own rule for a silent window, plus two signs of made-up text.
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0
VERY_LOW_LOGPROB = -1.5
SURE_NO_SPEECH_PROB = 0.85
MAX_COMPRESSION_RATIO = 2.4

# Fragments of subtitle credits and video outros from Whisper's training data, in traditional
# and simplified characters. A segment containing one is dropped. Each was chosen so that it
# cannot occur in what an attendant says at a filling station.
HALLUCINATION_FRAGMENTS = (
    "amara",
    "字幕",
    "订阅",
    "訂閱",
    "点赞",
    "點贊",
    "點讚",
    "打赏",
    "打賞",
    "明镜",
    "明鏡",
    "栏目",
    "欄目",
    "独播剧场",
    "獨播劇場",
    "请不吝",
    "請不吝",
    "youtube",
    "transcribed by",
    "subtitles by",
)
# Whole segments Whisper emits on noise at the end of a clip. Matched only as the whole
# segment, because parts of them ("谢谢") are ordinary service language.
HALLUCINATION_SEGMENTS = frozenset(
    {
        "谢谢观看",
        "謝謝觀看",
        "感谢观看",
        "感謝觀看",
        "谢谢收看",
        "謝謝收看",
        "感谢收看",
        "感謝收看",
        "谢谢大家",
        "謝謝大家",
        "下期再见",
        "下期再見",
        "我们下期再见",
        "我們下期再見",
        "请订阅我的频道",
        "請訂閱我的頻道",
    }
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Energy:
    """Loudness of a recording in 100 ms windows (dBFS: 0 is full scale).

    ``spread_db`` is the distance between the 90th and 10th percentile of the windows that are
    not digital silence: large for speech, near zero for steady noise.
    """

    peak_dbfs: float
    spread_db: float
    live_seconds: float


def measure_energy(pcm: PcmAudio) -> Energy:
    """Peak level, level spread and length of the non-silent part of a recording."""
    window = int(pcm.sample_rate * WINDOW_SECONDS)
    count = len(pcm.samples) // window
    if count == 0:
        return Energy(peak_dbfs=-200.0, spread_db=0.0, live_seconds=0.0)
    frames = pcm.samples[: count * window].reshape(count, window).astype(np.float64) / 32768.0
    dbfs = 10.0 * np.log10(np.mean(frames * frames, axis=1) + 1e-20)
    live = dbfs[dbfs > DIGITAL_SILENCE_DBFS]
    spread = float(np.percentile(live, 90) - np.percentile(live, 10)) if live.size else 0.0
    return Energy(
        peak_dbfs=float(dbfs.max()), spread_db=spread, live_seconds=live.size * WINDOW_SECONDS
    )


def energy_gate(pcm: PcmAudio) -> str | None:
    """Return why the recording holds no speech ("quiet", "steady-noise"), or ``None`` if it may.

    Conservative on purpose: it only rules out what cannot be speech (a muted microphone, a
    level that never moves). Everything else goes on to the VAD and the recogniser, so a real
    answer in a noisy forecourt is never dropped here.
    """
    energy = measure_energy(pcm)
    if energy.peak_dbfs < QUIET_DBFS:
        return "quiet"
    if energy.live_seconds >= 3 * WINDOW_SECONDS and energy.spread_db < STEADY_SPREAD_DB:
        return "steady-noise"
    return None


def screen_silence(pcm: PcmAudio, engine: str, started: float) -> Transcript | None:
    """Every engine's first step: the no-speech transcript if the energy gate rules the
    recording out (the model is not even loaded), else ``None``."""
    reason = energy_gate(pcm)
    if reason is None:
        return None
    return silent_transcript(pcm.duration, engine, reason, time.perf_counter() - started)


def is_hallucination(text: str) -> bool:
    """True when a segment's text is one of Whisper's stock inventions, not something said."""
    plain = _NOT_WORD.sub("", text).lower()
    if not plain:
        return True
    if plain in HALLUCINATION_SEGMENTS:
        return True
    spaced = " ".join(text.lower().split())
    return any(fragment in plain or fragment in spaced for fragment in HALLUCINATION_FRAGMENTS)


def is_unlikely_speech(
    no_speech_prob: float, avg_logprob: float, compression_ratio: float | None = None
) -> bool:
    """True when Whisper's own scores say a segment is probably not speech or not real text."""
    if no_speech_prob > NO_SPEECH_PROB and avg_logprob < LOW_LOGPROB:
        return True
    if no_speech_prob >= SURE_NO_SPEECH_PROB or avg_logprob < VERY_LOW_LOGPROB:
        return True
    return compression_ratio is not None and loops(compression_ratio)


def loops(compression_ratio: float) -> bool:
    """Whether Whisper went round a loop (歡迎 歡迎 歡迎 …): its text compresses too well."""
    return compression_ratio > MAX_COMPRESSION_RATIO
