"""The attendant's fixed pages in Debian's chromium at phone size: ordering questions are
unanswered until touched and can be dragged, a long exam has a question navigator, the
phrase list filters as one types, a role-play's result comes first with a retry per turn.
Screenshots of each step go to artifacts/screenshots/attendant/fixes-*.png (360 and 1366)."""

from __future__ import annotations

import pytest

from tests.browser_helpers import chromium, sign_in
from tests.conftest import PEOPLE
from tests.test_browser_screens import photograph
from tests.training_helpers import window

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def tab(live_server):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page, live_server, PEOPLE["staff_a"][0])
        page.wait_for_url(f"{live_server}/me")
        page.base = live_server
        yield page
        assert not errors, errors


def shot(page, name: str) -> None:
    assert not photograph(page, "attendant", f"fixes-{name}")


def test_home_shows_one_next_step_and_no_hidden_button(tab):
    step = tab.inner_text("#next-step")
    assert "下一步" in step and "开始学习" in step
    assert tab.evaluate("document.documentElement.scrollHeight") < 2000
    shot(tab, "home")


def test_an_untouched_ordering_question_counts_as_unanswered_and_can_be_dragged(app, world, tab):
    with app.app_context():
        window("fueling", world.station_a)
    tab.goto(f"{tab.base}/me/modules/fueling")
    tab.click("#assessment button[type=submit]")
    tab.wait_for_selector("#quiz-form")
    total = tab.locator("fieldset.question").count()
    assert total > 10
    # the navigator of a long exam
    tab.click("#q-nav summary")
    assert tab.locator("#q-nav nav a").count() == total
    assert tab.inner_text("[data-answered-count]") == "0"
    confirm = tab.get_attribute("#quiz-form", "data-confirm")
    assert f"还有 {total} 题没有作答" in confirm          # ordering questions included
    box = tab.locator("fieldset.question", has=tab.locator("[data-ordering]")).first
    number = box.get_attribute("data-number")
    steps = box.locator("li.ordering-step")
    first_text = steps.nth(0).locator(".step-text").inner_text()
    tab.click("#q-nav summary")                       # closed again: the bar is sticky
    box.evaluate("el => el.scrollIntoView({block: 'center'})")
    # drag the first step below the second with a finger/mouse on its handle
    handle = steps.nth(0).locator(".drag-handle").bounding_box()
    target = steps.nth(1).bounding_box()
    tab.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    tab.mouse.down()
    tab.mouse.move(target["x"] + 20, target["y"] + target["height"] * 0.9, steps=8)
    tab.mouse.up()
    assert steps.nth(1).locator(".step-text").inner_text() == first_text
    assert f"还有 {total - 1} 题没有作答" in tab.get_attribute("#quiz-form", "data-confirm")
    assert "is-answered" in tab.get_attribute(f'[data-nav="{number}"]', "class")
    shot(tab, "exam-ordering")


def test_the_phrase_list_filters_as_one_types(tab):
    tab.goto(f"{tab.base}/practice")
    rows = tab.locator("li.study-item")
    everything = rows.count()
    tab.fill("#q", "熄火")
    visible = tab.locator("li.study-item:visible").count()
    assert 0 < visible < everything
    shot(tab, "practice-search")


def test_a_roleplay_result_comes_first_and_a_turn_can_be_redone(app, tab):
    from tests.test_browser_journey import attempt_presented

    tab.goto(f"{tab.base}/me/roleplay")
    tab.locator("section.encounter", has_text="接来电后向公司调度汇报").locator("button").click()
    tab.wait_for_selector("#answer-box")
    attempt_id = int(tab.url.split("#")[0].rstrip("/").rsplit("/", 1)[1])
    turns = attempt_presented(app, attempt_id)["turns"]
    tab.fill("#answer-text", "这事不归我管。")
    tab.click("button:has-text('提交这一轮')")
    tab.wait_for_selector("#turn-1 #answer-box")
    tab.click("#turn-0 a:has-text('重答这一轮')")
    tab.wait_for_selector("#turn-0 #answer-box")
    tab.fill("#answer-text", turns[0]["expected"])
    tab.click("button:has-text('提交这一轮')")
    tab.wait_for_selector("#turn-1 #answer-box")
    for position, turn in enumerate(turns[1:], start=1):
        tab.fill("#answer-text", turn["expected"])
        tab.click("button:has-text('提交这一轮')")
        if position < len(turns) - 1:
            tab.wait_for_selector(f"#turn-{position + 1} #answer-box")
    tab.click("button:has-text('查看对话结果')")
    tab.wait_for_selector("#result")
    result_top = tab.locator("#result").bounding_box()["y"]
    assert result_top < tab.locator("#chat").bounding_box()["y"]
    assert "通过" in tab.inner_text("#result")
    assert "每一轮都通过" in tab.inner_text("#result")
    shot(tab, "roleplay-result")
