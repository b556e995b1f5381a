"""Spoken answers through the real route and the real offline recogniser: every browser
format, the result the page shows, silence, replay with its permissions, and crash safety
(the recording and its 待识别 turn survive a failed recognition, and a retry completes it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.practice_helpers import clip, json_headers, set_values, start_phrase, upload, webm
from trainer.extensions import db
from trainer.models import Attempt, AttemptResponse
from trainer.turns import rules as turns

pytestmark = pytest.mark.speech


def stored_files(app) -> list[Path]:
    root = Path(app.config["RECORDINGS_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def browser_formats():
    """The greeting clip as each browser (or an odd recorder) uploads it."""
    return {
        "chrome-webm-opus": ("answer.webm", lambda: webm("a-greet-ok")),
        "firefox-ogg-opus": ("answer.ogg", lambda: clip("a-greet-ok").encode("ogg", "libopus", 48000)),
        "safari-mp4-aac": ("answer.m4a", lambda: clip("a-greet-ok").encode("mp4", "aac", 44100)),
        "wav-16k-mono": ("answer.wav", lambda: clip("a-greet-ok").to_wav_bytes()),
        "wav-44k-stereo": ("answer.wav", lambda: clip("a-greet-ok").encode(
            "wav", "pcm_s16le", 44100, layout="stereo")),
        "wav-float32": ("answer.wav", lambda: clip("a-greet-ok").encode("wav", "pcm_f32le", 48000)),
    }


@pytest.mark.parametrize("kind", list(browser_formats()))
def test_every_browser_format_is_recognised_and_scored(speech_app, login_as, kind):
    filename, make = browser_formats()[kind]
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    response = upload(b, attempt_id, make(), filename)
    data = response.get_json()
    assert response.status_code == 200, data
    assert data["state"] == "scored" and data["verdict"] == "pass", data
    assert data["spoken"] and data["transcript"]
    assert data["attempt"]["status"] == "scored"


def test_the_result_carries_everything_the_page_shows(speech_app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    data = upload(b, attempt_id, webm("a-greet-ok")).get_json()
    assert data["score"] >= 60 and data["verdict_label"] == "通过"
    assert data["key_points"] == {"hit": ["您好", "欢迎"], "missed": []}
    assert data["expected"].startswith("您好") and "昆仑" in data["expected"]
    ops = {op["op"] for op in data["diff"]}
    assert "equal" in ops and "".join(op["expected"] for op in data["diff"]) == "您好欢迎光临昆仑加气站"
    delivery = data["delivery"]
    assert 100 < delivery["chars_per_minute"] < 400 and delivery["notes"][0].startswith("语速")
    assert delivery["filler_count"] == 0 and delivery["long_pauses"] == []
    assert data["urls"]["recording"] == f"/recordings/{data['response_id']}"
    with speech_app.app_context():
        row = db.session.get(AttemptResponse, data["response_id"])
        assert row.status == "scored" and row.asr["engine"] == "faster-whisper"
        assert row.recording_key and row.asr["delivery"]["rate_label"]


@pytest.mark.parametrize("name, values, verdict", [
    ("a-greet-rude", {}, "fail"),
    ("a-change-ok", {"amount": "35"}, "pass"),
    ("a-change-wrong", {"amount": "35"}, "fail"),
])
def test_spoken_answers_are_judged_through_the_route(speech_app, login_as, name, values, verdict):
    b = login_as("staff_a")
    attempt_id = start_phrase(b, "sl-change" if values else "sl-greet")
    if values:
        set_values(speech_app, attempt_id, **values)
    data = upload(b, attempt_id, webm(name)).get_json()
    assert data["state"] == "scored" and data["verdict"] == verdict, data


def test_a_spoken_forbidden_phrase_is_marked_in_the_transcript(speech_app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b, "sl-wait")
    data = upload(b, attempt_id, webm("a-wait-forbidden")).get_json()
    assert data["verdict"] == "fail" and data["forbidden"], data
    hit = data["forbidden"][0]
    assert hit["phrase"] == "急什么"
    assert 0 <= hit["start"] < hit["end"] <= len(data["transcript"])


def test_silence_is_not_scored_and_the_trainee_records_again(speech_app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    silent = upload(b, attempt_id, clip("a-silence").to_wav_bytes(), "a.wav")
    data = silent.get_json()
    assert silent.status_code == 200 and data["state"] == "no_speech"
    assert "没有听到说话声" in data["message"] and "score" not in data
    assert data["attempt"]["status"] == "in_progress" and data["attempt"]["verdict"] is None
    first_files = stored_files(speech_app)
    assert len(first_files) == 1
    again = upload(b, attempt_id, webm("a-greet-ok")).get_json()
    assert again["state"] == "scored" and again["verdict"] == "pass"
    # The silent recording was replaced, not left behind.
    files = stored_files(speech_app)
    assert len(files) == 1 and files != first_files


def test_replay_streams_the_recording_with_ranges_to_those_allowed(speech_app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    recording = webm("a-greet-ok")
    data = upload(b, attempt_id, recording).get_json()
    url = data["urls"]["recording"]
    full = b.get(url)
    assert full.status_code == 200 and full.mimetype == "audio/webm"
    assert full.data == recording and full.headers["Accept-Ranges"] == "bytes"
    part = b.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == recording[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(recording)}"
    for key in ("head_a", "hr", "admin"):
        assert login_as(key).get(url).data == recording, key
    for key in ("staff_a2", "head_b", "staff_b"):
        assert login_as(key).get(url).status_code == 404, key
    assert b.get("/recordings/999999").status_code == 404


def test_a_failed_recognition_keeps_the_recording_and_a_retry_completes_it(
        speech_app, login_as, monkeypatch, tmp_path):
    model = speech_app.config["ASR_MODEL"]
    monkeypatch.setitem(speech_app.config, "ASR_MODEL", str(tmp_path / "model-gone"))
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    response = upload(b, attempt_id, webm("a-greet-ok"))
    data = response.get_json()
    assert response.status_code == 503 and data["state"] == "failed"
    assert "模型" in data["message"] and data["urls"]["retry"]
    with speech_app.app_context():
        row = db.session.scalar(select(AttemptResponse))
        assert row.status == "pending" and row.error and row.recording_key
        assert db.session.get(Attempt, attempt_id).status == "in_progress"
    assert len(stored_files(speech_app)) == 1
    assert b.get(data["urls"]["recording"]).data == webm("a-greet-ok")

    monkeypatch.setitem(speech_app.config, "ASR_MODEL", model)
    retried = b.client.post(data["urls"]["retry"], headers=json_headers(b))
    result = retried.get_json()
    assert retried.status_code == 200 and result["state"] == "scored"
    assert result["verdict"] == "pass" and result["attempt"]["status"] == "scored"


def test_a_turn_left_waiting_by_a_crash_is_completed_by_retry(speech_app, login_as):
    """A server that died after storing the recording: the turn waits as 待识别."""
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    from trainer.library import get_library
    from trainer.turns.recognition import recording_store

    with speech_app.test_request_context():
        attempt = db.session.get(Attempt, attempt_id)
        limits = turns.RecordingLimits.from_config(speech_app.config)
        turns.accept_recording(attempt, 0, webm("a-greet-ok"), store=recording_store(),
                               library=get_library(), limits=limits)
        db.session.remove()
    waiting = b.get(f"/practice/attempts/{attempt_id}/turns/0").get_json()
    assert waiting["state"] == "queued" and waiting["attempt"]["status"] == "in_progress"
    page = b.get(f"/practice/attempts/{attempt_id}").get_data(as_text=True)
    assert "queued" in page  # the page starts polling from this state
    done = b.client.post(waiting["urls"]["retry"], headers=json_headers(b)).get_json()
    assert done["state"] == "scored" and done["verdict"] == "pass"


def test_retry_without_a_recording_is_404(speech_app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    response = b.client.post(f"/practice/attempts/{attempt_id}/turns/0/recognise",
                             headers=json_headers(b))
    assert response.status_code == 404 and response.get_json()["code"] == "no_recording"


def test_the_turn_endpoints_serve_a_dialogue_attempt_turn_by_turn(speech_app, login_as, world):
    """Reuse by other attempt kinds: what each position answers comes from presented["turns"];
    a dialogue is not finished by its turns, and an attempt finished while a recording still
    waited is finished again once it is recognised."""
    from trainer.attempts import service as attempts
    from trainer.library import get_library
    from trainer.models import User

    with speech_app.app_context():
        library = get_library()
        dialogue = library.item("sl-dlg-cng-full")
        module = library.module_of(dialogue.id)
        values = {"station": "昆仑", "amount": "35"}
        attempt = attempts.start_attempt(
            db.session.get(User, world.id("staff_a")), module_id=module.id,
            module_version=module.version, kind="dialogue", mode="practice", item_id=dialogue.id,
            # Positions 0, 1, 2 answer the dialogue's turns 0, 1 and 7 (turns come in order).
            presented={"turns": [{"item": dialogue.id, "turn": i, "values": values}
                                 for i in (0, 1, 7)], "expected_turns": 2},
        )
        db.session.commit()
        attempt_id = attempt.id
    b = login_as("staff_a")
    spoken = upload(b, attempt_id, webm("a-greet-ok"), position=0).get_json()
    assert spoken["state"] == "scored" and spoken["verdict"] == "pass"
    assert spoken["attempt"]["status"] == "in_progress"  # the dialogue's own code finishes it
    typed = b.client.post(f"/practice/attempts/{attempt_id}/turns/1/text",
                          data={"text": "加气站规定车辆熄火后加气,请您合作"},
                          headers=json_headers(b)).get_json()
    assert typed["verdict"] == "pass" and typed["prompt"] == "加满，快点啊。"
    with speech_app.app_context():
        row = db.session.scalar(select(AttemptResponse).where(AttemptResponse.position == 1))
        assert row.turn_id == "sl-dlg-cng-full#1" and row.item_id == "sl-dlg-cng-full"

    # Turn 7 (position 2) is recorded, the attempt is finished while it waits, recognition
    # completes it.
    model = speech_app.config["ASR_MODEL"]
    speech_app.config["ASR_MODEL"] = "/nonexistent/model"
    try:
        failed = upload(b, attempt_id, webm("a-change-ok"), position=2).get_json()
    finally:
        speech_app.config["ASR_MODEL"] = model
    assert failed["state"] == "failed"
    with speech_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempts.finish_attempt(attempt, expected_turns=3)
        db.session.commit()
        assert attempt.status == "pending"
    done = b.client.post(failed["urls"]["retry"], headers=json_headers(b)).get_json()
    assert done["state"] == "scored" and done["verdict"] == "pass"
    assert done["attempt"]["status"] == "scored" and done["attempt"]["verdict"] == "pass"
