"""The live spoken check: the head picks phrases, the staff member answers into the head's
phone (recorded and scored by the real speech engine), the head confirms or overrides each
verdict, and the result is saved as a practical check."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from sqlalchemy import select

from tests.practice_helpers import json_headers, webm
from tests.station_helpers import new_key
from trainer.extensions import db
from trainer.models import Attempt, AttemptStatus, AuditLog, PracticalCheck, PracticalKind


def start_check(browser, user_id, phrases=("sl-greet", "sl-wait")) -> int:
    response = browser.post(f"/station/staff/{user_id}/spoken",
                            {"phrases": list(phrases), "submit_key": new_key()})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    match = re.search(r"/station/spoken/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def say(browser, attempt_id, position, text):
    return browser.client.post(f"/station/spoken/{attempt_id}/turns/{position}/text",
                               data={"text": text}, headers=json_headers(browser))


def finish(browser, attempt_id, verdicts, notes=""):
    data = {f"verdict-{i}": v for i, v in enumerate(verdicts)}
    data["notes"] = notes
    return browser.post(f"/station/spoken/{attempt_id}/finish", data)


def saved_check(app, user_id):
    with app.app_context():
        check = db.session.scalar(select(PracticalCheck).where(
            PracticalCheck.user_id == user_id, PracticalCheck.kind == PracticalKind.SPOKEN))
        if check is not None:
            db.session.expunge(check)
        return check


def test_the_head_picks_phrases_and_reads_the_customers_lines(app, world, login_as):
    head = login_as("head_a")
    choose = head.get(f"/station/staff/{world.id('staff_a')}/spoken").get_data(as_text=True)
    assert "进站迎客" in choose and "等候加气" in choose
    attempt_id = start_check(head, world.id("staff_a"))
    page = head.get(f"/station/spoken/{attempt_id}").get_data(as_text=True)
    assert "还要等多久？" in page                  # the customer's line, to read aloud
    assert "欢迎光临昆仑加气站" in page              # the approved phrasing with the station's name
    assert f"/station/spoken/{attempt_id}/turns/0/audio" in page
    assert 'name="csrf-token"' in page
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.user_id == world.id("staff_a")  # it is the staff member's record


def test_typed_answers_are_scored_and_the_heads_verdicts_saved(app, world, login_as):
    head = login_as("head_a")
    attempt_id = start_check(head, world.id("staff_a"))
    first = say(head, attempt_id, 0, "您好！欢迎光临昆仑加气站。").get_json()
    assert first["state"] == "scored" and first["verdict"] == "pass"
    second = say(head, attempt_id, 1, "等着吧。").get_json()
    assert second["state"] == "scored" and second["verdict"] == "fail"
    summary = head.get(f"/station/spoken/{attempt_id}/finish").get_data(as_text=True)
    # The rude answer is shown with what failed it marked.
    assert '<mark class="forbidden" title="不耐烦:等着吧">等着吧</mark>' in summary
    text = re.sub(r"<[^>]+>", "", summary)
    assert "您好！欢迎光临昆仑加气站。" in text and "等着吧。" in text
    response = finish(head, attempt_id, ["pass", "fail"])
    assert response.status_code == 302
    check = saved_check(app, world.id("staff_a"))
    assert not check.passed and check.module_id == "phrases"
    phrases = check.details["phrases"]
    assert [p["verdict"] for p in phrases] == ["pass", "fail"]
    assert phrases[0]["answer"] == "您好！欢迎光临昆仑加气站。"
    assert check.score == ((Decimal(phrases[0]["auto_score"]) + Decimal(phrases[1]["auto_score"]))
                           / 2).quantize(Decimal("0.01"))
    # The staff member sees the check among his attempts, closed with the head's result.
    history = login_as("staff_a").get("/me/history").get_data(as_text=True)
    assert "站长现场抽查" in history
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "scored" and attempt.final_verdict == "fail"
    # Saving again changes nothing.
    finish(head, attempt_id, ["pass", "pass"], notes="再来")
    with app.app_context():
        assert db.session.query(PracticalCheck).count() == 1


def test_overriding_the_engine_needs_a_written_reason(app, world, login_as):
    head = login_as("head_a")
    attempt_id = start_check(head, world.id("staff_a"), phrases=("sl-wait",))
    assert say(head, attempt_id, 0, "等着吧。").get_json()["verdict"] == "fail"
    response = finish(head, attempt_id, ["pass"])
    assert response.status_code == 200
    assert "请在备注中写明理由" in response.get_data(as_text=True)
    assert saved_check(app, world.id("staff_a")) is None
    finish(head, attempt_id, ["pass"], notes="现场嘈杂,听清了是“请稍后,马上给您加气”")
    check = saved_check(app, world.id("staff_a"))
    assert check.passed and check.details["overridden"] == ["sl-wait"]
    with app.app_context():
        review = db.session.scalar(select(AuditLog).where(
            AuditLog.action == "attempt.review_decided"))
        assert review.before["verdict"] == "fail" and review.after["verdict"] == "pass"


def test_the_staff_member_cannot_answer_or_close_his_heads_check_from_his_phone(app, world,
                                                                               login_as):
    """Issue 16, item 7: the check is his attempt, but only the head records and closes it."""
    head = login_as("head_a")
    attempt_id = start_check(head, world.id("staff_a"), phrases=("sl-greet",))
    staff = login_as("staff_a")
    headers = json_headers(staff)
    for path in ("turns/0/text", "turns/0/recognise", "turns/0/audio"):
        refused = staff.client.post(f"/practice/attempts/{attempt_id}/{path}",
                                    data={"text": "您好！欢迎光临昆仑加气站。"}, headers=headers)
        assert refused.status_code == 404, path
    assert staff.client.get(f"/practice/attempts/{attempt_id}/turns/0").status_code == 404
    assert staff.get(f"/practice/attempts/{attempt_id}").status_code == 404
    assert staff.post(f"/practice/attempts/{attempt_id}/review",
                      {"reason": "我要复核"}).status_code == 404
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.IN_PROGRESS and not attempt.responses
    # The head's own recording still counts and he closes the check.
    say(head, attempt_id, 0, "您好！欢迎光临昆仑加气站。")
    assert "未作答" not in head.get(f"/station/spoken/{attempt_id}/finish").get_data(as_text=True)
    finish(head, attempt_id, ["pass"])
    assert saved_check(app, world.id("staff_a")).passed


def test_every_phrase_needs_a_verdict(app, world, login_as):
    head = login_as("head_a")
    attempt_id = start_check(head, world.id("staff_a"))
    say(head, attempt_id, 0, "您好！欢迎光临昆仑加气站。")
    response = head.post(f"/station/spoken/{attempt_id}/finish", {"verdict-0": "pass"})
    assert "请给出第 2 句" in response.get_data(as_text=True)
    assert saved_check(app, world.id("staff_a")) is None


def test_choosing_nothing_or_phrases_he_does_not_learn_is_refused(app, world, login_as):
    head = login_as("head_a")
    url = f"/station/staff/{world.id('staff_a')}/spoken"
    response = head.post(url, {"submit_key": new_key()})
    assert response.status_code == 200 and "请至少选择一句服务用语" in response.get_data(as_text=True)
    response = head.post(url, {"phrases": ["no-such-phrase"], "submit_key": new_key()})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.query(Attempt).count() == 0


def test_other_heads_and_staff_cannot_reach_the_check(app, world, login_as):
    attempt_id = start_check(login_as("head_a"), world.id("staff_a"))
    other = login_as("head_b")
    assert other.get(f"/station/spoken/{attempt_id}").status_code == 404
    assert say(other, attempt_id, 0, "您好").status_code == 404
    assert other.post(f"/station/spoken/{attempt_id}/finish", {"verdict-0": "pass"}).status_code == 404
    assert login_as("staff_a").get(f"/station/spoken/{attempt_id}").status_code == 403
    assert other.get(f"/station/staff/{world.id('staff_a')}/spoken").status_code == 404


def test_a_recording_on_the_heads_phone_is_recognised_and_replayable(speech_app, world, login_as):
    head = login_as("head_a")
    attempt_id = start_check(head, world.id("staff_a"), phrases=("sl-greet",))
    response = head.client.post(
        f"/station/spoken/{attempt_id}/turns/0/audio",
        data={"audio": (io.BytesIO(webm("a-greet-ok")), "answer.webm")},
        headers=json_headers(head), content_type="multipart/form-data")
    data = response.get_json()
    assert response.status_code == 200, data
    assert data["state"] == "scored" and data["transcript"] and data["spoken"]
    assert data["urls"]["recording"]
    replay = head.get(data["urls"]["recording"])
    assert replay.status_code == 200 and replay.data[:4] == b"\x1aE\xdf\xa3"  # webm
    status = head.get(data["urls"]["status"]).get_json()
    assert status["state"] == "scored" and status["response_id"] == data["response_id"]
    garbage = head.client.post(
        f"/station/spoken/{attempt_id}/turns/0/audio",
        data={"audio": (io.BytesIO(b"not audio at all" * 10), "x.webm")},
        headers=json_headers(head), content_type="multipart/form-data")
    assert garbage.status_code == 422 and garbage.get_json()["error"]
    finish(head, attempt_id, [data["verdict"] if data["verdict"] != "review" else "pass"],
           notes="复核录音")
    check = saved_check(speech_app, world.id("staff_a"))
    assert check.details["phrases"][0]["recorded"]
    page = head.get(f"/station/checks/{check.id}").get_data(as_text=True)
    assert data["urls"]["recording"] in page
