"""The home page (modules, what is missing before duty, today's practice), study cards and
history, for the person himself and nobody else."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from tests.training_helpers import (
    attempt_id_from,
    certificate,
    pass_all_modules,
    post_start,
    practical,
    window,
)
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import CardStudy
from trainer.models.practical import PracticalKind


def test_home_lists_his_modules_and_what_is_missing(app, login_as, world):
    page = login_as("staff_a").get("/me").get_data(as_text=True)
    assert "您好，张一" in page and "昆仑加气站 · 加气员" in page
    for title in ("员工形象与纪律", "服务用语", "加气操作流程", "营业厅、收银与热线"):
        assert title in page
    assert "服务承诺与时限" not in page                      # a clerk's module
    assert "暂不能上岗" in page and "通过 7 个必修模块的考核" in page
    assert "上岗必需：尚未参加考核" in page
    assert "仪容仪表检查：站长尚未检查" in page
    assert "每日练习" in page
    clerk = login_as("clerk_a").get("/me").get_data(as_text=True)
    assert "服务承诺与时限" in clerk and "加气操作计时" not in clerk


def test_home_names_one_next_step_and_lists_each_module_once(login_as, world):
    page = login_as("staff_a").get("/me").get_data(as_text=True)
    step = page.split('id="next-step"')[1].split("</section>")[0]
    assert "学习「员工形象与纪律」的卡片（已学 0/" in step
    assert "/me/modules/image/cards/1" in step
    for title in ("服务用语", "加气操作流程", "安全规范"):
        assert page.count(title) == 1, title          # not in the duty list and again below


def test_home_promises_the_daily_size_the_daily_page_gives(login_as, world):
    b = login_as("staff_a")
    home = b.get("/me").get_data(as_text=True)
    count = int(re.search(r"现在有 (\d+) 题，约 (\d+) 分钟", home).group(1))
    daily = b.get("/me/daily").get_data(as_text=True)
    assert f"这一组 {count} 题" in daily
    assert "FSRS" not in daily and "5 分钟" not in home


def test_home_says_cleared_with_a_valid_certificate(app, login_as, world):
    with app.app_context():
        pass_all_modules(world.id("staff_a"), get_library(), world.station_a)
        practical(world.id("staff_a"), world.id("head_a"), PracticalKind.GROOMING, True)
        practical(world.id("staff_a"), world.id("head_a"), PracticalKind.DRILL, True)
    b = login_as("staff_a")
    assert "已满足全部要求,等待站长认证上岗" in b.get("/me").get_data(as_text=True)
    with app.app_context():
        number = certificate(world.id("staff_a"), world.id("head_a")).number
    page = b.get("/me").get_data(as_text=True)
    assert "可以上岗" in page and number in page and "暂不能上岗" not in page


def test_open_assessments_are_on_the_home_page(app, login_as, world):
    with app.app_context():
        window("safety", world.station_a)
    page = login_as("staff_a").get("/me").get_data(as_text=True)
    step = page.split('id="next-step"')[1].split("</section>")[0]
    assert "参加「安全规范」的考核" in step and "/me/modules/safety#assessment" in step
    assert re.search(r"截止 \d{4}-\d{2}-\d{2} \d{2}:\d{2}|截止 今天", step)


def test_study_cards_show_their_source_and_count_as_read(app, login_as, world):
    b = login_as("staff_a")
    card = b.get("/me/modules/fueling/cards/1").get_data(as_text=True)
    assert "第1步 指引车辆进入专用车道" in card
    assert "依据：《加气站服务管理规范》三、加气操作标准 1 注意事项" in card
    response = b.post("/me/modules/fueling/cards/1", {})
    assert response.headers["Location"].endswith("/me/modules/fueling/cards/2")
    b.post("/me/modules/fueling/cards/1", {})                    # read again: counted once
    index = b.get("/me/modules/fueling/cards").get_data(as_text=True)
    assert "已学 1/13" in index
    last = b.post("/me/modules/fueling/cards/13", {})
    assert "done=1" in last.headers["Location"]
    assert "卡片 2/13" in b.get("/me").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(CardStudy.id))) == 2
    assert b.get("/me/modules/fueling/cards/14").status_code == 404
    assert b.get("/me/modules/fueling/cards/0").status_code == 404
    assert b.post("/me/modules/fueling/cards/2", {"csrf_token": "forged"}).status_code == 400


def test_restored_wording_is_marked_on_its_card(login_as, world):
    page = login_as("staff_a").get("/me/modules/fueling/cards/8").get_data(as_text=True)
    assert "手持枪加气" in page and "原文有残缺" in page


def test_history_lists_every_attempt_and_shows_its_answers(app, login_as, world):
    b = login_as("staff_a")
    roleplay = attempt_id_from(post_start(b, "/me/roleplay/sl-dlg-cng-full/start"))
    b.post(f"/me/roleplay/attempts/{roleplay}/turns/0", {"text": "您好,欢迎光临昆仑加气站"})
    b.post(f"/me/roleplay/attempts/{roleplay}/finish", {})
    quiz = attempt_id_from(post_start(b, "/me/modules/fueling/quiz"))
    listing = b.get("/me/history").get_data(as_text=True)
    assert "一辆CNG出租车的完整加气服务" in listing and "情景对话 · 练习" in listing
    assert "测验 · 练习" in listing and "进行中" in listing
    detail = b.get(f"/me/history/{roleplay}").get_data(as_text=True)
    assert "您好,欢迎光临昆仑加气站" in detail and "标准用语" in detail
    assert b.get(f"/me/history/{quiz}").headers["Location"].endswith(f"/me/quiz/{quiz}")
    assert login_as("staff_a2").get(f"/me/history/{roleplay}").status_code == 404
    assert "一辆CNG" not in login_as("staff_a2").get("/me/history").get_data(as_text=True)


def test_who_may_open_the_training_pages(client, login_as, world):
    for path in ("/me", "/me/daily", "/me/history", "/me/roleplay", "/me/modules/fueling"):
        assert client.get(path).status_code == 302                   # to the login page
        assert login_as("hr").get(path).status_code == 403
        assert login_as("admin").get(path).status_code == 403
    # A station head holds a post and trains like his staff.
    head = login_as("head_a").get("/me").get_data(as_text=True)
    assert "岗位职责" in head and "暂不能上岗" in head


def _silent_recording(app, attempt_id: int, *, started_ago: timedelta | None = None) -> None:
    """What a recording heard as silence leaves: a pending answer marked no_speech."""
    from trainer.models import Attempt, AttemptResponse

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        db.session.add(AttemptResponse(attempt_id=attempt_id, position=0, item_id="sl-greet",
                                       status="pending", recording_key="x/silent.webm",
                                       asr={"no_speech": True}, error="没有听到说话声"))
        if started_ago is not None:
            attempt.started_at = attempt.started_at - started_ago
        db.session.commit()


def test_a_silent_recording_does_not_stay_open_forever(app, login_as, world):
    from tests.practice_helpers import start_phrase

    b = login_as("staff_a")
    old = start_phrase(b)
    _silent_recording(app, old, started_ago=timedelta(hours=2))
    fresh = start_phrase(b, "sl-wait")
    _silent_recording(app, fresh)
    listing = b.get("/me/history").get_data(as_text=True)
    assert "未识别到语音" in listing                     # the old one closed by itself
    page = b.get(f"/me/history/{fresh}").get_data(as_text=True)
    assert "<button type=\"submit\">关闭这次练习" in page     # the fresh one may be closed now
    b.post(f"/me/history/{fresh}/close", {})
    page = b.get(f"/me/history/{fresh}").get_data(as_text=True)
    assert "未识别到语音" in page and "<button type=\"submit\">关闭这次练习" not in page
    assert "进行中" not in b.get("/me/history").get_data(as_text=True)
    # someone else cannot close it
    assert login_as("staff_b").post(f"/me/history/{fresh}/close", {}).status_code == 404


def test_history_titles_a_daily_session_as_daily_practice(app, login_as, world):
    b = login_as("staff_a")
    start = b.post("/me/daily/start", {"submit_key": "k" * 32})
    assert start.status_code == 302
    listing = b.get("/me/history").get_data(as_text=True)
    assert "<strong>每日练习</strong>" in listing
