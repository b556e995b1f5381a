"""Browser uploads to 16 kHz mono PCM: every format a browser records in, and every bad input
of issue 5 answered with a clear AudioError (never a PyAV exception). Inputs are generated here
with PyAV from a real clip of the shared development set."""

from __future__ import annotations

import io
import struct
import time
import zlib
from functools import cache
from pathlib import Path

import av
import numpy as np
import pytest

from tests.shared_paths import EVAL_AUDIO as SHARED_AUDIO
from trainer.speech import (
    AudioError,
    AudioTooLarge,
    AudioTooLong,
    CorruptAudio,
    EmptyAudio,
    NotAudio,
    PcmAudio,
    get_engine,
    load_audio,
    transcribe,
)
from trainer.speech.model_setup import ensure_model

EVAL_AUDIO = SHARED_AUDIO
SPOKEN_CLIP = EVAL_AUDIO / "a-greet-ok.wav"
MODEL_DIR = Path(__file__).resolve().parents[1] / "instance" / "models" / "whisper-base"


@cache
def source() -> PcmAudio:
    return load_audio(SPOKEN_CLIP)


def tone(seconds: float, rate: int = 16000) -> PcmAudio:
    t = np.arange(int(seconds * rate)) / rate
    return PcmAudio.from_float32(0.3 * np.sin(2 * np.pi * 440 * t), rate)


def envelope(pcm: PcmAudio) -> np.ndarray:
    """Loudness per 10 ms: insensitive to phase, sensitive to lost or garbled audio."""
    frames = pcm.samples[: len(pcm.samples) // 160 * 160].reshape(-1, 160).astype(float)
    return np.sqrt((frames**2).mean(axis=1))


def same_sound(a: PcmAudio, b: PcmAudio, max_lag: int = 10) -> float:
    """Best correlation of the loudness envelopes, allowing up to 100 ms of codec delay (AAC
    priming samples shift the audio by a few tens of milliseconds)."""
    x, y = envelope(a), envelope(b)
    best = -1.0
    for lag in range(max_lag + 1):
        n = min(len(x), len(y) - lag)
        best = max(best, float(np.corrcoef(x[:n], y[lag : lag + n])[0, 1]))
    return best


BROWSER_FORMATS = [
    pytest.param("webm", "libopus", 48000, "mono", id="chrome-webm-opus"),
    pytest.param("ogg", "libopus", 48000, "mono", id="firefox-ogg-opus"),
    pytest.param("mp4", "aac", 44100, "mono", id="safari-mp4-aac"),
    pytest.param("wav", "pcm_f32le", 48000, "mono", id="float-wav"),
    pytest.param("wav", "pcm_s16le", 44100, "stereo", id="stereo-44k-wav"),
    pytest.param("wav", "pcm_f32le", 44100, "stereo", id="stereo-44k-float-wav"),
    pytest.param("mp3", "libmp3lame", 44100, "mono", id="mp3"),
]


@pytest.mark.parametrize("container,codec,rate,layout", BROWSER_FORMATS)
def test_browser_formats_become_16k_mono_pcm_with_the_same_sound(container, codec, rate, layout):
    data = source().encode(container, codec, rate, layout)
    pcm = load_audio(data)
    assert pcm.sample_rate == 16000
    assert pcm.samples.dtype == np.int16 and pcm.samples.ndim == 1
    assert pcm.duration == pytest.approx(source().duration, abs=0.1)
    assert same_sound(source(), pcm) > 0.95


def test_16k_mono_wav_passes_through_unchanged():
    with open(SPOKEN_CLIP, "rb") as fh:
        pcm = load_audio(fh)
    assert np.array_equal(pcm.samples, source().samples)


def test_float32_view_is_scaled_for_the_model():
    pcm = PcmAudio(np.array([-32768, 0, 16384], dtype=np.int16))
    assert pcm.float32().dtype == np.float32
    assert pcm.float32().tolist() == [-1.0, 0.0, 0.5]


def test_pcm_round_trips_through_wav_bytes():
    pcm = tone(0.5)
    assert np.array_equal(load_audio(pcm.to_wav_bytes()).samples, pcm.samples)


def test_accepts_bytes_path_string_and_stream():
    expected = source().samples
    assert np.array_equal(load_audio(SPOKEN_CLIP.read_bytes()).samples, expected)
    assert np.array_equal(load_audio(str(SPOKEN_CLIP)).samples, expected)
    assert np.array_equal(load_audio(io.BytesIO(SPOKEN_CLIP.read_bytes())).samples, expected)


def png_bytes() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def test_empty_upload_is_refused_clearly():
    with pytest.raises(EmptyAudio) as error:
        load_audio(b"")
    assert error.value.code == "empty"
    assert "空" in str(error.value)


def test_png_renamed_wav_is_not_audio(tmp_path):
    fake = tmp_path / "answer.wav"
    fake.write_bytes(png_bytes())
    with pytest.raises(NotAudio) as error:
        load_audio(fake)
    assert error.value.code == "not_audio"
    assert "不是" in str(error.value)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n",
            id="hls-playlist",
        ),
        pytest.param(b"ffconcat version 1.0\nfile '/etc/passwd'\n", id="concat-list"),
        pytest.param(b"<html><body>hello</body></html>", id="html"),
        pytest.param(bytes(range(256)) * 40, id="random-bytes"),
    ],
)
def test_other_files_are_not_audio_and_are_never_probed(data):
    with pytest.raises(NotAudio):
        load_audio(data)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d[:60], id="truncated-header"),
        pytest.param(lambda d: d[:4] + b"\xff" * (len(d) - 4), id="garbage-after-magic"),
        pytest.param(lambda d: d[:40] + bytes(len(d) - 40), id="zeroed-body"),
    ],
)
def test_damaged_webm_is_refused_as_corrupt_or_empty(damage):
    data = damage(source().encode("webm", "libopus", 48000))
    with pytest.raises(AudioError) as error:
        load_audio(data)
    assert error.value.code in {"corrupt", "empty"}


def test_damaged_wav_header_is_corrupt():
    wav = source().to_wav_bytes()
    broken = wav[:20] + b"\x00\x00" + wav[22:]  # audio format 0: no decoder
    with pytest.raises(CorruptAudio) as error:
        load_audio(broken)
    assert "损坏" in str(error.value)


def test_container_without_sound_is_refused():
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm") as out:
        stream = out.add_stream("libvpx", rate=5)
        stream.width, stream.height, stream.pix_fmt = 16, 16, "yuv420p"
        for i in range(3):
            frame = av.VideoFrame.from_ndarray(
                np.full((16, 16, 3), i * 40, np.uint8), format="rgb24"
            )
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    with pytest.raises(NotAudio):
        load_audio(buffer.getvalue())


class CountingStream(io.BytesIO):
    """An upload stream that records how many bytes were asked of it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_oversized_upload_is_refused_before_being_read_whole():
    upload = CountingStream(b"RIFF" + bytes(20 * 1024 * 1024))
    with pytest.raises(AudioTooLarge) as error:
        load_audio(upload, max_bytes=5 * 1024 * 1024)
    assert upload.bytes_read == 5 * 1024 * 1024 + 1
    assert error.value.code == "too_large" and "5 MB" in str(error.value)


def test_oversized_file_is_refused_from_its_size(tmp_path):
    big = tmp_path / "big.wav"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: nothing is written or read
    with pytest.raises(AudioTooLarge):
        load_audio(big)


def test_ten_minute_recording_is_refused_without_decoding_all_of_it():
    # Ten minutes of low-bitrate opus fits under the size limit, so only the length limit stops it.
    ten_minutes = PcmAudio(np.tile(tone(1.0).samples, 600))
    data = ten_minutes.encode("webm", "libopus", 48000, bit_rate=24000)
    assert len(data) < 5 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(AudioTooLong) as error:
        load_audio(data, max_seconds=60)
    elapsed = time.perf_counter() - started
    assert error.value.code == "too_long" and "60 秒" in str(error.value)
    full = time.perf_counter()
    load_audio(data, max_seconds=700)
    whole_decode = time.perf_counter() - full
    assert elapsed < whole_decode / 3  # stopped early, not after decoding ten minutes


def test_long_wav_is_refused_from_its_header():
    pcm = PcmAudio(np.tile(tone(1.0).samples, 70))
    with pytest.raises(AudioTooLong):
        load_audio(pcm.to_wav_bytes(), max_bytes=10 * 1024 * 1024, max_seconds=60)


def test_recording_just_under_the_limit_is_accepted():
    pcm = PcmAudio(np.tile(tone(1.0).samples, 59))
    assert load_audio(pcm.to_wav_bytes(), max_bytes=10 * 1024 * 1024).duration == pytest.approx(59)


def test_wav_header_without_samples_is_empty():
    with pytest.raises(EmptyAudio):
        load_audio(PcmAudio(np.zeros(0, np.int16)).to_wav_bytes())


def test_every_audio_error_speaks_chinese():
    for error in (EmptyAudio(), NotAudio(), CorruptAudio(), AudioTooLarge(), AudioTooLong()):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error))


@cache
def engine():
    ensure_model(MODEL_DIR)
    return get_engine("faster-whisper", model=MODEL_DIR)


@pytest.mark.speech
@pytest.mark.parametrize("container,codec,rate,layout", BROWSER_FORMATS[:3])
def test_a_browser_recording_is_recognised_like_the_original(container, codec, rate, layout):
    from pypinyin import lazy_pinyin

    reference = transcribe(source(), engine=engine())
    converted = transcribe(source().encode(container, codec, rate, layout), engine=engine())
    assert not converted.no_speech
    # Compare sounds, not characters: a lossy codec may tip a homophone either way.
    assert lazy_pinyin(converted.text)[:6] == lazy_pinyin(reference.text)[:6]
