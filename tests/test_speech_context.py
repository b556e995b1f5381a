"""Context rescues a correct answer and never creates one (trainer/speech/context.py).

Spoken, through the real route and the real offline recogniser: a wrong amount, another
station, a forbidden phrase and a negation each fail, also where a recogniser biased by the
scene would have heard the approved phrase; silence never reaches the context check; a correct
answer whose key word the plain recogniser misheard is rescued, and the head sees both
transcripts.
Clips: the shared development set, and eval/speech/audio (the tune split of issue 15).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.practice_helpers import clip, set_values, start_phrase, upload
from trainer.extensions import db
from trainer.models import AttemptResponse
from trainer.speech import load_audio
from trainer.speech.context import near_sound, near_sounds

TUNE_AUDIO = Path(__file__).resolve().parents[1] / "eval" / "speech" / "audio"


def tune_clip(name: str) -> bytes:
    return load_audio(TUNE_AUDIO / f"{name}.wav").encode("webm", "libopus", 48000)


def dev_clip(name: str) -> bytes:
    return clip(name).encode("webm", "libopus", 48000)


def spoken(app, login_as, item: str, recording: bytes, **values: str) -> tuple[dict, dict]:
    """Answer a practice of ``item`` with a recording; the turn JSON and the stored asr."""
    b = login_as("staff_a")
    attempt_id = start_phrase(b, item)
    if values:
        set_values(app, attempt_id, **values)
    data = upload(b, attempt_id, recording).get_json()
    assert data["state"] == "scored", data
    with app.app_context():
        row = db.session.scalar(select(AttemptResponse).where(
            AttemptResponse.attempt_id == attempt_id))
        return data, dict(row.asr or {})


# --- pure rules, no model ------------------------------------------------------------------


@pytest.mark.parametrize("heard, word, near", [
    ("坤伦", "昆仑", True), ("洗火", "熄火", True), ("娱乐", "余额", True), ("不断", "不多", True),
    ("长城", "昆仑", False), ("海通", "昆仑", False), ("天山", "昆仑", False), ("后", "前", False),
    ("五十", "三十", False), ("昆仑", "昆仑加", False),
    ("三颗工作室内", "三个工作日内", True), ("详险", "抢险", True), ("你", "您", True),
    # Never a negation, prohibition or permission (heldout, -10 dB noise: the audio let
    # 可以抽烟 pass for 不能抽烟 at 4.9 nats a character).
    ("可以抽烟", "不能抽烟", False), ("研究烟火", "严禁烟火", False), ("不用", "请用", False),
])
def test_near_sounds(heard, word, near):
    assert near_sound(heard, word) is near


def test_only_a_near_sound_of_a_missing_word_is_a_candidate():
    assert near_sounds("您好欢迎光临坤伦家气战", ["昆仑"]) == [(6, 8, "昆仑")]
    # Another station said: 长城 is no near-sound of 昆仑, whatever a biased decoder hears.
    assert near_sounds("您好欢迎光临长城家气战", ["昆仑"]) == []
    # A key word the plain recogniser did not hear at all is never put in.
    assert near_sounds("您好欢迎光临", ["昆仑"]) == []
    # A number is never "misheard" into another: amounts and time figures are not rescued.
    assert near_sounds("找您二十四元", ["四十二"]) == []
    assert near_sounds("我们会在三刻工作日内答复", ["三个工作日内"]) != []
    assert near_sounds("我们会在五个工作日内答复", ["三个工作日内"]) == []
    # Another person: a surname is never rescued from a near-sound (heldout6: 胡主任 said,
    # 吴主任 due; the audio supports both alike), a title may be.
    assert near_sounds("胡主任您好", ["吴主任"]) == []
    assert near_sounds("吴主人您好", ["吴主任"]) == [(0, 3, "吴主任")]


def test_a_syllable_that_sounds_different_needs_the_audio_on_its_own():
    """施战 for 熄火 (heldout3, telephone band; the clip says 加气站有规定 without 熄火): 施/熄
    blur, 战/火 do not. Forced through the audio it costs 9.3 nats, all of it for 战→火."""
    from trainer.speech.context import choose

    class Audio:
        def text_logprobs(self, pcm, texts):
            return [{"施战有规定请您合作": -39.2, "熄火有规定请您合作": -48.5}[t] for t in texts]

    heard = "施战有规定请您合作"
    candidates = near_sounds(heard, ["熄火"])
    assert candidates == [(0, 2, "熄火")]
    assert choose(Audio(), clip("a-greet-ok"), heard, candidates) == (heard, [])


class ScriptedEngine:
    """Answers every recognition with a given text and counts the recognitions. It cannot
    force a text through the audio (see Checking)."""

    name = "scripted"

    def __init__(self, plain_text: str, support: float = -2.0, no_speech: bool = False):
        self.plain_text, self.support, self.no_speech = plain_text, support, no_speech
        self.calls = 0

    def transcribe(self, pcm, **options):
        from trainer.speech.transcript import Transcript

        self.calls += 1
        if self.no_speech:
            return Transcript(text="", duration=pcm.duration, no_speech=True)
        return Transcript(text=self.plain_text, duration=pcm.duration)


class Checking(ScriptedEngine):
    """...and says how well the audio supports a text: ``support`` nats per character that
    differs from the plain transcript (the first text asked about)."""

    def text_logprobs(self, pcm, texts):
        heard = texts[0]
        return [-20.0 + self.support * sum(a != b for a, b in zip(heard, t, strict=False))
                for t in texts]


def greeting_judge():
    from trainer.scoring import compile_item, score_answer

    item = compile_item(["您好!欢迎光临{station}加气站。"], key_points=[["您好", "你好"], ["欢迎"]])
    return lambda text: score_answer(item, text, {"station": "昆仑"})


def scene():
    from trainer.speech.context import SceneContext

    return SceneContext(names=["昆仑"])


def hear_with(engine, judge=None):
    from trainer.speech.context import hear

    return hear(engine, clip("a-greet-ok"), scene(), judge or greeting_judge())


def test_a_pass_needs_one_recognition_and_silence_nothing_more():
    engine = Checking("您好,欢迎光临昆仑加气站")
    assert hear_with(engine).decision == "unbiased" and engine.calls == 1
    silent = Checking("", no_speech=True)
    heard = hear_with(silent)
    assert heard.transcript.no_speech and silent.calls == 1


def test_a_misheard_station_is_rescued_only_with_the_audios_support():
    heard = hear_with(Checking("您好,欢迎光临昆人家气战", support=-3.0))
    assert heard.decision == "context" and heard.rescued == (("昆人", "昆仑"),)
    assert greeting_judge()(heard.transcript.text).verdict == "pass"
    assert heard.unbiased.text == "您好,欢迎光临昆人家气战"
    weak = hear_with(Checking("您好,欢迎光临昆人家气战", support=-9.0))
    assert weak.decision == "context-rejected" and "昆仑" not in weak.transcript.text


def test_another_station_is_never_replaced_even_with_support():
    heard = hear_with(Checking("您好,欢迎光临天山加气站", support=0.0))
    assert heard.decision != "context" and heard.transcript.text.count("天山") == 1
    assert greeting_judge()(heard.transcript.text).verdict == "fail"


def test_the_right_name_rescued_beside_another_station_still_fails():
    """您好,天山加气站…昆人: context may hear 昆仑 in 昆人, but 天山 was said, and the answer
    fails (the blind speech set heldout8 passed 你好白云家气战青松, 青松 rescued from 请讲)."""
    heard = hear_with(Checking("您好,欢迎光临天山加气站,昆人", support=-1.0))
    assert heard.transcript.text.count("天山") == 1
    assert greeting_judge()(heard.transcript.text).verdict == "fail"


def test_an_engine_that_cannot_check_the_audio_rescues_nothing():
    heard = hear_with(ScriptedEngine("您好,欢迎光临昆人家气战"))
    assert heard.decision == "unbiased" and "昆人" in heard.transcript.text


class Optioned(Checking):
    """...and takes options (as faster-whisper does), remembering them."""

    takes_options = True

    def transcribe(self, pcm, **options):
        self.options = options
        return super().transcribe(pcm, **options)


def test_a_long_recording_is_decoded_greedily_in_the_background_without_context():
    from trainer.speech.context import hear

    long_engine = Optioned("您好,欢迎光临昆人家气战", support=0.0)
    heard = hear(long_engine, clip("a-greet-ok"), scene(), greeting_judge(), long_seconds=2.0)
    assert long_engine.options == {"beam_size": 1, "background": True}
    assert heard.decision == "unbiased" and "昆人" in heard.transcript.text
    short_engine = Optioned("您好,欢迎光临昆仑加气站")
    hear(short_engine, clip("a-greet-ok"), scene(), greeting_judge(), long_seconds=15.0)
    assert short_engine.options == {}


def promise_judge():
    """The 3-working-day promise of content/06-commitments.yaml, judged as the app does."""
    from trainer.content import load_content
    from trainer.scoring import score_answer

    library = load_content(Path(__file__).resolve().parents[1] / "content")
    item = library.compile(library.spec_for("cm-tel-reply-3days", None))
    return lambda text: score_answer(item, text, {}, spoken=True)


def test_a_missing_time_limit_is_rescued_but_a_wrong_one_never():
    heard = hear_with(Checking("对不起,我们会在三颗工作室内给您答复", support=-2.0), promise_judge())
    assert heard.decision == "context" and heard.rescued == (("三颗工作室内", "三个工作日内"),)
    assert promise_judge()(heard.transcript.text).verdict == "pass"
    # 五个工作日内 is a wrong promise the plain recogniser heard: no context overrules it.
    wrong = hear_with(Checking("对不起,我们会在五个工作日内给您答复", support=0.0), promise_judge())
    assert wrong.decision == "hard-fault" and "五个" in wrong.transcript.text


# --- spoken, through the route --------------------------------------------------------------

speech_marked = pytest.mark.speech


@speech_marked
def test_a_spoken_wrong_amount_fails_and_no_context_pass_runs(speech_app, login_as):
    data, asr = spoken(speech_app, login_as, "sl-change", dev_clip("a-change-wrong"), amount="35")
    assert data["verdict"] == "fail" and any("金额" in r for r in data["reasons"])
    assert asr["context"]["decision"] == "hard-fault" and asr["context"]["context"] is None


@speech_marked
def test_another_station_spoken_fails_and_context_puts_nothing_in(speech_app, login_as):
    data, asr = spoken(speech_app, login_as, "sl-greet", tune_clip("t-sl-greet-other-station"))
    assert data["verdict"] == "fail", data
    # 长城 is not a near-sound of 昆仑: nothing is checked against the audio, nothing replaced
    # (a recogniser biased by the scene did hear 昆仑 in this clip: issue 15).
    assert asr["context"]["decision"] == "unbiased" and asr["context"]["rescued"] == []
    assert "昆仑" not in data["transcript"]


@speech_marked
def test_a_spoken_forbidden_phrase_fails_whatever_context_would_say(speech_app, login_as):
    data, asr = spoken(speech_app, login_as, "sl-wait", dev_clip("a-wait-forbidden"))
    assert data["verdict"] == "fail" and data["forbidden"]
    assert asr["context"]["decision"] == "hard-fault" and asr["context"]["context"] is None


@speech_marked
def test_a_spoken_negation_fails(speech_app, login_as):
    """加气不用熄火: the key word is there, its meaning is not. The unbiased result carries the
    "negation" fault (issue-13 scoring), which no context pass may overrule."""
    data, asr = spoken(speech_app, login_as, "sl-engine-off", tune_clip("t-sl-engine-off-negation"))
    assert data["verdict"] == "fail", data
    assert asr["context"]["decision"] == "hard-fault" and asr["context"]["context"] is None


@speech_marked
def test_silence_never_reaches_the_context_pass(speech_app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    data = upload(b, attempt_id, clip("a-silence").to_wav_bytes(), "a.wav").get_json()
    assert data["state"] == "no_speech"
    with speech_app.app_context():
        row = db.session.scalar(select(AttemptResponse))
        assert "context" not in (row.asr or {}) and not row.transcript


@speech_marked
def test_a_misheard_key_word_is_rescued_and_the_head_sees_both(speech_app, login_as, world):
    data, asr = spoken(speech_app, login_as, "sl-balance-low", tune_clip("t-sl-balance-low-ok"))
    context = asr["context"]
    assert context["decision"] == "context" and context["passes"] == 2
    assert ["不断", "不多"] in context["rescued"]
    assert "不断" in context["unbiased"] or "不斷" in context["unbiased"]
    assert data["verdict"] == "pass" and "不多" in data["transcript"]
    # The head reviewing it sees what the plain recogniser heard and what was replaced.
    with speech_app.app_context():
        row = db.session.scalar(select(AttemptResponse))
        attempt_id = row.attempt_id
    detail = login_as("staff_a").get(f"/me/history/{attempt_id}").get_data(as_text=True)
    assert "未结合场景的识别" in detail and "不断→不多" in detail


def test_a_word_of_the_content_heard_is_said_not_misheard():
    """余额不多 heard (the card still pays this fill: sl-balance-low's words) is never rescued
    into 余额不够 (sl-balance-short's key point): 多 and 够 sound wholly different, and 不多 is a
    word of the content (heldout5, telephone band, on the machine of 2026-12-07 evening)."""
    heard = "你好余额不多了请及时充值"
    assert (4, 6, "不够") in near_sounds(heard, ["不够"])
    assert near_sounds(heard, ["不够"], said_words=frozenset({"不多"})) == []
    # A near-sound that is no content word is still offered (坤伦 for 昆仑).
    assert near_sounds("欢迎光临坤伦加气站", ["昆仑"], said_words=frozenset({"不多"}))


def test_a_content_word_heard_in_other_characters_is_said_not_misheard():
    """加气站有规定 heard as 加氣氈有規定 (heldout3, tempo 1.15, on the machine of 2026-12-07):
    加气毡 sounds just like 加气站, a word of the content, so 气毡 is no 熄火 misheard; the
    context check once made it 加熄火有规定, a pass for an answer that never said 熄火.
    加气站 is a word of the content although a 忌语 example (到别的加气站去) holds it."""
    from trainer.content import load_content

    words = load_content(Path(__file__).resolve().parents[1] / "content").words()
    assert "加气站" in words
    heard = "加气毡有规定请您合作"
    assert (1, 3, "熄火") in near_sounds(heard, ["熄火"])
    assert near_sounds(heard, ["熄火"], said_words=words) == []
    # Two characters sounding like a content word are no proof (战后, 实战 happen by chance):
    # 施战 said for 熄火 is still offered to the audio, and a blurred 洗火 always.
    assert (7, 9, "熄火") in near_sounds("加气站规定车辆施战后加气", ["熄火"], said_words=words)
    assert (9, 11, "熄火") in near_sounds("您好加气站规定车辆洗火后加气", ["熄火"],
                                         said_words=words)
    # A content word heard needs all but one of its characters as written: 打著你累 (打扰你了
    # at tempo 1.15) sounds like 处理率 only through rare readings of three characters.
    assert (3, 5, "打扰") in near_sounds("对不起打著你累", ["打扰"], said_words=words)
