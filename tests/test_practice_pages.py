"""Single-phrase practice without the recogniser: the study list, starting a practice with
fresh values, typed answers through the turn API, reviews, and who may open what."""

from __future__ import annotations

import re
import secrets

import pytest
from sqlalchemy import select

from tests.practice_helpers import answer_text, json_headers, set_values, start_phrase
from trainer.extensions import db
from trainer.models import Attempt, AttemptResponse, AuditLog, Station


def attempt_row(app, attempt_id: int) -> Attempt:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        db.session.expunge(attempt)
        return attempt


# --- study list -----------------------------------------------------------------------------


def test_study_list_shows_the_phrases_of_the_trainees_post(login_as):
    page = login_as("staff_a").get("/practice").get_data(as_text=True)
    assert "服务用语" in page and "进站迎客" in page and "找零" in page
    # Attendants are not assigned the hotline commitments module.
    assert "热线受理投诉" not in page


def test_study_list_follows_the_station_rule_set(app, login_as, world):
    clerk = login_as("clerk_a")
    assert "热线受理投诉(48小时答复)" not in clerk.get("/practice").get_data(as_text=True).replace("（", "(").replace("）", ")")
    with app.app_context():
        db.session.get(Station, world.station_a).rule_set = "kunlun"
        db.session.commit()
    page = clerk.get("/practice").get_data(as_text=True)
    assert "热线受理投诉（48小时答复）" in page          # kunlun's promise
    assert "来电一时答复不了" not in page               # ganghua's
    assert clerk.post("/practice/phrases/cm-tel-reply-3days/start",
                      {"submit_key": secrets.token_hex(16)}).status_code == 404
    assert clerk.post("/practice/phrases/cm-tel-complaint-48h/start",
                      {"submit_key": secrets.token_hex(16)}).status_code == 302


def test_only_staff_and_heads_practise(login_as):
    assert login_as("hr").get("/practice").status_code == 403
    assert login_as("admin").get("/practice").status_code == 403
    assert login_as("head_a").get("/practice").status_code == 200


def test_anonymous_visitors_go_to_login(client, world):
    response = client.get("/practice")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/recordings/1").status_code == 302


# --- starting a practice --------------------------------------------------------------------


def test_practice_fills_the_station_name_and_fresh_amounts(app, login_as):
    b = login_as("staff_a")
    greet = start_phrase(b, "sl-greet")
    page = b.get(f"/practice/attempts/{greet}").get_data(as_text=True)
    assert "昆仑加气站" in page and "{station}" not in page
    amounts = set()
    for _ in range(6):
        attempt = attempt_row(app, start_phrase(b, "sl-change"))
        assert attempt.mode == "practice" and attempt.kind == "phrase"
        amounts.add(attempt.presented["values"]["amount"])
        assert attempt.presented["turns"][0]["expected"] == (
            f"找您{attempt.presented['values']['amount']}元，请拿好。")
    assert len(amounts) > 1, "every try should get a new amount"


def test_the_same_submit_key_starts_one_practice(app, login_as):
    b = login_as("staff_a")
    key = secrets.token_hex(16)
    first = b.post("/practice/phrases/sl-greet/start", {"submit_key": key})
    second = b.post("/practice/phrases/sl-greet/start", {"submit_key": key})
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Attempt.id))) == 1


def test_a_station_without_a_hotline_gets_a_clear_message(app, login_as, world):
    with app.app_context():
        db.session.get(Station, world.station_a).hotline = ""
        db.session.commit()
    clerk = login_as("clerk_a")
    # ht-tell-hotline (service hall) needs the station's hotline number.
    response = clerk.post("/practice/phrases/ht-tell-hotline/start",
                          {"submit_key": secrets.token_hex(16)}, follow_redirects=True)
    assert "站点信息缺少" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Attempt.id))) == 0


def test_unknown_items_are_404(login_as):
    b = login_as("staff_a")
    assert b.post("/practice/phrases/no-such-item/start",
                  {"submit_key": secrets.token_hex(16)}).status_code == 404


# --- typed answers --------------------------------------------------------------------------


def test_a_typed_answer_is_scored_and_closes_the_try(app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    response = answer_text(b, attempt_id, "您好,欢迎光临昆仑加气站")
    data = response.get_json()
    assert response.status_code == 200 and data["state"] == "scored"
    assert data["verdict"] == "pass" and data["verdict_label"] == "通过" and data["score"] >= 80
    assert data["key_points"]["hit"] == ["您好", "欢迎"] and not data["key_points"]["missed"]
    assert data["attempt"]["status"] == "scored" and data["attempt"]["verdict"] == "pass"
    assert data["urls"]["recording"] is None and data["delivery"] is None
    assert all(op["op"] == "equal" for op in data["diff"])
    again = answer_text(b, attempt_id, "您好,欢迎光临昆仑加气站")
    assert again.status_code == 409 and "已经结束" in again.get_json()["error"]


def test_a_wrong_answer_fails_with_a_diff_and_missing_points(login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    data = answer_text(b, attempt_id, "欢迎光临昆仑加气站").get_json()
    assert data["verdict"] == "fail" and data["key_points"]["missed"] == ["您好"]
    assert {"op": "delete", "expected": "您好", "answer": ""} in data["diff"]
    assert any("您好" in reason for reason in data["reasons"])


def test_a_forbidden_phrase_is_found_with_its_position(login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    answer = "急什么,您好欢迎光临昆仑加气站"
    data = answer_text(b, attempt_id, answer).get_json()
    assert data["verdict"] == "fail" and data["score"] <= 20
    hit = data["forbidden"][0]
    assert answer[hit["start"]:hit["end"]] == "急什么" and data["transcript"] == answer


def test_a_wrong_amount_fails(app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b, "sl-change")
    set_values(app, attempt_id, amount="35")
    assert answer_text(b, attempt_id, "找您35元,请拿好").get_json()["verdict"] == "pass"
    attempt_id = start_phrase(b, "sl-change")
    set_values(app, attempt_id, amount="35")
    data = answer_text(b, attempt_id, "找您五十元,请拿好").get_json()
    assert data["verdict"] == "fail" and any("金额不对" in r for r in data["reasons"])


@pytest.mark.parametrize("text, code", [("", "empty_text"), ("   ", "empty_text"),
                                        ("您好" * 300, "text_too_long")])
def test_empty_or_overlong_text_is_refused_and_changes_nothing(app, login_as, text, code):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    response = answer_text(b, attempt_id, text)
    assert response.status_code == 422 and response.get_json()["code"] == code
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AttemptResponse.id))) == 0


def test_a_turn_the_attempt_does_not_have_is_404(login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    response = answer_text(b, attempt_id, "您好", position=3)
    assert response.status_code == 404 and "没有这一轮" in response.get_json()["error"]


def test_posting_without_the_csrf_header_is_refused(app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    response = b.client.post(f"/practice/attempts/{attempt_id}/turns/0/text",
                             data={"text": "您好"}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and "安全令牌" in response.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AttemptResponse.id))) == 0


# --- other people's attempts ----------------------------------------------------------------


def test_another_trainees_attempt_is_404_everywhere(app, login_as):
    owner = login_as("staff_a")
    attempt_id = start_phrase(owner)
    for key in ("staff_a2", "head_a", "staff_b", "hr"):
        other = login_as(key)
        assert other.get(f"/practice/attempts/{attempt_id}").status_code == 404
        assert other.get(f"/practice/attempts/{attempt_id}/turns/0").status_code == 404
        response = other.client.post(f"/practice/attempts/{attempt_id}/turns/0/text",
                                     data={"text": "您好"}, headers=json_headers(other))
        assert response.status_code == 404 and response.get_json()["code"] == "not_found"
        assert other.post(f"/practice/attempts/{attempt_id}/review",
                          {"reason": "x"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AttemptResponse.id))) == 0


# --- the page and reviews -------------------------------------------------------------------


def test_the_practice_page_carries_the_recorder_and_no_inline_code(login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    page = b.get(f"/practice/attempts/{attempt_id}").get_data(as_text=True)
    assert 'data-recorder' in page and 'name="csrf-token"' in page
    assert f'data-upload-url="/practice/attempts/{attempt_id}/turns/0/audio"' in page
    assert 'js/recorder.js' in page and 'css/practice.css' in page
    assert "改用文字作答" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_a_borderline_answer_goes_to_the_station_head(app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b, "sl-card-show")
    data = answer_text(b, attempt_id, "出示加气卡。").get_json()
    assert data["verdict"] == "review" and data["verdict_label"] == "待站长复核"
    assert data["attempt"]["review_state"] == "pending"
    assert data["attempt"]["can_request_review"] is False
    attempt = attempt_row(app, attempt_id)
    assert attempt.final_verdict is None and not attempt.counts


def test_the_trainee_asks_for_review_with_a_reason(app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    answer_text(b, attempt_id, "欢迎光临昆仑加气站")
    empty = b.post(f"/practice/attempts/{attempt_id}/review", {"reason": "  "},
                   follow_redirects=True)
    assert "请写明申请复核的理由" in empty.get_data(as_text=True)
    assert attempt_row(app, attempt_id).review_state == "none"
    done = b.post(f"/practice/attempts/{attempt_id}/review",
                  {"reason": "我说了您好,识别漏了"}, follow_redirects=True)
    assert "已提交复核申请" in done.get_data(as_text=True)
    attempt = attempt_row(app, attempt_id)
    assert attempt.review_state == "pending"
    assert attempt.review_requested_reason == "我说了您好,识别漏了"
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(
            AuditLog.action == "attempt.review_requested"))
        assert entry.entity_id == str(attempt_id)
    twice = b.post(f"/practice/attempts/{attempt_id}/review", {"reason": "再看看"},
                   follow_redirects=True)
    assert "已经在等待站长复核" in twice.get_data(as_text=True)


def test_review_of_an_unanswered_practice_is_refused(app, login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    page = b.post(f"/practice/attempts/{attempt_id}/review", {"reason": "看看"},
                  follow_redirects=True)
    assert "还没有评分" in page.get_data(as_text=True)
    assert attempt_row(app, attempt_id).review_state == "none"


def test_status_of_an_unanswered_turn_is_empty(login_as):
    b = login_as("staff_a")
    attempt_id = start_phrase(b)
    data = b.get(f"/practice/attempts/{attempt_id}/turns/0").get_json()
    assert data["state"] == "empty" and data["attempt"]["status"] == "in_progress"


def _row(page: str, scene: str) -> str:
    return next(li for li in page.split('<li class="study-item"')[1:] if f"<strong>{scene}</strong>" in li)


def test_study_list_marks_each_phrase_passed_tried_or_new(login_as):
    b = login_as("staff_a")
    page = b.get("/practice").get_data(as_text=True)
    assert "未练" in _row(page, "进站迎客") and page.count("✓ 已通过") == 1   # the legend only
    answer_text(b, start_phrase(b), "来了啊,加多少?")
    assert re.search(r"上次 \d+ 分", _row(b.get("/practice").get_data(as_text=True), "进站迎客"))
    answer_text(b, start_phrase(b), "您好,欢迎光临昆仑加气站")
    page = b.get("/practice").get_data(as_text=True)
    assert "✓ 已通过" in _row(page, "进站迎客")        # passed once stays passed
    assert "已通过 1</span>" in page


def test_study_list_is_grouped_by_module_and_searchable_without_script(login_as):
    b = login_as("staff_a")
    page = b.get("/practice").get_data(as_text=True)
    assert page.count('<details class="card study-module"') >= 4
    assert 'name="q"' in page and "practice-index.js" in page
    found = b.get("/practice?q=熄火").get_data(as_text=True)
    assert "找到" in found and "熄火" in found and "<strong>进站迎客</strong>" not in found
    none = b.get("/practice?q=没有这种说法").get_data(as_text=True)
    assert "没有找到" in none and "study-item" not in none
