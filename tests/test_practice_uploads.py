"""Bad uploads to the spoken-turn endpoint: each gets a clear Chinese answer, never a 500, and
leaves nothing behind; oversized uploads are refused before they are read whole.

Runs without the recogniser: every input here is refused before recognition (the engine is
pointed at a directory without a model, so reaching it would show as a failure)."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from tests.file_helpers import tiny_png
from tests.practice_helpers import json_headers, start_phrase, upload
from trainer.extensions import db
from trainer.models import AttemptResponse
from trainer.speech import PcmAudio

MB = 1024 * 1024


@pytest.fixture
def no_engine(app, monkeypatch, tmp_path, recordings_dir):
    monkeypatch.setitem(app.config, "ASR_MODEL", str(tmp_path / "no-model-here"))
    return app


def stored_files(app) -> list[Path]:
    root = Path(app.config["RECORDINGS_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def response_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.count(AttemptResponse.id)))


def tone(seconds: float, rate: int = 16000) -> PcmAudio:
    t = np.arange(int(seconds * rate)) / rate
    return PcmAudio.from_float32(0.3 * np.sin(2 * np.pi * 440 * t), rate)


class CountingStream(io.RawIOBase):
    """A request body of `size` bytes that counts how much of it the server read."""

    def __init__(self, size: int) -> None:
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body by seeking, not reading
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = b"\0" * n
        self.position += n
        self.read_bytes += n
        return n


@pytest.fixture
def trainee(no_engine, login_as):
    b = login_as("staff_a")
    return b, start_phrase(b)


@pytest.mark.parametrize("data, filename, code, words", [
    (b"", "answer.webm", "empty", "空"),
    (tiny_png(), "answer.wav", "not_audio", "不是可识别的录音"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt garbage that is not a wave file" * 3, "a.wav", "corrupt", "损坏"),
    (b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 4, "a.webm", "corrupt", "损坏"),
])
def test_unusable_uploads_get_a_chinese_reason_and_leave_nothing(app, trainee, data, filename,
                                                                 code, words):
    b, attempt_id = trainee
    response = upload(b, attempt_id, data, filename)
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["code"] == code and words in body["error"]
    assert response_count(app) == 0 and stored_files(app) == []
    # The turn is still open: the trainee simply records again.
    assert b.get(f"/practice/attempts/{attempt_id}/turns/0").get_json()["state"] == "empty"


def test_ten_minutes_of_compact_audio_is_refused_as_too_long(app, trainee):
    b, attempt_id = trainee
    long_ogg = tone(600).encode("ogg", "libopus", 48000, bit_rate=6000)
    assert len(long_ogg) < 5 * MB  # small enough to pass the size limit: the length must catch it
    response = upload(b, attempt_id, long_ogg, "answer.ogg")
    body = response.get_json()
    assert response.status_code == 422 and body["code"] == "too_long"
    assert "60 秒" in body["error"]
    assert response_count(app) == 0 and stored_files(app) == []


@pytest.mark.parametrize("size", [
    600 * 16000 * 2 + 44,        # 10 minutes of 16 kHz mono 16-bit WAV
    int(5.5 * MB),               # over the recording limit, under the site-wide upload limit
])
def test_an_oversized_upload_is_refused_from_its_content_length_unread(app, trainee, size):
    b, attempt_id = trainee
    body = CountingStream(size)
    response = b.client.post(
        f"/practice/attempts/{attempt_id}/turns/0/audio", input_stream=body,
        content_length=body.size, content_type="multipart/form-data; boundary=x",
        headers=json_headers(b),
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "录音文件超过 5 MB 的上限，请缩短回答后重新录音。",
                                   "code": "too_large"}
    assert body.read_bytes == 0
    assert response_count(app) == 0 and stored_files(app) == []


def test_a_body_without_content_length_is_cut_off_at_the_limit(app, trainee):
    b, attempt_id = trainee
    data = b"\0" * (6 * MB)
    multipart = (b"--x\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"\r\n"
                 b"Content-Type: audio/wav\r\n\r\n" + data + b"\r\n--x--\r\n")
    stream = io.BytesIO(multipart)
    response = b.client.post(
        f"/practice/attempts/{attempt_id}/turns/0/audio", input_stream=stream,
        content_type="multipart/form-data; boundary=x", headers=json_headers(b),
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413 and response.get_json()["code"] == "too_large"
    assert stream.tell() < 5 * MB + 128 * 1024
    assert response_count(app) == 0 and stored_files(app) == []


def test_a_file_just_over_the_limit_inside_an_allowed_body_is_refused(app, trainee, monkeypatch):
    b, attempt_id = trainee
    monkeypatch.setitem(app.config, "RECORDING_MAX_BYTES", 100_000)
    pcm = tone(4)  # 128 KB of WAV: over 100 000 bytes, under the multipart slack
    response = upload(b, attempt_id, pcm.to_wav_bytes(), "a.wav")
    assert response.status_code == 413 and response.get_json()["code"] == "too_large"
    assert response_count(app) == 0 and stored_files(app) == []


def test_the_length_limit_is_configurable(app, trainee, monkeypatch):
    b, attempt_id = trainee
    monkeypatch.setitem(app.config, "RECORDING_MAX_SECONDS", 2.0)
    response = upload(b, attempt_id, tone(3).to_wav_bytes(), "a.wav")
    assert response.status_code == 422 and response.get_json()["code"] == "too_long"
    assert "2 秒" in response.get_json()["error"]
    assert response_count(app) == 0 and stored_files(app) == []


def test_a_request_without_the_audio_field_is_refused(app, trainee):
    b, attempt_id = trainee
    response = b.client.post(f"/practice/attempts/{attempt_id}/turns/0/audio",
                             data={"other": (io.BytesIO(b"x"), "a.webm")},
                             headers=json_headers(b), content_type="multipart/form-data")
    assert response.status_code == 422 and "没有收到录音" in response.get_json()["error"]


def test_someone_elses_attempt_is_404_and_nothing_is_stored(app, no_engine, login_as):
    owner = login_as("staff_a")
    attempt_id = start_phrase(owner)
    intruder = login_as("staff_a2")
    response = upload(intruder, attempt_id, tone(2).to_wav_bytes(), "a.wav")
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"
    assert response_count(app) == 0 and stored_files(app) == []


def test_a_finished_attempt_takes_no_recording(app, trainee):
    b, attempt_id = trainee
    b.client.post(f"/practice/attempts/{attempt_id}/turns/0/text",
                  data={"text": "您好,欢迎光临昆仑加气站"}, headers=json_headers(b))
    response = upload(b, attempt_id, tone(2).to_wav_bytes(), "a.wav")
    assert response.status_code == 409 and "已经结束" in response.get_json()["error"]
    assert stored_files(app) == []


def test_a_wav_header_lying_about_its_format_is_refused(app, trainee):
    b, attempt_id = trainee
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"")
    response = upload(b, attempt_id, buffer.getvalue(), "a.wav")
    assert response.status_code == 422 and response.get_json()["code"] in {"empty", "corrupt"}
    assert response_count(app) == 0 and stored_files(app) == []
