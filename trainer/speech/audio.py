"""Browser uploads to 16 kHz mono 16-bit PCM, with PyAV (FFmpeg inside).

Browsers record in whatever they support: Chrome webm/opus, Firefox ogg/opus, Safari mp4/aac,
some WAV. Every upload is converted to the one format the recognisers take. Bad input is refused
early with an :class:`~trainer.speech.errors.AudioError` carrying a Chinese message and a stable
code; no PyAV exception leaves this module.
"""

from __future__ import annotations

import io
import os
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import av
import numpy as np

from trainer.speech.errors import (
    AudioError,
    AudioTooLarge,
    AudioTooLong,
    CorruptAudio,
    EmptyAudio,
    NotAudio,
)

SAMPLE_RATE = 16_000
MAX_BYTES = 5 * 1024 * 1024
MAX_SECONDS = 60.0
# Resamplers may add a few milliseconds of padding; do not refuse a 60.00 s recording for that.
_LENGTH_SLACK_SECONDS = 0.25


@dataclass(frozen=True, eq=False)
class PcmAudio:
    """Mono 16-bit PCM at 16 kHz: what every engine takes.

    ``samples`` is a read-only int16 array; :meth:`float32` gives the [-1, 1) view Whisper wants.
    """

    samples: np.ndarray
    sample_rate: int = SAMPLE_RATE

    def __post_init__(self) -> None:
        samples = np.ascontiguousarray(self.samples, dtype=np.int16).reshape(-1)
        samples.flags.writeable = False
        object.__setattr__(self, "samples", samples)

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sample_rate

    def float32(self) -> np.ndarray:
        """The samples scaled to float32 in [-1, 1)."""
        return self.samples.astype(np.float32) / 32768.0

    def to_wav_bytes(self) -> bytes:
        """The audio as a WAV file (for engines that take files, and for replay)."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(self.samples.astype("<i2").tobytes())
        return buffer.getvalue()

    def encode(
        self, container: str, codec: str, rate: int, layout: str = "mono", bit_rate: int = 0
    ) -> bytes:
        """Encode with FFmpeg, e.g. ``encode("webm", "libopus", 48000)`` as Chrome uploads, or a
        compact copy for replay. Used by the tests and the benchmark to make browser-like input."""
        buffer = io.BytesIO()
        with av.open(buffer, "w", format=container) as out:
            # An audio codec: PyAV's stubs cannot tell from the name (typed as any stream).
            stream: Any = out.add_stream(codec, rate=rate, layout=layout)
            if bit_rate:
                stream.bit_rate = bit_rate
            frame = av.AudioFrame.from_ndarray(
                self.samples.reshape(1, -1), format="s16", layout="mono"
            )
            frame.sample_rate = self.sample_rate
            resampler = av.AudioResampler(
                format=stream.codec_context.format.name, layout=layout, rate=rate
            )
            for converted in resampler.resample(frame) + resampler.resample(None):
                out.mux(stream.encode(converted))
            out.mux(stream.encode(None))
        return buffer.getvalue()

    @classmethod
    def from_float32(cls, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> PcmAudio:
        """Build from float samples in [-1, 1] (clipped), e.g. generated test signals."""
        clipped = np.clip(np.asarray(samples, dtype=np.float64), -1.0, 32767 / 32768)
        return cls(np.round(clipped * 32768).astype(np.int16), sample_rate)


def load_audio(
    data: bytes | BinaryIO | Path | str,
    *,
    max_bytes: int = MAX_BYTES,
    max_seconds: float = MAX_SECONDS,
) -> PcmAudio:
    """Decode an uploaded recording into :class:`PcmAudio` (16 kHz, mono, int16).

    ``data`` is the file's bytes, an open binary file (an upload stream) or a path. At most
    ``max_bytes + 1`` bytes are read, so an oversized upload is refused without being read whole;
    decoding stops as soon as the audio passes ``max_seconds``. Raises an ``AudioError``:
    ``EmptyAudio``, ``NotAudio``, ``CorruptAudio``, ``AudioTooLarge`` or ``AudioTooLong``.
    """
    raw = _read_limited(data, max_bytes)
    if not raw:
        raise EmptyAudio()
    container_format = sniff_format(raw)
    if container_format is None:
        raise NotAudio()
    samples = _decode(raw, container_format, max_seconds)
    if samples.size == 0:
        raise EmptyAudio("录音里没有声音数据,请重新录音。")
    return PcmAudio(samples)


def _read_limited(data: bytes | BinaryIO | Path | str, max_bytes: int) -> bytes:
    too_large = AudioTooLarge(
        f"录音文件超过 {max_bytes / 1024 / 1024:g} MB 的上限,请缩短回答后重新录音。"
    )
    if isinstance(data, bytes | bytearray | memoryview):
        if len(data) > max_bytes:
            raise too_large
        return bytes(data)
    if isinstance(data, str | os.PathLike):
        path = Path(data)
        try:
            if path.stat().st_size > max_bytes:
                raise too_large
            with open(path, "rb") as fh:
                raw = fh.read(max_bytes + 1)
        except OSError as error:
            raise AudioError(f"无法读取录音文件 {path.name}。", code="unreadable") from error
    else:
        try:
            raw = data.read(max_bytes + 1)
        except OSError as error:
            raise AudioError("上传中断,录音没有收全,请重新录音。", code="unreadable") from error
    if len(raw) > max_bytes:
        raise too_large
    return raw


def sniff_format(head: bytes) -> str | None:
    """Name the FFmpeg demuxer for a recording from its first bytes, or ``None`` if not audio.

    Only containers a browser or phone records into are accepted, and the demuxer is then forced:
    letting FFmpeg probe freely would also accept playlists (HLS, concat) that make it open other
    files or URLs named inside the upload.
    """
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: webm and matroska
        return "matroska"
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):  # ISO media: mp4, m4a, 3gp, mov
        return "mov"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:5] == b"#!AMR":
        return "amr"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[:3] == b"ID3":
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS sync word: raw AAC
            return "aac"
        if head[1] & 0xE0 == 0xE0:  # MPEG audio frame sync
            return "mp3"
    return None


def _decode(raw: bytes, container_format: str, max_seconds: float) -> np.ndarray:
    limit = int((max_seconds + _LENGTH_SLACK_SECONDS) * SAMPLE_RATE)
    too_long = AudioTooLong(f"录音超过 {max_seconds:g} 秒的上限,请缩短回答后重新录音。")
    chunks: list[np.ndarray] = []
    total = 0
    # PyAV raises many kinds of exception on hostile input (FFmpegError subclasses, ValueError,
    # EOFError, MemoryError ...): all of them mean "cannot decode", and none may reach the web layer.
    try:
        with av.open(io.BytesIO(raw), mode="r", format=container_format) as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise NotAudio("文件里没有声音,请重新录音。")
            if (
                container.duration is not None
                and container.duration / av.time_base > max_seconds + 1
            ):
                raise too_long  # the header says so: refuse before decoding anything
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):  # type: ignore[arg-type]  # audio
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > limit:
                    raise too_long
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except AudioError:
        raise
    except Exception as error:
        raise CorruptAudio() from error
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
    if samples.size > limit:
        raise too_long
    return samples


def replayable(raw: bytes, container_format: str | None = None) -> bytes:
    """The recording as it should be kept for replay: a browser's webm remuxed so that it
    carries its duration and seek cues (MediaRecorder writes a live stream without them, and
    a player then shows 0:00 and cannot be scrubbed); other formats unchanged.

    The audio packets are copied, not re-encoded; a file that already states its duration is
    kept as it is. On any failure the original bytes are kept.
    """
    container_format = container_format or sniff_format(raw[:64])
    if container_format != "matroska":
        return raw
    try:
        with av.open(io.BytesIO(raw), mode="r", format="matroska") as source:
            stream = next((s for s in source.streams if s.type == "audio"), None)
            if stream is None or stream.codec_context.name not in ("opus", "vorbis"):
                return raw
            if source.duration is not None:
                return raw
            buffer = io.BytesIO()
            with av.open(buffer, "w", format="webm") as out:
                copied = out.add_stream_from_template(stream)
                for packet in source.demux(stream):
                    if packet.dts is None:
                        continue
                    packet.stream = copied
                    out.mux(packet)
            return buffer.getvalue()
    except Exception:  # a recording the remuxer cannot copy is still a recording
        return raw
