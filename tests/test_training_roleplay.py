"""Role-plays through the real routes: a whole encounter turn by turn, station values in the
lines, feedback per turn and for the encounter, complaints, the assessment sitting, privacy,
and a spoken turn through the recorder's endpoint."""

import re

import pytest
from sqlalchemy import func, select

from tests.training_helpers import attempt_id_from, post_start, window
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import Attempt, AttemptResponse, AttemptStatus

CNG = "sl-dlg-cng-full"


def presented(app, attempt_id: int) -> dict:
    with app.app_context():
        return dict(db.session.get(Attempt, attempt_id).presented)


def answer(b, attempt_id: int, position: int, text: str):
    return b.post(f"/me/roleplay/attempts/{attempt_id}/turns/{position}", {"text": text})


def test_a_whole_encounter_typed_from_start_to_result(app, login_as, world):
    b = login_as("staff_a")
    listing = b.get("/me/roleplay").get_data(as_text=True)
    assert "一辆CNG出租车的完整加气服务" in listing and "××" in listing
    aid = attempt_id_from(post_start(b, f"/me/roleplay/{CNG}/start"))
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    # The station's real name fills the scene; the first turn waits for an answer.
    assert "驶进昆仑加气站" in page and "第 1/10 轮" in page and "第 2/10 轮" not in page
    turns = presented(app, aid)["turns"]
    amount = presented(app, aid)["values"]["amount"]
    assert f"应找他{amount}元" in turns[7]["cue"] and amount in turns[7]["expected"]
    for position, turn in enumerate(turns):
        response = answer(b, aid, position, turn["expected"])
        assert response.status_code == 302
        assert f"#turn-{position}" in response.headers["Location"]
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    # A typed last turn ends like a spoken one: the trainee asks for the result.
    assert "查看对话结果" in page and 'id="result"' not in page
    assert b.post(f"/me/roleplay/attempts/{aid}/finish", {}).status_code == 302
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    # Every turn shows what was said, its score and the approved phrasing; then the result.
    assert page.count("turn-result result-pass") == 10
    assert page.index('id="result"') < page.index('id="chat"')      # the result comes first
    assert "对话结果" in page and "依据：《" in page and "再练一次" in page
    assert turns[1]["prompt"] in page            # the customer's line: 加满,快点啊。
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.status == AttemptStatus.SCORED and attempt.final_verdict == "pass"
        assert attempt.score >= 90


def test_every_attempt_gets_fresh_amounts(app, login_as, world):
    b = login_as("staff_a")
    amounts = {presented(app, attempt_id_from(post_start(b, f"/me/roleplay/{CNG}/start")))
               ["values"]["amount"] for _ in range(8)}
    assert len(amounts) >= 3


def test_a_wrong_turn_is_explained_and_fails_the_encounter(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/roleplay/{CNG}/start"))
    answer(b, aid, 0, "来了啊,加多少?")
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "turn-result result-fail" in page and "缺少站名" in page
    assert re.search(r"标准用语：</span>您好！欢迎(光临|来到)昆仑加气站", page)
    assert "第 2/10 轮" in page                     # the encounter goes on
    finish = b.post(f"/me/roleplay/attempts/{aid}/finish", {})
    assert finish.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        # Unanswered turns count as failed.
        assert attempt.status == AttemptStatus.SCORED and attempt.final_verdict == "fail"
        assert attempt.score < 10


def test_turns_are_answered_in_order_and_empty_answers_change_nothing(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/roleplay/{CNG}/start"))
    answer(b, aid, 3, "请出示加气卡。")
    assert "请按顺序逐轮作答" in b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    answer(b, aid, 0, "   ")
    assert "请先输入您的回答" in b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert answer(b, aid, 99, "您好").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptResponse.id))) == 0


def test_complaints_are_played_with_the_upset_customer(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/roleplay/cp-dlg-rude-staff/start"))
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "chat-upset" in page and "顾客(生气地)" in page and "我要投诉" in page
    answer(b, aid, 0, "对不起,给您添麻烦了,请您坐下慢慢说。")
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "turn-result result-pass" in page and "他嫌我动作慢" in page


def test_the_roleplay_assessment_sitting(app, login_as, world):
    with app.app_context():
        wid = window("phrases", world.station_a, max_attempts=1)
        active = get_library().module("phrases").with_status("active")
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/modules/phrases/assessment/roleplay"))
    data = presented(app, aid)
    dialogue = next(d for d in active.dialogues if d.id == data["turns"][0]["item"])
    used = {t.phrase_id for t in dialogue.turns}
    extra = data["turns"][len(dialogue.turns):]
    assert len(extra) == 5 and all(t["item"] not in used for t in extra)
    assert {t["item"] for t in extra} <= {p.id for p in active.phrases}
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.window_id == wid and attempt.mode == "assessment" and attempt.deadline_at
    # The 口语 assessment is spoken: typing is refused until the head records why he cannot
    # speak (tests/test_speech_turns.py has the spoken side); here the head recorded it.
    answer(b, aid, 0, data["turns"][0]["expected"])
    assert "不能打字" in b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    head = login_as("head_a")
    head.post(f"/practice/speaking-exemptions/{world.id('staff_a')}",
              {"window_id": wid, "reason": "嗓子发炎,医生嘱咐一周内少说话"})
    answer(b, aid, 0, data["turns"][0]["expected"])
    # In an assessment a turn is answered once.
    answer(b, aid, 0, "再答一次")
    assert "考核中每一轮只能回答一次" in b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    # The recorder's JSON endpoint keeps the same rule, and says nothing of the judgement.
    again = b.client.post(f"/practice/attempts/{aid}/turns/0/text", data={"text": "再答一次"},
                          headers={"X-CSRFToken": b.csrf})
    assert again.status_code == 409 and "只能作答一次" in again.json["error"]
    status = b.get(f"/practice/attempts/{aid}/turns/0").json
    assert status["state"] == "scored" and status.get("sealed")
    for secret in ("expected", "reasons", "diff", "score", "verdict", "key_points"):
        assert secret not in status, secret
    # Until the window closes the approved phrasing is not shown.
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "标准用语：</span>" not in page
    for position in range(1, len(data["turns"])):
        answer(b, aid, position, data["turns"][position]["expected"])
    b.post(f"/me/roleplay/attempts/{aid}/finish", {})
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.status == AttemptStatus.SCORED and attempt.counts
    refused = post_start(b, "/me/modules/phrases/assessment/roleplay")
    assert "1 次机会已用完" in b.get(refused.headers["Location"]).get_data(as_text=True)


def test_roleplays_are_private(app, login_as, world):
    owner = login_as("staff_a")
    aid = attempt_id_from(post_start(owner, f"/me/roleplay/{CNG}/start"))
    other = login_as("staff_b")
    assert other.get(f"/me/roleplay/attempts/{aid}").status_code == 404
    assert answer(other, aid, 0, "您好,欢迎光临").status_code == 404
    assert other.post(f"/me/roleplay/attempts/{aid}/finish", {}).status_code == 404
    assert other.client.post(f"/practice/attempts/{aid}/turns/0/text", data={"text": "您好"},
                             headers={"X-CSRFToken": other.csrf}).status_code == 404
    assert post_start(login_as("clerk_a"), "/me/roleplay/no-such-dialogue/start").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptResponse.id))) == 0


@pytest.mark.speech
def test_a_spoken_turn_goes_through_the_recorder_endpoint(speech_app, login_as, world):
    from tests.practice_helpers import upload, webm

    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/roleplay/{CNG}/start"))
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    upload_url = re.search(r'data-upload-url="([^"]+)"', page).group(1)
    assert upload_url == f"/practice/attempts/{aid}/turns/0/audio"
    spoken = upload(b, aid, webm("a-greet-ok"), position=0).get_json()
    assert spoken["state"] == "scored" and spoken["verdict"] == "pass"
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "turn-result result-pass" in page and "第 2/10 轮" in page
    assert f"/practice/attempts/{aid}/turns/1/audio" in page
    detail = b.get(f"/me/history/{aid}").get_data(as_text=True)
    assert "<audio" in detail and "识别结果" in detail


def test_the_result_says_which_turn_failed_and_why_and_the_pass_rule(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/roleplay/{CNG}/start"))
    turns = presented(app, aid)["turns"]
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "每句 60 分及以上为通过" in page
    for position, turn in enumerate(turns):
        answer(b, aid, position, "这事不归我管。" if position == 3 else turn["expected"])
    b.post(f"/me/roleplay/attempts/{aid}/finish", {})
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    result = page.split('id="result"')[1].split("</section>")[0]
    assert "每一轮都通过，整段对话才算通过" in result
    assert re.search(r"第 4 轮</a>：[^<]*", result) and "第 1 轮" not in result
    # the coloured diff against the approved phrasing, as on the single-phrase page
    assert '<p class="diff">' in page and 'class="d-delete"' in page


def test_a_practice_turn_can_be_answered_again(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/roleplay/{CNG}/start"))
    turns = presented(app, aid)["turns"]
    answer(b, aid, 0, "来了啊,加多少?")
    answer(b, aid, 1, turns[1]["expected"])
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "?retry=0#turn-0" in page
    again = b.get(f"/me/roleplay/attempts/{aid}?retry=0").get_data(as_text=True)
    assert f'action="/me/roleplay/attempts/{aid}/turns/0"' in again and "重答第 1 轮" in again
    answer(b, aid, 0, turns[0]["expected"])
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert page.count("turn-result result-pass") == 2 and "result-fail" not in page
    # someone else's attempt, or a turn never answered, offers no retry
    assert "重答第 5 轮" not in b.get(f"/me/roleplay/attempts/{aid}?retry=4").get_data(as_text=True)


def test_a_deflecting_answer_gets_the_customers_reaction(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/roleplay/cp-dlg-rude-staff/start"))
    answer(b, aid, 0, "这事不归我管。")
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert "顾客(不满):" in page
    with app.app_context():
        dialogue = get_library().item("cp-dlg-rude-staff")
    assert dialogue.turns[0].on_wrong in page


def test_the_assessment_names_the_scene_of_every_turn(app, login_as, world):
    with app.app_context():
        window("phrases", world.station_a, max_attempts=1)
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/modules/phrases/assessment/roleplay"))
    data = presented(app, aid)
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    dialogue_turns = data["dialogue_turns"]
    # The heading is the module's; the dialogue's title says how many of its turns there are.
    assert "服务用语：口语考核" in page and f"」{dialogue_turns} 轮" in data["plan"]
    assert f"其他场景的服务用语 {len(data['turns']) - dialogue_turns} 句" in data["plan"]
    assert all(t.get("scene") for t in data["turns"][dialogue_turns:])
    assert not any(t.get("scene") for t in data["turns"][:dialogue_turns])


def test_a_spoken_turn_can_be_replayed_and_drafts_are_explained(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/roleplay/{CNG}/start"))
    answer(b, aid, 0, presented(app, aid)["turns"][0]["expected"])
    with app.app_context():
        response = db.session.scalar(select(AttemptResponse))
        response.recording_key = "kept/answer.webm"        # as a spoken answer keeps it
        db.session.commit()
        rid = response.id
    page = b.get(f"/me/roleplay/attempts/{aid}").get_data(as_text=True)
    assert f'<audio class="replay" controls preload="none" src="/recordings/{rid}"' in page
    listing = b.get("/me/roleplay").get_data(as_text=True)
    assert "试行" in listing and "新编写、正在试用的内容：可以练习，不计入考核" in listing
