"""The default engine on real recordings, the engine registry and its failure modes.

Tests marked ``speech`` run the real faster-whisper model (assembled from the installed
packages, loaded once for the whole session through the engine cache). The shared development
clips are used only to measure: nothing here feeds their text to the recogniser.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sys
import threading
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import run_once_in_the_default_pass
from tests.shared_paths import EVAL as SHARED_EVAL
from trainer.speech import (
    PcmAudio,
    SpeechUnavailable,
    Transcript,
    engine_from_config,
    engine_settings,
    faster_whisper_engine,
    get_engine,
    load_audio,
    transcribe,
    transcribe_file,
    transcriber,
)
from trainer.speech.faster_whisper_engine import FasterWhisperEngine, load_whisper_model
from trainer.speech.model_setup import ensure_model

ROOT = Path(__file__).resolve().parents[1]
EVAL = SHARED_EVAL
MODEL_DIR = ROOT / "instance" / "models" / "whisper-base"


@cache
def engine() -> FasterWhisperEngine:
    ensure_model(MODEL_DIR)
    return get_engine("faster-whisper", model=MODEL_DIR)


def dev_set_results() -> dict[str, Transcript]:
    # Recognising the clips uses no database: once per `make test`, not per database pass.
    run_once_in_the_default_pass("recognises the development clips, no database involved")
    return _dev_set_results()


def spoken_cases() -> list[dict]:
    cases = [
        json.loads(line) for line in (EVAL / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    return [c for c in cases if c.get("audio") and c.get("say")]


def syllables(text: str) -> list[str]:
    """Toneless pinyin: homophones and traditional characters count as heard right."""
    import cn2an
    from pypinyin import lazy_pinyin

    text = re.sub(r"\d+", lambda m: cn2an.an2cn(m.group()), text)
    return lazy_pinyin(text, errors="ignore")


@cache
def _dev_set_results() -> dict[str, Transcript]:
    return {c["id"]: transcribe_file(EVAL / c["audio"], engine=engine()) for c in spoken_cases()}


@pytest.mark.speech
def test_every_spoken_clip_is_recognised_as_speech():
    for case_id, transcript in dev_set_results().items():
        assert not transcript.no_speech, case_id
        assert transcript.text, case_id


@pytest.mark.speech
def test_recognition_hears_most_syllables_right():
    from rapidfuzz.distance import Levenshtein

    scores = {
        c["id"]: Levenshtein.normalized_similarity(
            syllables(c["say"]), syllables(dev_set_results()[c["id"]].text)
        )
        for c in spoken_cases()
    }
    # Measured 0.94 mean, 0.78 worst with Whisper base int8 beam 5.
    assert sum(scores.values()) / len(scores) >= 0.85, scores
    assert min(scores.values()) >= 0.6, scores


@pytest.mark.speech
def test_transcript_carries_duration_timings_and_engine():
    result = transcribe_file(EVAL / "audio" / "a-greet-ok.wav", engine=engine())
    assert result.engine == "faster-whisper" and result.language == "zh"
    assert result.duration == pytest.approx(3.24, abs=0.01)
    assert 0 < result.elapsed < 30
    assert result.segments
    for segment in result.segments:
        assert 0 <= segment.start < segment.end <= result.duration + 0.5
    words = result.words
    assert words and all(a.start <= b.start for a, b in zip(words, words[1:], strict=False))
    assert "".join(w.text for w in words) == result.text.replace(" ", "")


@pytest.mark.speech
def test_the_same_recording_always_gives_the_same_text():
    pcm = load_audio(EVAL / "audio" / "a-off-ok.wav")
    assert engine().transcribe(pcm).text == engine().transcribe(pcm).text


@pytest.mark.speech
def test_two_answers_with_a_gap_keep_both_and_time_the_gap():
    first = load_audio(EVAL / "audio" / "a-sorry-ok.wav").samples
    second = load_audio(EVAL / "audio" / "a-help-ok.wav").samples
    gap = np.zeros(int(2.5 * 16000), np.int16)
    result = engine().transcribe(PcmAudio(np.concatenate([first, gap, second])))
    assert len(syllables(result.text)) >= 16
    gaps = [b.start - a.end for a, b in zip(result.words, result.words[1:], strict=False)]
    assert max(gaps) > 1.5


@pytest.mark.speech
def test_transcriber_fits_the_scoring_engines_run_cases():
    recognise = transcriber(engine())
    result = recognise(EVAL / "audio" / "a-sorry-ok.wav")
    assert result.text and result.no_speech is False
    silent = recognise(str(EVAL / "audio" / "a-silence.wav"))
    assert silent.text == "" and silent.no_speech is True


def test_get_engine_returns_one_engine_per_process_and_model():
    assert get_engine("faster-whisper", model=MODEL_DIR) is get_engine(
        "faster-whisper", model=str(MODEL_DIR)
    )
    assert get_engine("faster-whisper", model=MODEL_DIR) is not get_engine(
        "faster-whisper", model=MODEL_DIR / "other"
    )


@pytest.mark.speech
def test_model_is_loaded_once_even_when_threads_race_for_it():
    ensure_model(MODEL_DIR)
    barrier = threading.Barrier(4)
    loaded = []

    def load():
        barrier.wait()
        loaded.append(load_whisper_model(MODEL_DIR, cpu_threads=1))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loaded) == 4 and all(model is loaded[0] for model in loaded)
    assert load_whisper_model(MODEL_DIR, cpu_threads=1) is loaded[0]


def thread_nice_values() -> dict[int, int]:
    """The nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat)."""
    values = {}
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            values[int(task.name)] = int(fields[16])  # field 19 of stat: nice
    return values


@pytest.mark.speech
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice is per thread on Linux")
def test_long_recordings_are_decoded_by_a_model_of_lowest_priority(monkeypatch):
    """The background model's threads run at nice 19 (the kernel gives the cores to short
    answers first), the caller's thread keeps its priority, and it hears the same words."""
    from trainer.speech import faster_whisper_engine
    from trainer.speech.faster_whisper_engine import BACKGROUND_NICE

    ensure_model(MODEL_DIR)
    # A model of its own: an earlier test's app (SPEECH_WORKERS=2 on two cores) may already
    # hold a background model of this size, and a cached model makes no new threads to see.
    monkeypatch.setattr(faster_whisper_engine, "_models", {})
    own = engine()
    before = thread_nice_values()
    background = load_whisper_model(MODEL_DIR, cpu_threads=1, num_workers=1, background=True)
    made = {tid: nice for tid, nice in thread_nice_values().items() if tid not in before}
    assert made and set(made.values()) == {BACKGROUND_NICE}
    assert thread_nice_values()[threading.get_native_id()] == before[threading.get_native_id()]
    assert background is not load_whisper_model(MODEL_DIR, cpu_threads=1, num_workers=1)
    pcm = load_audio(EVAL / "audio" / "a-off-ok.wav")
    assert own.transcribe(pcm, background=True, beam_size=1).text == own.transcribe(
        pcm, beam_size=1).text


def test_the_encoder_window_fits_the_recording():
    """A short answer is encoded in a window of its length plus a margin, at least 15 s; a
    recording near or over 30 s in Whisper's full window."""
    from trainer.speech.faster_whisper_engine import encoder_frames

    assert encoder_frames(0.4) == encoder_frames(3.0) == encoder_frames(13.9) == 1500
    assert encoder_frames(14.5) == 1600  # 14.5 s + 1 s margin, in whole seconds
    assert encoder_frames(28.9) is None and encoder_frames(29.0) is None
    assert encoder_frames(52.0) is None


@pytest.mark.speech
def test_a_short_answer_is_encoded_in_its_own_window_beside_a_long_one(monkeypatch):
    """The encoder reads 15 s for a 3-s answer while another thread decodes a 40-s recording
    in full 30-s windows at the same time (the window is per recognition), and the words
    are heard as in the full window."""
    from faster_whisper import WhisperModel

    ensure_model(MODEL_DIR)
    own = engine()
    short = load_audio(EVAL / "audio" / "a-greet-ok.wav")
    gap = np.zeros(16000, dtype=np.int16)
    long = PcmAudio(np.concatenate([short.samples, gap] * 10)[: 40 * 16000])
    assert short.duration < 9 and long.duration == 40
    monkeypatch.setattr(faster_whisper_engine, "ENCODER_MIN_WINDOW", None)
    full_window = own.transcribe(short, beam_size=1).text
    seen: dict[str, list[int]] = {"short": [], "long": []}
    encode = WhisperModel.encode

    def spy(model, features):
        seen[threading.current_thread().name].append(features.shape[-1])
        return encode(model, features)

    monkeypatch.setattr(WhisperModel, "encode", spy)
    monkeypatch.setattr(faster_whisper_engine, "ENCODER_MIN_WINDOW", 15.0)
    results: dict[str, str] = {}
    threads = [threading.Thread(target=lambda pcm=pcm, name=name: results.__setitem__(
        name, own.transcribe(pcm, beam_size=1).text), name=name)
        for name, pcm in (("long", long), ("short", short))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["short"] == [1500]
    assert seen["long"] and set(seen["long"]) == {3000}
    assert syllables(results["short"])[:6] == ["nin", "hao", "huan", "ying", "guang", "lin"]
    assert syllables(results["short"]) == syllables(full_window)


def test_missing_model_directory_is_a_clear_chinese_error(tmp_path):
    with pytest.raises(SpeechUnavailable) as error:
        FasterWhisperEngine(tmp_path / "nowhere").transcribe(
            load_audio(EVAL / "audio" / "a-greet-ok.wav")
        )
    assert error.value.code == "model_missing"
    assert "找不到语音识别模型" in str(error.value) and str(tmp_path) not in str(error.value)
    assert "找不到语音识别模型目录" in error.value.detail and "TRAINER_ASR_MODEL" in error.value.detail


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_corrupt_model_is_a_clear_chinese_error(tmp_path, damage):
    ensure_model(MODEL_DIR)
    broken = tmp_path / "whisper-base"
    broken.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        shutil.copy(MODEL_DIR / name, broken / name)
    if damage == "truncate":
        with open(MODEL_DIR / "model.bin", "rb") as src:
            (broken / "model.bin").write_bytes(src.read(20_000_000))
    else:
        (broken / "model.bin").write_bytes(bytes(range(256)) * 400)
    with pytest.raises(SpeechUnavailable) as error:
        FasterWhisperEngine(broken).load()
    assert error.value.code == "model_corrupt"
    assert "损坏" in str(error.value)


def test_model_shorter_than_its_stamp_is_refused_before_loading(tmp_path):
    ensure_model(MODEL_DIR)
    copy = tmp_path / "whisper-base"
    copy.mkdir()
    for path in MODEL_DIR.iterdir():
        shutil.copy(path, copy / path.name)
    with open(copy / "model.bin", "r+b") as fh:
        fh.truncate(1_000_000)
    with pytest.raises(SpeechUnavailable, match="不一致"):
        FasterWhisperEngine(copy).load()


def test_unknown_engine_name_is_refused_in_chinese():
    with pytest.raises(SpeechUnavailable, match="未知的语音识别引擎"):
        get_engine("whisper-large-cloud")


def test_vosk_without_package_or_model_is_a_clear_error(tmp_path):
    vosk_engine = get_engine("vosk", model=tmp_path / "vosk-cn")
    with pytest.raises(SpeechUnavailable) as error:
        vosk_engine.transcribe(load_audio(EVAL / "audio" / "a-greet-ok.wav"))
    assert error.value.code in {"engine_missing", "model_missing"}
    assert "vosk" in str(error.value)


def test_vosk_and_online_answer_silence_without_loading_anything(tmp_path):
    silence = PcmAudio(np.zeros(16000, np.int16))
    assert get_engine("vosk", model=tmp_path / "absent").transcribe(silence).no_speech
    assert get_engine("online").transcribe(silence).no_speech


def test_online_engine_offline_is_a_retryable_chinese_error():
    # Port 9 (discard) on the loopback has no listener: the connection is refused, as on a
    # station without internet.
    online = get_engine("online", endpoint="http://127.0.0.1:9/speech-api/v2/recognize", timeout=5)
    with pytest.raises(SpeechUnavailable) as error:
        online.transcribe(load_audio(EVAL / "audio" / "a-greet-ok.wav"))
    assert error.value.code == "offline"
    assert "在线语音识别" in str(error.value)


def test_engine_settings_come_from_a_config_mapping(tmp_path):
    name, settings = engine_settings({}, tmp_path)
    assert name == "faster-whisper" and settings["model"] == tmp_path / "models" / "whisper-base"
    name, settings = engine_settings(
        {"ASR_MODEL": "/srv/whisper-small", "ASR_BEAM_SIZE": "1"}, tmp_path
    )
    assert settings == {"model": Path("/srv/whisper-small"), "beam_size": 1}
    name, settings = engine_settings({"ASR_ENGINE": "vosk"}, tmp_path)
    assert name == "vosk" and settings["model"] == tmp_path / "models" / "vosk-cn"
    assert engine_from_config({"ASR_ENGINE": "online"}).name == "online"


@pytest.mark.speech
def test_transcribe_takes_an_upload_and_the_default_engine(monkeypatch):
    monkeypatch.setenv("TRAINER_ASR_MODEL", str(MODEL_DIR))
    ensure_model(MODEL_DIR)
    result = transcribe((EVAL / "audio" / "a-sorry-ok.wav").read_bytes())
    assert result.engine == "faster-whisper" and not result.no_speech
