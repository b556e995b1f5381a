"""The station dashboard: every staff member with progress per module, last activity and
cleared-for-duty status, and the scenes where the station's answers fail most, as a table and
a server-drawn SVG chart."""

from __future__ import annotations

import re

from tests.practice_helpers import answer_text, start_phrase
from tests.station_helpers import certify_via_page, make_eligible
from trainer.station.chart import bar_chart, rate_tone, shorten


def practise(browser, item_id, text, times=1):
    for _ in range(times):
        attempt_id = start_phrase(browser, item_id)
        assert answer_text(browser, attempt_id, text).get_json()["state"] == "scored"


def test_the_head_sees_his_staff_and_nobody_elses(app, world, login_as):
    page = login_as("head_a").get("/station").get_data(as_text=True)
    for name in ("张一", "张二", "张营业"):
        assert name in page
    assert "李一" not in page and "乙站长" not in page
    assert "暂不能上岗" in page and "可以上岗" in page  # the tile counts 0 cleared
    # Module columns of the curriculum, and states per person.
    assert "员工形象与纪律" in page and "未参加" in page
    # A head cannot look at another station by URL.
    other = login_as("head_a").get(f"/station?station={world.station_b}").get_data(as_text=True)
    assert "李一" not in other


def test_progress_last_activity_and_duty_status_follow_the_records(app, world, login_as):
    make_eligible(app, world)
    head = login_as("head_a")
    before = head.get("/station").get_data(as_text=True)
    row = before.split(">张一<")[1].split("</tr>")[0]
    assert "已通过" in row and "已满足全部要求,等待站长认证上岗" in row
    assert re.search(r"\d\d-\d\d \d\d:\d\d", row)  # last activity: the practical checks
    certify_via_page(head, world.id("staff_a"))
    after = head.get("/station").get_data(as_text=True).split(">张一<")[1].split("</tr>")[0]
    assert "可以上岗" in after and "暂不能上岗" not in after
    idle = head.get("/station").get_data(as_text=True).split(">张二<")[1].split("</tr>")[0]
    assert "暂不能上岗" in idle and '<td data-label="最近活动">—</td>' in idle


def test_the_weakest_scenes_are_those_that_fail_most_at_this_station(app, world, login_as):
    staff = login_as("staff_a")
    practise(staff, "sl-greet", "喂,干嘛的", times=3)
    practise(staff, "sl-wait", "等着", times=1)
    practise(staff, "sl-farewell", "请走好。", times=2)      # passes: not a weak scene
    practise(login_as("staff_b"), "sl-card-show", "卡呢", times=4)  # another station
    page = login_as("head_a").get("/station").get_data(as_text=True)
    scenes = page.split('id="scenes"')[1]
    table = scenes.split("</table>")[0]
    assert table.index("进站迎客") < table.index("等候加气")
    assert ('<td data-label="作答">3</td><td data-label="未通过">3</td>'
            '<td data-label="失败率">100%</td>') in table
    assert "离站送客" not in table and "请出示加气卡" not in scenes
    svg = scenes.split("<svg")[1].split("</svg>")[0]
    assert svg.count('class="st-bar st-bar-bad"') == 2
    assert "100%(3/3)" in svg
    other = login_as("head_b").get("/station").get_data(as_text=True).split('id="scenes"')[1]
    assert "请出示加气卡" in other and "进站迎客" not in other


def test_hr_picks_any_station_and_a_wrong_one_is_not_found(app, world, login_as):
    hr = login_as("hr")
    page = hr.get(f"/station?station={world.station_b}").get_data(as_text=True)
    assert "海通加气站" in page and "李一" in page and "张一" not in page
    assert hr.get("/station?station=99999").status_code == 404
    assert hr.get(f"/station/staff/{world.id('staff_b')}").status_code == 200
    assert login_as("staff_a").get("/station").status_code == 403


def test_the_page_needs_no_script_and_no_inline_style(app, world, login_as):
    page = login_as("head_a").get("/station").get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page
    assert re.search(r'(src|href)="(https?:)?//', page) is None  # nothing from elsewhere
    assert "css/station.css" in page


# --- the chart geometry (pure) -------------------------------------------------------------------


def test_bars_scale_to_the_maximum_and_never_overflow():
    chart = bar_chart("t", [("a", 50, "50%"), ("b", 100, "100%"), ("c", 150, "150%"),
                            ("d", -5, "0")], 100)
    widths = [bar.width for bar in chart.bars]
    assert widths[1] == 2 * widths[0] and widths[2] == widths[1] and widths[3] == 0
    assert all(bar.width <= chart.width for bar in chart.bars)
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)
    assert chart.height >= chart.bars[-1].bar_y + chart.bar_height


def test_an_empty_chart_and_a_zero_maximum_are_drawn_without_error():
    assert bar_chart("t", [], 0).bars == ()
    assert bar_chart("t", [("a", 3, "3")], 0).bars[0].width == 0


def test_long_labels_are_shortened_and_tones_follow_the_failure_rate():
    assert shorten("加气站客户投诉处理标准流程演练", 8) == "加气站客户投诉…"
    assert shorten("短", 8) == "短"
    assert [rate_tone(r) for r in (0.1, 0.3, 0.8)] == ["good", "warn", "bad"]
