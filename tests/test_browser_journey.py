"""The staff journey in a real browser (Debian's chromium through Playwright) at phone size:
log in, see the home page, take a practice quiz of every question type to its result, and
play a typed role-play encounter turn by turn to its result. Screenshots go to
artifacts/screenshots/journey-*.png."""

from __future__ import annotations

import pytest

from tests.browser_helpers import SHOTS, chromium, fits_the_phone, phone_tab
from tests.conftest import PASSWORD
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import Attempt

pytestmark = pytest.mark.browser


@pytest.fixture
def live(live_server):
    return live_server


@pytest.fixture
def page():
    with chromium() as browser:
        yield phone_tab(browser)


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.evaluate("window.scrollTo(0, 0)")      # sticky bars are drawn where the page is scrolled
    tab.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


def attempt_presented(app, attempt_id: int) -> dict:
    with app.app_context():
        return dict(db.session.get(Attempt, attempt_id).presented)


def answer_question(tab, app, position: int, entry: dict) -> None:
    """Answer one quiz question the way a trainee does: tap options, type, sort with ↑."""
    with app.app_context():
        q = get_library().item(entry["id"])
    box = tab.locator(f"#q-{position + 1}")
    if q.type in ("single", "multiple"):
        for text in q.answers:
            box.locator("label.option", has_text=text).first.click()
    elif q.type == "truefalse":
        box.locator("label.option", has_text="正确" if q.answer else "错误").click()
    elif q.type == "fill":
        box.locator("input[type=text]").fill(q.accepted[0])
    else:
        for target, step_id in enumerate(q.correct_order):
            while True:
                names = box.locator("select").evaluate_all("els => els.map(e => e.name)")
                index = names.index(f"q{position}-{step_id}")
                if index == target:
                    break
                box.locator("li.ordering-step").nth(index).locator("[data-move='-1']").click()


def test_a_quiz_and_a_typed_roleplay_from_login_to_result(app, live, page):
    page.goto(f"{live}/login")
    shot(page, "01-login")
    page.fill("#employee_no", "A001")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live}/me")
    assert "暂不能上岗" in page.inner_text("#duty")
    assert fits_the_phone(page)
    shot(page, "02-home")

    # Study one card, then the practice quiz of the fueling module.
    page.click("a.module-link:has-text('加气操作流程')")
    page.wait_for_url(f"{live}/me/modules/fueling")
    shot(page, "03-module")
    page.click("text=开始学习")
    assert "依据：《" in page.inner_text("main")
    shot(page, "04-card")
    page.click("text=记住了，下一张")
    page.goto(f"{live}/me/modules/fueling")
    page.click("text=开始练习测验")
    page.wait_for_selector("#quiz-form")
    attempt_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    questions = attempt_presented(app, attempt_id)["questions"]
    assert len(questions) == 10 and fits_the_phone(page)
    for position, entry in enumerate(questions):
        answer_question(page, app, position, entry)
    page.wait_for_selector("text=已自动保存")          # answers are saved as he goes
    shot(page, "05-quiz")
    page.click("button:has-text('交卷')")
    page.wait_for_selector("#result")
    assert "100" in page.inner_text("#result") and "答对 10/10 题" in page.inner_text("#result")
    assert "逐题解析" in page.inner_text("main") and fits_the_phone(page)
    shot(page, "06-quiz-result")

    # A whole encounter, typed turn by turn.
    page.goto(f"{live}/me/roleplay")
    shot(page, "07-roleplays")
    page.locator("section.encounter", has_text="一辆CNG出租车的完整加气服务").locator(
        "button").click()
    page.wait_for_selector("#answer-box")
    attempt_id = int(page.url.split("#")[0].rstrip("/").rsplit("/", 1)[1])
    turns = attempt_presented(app, attempt_id)["turns"]
    assert "昆仑" in page.inner_text(".scene-card")
    for position, turn in enumerate(turns):
        page.fill("#answer-text", turn["expected"])
        page.click("button:has-text('提交这一轮')")
        if position < len(turns) - 1:
            page.wait_for_selector(f"#turn-{position + 1} #answer-box")
        if position == 1:
            assert fits_the_phone(page)
            shot(page, "08-roleplay-turns")
    # The last turn, typed or spoken, ends with 查看对话结果 (a turn may still be redone).
    page.click("button:has-text('查看对话结果')")
    page.wait_for_selector("#result")
    result = page.inner_text("#result")
    assert "对话结果" in result and "通过" in result
    assert page.locator(".turn-result.result-pass").count() == len(turns)
    assert fits_the_phone(page)
    shot(page, "09-roleplay-result")

    page.goto(f"{live}/me/daily")
    shot(page, "10-daily")
    page.click("button:has-text('开始练习')")
    page.wait_for_selector("#item")
    assert fits_the_phone(page)
    shot(page, "10b-daily-item")
    page.fill("#answer-text", "不知道")
    page.click(".typed-answer button[type=submit]")
    page.wait_for_selector("#last")
    assert "上一题" in page.inner_text("#last")
    shot(page, "10c-daily-feedback")
    page.goto(f"{live}/me/history")
    assert "一辆CNG出租车的完整加气服务" in page.inner_text("main")
    shot(page, "11-history")


def test_a_head_opens_an_assessment_and_the_drill_runs_against_the_clock(app, live, page):
    page.goto(f"{live}/login")
    page.fill("#employee_no", "A100")                     # 甲站长
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live}/windows/new?module=fueling")
    assert fits_the_phone(page)
    shot(page, "12-window-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".window-item")
    assert "进行中" in page.inner_text(".window-item")
    shot(page, "13-windows")
    page.context.clear_cookies()

    page.goto(f"{live}/login")
    page.fill("#employee_no", "A001")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live}/me/modules/fueling")
    assert "考核开放中" in page.inner_text("#assessment")
    shot(page, "14-module-assessment-open")
    page.click("button:has-text('开始理论测验')")        # the confirmation is accepted
    page.wait_for_selector(".clock")
    assert "剩余" in page.inner_text(".clock")
    shot(page, "15-assessment-quiz")

    page.goto(f"{live}/me/modules/fueling")
    page.click("button:has-text('开始计时演练')")
    page.wait_for_selector(".drill-pick")
    with app.app_context():
        order = [s.id for s in get_library().item("op-drill-fueling").steps]
    for step_id in order[:3]:
        page.click(f".drill-pick[data-step='{step_id}']")
    assert page.locator("#drill-chosen li").count() == 3
    shot(page, "16-drill")
    for step_id in order[3:]:
        page.click(f".drill-pick[data-step='{step_id}']")
    page.click("#drill-submit")
    page.wait_for_selector("#result")
    assert "顺序正确，用时在要求之内" in page.inner_text("#result")
    assert fits_the_phone(page)
    shot(page, "17-drill-result")

    page.set_viewport_size({"width": 1280, "height": 900})       # the same pages on a PC
    page.goto(f"{live}/me")
    shot(page, "18-home-desktop")
