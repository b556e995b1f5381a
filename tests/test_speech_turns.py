"""One answer per turn, spoken where the 口语 assessment demands it, through the HTTP routes:

- a turn of the 口语 assessment must be spoken; typing only after the head recorded, with a
  reason (audited), that the person cannot speak for that window's check;
- a typed answer while the turn's recording is being recognised is refused, and a late
  recognition result never lands on another answer;
- ten typed answers sent at once to an answer-once turn: exactly one is scored (real threads,
  on SQLite and on PostgreSQL when DATABASE_URL is set);
- the JSON API takes a dialogue's turns in order;
- one recording in recognition per person, and the page sees where it is in the queue;
- a missing speech model shows no server path to the trainee (only the log has it);
- a browser's webm without a duration is stored so that it replays with one.

Recognition is held or faked here (the pool, the queue and the rules are real); the real
recogniser is in tests/test_speech_context.py.
"""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import av
import pytest
from sqlalchemy import func, select

from tests.practice_helpers import clip, json_headers, start_phrase, upload, webm
from tests.training_helpers import attempt_id_from, post_start, window
from trainer.extensions import db
from trainer.models import Attempt, AttemptResponse, AuditLog, SpeakingExemption
from trainer.speech.transcript import Transcript
from trainer.timeutil import now


class FakeEngine:
    """Hears the approved greeting in anything, at once (no model)."""

    name = "fake"

    def __init__(self, text: str = "您好,欢迎光临昆仑加气站。"):
        self.text = text

    def transcribe(self, pcm, **options):
        return Transcript(text=self.text, duration=pcm.duration, engine=self.name)

    def load(self):
        return None


@pytest.fixture
def fake_engine(app, monkeypatch, recordings_dir):
    import trainer.turns.recognition as jobs

    engine = FakeEngine()
    monkeypatch.setattr(jobs, "speech_engine", lambda app=None: engine)
    return engine


@pytest.fixture
def held(app, monkeypatch, fake_engine):
    """The recogniser waits (inside recognition, the turn already marked 识别中) until
    ``held.set()``; uploads answer 202 at once (nobody waits for the score)."""
    import trainer.turns.recognition as jobs

    gate = threading.Event()
    done = []
    real_transcribe, real_job = fake_engine.transcribe, jobs.recognise_stored

    def gated_transcribe(pcm, **options):
        assert gate.wait(60), "the test never released the recogniser"
        return real_transcribe(pcm, **options)

    def recorded(response_id, key=None, pcm=None):
        state = real_job(response_id, key, pcm)
        done.append((response_id, state))
        return state

    monkeypatch.setattr(fake_engine, "transcribe", gated_transcribe)
    monkeypatch.setattr(jobs, "recognise_stored", recorded)
    monkeypatch.setitem(app.config, "SPEECH_WAIT_SECONDS", 0)
    gate.done = done
    yield gate
    gate.set()


def wait_for(condition, seconds: float = 30.0) -> None:
    stop = threading.Event()
    for _ in range(int(seconds * 20)):
        if condition():
            return
        stop.wait(0.05)
    raise AssertionError("condition not reached in time")


def text_answer(browser, attempt_id: int, text: str, position: int = 0, client=None):
    return (client or browser.client).post(
        f"/practice/attempts/{attempt_id}/turns/{position}/text", data={"text": text},
        headers=json_headers(browser))


def start_spoken_assessment(app, b, station_id: int) -> tuple[int, int, dict]:
    with app.app_context():
        wid = window("phrases", station_id, max_attempts=2)
    aid = attempt_id_from(post_start(b, "/me/modules/phrases/assessment/roleplay"))
    with app.app_context():
        presented = dict(db.session.get(Attempt, aid).presented)
    return aid, wid, presented


def exempt(head, user_id: int, window_id: int, reason: str = "喉咙手术后一周内不能说话(有医院证明)"):
    return head.post(f"/practice/speaking-exemptions/{user_id}",
                     {"window_id": window_id, "reason": reason})


# --- the spoken assessment ---------------------------------------------------------------


def test_the_spoken_assessment_refuses_typing_until_the_head_records_why(app, world, login_as):
    b = login_as("staff_a")
    aid, wid, presented = start_spoken_assessment(app, b, world.station_a)
    expected = presented["turns"][0]["expected"]
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "口语考核须用语音作答" in page and 'data-rec="typed"' not in page
    assert 'class="typed-answer"' not in page  # neither the recorder's box nor the plain form

    refused = text_answer(b, aid, expected)
    assert refused.status_code == 403 and refused.json["code"] == "must_speak"
    assert "不能打字" in refused.json["error"]
    b.post(f"/me/roleplay/attempts/{aid}/turns/0", {"text": expected})  # the no-JS form
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptResponse.id))) == 0

    # Nobody but a manager of his may record it, never for himself, and never without a reason.
    assert exempt(b, world.id("staff_a"), wid).status_code == 403
    assert exempt(login_as("head_b"), world.id("staff_a"), wid).status_code == 404
    head = login_as("head_a")
    exempt(head, world.id("staff_a"), wid, reason="  ")
    exempt(head, world.id("head_a"), wid)
    with app.app_context():
        assert db.session.scalar(select(func.count(SpeakingExemption.id))) == 0

    response = exempt(head, world.id("staff_a"), wid)
    assert response.status_code == 302
    listing = head.get(f"/practice/speaking-exemptions/{world.id('staff_a')}")
    assert "喉咙手术后" in listing.get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(
            AuditLog.action == "speaking_exemption.granted"))
        assert entry.actor_id == world.id("head_a") and "喉咙手术" in entry.reason
        assert entry.entity_id == str(world.id("staff_a")) and entry.after["window_id"] == wid

    typed = text_answer(b, aid, expected)
    assert typed.status_code == 200 and typed.json["state"] == "scored" and typed.json["sealed"]
    assert 'data-rec="typed"' in b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)


def test_a_practice_roleplay_may_still_be_typed(app, world, login_as):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/roleplay/sl-dlg-cng-full/start"))
    assert text_answer(b, aid, "您好,欢迎光临昆仑加气站").json["state"] == "scored"


@pytest.mark.parametrize("database", ["sqlite-or-postgres"])
def test_ten_typed_answers_at_once_to_an_answer_once_turn_score_one(app, world, login_as,
                                                                     database):
    """Real concurrency: ten clients of the same trainee, released together."""
    b = login_as("staff_a")
    aid, wid, presented = start_spoken_assessment(app, b, world.station_a)
    assert exempt(login_as("head_a"), world.id("staff_a"), wid).status_code == 302
    clients = [login_as("staff_a") for _ in range(10)]
    answers = [presented["turns"][0]["expected"]] + [f"急什么,第{i}次" for i in range(1, 10)]
    barrier = threading.Barrier(len(clients))
    replies: list = [None] * len(clients)

    def send(index: int) -> None:
        barrier.wait()
        reply = text_answer(clients[index], aid, answers[index])
        replies[index] = (reply.status_code, reply.get_json())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    scored = [r for r in replies if r[0] == 200 and r[1].get("state") == "scored"]
    refused = [r for r in replies if r[0] == 409]
    assert len(scored) == 1 and len(refused) == 9, replies
    assert all(r[1]["code"] in ("answered", "busy") and r[1]["error"] for r in refused)
    with app.app_context():
        rows = list(db.session.scalars(select(AttemptResponse).where(
            AttemptResponse.attempt_id == aid)))
        assert len(rows) == 1
        # The answer kept is the one that was told "scored", not a later one.
        winner = answers[[i for i, r in enumerate(replies) if r in scored][0]]
        assert rows[0].answer["text"] == winner


# --- one answer per turn while recognising --------------------------------------------------


def test_a_typed_answer_while_the_recording_is_recognised_is_refused(app, world, login_as, held):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    sent = upload(b, attempt_id, webm("a-greet-ok"))
    assert sent.status_code == 202 and sent.json["state"] == "queued"
    assert sent.json["stage"] in ("queued", "recognising") and sent.json["message"]
    refused = text_answer(b, attempt_id, "急什么")
    assert refused.status_code == 409 and refused.json["code"] == "recognising"
    again = upload(b, attempt_id, webm("a-greet-ok"))
    assert again.status_code == 409 and again.json["code"] == "recognising"
    # Nor may he start recognising another recording meanwhile (one per person).
    other = start_phrase(b, "sl-wait")
    busy = upload(b, other, webm("a-wait-ok"))
    assert busy.status_code == 429 and "还在识别" in busy.json["error"]
    held.set()
    wait_for(lambda: held.done)
    done = b.get(f"/practice/attempts/{attempt_id}/turns/0").json
    assert done["state"] == "scored" and done["verdict"] == "pass"
    assert done["transcript"].startswith("您好")
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptResponse.id))) == 1


def test_a_late_result_never_lands_on_another_answer(app, world, login_as, held):
    """The recording's job was lost (or is very late): after STALE_RECOGNITION the trainee may
    answer again. When the old job finally runs, it finds another answer and writes nothing
    (SQLite may even give the new answer the old row's id)."""
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    spoken = upload(b, attempt_id, webm("a-greet-ok")).json
    wait_for(lambda: b.get(f"/practice/attempts/{attempt_id}/turns/0").json.get("stage")
             == "recognising")
    with app.app_context():
        row = db.session.get(AttemptResponse, spoken["response_id"])
        row.created_at = now() - timedelta(hours=1)
        db.session.commit()
    rude = text_answer(b, attempt_id, "来了啊,急什么")
    assert rude.status_code == 200 and rude.json["verdict"] == "fail"
    held.set()
    wait_for(lambda: held.done)
    assert held.done[0][1] == "gone"
    after = b.get(f"/practice/attempts/{attempt_id}/turns/0").json
    assert after["state"] == "scored" and after["verdict"] == "fail"
    assert after["transcript"] == "来了啊,急什么" and not after["spoken"]
    with app.app_context():
        kept = db.session.scalar(select(AttemptResponse))
        assert kept.answer == {"text": "来了啊,急什么"} and kept.score < 60
        assert kept.transcript is None and kept.recording_key is None


def test_the_page_sees_the_queue_position_and_can_leave(app, world, login_as, held):
    """Every recognition thread busy: the next upload waits in the queue, and says so."""
    busy = app.config["SPEECH_WORKERS"]
    people = [login_as(key) for key in ("staff_a", "staff_a2", "clerk_a", "head_a")[: busy + 1]]
    attempts_ = [start_phrase(b) for b in people]
    for b, attempt_id in zip(people[:busy], attempts_, strict=False):
        upload(b, attempt_id, webm("a-greet-ok"))
    wait_for(lambda: all(b.get(f"/practice/attempts/{a}/turns/0").json.get("stage")
                         == "recognising" for b, a in zip(people[:busy], attempts_,
                                                          strict=False)))
    running = people[0].get(f"/practice/attempts/{attempts_[0]}/turns/0").json
    assert running["state"] == "queued" and running["message"] == "识别中……"
    queued = upload(people[-1], attempts_[-1], webm("a-greet-ok")).json
    assert queued["state"] == "queued" and queued["stage"] == "queued"
    assert queued["position"] == busy + 1 and f"排队第 {busy + 1} 位" in queued["message"]
    assert queued["estimate"] >= 1 and "练习记录" in queued["message"]
    held.set()
    wait_for(lambda: len(held.done) == busy + 1)
    last = people[-1]
    assert last.get(f"/practice/attempts/{attempts_[-1]}/turns/0").json["state"] == "scored"
    assert "识别结果" in last.get(f"/me/history/{attempts_[-1]}").get_data(as_text=True)


# --- order, model errors, replay ----------------------------------------------------------


def test_the_json_api_takes_a_dialogues_turns_in_order(app, world, login_as, fake_engine):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/roleplay/sl-dlg-cng-full/start"))
    skipped = text_answer(b, aid, "加气站规定车辆熄火后加气,请您合作", position=2)
    assert skipped.status_code == 409 and skipped.json["code"] == "out_of_order"
    spoken = upload(b, aid, webm("a-greet-ok"), position=3)
    assert spoken.status_code == 409 and spoken.json["code"] == "out_of_order"
    assert text_answer(b, aid, "您好,欢迎光临昆仑加气站", position=0).status_code == 200
    assert text_answer(b, aid, "请稍等", position=1).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptResponse.id))) == 2


def test_a_missing_speech_model_shows_no_server_path(app, world, login_as, recordings_dir,
                                                     tmp_path, monkeypatch, caplog):
    missing = tmp_path / "secret-server-dir" / "whisper-base"
    monkeypatch.setitem(app.config, "ASR_MODEL", str(missing))
    monkeypatch.setitem(app.config, "SPEECH_WAIT_SECONDS", 60)
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    with caplog.at_level("ERROR", logger="trainer.turns.recognition"):
        failed = upload(b, attempt_id, webm("a-greet-ok"))
    assert failed.status_code == 503 and failed.json["state"] == "failed"
    message = failed.json["message"]
    assert "找不到语音识别模型" in message and "管理员" in message
    assert "secret-server-dir" not in message and "/" not in message
    page = b.get(f"/practice/attempts/{attempt_id}").get_data(as_text=True)
    assert "secret-server-dir" not in page
    assert "secret-server-dir" in caplog.text  # the administrator finds it in the log


def live_webm(name: str) -> bytes:
    """A clip as Chrome's MediaRecorder writes it: a live webm stream without a duration."""

    class Pipe(io.RawIOBase):
        def __init__(self):
            self.data = bytearray()

        def writable(self):
            return True

        def seekable(self):
            return False

        def write(self, chunk):
            self.data += bytes(chunk)
            return len(chunk)

    pcm, pipe = clip(name), Pipe()
    with av.open(pipe, "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48000, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm.samples.reshape(1, -1), format="s16",
                                           layout="mono")
        frame.sample_rate = pcm.sample_rate
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono",
                                      rate=48000)
        for chunk in resampler.resample(frame) + resampler.resample(None):
            out.mux(stream.encode(chunk))
        out.mux(stream.encode(None))
    return bytes(pipe.data)


def duration_of(data: bytes) -> float | None:
    with av.open(io.BytesIO(data), format="matroska") as container:
        return None if container.duration is None else container.duration / av.time_base


def test_a_browser_webm_replays_with_its_duration(app, world, login_as, fake_engine):
    recording = live_webm("a-greet-ok")
    assert duration_of(recording) is None  # what the browser uploads: 0:00 in a player
    b = login_as("staff_a")
    data = upload(b, start_phrase(b), recording).json
    assert data["state"] == "scored"
    stored = b.get(data["urls"]["recording"])
    assert stored.status_code == 200 and stored.mimetype == "audio/webm"
    assert duration_of(stored.data) == pytest.approx(clip("a-greet-ok").duration, abs=0.1)
    part = b.get(data["urls"]["recording"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100


# --- the bounded pool -----------------------------------------------------------------------


def test_short_recordings_are_recognised_before_long_ones(app, monkeypatch):
    import trainer.turns.recognition as jobs

    gate, order = threading.Event(), []

    def job(response_id, key=None, pcm=None):
        gate.wait(30)
        order.append(response_id)
        return "scored"

    monkeypatch.setattr(jobs, "recognise_stored", job)
    pool = jobs.RecognitionPool(app, workers=1, waiters=1)  # one thread: strict order
    futures = [pool.submit(0, "k", None, 3.0)]  # takes the only thread
    wait_for(lambda: pool._jobs == [])
    futures += [pool.submit(1, "k", None, 50.0), pool.submit(2, "k", None, 40.0),
                pool.submit(3, "k", None, 3.0)]
    gate.set()
    assert [f.result(30) for f in futures] == ["scored"] * 4
    assert order == [0, 3, 1, 2]


def test_uploads_at_once_never_recognise_on_every_thread(app, world, login_as, fake_engine,
                                                          monkeypatch):
    """Four people upload together: recognition runs on the pool's threads only (two), two
    requests at most wait for their score, the others are answered at once and polled."""
    monkeypatch.setitem(app.config, "SPEECH_WAIT_SECONDS", 30)
    running, peak, lock = [0], [0], threading.Lock()
    plain = fake_engine.transcribe

    def slow(pcm, **options):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        threading.Event().wait(0.4)
        with lock:
            running[0] -= 1
        return plain(pcm, **options)

    monkeypatch.setattr(fake_engine, "transcribe", slow)
    people = [login_as(key) for key in ("staff_a", "staff_a2", "clerk_a", "head_a")]
    attempts_ = [start_phrase(b) for b in people]
    barrier, replies = threading.Barrier(len(people)), {}

    def send(index):
        barrier.wait()
        replies[index] = upload(people[index], attempts_[index], webm("a-greet-ok")).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(replies.values()).count(200) <= 2 and set(replies.values()) <= {200, 202}
    for b, attempt_id in zip(people, attempts_, strict=True):
        wait_for(lambda b=b, a=attempt_id: b.get(f"/practice/attempts/{a}/turns/0").json["state"]
                 == "scored")
    assert peak[0] <= app.config["SPEECH_WORKERS"] == 2
